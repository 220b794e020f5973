"""Signing and sending deliveries, their retries with back-off (API5, API6), parking and
replay; the endpoints' services. Every state change of a delivery is a django-fsm transition
through core.fsm.apply_transition."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from core.fsm import apply_transition
from core.rules import rules

URL_NOT_HTTPS = gettext_lazy("Webhook URLs must start with https://.")
URL_NOT_PUBLIC = gettext_lazy("This address is not reachable from the platform (a private or local address).")
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


def _resolves_public(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if _local_allowed(host):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like any other (a failed attempt), never followed


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(status code or None, response text or the error) of one attempt."""
    endpoint = delivery.endpoint
    if not _resolves_public(endpoint.url):
        return None, str(URL_NOT_PUBLIC)
    body = body_of(delivery)
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(endpoint.url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": "DaihuoDesk-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
    })
    try:
        with _opener.open(request, timeout=getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10)) as response:
            return response.status, response.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, a bad URL
        return None, str(exc)[:RESPONSE_KEPT]


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
    pk = delivery.pk

    def queue() -> None:
        from api.tasks import deliver_webhook

        try:
            deliver_webhook.delay(pk)
        except Exception:  # noqa: BLE001  the broker is down: the retry sweep sends it
            pass

    transaction.on_commit(queue)
    return delivery


def due_deliveries(limit: int = 500) -> list[int]:
    return list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
