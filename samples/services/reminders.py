"""V6 Reminders before the deadlines: merchants when half of the 48 h (and of the 120 h) is
gone and 6 h before each; creators 3 days and 1 day before the 360 h (every lead from the
rules object). Each goes once, in-app and by e-mail: the notification's dedupe_key is
unique, and rows already reminded are left out by it, even when sweeps overlap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clocks import Clock, clock
from core.models import Notification
from core.notifications import notify_many
from core.rules import rules
from samples import messages as msg
from samples.models import ExtensionRequest, SampleRequest
from samples.services.common import creator_url, merchant_url, message, tell
from samples.services.sweeps import batch_size

logger = logging.getLogger(__name__)

State = SampleRequest.State


@dataclass(frozen=True)
class Reminder:
    """A reminder before one of samples.clocks' deadlines: its rows and column come from the clock."""

    key: str
    clock: str  # the samples.clocks key it runs before
    lead: Callable[[], timedelta]
    to_merchant: bool
    text: Callable[[SampleRequest], str]

    @property
    def timed(self) -> Clock:
        return clock(self.clock)


def _remind_merchant_decide(sample):
    return _("Reminder: decide on %(creator)s's sample request for “%(product)s” by %(deadline)s, or it is cancelled.") % {
        "creator": sample.creator.display_name, "product": sample.product.title, "deadline": msg.local_time(sample.decide_by)}


def _remind_merchant_ship(sample):
    return _("Reminder: ship the sample of “%(product)s” to %(creator)s by %(deadline)s, or the request is cancelled.") % {
        "creator": sample.creator.display_name, "product": sample.product.title, "deadline": msg.local_time(sample.ship_cancel_at)}


def _remind_creator_promote(sample):
    return _("Reminder: start promoting the sample of “%(product)s” by %(deadline)s.") % {
        "product": sample.product.title, "deadline": msg.local_time(sample.fulfil_by)}


# Per clock, most urgent first; a less urgent reminder is skipped once a more urgent one is due.
REMINDERS: list[Reminder] = [
    Reminder("decide-last", "s4_decide", lambda: rules.duration("sample_remind_merchant"), True, _remind_merchant_decide),
    Reminder("decide-half", "s4_decide", lambda: rules.duration("sample_decide") / 2, True, _remind_merchant_decide),
    Reminder("ship-last", "s5_cancel", lambda: rules.duration("sample_remind_merchant"), True, _remind_merchant_ship),
    Reminder("ship-half", "s5_cancel", lambda: rules.duration("sample_ship_cancel") / 2, True, _remind_merchant_ship),
    Reminder("promote-last", "s7_fulfil", lambda: rules.duration("sample_remind_creator"), False, _remind_creator_promote),
    Reminder("promote-early", "s7_fulfil", lambda: rules.duration("sample_remind_creator_early"), False, _remind_creator_promote),
]


# V7: a granted extension moves the 360 h deadline; the creator's reminders then go once more,
# before the new deadline, under their own keys.
EXTENDED_SUFFIX = ":extended"


def reminder_key(sample_id: int, key: str, *, extended: bool = False) -> str:
    return f"samples:{sample_id}:remind:{key}{EXTENDED_SUFFIX if extended else ''}"


def sweep_reminders(*, now: datetime | None = None) -> int:
    """Send each due reminder once (merchant before 48 h and 120 h, creator before 360 h)."""
    now = now or timezone.now()
    sent = 0
    urgent_until: dict[tuple[str, str], datetime] = {}
    for reminder in REMINDERS:
        timed = reminder.timed
        window_end = now + reminder.lead()
        window_start = urgent_until.get(timed.key, now)
        urgent_until[timed.key] = max(window_start, window_end)
        if window_end <= window_start:
            continue
        extendable = timed.key == "s7_fulfil"  # V7 moves this deadline once
        suffix = Case(
            When(extension__state=ExtensionRequest.State.GRANTED, then=Value(EXTENDED_SUFFIX)), default=Value(""),
            output_field=CharField(),
        ) if extendable else Value("")
        already = Notification.objects.filter(
            dedupe_key=Concat(Value("samples:"), Cast(OuterRef("pk"), CharField()), Value(f":remind:{reminder.key}"), OuterRef("remind_suffix"))
        )
        qs = (
            SampleRequest.objects.filter(timed.runs_out_between(window_start, window_end))
            .annotate(remind_suffix=suffix)
            .exclude(Exists(already))
            .select_related("product", "creator__user", "merchant__user")
        )
        sent += _send(reminder, qs)
    return sent


def _send(reminder: Reminder, qs) -> int:
    """Send one reminder to every due row, a batch at a time: one bulk insert of the
    notifications (a dedupe_key already taken is skipped) and one e-mail task per batch.
    A batch that fails rolls back whole and its rows are sent one by one (a bad row is
    logged and skipped)."""
    size = batch_size()
    sent = 0
    passed: list[int] = []
    while True:
        chunk = list(qs.exclude(pk__in=passed)[:size])
        try:
            with transaction.atomic():
                sent += len(notify_many([_message(reminder, sample) for sample in chunk]))
        except Exception:
            logger.exception("samples reminder %s: batch of %s rolled back; sending one by one", reminder.key, len(chunk))
            for sample in chunk:
                try:
                    with transaction.atomic():
                        user = sample.merchant.user if reminder.to_merchant else sample.creator.user
                        url = merchant_url(sample) if reminder.to_merchant else creator_url(sample)
                        key = reminder_key(sample.pk, reminder.key, extended=bool(sample.remind_suffix))
                        if tell(user=user, url=url, text=lambda: reminder.text(sample), dedupe_key=key):
                            sent += 1
                except Exception:
                    logger.exception("samples reminder %s: request #%s skipped", reminder.key, sample.pk)
                    passed.append(sample.pk)
        if len(chunk) < size:
            return sent


def _message(reminder: Reminder, sample: SampleRequest):
    return message(
        user_id=sample.merchant.user_id if reminder.to_merchant else sample.creator.user_id,
        url=merchant_url(sample) if reminder.to_merchant else creator_url(sample),
        text=lambda: reminder.text(sample),
        dedupe_key=reminder_key(sample.pk, reminder.key, extended=bool(sample.remind_suffix)),
    )
