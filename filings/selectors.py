"""Every read of the filings workspaces, scoped to the person asking."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_fsm_log.models import StateLog

from core.roles import seat_of
from filings.models import Filing, FilingReason, QualificationDocument
from shops import teams
from shops.models import Creator, LiveSession, Merchant, Product, Shop, ShowcaseItem
from shops.teams import in_scope


def _filings() -> QuerySet[Filing]:
    return Filing.objects.select_related(
        "product", "product__shop", "product__category", "creator", "session", "session__creator"
    ).prefetch_related(Prefetch("reason_rows", queryset=FilingReason.objects.order_by("added_at", "id")))


def filings_for_merchant(*, merchant: Merchant) -> QuerySet[Filing]:
    """商品资质管理: the merchant's tasks, the ones waiting for them first."""
    return in_scope(_filings(), merchant, "product__shop").order_by("state", "-updated_at", "-id")


def get_filing_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Filing:
    return get_object_or_404(in_scope(_filings(), merchant, "product__shop"), pk=pk)


def documents_for_filing(*, filing: Filing) -> QuerySet[QualificationDocument]:
    return filing.documents.select_related("doc_type")


def history_for_filing(*, filing: Filing) -> QuerySet[StateLog]:
    """Who, when, from, to and why: every transition of the filing (django-fsm-log)."""
    return StateLog.objects.for_(filing).select_related("by", "by__merchant", "by__membership").order_by("-timestamp", "-id")  # T2


def get_document_for_user_or_404(*, user, pk: int) -> QualificationDocument:
    """A document is served only to the owning merchant and to platform reviewers."""
    qs = QualificationDocument.objects.select_related("filing__product__shop")
    if user.is_staff and user.has_perm("filings.view_filing"):
        return get_object_or_404(qs, pk=pk)
    seat = seat_of(user)  # the owner or a member of its team who reads filings (T1)
    if seat is None or not seat.allows(teams.VIEW):
        raise Http404
    return get_object_or_404(in_scope(qs, seat.merchant, "filing__product__shop"), pk=pk)


def filings_by_product_for_merchant(*, merchant: Merchant, product_ids: list[int]) -> dict[int, list[Filing]]:
    """F2: the product list shows each product's filings (one query for a page)."""
    result: dict[int, list[Filing]] = {}
    qs = in_scope(Filing.objects.filter(product_id__in=product_ids), merchant, "product__shop").select_related("creator").order_by("id")
    for filing in qs:
        result.setdefault(filing.product_id, []).append(filing)
    return result


def pk_sessions_for_declaration() -> QuerySet[LiveSession]:
    """Live sessions not ended that are a PK (either direction), for the declaration form."""
    partnered = LiveSession.objects.filter(pk_partner=OuterRef("pk"))
    return (
        LiveSession.objects.exclude(status=LiveSession.Status.ENDED)
        .filter(Q(pk_partner__isnull=False) | Exists(partnered))
        .select_related("creator", "pk_partner__creator")
        .order_by("scheduled_start", "id")
    )


def products_for_declaration(*, merchant: Merchant) -> QuerySet[Product]:
    return in_scope(Product.objects.filter(shop__status=Shop.Status.OPEN), merchant).select_related("shop").order_by("title", "id")


def specific_partners_for_creator(*, creator: Creator) -> list[Creator]:
    """Specific creators this creator PKs with in sessions not yet ended (F1b, F10)."""
    mine = list(LiveSession.objects.filter(creator=creator).exclude(status=LiveSession.Status.ENDED).values_list("id", "pk_partner_id"))
    ids = [sid for sid, _ in mine]
    partner_ids = [pid for _, pid in mine if pid]
    others = LiveSession.objects.filter(Q(pk_partner_id__in=ids) | Q(id__in=partner_ids)).exclude(status=LiveSession.Status.ENDED)
    return list(Creator.objects.filter(is_specific=True, live_sessions__in=others).exclude(pk=creator.pk).distinct())


def on_sale_list_for_creator(*, creator: Creator) -> QuerySet[Product]:
    """The creator's on-sale list (在售): their showcase, plus their own shop's products on sale."""
    in_showcase = ShowcaseItem.objects.filter(creator=creator, product=OuterRef("pk"), removed_at__isnull=True)
    own = Q(shop_id=creator.bound_shop_id, sale_status=Product.SaleStatus.ON_SALE) if creator.bound_shop_id else Q(pk__in=[])
    return (
        Product.objects.filter(own | Q(Exists(in_showcase)))
        .select_related("shop", "category")
        .order_by("title", "id")
    )


def filings_for_products_with(*, product_ids: list[int], creators: list[Creator]) -> dict[int, list[Filing]]:
    result: dict[int, list[Filing]] = {}
    qs = Filing.objects.filter(product_id__in=product_ids, creator__in=creators).select_related("creator").order_by("id")
    for filing in qs:
        result.setdefault(filing.product_id, []).append(filing)
    return result

