"""V10 return on samples (samples.views.returns): the page, the dashboard card, the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from flashsales.models import FlashSaleOrder
from samples.models import SampleRequest
from samples.views.returns import CSV_HEADER
from tests import factories
from tests.flashsales.factories import FlashSaleFactory, ViewerFactory
from tests.samples.factories import (
    H,
    feed_sale,
    shipped_at,
    video_with_product,
)

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# V10: return on samples


def _pair_with_sales(merchant=None, *, video_sales=1, flash_orders=1):
    """A shipped sample of a fresh creator, with video and flash-sale orders after shipping."""
    kwargs = {}
    if merchant is not None:
        kwargs["product"] = factories.AllianceListingFactory(product__shop__merchant=merchant).product
    sample = shipped_at(timezone.now() - 48 * H, **kwargs)
    video = video_with_product(sample, timezone.now() - 24 * H)
    for _ in range(video_sales):
        feed_sale(creator=sample.creator, product=sample.product, video=video, quantity=1,
                                              amount=Decimal("99.00"), sold_at=timezone.now() - H)
    flash = FlashSaleFactory(session=factories.LiveSessionFactory(creator=sample.creator), product=sample.product)
    for _ in range(flash_orders):
        FlashSaleOrder.objects.create(flash_sale=flash, viewer=ViewerFactory(), quantity=1, unit_price=Decimal("50.00"),
                                      shipping_fee=Decimal("0"), amount=Decimal("50.00"), created_at=timezone.now() - H)
    return sample


def test_v10_returns_page_lists_each_creator_and_product_scoped_without_n_plus_1(client, django_assert_max_num_queries):
    first = _pair_with_sales(video_sales=2, flash_orders=1)
    merchant = first.merchant
    login(client, merchant.user)
    client.get("/merchant/samples/returns/")  # warm the session and the rules
    # live and video are two sources of the order feed now: one query each, for the rows and the totals;
    # the chart per week (samples.charts.returns_by_week) adds one for the costs and one per source;
    # the page's creator and product names are two more (the pairs group by ids alone, not joined to every name)
    with django_assert_max_num_queries(20) as few:
        page = html(client.get("/merchant/samples/returns/"))
    assert first.creator.nickname in page and "¥248.00" in page
    for _ in range(8):
        _pair_with_sales(merchant)
    _pair_with_sales()  # another merchant's: not shown
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = html(client.get("/merchant/samples/returns/"))
    assert page.split('data-testid="returns"')[1].count("<tr>") == 1 + 9  # the report's table (not the chart's)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_v10_empty_state_search_and_dashboard_card_with_link(client, merchant):
    login(client, merchant.user)
    assert "尚未发出样品" in html(client.get("/merchant/samples/returns/"))
    sample = _pair_with_sales(merchant)
    page = html(client.get("/merchant/samples/returns/", {"q": sample.creator.platform_id}))
    assert sample.product.title in page
    page = html(client.get("/merchant/samples/returns/", {"q": "没有这个人"}))
    assert sample.product.title not in page
    dashboard = html(client.get("/merchant/"))
    assert 'data-testid="returns-card"' in dashboard and "/merchant/samples/returns/" in dashboard


def test_v10_csv_has_one_line_per_creator_and_product_with_cost_orders_and_sales(client):
    sample = _pair_with_sales(video_sales=2, flash_orders=3)
    SampleRequest.objects.filter(pk=sample.pk).update(shipping_cost=Decimal("12.00"))
    _pair_with_sales()  # another merchant's
    resp = login(client, sample.merchant.user).get("/merchant/samples/returns.csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["达人", "达人ID", "商品"]  # headers in the reader's language
    rows = [dict(zip(CSV_HEADER, line, strict=True)) for line in lines]
    assert len(rows) == 1
    row = rows[0]
    assert row["creator"] == sample.creator.nickname and row["product"] == sample.product.title
    assert row["samples_sent"] == "1" and row["total_cost"] == "111.00"
    assert (row["video_orders"], row["video_sales"], row["flash_orders"], row["flash_sales"]) == ("2", "198.00", "3", "150.00")
    assert (row["orders"], row["sales"], row["live_orders"]) == ("5", "348.00", "0")


def test_v10_csv_headers_follow_the_readers_language(client):
    sample = _pair_with_sales()
    c = login(client, sample.merchant.user)
    c.cookies["django_language"] = "en"
    text = b"".join(c.get("/merchant/samples/returns.csv").streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text)))[:3] == ["Creator", "Creator ID", "Product"]


HOSTILE_NICKNAME = '=HYPERLINK("http://x","y")'


def test_v10_csv_writes_a_hostile_nickname_as_text_not_a_formula(client):
    """#23: a cell a spreadsheet would run (=, +, -, @, tab, CR first) starts with an apostrophe."""
    sample = _pair_with_sales()
    sample.creator.nickname = HOSTILE_NICKNAME
    sample.creator.platform_id = "@evil"
    sample.creator.save(update_fields=["nickname", "platform_id"])
    sample.product.title = "-2+3"
    sample.product.save(update_fields=["title"])
    resp = login(client, sample.merchant.user).get("/merchant/samples/returns.csv")
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    _header, line = list(csv.reader(io.StringIO(text)))
    row = dict(zip(CSV_HEADER, line, strict=True))
    assert (row["creator"], row["creator_id"], row["product"]) == ("'" + HOSTILE_NICKNAME, "'@evil", "'-2+3")
    assert row["total_cost"] == "99.00" and row["sales"] == "149.00"  # figures stay numbers
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line)
