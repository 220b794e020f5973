"""Filings, flash sales and their orders, alliance removals and the marketplace through the
API: the owner's data only (404), the scope of each domain (403), the same services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.flashsales.factories import FlashSaleFactory
from tests.samples.factories import T0, travel

pytestmark = pytest.mark.django_db


def test_f7_merchant_withdraws_a_filing_under_review_through_the_api(api_for):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    merchant = filing.product.shop.merchant
    api = api_for(merchant.user, scopes=["read", "filings"])
    assert [f["id"] for f in api.get("/api/v1/merchant/filings/").json()["results"]] == [filing.pk]
    response = api.post(f"/api/v1/merchant/filings/{filing.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["state"] == Filing.State.PENDING


def test_f7_withdraw_needs_the_filings_scope_and_the_own_filing(merchant, api_for):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    own = api_for(filing.product.shop.merchant.user, scopes=["read", "samples"])
    assert own.post(f"/api/v1/merchant/filings/{filing.pk}/withdraw/").status_code == 403
    other = api_for(merchant.user, scopes=["read", "filings"])
    assert other.get(f"/api/v1/merchant/filings/{filing.pk}/").status_code == 404
    assert other.post(f"/api/v1/merchant/filings/{filing.pk}/withdraw/").status_code == 404
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.UNDER_REVIEW


def test_fs_merchant_lists_flash_sales_of_own_products_and_their_orders(merchant, api_for):
    sale = FlashSaleFactory()
    FlashSaleFactory()  # another merchant's
    api = api_for(sale.product.shop.merchant.user, scopes=["read"])
    assert [s["id"] for s in api.get("/api/v1/merchant/flash-sales/").json()["results"]] == [sale.pk]
    assert api.get(f"/api/v1/merchant/flash-sales/{sale.pk}/orders/").json()["results"] == []
    assert api_for(merchant.user).get(f"/api/v1/merchant/flash-sales/{sale.pk}/orders/").status_code == 404


def test_d2_schedule_and_cancel_a_removal_through_the_api(api_for):
    listing = factories.AllianceListingFactory()
    api = api_for(listing.product.shop.merchant.user, scopes=["read", "alliance"])
    with travel(T0):
        made = api.post("/api/v1/merchant/alliance-removals/", {"product": listing.product_id, "at": (T0 + timedelta(days=3)).isoformat()})
        assert made.status_code == 201 and made.json()["status"] == "scheduled"
        again = api.post("/api/v1/merchant/alliance-removals/", {"product": listing.product_id, "at": (T0 + timedelta(days=4)).isoformat()})
        assert again.status_code == 422  # one scheduled removal per product
        cancelled = api.post(f"/api/v1/merchant/alliance-removals/{made.json()['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"


def test_d1_another_merchants_product_cannot_be_scheduled(merchant, api_for):
    listing = factories.AllianceListingFactory()
    response = api_for(merchant.user, scopes=["read", "alliance"]).post("/api/v1/merchant/alliance-removals/", {"product": listing.product_id})
    assert response.status_code == 404


def test_marketplace_lists_the_alliance_for_creator_keys_only(creator, merchant, api_for):
    listing = factories.AllianceListingFactory()
    assert listing.pk in [row["id"] for row in api_for(creator.user, scopes=["read"]).get("/api/v1/creator/marketplace/").json()["results"]]
    assert api_for(merchant.user, scopes=["read"]).get("/api/v1/creator/marketplace/").status_code == 403


def test_creator_asks_for_a_sample_through_the_api(creator, api_for):
    from tests.samples.factories import address_for, eligible_product

    product = eligible_product()
    api = api_for(creator.user)
    with travel(T0):
        homeless = api.post("/api/v1/creator/sample-requests/", {"product": product.pk})
        address_for(creator)  # the request ships to the creator's default address
        made = api.post("/api/v1/creator/sample-requests/", {"product": product.pk})
        twice = api.post("/api/v1/creator/sample-requests/", {"product": product.pk})
    assert homeless.status_code == 422 and homeless.json()["detail"] == "请先添加收货地址：商家要按它寄出样品。"
    assert made.status_code == 201 and made.json()["state"] == "requested"
    assert twice.status_code == 422 and twice.json()["rule"] == "V3"
