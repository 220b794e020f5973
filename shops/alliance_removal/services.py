"""Writes for taking products out of the alliance (D1–D4): removals now or scheduled, their
cancellation, the sweep that carries out the due ones, and announcements to buyers.

Keyword-only, atomic, the only callers of these transitions. Notifications are stored in
the platform language and leave after commit (core.notifications.notify).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clocks import clock
from core.fsm import apply_transition
from core.notifications import Message, notify, notify_many, platform_text
from shops import signals, teams
from shops.alliance_removal import impact, selectors
from shops.models import AllianceListing, AllianceRemoval, BuyerAnnouncement, LiveCartItem, Product, ShowcaseItem

logger = logging.getLogger(__name__)


def _removal_time_text(removal: AllianceRemoval) -> str:
    return timezone.localtime(removal.scheduled_at).strftime("%Y-%m-%d %H:%M")


def _notify_creators(removal: AllianceRemoval, creators, *, stage: str) -> int:
    """D3 (ours): tell each affected creator once per stage (the dedupe key makes repeats no-ops).
    One text for all of them, posted in bulk (core.notifications.notify_many: one insert, one
    e-mail task), however many creators carry the product."""
    product = removal.listing.product
    listing_pk = removal.listing_id
    if stage == "scheduled":
        title = platform_text(lambda: _("“%(title)s” will leave the alliance") % {"title": product.title})
        body = platform_text(
            lambda: _("The merchant is taking “%(title)s” out of the alliance at %(time)s. It will then leave showcases "
                      "and the carts of sessions not yet live; sample requests awaiting a decision will be closed, "
                      "approved and shipped ones go on.") % {"title": product.title, "time": _removal_time_text(removal)}
        )
    elif stage == "cancelled":
        title = platform_text(lambda: _("“%(title)s” stays in the alliance") % {"title": product.title})
        body = platform_text(lambda: _("The merchant cancelled taking this product out of the alliance."))
    else:
        title = platform_text(lambda: _("“%(title)s” has left the alliance") % {"title": product.title})
        body = platform_text(
            lambda: _("It was removed from showcases and from the carts of sessions not yet live (a session already "
                      "live keeps it until it ends); sample requests awaiting a decision were closed, approved and "
                      "shipped ones go on.")
        )
    # The product's marketplace page while it is listed; once it left, the creator's showcase.
    link = reverse("creator:showcase") if stage == "removed" else reverse("creator:marketplace_detail", args=[listing_pk])
    if removal.compensation_note:
        body += "\n" + platform_text(lambda: _("Compensation: %(note)s") % {"note": removal.compensation_note})
    return len(notify_many([
        Message(kind="product", user_id=creator.user_id, title=title, body=body, url=link,
                dedupe_key=f"alliance-removal:{removal.pk}:{stage}:{creator.pk}")
        for creator in creators if creator.user_id
    ]))


@transaction.atomic
def alliance_removal_create(
    *, product: Product, by, at: datetime | None = None, compensation_note: str = "", announcement: str = ""
) -> AllianceRemoval:
    """D1/D2: take a product out of the alliance now (`at` None or not in the future) or at `at`.

    The impact shown on the confirmation page is stored with the removal. A scheduled one
    tells the affected creators now (D3); an optional announcement goes to buyers (D3).
    """
    listing = AllianceListing.objects.select_for_update(of=("self",)).select_related("product", "product__shop__merchant").filter(product=product).first()
    if listing is not None:
        teams.check_acts_for(by, listing.product.shop.merchant, teams.CATALOGUE, shop_id=listing.product.shop_id)  # T1
    if listing is None or listing.status != AllianceListing.Status.LISTED:
        raise ValidationError(_("This product is not listed in the alliance."))
    if listing.removals.filter(status=AllianceRemoval.Status.SCHEDULED).exists():
        raise ValidationError(_("A removal is already scheduled for this product: cancel it first to choose another time."))
    now = timezone.now()
    removal = AllianceRemoval.objects.create(
        listing=listing, scheduled_at=at if at is not None and at > now else now, compensation_note=compensation_note.strip(),
        created_by=by, impact={line.key: line.count for line in impact.impact_for(listing.product)},
    )
    if announcement.strip():
        buyer_announcement_send(removal=removal, by=by, message=announcement)
    if removal.scheduled_at > now:
        _notify_creators(removal, impact.affected_creators(listing.product), stage="scheduled")
    else:
        _carry_out(removal, by=by)
    return removal


@transaction.atomic
def alliance_removal_cancel(*, removal: AllianceRemoval, by) -> AllianceRemoval:
    """D2 (ours): cancel a scheduled removal before it happens."""
    removal = AllianceRemoval.objects.select_for_update(of=("self",)).select_related("listing__product__shop__merchant").get(pk=removal.pk)
    teams.check_acts_for(by, removal.listing.product.shop.merchant, teams.CATALOGUE, shop_id=removal.listing.product.shop_id)  # T1
    if removal.status == AllianceRemoval.Status.SCHEDULED and removal.scheduled_at <= timezone.now():
        raise ValidationError(_("It is too late to cancel: the removal is due and is being carried out."))
    apply_transition(removal, "cancel", by=by)
    _notify_creators(removal, impact.affected_creators(removal.listing.product), stage="cancelled")
    return removal


@transaction.atomic
def alliance_removal_carry_out(*, removal: AllianceRemoval, by=None) -> bool:
    """D4: carry out one removal. Returns False when it was already done or cancelled (happens once)."""
    removal = AllianceRemoval.objects.select_for_update().filter(pk=removal.pk).first()
    if removal is None or removal.status != AllianceRemoval.Status.SCHEDULED:
        return False
    _carry_out(removal, by=by)
    return True


def _carry_out(removal: AllianceRemoval, *, by) -> None:
    """D4, inside the caller's transaction with the removal row locked."""
    listing = AllianceListing.objects.select_for_update(of=("self",)).select_related("product", "product__shop__merchant__user").get(pk=removal.listing_id)
    product = listing.product
    creators = impact.affected_creators(product)  # before the showcases and carts are emptied
    if listing.status == AllianceListing.Status.LISTED:
        apply_transition(listing, "take_out", by=by, description=_("taken out of the alliance (removal #%(id)s)") % {"id": removal.pk})
    now = timezone.now()
    showcases = ShowcaseItem.objects.filter(pk__in=[i.pk for i in _showcase_items(product)]).update(removed_at=now)
    carts = LiveCartItem.objects.filter(pk__in=[i.pk for i in _cart_items(product)]).update(removed_at=now)
    removal.outcome = {"showcase_items_removed": showcases, "cart_items_removed": carts}
    apply_transition(removal, "carry_out", by=by)
    _notify_creators(removal, creators, stage="done")
    merchant_user = product.shop.merchant.user
    if product.sale_status == Product.SaleStatus.ON_SALE:
        # D4: prompt the merchant to take the product itself off sale.
        notify(
            kind="product", user=merchant_user,
            title=platform_text(lambda: _("“%(title)s” has left the alliance: take it off sale too?") % {"title": product.title}),
            body=platform_text(lambda: _("The product is still on sale in your shop. Take it off sale (下架) so it no longer shows there.")),
            url=reverse("merchant:product_detail", args=[product.pk]),
            dedupe_key=f"alliance-removal:{removal.pk}:merchant-off-sale",
        )
    # Samples (S) closes requests awaiting a decision; approved and shipped ones go on.
    signals.alliance_removed.send(sender=AllianceRemoval, product=product, removal=removal, by=by)


def _showcase_items(product):
    return selectors.showcase_items_affected(product).select_for_update(of=("self",))


def _cart_items(product):
    return selectors.cart_items_affected(product).select_for_update(of=("self",))


def alliance_removals_sweep(*, batch_size: int = 100) -> int:
    """D2/D4: carry out every scheduled removal that is due (scheduled_at <= now).

    Rows are claimed with skip_locked in batches and moved by a conditional state check, so
    two sweeps at once, or one run twice, carry each out once. A bad row is logged and
    skipped without stopping the run.
    """
    done = 0
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                clock("d2_removal").due(timezone.now()).select_for_update(skip_locked=True)
                .exclude(pk__in=failed).order_by("scheduled_at", "id")[:batch_size]
            )
            if not batch:
                return done
            for removal in batch:
                try:
                    with transaction.atomic():
                        _carry_out(removal, by=None)
                    done += 1
                except Exception:
                    logger.exception("alliance removal %s could not be carried out", removal.pk)
                    failed.add(removal.pk)


@transaction.atomic
def buyer_announcement_send(*, removal: AllianceRemoval, by, message: str) -> BuyerAnnouncement:
    """D3: announce the removal to the buyers who follow or bought the product, with the time and
    the compensation note. Only before it happens.

    Each buyer provider (shops.alliance_removal.impact) says who its buyers are and how to reach them (users:
    a notification; flash-sale viewers: their inbox). `recipients` counts everyone reached; a
    delivery that fails is logged and skipped (its savepoint rolls back) without stopping the rest.
    """
    removal = AllianceRemoval.objects.select_for_update(of=("self",)).select_related("listing__product__shop__merchant").get(pk=removal.pk)
    teams.check_acts_for(by, removal.listing.product.shop.merchant, teams.CATALOGUE, shop_id=removal.listing.product.shop_id)  # T1
    if removal.status != AllianceRemoval.Status.SCHEDULED:
        raise ValidationError(_("An announcement can only be sent before the product leaves the alliance."))
    message = message.strip()
    if not message:
        raise ValidationError(_("Write the announcement."))
    product = removal.listing.product
    buyers = impact.buyer_audience(product)
    announcement = BuyerAnnouncement.objects.create(
        removal=removal, message=message, removal_time=removal.scheduled_at, compensation_note=removal.compensation_note,
        recipients=0, sent_by=by,
    )
    body = message + "\n" + platform_text(lambda: _("Time: %(time)s") % {"time": _removal_time_text(removal)})
    if removal.compensation_note:
        body += "\n" + platform_text(lambda: _("Compensation: %(note)s") % {"note": removal.compensation_note})
    title = platform_text(lambda: _("Announcement about “%(title)s”") % {"title": product.title})
    reached = 0
    for buyer in buyers:
        try:
            with transaction.atomic():
                buyer.deliver(
                    recipient=buyer.obj, title=title, body=body,
                    dedupe_key=f"buyer-announcement:{announcement.pk}:{buyer.identity}",
                )
        except Exception:
            logger.exception("announcement %s could not be delivered to %s", announcement.pk, buyer.identity)
        else:
            reached += 1
    BuyerAnnouncement.objects.filter(pk=announcement.pk).update(recipients=reached)
    announcement.recipients = reached
    return announcement
