"""The to-do boards' samples part (samples.todo): the merchant's 待审核 / 待发货 / 即将超时 and
the creator's 待确认收货 / 待推广, each a link to the filtered list, with the nearest deadlines."""

import pytest

from tests.filings.factories import FilingFactory
from tests.samples.factories import T0, H, approved_at, eligible_product, received_at, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


def test_s8_merchant_board_counts_what_waits_and_links_each_to_the_filtered_list(client, django_assert_max_num_queries):
    product = eligible_product()
    merchant = product.shop.merchant
    request_at(T0, product=product)
    request_at(T0 - 43 * H, product=product)  # S4: decide by T0 + 5 h: within the 6 h "about to expire" at T0 + H
    approved_at(T0, product=product)
    FilingFactory(product=eligible_product(shop=product.shop))
    client.force_login(merchant.user)
    with travel(T0 + H), django_assert_max_num_queries(25):
        page = html(client.get("/merchant/"))
    assert 'data-testid="todo-board"' in page
    assert 'href="/merchant/samples/?state=requested"' in page and 'href="/merchant/samples/?state=approved"' in page
    assert 'href="/merchant/samples/?attention=soon"' in page and 'href="/merchant/filings/?state=pending"' in page
    counts = [int(x.split('<span class="stat')[1].split(">")[1].split("<")[0]) for x in page.split('data-testid="todo-count"')[1:]]
    assert counts == [2, 1, 1, 1]  # to decide, to ship, filings to submit, about to expire
    assert page.count('data-testid="todo-deadline"') == 3  # the two decisions and the shipment


def test_s8_creator_board_counts_receipts_and_promotions_with_their_deadlines(client):
    shipped = shipped_at(T0)
    creator = shipped.creator
    received_at(T0, creator=creator)
    client.force_login(creator.user)
    with travel(T0 + H):
        page = html(client.get("/creator/"))
    assert 'href="/creator/samples/?state=shipped"' in page and 'href="/creator/samples/?state=received"' in page
    assert page.count('data-testid="todo-deadline"') == 2
    assert shipped.product.title in page
