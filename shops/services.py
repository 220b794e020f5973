"""Every write of the marketplace core. Keyword-only, atomic, the only callers of transitions."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shops import signals
from shops.fsm import apply_transition, full_clean
from shops.guards import CarryAttempt, check_carry
from shops.models import (
    AllianceListing,
    Creator,
    LiveCartItem,
    LiveSession,
    Merchant,
    Notification,
    Product,
    ProductImage,
    RuleChange,
    RuleSetting,
    Shop,
    ShortVideo,
    ShowcaseItem,
    VideoCartItem,
)
from shops.rules import RULES, validate_rule_value

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# Notifications


def notify(*, user, title: str, body: str = "", url: str = "", dedupe_key: str | None = None) -> Notification | None:
    """Post an in-app notification and e-mail the same text after commit.

    With a dedupe_key the message is sent once, however many sweeps try (V6): the
    unique key makes the second insert a no-op.
    """
    if user is None:
        return None
    if dedupe_key is not None:
        note, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"user": user, "title": title, "body": body, "url": url}
        )
        if not created:
            return None
    else:
        note = Notification.objects.create(user=user, title=title, body=body, url=url)
    transaction.on_commit(partial(queue_notification_email, note.id))
    return note


# After a failed hand-off this process stops trying for a while: each attempt against a
# broker that is down waits for the connection timeout, and a burst of notifications
# (a sweep, seed_demo) would otherwise wait once per message.
BROKER_RETRY_AFTER = timedelta(seconds=60)
_broker_down_since: datetime | None = None


def queue_notification_email(notification_id: int) -> None:
    """Hand the e-mail to the worker. The in-app message is already committed, so a
    broker that is down must not fail the person's request: the e-mail stays pending
    and the `pending-notification-emails` beat entry sends it later."""
    global _broker_down_since
    from shops.tasks import send_notification_email

    now = timezone.now()
    if _broker_down_since is not None and now - _broker_down_since < BROKER_RETRY_AFTER:
        return  # left pending for the beat entry
    try:
        send_notification_email.delay(notification_id)
    except Exception:  # kombu raises its own OperationalError subclasses
        _broker_down_since = now
        logger.warning("broker unavailable; notification %s e-mail left pending", notification_id, exc_info=True)
    else:
        _broker_down_since = None


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(id__in=notification_ids)
    return qs.update(read_at=timezone.now())


def platform_text(func, *args: Any, **kwargs: Any) -> str:
    """Render a message in the platform language (stored notifications are in Chinese)."""
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return str(func(*args, **kwargs))


# ---------------------------------------------------------------------------------------
# Rules object


@transaction.atomic
def rule_update(*, key: str, value: int, unit: str, by, reason: str = "") -> RuleSetting:
    """Change a platform rule; recorded with who, when, old and new."""
    if by is None or not by.has_perm("shops.change_rulesetting"):
        raise PermissionDenied(_("Only platform staff may change platform rules."))
    validate_rule_value(key, value, unit)
    default_unit = RULES[key].unit
    setting, _created = RuleSetting.objects.select_for_update().get_or_create(
        key=key, defaults={"value": RULES[key].value, "unit": default_unit}
    )
    if (setting.value, setting.unit) == (value, unit):
        return setting
    RuleChange.objects.create(
        setting=setting, changed_by=by, old_value=setting.value, old_unit=setting.unit,
        new_value=value, new_unit=unit, reason=reason,
    )
    setting.value, setting.unit = value, unit
    setting.save(update_fields=["value", "unit", "updated_at"])
    return setting


# ---------------------------------------------------------------------------------------
# Products and the alliance


@transaction.atomic
def product_create(*, shop: Shop, by, data: dict[str, Any], detail_images: list | None = None) -> Product:
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
    product = Product.objects.select_for_update().get(pk=product.pk)
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
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not product.lottery_cleared():
        # F11: a zero-price lottery product waits for the platform's offline approval.
        raise ValidationError(
            _("A zero-price lottery (0元购) product needs the platform's offline approval before it can go on sale. "
              "Consider the lottery tool (好运来) instead: the 0元购 review may hold up your live.")
        )
    return apply_transition(product, "put_on_sale", by=by)


@transaction.atomic
def product_take_off_sale(*, product: Product, by, reason: str = "") -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    return apply_transition(product, "take_off_sale", by=by, description=reason)


@transaction.atomic
def alliance_list(*, product: Product, by, commission_rate: Decimal, sample_support: bool = True) -> AllianceListing:
    """List a product in the alliance (精选联盟), or list it again after it was taken out."""
    product = Product.objects.select_for_update().get(pk=product.pk)
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
    """S2: the merchant turns sample support on or off for a listed product."""
    AllianceListing.objects.filter(pk=listing.pk).update(sample_support=enabled)
    listing.refresh_from_db()
    return listing


# ---------------------------------------------------------------------------------------
# Creators


@transaction.atomic
def creator_set_specific(*, creator: Creator, by, is_specific: bool) -> Creator:
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


def merchant_owns(merchant: Merchant, product: Product) -> bool:
    return product.shop.merchant_id == merchant.pk
