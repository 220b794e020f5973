"""S8 workspaces: the creator's "my sample requests", the merchant's inbox, the marketplace
hook (S1, S2) and the reviewers' admin, scoped to the person asking and free of N+1."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_fsm_log.models import StateLog

from samples import messages as msg
from samples.models import SampleRequest
from shops.models import AllianceListing
from tests import factories
from tests.samples.factories import T0, H, M, approved_at, eligible_product, reload, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


# ---------------------------------------------------------------------------------------
# Marketplace: 「免费申样」 and the request button (S1, S2)


def test_s2_marketplace_shows_free_samples_only_on_eligible_products_without_n_plus_1(
    creator_client, django_assert_max_num_queries
):
    eligible = [eligible_product(title=f"可申样{i}") for i in range(4)]
    off = eligible_product(title="未开通")
    AllianceListing.objects.filter(product=off).update(sample_support=False)
    with django_assert_max_num_queries(12):
        page = html(creator_client.get("/creator/marketplace/?q="))
    assert page.count('data-testid="free-samples"') == len(eligible)
    assert msg.FREE_SAMPLES in page


def test_s2_detail_page_offers_the_request_and_creator_asks(creator_client, creator):
    product = eligible_product(title="面霜")
    listing = product.alliance_listing
    page = html(creator_client.get(f"/creator/marketplace/{listing.pk}/"))
    assert "免费申样" in page and f"/creator/samples/request/{product.pk}/" in page
    resp = creator_client.post(f"/creator/samples/request/{product.pk}/", {"note": "想做开箱视频"})
    sample = SampleRequest.objects.get(creator=creator)
    assert resp.status_code == 302 and resp["Location"] == f"/creator/samples/{sample.pk}/"
    assert sample.note == "想做开箱视频" and sample.state == S.REQUESTED
    assert "你已申请过该样品" in html(creator_client.get(f"/creator/marketplace/{listing.pk}/"))


def test_s2_detail_page_says_why_a_product_has_no_samples(creator_client):
    product = eligible_product(is_virtual=True)
    page = html(creator_client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert "虚拟类商品暂不支持" in page and "/creator/samples/request/" not in page


def test_s1_risky_creator_is_told_on_the_detail_page_and_refused_on_post(client):
    risky = factories.CreatorFactory(is_risky=True)
    client.force_login(risky.user)
    product = eligible_product()
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert str(msg.CREATOR_RISKY) in page
    resp = client.post(f"/creator/samples/request/{product.pk}/", follow=True)
    assert str(msg.CREATOR_RISKY) in html(resp)
    assert not SampleRequest.objects.exists()


# ---------------------------------------------------------------------------------------
# Creator: my sample requests


def test_s8_creator_list_shows_state_countdown_and_tracking_scoped_and_without_n_plus_1(
    creator_client, creator, django_assert_max_num_queries
):
    shipped = shipped_at(timezone.now() - H, creator=creator)
    for _ in range(5):
        request_at(timezone.now() - H, creator=creator)
    someone_else = request_at(timezone.now() - H)
    with django_assert_max_num_queries(13):  # V1 adds the score: three queries, whatever the rows
        page = html(creator_client.get("/creator/samples/"))
    assert page.count("/creator/samples/") >= 6
    assert shipped.tracking_number in page and "已发货" in page and "data-deadline" in page
    assert creator_client.get(f"/creator/samples/{someone_else.pk}/").status_code == 404
    assert creator_client.post(f"/creator/samples/{someone_else.pk}/withdraw/").status_code == 404


def test_s8_creator_list_empty_state(creator_client):
    assert "你还没有申请过样品" in html(creator_client.get("/creator/samples/"))


def test_s8_creator_detail_has_timeline_and_confirms_receipt(creator_client, creator):
    sample = shipped_at(timezone.now() - H, creator=creator)
    page = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    assert 'data-testid="timeline"' in page and "SF123456789012" in page and "确认收货" in page
    creator_client.post(f"/creator/samples/{sample.pk}/receive/")
    assert reload(sample).state == S.RECEIVED


def test_s4_creator_losing_to_the_sweep_is_told_the_row_already_moved(creator_client, creator):
    sample = request_at(timezone.now() - H, creator=creator)
    SampleRequest.objects.filter(pk=sample.pk).update(state=S.EXPIRED)  # the sweep got there first
    resp = creator_client.post(f"/creator/samples/{sample.pk}/withdraw/", follow=True)
    alert = html(resp).split('role="alert"')[1].split("</div>")[0]
    assert "alert" in html(resp) and "已取消（超时未审核）" in alert
    assert reload(sample).state == S.EXPIRED


def test_s7_creator_records_a_new_video_promotion(creator_client, creator):
    sample = shipped_at(timezone.now() - 2 * H, creator=creator)
    creator_client.post(f"/creator/samples/{sample.pk}/receive/")
    resp = creator_client.post(
        f"/creator/samples/{sample.pk}/promote/", {"kind": "new_video", "title": "开箱", "url": "https://v.example/9"}
    )
    assert resp.status_code == 302
    sample = reload(sample)
    assert sample.promotion == "video" and sample.promotion_video.cart_items.filter(product=sample.product).exists()


def test_s7_new_video_form_keeps_what_was_typed_on_error(creator_client, creator):
    sample = shipped_at(timezone.now() - 2 * H, creator=creator)
    creator_client.post(f"/creator/samples/{sample.pk}/receive/")
    resp = creator_client.post(f"/creator/samples/{sample.pk}/promote/", {"kind": "new_video", "title": "", "url": "不是链接"})
    page = html(resp)
    assert resp.status_code == 200 and 'value="不是链接"' in page and "invalid-feedback" in page


# ---------------------------------------------------------------------------------------
# Merchant: the inbox


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
    assert "123456" in page and "75%" in page


def test_s8_bulk_approve_touches_only_the_merchants_own_requests(merchant_client, merchant):
    mine = [request_at(timezone.now() - H, product=eligible_product(shop__merchant=merchant)) for _ in range(3)]
    theirs = request_at(timezone.now() - H)
    merchant_client.post("/merchant/samples/bulk/", {"ids": [s.pk for s in mine] + [theirs.pk], "action": "approve"})
    assert all(reload(s).state == S.APPROVED for s in mine)
    assert reload(theirs).state == S.REQUESTED


def test_s5_ship_form_checks_the_tracking_format_and_keeps_what_was_typed(merchant_client, merchant):
    sample = approved_at(timezone.now() - H, product=eligible_product(shop__merchant=merchant))
    resp = merchant_client.post(f"/merchant/samples/{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "12345"})
    page = html(resp)
    assert resp.status_code == 400 and 'value="12345"' in page and "这不是有效的顺丰速运物流单号" in page
    assert reload(sample).state == S.APPROVED
    merchant_client.post(f"/merchant/samples/{sample.pk}/ship/", {"carrier": "sf", "tracking_number": "SF123456789012"})
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.tracking_number == "SF123456789012"


def test_s4_merchant_deciding_after_48h_is_told(merchant_client, merchant):
    sample = request_at(T0, product=eligible_product(shop__merchant=merchant))
    with travel(T0 + 48 * H + M):
        resp = merchant_client.post(f"/merchant/samples/{sample.pk}/decide/", {"action": "approve"}, follow=True)
    assert str(msg.DECIDE_TOO_LATE) in html(resp)


# ---------------------------------------------------------------------------------------
# Reviewer admin


def test_s3_admin_lists_filters_and_overrides_with_a_recorded_reason(client):
    reviewer = factories.UserFactory(username="reviewer", is_staff=True)
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_fsm_log"))
    client.force_login(reviewer)
    sample = request_at(timezone.now() - H)
    assert client.get("/admin/samples/samplerequest/?state=requested&deadline=soon").status_code == 200
    assert client.get(f"/admin/samples/samplerequest/{sample.pk}/change/").status_code == 200
    ask = client.post("/admin/samples/samplerequest/", {"action": "override_cancel", "_selected_action": [sample.pk]})
    assert "原因" in html(ask) and reload(sample).state == S.REQUESTED
    client.post(
        "/admin/samples/samplerequest/",
        {"action": "override_cancel", "_selected_action": [sample.pk], "apply": "1", "reason": "商家反映达人冒用身份"},
    )
    sample = reload(sample)
    assert sample.state == S.CANCELLED
    entry = StateLog.objects.for_(sample).latest("timestamp")
    assert entry.by == reviewer and "商家反映达人冒用身份" in entry.description
