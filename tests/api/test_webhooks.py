"""Webhooks out against a real local receiver: signed (verified by the independent
standardwebhooks package), queued after commit, retried with back-off (API6), parked after
the last attempt (API5), replayable, and one delivery per event per endpoint."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.tasks import sweep_webhook_retries
from api.webhooks.delivery import URL_NOT_HTTPS, URL_NOT_PUBLIC, webhook_delivery_replay, webhook_endpoint_create
from api.webhooks.models import Event, WebhookDelivery
from core.events import publish_transitions
from core.rules import rule_update, rules
from samples.models import SampleRequest
from samples.services.requests import sample_request_approve
from samples.services.shipping import sample_request_report_not_arrived, sample_request_reship
from tests.api.receiver import Receiver
from tests.samples.factories import T0, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


# The merchant decides an hour after the request, well inside S4's 48 h: at the instant meant,
# never at the wall clock (the request was made at the fixed T0).
DECIDED = T0 + timedelta(hours=1)


def _approve(sample, capture, at=DECIDED):
    with travel(at), capture(execute=True):
        return sample_request_approve(sample=sample, by=sample.merchant.user)


def test_api5_a_state_change_is_delivered_signed_after_commit(receiver, django_capture_on_commit_callbacks):
    sample = request_at(T0)
    endpoint = webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    with travel(DECIDED), django_capture_on_commit_callbacks(execute=False) as queued:
        sample_request_approve(sample=sample, by=sample.merchant.user)
    assert receiver.received == [] and queued  # nothing leaves before the commit
    for callback in queued:
        callback()
    (headers, body), = receiver.received
    payload = Webhook(endpoint.secret).verify(body, headers)  # the independent verifier
    assert payload["type"] == "sample.state_changed"
    assert payload["data"] == {"sample_request": sample.pk, "product": sample.product_id, "creator": sample.creator_id,
                               "transition": "approve", "from": "requested", "to": "approved"}
    assert headers["webhook-signature"].startswith("v1,") and endpoint.secret.startswith("whsec_")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_response) == ("delivered", 1, 200, "ok")


def test_api5_a_tampered_body_fails_the_independent_verifier(receiver, django_capture_on_commit_callbacks):
    sample = request_at(T0)
    endpoint = webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    _approve(sample, django_capture_on_commit_callbacks)
    (headers, body), = receiver.received
    with travel(DECIDED):  # the verifier compares the signed timestamp with its own now
        Webhook(endpoint.secret).verify(body, headers)  # the untouched body passes
        with pytest.raises(WebhookVerificationError, match="No matching signature found"):
            Webhook(endpoint.secret).verify(body.replace("approved", "rejected"), headers)


def test_api5_only_subscribed_events_of_the_own_merchant_are_sent(receiver, django_capture_on_commit_callbacks):
    sample, other = request_at(T0), request_at(T0)
    webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.FILING_REVIEWED])
    webhook_endpoint_create(merchant=other.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    _approve(sample, django_capture_on_commit_callbacks)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_api6_retries_with_back_off_then_api5_parks_after_the_last_attempt(receiver, staff, django_capture_on_commit_callbacks):
    rule_update(key="webhook_max_attempts", value=3, unit="count", by=staff, reason="test")
    base = rules.duration("webhook_retry_base")
    sample = request_at(T0)
    webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    receiver.answers = [500, 503, 502]
    with travel(T0):
        _approve(sample, django_capture_on_commit_callbacks, at=T0)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
        assert delivery.next_attempt_at == T0 + base  # the first wait: the base
    with travel(T0 + base - timedelta(seconds=1)):
        assert sweep_webhook_retries() == 0  # not due yet
    with travel(T0 + base):
        with django_capture_on_commit_callbacks(execute=True):  # the sweep asks through the outbox
            sweep_webhook_retries()
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (delivery.attempts, delivery.last_status, delivery.next_attempt_at) == (2, 503, T0 + base + 2 * base)  # doubled
    with travel(T0 + 3 * base):
        with django_capture_on_commit_callbacks(execute=True):  # the sweep asks through the outbox
            sweep_webhook_retries()
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_response) == ("parked", 3, 502, "receiver says no")
    with travel(T0 + 30 * base):
        assert sweep_webhook_retries() == 0  # parked: kept, never retried by itself
    assert len(receiver.received) == 3
    assert len({headers["webhook-id"] for headers, _ in receiver.received}) == 1  # one message, three attempts


def test_api5_a_parked_delivery_is_replayed_with_the_same_id(receiver, staff, django_capture_on_commit_callbacks):
    rule_update(key="webhook_max_attempts", value=1, unit="count", by=staff, reason="test")
    sample = request_at(T0)
    endpoint = webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    receiver.answers = [500]
    _approve(sample, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "parked"
    replayed = DECIDED + timedelta(minutes=5)
    with travel(replayed), django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(delivery=delivery, by=sample.merchant.user)
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)
    (first, _), (second, body) = receiver.received
    assert first["webhook-id"] == second["webhook-id"]
    with travel(replayed):  # the verifier refuses a timestamp more than 5 minutes from its now
        Webhook(endpoint.secret).verify(body, second)


def test_api5_the_same_event_twice_is_delivered_once(receiver, django_capture_on_commit_callbacks):
    """A sweep that runs twice (or the bulk path and the per-row signal both) announces the
    same transition again: unique (endpoint, event id) keeps one delivery."""
    sample = request_at(T0)
    webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    _approve(sample, django_capture_on_commit_callbacks)
    with travel(DECIDED), django_capture_on_commit_callbacks(execute=True):
        publish_transitions(SampleRequest, [sample.pk], name="approve", source="requested", target="approved")
        publish_transitions(SampleRequest, [sample.pk], name="approve", source="requested", target="approved")
    assert WebhookDelivery.objects.count() == 1 and len(receiver.received) == 1


def test_api5_the_bulk_path_delivers_one_event_per_row(receiver, django_capture_on_commit_callbacks):
    samples = [request_at(T0) for _ in range(2)]
    for sample in samples:
        webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        publish_transitions(SampleRequest, [s.pk for s in samples], name="expire", source="requested", target="expired")
    got = sorted(json.loads(body)["data"]["sample_request"] for _, body in receiver.received)
    assert got == sorted(s.pk for s in samples)


def test_api5_a_rule_change_goes_to_every_subscribed_merchant(receiver, staff, merchant, django_capture_on_commit_callbacks):
    webhook_endpoint_create(merchant=merchant, url=receiver.url, events=[Event.RULE_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        rule_update(key="api_rate_per_minute", value=100, unit="count", by=staff, reason="test")
    (_, body), = receiver.received
    assert json.loads(body)["data"] == {"rule": "API1", "key": "api_rate_per_minute", "value": 100, "unit": "count"}


@pytest.mark.parametrize("url, message", [
    ("http://example.com/hooks", URL_NOT_HTTPS), ("ftp://example.com/", URL_NOT_HTTPS),
    ("https://10.0.0.5/hooks", URL_NOT_PUBLIC), ("https://127.0.0.1/hooks", URL_NOT_PUBLIC),
])
def test_api5_endpoints_must_be_public_https(merchant, url, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=re.escape(str(message))):
        webhook_endpoint_create(merchant=merchant, url=url, events=[Event.RULE_CHANGED])


def test_api5_a_transition_taken_again_is_a_new_event(receiver, django_capture_on_commit_callbacks):
    """V9 lets a parcel be reported lost and re-shipped more than once: the second re-ship is
    news to the merchant's system, not a duplicate of the first (its own event id)."""
    sample = shipped_at(T0)
    webhook_endpoint_create(merchant=sample.merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
    for hour, number in ((1, "SF100000000002"), (2, "SF100000000003")):
        with travel(T0 + timedelta(hours=hour)), django_capture_on_commit_callbacks(execute=True):
            sample = sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
            sample = sample_request_reship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number=number)
    moves = [(d.payload["data"]["transition"], d.event_id) for d in WebhookDelivery.objects.order_by("pk")]
    assert [name for name, _ in moves] == ["report_not_arrived", "reship", "report_not_arrived", "reship"]
    assert len({event_id for _, event_id in moves}) == 4
    assert len(receiver.received) == 4
