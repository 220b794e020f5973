"""The API's edges (#23 item 4): whatever is sent, the answer is an RFC 9457 problem
(application/problem+json) in the reader's language, never a 500 and never the site's HTML
404; the error never echoes what was sent; ids are read by the one parser the pages use."""

from __future__ import annotations

import base64
import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.idempotency import KEY_REUSED
from tests import factories
from tests.flashsales.factories import FlashSaleFactory
from tests.samples.factories import T0, H, approved_at, eligible_product, request_at, travel

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
HUGE = 10**30


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize("body", [{"product": HUGE}, {"product": -1}, {"product": "1.5"}, {"product": "²"}, {"product": True}])
def test_api_a_product_id_no_row_can_have_is_a_400_naming_the_field(creator, api_for, body):
    with travel(T0):
        problem = is_problem(api_for(creator.user).post("/api/v1/creator/sample-requests/", body), 400)
    assert "product" in problem["errors"]


def test_api_huge_ids_in_other_bodies_are_400s(merchant, api_for):
    api = api_for(merchant.user, scopes=["read", "alliance"])
    assert "product" in is_problem(api.post("/api/v1/merchant/alliance-removals/", {"product": HUGE}), 400)["errors"]


@pytest.mark.parametrize("value", [str(HUGE), "²", "0", "-1", "1.5"])
def test_s8_inbox_product_filter_with_an_id_no_row_can_have_finds_nothing(merchant, api_for, value):
    response = api_for(merchant.user).get("/api/v1/merchant/sample-requests/", {"product": value})
    assert response.status_code == 200 and response.json()["results"] == []


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize("cursor", ["abc", _cursor("p=abc"), _cursor(f"p={HUGE}"), _cursor("p=1.5"), _cursor("o=-1&p=x"),
                                    _cursor("r=1&p=\x00")])
def test_api_a_crafted_cursor_is_a_404_problem(merchant, api_for, cursor):
    is_problem(api_for(merchant.user).get("/api/v1/merchant/sample-requests/", {"cursor": cursor}), 404)


@pytest.mark.parametrize("path", [
    "/api/v1/merchant/flash-sales/abc/orders/", "/api/v1/merchant/flash-sales/0.5/orders/",
    "/api/v1/merchant/sample-requests/0.5/", "/api/v1/merchant/sample-requests/1e3/",
    f"/api/v1/merchant/sample-requests/{HUGE}/", "/api/v1/merchant/sample-requests/%C2%B2/",
    "/api/v1/merchant/filings/0.5/documents/", "/api/v1/no-such-thing/", "/api/v1/merchant/sample-requests/1/nope/",
])
def test_api_an_id_or_path_that_names_nothing_is_a_404_problem_not_the_html_page(merchant, api_for, path):
    api = api_for(merchant.user, scopes=["read", "samples", "filings", "flash_sales"])
    is_problem(api.get(path), 404)


def test_fs_orders_of_a_flash_sale_still_list_by_id(api_for):
    sale = FlashSaleFactory()
    api = api_for(sale.product.shop.merchant.user, scopes=["read"])
    assert api.get(f"/api/v1/merchant/flash-sales/{sale.pk}/orders/").json()["results"] == []


@pytest.mark.parametrize("value", ["<b>x</b>", "\x00", "sf\u202e", "' OR 1=1 --"])
def test_api_an_invalid_value_is_not_echoed_in_the_error(merchant, api_for, value):
    sample = approved_at(T0, product=eligible_product(shop=factories.ShopFactory(merchant=merchant)))
    api = api_for(merchant.user)
    with travel(T0 + H):
        body = is_problem(api.post(f"/api/v1/merchant/sample-requests/{sample.pk}/ship/",
                                   {"carrier": value, "tracking_number": "SF123456789012"}), 400)
        inbox = is_problem(api.get("/api/v1/merchant/sample-requests/", {"state": value}), 400)
    assert "carrier" in body["errors"] and "state" in inbox["errors"]
    for problem in (body, inbox):
        assert value not in json.dumps(problem, ensure_ascii=False)
        assert "\\u0000" not in json.dumps(problem) and (value == "\x00" or value not in problem["detail"])


@pytest.mark.parametrize("depth", [100, 5_000, 200_000])
def test_api_deeply_nested_json_is_a_400_problem(creator, api_for, depth):
    api = api_for(creator.user)
    raw = '{"product": ' + "[" * depth + "]" * depth + "}"
    response = api.client.post("/api/v1/creator/sample-requests/", raw, content_type="application/json",
                               headers={**api.headers, "Idempotency-Key": f"deep-{depth}"})
    is_problem(response, 400)


def test_api_an_idempotency_key_reused_with_another_body_says_so_not_a_platform_rule(merchant, api_for):
    listing = factories.AllianceListingFactory(product__shop__merchant=merchant)
    api = api_for(merchant.user, scopes=["read", "alliance"])
    with travel(T0):
        api.post("/api/v1/merchant/alliance-removals/", {"product": listing.product_id}, idem="order-1")
        other = api.post("/api/v1/merchant/alliance-removals/", {"product": listing.product_id, "announcement": "x"}, idem="order-1")
    problem = is_problem(other, 422)
    assert problem["detail"] == str(KEY_REUSED) and "Idempotency-Key" in problem["detail"]
    assert problem["title"] != "被平台规则拒绝。" and "rule" not in problem
    assert problem["type"].endswith("/idempotency-key-reused")


def test_s5_the_merchant_sees_the_ship_to_address_once_approved_and_masked_before(merchant, api_for):
    product = eligible_product(shop=factories.ShopFactory(merchant=merchant))
    waiting = request_at(T0, product=product)
    approved = approved_at(T0, product=product)
    api = api_for(merchant.user)
    with travel(T0 + H):
        shown = api.get(f"/api/v1/merchant/sample-requests/{approved.pk}/").json()["ship_to"]
        hidden = api.get(f"/api/v1/merchant/sample-requests/{waiting.pk}/").json()["ship_to"]
        listed = {row["id"]: row["ship_to"] for row in api.get("/api/v1/merchant/sample-requests/").json()["results"]}
    assert shown == approved.address_for_merchant() and shown["street"] and not shown["masked"]
    assert hidden == waiting.address_for_merchant() and hidden["street"] == "" and hidden["masked"]
    assert hidden["phone"] != waiting.ship_to_phone
    assert listed == {approved.pk: shown, waiting.pk: hidden}


def test_s5_the_creator_reads_their_own_ship_to_address_whole(api_for):
    waiting = request_at(T0)
    with travel(T0 + H):
        shown = api_for(waiting.creator.user).get(f"/api/v1/creator/sample-requests/{waiting.pk}/").json()["ship_to"]
    assert shown == waiting.address_for_creator() and not shown["masked"]


def test_s5_the_schema_describes_the_ship_to_address():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    merchant_row = schema["components"]["schemas"]["SampleRequest"]
    assert "ship_to" in merchant_row["properties"]
    address = schema["components"]["schemas"]["ShipToAddress"]
    assert set(address["properties"]) == {"name", "phone", "region", "street", "masked"}
