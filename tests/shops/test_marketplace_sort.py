"""选品广场: sort by commission, price and sales; 预估赚 per item; S2 keeps virtual and
cross-border products out of the 免费申样 filter; follower counts read 86万."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.template import Context, Template
from django.utils import translation

from core.registry import Registry
from shops import sales
from shops.models import LiveCartItem
from tests import factories

pytestmark = pytest.mark.django_db


def titles(resp) -> list[str]:
    return [listing.product.title for listing in resp.context["page"]]


@pytest.fixture
def three():
    return {
        "cheap": factories.AllianceListingFactory(product__title="低价", product__price=Decimal("10"), commission_rate=Decimal("30")),
        "dear": factories.AllianceListingFactory(product__title="高价", product__price=Decimal("1000"), commission_rate=Decimal("5")),
        "mid": factories.AllianceListingFactory(product__title="中价", product__price=Decimal("100"), commission_rate=Decimal("20")),
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("commission", ["低价", "中价", "高价"]), ("price", ["低价", "中价", "高价"]), ("-price", ["高价", "中价", "低价"])],
)
def test_marketplace_sorts_by_commission_and_price(creator_client, three, sort, expected):
    assert titles(creator_client.get("/creator/marketplace/", {"sort": sort})) == expected


def test_marketplace_sorts_by_sales_over_every_registered_order_source(creator_client, three, monkeypatch):
    # Cart items stand in for orders: any registered source with all_orders counts.
    source = sales.SalesSource(channel="test", orders_of_merchant=lambda m: LiveCartItem.objects.none(), creator="session__creator_id",
                               product="product_id", time="added_at", amount=F("id"), all_orders=LiveCartItem.objects.all)
    only = Registry("test sales sources")
    only.add(source, key="test")
    monkeypatch.setattr(sales, "_sources", only)
    for _ in range(2):
        LiveCartItem.objects.create(session=factories.LiveSessionFactory(), product=three["mid"].product)
    LiveCartItem.objects.create(session=factories.LiveSessionFactory(), product=three["dear"].product)
    assert titles(creator_client.get("/creator/marketplace/", {"sort": "sales"})) == ["中价", "高价", "低价"]


def test_an_unknown_sort_is_a_clear_error_not_a_500(creator_client, three):
    resp = creator_client.get("/creator/marketplace/", {"sort": "evil"})
    assert resp.status_code == 200 and titles(resp) == []


def test_marketplace_card_shows_the_estimated_earning_per_item(creator_client, three):
    page = creator_client.get("/creator/marketplace/", {"sort": "price"}).content.decode()
    assert "预估赚 ¥3.00" in page and "预估赚 ¥50.00" in page  # 10 × 30 %, 1000 × 5 %


def test_s2_virtual_and_cross_border_products_are_not_free_sample_offers(creator_client):
    factories.AllianceListingFactory(product__title="实物")
    factories.AllianceListingFactory(product__title="虚拟卡券", product__is_virtual=True)
    factories.AllianceListingFactory(product__title="跨境面霜", product__shop__is_cross_border=True)
    assert titles(creator_client.get("/creator/marketplace/", {"sample_support": "yes"})) == ["实物"]
    assert set(titles(creator_client.get("/creator/marketplace/", {"sample_support": "no"}))) == {"虚拟卡券", "跨境面霜"}
    page = creator_client.get("/creator/marketplace/").content.decode()
    assert page.count('data-testid="free-samples"') == 1


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [(860_000, "86万", "860K"), (12_345, "1.2万", "12.3K"), (9_999, "9999", "9.9K"), (123_000_000, "1.2亿", "123M"), (500, "500", "500")],
)
def test_follower_counts_read_as_people_say_them(n, zh, en):
    tpl = Template("{% load daihuo_format %}{{ n|people_count }}")
    with translation.override("zh-hans"):
        assert tpl.render(Context({"n": n})) == zh
    with translation.override("en"):
        assert tpl.render(Context({"n": n})) == en
