"""The sweeps of the clocks (Celery beat, every minute; samples.tasks): S4 expire, S5 cancel,
S6 auto-receipt, S7 promotion check and breach, V7 extension grant.

Each selects due rows by its partial index, locks them with SKIP LOCKED (a row another
worker or a person holds is left for the next run), moves each row once inside its own
savepoint (a bad row is logged and skipped), and commits batch by batch: a sweep that dies
halfway leaves no row half-moved. One clock: the sweep's `now` selects the due rows and is
the instant the transitions' clock conditions compare against (SampleRequest.as_of).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from samples import messages as msg
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, promotion
from samples.services.common import creator_url, describe, sweep_note, tell, tell_both
from samples.services.shipping import start_fulfil_clock

logger = logging.getLogger(__name__)

State = SampleRequest.State


def batch_size() -> int:
    return getattr(settings, "SAMPLES_SWEEP_BATCH", 100)


def _run_sweep(
    name: str,
    due: Callable[[datetime], QuerySet[SampleRequest]],
    move: Callable[[SampleRequest, datetime], bool],
    now: datetime | None = None,
) -> int:
    now = now or timezone.now()
    size = batch_size()
    moved = 0
    passed: list[int] = []  # rows that failed or still wait: not selected again in this run
    while True:
        with transaction.atomic():
            batch = list(
                due(now).exclude(pk__in=passed)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("product", "creator__user", "merchant__user")[:size]
            )
            for sample in batch:
                sample.as_of = now  # one clock: the transitions' conditions read the sweep's now
                try:
                    with transaction.atomic():
                        if move(sample, now):
                            moved += 1
                        else:
                            passed.append(sample.pk)
                except Exception:
                    logger.exception("samples sweep %s: request #%s skipped", name, sample.pk)
                    passed.append(sample.pk)
        if len(batch) < size:
            return moved


def _close_by_sweep(sample: SampleRequest, at: datetime, *, sweep: str, transition: str, reason: str) -> bool:
    """A clock ran out (S4, S5): close the request with the reason and tell both parties."""
    sample.closed_at = at
    sample.close_reason = reason
    apply_transition(sample, transition, by=None, description=sweep_note(sweep, lambda: reason))
    tell_both(sample, lambda: _("Sample request for “%(product)s” cancelled: %(reason)s") % {"product": sample.product.title, "reason": reason})
    return True


def sweep_expire_undecided(*, now: datetime | None = None) -> int:
    """S4: requests the merchant did not decide on by decide_by are cancelled (expired)."""
    name = "samples.sweep_expire_undecided"

    def due(at):
        return SampleRequest.objects.filter(state=State.REQUESTED, decide_by__lte=at).order_by("decide_by")

    def move(sample, at):
        reason = describe(lambda: _("The merchant did not decide by %(deadline)s.") % {"deadline": msg.local_time(sample.decide_by)})
        return _close_by_sweep(sample, at, sweep=name, transition="expire", reason=reason)

    return _run_sweep(name, due, move, now)


def sweep_cancel_unshipped(*, now: datetime | None = None) -> int:
    """S5: approved requests not shipped by ship_cancel_at (120 h after approval) are cancelled."""
    name = "samples.sweep_cancel_unshipped"

    def due(at):
        return SampleRequest.objects.filter(state=State.APPROVED, ship_cancel_at__lte=at).order_by("ship_cancel_at")

    def move(sample, at):
        reason = describe(lambda: _("The sample was not shipped by %(deadline)s.") % {"deadline": msg.local_time(sample.ship_cancel_at)})
        return _close_by_sweep(sample, at, sweep=name, transition="cancel_unshipped", reason=reason)

    return _run_sweep(name, due, move, now)


def sweep_auto_receive(*, now: datetime | None = None) -> int:
    """S6: 168 h after shipping, receipt is confirmed for the creator; S7's clock starts at that mark."""
    name = "samples.sweep_auto_receive"

    def due(at):
        return SampleRequest.objects.filter(state=State.SHIPPED, auto_receive_at__lte=at).order_by("auto_receive_at")

    def move(sample, at):
        start_fulfil_clock(sample, sample.auto_receive_at)
        apply_transition(
            sample, "auto_receive", by=None,
            description=sweep_note(name, lambda: _("Receipt confirmed automatically %(deadline)s after shipping.")
                                   % {"deadline": msg.local_time(sample.auto_receive_at)}),
        )
        tell(
            user=sample.creator.user, url=creator_url(sample),
            text=lambda: _("Receipt of the sample of “%(product)s” was confirmed automatically. Start promoting it by %(deadline)s.")
            % {"product": sample.product.title, "deadline": msg.local_time(sample.fulfil_by)},
        )
        return True

    return _run_sweep(name, due, move, now)


def sweep_check_promotions(*, now: datetime | None = None) -> int:
    """S7: at the end of a recorded promotion's period, fulfil it if it held (see
    samples.services.promotion.check_promotion)."""
    name = "samples.sweep_check_promotions"

    def due(at):
        return (
            SampleRequest.objects.filter(state=State.RECEIVED, fulfil_check_at__isnull=False, fulfil_check_at__lte=at)
            .select_related("promotion_video", "promotion_video_item", "promotion_live_item__session")
            .order_by("fulfil_check_at")
        )

    def move(sample, at):
        return promotion.check_promotion(sample, at=at, sweep=name)

    return _run_sweep(name, due, move, now)


def sweep_breach_unpromoted(*, now: datetime | None = None) -> int:
    """S7 (ours): received samples with no promotion started within 360 h are breached."""
    name = "samples.sweep_breach_unpromoted"

    def due(at):
        # V7: while the merchant may still refuse an extension, the breach waits for that decision.
        waiting = ExtensionRequest.objects.filter(sample_id=OuterRef("pk"), state=ExtensionRequest.State.REQUESTED)
        return (
            SampleRequest.objects.filter(state=State.RECEIVED, fulfil_by__lte=at, promotion="")
            .exclude(Exists(waiting)).order_by("fulfil_by")
        )

    def move(sample, at):
        promotion.breach(sample, at=at, sweep=name, reason=describe(
            lambda: _("No promotion started by %(deadline)s.") % {"deadline": msg.local_time(sample.fulfil_by)}))
        return True

    return _run_sweep(name, due, move, now)


def sweep_grant_extensions(*, now: datetime | None = None) -> int:
    """V7: silence grants it. At refuse_by the extension is granted (or lapses when the
    request has closed meanwhile). Rows are selected by the extension's partial index and
    locked sample first, as people lock them."""
    name = "samples.sweep_grant_extensions"

    def due(at):
        return SampleRequest.objects.filter(
            extension__state=ExtensionRequest.State.REQUESTED, extension__refuse_by__lte=at
        ).order_by("extension__refuse_by")

    def move(sample, at):
        extension = extensions.locked_extension(sample)
        if extension.state != ExtensionRequest.State.REQUESTED:
            return False
        extensions.grant(sample, extension, by=None, at=extension.refuse_by, description=sweep_note(
            name, lambda: _("Not refused by %(deadline)s: granted.") % {"deadline": msg.local_time(extension.refuse_by)}))
        return True

    return _run_sweep(name, due, move, now)
