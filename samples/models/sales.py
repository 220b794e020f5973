"""带货成交 (V10): the orders a creator's live carts and videos brought, which the
return-on-samples report (samples.returns) reads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shops.models import Creator, LiveSession, Product, ShortVideo


class PromotionSale(models.Model):
    """带货成交 (V10): one order a creator's live cart or short video brought.

    The product has no order model for live-cart and video sales yet; this is the minimal
    record the return-on-samples report needs (who sold what, where, how many, for how
    much, when), filled by the platform's order feed (here: the admin and the demo).
    Flash-sale orders are not copied here: the report reads flashsales.FlashSaleOrder.
    """

    class Channel(models.TextChoices):
        LIVE = "live", _("Live cart")
        VIDEO = "video", _("Short video")

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="promotion_sales", verbose_name=_("creator"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="promotion_sales", verbose_name=_("product"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("live session")
    )
    video = models.ForeignKey(
        ShortVideo, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("short video")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    sold_at = models.DateTimeField(_("sold at"), default=timezone.now)

    class Meta:
        verbose_name = _("promotion sale")
        verbose_name_plural = _("promotion sales")
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="live", session__isnull=False, video__isnull=True)
                           | Q(channel="video", video__isnull=False, session__isnull=True)),
                name="promotion_sale_source_matches_channel",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="promotion_sale_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="promotion_sale_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["creator", "product", "sold_at"], name="promotion_sale_pair_time")]

    def __str__(self) -> str:
        return f"{self.creator} · {self.product} × {self.quantity}"
