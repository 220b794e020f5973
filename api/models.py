"""API keys (shown once, stored hashed, named, scoped, expiring), their usage per minute
(which is also the rate limit's counter, API1) and the stored answers of idempotent writes."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "dh_"


class Scope(models.TextChoices):
    READ = "read", _("Read")
    SAMPLES = "samples", _("Samples")
    FILINGS = "filings", _("Filings")
    FLASH_SALES = "flash_sales", _("Flash sales")
    ALLIANCE = "alliance", _("Alliance")
    ORDERS = "orders", _("Order feed (platform)")
    WEBHOOKS = "webhooks", _("Webhooks")


def hash_secret(secret: str) -> str:
    # The secret is 256 random bits: a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """(lookup id, the whole key) for a new key: dh_<id>_<secret>."""
    lookup = secrets.token_hex(6)
    return lookup, f"{KEY_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"


class ApiKey(models.Model):
    """An API key of a merchant, a creator or the platform's order system."""

    class Kind(models.TextChoices):
        MERCHANT = "merchant", _("Merchant")
        CREATOR = "creator", _("Creator")
        PLATFORM = "platform", _("Platform")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    lookup = models.CharField(_("key id"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], condition=models.Q(revoked_at__isnull=True), name="api_key_name_unique_live"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}{self.lookup}_…)"

    @property
    def scope_labels(self) -> list[str]:
        """The scopes as people read them: Scope's labels in the page's language, in its order."""
        return [str(scope.label) for scope in Scope if scope.value in self.scopes]

    @property
    def masked(self) -> str:
        return f"{KEY_PREFIX}{self.lookup}_••••"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, hash_secret(secret))

    @property
    def audit_name(self) -> str:
        return _("API key “%(name)s”") % {"name": self.name}


class ApiUsage(models.Model):
    """Requests of one key in one minute: the usage its owner sees and the API1 counter."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    minute = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)  # over the rate limit (429)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "minute"], name="api_usage_one_row_per_minute")]

    def __str__(self) -> str:
        return f"{self.key_id} @ {self.minute:%Y-%m-%d %H:%M}: {self.requests}"


class IdempotentAnswer(models.Model):
    """The first answer to a write sent with an Idempotency-Key: a retry gets it again and
    nothing is done twice (the unique constraint serialises two concurrent retries)."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="answers")
    idempotency_key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # method, path and body of the first request
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=60, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "idempotency_key"], name="api_idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.key_id}: {self.idempotency_key} → {self.status}"


from api.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: E402,F401  (the webhooks' models belong to this app)
