"""Signing and sending deliveries, their retries with back-off (API5, API6), parking and
replay; the endpoints' services. Every state change of a delivery is a django-fsm transition
through core.fsm.apply_transition."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from core import outbox
from core.fsm import apply_transition
from core.rules import rules

URL_NOT_HTTPS = gettext_lazy("Webhook URLs must start with https://.")
URL_NOT_PUBLIC = gettext_lazy("This address is not reachable from the platform (a private or local address).")
UNREACHABLE = gettext_lazy("The receiver could not be reached (no answer over HTTP from this address).")
NO_EVENTS = gettext_lazy("Choose at least one event.")
RESPONSE_KEPT = 2000  # characters of a receiver's answer kept for the deliveries list
LEASE = timedelta(minutes=2)  # an attempt in flight: no other worker takes the row meanwhile


def _local_allowed(host: str) -> bool:
    return host in getattr(settings, "WEBHOOKS_ALLOW_HTTP_HOSTS", ())


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "http" and _local_allowed(parts.hostname or ""):
        return
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError({"url": [URL_NOT_HTTPS]})
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return  # a name: checked when it is resolved, at each attempt
    if not address.is_global:
        raise ValidationError({"url": [URL_NOT_PUBLIC]})


def _checked_address(host: str, port: int) -> str | None:
    """The one address this attempt may connect to: the name is resolved once, here, and the
    connection goes to exactly this address (#23: resolving again at connect time let a name
    answer "public" to the check and 127.0.0.1 to the connection). None when any answer is
    not public (or nothing answers)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        return None
    if _local_allowed(host):
        return addresses[0]
    try:
        if not all(ipaddress.ip_address(address).is_global for address in addresses):
            return None
    except ValueError:  # a scoped IPv6 answer ("fe80::1%eth0") is link-local anyway
        return None
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Talks to `address` while the Host header keeps the endpoint's name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Talks to `address`; SNI, the certificate check and the Host header keep the name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


# --- endpoints ---

@transaction.atomic
def webhook_endpoint_create(*, merchant, url: str, events: list[str], description: str = "") -> WebhookEndpoint:
    check_url(url)
    events = sorted(set(events))
    if not events or not set(events) <= set(Event.values):
        raise ValidationError({"events": [NO_EVENTS]})
    return WebhookEndpoint.objects.create(merchant=merchant, url=url, events=events, description=description)


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to it; its deliveries stay listed (pending ones are parked by the next attempt)."""
    if endpoint.deleted_at is None:
        endpoint.deleted_at = timezone.now()
        endpoint.save(update_fields=["deleted_at"])
    return endpoint


# --- signing (Standard Webhooks) ---

def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def body_of(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(status code or None, response text or UNREACHABLE) of one attempt. Redirects are an
    answer like any other (a failed attempt), never followed; no proxy."""
    endpoint = delivery.endpoint
    parts = urlsplit(endpoint.url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None, str(UNREACHABLE)
    address = _checked_address(parts.hostname or "", port)
    if address is None:
        return None, str(UNREACHABLE)
    body = body_of(delivery)
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "DaihuoDesk-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
    }
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(parts.hostname, port, address=address,
                                  timeout=getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        return response.status, response.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except (OSError, ValueError, http.client.HTTPException):
        # Refused, timed out, TLS, not a web server: one text for all, so the deliveries
        # list does not tell an open port from a closed one (#23, a port scanner otherwise).
        return None, str(UNREACHABLE)
    finally:
        connection.close()


def backoff(attempts: int) -> timedelta:
    """API6: the wait after the n-th failed attempt: base, 2×base, 4×base, …"""
    return rules.duration("webhook_retry_base") * (2 ** (attempts - 1))


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """One attempt at a due delivery (the task and the retry sweep call this). Claims the row
    first (a lease), so two workers never send the same attempt; records the answer after."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True).select_related("endpoint")
                    .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now).first())
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    if delivery.endpoint.deleted_at is not None:
        status, text = None, _("The endpoint was deleted.")
    else:
        status, text = _post(delivery)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.last_status, delivery.last_response, delivery.last_attempt_at = status, text, timezone.now()
        if status is not None and 200 <= status < 300:
            apply_transition(delivery, "succeed", description=f"HTTP {status}")
        elif delivery.attempts >= rules.count("webhook_max_attempts") or delivery.endpoint.deleted_at is not None:
            apply_transition(delivery, "park", description=f"HTTP {status}" if status else text[:200])
        else:
            delivery.next_attempt_at = delivery.last_attempt_at + backoff(delivery.attempts)
            delivery.save(update_fields=["last_status", "last_response", "last_attempt_at", "next_attempt_at"])
    return delivery


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Send a parked (or delivered) delivery again, with the same webhook-id; attempts start over."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    apply_transition(delivery, "replay", by=by)
    outbox.enqueue("api.tasks.deliver_webhook", delivery.pk)  # relayed after commit (#23)
    return delivery


def due_deliveries(limit: int = 500) -> list[int]:
    return list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
