"""Sample requests through the API: the inbox's filters, the decisions (S4, S5, V9) with the
same services, messages and audit records as the pages, problem details naming the rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from samples import messages as msg
from samples.models import SampleRequest
from tests import factories
from tests.samples.factories import T0, H, approved_at, eligible_product, log_of, reload, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/merchant/sample-requests/"
S = SampleRequest.State


@pytest.fixture
def product(merchant):
    return eligible_product(shop=factories.ShopFactory(merchant=merchant))


def test_s8_inbox_lists_only_own_requests_with_the_inbox_filters(merchant, product, api_for):
    mine = request_at(T0, product=product)
    approved = approved_at(T0, product=product)
    request_at(T0)  # another merchant's
    api = api_for(merchant.user)
    with travel(T0 + H):
        body = api.get(INBOX).json()
        assert {row["id"] for row in body["results"]} == {mine.pk, approved.pk}
        assert [row["id"] for row in api.get(INBOX, {"state": "approved"}).json()["results"]] == [approved.pk]
        by_creator = api.get(INBOX, {"creator": mine.creator.platform_id}).json()["results"]
        assert [row["id"] for row in by_creator] == [mine.pk]


def test_s8_inbox_bad_filter_is_400_problem_naming_the_field(merchant, api_for):
    response = api_for(merchant.user).get(INBOX, {"state": "nonsense"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "state" in response.json()["errors"]


def test_s8_inbox_pages_by_cursor_in_a_fixed_number_of_queries(merchant, product, api_for, django_assert_max_num_queries):
    for _ in range(5):
        request_at(T0, product=product, creator=factories.CreatorFactory())
    api = api_for(merchant.user)
    with travel(T0 + H):
        with django_assert_max_num_queries(8):
            first = api.get(INBOX, {"page_size": 2}).json()
        assert len(first["results"]) == 2 and first["next"]
        second = api.get(first["next"]).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_api_reads_carry_an_etag_and_answer_304_when_unchanged(merchant, product, api_for):
    sample = request_at(T0, product=product)
    api = api_for(merchant.user)
    with travel(T0 + H):
        first = api.get(f"{INBOX}{sample.pk}/")
        etag = first["ETag"]
        assert api.client.get(f"{INBOX}{sample.pk}/", headers={**api.headers, "If-None-Match": etag}).status_code == 304
        api.post(f"{INBOX}{sample.pk}/approve/")
        assert api.client.get(f"{INBOX}{sample.pk}/", headers={**api.headers, "If-None-Match": etag}).status_code == 200


def test_s4_approve_through_the_api_starts_the_clocks_and_names_the_key_in_the_history(merchant, product, api_for):
    sample = request_at(T0, product=product)
    api = api_for(merchant.user, name="ERP")
    with travel(T0 + H):
        response = api.post(f"{INBOX}{sample.pk}/approve/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "approved" and body["ship_by"]
    entry = log_of(sample)[-1]
    assert entry.transition == "approve" and entry.by == merchant.user
    assert "API 密钥“ERP”" in entry.description


def test_s4_approve_after_48h_is_422_naming_rule_s4_in_chinese_by_default(merchant, product, api_for):
    sample = request_at(T0, product=product)
    with travel(T0 + 48 * H):
        response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/approve/")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["rule"] == "S4" and problem["detail"] == str(msg.DECIDE_TOO_LATE)
    assert problem["detail"].startswith("决定") or "自动取消" in problem["detail"]
    assert problem["type"].endswith("/rule-refused") and problem["status"] == 422
    assert reload(sample).state == S.REQUESTED


def test_api_answers_in_the_accept_language_asked_for(merchant, product, api_for):
    sample = request_at(T0, product=product)
    with travel(T0 + 48 * H):
        response = api_for(merchant.user, language="en").post(f"{INBOX}{sample.pk}/approve/")
    assert response.json()["detail"] == "The time to decide on this request has run out: it is cancelled automatically."
    assert response.json()["rule"] == "S4"


def test_reject_with_reason_is_shown_to_the_creator(merchant, product, api_for):
    sample = request_at(T0, product=product)
    with travel(T0 + H):
        response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/reject/", {"reason": "类目不符"})
    assert response.status_code == 200 and response.json()["close_reason"] == "类目不符"
    assert reload(sample).state == S.REJECTED


def test_s5_ship_with_carrier_and_tracking_number(merchant, product, api_for):
    sample = approved_at(T0, product=product)
    with travel(T0 + H):
        response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "sf 1234 5678 9012"})
    assert response.status_code == 200
    assert response.json()["state"] == "shipped" and response.json()["tracking_number"] == "SF123456789012"


def test_s5_ship_with_a_malformed_tracking_number_is_422_rule_s5_by_field(merchant, product, api_for):
    sample = approved_at(T0, product=product)
    with travel(T0 + H):
        response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "123"})
    problem = response.json()
    assert response.status_code == 422 and problem["rule"] == "S5" and "tracking_number" in problem["errors"]
    assert reload(sample).state == S.APPROVED


def test_s5_ship_with_an_unknown_carrier_is_400_and_changes_nothing(merchant, product, api_for):
    sample = approved_at(T0, product=product)
    response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/ship/", {"carrier": "pigeon", "tracking_number": "X"})
    assert response.status_code == 400 and "carrier" in response.json()["errors"]
    assert reload(sample).state == S.APPROVED


def test_s5_ship_after_120h_is_422_rule_s5(merchant, product, api_for):
    sample = approved_at(T0, product=product)
    with travel(T0 + 120 * H):
        response = api_for(merchant.user).post(f"{INBOX}{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"})
    assert response.status_code == 422 and response.json()["rule"] == "S5"
    assert response.json()["detail"] == str(msg.SHIP_TOO_LATE)


def test_v9_reship_after_not_arrived_and_same_tracking_refused_naming_v9(merchant, product, api_for):
    from samples.services.shipping import sample_request_report_not_arrived

    sample = shipped_at(T0, product=product)
    with travel(T0 + 24 * H):
        sample_request_report_not_arrived(sample=reload(sample), by=sample.creator.user)
        api = api_for(merchant.user)
        same = api.post(f"{INBOX}{sample.pk}/reship/", {"carrier": "sf", "tracking_number": "SF123456789012"})
        assert same.status_code == 422 and same.json()["rule"] == "V9"
        ok = api.post(f"{INBOX}{sample.pk}/reship/", {"carrier": "yto", "tracking_number": "YT1234567890123"})
    assert ok.status_code == 200 and ok.json()["state"] == "shipped" and ok.json()["units_sent"] == 2


def test_state_changed_meanwhile_is_409_problem(merchant, product, api_for):
    sample = request_at(T0, product=product)
    api = api_for(merchant.user)
    with travel(T0 + H):
        api.post(f"{INBOX}{sample.pk}/reject/")
        response = api.post(f"{INBOX}{sample.pk}/approve/")
    assert response.status_code == 409 and response.json()["type"].endswith("/state-changed")


def test_api_and_page_refuse_with_the_same_message(merchant, product, api_for):
    from samples.services.requests import sample_request_approve

    sample = request_at(T0, product=product)
    with travel(T0 + 48 * H):
        with pytest.raises(ValidationError) as page:
            sample_request_approve(sample=reload(sample), by=merchant.user)
        api = api_for(merchant.user).post(f"{INBOX}{sample.pk}/approve/")
    assert api.json()["detail"] == " ".join(page.value.messages)
