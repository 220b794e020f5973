"""Every write of the marketplace core. Keyword-only, atomic, the only callers of transitions."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.fsm import apply_transition, full_clean
from core.notifications import notify, platform_text
from shops import signals, teams
from shops.guards import CarryAttempt, check_carry
from shops.models import (
    AllianceListing,
    Creator,
    LiveCartItem,
    LiveSession,
    Product,
    ProductImage,
    Shop,
    ShortVideo,
    ShowcaseItem,
    VideoCartItem,
)
from shops.sample_switch import sample_switch_refusal

logger = logging.getLogger(__name__)

# F11: why a zero-price lottery product can neither go on sale nor be carried yet (shown to the
# merchant putting it on sale, and by filings' guard to a creator adding it to a cart).
LOTTERY_NEEDS_APPROVAL_MESSAGE = gettext_lazy(
    "A zero-price lottery (0元购) product needs the platform's offline approval before it can go on sale, "
    "which may hold up your live. Consider the platform's lottery tool (好运来) instead."
)

# ---------------------------------------------------------------------------------------
# Products and the alliance


@transaction.atomic
def product_create(*, shop: Shop, by, data: dict[str, Any], detail_images: list | None = None) -> Product:
    teams.check_acts_for(by, shop.merchant, teams.CATALOGUE, shop_id=shop.pk)  # T1
    if shop.status != Shop.Status.OPEN:
        raise ValidationError(_("This shop is closed: products cannot be added to it."))
    product = Product(shop=shop, **data)
    full_clean(product)
    product.save()
    for position, image in enumerate(detail_images or []):
        ProductImage.objects.create(product=product, image=image, position=position)
    signals.product_created.send(sender=Product, product=product, by=by)
    return product


@transaction.atomic
def product_update(*, product: Product, by, data: dict[str, Any], detail_images: list | None = None) -> set[str]:
    """Update a product; returns the fields that changed. Signals F8's watched edits."""
    product = Product.objects.select_for_update().select_related("shop__merchant").get(pk=product.pk)
    teams.check_acts_for(by, product.shop.merchant, teams.CATALOGUE, shop_id=product.shop_id)  # T1
    changed: set[str] = set()
    for field, value in data.items():
        old = getattr(product, field)
        if field == "main_image":
            if not value:
                continue
            changed.add(field)
        elif field == "category":
            if old.pk != value.pk:
                changed.add(field)
        elif old != value:
            changed.add(field)
        setattr(product, field, value)
    if detail_images:
        product.detail_images.all().delete()
        for position, image in enumerate(detail_images):
            ProductImage.objects.create(product=product, image=image, position=position)
        changed.add("detail_images")
    if not changed:
        return changed
    full_clean(product)
    product.save()
    signals.product_edited.send(sender=Product, product=product, changed_fields=changed, by=by)
    return changed


@transaction.atomic
def product_put_on_sale(*, product: Product, by) -> Product:
    product = Product.objects.select_for_update().select_related("shop__merchant").get(pk=product.pk)
    teams.check_acts_for(by, product.shop.merchant, teams.CATALOGUE, shop_id=product.shop_id)  # T1
    if not product.lottery_cleared():
        # F11: a zero-price lottery product waits for the platform's offline approval.
        raise ValidationError(LOTTERY_NEEDS_APPROVAL_MESSAGE, code="f11")
    return apply_transition(product, "put_on_sale", by=by)


def product_lottery_approve(*, product: Product, by) -> Product:
    """F11: a platform reviewer records the offline approval of a 0元购 product (who and when);
    only then can it go on sale (Product.put_on_sale's condition) and so be carried."""
    if by is None or not by.is_staff or not by.has_perm("shops.change_product"):
        raise PermissionDenied(_("Only platform reviewers may approve zero-price lotteries."))
    with transaction.atomic():
        product = Product.objects.select_for_update(of=("self",)).select_related("shop__merchant__user").get(pk=product.pk)
        if not product.is_zero_price_lottery:
            raise ValidationError(_("“%(product)s” is not a zero-price lottery product.") % {"product": product.title}, code="not_lottery")
        if product.lottery_approved_at is not None:
            raise ValidationError(_("“%(product)s” is already approved.") % {"product": product.title}, code="already_approved")
        # lottery_approved_* are plain fields: they are the record of this approval.
        Product.objects.filter(pk=product.pk).update(lottery_approved_at=timezone.now(), lottery_approved_by=by)
        product.refresh_from_db()
        notify(
            kind="product", user=product.shop.merchant.user,
            title=platform_text(lambda: _("0元购 approved offline: %(product)s") % {"product": product.title}),
            body=platform_text(lambda: _("You can now put it on sale.")),
            url=reverse("merchant:product_detail", args=[product.pk]),
        )
    return product


@transaction.atomic
def product_take_off_sale(*, product: Product, by, reason: str = "") -> Product:
    product = Product.objects.select_for_update().select_related("shop__merchant").get(pk=product.pk)
    teams.check_acts_for(by, product.shop.merchant, teams.CATALOGUE, shop_id=product.shop_id)  # T1
    return apply_transition(product, "take_off_sale", by=by, description=reason)


@transaction.atomic
def alliance_list(*, product: Product, by, commission_rate: Decimal, sample_support: bool = True) -> AllianceListing:
    """List a product in the alliance (精选联盟), or list it again after it was taken out."""
    product = Product.objects.select_for_update().select_related("shop__merchant").get(pk=product.pk)
    teams.check_acts_for(by, product.shop.merchant, teams.CATALOGUE, shop_id=product.shop_id)  # T1
    if sample_support:
        refusal = sample_switch_refusal(product)  # S2: a cross-border or virtual product
        if refusal:
            raise ValidationError({"sample_support": refusal})
    listing = AllianceListing.objects.filter(product=product).first()
    if listing is None:
        listing = AllianceListing(product=product, commission_rate=commission_rate, sample_support=sample_support)
        full_clean(listing)
        listing.save()
        return listing
    listing.commission_rate = commission_rate
    listing.sample_support = sample_support
    full_clean(listing)
    if listing.status == AllianceListing.Status.OUT:
        apply_transition(listing, "relist", by=by)
    else:
        listing.save()
    return listing


@transaction.atomic
def alliance_set_sample_support(*, listing: AllianceListing, by, enabled: bool) -> AllianceListing:
    """S2: the merchant turns sample support on or off for a listed product; who and when is
    recorded on the listing (shown on the merchant's product page). Switching on is refused
    where the product can never offer samples (cross-border, virtual: the samples domain says)."""
    shop = Shop.objects.select_related("merchant").get(products__alliance_listing=listing)
    teams.check_acts_for(by, shop.merchant, teams.CATALOGUE, shop_id=shop.pk)  # T1
    if enabled:
        refusal = sample_switch_refusal(Product.objects.select_related("shop").get(pk=listing.product_id))
        if refusal:
            raise ValidationError(refusal)
    AllianceListing.objects.filter(pk=listing.pk).update(
        sample_support=enabled, sample_support_changed_by=by, sample_support_changed_at=timezone.now()
    )
    listing.refresh_from_db()
    return listing


# ---------------------------------------------------------------------------------------
# Creators


@transaction.atomic
def creator_set_specific(*, creator: Creator, by, is_specific: bool) -> Creator:
    """The platform marks a creator as specific (特定达人), or no longer; F4 follows (filings)."""
    if by is None or not by.is_staff or not by.has_perm("shops.change_creator"):
        raise PermissionDenied(_("Only platform reviewers may mark creators as specific creators (特定达人)."))
    was = Creator.objects.select_for_update().values_list("is_specific", flat=True).get(pk=creator.pk)
    Creator.objects.filter(pk=creator.pk).update(is_specific=is_specific)
    creator.refresh_from_db()
    if is_specific and not was:
        signals.creator_became_specific.send(sender=Creator, creator=creator, by=by)
    return creator


# ---------------------------------------------------------------------------------------
# Live sessions and their carts


@transaction.atomic
def live_session_schedule(*, creator: Creator, title: str, scheduled_start, pk_partner: LiveSession | None = None) -> LiveSession:
    if scheduled_start <= timezone.now():
        raise ValidationError(_("Choose a start time in the future."))
    if pk_partner is not None and pk_partner.creator_id == creator.pk:
        raise ValidationError(_("A PK partner must be another creator's session."))
    session = LiveSession(creator=creator, title=title, scheduled_start=scheduled_start, pk_partner=pk_partner)
    full_clean(session)
    session.save()
    return session


@transaction.atomic
def live_session_go_live(*, session: LiveSession, by) -> LiveSession:
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    return apply_transition(session, "go_live", by=by)


@transaction.atomic
def live_session_end(*, session: LiveSession, by) -> LiveSession:
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    apply_transition(session, "end", by=by)
    # Flash sales end with their session (FS3/FS6); a listener's writes share this transaction.
    signals.live_session_ended.send(sender=LiveSession, session=session, by=by)
    return session


@transaction.atomic
def cart_add(*, session: LiveSession, product: Product, by) -> LiveCartItem:
    # The session row lock serialises concurrent adds to one cart (C3 counts them).
    session = LiveSession.objects.select_for_update().select_related("creator").get(pk=session.pk)
    if session.status == LiveSession.Status.ENDED:
        raise ValidationError(_("This live session has ended: its cart can no longer change."))
    if session.cart_items.filter(product=product, removed_at__isnull=True).exists():
        raise ValidationError(_("This product is already in the cart."))
    check_carry(CarryAttempt(creator=session.creator, product=product, place="live", session=session))
    item = LiveCartItem.objects.create(session=session, product=product, added_by=by)
    signals.product_taken_up.send(sender=LiveSession, creator=session.creator, product=product, via="live", by=by)
    return item


@transaction.atomic
def cart_remove(*, item: LiveCartItem, by) -> LiveCartItem:
    item = LiveCartItem.objects.select_for_update().get(pk=item.pk)
    if item.removed_at is None:
        item.removed_at = timezone.now()
        item.save(update_fields=["removed_at"])
    return item


@transaction.atomic
def cart_mark_explained(*, item: LiveCartItem, by) -> LiveCartItem:
    """讲解: the creator explains the product in the live session."""
    item = LiveCartItem.objects.select_for_update().select_related("session").get(pk=item.pk)
    if item.session.status != LiveSession.Status.LIVE or item.removed_at is not None:
        raise ValidationError(_("A product can only be explained while it is in the cart of a live session."))
    if item.explained_at is None:
        item.explained_at = timezone.now()
        item.save(update_fields=["explained_at"])
    return item


# ---------------------------------------------------------------------------------------
# Showcase and short videos


@transaction.atomic
def showcase_add(*, creator: Creator, product: Product, by) -> ShowcaseItem:
    Creator.objects.select_for_update().get(pk=creator.pk)
    if ShowcaseItem.objects.filter(creator=creator, product=product, removed_at__isnull=True).exists():
        raise ValidationError(_("This product is already in your showcase."))
    check_carry(CarryAttempt(creator=creator, product=product, place="showcase"))
    item = ShowcaseItem.objects.create(creator=creator, product=product)
    signals.product_taken_up.send(sender=ShowcaseItem, creator=creator, product=product, via="showcase", by=by)
    return item


@transaction.atomic
def showcase_remove(*, item: ShowcaseItem, by) -> ShowcaseItem:
    ShowcaseItem.objects.filter(pk=item.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    item.refresh_from_db()
    return item


@transaction.atomic
def video_publish(*, creator: Creator, title: str, url: str = "", products: list[Product] | None = None, by=None) -> ShortVideo:
    video = ShortVideo(creator=creator, title=title, url=url)
    full_clean(video)
    video.save()
    for product in products or []:
        video_cart_add(video=video, product=product, by=by)
    return video


@transaction.atomic
def video_cart_add(*, video: ShortVideo, product: Product, by) -> VideoCartItem:
    video = ShortVideo.objects.select_for_update().select_related("creator").get(pk=video.pk)
    if video.taken_down_at is not None:
        raise ValidationError(_("This video has been taken down."))
    if video.cart_items.filter(product=product, removed_at__isnull=True).exists():
        raise ValidationError(_("This product is already in the video's cart."))
    check_carry(CarryAttempt(creator=video.creator, product=product, place="video", video=video))
    item = VideoCartItem.objects.create(video=video, product=product)
    signals.product_taken_up.send(sender=ShortVideo, creator=video.creator, product=product, via="video", by=by)
    return item


@transaction.atomic
def video_cart_remove(*, item: VideoCartItem, by) -> VideoCartItem:
    VideoCartItem.objects.filter(pk=item.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    item.refresh_from_db()
    return item


@transaction.atomic
def video_take_down(*, video: ShortVideo, by) -> ShortVideo:
    ShortVideo.objects.filter(pk=video.pk, taken_down_at__isnull=True).update(taken_down_at=timezone.now())
    video.refresh_from_db()
    return video
