"""V7 Extension: a creator asks once, with a reason, for 7 more days to start promoting a
received sample; the merchant may refuse within 48 h, and silence grants it (the grant
sweep, samples.services.sweeps). The sample row is locked before the extension row, by
people and the sweep alike: one lock order.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition, full_clean
from core.rules import rules
from samples import messages as msg
from samples.models import ExtensionRequest, SampleRequest
from samples.services.common import check_creator, check_merchant, creator_url, describe, expect, locked, merchant_url, product_title, tell

State = SampleRequest.State
Ext = ExtensionRequest.State


@transaction.atomic
def sample_extension_request(*, sample: SampleRequest, by, reason: str) -> ExtensionRequest:
    """V7: once per sample, with a reason, while the 360 h clock still runs."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(msg.EXTENSION_REASON_REQUIRED)
    sample = locked(sample)
    check_creator(sample, by)
    if ExtensionRequest.objects.filter(sample_id=sample.pk).exists():
        raise ValidationError(msg.EXTENSION_ONCE)
    if sample.state != State.RECEIVED:
        raise ValidationError(msg.EXTENSION_NOT_RECEIVED)
    now = timezone.now()
    if now >= sample.fulfil_by:
        raise ValidationError(msg.EXTENSION_TOO_LATE)
    extension = ExtensionRequest(
        sample=sample, reason=reason[:300], extra=rules.duration("sample_extension"), requested_at=now,
        refuse_by=now + rules.duration("sample_extension_refuse"),  # V7: the merchant's 48 h
        fulfil_by_before=sample.fulfil_by,
    )
    full_clean(extension)
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:  # the one-to-one: asked once
        raise ValidationError(msg.EXTENSION_ONCE) from exc
    tell(
        user=sample.merchant.user, url=merchant_url(sample),
        text=lambda: _("%(creator)s asks for %(days)s more days to promote the sample of “%(product)s”: %(reason)s. "
                       "Refuse by %(deadline)s or it is granted.")
        % {"creator": sample.creator.display_name, "days": extension.extra.days, "product": sample.product.title,
           "reason": extension.reason, "deadline": msg.local_time(extension.refuse_by)},
    )
    return extension


def locked_extension(sample: SampleRequest) -> ExtensionRequest:
    return ExtensionRequest.objects.select_for_update().get(sample_id=sample.pk)


def grant(sample: SampleRequest, extension: ExtensionRequest, *, by, description: str, at: datetime) -> ExtensionRequest:
    """Move the 360 h deadline by the extension (V7), or lapse it when the request has closed."""
    extension.decided_at = at
    if sample.state != State.RECEIVED:
        apply_transition(extension, "lapse", by=by, description=description)
        return extension
    sample.fulfil_by = extension.fulfil_by_before + extension.extra
    sample.save(update_fields=["fulfil_by"])
    extension.fulfil_by_after = sample.fulfil_by
    apply_transition(extension, "grant", by=by, description=description)
    tell(user=sample.creator.user, url=creator_url(sample), text=lambda: granted_text(sample))
    return extension


def granted_text(sample: SampleRequest) -> str:
    return _("Your extension for “%(product)s” is granted: start promoting it by %(deadline)s.") % {
        "product": product_title(sample), "deadline": msg.local_time(sample.fulfil_by)}


@transaction.atomic
def sample_extension_refuse(*, sample: SampleRequest, by, reason: str = "") -> ExtensionRequest:
    """V7: the merchant refuses before refuse_by; the original deadline stands."""
    sample = locked(sample)
    check_merchant(sample, by)
    extension = locked_extension(sample)
    expect(extension, Ext.REQUESTED)
    now = timezone.now()
    if now >= extension.refuse_by:
        raise ValidationError(msg.EXTENSION_REFUSE_TOO_LATE)
    extension.decided_at = now
    extension.refuse_reason = reason.strip()[:300]
    apply_transition(
        extension, "refuse", by=by,
        description=extension.refuse_reason or describe(lambda: _("Refused by the merchant.")),
    )
    tell(
        user=sample.creator.user, url=creator_url(sample),
        text=lambda: _("The merchant refused more time for “%(product)s”%(reason)s. Start promoting it by %(deadline)s.")
        % {"product": sample.product.title, "deadline": msg.local_time(sample.fulfil_by),
           "reason": f": {extension.refuse_reason}" if extension.refuse_reason else ""},
    )
    return extension


@transaction.atomic
def sample_extension_grant(*, sample: SampleRequest, by) -> ExtensionRequest:
    """V7 (ours): the merchant may agree before the 48 h run out instead of staying silent."""
    sample = locked(sample)
    check_merchant(sample, by)
    extension = locked_extension(sample)
    expect(extension, Ext.REQUESTED)
    return grant(sample, extension, by=by, at=timezone.now(), description=describe(lambda: _("Granted by the merchant.")))
