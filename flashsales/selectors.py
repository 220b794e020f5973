"""Every read of the flash-sale domain, scoped to the person asking (someone else's → 404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from flashsales.models import FlashSale, FlashSaleOrder, LiveComment, ProblemReport, ShippingTemplate, Viewer, ViewerMessage
from shops.models import AllianceListing, Category, Creator, LiveSession, Merchant, Product, Shop
from shops.teams import in_scope

_LIST_RELATED = ("product", "product__category", "product__shop", "session", "session__creator", "target_viewer", "shipping_template")


def flash_sales_for_creator(*, creator: Creator) -> QuerySet[FlashSale]:
    """FS7: the creator sees their own flash sales."""
    return FlashSale.objects.filter(session__creator=creator).select_related(*_LIST_RELATED)


def flash_sales_for_merchant(*, merchant: Merchant) -> QuerySet[FlashSale]:
    """FS7: the merchant sees the flash sales of their goods."""
    return in_scope(FlashSale.objects.all(), merchant, "product__shop").select_related(*_LIST_RELATED)


def get_flash_sale_for_creator_or_404(*, creator: Creator, pk: int) -> FlashSale:
    return get_object_or_404(flash_sales_for_creator(creator=creator), pk=pk)


def get_live_session_for_creator_or_404(*, creator: Creator, pk: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.filter(creator=creator).select_related("creator"), pk=pk)


def flash_sales_of_session(*, session: LiveSession) -> QuerySet[FlashSale]:
    """The creator's console: every flash sale of the session, with live sold counts."""
    return session.flash_sales.select_related("product", "target_viewer", "shipping_template").order_by("-created_at", "-id")


def flash_sale_products_for_creator(*, creator: Creator) -> QuerySet[Product]:
    """What a creator can open a flash sale under: non-standard goods (FS1) they may carry
    (their bound shop's or listed in the alliance), on sale in an open shop."""
    own = Q(shop_id=creator.bound_shop_id) if creator.bound_shop_id else Q(pk__in=[])
    alliance = Q(alliance_listing__status=AllianceListing.Status.LISTED)
    return (
        Product.objects.filter(
            own | alliance, category__is_non_standard=True, sale_status=Product.SaleStatus.ON_SALE, shop__status=Shop.Status.OPEN
        )
        .select_related("shop", "shop__merchant", "category")
        .annotate(
            full_count=Count("flash_sales", filter=Q(flash_sales__mode=FlashSale.Mode.FULL)),
            targeted_count=Count("flash_sales", filter=Q(flash_sales__mode=FlashSale.Mode.TARGETED)),
        )
        .order_by("title", "id")
    )


def comments_of_session(*, session: LiveSession) -> QuerySet[LiveComment]:
    return session.flash_comments.select_related("viewer").order_by("-created_at", "-id")


def commenters_of_session(*, session: LiveSession) -> QuerySet[Viewer]:
    """FS3: the viewers a targeted flash sale may go to."""
    return Viewer.objects.filter(comments__session=session).distinct().order_by("nickname", "id")


def templates_for_creator(*, creator: Creator) -> QuerySet[ShippingTemplate]:
    return ShippingTemplate.objects.filter(creator=creator)


def get_viewer_by_token(*, token: str | None) -> Viewer | None:
    if not token or len(token) > 40 or "\x00" in token:  # no token is that long or holds a NUL
        return None
    return Viewer.objects.filter(token=token).first()


def get_live_room_or_404(*, pk: int) -> LiveSession:
    """A buyer's live room: any session that is live or has been (a scheduled one is not public yet)."""
    return get_object_or_404(
        LiveSession.objects.exclude(status=LiveSession.Status.SCHEDULED).select_related("creator"), pk=pk
    )


def panel_for_viewer(*, session: LiveSession, viewer: Viewer | None) -> QuerySet[FlashSale]:
    """The live room's flash-sale bag (FS3, FS6): open full flash sales for everyone, plus
    this viewer's own targeted ones; sold out and ended ones are hidden."""
    if session.status != LiveSession.Status.LIVE:
        return FlashSale.objects.none()
    visible = Q(mode=FlashSale.Mode.FULL)
    if viewer is not None:
        visible |= Q(mode=FlashSale.Mode.TARGETED, target_viewer=viewer)
    return (
        session.flash_sales.filter(visible, status=FlashSale.Status.OPEN)
        .select_related("shipping_template", "target_viewer")
        .order_by("-created_at", "-id")
    )


def get_panel_flash_sale_or_404(*, session: LiveSession, viewer: Viewer | None, pk: int) -> FlashSale:
    """A flash sale the viewer may see; a targeted one of another viewer is a 404."""
    visible = Q(mode=FlashSale.Mode.FULL)
    if viewer is not None:
        visible |= Q(mode=FlashSale.Mode.TARGETED, target_viewer=viewer)
    return get_object_or_404(session.flash_sales.filter(visible), pk=pk)


def orders_of_viewer(*, session: LiveSession, viewer: Viewer | None):
    if viewer is None:
        return []
    return viewer.orders.filter(flash_sale__session=session).select_related("flash_sale").order_by("-created_at", "-id")


def non_standard_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_non_standard=True)


def reports_for_user(*, user, desk: str) -> QuerySet[ProblemReport]:
    return ProblemReport.objects.filter(reporter=user, desk=desk).select_related("shop", "creator", "flash_sale")


def get_report_for_user_or_404(*, user, pk: int) -> ProblemReport:
    qs = ProblemReport.objects.all()
    if not user.is_staff:
        qs = qs.filter(reporter=user)
    return get_object_or_404(qs, pk=pk)


def get_creator_by_platform_id(*, platform_id: str) -> Creator | None:
    return Creator.objects.filter(platform_id=platform_id.strip()).first()


def get_shop(*, pk) -> Shop | None:
    try:
        return Shop.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def get_flash_sale_picture_or_404(*, pk: int, user=None, viewer_token: str | None = None) -> FlashSale:
    """A full flash sale's picture is public (the live room shows it). A targeted one is
    shown only to its target viewer (by the token of their link), the creator who made it
    and platform staff: anyone else gets a 404, as if it did not exist."""
    sale = get_object_or_404(
        FlashSale.objects.only("picture", "mode", "target_viewer_id", "session__creator__user_id").select_related("session__creator"),
        pk=pk,
    )
    if not sale.picture:
        raise Http404
    if sale.mode == FlashSale.Mode.TARGETED:
        is_target = bool(viewer_token) and Viewer.objects.filter(pk=sale.target_viewer_id, token=viewer_token).exists()
        is_creator = user is not None and user.is_authenticated and user.pk == sale.session.creator.user_id
        is_staff = user is not None and user.is_authenticated and user.is_staff
        if not (is_target or is_creator or is_staff):
            raise Http404
    return sale


def viewers_who_bought_product(*, product: Product) -> QuerySet[Viewer]:
    """D3: the buyers of a product known here — viewers who bought it in any flash sale.
    ("Follow" has no notion in flash sales, so only buyers.)"""
    return Viewer.objects.filter(pk__in=FlashSaleOrder.objects.filter(flash_sale__product=product).values("viewer_id")).order_by("id")


def messages_of_viewer(*, viewer: Viewer | None) -> QuerySet[ViewerMessage]:
    """A viewer's inbox (their own messages only), newest first."""
    if viewer is None:
        return ViewerMessage.objects.none()
    return ViewerMessage.objects.filter(viewer=viewer).order_by("-created_at", "-id")
