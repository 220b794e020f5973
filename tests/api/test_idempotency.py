"""Idempotency-Key on every write: a retry returns the first answer and never acts twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from api.models import IdempotentAnswer
from tests import factories
from tests.samples.factories import T0, H, approved_at, eligible_product, log_of, reload, travel

INBOX = "/api/v1/merchant/sample-requests/"


@pytest.mark.django_db
def test_api_same_idempotency_key_twice_ships_once_and_replays_the_first_answer(merchant, api_for):
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    body = {"carrier": "sf", "tracking_number": "SF123456789012", "shipping_cost": "8.00"}
    with travel(T0 + H):
        first = api.post(f"{INBOX}{sample.pk}/ship/", body, idem="ship-1")
        again = api.post(f"{INBOX}{sample.pk}/ship/", body, idem="ship-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert reload(sample).units_sent == 1
    assert [e.transition for e in log_of(sample)].count("ship") == 1


@pytest.mark.django_db
def test_api_a_refusal_is_replayed_too(merchant, api_for):
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    with travel(T0 + 120 * H):
        first = api.post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"}, idem="k")
        again = api.post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"}, idem="k")
    assert first.status_code == again.status_code == 422
    assert again.json()["rule"] == "S5" and again["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_api_same_idempotency_key_with_another_body_is_422(merchant, api_for):
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    with travel(T0 + H):
        api.post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"}, idem="k")
        other = api.post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF999999999999"}, idem="k")
    assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused")
    assert reload(sample).tracking_number == "SF123456789012"


@pytest.mark.django_db
def test_api_write_without_idempotency_key_is_400_and_changes_nothing(merchant, api_for):
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    response = api.client.post(f"{INBOX}{sample.pk}/approve/", "{}", content_type="application/json", headers=api.headers)
    assert response.status_code == 400 and response.json()["type"].endswith("/idempotency-key-missing")
    assert not IdempotentAnswer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_api_concurrent_retries_with_one_idempotency_key_act_once(merchant, api_for):
    """Two connections post the same Idempotency-Key at once: the unique row serialises them."""
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    barrier = threading.Barrier(2)
    answers = []

    def call():
        from tests.api.conftest import Api

        other = Api(None)
        other.headers = api.headers
        barrier.wait()
        try:
            answers.append(other.post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"}, idem="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    with travel(T0 + H):  # time-machine patches the clock process-wide, threads included
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(a.status_code for a in answers) == [200, 200]
    assert reload(sample).units_sent == 1
    assert sum(1 for a in answers if a.get("Idempotent-Replayed") == "true") == 1
