"""Who may ask for which sample, now (S1, S2, and V1, V2, V3, V5 for one creator and one
product). Each check returns the reason a person is told, or None; the marketplace pages
show it and samples.services.requests refuses with it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from core.rules import rules
from samples import messages as msg
from samples.models import SampleRequest
from samples.policy import quota
from samples.policy import score as scoring
from samples.policy.blocklist import is_blocked
from shops.models import AllianceListing, Creator, Product, Shop

State = SampleRequest.State

# V3: the outcomes after which the same creator waits before asking for the product again.
RETRY_AFTER_STATES = (State.REJECTED, State.EXPIRED, State.BREACHED)


def creator_refusal(creator: Creator) -> str | None:
    """S1: the reason a creator may not request samples, or None."""
    if not creator.product_sharing_enabled:
        return str(msg.CREATOR_NO_SHARING)
    if creator.is_risky:
        # S1 (ours): a risk mark blocks new requests; open ones go on.
        return str(msg.CREATOR_RISKY)
    return None


def sample_policy() -> dict[str, bool]:
    """S2: the platform's current 暂不支持 settings, read once per page or request."""
    return {
        "cross_border": rules.flag("samples_cross_border"),
        "virtual": rules.flag("samples_virtual"),
    }


def product_refusal(product: Product, *, policy: dict[str, bool] | None = None) -> str | None:
    """S2: the reason a product has no free samples, or None when it shows 「免费申样」.

    Expects product.shop.merchant and product.alliance_listing to be loaded (selectors do).
    """
    policy = policy if policy is not None else sample_policy()
    listing: AllianceListing | None = getattr(product, "alliance_listing", None)
    if listing is None or listing.status != AllianceListing.Status.LISTED:
        return str(msg.PRODUCT_NOT_LISTED)
    if not listing.sample_support:
        return str(msg.PRODUCT_NO_SAMPLE_SUPPORT)
    if not product.shop.merchant.meets_alliance_standard:
        return str(msg.MERCHANT_BELOW_STANDARD)
    if product.sale_status != Product.SaleStatus.ON_SALE or product.shop.status != Shop.Status.OPEN:
        return str(msg.PRODUCT_NOT_ON_SALE)
    if product.shop.is_cross_border and not policy["cross_border"]:
        return str(msg.PRODUCT_CROSS_BORDER)
    if product.is_virtual and not policy["virtual"]:
        return str(msg.PRODUCT_VIRTUAL)
    return None


def product_kind_refusal(product: Product) -> str | None:
    """S2: what the product is (cross-border, virtual) keeps samples off whatever the merchant
    switches; registered with shops.sample_switch, so the switch refuses it where it is set."""
    policy = sample_policy()
    if product.shop.is_cross_border and not policy["cross_border"]:
        return str(msg.PRODUCT_CROSS_BORDER)
    if product.is_virtual and not policy["virtual"]:
        return str(msg.PRODUCT_VIRTUAL)
    return None


def request_refusal(
    *, creator: Creator, product: Product, now: datetime | None = None, score: scoring.Score | None = None,
) -> str | None:
    """V5, V1, V3, V2: the reason this creator may not ask for this product now, or None.

    Expects product.shop to be loaded. Used by sample_request_create (which holds the
    creator's row lock) and by the marketplace detail page."""
    now = now or timezone.now()
    if is_blocked(merchant_id=product.shop.merchant_id, creator_id=creator.pk):  # V5
        return str(msg.BLOCKED)
    score = score or scoring.creator_score(creator, now=now)
    if score.blocked:  # V1: at or below sample_score_floor
        until = score.blocked_until
        if until is None:
            return str(msg.SCORE_TOO_LOW_NO_DATE % {"score": score.value, "floor": score.floor})
        return str(msg.SCORE_TOO_LOW % {
            "score": score.value, "floor": score.floor, "until": msg.local_time(until), "days": score.params.window.days,
        })
    last = (
        SampleRequest.objects.filter(creator=creator, product_id=product.pk, state__in=RETRY_AFTER_STATES, closed_at__isnull=False)
        .order_by("-closed_at").first()
    )
    if last is not None:  # V3: sample_retry_wait after a rejection, expiry or breach
        again = last.closed_at + rules.duration("sample_retry_wait")
        if now < again:
            return str(msg.RETRY_WAIT % {"outcome": last.get_state_display(), "when": msg.local_time(again)})
    status = quota.status_for_product(product, now=now)
    if status is not None and status.exhausted:  # V2
        return quota.refusal_text(status)
    return None
