"""带货订单 (V10's source): the orders of live carts and short videos, as the platform's
order system reports them (created, paid, refunded) through the order feed.

An order is attributed to a creator and product only when the product was in that
creator's session cart or video cart at the order's time; otherwise it is kept,
unattributed, with the reason. Refunds reduce what it counts for.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shops.models.catalogue import Product
from shops.models.channels import LiveSession, ShortVideo
from shops.models.creators import Creator


class ChannelOrder(models.Model):
    """One order the platform's order system reported, from a live cart or a short video."""

    class Channel(models.TextChoices):
        LIVE = "live", _("Live cart")
        VIDEO = "video", _("Short video")

    class Unattributed(models.TextChoices):
        NONE = "", _("Attributed")
        UNKNOWN_CREATOR = "unknown_creator", _("Unknown creator")
        UNKNOWN_PRODUCT = "unknown_product", _("Unknown product")
        UNKNOWN_SOURCE = "unknown_source", _("Unknown live session or video")
        NOT_CREATORS = "not_creators", _("The session or video belongs to another creator")
        NOT_IN_CART = "not_in_cart", _("The product was not in the cart at the order's time")

    order_id = models.CharField(_("order number"), max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    creator = models.ForeignKey(Creator, null=True, blank=True, on_delete=models.PROTECT, related_name="channel_orders", verbose_name=_("creator"))
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="channel_orders", verbose_name=_("product"))
    session = models.ForeignKey(LiveSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("live session"))
    video = models.ForeignKey(ShortVideo, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("short video"))
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    refunded_quantity = models.PositiveIntegerField(_("refunded quantity"), default=0)
    refunded_amount = models.DecimalField(_("refunded amount"), max_digits=14, decimal_places=2, default=0)
    ordered_at = models.DateTimeField(_("ordered at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    attributed = models.BooleanField(_("attributed"), default=False)
    unattributed_reason = models.CharField(_("why not attributed"), max_length=20, choices=Unattributed.choices, blank=True)
    # What the feed said, kept as sent (ids the platform used), for a reviewer to trace.
    reported = models.JSONField(_("as reported"), default=dict, blank=True)

    class Meta:
        verbose_name = _("channel order")
        verbose_name_plural = _("channel orders")
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="channel_order_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="channel_order_amount_not_negative"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=models.F("amount")), name="channel_order_refund_at_most_amount"),
            models.CheckConstraint(condition=Q(refunded_quantity__lte=models.F("quantity")), name="channel_order_refund_at_most_quantity"),
            models.CheckConstraint(
                condition=Q(attributed=False) | Q(creator__isnull=False, product__isnull=False), name="channel_order_attributed_has_pair"
            ),
        ]
        indexes = [
            models.Index(fields=["creator", "product", "ordered_at"], name="channel_order_pair_time", condition=Q(attributed=True)),
        ]

    def __str__(self) -> str:
        return self.order_id


class OrderEvent(models.Model):
    """One event of the feed (created, paid, refunded) of one order: the unique pair makes a
    retried or repeated batch a no-op."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")

    order_id = models.CharField(_("order number"), max_length=64)
    event_id = models.CharField(_("event id"), max_length=64)
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        constraints = [models.UniqueConstraint(fields=["order_id", "event_id"], name="order_event_once")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
