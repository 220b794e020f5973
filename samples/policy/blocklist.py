"""V5 Blocklist (拉黑): a merchant blocks a creator from their samples, with a reason,
until they lift it. Who blocked, when and why is on the row; lifting is a django-fsm
transition (who, when, why in the history, and on the row).

A blocked creator's new requests to that merchant are refused with a message that does not
say why (the reason is the merchant's note). Requests already open go on (decision of
ours): the sample may already be on its way, and cutting a promotion short would breach
the creator for the merchant's choice; the merchant can still decline those awaiting a
decision by hand. The merchant blocks and lifts through samples.services.policy.
"""

from __future__ import annotations

from samples.models import CreatorBlock


def is_blocked(*, merchant_id: int, creator_id: int) -> bool:
    return CreatorBlock.objects.filter(merchant_id=merchant_id, creator_id=creator_id, status=CreatorBlock.Status.ACTIVE).exists()
