"""Pages of samples at volume (V7–V10): scoped to the person asking, forms keep what was
typed, the reviewers' admin actions, the return-on-samples page and its CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_fsm_log.models import StateLog

from flashsales.models import FlashSaleOrder
from samples import messages_volume as vmsg
from samples import services, services_volume
from samples.models import ExtensionRequest, SampleRequest
from shops.models import LiveCartItem, LiveSession
from tests import factories
from tests.flashsales.factories import FlashSaleFactory, ViewerFactory
from tests.samples.factories import H, received_at, reload, shipped_at, video_with_product

pytestmark = pytest.mark.django_db
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# V7


def test_v7_creator_asks_on_the_page_the_form_keeps_its_place_and_the_merchant_refuses(client):
    sample = received_at(timezone.now() - H)
    login(client, sample.creator.user)
    page = html(client.get(f"/creator/samples/{sample.pk}/"))
    assert 'data-testid="extension"' in page and "7" in page
    bad = client.post(f"/creator/samples/{sample.pk}/extension/", {"reason": ""})
    assert bad.status_code == 400 and "invalid-feedback" in html(bad)
    client.post(f"/creator/samples/{sample.pk}/extension/", {"reason": "展会档期冲突"})
    ext = ExtensionRequest.objects.get(sample=sample)
    assert ext.state == ExtensionRequest.State.REQUESTED
    assert "展会档期冲突" in html(client.get(f"/creator/samples/{sample.pk}/"))

    other = factories.MerchantFactory()
    assert login(client, other.user).post(f"/merchant/samples/{sample.pk}/extension/", {"action": "refuse"}).status_code == 404
    login(client, sample.merchant.user)
    page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert "展会档期冲突" in page and 'data-testid="extension-state"' in page
    client.post(f"/merchant/samples/{sample.pk}/extension/", {"action": "refuse", "reason": "新品首发不能等"})
    ext = ExtensionRequest.objects.get(pk=ext.pk)
    assert ext.state == ExtensionRequest.State.REFUSED and ext.refuse_reason == "新品首发不能等"
    assert StateLog.objects.for_(ext).get().by == sample.merchant.user


def test_v7_admin_lists_extensions(client, staff):
    sample = received_at(timezone.now() - H)
    services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要时间")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    login(client, staff)
    assert sample.product.title in html(client.get("/admin/samples/extensionrequest/"))
    assert client.get("/admin/samples/samplerequest/?deadline=extension").status_code == 200


# ---------------------------------------------------------------------------------------
# V8


def test_v8_joining_the_live_room_counts_a_viewer_only_while_live(client):
    live = factories.LiveSessionFactory(peak_viewers=9)
    services_volume  # noqa: B018 (the count is kept by flashsales.services.viewer_join)
    from shops import services as shop_services

    shop_services.live_session_go_live(session=live, by=live.creator.user)
    client.post(f"/live/{live.pk}/join/", {"nickname": "看客甲"})
    assert LiveSession.objects.get(pk=live.pk).peak_viewers == 10
    shop_services.live_session_end(session=LiveSession.objects.get(pk=live.pk), by=live.creator.user)
    client.post(f"/live/{live.pk}/join/", {"nickname": "看客乙"})
    assert LiveSession.objects.get(pk=live.pk).peak_viewers == 10


def test_v8_creator_sees_the_viewer_count_of_each_session_offered(client):
    sample = received_at(timezone.now() - H)
    from shops import services as shop_services

    session = factories.LiveSessionFactory(creator=sample.creator, peak_viewers=37)
    shop_services.live_session_go_live(session=session, by=sample.creator.user)
    LiveCartItem.objects.create(session=session, product=sample.product)
    page = html(login(client, sample.creator.user).get(f"/creator/samples/{sample.pk}/"))
    assert "37" in page and "10" in page


# ---------------------------------------------------------------------------------------
# V9


def test_v9_creator_reports_the_merchant_reships_and_a_bad_number_keeps_what_was_typed(client):
    sample = shipped_at(timezone.now() - H)
    login(client, sample.creator.user)
    assert 'data-testid="not-arrived"' in html(client.get(f"/creator/samples/{sample.pk}/"))
    client.post(f"/creator/samples/{sample.pk}/not-arrived/", {"note": "快递柜没有"})
    assert reload(sample).state == S.NOT_ARRIVED
    assert 'data-testid="held"' in html(client.get(f"/creator/samples/{sample.pk}/"))

    login(client, sample.merchant.user)
    page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert "快递柜没有" in page and 'data-testid="reship-form"' in page
    bad = client.post(f"/merchant/samples/{sample.pk}/reship/", {"reship-carrier": "sf", "reship-tracking_number": "XX12"})
    assert bad.status_code == 400 and 'value="XX12"' in html(bad) and "SF123456789012" in html(bad)
    same = client.post(f"/merchant/samples/{sample.pk}/reship/", {"reship-carrier": "sf", "reship-tracking_number": sample.tracking_number})
    assert same.status_code == 400 and str(vmsg.RESHIP_SAME_TRACKING) in html(same)
    client.post(f"/merchant/samples/{sample.pk}/reship/",
                {"reship-carrier": "sf", "reship-tracking_number": "SF555555555555", "reship-shipping_cost": "15"})
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.tracking_number == "SF555555555555" and sample.units_sent == 2


def test_v9_admin_reviewer_treats_a_held_request_as_received_with_a_reason(client):
    reviewer = factories.UserFactory(username="reviewer", is_staff=True)
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_fsm_log"))
    sample = shipped_at(timezone.now() - H)
    services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    login(client, reviewer)
    listing = html(client.get("/admin/samples/samplerequest/?deadline=held"))
    assert f"/admin/samples/samplerequest/{sample.pk}/change/" in listing
    ask = client.post("/admin/samples/samplerequest/", {"action": "not_arrived_received", "_selected_action": [sample.pk]})
    assert "原因" in html(ask) and reload(sample).state == S.NOT_ARRIVED
    client.post("/admin/samples/samplerequest/", {
        "action": "not_arrived_received", "_selected_action": [sample.pk], "apply": "1", "reason": "物流签收记录完整"})
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.fulfil_by is not None
    assert StateLog.objects.for_(sample).latest("timestamp").by == reviewer


# ---------------------------------------------------------------------------------------
# V10


def _pair_with_sales(merchant=None, *, video_sales=1, flash_orders=1):
    """A shipped sample of a fresh creator, with video and flash-sale orders after shipping."""
    kwargs = {}
    if merchant is not None:
        kwargs["product"] = factories.AllianceListingFactory(product__shop__merchant=merchant).product
    sample = shipped_at(timezone.now() - 48 * H, **kwargs)
    video = video_with_product(sample, timezone.now() - 24 * H)
    for _ in range(video_sales):
        services_volume.promotion_sale_record(creator=sample.creator, product=sample.product, video=video, quantity=1,
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
    with django_assert_max_num_queries(12) as few:
        page = html(client.get("/merchant/samples/returns/"))
    assert first.creator.nickname in page and "¥248.00" in page
    for _ in range(8):
        _pair_with_sales(merchant)
    _pair_with_sales()  # another merchant's: not shown
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = html(client.get("/merchant/samples/returns/"))
    assert page.count("<tr>") == 1 + 9
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
    services.SampleRequest.objects.filter(pk=sample.pk).update(shipping_cost=Decimal("12.00"))
    _pair_with_sales()  # another merchant's
    resp = login(client, sample.merchant.user).get("/merchant/samples/returns.csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["creator"] == sample.creator.nickname and row["product"] == sample.product.title
    assert row["samples_sent"] == "1" and row["total_cost"] == "111.00"
    assert (row["video_orders"], row["video_sales"], row["flash_orders"], row["flash_sales"]) == ("2", "198.00", "3", "150.00")
    assert (row["orders"], row["sales"], row["live_orders"]) == ("5", "348.00", "0")


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
