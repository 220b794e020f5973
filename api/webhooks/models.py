"""A merchant's webhook endpoints and the deliveries of events to them."""

from __future__ import annotations

import base64
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fsm import logged
from shops.models import Merchant


class Event(models.TextChoices):
    SAMPLE_STATE_CHANGED = "sample.state_changed", _("Sample request changed state")
    EXTENSION_ASKED = "sample.extension_asked", _("Creator asked for more time")
    FILING_REVIEWED = "filing.reviewed", _("Filing reviewed")
    FLASH_SALE_SOLD_OUT = "flash_sale.sold_out", _("Flash sale sold out")
    ALLIANCE_REMOVED = "product.alliance_removed", _("Product taken out of the alliance")
    RULE_CHANGED = "rule.changed", _("Platform rule changed")
    APPEAL_CHANGED = "appeal.changed", _("Appeal filed, decided or withdrawn (AP5)")


def new_signing_secret() -> str:
    """whsec_<base64 of 24 random bytes>, the Standard Webhooks secret format."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("merchant"))
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=60, default=new_signing_secret)
    description = models.CharField(_("description"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_labels(self) -> list[str]:
        return [str(Event(e).label) for e in self.events if e in Event.values]


class WebhookDelivery(models.Model):
    """One event for one endpoint (unique): queued, retried with back-off, delivered or parked."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        PARKED = "parked", _("Parked (attempts used up)")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint"))
    event_id = models.CharField(_("event id"), max_length=200)  # deterministic: "<model>:<pk>:<transition>:<target>:<nth time>"
    message_id = models.CharField(_("message id"), max_length=40)  # webhook-id header, the same on every attempt
    event_type = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_response = models.TextField(_("response"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_one_delivery_per_event")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.state})"

    @logged
    @transition(field=state, source=State.PENDING, target=State.DELIVERED)
    def succeed(self, **kwargs) -> None:
        """The receiver answered 2xx."""

    @logged
    @transition(field=state, source=State.PENDING, target=State.PARKED)
    def park(self, **kwargs) -> None:
        """API5: the last attempt failed; kept for a replay."""

    @logged
    @transition(field=state, source=[State.PARKED, State.DELIVERED], target=State.PENDING)
    def replay(self, **kwargs) -> None:
        """Send again (the merchant asked): the attempts start over."""
