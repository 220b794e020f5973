"""申诉 against a filing rejection (AP1–AP5): the merchant appeals a `not_approved` filing once
per rejection, within the window, with a reason and evidence; a reviewer other than the one
who rejected it upholds it (the filing is approved, recorded as decided on appeal) or
dismisses it (nothing changes, no second appeal of that rejection).

Lock order: the filing first, then its appeal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import appeals as kernel
from core.fsm import apply_transition, stale_message
from core.notifications import notify, platform_text
from core.roles import seat_of
from filings.models import Filing, FilingAppeal, FilingAppealEvidence
from shops import teams
from shops.models import Merchant

PERMISSION = "filings.decide_filingappeal"
NOT_REJECTED = gettext_lazy("Only a filing that was not approved (审核未通过) can be appealed (AP1).")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def appeal_window_ends(filing: Filing):
    if filing.state != Filing.State.NOT_APPROVED or filing.decided_at is None:
        return None
    return kernel.appeal_window_ends(filing.decided_at)


def current_appeal(filing: Filing) -> FilingAppeal | None:
    """The appeal of the filing's current rejection, if there is one."""
    if filing.decided_at is None:
        return None
    return FilingAppeal.objects.filter(filing_id=filing.pk, appealed_at=filing.decided_at).first()


def can_appeal(filing: Filing, now=None) -> bool:
    until = appeal_window_ends(filing)
    if until is None or (now or timezone.now()) >= until:
        return False
    return current_appeal(filing) is None


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related(
        "product__shop__merchant__user", "creator", "decided_by"
    ).get(pk=filing.pk)


def _tell_both(filing: Filing, appealed_by, text) -> None:
    """AP5: the merchant (appellant) and the reviewer whose decision is appealed."""
    url = reverse("filings:merchant_detail", args=[filing.pk])
    title = platform_text(text)
    notify(kind="filing", user=filing.product.shop.merchant.user, title=title, url=url)
    if appealed_by is not None:
        notify(kind="filing", user=appealed_by, title=title, url=reverse("admin:filings_filingappeal_changelist"))


@transaction.atomic
def filing_appeal_file(*, filing: Filing, merchant: Merchant, by, reason: str, files=()) -> FilingAppeal:
    """AP1: once per rejection, within the window of the rejection."""
    reason = kernel.clean_reason(reason)
    filing = _locked(filing)
    if filing.product.shop.merchant_id != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    teams.check_acts_for(by, merchant, teams.FILINGS, shop_id=filing.product.shop_id)  # T1
    if filing.state != Filing.State.NOT_APPROVED or filing.decided_at is None:
        raise ValidationError(NOT_REJECTED)
    if current_appeal(filing) is not None:
        raise ValidationError(kernel.ONCE)
    now = timezone.now()
    kernel.check_in_window(filing.decided_at, now)
    checked = kernel.check_evidence(files)
    appeal = FilingAppeal(
        filing=filing, reason=reason, filed_by=by, filed_at=now, decide_by=kernel.decision_due(now),
        appealed_at=filing.decided_at, appealed_by=filing.decided_by,
    )
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:  # once per decision
        raise ValidationError(kernel.ONCE) from exc
    kernel.store_evidence(appeal, FilingAppealEvidence, checked, by=by)
    _tell_both(filing, filing.decided_by, lambda: _("Appeal filed against the rejection of the filing “%(product)s”: a reviewer decides by %(due)s.") % {
        "product": filing.product.title, "due": _local(appeal.decide_by)})
    return appeal


def _locked_pair(appeal: FilingAppeal) -> tuple[Filing, FilingAppeal]:
    filing = _locked(appeal.filing)
    return filing, FilingAppeal.objects.select_for_update(of=("self",)).select_related("appealed_by").get(pk=appeal.pk)


@transaction.atomic
def filing_appeal_withdraw(*, appeal: FilingAppeal, by) -> FilingAppeal:
    filing, appeal = _locked_pair(appeal)
    seat = seat_of(by)
    if by is None or seat is None or seat.merchant.pk != filing.product.shop.merchant_id:
        raise PermissionDenied(kernel.NOT_APPELLANT)
    teams.check_can(by, seat.merchant, teams.FILINGS, shop_id=filing.product.shop_id)  # T1
    apply_transition(appeal, "withdraw", by=by, description=platform_text(lambda: _("Withdrawn by the merchant.")))
    _tell_both(filing, appeal.appealed_by, lambda: _("Appeal withdrawn: the filing “%(product)s” stays not approved.") % {"product": filing.product.title})
    return appeal


def _decide(appeal: FilingAppeal, *, by, reason: str) -> tuple[Filing, FilingAppeal, str]:
    reason = kernel.clean_reason(reason, kernel.DECISION_REASON_REQUIRED)
    filing, appeal = _locked_pair(appeal)
    kernel.check_decider(appeal, by, PERMISSION)
    if not appeal.is_open:
        raise ValidationError(stale_message(appeal))
    appeal.decision_reason = reason
    return filing, appeal, reason


@transaction.atomic
def filing_appeal_uphold(*, appeal: FilingAppeal, by, reason: str) -> FilingAppeal:
    """AP3: upheld → 审核通过, recorded as decided on appeal (the transition approve_on_appeal)."""
    filing, appeal, reason = _decide(appeal, by=by, reason=reason)
    if filing.state != Filing.State.NOT_APPROVED or filing.decided_at != appeal.appealed_at:
        raise ValidationError(stale_message(filing))  # resubmitted or decided again meanwhile
    apply_transition(appeal, "uphold", by=by, description=reason)
    apply_transition(filing, "approve_on_appeal", by=by, description=platform_text(lambda: _("Approved on appeal: %(reason)s") % {"reason": reason}))
    _tell_both(filing, appeal.appealed_by, lambda: _("Appeal upheld: the filing “%(product)s” is approved (decided on appeal). %(reason)s") % {
        "product": filing.product.title, "reason": reason})
    return appeal


@transaction.atomic
def filing_appeal_dismiss(*, appeal: FilingAppeal, by, reason: str) -> FilingAppeal:
    """AP4: dismissed → the rejection stands; this rejection cannot be appealed again."""
    filing, appeal, reason = _decide(appeal, by=by, reason=reason)
    apply_transition(appeal, "dismiss", by=by, description=reason)
    _tell_both(filing, appeal.appealed_by, lambda: _("Appeal dismissed: the filing “%(product)s” stays not approved. %(reason)s") % {
        "product": filing.product.title, "reason": reason})
    return appeal
