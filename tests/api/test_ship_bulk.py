"""批量发货 through the API (issue 24): one call ships many approved samples through the ship
endpoint's service (S5), answers per row, is idempotent, and is capped by its rule."""

from __future__ import annotations

import pytest

from core.models import RuleSetting
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import ship_sheet
from tests import factories
from tests.samples.factories import T0, H, M, approved_at, eligible_product, log_of, reload, travel

pytestmark = pytest.mark.django_db
URL = "/api/v1/merchant/sample-requests/ship-bulk/"
S = SampleRequest.State


@pytest.fixture
def product(merchant):
    return eligible_product(shop=factories.ShopFactory(merchant=merchant))


@pytest.fixture
def approved(product):
    return [approved_at(T0, product=product) for _ in range(3)]


def test_s5_bulk_ship_answers_per_row_shipped_skipped_and_refused_naming_the_rule(merchant, approved, api_for):
    a, b, c = approved
    api = api_for(merchant.user)
    rows = [{"id": a.pk, "carrier": "sf", "tracking_number": "SF1234567890123"},
            {"id": b.pk, "carrier": "顺丰速运", "tracking_number": "12345"},
            {"id": c.pk, "carrier": "", "tracking_number": ""}]
    with travel(T0 + H):
        response = api.post(URL, {"rows": rows})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["shipped"], body["skipped"], body["refused"]) == (1, 1, 1)
    assert [(r["index"], r["id"], r["outcome"]) for r in body["rows"]] == [(1, a.pk, "shipped"), (2, b.pk, "refused"), (3, c.pk, "skipped")]
    assert body["rows"][1]["rule"] == "S5" and body["rows"][1]["reason"] == str(
        msg.TRACKING_FORMAT % {"carrier": "顺丰速运", "example": "SF123456789012"})
    assert reload(a).state == S.SHIPPED and reload(b).state == S.APPROVED
    ship = next(log for log in log_of(a) if log.transition == "ship")
    assert ship.by == merchant.user and "[" in ship.description  # the key named in the history, as for one ship call


def test_s5_bulk_ship_at_the_cancel_deadline_refuses_that_row_only(merchant, product, api_for):
    early, late = approved_at(T0, product=product), approved_at(T0 + M, product=product)
    api = api_for(merchant.user)
    with travel(T0 + 120 * H):
        body = api.post(URL, {"rows": [{"id": early.pk, "carrier": "sf", "tracking_number": "SF1234567890123"},
                                       {"id": late.pk, "carrier": "sf", "tracking_number": "SF1234567890124"}]}).json()
    assert [r["outcome"] for r in body["rows"]] == ["refused", "shipped"]
    assert body["rows"][0]["reason"] == str(msg.SHIP_TOO_LATE) and body["rows"][0]["rule"] == "S5"


def test_bulk_ship_retried_with_the_same_key_replays_and_a_new_key_ships_nothing_twice(merchant, approved, api_for):
    a = approved[0]
    api = api_for(merchant.user)
    body = {"rows": [{"id": a.pk, "carrier": "sf", "tracking_number": "SF1234567890123"}]}
    with travel(T0 + H):
        first = api.post(URL, body, idem="bulk-1")
        replay = api.post(URL, body, idem="bulk-1")
        again = api.post(URL, body, idem="bulk-2")
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    assert again.json()["rows"][0]["outcome"] == "skipped"
    assert again.json()["rows"][0]["reason"] == str(ship_sheet.ALREADY_SHIPPED)
    assert [log.transition for log in log_of(a)].count("ship") == 1


def test_bulk_ship_only_finds_the_merchants_own_requests(merchant, approved, api_for):
    other = approved_at(T0)
    api = api_for(merchant.user)
    with travel(T0 + H):
        body = api.post(URL, {"rows": [{"id": other.pk, "carrier": "sf", "tracking_number": "SF1234567890123"}]}).json()
    assert body["rows"][0]["outcome"] == "refused" and body["rows"][0]["reason"] == str(ship_sheet.NOT_FOUND % {"id": other.pk})
    assert reload(other).state == S.APPROVED


def test_bulk_ship_over_the_row_rule_is_400_and_ships_nothing(merchant, approved, api_for):
    RuleSetting.objects.update_or_create(key="sample_ship_batch_rows", defaults={"value": 2, "unit": "count"})
    api = api_for(merchant.user)
    rows = [{"id": s.pk, "carrier": "sf", "tracking_number": f"SF123456789012{n}"} for n, s in enumerate(approved)]
    with travel(T0 + H):
        response = api.post(URL, {"rows": rows})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "最多 2 行" in response.json()["detail"]
    assert not SampleRequest.objects.filter(state=S.SHIPPED).exists()


@pytest.mark.parametrize("body", [{}, {"rows": []}, {"rows": "abc"}, {"rows": [{"id": "x", "carrier": "sf", "tracking_number": "SF1"}]},
                                  {"rows": [{"carrier": "sf"}]}, {"rows": [{"id": 1, "tracking_number": "x" * 41}]}])
def test_a_malformed_bulk_body_is_400_naming_the_field_and_ships_nothing(merchant, approved, api_for, body):
    api = api_for(merchant.user)
    with travel(T0 + H):
        response = api.post(URL, body)
    assert response.status_code == 400 and "rows" in response.json().get("errors", {})
    assert not SampleRequest.objects.filter(state=S.SHIPPED).exists()


def test_bulk_ship_needs_the_samples_scope(merchant, approved, api_for):
    api = api_for(merchant.user, scopes=("read",))
    with travel(T0 + H):
        response = api.post(URL, {"rows": [{"id": approved[0].pk, "carrier": "sf", "tracking_number": "SF1234567890123"}]})
    assert response.status_code == 403 and reload(approved[0]).state == S.APPROVED


def test_s5_bulk_ship_an_unknown_carrier_is_refused_in_its_row_naming_rule_s5(merchant, approved, api_for):
    api = api_for(merchant.user)
    with travel(T0 + H):
        body = api.post(URL, {"rows": [{"id": approved[0].pk, "carrier": "顺丰", "tracking_number": "SF1234567890123"}]}).json()
    assert body["rows"][0]["outcome"] == "refused" and body["rows"][0]["rule"] == "S5"
    assert body["rows"][0]["reason"].startswith("“顺丰”不是列表中的快递公司")
