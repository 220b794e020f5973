"""The pages: console (FS3/FS4/FS6), lists (FS7), problem reports (FS8), the live room."""

import base64
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy

from flashsales import texts
from flashsales.models import FlashSale, FlashSaleOrder, ProblemReport, ShippingTemplate
from shops.models import LiveSession
from tests import factories
from tests.conftest import png_bytes
from tests.flashsales import factories as ff

pytestmark = pytest.mark.django_db

# What htmx sends with each poll (django-htmx reads it as request.htmx).
HTMX = {"HX-Request": "true"}


def zh(text, **params) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(text % params if params else text)


@pytest.fixture
def live(world, client):
    client.force_login(world["creator"].user)
    world["client"] = client
    return world


def console_post(world, **overrides):
    data = {
        "mode": "full", "product": world["product"].pk, "title": "羊脂白玉手镯", "price": "1999.00", "quantity": "3",
        "shipping_template": world["template"].pk,
        "picture": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return world["client"].post(f"/creator/flash-sales/sessions/{world['session'].pk}/", data)


# Console ---------------------------------------------------------------------------------


def test_fs4_the_session_page_links_to_the_console_while_live(live):
    page = live["client"].get(f"/creator/sessions/{live['session'].pk}/").content.decode()
    assert f"/creator/flash-sales/sessions/{live['session'].pk}/" in page


def test_fs4_creating_a_full_flash_sale_with_an_uploaded_picture(live):
    resp = console_post(live)
    assert resp.status_code == 302
    sale = FlashSale.objects.get()
    assert (sale.mode, sale.quantity, sale.picture_source) == ("full", 3, "uploaded")
    assert live["client"].get(f"/flash-sales/pictures/{sale.pk}/").status_code == 200


def test_fs4_a_captured_frame_is_taken_over_the_upload(live):
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    assert console_post(live, picture=None, captured=data_url).status_code == 302
    assert FlashSale.objects.get().picture_source == "captured"


def test_fs4_a_picture_that_is_not_an_image_is_refused_whatever_its_name(live):
    fake = SimpleUploadedFile("p.png", b"not an image at all", content_type="image/png")
    resp = console_post(live, picture=fake)
    assert resp.status_code == 422 and FlashSale.objects.count() == 0
    bad_capture = "data:image/png;base64," + base64.b64encode(b"<svg/>").decode()
    assert console_post(live, picture=None, captured=bad_capture).status_code == 422


def test_fs4_the_form_keeps_what_was_typed_and_says_what_is_wrong(live):
    resp = console_post(live, price="0", title="保留我")
    page = resp.content.decode()
    assert resp.status_code == 422
    assert zh(texts.PRICE_NOT_POSITIVE) in page and 'value="保留我"' in page


def test_fs4_a_shipping_template_is_created_on_the_way_from_the_console(live):
    resp = console_post(live, shipping_template="", new_template_name="江浙沪包邮", new_template_fee="0")
    assert resp.status_code == 302
    assert FlashSale.objects.get().shipping_template == ShippingTemplate.objects.get(name="江浙沪包邮")


def test_fs2_the_console_refuses_an_uninvited_creator_with_the_message(live):
    live["creator"].flash_sale_invited = False
    live["creator"].save()
    page = console_post(live).content.decode()
    assert zh(texts.CREATOR_NOT_INVITED) in page and FlashSale.objects.count() == 0


def test_fs3_a_targeted_flash_sale_from_a_comment(live):
    viewer = live["viewer"]
    page = live["client"].get(f"/creator/flash-sales/sessions/{live['session'].pk}/?viewer={viewer.pk}").content.decode()
    assert viewer.nickname in page
    assert console_post(live, mode="targeted", target_viewer=viewer.pk).status_code == 302
    assert FlashSale.objects.get().target_viewer == viewer


def test_fs3_a_viewer_who_did_not_comment_cannot_be_picked(live):
    stranger = ff.ViewerFactory()
    resp = console_post(live, mode="targeted", target_viewer=stranger.pk)
    assert resp.status_code == 422 and FlashSale.objects.count() == 0


def test_fs6_the_board_shows_live_sold_counts_and_ending_by_hand(live):
    sale = ff.FlashSaleFactory(session=live["session"], product=live["product"], shipping_template=live["template"], quantity=4)
    FlashSale.objects.filter(pk=sale.pk).update(sold_count=3)
    board = live["client"].get(f"/creator/flash-sales/sessions/{live['session'].pk}/", headers=HTMX).content.decode()
    assert "3 / 4" in board
    assert live["client"].post(f"/creator/flash-sales/{sale.pk}/end/").status_code == 302
    assert FlashSale.objects.get(pk=sale.pk).status == "ended"
    again = live["client"].post(f"/creator/flash-sales/{sale.pk}/end/", follow=True).content.decode()
    assert zh(texts.NOT_OPEN) in again


def test_another_creators_session_and_flash_sale_are_404(live):
    theirs = ff.FlashSaleFactory()
    c = live["client"]
    assert c.get(f"/creator/flash-sales/sessions/{theirs.session.pk}/").status_code == 404
    assert c.get(f"/creator/flash-sales/sessions/{theirs.session.pk}/", headers=HTMX).status_code == 404
    assert c.post(f"/creator/flash-sales/{theirs.pk}/end/").status_code == 404
    assert FlashSale.objects.get(pk=theirs.pk).status == "open"


def test_workspaces_are_role_gated(client, merchant, creator):
    assert client.get("/creator/flash-sales/").status_code == 302
    client.force_login(merchant.user)
    assert client.get("/creator/flash-sales/").status_code == 403
    client.force_login(creator.user)
    assert client.get("/merchant/flash-sales/").status_code == 403


# FS7 lists --------------------------------------------------------------------------------


def test_fs7_the_creator_sees_their_own_filtered_by_category_and_status(live):
    mine_open = ff.FlashSaleFactory(session=live["session"], title="我的进行中")
    ff.FlashSaleFactory(session=live["session"], title="我的已结束", status="ended")
    other_cat = factories.CategoryFactory(name="文玩", is_non_standard=True)
    ff.FlashSaleFactory(session=live["session"], title="文玩闪购", product=ff.JadeProductFactory(category=other_cat))
    ff.FlashSaleFactory(title="别人的闪购")
    c = live["client"]
    page = c.get("/creator/flash-sales/").content.decode()
    assert "我的进行中" in page and "我的已结束" in page and "文玩闪购" in page and "别人的闪购" not in page
    page = c.get("/creator/flash-sales/", {"status": "open", "category": mine_open.product.category_id}).content.decode()
    assert "我的进行中" in page and "我的已结束" not in page and "文玩闪购" not in page


def test_fs7_the_merchant_sees_those_of_their_goods(client):
    merchant = ff.StandardMerchantFactory()
    mine = ff.FlashSaleFactory(product=ff.JadeProductFactory(shop__merchant=merchant), title="商家自己的货")
    ff.FlashSaleFactory(title="别家的货")
    client.force_login(merchant.user)
    page = client.get("/merchant/flash-sales/").content.decode()
    assert mine.title in page and "别家的货" not in page
    assert mine.session.creator.platform_id in page
    page = client.get("/merchant/flash-sales/", {"status": "sold_out"}).content.decode()
    assert mine.title not in page


def test_fs7_lists_paginate_have_an_empty_state_and_no_n_plus_1(live, django_assert_max_num_queries):
    c = live["client"]
    empty = c.get("/creator/flash-sales/").content.decode()
    assert "还没有闪购" in empty
    for _ in range(25):
        ff.FlashSaleFactory(session=live["session"], shipping_template=live["template"])
    with django_assert_max_num_queries(12):
        page = c.get("/creator/flash-sales/").content.decode()
    assert "?page=2" in page
    for _ in range(10):
        ff.FlashSaleFactory(session=live["session"], shipping_template=live["template"])
    with django_assert_max_num_queries(12):
        c.get("/creator/flash-sales/")


# FS8 problem reports -----------------------------------------------------------------------


def report_data(**overrides):
    data = {"description": "定向闪购发不出去", "attachment": SimpleUploadedFile("s.png", png_bytes(), content_type="image/png")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_fs8_the_form_first_shows_the_limits(creator_client):
    page = creator_client.get("/creator/flash-sales/report/").content.decode()
    limits = page.index('data-testid="limits"')
    assert limits < page.index('data-testid="report-form"')
    assert "最多创建 20 个全量闪购和 100 个定向闪购" in page


def test_fs8_a_creators_report_goes_to_creator_support_with_shop_and_creator_ids(creator_client, creator):
    shop = factories.ShopFactory()
    resp = creator_client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk))
    assert resp.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.desk, report.shop, report.creator, report.attachment_kind) == ("creator_support", shop, creator, "image")


def test_fs8_a_merchants_report_goes_to_merchant_service(merchant_client, shop):
    creator = factories.CreatorFactory(platform_id="DY30003")
    resp = merchant_client.post("/merchant/flash-sales/report/", report_data(shop=shop.pk, creator_platform_id="DY30003"))
    assert resp.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.desk, report.shop, report.creator) == ("merchant_service", shop, creator)


def test_fs8_from_the_app_the_phone_model_os_and_app_version_are_required(creator_client):
    shop = factories.ShopFactory()
    resp = creator_client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk, used_app="on", phone_model="iPhone 15"))
    assert resp.status_code == 422 and zh(texts.APP_DETAILS_MISSING) in resp.content.decode()
    assert ProblemReport.objects.count() == 0
    resp = creator_client.post(
        "/creator/flash-sales/report/",
        report_data(shop_id=shop.pk, used_app="on", phone_model="iPhone 15", os_version="iOS 18.1", app_version="32.5.0"),
    )
    assert resp.status_code == 302
    assert ProblemReport.objects.get().app_version == "32.5.0"


def test_fs8_a_video_is_accepted_and_a_renamed_text_file_is_not(creator_client):
    shop = factories.ShopFactory()
    mp4 = SimpleUploadedFile("rec.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, content_type="video/mp4")
    assert creator_client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk, attachment=mp4)).status_code == 302
    assert ProblemReport.objects.get().attachment_kind == "video"
    fake = SimpleUploadedFile("shot.png", b"hello", content_type="image/png")
    resp = creator_client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk, attachment=fake))
    assert resp.status_code == 422 and zh(texts.ATTACHMENT_NOT_MEDIA) in resp.content.decode()


def test_fs8_attachments_are_private_to_the_reporter_and_staff(client, creator, staff):
    shop = factories.ShopFactory()
    client.force_login(creator.user)
    client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk))
    report = ProblemReport.objects.get()
    url = f"/flash-sales/reports/{report.pk}/attachment/"
    assert client.get(url).status_code == 200
    client.force_login(factories.CreatorFactory().user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_fs8_a_reviewer_answers_in_the_admin_and_the_reporter_is_told(client, creator, staff):
    shop = factories.ShopFactory()
    client.force_login(creator.user)
    client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk))
    report = ProblemReport.objects.get()
    client.force_login(staff)
    assert client.get("/admin/flashsales/problemreport/?desk__exact=creator_support").status_code == 200
    resp = client.post(f"/admin/flashsales/problemreport/{report.pk}/change/", {"reply": "", **admin_management(report)})
    assert resp.status_code == 200 and ProblemReport.objects.get().status == "open"  # an empty reply is refused
    assert zh(texts.REPLY_MISSING) in resp.content.decode()
    resp = client.post(f"/admin/flashsales/problemreport/{report.pk}/change/", {"reply": "已为你重新开通，请重试。", **admin_management(report)})
    assert resp.status_code == 302
    report = ProblemReport.objects.get()
    assert report.status == "answered" and report.reply == "已为你重新开通，请重试。"
    assert creator.user.notifications.filter(body="已为你重新开通，请重试。").exists()
    assert report.replies.get().by == staff


def admin_management(report) -> dict:
    """The inline formsets' management data the problem report's change form posts."""
    data = {}
    for prefix, count in [("replies", report.replies.count()), ("django_fsm_log-statelog-content_type-object_id", 0)]:
        data |= {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": str(count)}
    for i, row in enumerate(report.replies.all()):
        data |= {f"replies-{i}-id": str(row.pk), f"replies-{i}-report": str(report.pk)}
    return data


def test_fs8_a_reviewer_corrects_an_answered_reply_in_the_admin_and_the_reporter_is_told(client, creator, staff):
    from flashsales import services

    shop = factories.ShopFactory()
    client.force_login(creator.user)
    client.post("/creator/flash-sales/report/", report_data(shop_id=shop.pk))
    report = services.problem_report_answer(report=ProblemReport.objects.get(), by=staff, reply="请重试。")
    client.force_login(staff)
    page = client.get(f"/admin/flashsales/problemreport/{report.pk}/change/").content.decode()
    assert "请重试。" in page
    url = f"/admin/flashsales/problemreport/{report.pk}/change/"
    resp = client.post(url, {"reply": "已为你重新开通定向闪购，请重试。", **admin_management(report)})
    assert resp.status_code == 302
    report = ProblemReport.objects.get()
    assert report.reply == "已为你重新开通定向闪购，请重试。"
    assert [(r.reply, r.by) for r in report.replies.all()] == [("请重试。", staff), ("已为你重新开通定向闪购，请重试。", staff)]
    assert creator.user.notifications.filter(body="已为你重新开通定向闪购，请重试。").exists()


# The live room ----------------------------------------------------------------------------


def test_fs6_a_viewer_joins_buys_with_shipping_and_a_sold_out_sale_leaves_the_bag(client, world):
    sale = ff.FlashSaleFactory(session=world["session"], shipping_template=world["template"], quantity=2, price=Decimal("100.00"))
    room = f"/live/{world['session'].pk}/"
    resp = client.post(room + "join/", {"nickname": "小林"})
    assert resp.status_code == 302 and "?viewer=" in resp["Location"]
    token = resp["Location"].split("viewer=")[1]
    assert sale.title in client.get(resp["Location"]).content.decode()
    client.post(room + f"buy/{sale.pk}/", {"viewer": token, "quantity": "2"})
    order = FlashSaleOrder.objects.get()
    assert order.amount == Decimal("212.00")
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status == "sold_out"
    assert sale.title not in client.get(room, {"viewer": token}, headers=HTMX).content.decode()


def test_fs3_the_targeted_sale_shows_only_in_its_viewers_room(client, world):
    sale = ff.FlashSaleFactory(session=world["session"], shipping_template=world["template"], mode="targeted",
                               target_viewer=world["viewer"], title="专属玉坠")
    room = f"/live/{world['session'].pk}/"
    assert "专属玉坠" in client.get(room, {"viewer": world["viewer"].token}).content.decode()
    other = ff.ViewerFactory()
    assert "专属玉坠" not in client.get(room, {"viewer": other.token}).content.decode()
    assert "专属玉坠" not in client.get(room).content.decode()
    assert client.post(room + f"buy/{sale.pk}/", {"viewer": other.token, "quantity": "1"}).status_code == 404
    assert FlashSaleOrder.objects.count() == 0


def test_a_viewer_comments_and_becomes_targetable(client, world):
    viewer = ff.ViewerFactory(nickname="新来的")
    client.post(f"/live/{world['session'].pk}/comment/", {"viewer": viewer.token, "text": "手镯还有吗"})
    client.force_login(world["creator"].user)
    page = client.get(f"/creator/flash-sales/sessions/{world['session'].pk}/").content.decode()
    assert "手镯还有吗" in page and f'data-testid="target-{viewer.pk}"' in page


def test_a_scheduled_session_has_no_public_room(client):
    session = ff.LiveSessionFactory(status=LiveSession.Status.SCHEDULED)
    assert client.get(f"/live/{session.pk}/").status_code == 404


# The reviewers' admin ------------------------------------------------------------------------


def test_fs1_fs2_reviewers_see_the_approved_categories_and_invited_creators(client, staff):
    ff.JadeCategoryFactory()
    ff.InvitedCreatorFactory(nickname="受邀达人")
    client.force_login(staff)
    assert "珠宝玉石" in client.get("/admin/shops/category/?is_non_standard__exact=1").content.decode()
    assert "受邀达人" in client.get("/admin/shops/creator/?flash_sale_invited__exact=1").content.decode()
    assert client.get("/admin/shops/merchant/?meets_flash_sale_standard__exact=1").status_code == 200


def test_fs6_a_reviewer_ends_flash_sales_through_the_same_service(client, staff, django_assert_max_num_queries):
    sales = ff.FlashSaleFactory.create_batch(2)
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        assert client.get("/admin/flashsales/flashsale/?status__exact=open").status_code == 200
    client.post("/admin/flashsales/flashsale/", {"action": "end_selected", "_selected_action": [s.pk for s in sales]})
    assert set(FlashSale.objects.values_list("status", flat=True)) == {"ended"}
    assert client.get(f"/admin/flashsales/flashsale/{sales[0].pk}/change/").status_code == 200


def test_fs6_ending_a_sold_out_flash_sale_in_the_admin_says_why_and_ends_the_others(client, staff):
    sold_out = ff.FlashSaleFactory(status=FlashSale.Status.SOLD_OUT, sold_count=10)
    open_sale = ff.FlashSaleFactory()
    client.force_login(staff)
    resp = client.post(
        "/admin/flashsales/flashsale/", {"action": "end_selected", "_selected_action": [sold_out.pk, open_sale.pk]}, follow=True
    )
    assert resp.status_code == 200
    shown = [str(m) for m in resp.context["messages"]]
    assert f"{sold_out.title}: {zh(texts.NOT_OPEN)}" in shown
    assert zh(gettext_lazy("%(n)s flash sales ended."), n=1) in shown
    assert dict(FlashSale.objects.values_list("pk", "status")) == {sold_out.pk: "sold_out", open_sale.pk: "ended"}


# Updating in place (htmx) --------------------------------------------------------------------


def test_fs6_the_live_room_polls_its_own_url_for_the_bag(client, world):
    sale = ff.FlashSaleFactory(session=world["session"], shipping_template=world["template"], quantity=5, title="冰种手镯")
    FlashSale.objects.filter(pk=sale.pk).update(sold_count=2)
    room = f"/live/{world['session'].pk}/"
    token = world["viewer"].token
    page = client.get(room, {"viewer": token})
    html = page.content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js"></script>' in html
    assert f'hx-get="{room}?viewer={token}"' in html
    assert 'hx-trigger="every 5s" data-poll-when-idle' in html
    assert "HX-Request" in page["Vary"]
    # The poll: the bag only (remaining stock), no page around it.
    poll = client.get(room, {"viewer": token}, headers=HTMX)
    part = poll.content.decode()
    assert poll.status_code == 200 and "HX-Request" in poll["Vary"]
    assert 'data-testid="panel"' in part and "冰种手镯" in part and zh(gettext_lazy("%(n)s left"), n=3) in part
    assert "<html" not in part and zh(gettext_lazy("No comments yet.")) not in part


def test_fs6_the_room_of_an_ended_session_stops_the_polling(client, world):
    room = f"/live/{world['session'].pk}/"
    LiveSession.objects.filter(pk=world["session"].pk).update(status=LiveSession.Status.ENDED)
    assert "hx-get" not in client.get(room).content.decode()
    poll = client.get(room, headers=HTMX)
    assert poll.status_code == 286  # htmx stops polling on this status, after showing the answer
    assert zh(gettext_lazy("This live session has ended.")) in poll.content.decode()


def test_fs6_the_console_board_polls_the_console_for_sold_counts(live):
    sale = ff.FlashSaleFactory(session=live["session"], product=live["product"], shipping_template=live["template"], quantity=4)
    url = f"/creator/flash-sales/sessions/{live['session'].pk}/"
    html = live["client"].get(url).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 5s" data-poll-when-visible' in html
    assert '<script src="/static/vendor/htmx/htmx.min.js"></script>' in html
    FlashSale.objects.filter(pk=sale.pk).update(sold_count=3)
    poll = live["client"].get(url, headers=HTMX)
    part = poll.content.decode()
    assert poll.status_code == 200 and f'data-testid="sold-{sale.pk}">3 / 4<' in part
    assert "<html" not in part and 'id="fs-form"' not in part


def test_fs8_the_report_form_carries_a_one_time_key(creator_client):
    page = creator_client.get("/creator/flash-sales/report/").content.decode()
    assert page.count('name="submission"') == 1
