"""A demo that stays alive, the filings' part (`make run` only: DAIHUO_DEMO=true; beat runs
`demo_activity` with the samples' one, config/celery.py).

Two README walk-throughs use up their filings: the reviewer's queue (*审核中的报备*; Filings →
Reviewer) empties as the reviewer decides, and `m_snacks`'s 待报备 (Filings → Merchant: 「川味零食大礼包
(pending, PK) → submit」) empties as the merchant submits. Each run tops up only what is
missing, as merchants do it, through the services: a merchant edits a product whose filing
was approved (F8 puts it back to pending, reason 商品编辑: the product's new batch, 批次) and,
for the reviewer's queue, submits it again with the documents already on file. No new rows
but the history's: the same filings go round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from filings import services
from filings.models import Filing
from shops import services as shop_services

logger = logging.getLogger(__name__)
F = Filing.State
MERCHANT = "m_snacks"  # the README's merchant walk-through


@dataclass(frozen=True)
class Need:
    walkthrough: str
    what: str
    count: Callable[[], int]
    top_up: Callable[[], Filing | None]


def _new_batch(filing: Filing) -> None:
    """F8: the merchant records the product's new batch (批次, a watched field: attributes)."""
    product = filing.product
    attributes = dict(product.attributes or {})
    attributes["批次"] = timezone.localtime().strftime("%Y%m%d-%H%M")
    shop_services.product_update(product=product, by=product.shop.merchant.user, data={"attributes": attributes})


def _submit(filing: Filing) -> Filing:
    """Submitted again with the documents on file; any the category asks for that are not on
    file are uploaded as the seed uploads them."""
    from filings.demo import _uploads

    filing = Filing.objects.select_related("product__shop__merchant__user").get(pk=filing.pk)
    merchant = filing.product.shop.merchant
    on_file = set(filing.documents.values_list("doc_type_id", flat=True))
    uploads = {pk: file for pk, file in _uploads(filing).items() if pk not in on_file}
    return services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads=uploads).filing


def _approved(**filters):
    return Filing.objects.filter(state=F.APPROVED, **filters).select_related("product__shop__merchant__user").order_by("updated_at", "pk")


def _one_under_review() -> Filing | None:
    """Another merchant's approved filing goes back to the queue (m_snacks's own are its walk-through's)."""
    for filing in _approved().exclude(product__shop__merchant__user__username=MERCHANT):
        try:
            with transaction.atomic():
                _new_batch(filing)
                return _submit(filing)
        except (ValidationError, PermissionDenied) as exc:
            logger.info("demo activity: filing %s not submitted again: %s", filing.pk, exc)
    return None


def _one_to_submit() -> Filing | None:
    """m_snacks's product with an approved (else under review) filing gets a new batch: 待报备 again."""
    candidates = Filing.objects.filter(product__shop__merchant__user__username=MERCHANT, state__in=[F.APPROVED, F.UNDER_REVIEW])
    for filing in candidates.select_related("product__shop__merchant__user").order_by("state", "updated_at", "pk"):
        try:
            with transaction.atomic():
                _new_batch(filing)
                return Filing.objects.get(pk=filing.pk)
        except (ValidationError, PermissionDenied) as exc:
            logger.info("demo activity: filing %s not reopened: %s", filing.pk, exc)
    return None


NEEDS = [
    Need("The marketplace core / Filings: Reviewer (reviewer)", "审核中的报备: a filing to approve or not approve",
         lambda: Filing.objects.filter(state=F.UNDER_REVIEW).count(), _one_under_review),
    Need("Filings: Merchant (m_snacks)", "待报备: a filing to submit",
         lambda: Filing.objects.filter(state=F.PENDING, product__shop__merchant__user__username=MERCHANT).count(), _one_to_submit),
]


def demo_activity() -> list[Filing]:
    """One run: each need with nothing left gets one filing; the filings moved."""
    moved = []
    for need in NEEDS:
        if need.count() < 1:
            filing = need.top_up()
            if filing is None:
                logger.info("demo activity: nothing could be added for %s (%s)", need.walkthrough, need.what)
            else:
                moved.append(filing)
    return moved
