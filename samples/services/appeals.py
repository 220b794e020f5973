"""申诉 against a breach (AP1–AP5): a creator appeals a breached sample request once, within
the window, with a reason and evidence; a reviewer other than the one who made the appealed
decision upholds it (the request becomes `excused`: V1's penalty and V3's wait are gone at
once, both read the state) or dismisses it (nothing changes, no second appeal).

Lock order, as everywhere in samples: the sample request first, then its appeal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import appeals as kernel
from core.fsm import apply_transition, stale_message
from core.notifications import platform_text
from samples import messages as msg
from samples.models import SampleAppeal, SampleAppealEvidence, SampleRequest
from samples.services.common import check_creator, creator_url, locked, merchant_url, product_title, tell

State = SampleRequest.State
PERMISSION = "samples.decide_sampleappeal"


def appeal_window_ends(sample: SampleRequest):
    """AP1: until when the breach of `sample` may be appealed (None: not breached)."""
    if sample.state != State.BREACHED or sample.closed_at is None:
        return None
    return kernel.appeal_window_ends(sample.closed_at)


def can_appeal(sample: SampleRequest, now=None) -> bool:
    """What the request's page says before the click (AP1)."""
    until = appeal_window_ends(sample)
    if until is None or (now or timezone.now()) >= until:
        return False
    return not SampleAppeal.objects.filter(sample_id=sample.pk).exists()


@transaction.atomic
def sample_appeal_file(*, sample: SampleRequest, by, reason: str, files=()) -> SampleAppeal:
    """AP1: the creator appeals the breach of their own request, once, within the window."""
    reason = kernel.clean_reason(reason)
    sample = locked(sample)
    check_creator(sample, by)
    if SampleAppeal.objects.filter(sample_id=sample.pk).exists():
        raise ValidationError(kernel.ONCE)
    if sample.state != State.BREACHED:
        raise ValidationError(msg.APPEAL_NOT_BREACHED)
    now = timezone.now()
    kernel.check_in_window(sample.closed_at, now)
    checked = kernel.check_evidence(files)
    appeal = SampleAppeal(
        sample=sample, reason=reason, filed_by=by, filed_at=now, decide_by=kernel.decision_due(now),
        appealed_at=sample.closed_at, appealed_by=None,  # S7's breach is the sweep's: no reviewer
    )
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:  # the one-to-one: once per breach
        raise ValidationError(kernel.ONCE) from exc
    kernel.store_evidence(appeal, SampleAppealEvidence, checked, by=by)
    _tell_both(sample, lambda: _("Appeal filed against the breach of “%(product)s”: a reviewer decides by %(due)s.") % {
        "product": product_title(sample), "due": msg.local_time(appeal.decide_by)})
    return appeal


def _tell_both(sample: SampleRequest, text) -> None:
    """AP5: the appellant and the merchant whose sample it is."""
    tell(user=sample.creator.user, url=creator_url(sample), text=text)
    tell(user=sample.merchant.user, url=merchant_url(sample), text=text)


def _locked_pair(appeal: SampleAppeal) -> tuple[SampleRequest, SampleAppeal]:
    sample = locked(appeal.sample)
    return sample, SampleAppeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def sample_appeal_withdraw(*, appeal: SampleAppeal, by) -> SampleAppeal:
    """AP2: the appellant withdraws an open appeal (the breach stands; it was their one appeal)."""
    sample, appeal = _locked_pair(appeal)
    if by is None or appeal.filed_by_id != by.pk:
        raise PermissionDenied(kernel.NOT_APPELLANT)
    apply_transition(appeal, "withdraw", by=by, description=platform_text(lambda: _("Withdrawn by the creator.")))
    _tell_both(sample, lambda: _("Appeal withdrawn: the breach of “%(product)s” stands.") % {"product": product_title(sample)})
    return appeal


def _decide(appeal: SampleAppeal, *, by, reason: str) -> tuple[SampleRequest, SampleAppeal, str]:
    reason = kernel.clean_reason(reason, kernel.DECISION_REASON_REQUIRED)
    # The row locks make racing reviewers take turns: the second finds the appeal decided.
    sample, appeal = _locked_pair(appeal)
    kernel.check_decider(appeal, by, PERMISSION)
    if not appeal.is_open:
        raise ValidationError(stale_message(appeal))
    appeal.decision_reason = reason
    return sample, appeal, reason


@transaction.atomic
def sample_appeal_uphold(*, appeal: SampleAppeal, by, reason: str) -> SampleAppeal:
    """AP3: upheld → the request is `excused`; the score and V3's wait read the state, so
    both are lifted at once."""
    sample, appeal, reason = _decide(appeal, by=by, reason=reason)
    if sample.state != State.BREACHED:  # e.g. a staff override counted it fulfilled meanwhile
        raise ValidationError(stale_message(sample))
    apply_transition(appeal, "uphold", by=by, description=reason)
    apply_transition(sample, "excuse", by=by, description=platform_text(lambda: _("Appeal upheld: %(reason)s") % {"reason": reason}))
    _tell_both(sample, lambda: _("Appeal upheld: the breach of “%(product)s” is excused and no longer counts. %(reason)s") % {
        "product": product_title(sample), "reason": reason})
    return appeal


@transaction.atomic
def sample_appeal_dismiss(*, appeal: SampleAppeal, by, reason: str) -> SampleAppeal:
    """AP4: dismissed → the breach stands, and there is no second appeal."""
    sample, appeal, reason = _decide(appeal, by=by, reason=reason)
    apply_transition(appeal, "dismiss", by=by, description=reason)
    _tell_both(sample, lambda: _("Appeal dismissed: the breach of “%(product)s” stands. %(reason)s") % {
        "product": product_title(sample), "reason": reason})
    return appeal



