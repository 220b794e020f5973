"""The merchant's webhooks page and the webhook endpoints of the API: own endpoints and
deliveries only (404), the webhooks scope (403), replay from the page and the API."""

from __future__ import annotations

import pytest

from api.webhooks.delivery import webhook_endpoint_create
from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from core.fsm import apply_transition
from tests import factories
from tests.api.receiver import Receiver

pytestmark = pytest.mark.django_db


def _parked(endpoint) -> WebhookDelivery:
    from django.db import transaction

    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_id=f"x:{endpoint.pk}", message_id="msg_1",
                                              event_type=Event.RULE_CHANGED, payload={"type": "rule.changed", "data": {}}, attempts=8)
    with transaction.atomic():
        apply_transition(delivery, "park")
    return delivery


def test_api5_merchant_adds_an_endpoint_on_the_page_and_sees_the_secret_once(merchant, merchant_client):
    response = merchant_client.post("/merchant/webhooks/", {"url": "https://erp.example.com/hooks", "events": ["sample.state_changed"]})
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(merchant=merchant)
    assert endpoint.secret in response.content.decode()
    page = merchant_client.get("/merchant/webhooks/").content.decode()
    assert "https://erp.example.com/hooks" in page and endpoint.secret not in page


def test_api5_the_page_refuses_a_plain_http_url_in_chinese(merchant, merchant_client):
    response = merchant_client.post("/merchant/webhooks/", {"url": "http://erp.example.com/hooks", "events": ["rule.changed"]})
    assert response.status_code == 400 and not WebhookEndpoint.objects.exists()
    assert "https://" in response.context["form"].errors["url"][0]
    assert response.context["form"].errors["url"][0] != "Webhook URLs must start with https://."  # translated


def test_api5_replay_from_the_page_and_another_merchants_delivery_is_404(merchant, merchant_client, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        own = _parked(webhook_endpoint_create(merchant=merchant, url=receiver.url, events=[Event.RULE_CHANGED]))
        other = _parked(webhook_endpoint_create(merchant=factories.MerchantFactory(), url=receiver.url, events=[Event.RULE_CHANGED]))
        assert merchant_client.post(f"/merchant/webhooks/deliveries/{other.pk}/replay/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert merchant_client.post(f"/merchant/webhooks/deliveries/{own.pk}/replay/").status_code == 302
    assert WebhookDelivery.objects.get(pk=own.pk).state == "delivered"
    assert WebhookDelivery.objects.get(pk=other.pk).state == "parked"
    page = merchant_client.get("/merchant/webhooks/")
    assert f'data-testid="delivery-{own.pk}"' in page.content.decode() and f"delivery-{other.pk}" not in page.content.decode()


def test_api5_deleting_an_endpoint_stops_its_events(merchant, merchant_client):
    endpoint = webhook_endpoint_create(merchant=merchant, url="https://erp.example.com/hooks", events=[Event.RULE_CHANGED])
    other = webhook_endpoint_create(merchant=factories.MerchantFactory(), url="https://a.example.com/", events=[Event.RULE_CHANGED])
    assert merchant_client.post(f"/merchant/webhooks/{other.pk}/delete/").status_code == 404
    merchant_client.post(f"/merchant/webhooks/{endpoint.pk}/delete/")
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).deleted_at is not None
    assert WebhookEndpoint.objects.get(pk=other.pk).deleted_at is None


def test_api5_webhook_endpoints_through_the_api(merchant, api_for):
    api = api_for(merchant.user, scopes=["read", "webhooks"])
    made = api.post("/api/v1/merchant/webhook-endpoints/", {"url": "https://erp.example.com/hooks", "events": ["filing.reviewed"]})
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert "secret" not in api.get("/api/v1/merchant/webhook-endpoints/").json()["results"][0]
    refused = api.post("/api/v1/merchant/webhook-endpoints/", {"url": "https://10.1.2.3/", "events": ["filing.reviewed"]})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert api.delete(f"/api/v1/merchant/webhook-endpoints/{made.json()['id']}/").status_code == 204
    assert api.get("/api/v1/merchant/webhook-endpoints/").json()["results"] == []


def test_api5_webhook_scope_owner_and_revocation(merchant, api_for):
    endpoint = webhook_endpoint_create(merchant=merchant, url="https://erp.example.com/hooks", events=[Event.RULE_CHANGED])
    delivery = _parked(endpoint)
    no_scope = api_for(merchant.user, scopes=["read"])
    assert no_scope.post(f"/api/v1/merchant/webhook-deliveries/{delivery.pk}/replay/").status_code == 403
    other = api_for(factories.MerchantFactory().user, scopes=["read", "webhooks"])
    assert other.get(f"/api/v1/merchant/webhook-deliveries/{delivery.pk}/").status_code == 404
    assert other.post(f"/api/v1/merchant/webhook-deliveries/{delivery.pk}/replay/").status_code == 404
    revoked = api_for(merchant.user, scopes=["read", "webhooks"])
    from api.keys import api_key_revoke

    api_key_revoke(key=revoked.key, by=merchant.user)
    assert revoked.get("/api/v1/merchant/webhook-deliveries/").status_code == 401
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == "parked"
