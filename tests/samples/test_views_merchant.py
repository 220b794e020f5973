"""The merchant's sample inbox (samples.views.merchant): scoped, highlighted, sorted by
triage score (V4), decided one or in bulk, shipped with a cost (V10)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from samples import messages as msg
from samples.models import SampleRequest
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    eligible_product,
    reload,
    request_at,
    travel,
    triage_rule,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# S8: the inbox


def test_s8_merchant_inbox_scoped_with_creator_profile_highlights_and_no_n_plus_1(
    merchant_client, merchant, django_assert_max_num_queries
):
    now = timezone.now()
    mine = [request_at(now - H, product=eligible_product(shop__merchant=merchant)) for _ in range(4)]
    late = approved_at(now - 50 * H, product=eligible_product(shop__merchant=merchant))
    soon = request_at(now - 45 * H, product=eligible_product(shop__merchant=merchant))
    theirs = request_at(now - H, product=eligible_product(title="别家商品"))
    with django_assert_max_num_queries(15):  # V1 adds the page's scores: three queries, whatever the rows
        page = html(merchant_client.get("/merchant/samples/"))
    for sample in mine:
        assert f"/merchant/samples/{sample.pk}/" in page
    assert "别家商品" not in page
    assert "table-danger" in page and 'data-testid="late"' in page
    assert "table-warning" in page and 'data-testid="soon"' in page
    assert "粉丝" in page and "履约率" in page
    assert merchant_client.get(f"/merchant/samples/{theirs.pk}/").status_code == 404
    assert merchant_client.post(f"/merchant/samples/{theirs.pk}/decide/", {"action": "approve"}).status_code == 404
    filtered = html(merchant_client.get("/merchant/samples/?attention=late"))
    assert f"/merchant/samples/{late.pk}/" in filtered and f"/merchant/samples/{soon.pk}/\"" not in filtered
    filtered = html(merchant_client.get("/merchant/samples/?attention=soon"))
    assert f"/merchant/samples/{soon.pk}/" in filtered and f"/merchant/samples/{mine[0].pk}/\"" not in filtered
    filtered = html(merchant_client.get("/merchant/samples/?state=approved"))
    assert f"/merchant/samples/{late.pk}/" in filtered and f"/merchant/samples/{mine[0].pk}/\"" not in filtered


def test_s8_merchant_sees_creator_past_fulfilment_rate(merchant_client, merchant):
    creator = factories.CreatorFactory(followers=123456)
    for state in [S.FULFILLED, S.FULFILLED, S.FULFILLED, S.BREACHED]:
        done = request_at(T0, creator=creator)
        SampleRequest.objects.filter(pk=done.pk).update(state=state, approved_at=T0)
    sample = request_at(timezone.now(), creator=creator, product=eligible_product(shop__merchant=merchant))
    page = html(merchant_client.get(f"/merchant/samples/{sample.pk}/"))
    assert "12.3万" in page and "75%" in page  # followers as people read them


def test_s8_bulk_approve_touches_only_the_merchants_own_requests(merchant_client, merchant):
    mine = [request_at(timezone.now() - H, product=eligible_product(shop__merchant=merchant)) for _ in range(3)]
    theirs = request_at(timezone.now() - H)
    merchant_client.post("/merchant/samples/bulk/", {"ids": [s.pk for s in mine] + [theirs.pk], "action": "approve"})
    assert all(reload(s).state == S.APPROVED for s in mine)
    assert reload(theirs).state == S.REQUESTED


def test_v4_inbox_sorts_waiting_requests_by_the_shown_triage_score_without_n_plus_1(
    merchant_client, merchant, django_assert_max_num_queries,
):
    now = timezone.now()
    low = request_at(now - 2 * H, creator=factories.CreatorFactory(followers=10), product=eligible_product(shop__merchant=merchant))
    high = request_at(now - H, creator=factories.CreatorFactory(followers=900_000), product=eligible_product(shop__merchant=merchant))
    for _ in range(3):
        request_at(now - H, product=eligible_product(shop__merchant=merchant))
    with django_assert_max_num_queries(15):
        page = html(merchant_client.get("/merchant/samples/"))
    assert high.triage_score > low.triage_score
    assert page.index(f"/merchant/samples/{high.pk}/") < page.index(f"/merchant/samples/{low.pk}/")
    assert f'data-testid="triage-score">{high.triage_score}<' in page
    newest = html(merchant_client.get("/merchant/samples/?order=newest"))
    assert newest.index(f"/merchant/samples/{high.pk}/") < newest.index(f"/merchant/samples/{low.pk}/")


def test_v4_automatic_decision_is_shown_to_merchant_and_creator(client, merchant):
    creator = factories.CreatorFactory()
    product = eligible_product(shop__merchant=merchant)
    triage_rule(product=product, name="低粉拒绝", action="reject", min_followers=10**6)
    sample = request_at(timezone.now(), creator=creator, product=product)
    assert sample.state == S.REJECTED
    client.force_login(creator.user)
    assert "低粉拒绝" in html(client.get(f"/creator/samples/{sample.pk}/"))
    client.force_login(merchant.user)
    page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert 'data-testid="auto-decision"' in page and "低粉拒绝" in page
    assert 'data-testid="auto-rule"' in html(client.get("/merchant/samples/"))


# ---------------------------------------------------------------------------------------
# S4, S5, V10: deciding and shipping


def test_s4_merchant_deciding_after_48h_is_told(merchant_client, merchant):
    sample = request_at(T0, product=eligible_product(shop__merchant=merchant))
    with travel(T0 + 48 * H + M):
        resp = merchant_client.post(f"/merchant/samples/{sample.pk}/decide/", {"action": "approve"}, follow=True)
    assert str(msg.DECIDE_TOO_LATE) in html(resp)


def test_s5_ship_form_checks_the_tracking_format_and_keeps_what_was_typed(merchant_client, merchant):
    sample = approved_at(timezone.now() - H, product=eligible_product(shop__merchant=merchant))
    resp = merchant_client.post(f"/merchant/samples/{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "12345"})
    page = html(resp)
    assert resp.status_code == 400 and 'value="12345"' in page and "这不是有效的顺丰速运物流单号" in page
    assert reload(sample).state == S.APPROVED
    merchant_client.post(f"/merchant/samples/{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"})
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.tracking_number == "SF123456789012"


def test_v10_ship_form_takes_an_optional_shipping_cost(client):
    from tests.samples.factories import approved_at

    sample = approved_at(timezone.now() - H)
    login(client, sample.merchant.user)
    bad = client.post(f"/merchant/samples/{sample.pk}/ship/",
                      {"carrier": "sf", "tracking_number": "SF123456789012", "shipping_cost": "-3"})
    assert bad.status_code == 400 and reload(sample).state == S.APPROVED
    client.post(f"/merchant/samples/{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012", "shipping_cost": "9.90"})
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.shipping_cost == Decimal("9.90")
    assert 'data-testid="cost"' in html(client.get(f"/merchant/samples/{sample.pk}/"))


def test_v4_inbox_order_holds_across_the_waiting_boundary_and_across_pages(merchant):
    """The inbox pages through two indexes (samples.selectors.InboxRows); the pages, read in
    turn, give the one-query V4 order: waiting by triage score (ties: the earlier deadline,
    then the newer request), then the others newest first, each row once."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samples import selectors

    rows = [request_at(T0 + i * M, product=eligible_product(shop__merchant=merchant)) for i in range(11)]
    scores = [40, 90, 40, 10, 90, 70]  # six waiting, with ties
    for sample, score in zip(rows, scores, strict=False):
        SampleRequest.objects.filter(pk=sample.pk).update(triage_score=score, decide_by=T0 + 48 * H - (score % 3) * M)
    for sample, state in zip(rows[6:], [S.APPROVED, S.EXPIRED, S.REJECTED, S.SHIPPED, S.APPROVED], strict=True):
        SampleRequest.objects.filter(pk=sample.pk).update(  # a non-waiting score is not a rank
            state=state, triage_score=99, approved_at=T0, tracking_number="SF1", carrier="sf")
    request_at(T0, product=eligible_product())  # another merchant's

    qs = selectors.inbox_requests(merchant=merchant)
    expected = list(selectors.inbox_by_triage(qs).values_list("pk", flat=True))
    assert len(expected) == 11
    assert [SampleRequest.objects.get(pk=pk).triage_score for pk in expected[:6]] == [90, 90, 70, 40, 40, 10]
    assert expected[6:] == [s.pk for s in reversed(rows[6:])]  # the rest newest first
    for size in (1, 4, 5, 6, 7, 20):  # pages ending before, at and after the boundary
        paginator = Paginator(selectors.InboxRows(qs), size)
        paged = [s.pk for n in paginator.page_range for s in paginator.page(n)]
        assert paged == expected, size
    assert paginator.count == 11
    newest = Paginator(selectors.InboxRows(qs, triage=False), 4)
    assert [s.pk for n in newest.page_range for s in newest.page(n)] == [s.pk for s in reversed(rows)]
    waiting_only = selectors.InboxRows(qs.filter(state=S.REQUESTED))
    assert [s.pk for s in waiting_only[0:20]] == expected[:6]
    with CaptureQueriesContext(connection) as inside:
        selectors.InboxRows(qs)[0:3]  # within the waiting requests
    with CaptureQueriesContext(connection) as past:
        selectors.InboxRows(qs)[7:10]  # past them
    assert len(inside) == len(past)  # a page costs the same queries wherever it falls
    page = selectors.InboxRows(qs)[5:7]  # the page's rows are whole, with the creator's record
    assert [s.pk for s in page] == expected[5:7] and all(s.creator_fulfilled == s.creator_breached == 0 for s in page)
