"""选品广场: filters, search, pagination, no N+1."""

from decimal import Decimal

import pytest

from shops.models import ShopType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    jade = factories.CategoryFactory(name="珠宝玉石")
    food = factories.CategoryFactory(name="食品饮料")
    flagship = factories.ShopFactory(shop_type=ShopType.FLAGSHIP)
    individual = factories.ShopFactory(shop_type=ShopType.INDIVIDUAL)
    listings = {
        "bangle": factories.AllianceListingFactory(product__title="和田玉手镯", product__category=jade, product__price=Decimal("2680"), product__shop=flagship),
        "jerky": factories.AllianceListingFactory(product__title="牛肉干", product__category=food, product__price=Decimal("39.9"), product__shop=individual, sample_support=False),
        "hotpot": factories.AllianceListingFactory(product__title="火锅底料", product__category=food, product__price=Decimal("29.9"), product__shop=individual),
    }
    # Not in the marketplace: off sale, and not listed.
    factories.AllianceListingFactory(product__title="下架商品", product__sale_status="off_sale")
    factories.ProductFactory(title="未入联盟")
    return {"jade": jade, "food": food, **listings}


def titles(resp) -> set[str]:
    return {listing.product.title for listing in resp.context["page"]}


def test_marketplace_lists_only_listed_products_on_sale(creator_client, world):
    resp = creator_client.get("/creator/marketplace/")
    assert resp.status_code == 200
    assert titles(resp) == {"和田玉手镯", "牛肉干", "火锅底料"}


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "手镯"}, {"和田玉手镯"}),
        ({"category": "food"}, {"牛肉干", "火锅底料"}),
        ({"price_min": "30", "price_max": "100"}, {"牛肉干"}),
        ({"price_max": "29.9"}, {"火锅底料"}),
        ({"shop_type": "flagship"}, {"和田玉手镯"}),
        ({"sample_support": "yes"}, {"和田玉手镯", "火锅底料"}),
        ({"sample_support": "no"}, {"牛肉干"}),
        ({"category": "food", "sample_support": "yes"}, {"火锅底料"}),
    ],
)
def test_marketplace_filters(creator_client, world, params, expected):
    if "category" in params:
        params = {**params, "category": world[params["category"]].pk}
    resp = creator_client.get("/creator/marketplace/", params)
    assert titles(resp) == expected


def test_marketplace_bad_filter_input_shows_a_message_and_no_results(creator_client, world):
    resp = creator_client.get("/creator/marketplace/", {"price_min": "abc"})
    assert resp.status_code == 200
    assert titles(resp) == set()
    assert "输入一个数字" in resp.content.decode()


def test_marketplace_paginates_with_a_constant_number_of_queries(creator_client, django_assert_max_num_queries):
    for _ in range(30):
        factories.AllianceListingFactory()
    with django_assert_max_num_queries(12):
        first = creator_client.get("/creator/marketplace/")
    assert len(first.context["page"]) == 12
    assert first.context["page"].paginator.count == 30
    third = creator_client.get("/creator/marketplace/", {"page": 3})
    assert len(third.context["page"]) == 6


def test_merchant_product_list_has_no_n_plus_one(merchant_client, merchant, django_assert_max_num_queries):
    shop = factories.ShopFactory(merchant=merchant)
    for _ in range(20):
        factories.AllianceListingFactory(product__shop=shop)
    with django_assert_max_num_queries(10):
        resp = merchant_client.get("/merchant/products/")
    assert len(resp.context["page"]) == 20
