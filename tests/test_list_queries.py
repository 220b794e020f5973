"""The list pages cost the same number of queries with few rows and with many (the
benchmark, bench/, measures them at 10 and 10,000 rows on the big world): no per-row
query, no filter that lists every related row, no count of the whole table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filings.models import Filing
from samples.models import SampleRequest
from shops import views as shop_views
from tests import factories
from tests.filings.factories import FilingFactory
from tests.flashsales.factories import FlashSaleFactory
from tests.samples.factories import eligible_product, request_at, shipped_at

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> tuple[int, bytes]:
    client.get(url)  # warm the per-process caches (content types, rules)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content


def grows_flat(client, url: str, add, *, few: int = 2, more: int = 12) -> tuple[int, int]:
    for _ in range(few):
        add()
    at_few, _ = queries(client, url)
    for _ in range(more - few):
        add()
    at_more, _ = queries(client, url)
    return at_few, at_more


@pytest.fixture
def merchant_user_client(client, merchant):
    client.force_login(merchant.user)
    return client


def test_s8_merchant_sample_inbox_queries_do_not_grow_with_requests_or_products(merchant_user_client, merchant):
    def add():
        request_at(product=eligible_product(shop__merchant=merchant))

    at_few, at_more = grows_flat(merchant_user_client, "/merchant/samples/", add)
    assert at_few == at_more
    _, html = queries(merchant_user_client, "/merchant/samples/")
    assert b'<select name="product"' not in html  # a search box, not every product of the shop


def test_s8_inbox_product_search_by_title_or_number(merchant_user_client, merchant):
    wanted = request_at(product=eligible_product(shop__merchant=merchant, title="翡翠手镯"))
    other = request_at(product=eligible_product(shop__merchant=merchant, title="和田玉"))
    _, html = queries(merchant_user_client, "/merchant/samples/?product=翡翠")
    assert "翡翠手镯".encode() in html and "和田玉".encode() not in html
    _, html = queries(merchant_user_client, f"/merchant/samples/?product={other.product_id}")
    assert "和田玉".encode() in html and "翡翠手镯".encode() not in html
    assert wanted.pk != other.pk


def test_v10_returns_on_samples_queries_do_not_grow(merchant_user_client, merchant):
    def add():
        shipped_at(product=eligible_product(shop__merchant=merchant))

    at_few, at_more = grows_flat(merchant_user_client, "/merchant/samples/returns/", add)
    assert at_few == at_more


def test_f_merchant_filing_task_list_queries_do_not_grow(merchant_user_client, merchant):
    def add():
        FilingFactory(product__shop__merchant=merchant)

    at_few, at_more = grows_flat(merchant_user_client, "/merchant/filings/", add)
    assert at_few == at_more
    _, html = queries(merchant_user_client, "/merchant/filings/")
    assert b'<select name="creator"' not in html  # a search box, not every linked creator


def test_f3_filing_task_list_finds_the_linked_creator_by_name_or_number(merchant_user_client, merchant):
    wanted = FilingFactory(product__shop__merchant=merchant, product__title="翡翠手镯", creator=factories.CreatorFactory(nickname="小雨直播间"))
    other = FilingFactory(product__shop__merchant=merchant, product__title="和田玉", creator=factories.CreatorFactory(nickname="大鹏"))
    _, html = queries(merchant_user_client, "/merchant/filings/?creator=小雨")
    assert wanted.product.title.encode() in html and other.product.title.encode() not in html
    _, html = queries(merchant_user_client, f"/merchant/filings/?creator={other.creator_id}")
    assert other.product.title.encode() in html and wanted.product.title.encode() not in html


def test_fs_flash_sale_lists_queries_do_not_grow(client, merchant):
    creator = factories.CreatorFactory()

    def add():
        FlashSaleFactory(session__creator=creator, product__shop__merchant=merchant)

    client.force_login(creator.user)
    at_few, at_more = grows_flat(client, "/creator/flash-sales/", add)
    assert at_few == at_more
    client.force_login(merchant.user)
    at_few, at_more = grows_flat(client, "/merchant/flash-sales/", add, few=0, more=3)
    assert at_few == at_more


def test_marketplace_queries_do_not_grow_and_the_count_is_capped(client, monkeypatch):
    creator = factories.CreatorFactory()
    client.force_login(creator.user)
    at_few, at_more = grows_flat(client, "/creator/marketplace/", lambda: factories.AllianceListingFactory())
    assert at_few == at_more
    monkeypatch.setattr(shop_views, "MARKETPLACE_COUNT_CAP", 24)
    for _ in range(12):
        factories.AllianceListingFactory()
    _, html = queries(client, "/creator/marketplace/")
    assert "第 1 / 2 页".encode() in html  # 24 listings: all counted
    factories.AllianceListingFactory()
    _, html = queries(client, "/creator/marketplace/")
    assert "第 1 / 2+ 页".encode() in html  # 25 listings, counted to the cap: "2+" pages


def test_admin_sample_request_list_queries_do_not_grow_and_no_date_hierarchy(admin_client):
    at_few, at_more = grows_flat(admin_client, "/admin/samples/samplerequest/", lambda: request_at())
    assert at_few == at_more
    _, html = queries(admin_client, "/admin/samples/samplerequest/")
    assert b"xfull" not in html and b"requested_at__year" not in html
    assert SampleRequest.objects.count() == 12


def test_admin_filing_list_does_not_list_every_creator_and_shop(admin_client):
    at_few, at_more = grows_flat(admin_client, "/admin/filings/filing/", lambda: FilingFactory())
    assert at_few == at_more
    _, html = queries(admin_client, "/admin/filings/filing/")
    assert b"creator__id__exact" not in html and b"product__shop__id__exact" not in html
    assert Filing.objects.count() == 12


def test_admin_big_table_count_is_the_row_estimate_in_one_query_and_exact_below_the_mark(monkeypatch):
    from django.db import connection as conn

    from core.admin_base import EstimatedCountPaginator

    for _ in range(5):
        request_at()
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE samples_samplerequest")
    SampleRequest.objects.filter(pk=SampleRequest.objects.first().pk).update(note="x")  # the estimate is what ANALYZE saw
    with CaptureQueriesContext(conn) as ctx:
        assert EstimatedCountPaginator(SampleRequest.objects.all(), 20).count == 5
    assert len(ctx) == 1 and "reltuples" in ctx.captured_queries[0]["sql"]
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 3)
    request_at()
    assert EstimatedCountPaginator(SampleRequest.objects.all(), 20).count == 5  # estimate: 5 at ANALYZE, 6 now
    assert EstimatedCountPaginator(SampleRequest.objects.filter(state="requested"), 20).count == 6  # filtered: exact
