"""Taking products out of the alliance (RULES.md D): the removal, now or scheduled (D1–D4),
and the merchant's announcement to buyers (D3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import logged
from shops.models.catalogue import AllianceListing, Product


class AllianceRemoval(ConcurrentTransitionMixin, models.Model):
    """下架精选联盟: a product taken out of the alliance, now or at a scheduled time (D1–D4)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("alliance removal", "Scheduled")
        DONE = "done", pgettext_lazy("alliance removal", "Done")
        CANCELLED = "cancelled", pgettext_lazy("alliance removal", "Cancelled")

    listing = models.ForeignKey(AllianceListing, on_delete=models.PROTECT, related_name="removals", verbose_name=_("alliance listing"))
    # D2: the moment it happens (a deadline: due while scheduled_at <= now).
    scheduled_at = models.DateTimeField(_("takes effect at"))
    compensation_note = models.TextField(_("compensation note"), blank=True)
    status = FSMField(_("status"), default=Status.SCHEDULED, choices=Status.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # What the merchant saw on the confirmation page, and what the removal did (audit).
    impact = models.JSONField(_("impact at confirmation"), default=dict, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("alliance removal")
        verbose_name_plural = _("alliance removals")
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"], condition=Q(status="scheduled"), name="one_scheduled_removal_per_listing"
            ),
        ]
        indexes = [
            # D2 sweep: only the removals still waiting are indexed.
            models.Index(fields=["scheduled_at"], condition=Q(status="scheduled"), name="alliance_removal_due"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} @ {timezone.localtime(self.scheduled_at):%Y-%m-%d %H:%M}"

    @property
    def product(self) -> Product:
        return self.listing.product

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.DONE)
    def carry_out(self, **kwargs) -> None:
        self.done_at = timezone.now()

    @logged
    @transition(field=status, source=Status.SCHEDULED, target=Status.CANCELLED)
    def cancel(self, **kwargs) -> None:
        self.cancelled_at = timezone.now()


class BuyerAnnouncement(models.Model):
    """下架公告: the merchant's announcement to the buyers who follow or bought a product (D3)."""

    removal = models.ForeignKey(AllianceRemoval, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("alliance removal"))
    message = models.TextField(_("message"))
    # Copied from the removal when sent, so the record says what buyers were told.
    removal_time = models.DateTimeField(_("removal time announced"))
    compensation_note = models.TextField(_("compensation note"), blank=True)
    recipients = models.PositiveIntegerField(_("buyers reached"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("buyer announcement")
        verbose_name_plural = _("buyer announcements")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.message[:50]
