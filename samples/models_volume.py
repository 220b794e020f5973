"""Samples at volume (RULES.md V7, V10): the extension a creator asks for, and the sales a
creator's promotions brought, which the return-on-samples report reads.

Imported at the end of samples/models.py, so Django registers these models in the
samples app.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fsm import logged
from shops.models import Creator, LiveSession, Product, ShortVideo


class ExtensionRequest(models.Model):
    """延期申请 (V7): a creator asks once, with a reason, for more time to start promoting a
    received sample. The merchant may refuse it until `refuse_by` (48 h); at that mark the
    sweep grants it and the sample's `fulfil_by` moves by `extra` (7 days)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the merchant")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        # The sample request closed (fulfilled, cancelled) before the merchant's 48 h ran out.
        LAPSED = "lapsed", _("No longer needed")

    sample = models.OneToOneField(
        "samples.SampleRequest", on_delete=models.PROTECT, related_name="extension", verbose_name=_("sample request")
    )  # V7: once per request
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    reason = models.CharField(_("reason"), max_length=300)
    extra = models.DurationField(_("extra time"))  # the rule's value when asked
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    refuse_by = models.DateTimeField(_("merchant may refuse until"))  # V7: 48 h; granted at this mark
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refuse_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)
    fulfil_by_before = models.DateTimeField(_("promote by, before"))
    fulfil_by_after = models.DateTimeField(_("promote by, after"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        indexes = [
            # V7: the grant sweep reads the requests still waiting by this range.
            models.Index(fields=["refuse_by"], condition=Q(state="requested"), name="sample_ext_wait_refuse"),
        ]

    def __str__(self) -> str:
        return f"#{self.sample_id} +{self.extra}"

    def refuse_clock_ran_out(self) -> bool:
        return timezone.now() >= self.refuse_by

    def refuse_clock_running(self) -> bool:
        return timezone.now() < self.refuse_by

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.GRANTED)
    def grant(self, **kwargs) -> None:
        """V7: silence grants it at refuse_by (the sweep); the merchant may also agree earlier."""

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.REFUSED, conditions=[refuse_clock_running])
    def refuse(self, **kwargs) -> None:
        """V7: the merchant refuses within the 48 h."""

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.LAPSED)
    def lapse(self, **kwargs) -> None:
        """The sample request closed before a decision: nothing left to extend."""


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
