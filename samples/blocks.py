"""V5 Blocklist (拉黑): a merchant blocks a creator from their samples, with a reason,
until they lift it. Who blocked, when and why is on the row; lifting is a django-fsm
transition (who, when, why in the history, and on the row).

A blocked creator's new requests to that merchant are refused with a message that does not
say why (the reason is the merchant's note). Requests already open go on (decision of
ours): the sample may already be on its way, and cutting a promotion short would breach
the creator for the merchant's choice; the merchant can still decline those awaiting a
decision by hand.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from samples import messages as msg
from samples.models import CreatorBlock
from shops.models import Creator, Merchant


def is_blocked(*, merchant_id: int, creator_id: int) -> bool:
    return CreatorBlock.objects.filter(merchant_id=merchant_id, creator_id=creator_id, status=CreatorBlock.Status.ACTIVE).exists()


@transaction.atomic
def creator_block(*, merchant: Merchant, creator: Creator, reason: str, by) -> CreatorBlock:
    if by is None or merchant.user_id != by.pk:
        raise PermissionDenied(_("Only the merchant can manage their blocklist."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for blocking; it is recorded (the creator does not see it).")})
    if is_blocked(merchant_id=merchant.pk, creator_id=creator.pk):
        raise ValidationError(msg.ALREADY_BLOCKED)
    block = CreatorBlock(merchant=merchant, creator=creator, reason=reason[:300], blocked_by=by, blocked_at=timezone.now())
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError as exc:  # one active block per merchant and creator: a double click
        raise ValidationError(msg.ALREADY_BLOCKED) from exc
    return block


@transaction.atomic
def creator_block_lift(*, block: CreatorBlock, reason: str, by) -> CreatorBlock:
    block = CreatorBlock.objects.select_for_update().select_related("merchant").get(pk=block.pk)
    if by is None or block.merchant.user_id != by.pk:
        raise PermissionDenied(_("Only the merchant can manage their blocklist."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Give the reason for lifting the block; it is recorded.")})
    block.lifted_at = timezone.now()
    block.lifted_by = by
    block.lift_reason = reason[:300]
    return apply_transition(block, "lift", by=by, description=block.lift_reason)
