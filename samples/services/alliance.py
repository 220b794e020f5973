"""D4 in samples (ours): when a product leaves the alliance, its sample requests still
awaiting a decision are closed with that reason; approved, shipped and received ones go on.
`on_alliance_removed` is connected to shops.signals.alliance_removed in SamplesConfig.ready().
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from samples import messages as msg
from samples.models import SampleRequest
from samples.services.common import creator_url, describe, tell
from shops.models import Product

logger = logging.getLogger(__name__)

State = SampleRequest.State


def sample_requests_close_for_alliance_removal(*, product: Product, removal=None, by=None) -> int:
    """D4 (ours): close every request of the product still awaiting a decision, with the
    reason 「商品已下架精选联盟」, and tell each creator. Approved, shipped and received
    requests go on untouched.

    Runs inside the removal's transaction (shops sends `alliance_removed` there), so the
    closing commits or rolls back with the removal; `by` is the person who ran it, None for
    the sweep of scheduled removals. A row that cannot be closed is logged and skipped: it
    never blocks the removal, and the S4 sweep closes it at its 48 h mark at the latest.
    Called twice, the second call finds nothing left to close.
    """
    now = timezone.now()
    reason = describe(lambda: str(msg.CLOSED_ALLIANCE_REMOVED))
    if removal is not None:
        description = describe(lambda: _("%(reason)s (alliance removal #%(id)s)") % {"reason": msg.CLOSED_ALLIANCE_REMOVED, "id": removal.pk})
    else:
        description = reason
    closed = 0
    with transaction.atomic():
        waiting = list(
            SampleRequest.objects.select_for_update(of=("self",))
            .select_related("product", "creator__user", "merchant__user")
            .filter(product_id=product.pk, state=State.REQUESTED)
            .order_by("pk")
        )
        for sample in waiting:
            try:
                with transaction.atomic():
                    sample.closed_at = now
                    sample.close_reason = reason
                    apply_transition(sample, "close_alliance_removed", by=by, description=description)
                    tell(
                        user=sample.creator.user, url=creator_url(sample), dedupe_key=f"samples:{sample.pk}:alliance-removed",
                        text=lambda: _("Your sample request for “%(product)s” was closed: %(reason)s.")
                        % {"product": sample.product.title, "reason": reason},
                    )
                closed += 1
            except Exception:
                logger.exception("samples: request #%s not closed after the alliance removal of product %s", sample.pk, product.pk)
    return closed


def on_alliance_removed(sender, *, product, removal=None, by=None, **kwargs) -> None:
    """Receiver of shops.signals.alliance_removed (D4), connected in SamplesConfig.ready()."""
    sample_requests_close_for_alliance_removal(product=product, removal=removal, by=by)
