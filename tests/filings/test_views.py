"""The merchant's and creator's filing pages, the private documents, and the admin queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings import services
from filings.models import Filing, QualificationDocument, Reason
from tests import factories
from tests.filings.conftest import jpeg_bytes, pdf_bytes
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiaoyu():
    shop = factories.ShopFactory(name="小鱼的好物店")
    return factories.CreatorFactory(nickname="小鱼", platform_id="KS10086", is_specific=True, bound_shop=shop)


def my_filing(merchant, creator, **kwargs):
    return FilingFactory(product__shop__merchant=merchant, creator=creator, **kwargs)


# --- merchant: qualification management ------------------------------------------------------


def test_f2_task_list_shows_product_reasons_creator_state_and_reason(merchant_client, merchant, xiaoyu):
    filing = set_state(my_filing(merchant, xiaoyu, reasons=[Reason.DISTRIBUTION, Reason.PRODUCT_EDIT]), Filing.State.NOT_APPROVED)
    Filing.objects.filter(pk=filing.pk).update(review_reason="证书过期")
    FilingFactory(creator=xiaoyu)  # another merchant's
    html = merchant_client.get("/merchant/filings/").content.decode()
    assert filing.product.title in html and "小鱼 KS10086" in html and "证书过期" in html
    assert "特定主播分销带货" in html and "商品编辑" in html and "审核未通过" in html
    assert html.count("data-testid=\"filing-state\"") == 1


def test_f2_product_list_shows_filing_result_and_reason(merchant_client, merchant, xiaoyu):
    filing = set_state(my_filing(merchant, xiaoyu), Filing.State.NOT_APPROVED)
    Filing.objects.filter(pk=filing.pk).update(review_reason="图片不清晰")
    html = merchant_client.get("/merchant/products/").content.decode()
    assert "审核未通过" in html and "图片不清晰" in html


def test_f3_task_list_filters_by_state_reason_and_creator(merchant_client, merchant, xiaoyu):
    other_creator = factories.CreatorFactory(is_specific=True, nickname="阿杰")
    a = my_filing(merchant, xiaoyu, reasons=[Reason.PK])
    b = set_state(my_filing(merchant, other_creator, reasons=[Reason.DISTRIBUTION]), Filing.State.APPROVED)
    html = merchant_client.get("/merchant/filings/", {"reason": "pk"}).content.decode()
    assert a.product.title in html and b.product.title not in html
    html = merchant_client.get("/merchant/filings/", {"state": "approved"}).content.decode()
    assert b.product.title in html and a.product.title not in html
    html = merchant_client.get("/merchant/filings/", {"creator": other_creator.pk}).content.decode()
    assert b.product.title in html and a.product.title not in html


def test_f9_task_list_shows_next_session_and_latest_date(merchant_client, merchant, xiaoyu):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    my_filing(merchant, xiaoyu)
    with time_machine.travel(datetime(2025, 9, 22, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        factories.LiveSessionFactory(creator=xiaoyu, title="周一专场", scheduled_start=datetime(2025, 9, 29, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        html = merchant_client.get("/merchant/filings/").content.decode()
    assert "周一专场" in html and "2025-09-26" in html


def test_f9_estimate_is_marked_for_years_without_calendar_data(merchant_client, merchant, xiaoyu):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    my_filing(merchant, xiaoyu)
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        merchant_client.force_login(merchant.user)  # a session started in this (future) time
        factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=datetime(2027, 3, 10, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        html = merchant_client.get("/merchant/filings/").content.decode()
    assert "2027-03-08" in html and "估算" in html


def test_task_list_has_no_n_plus_one(merchant_client, merchant, xiaoyu, django_assert_max_num_queries):
    for _ in range(15):
        f = my_filing(merchant, xiaoyu, reasons=[Reason.PK, Reason.PRODUCT_EDIT])
        Filing.objects.filter(pk=f.pk).update(session=factories.LiveSessionFactory(creator=xiaoyu))
    with django_assert_max_num_queries(14):
        resp = merchant_client.get("/merchant/filings/")
    assert resp.status_code == 200


def test_product_list_filings_column_has_no_n_plus_one(merchant_client, merchant, xiaoyu, django_assert_max_num_queries):
    for _ in range(15):
        my_filing(merchant, xiaoyu)
    with django_assert_max_num_queries(10):
        merchant_client.get("/merchant/products/")


def test_task_list_empty_state(merchant_client):
    from filings.views import EMPTY_TASKS

    resp = merchant_client.get("/merchant/filings/")
    assert resp.status_code == 200 and str(EMPTY_TASKS) in resp.content.decode()


def test_another_merchants_filing_is_404(merchant_client, xiaoyu):
    theirs = FilingFactory(creator=xiaoyu)
    assert merchant_client.get(f"/merchant/filings/{theirs.pk}/").status_code == 404
    assert merchant_client.post(f"/merchant/filings/{theirs.pk}/withdraw/").status_code == 404


def test_f4_submit_page_shows_formal_check_notice_and_blank_form(merchant_client, merchant, xiaoyu):
    filing = my_filing(merchant, xiaoyu)
    html = merchant_client.get(f"/merchant/filings/{filing.pk}/").content.decode()
    assert "形式审核" in html and 'data-testid="formal-check-notice"' in html
    resp = merchant_client.post(f"/merchant/filings/{filing.pk}/", {"acknowledge": "on"})
    assert resp.status_code == 302
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW


def test_f4_submit_with_a_fake_pdf_shows_the_error_next_to_the_field(merchant_client, merchant, xiaoyu):
    doc_type = factories.DocumentTypeFactory(name="质检报告")
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = my_filing(merchant, xiaoyu, product__category=category)
    resp = merchant_client.post(
        f"/merchant/filings/{filing.pk}/",
        {"acknowledge": "on", f"doc_{doc_type.pk}": SimpleUploadedFile("report.pdf", b"<html>nope</html>")},
    )
    assert resp.status_code == 200
    assert "PDF" in resp.context["form"].errors[f"doc_{doc_type.pk}"][0]
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING


def test_f7_withdraw_from_the_page(merchant_client, merchant, xiaoyu):
    filing = set_state(my_filing(merchant, xiaoyu), Filing.State.UNDER_REVIEW)
    resp = merchant_client.post(f"/merchant/filings/{filing.pk}/withdraw/", follow=True)
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING
    assert "待处理" in resp.content.decode()


def test_f7_withdraw_of_a_pending_filing_is_a_message_not_an_error_page(merchant_client, merchant, xiaoyu):
    filing = my_filing(merchant, xiaoyu)
    resp = merchant_client.post(f"/merchant/filings/{filing.pk}/withdraw/", follow=True)
    assert resp.status_code == 200
    assert any(m.level_tag == "error" for m in resp.context["messages"])


def test_f5_declaration_form_refuses_non_specific_creator_by_name_and_keeps_input(merchant_client, merchant, xiaoyu):
    dapeng = factories.CreatorFactory(nickname="大鹏带货", platform_id="DY20001")
    xs = factories.LiveSessionFactory(creator=xiaoyu)
    pk = factories.LiveSessionFactory(creator=dapeng, pk_partner=xs)
    product = factories.ProductFactory(shop__merchant=merchant)
    resp = merchant_client.post("/merchant/filings/declare/", {"reason": "pk", "creators": "KS10086, DY20001", "session": pk.pk, "products": [product.pk]})
    assert resp.status_code == 200
    errors = resp.context["form"].errors["creators"]
    assert errors[0].startswith(services.NON_SPECIFIC_CREATOR_MESSAGE) and "大鹏带货 DY20001" in errors[0]
    assert 'value="KS10086, DY20001"' in resp.content.decode()
    assert not Filing.objects.exists()
    resp = merchant_client.post("/merchant/filings/declare/", {"reason": "pk", "creators": "KS10086", "session": pk.pk, "products": [product.pk]})
    assert resp.status_code == 302
    assert Filing.objects.get().reason_codes == [Reason.PK]


# --- documents: private ------------------------------------------------------------------------


def _doc(merchant, xiaoyu, content=None):
    doc_type = factories.DocumentTypeFactory()
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = my_filing(merchant, xiaoyu, product__category=category)
    services.filing_submit(filing=filing, merchant=merchant, by=None, uploads={doc_type.pk: SimpleUploadedFile("x.jpg", content or jpeg_bytes())})
    return QualificationDocument.objects.get(filing=filing)


def test_documents_are_served_to_the_owner_and_reviewers_only(client, merchant, xiaoyu, staff):
    doc = _doc(merchant, xiaoyu)
    url = reverse("filings:document", args=[doc.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(factories.MerchantFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(xiaoyu.user)  # the linked creator is not the owner
    assert client.get(url).status_code == 404
    client.force_login(merchant.user)
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg" and resp["X-Content-Type-Options"] == "nosniff"
    assert b"".join(resp.streaming_content) == jpeg_bytes()
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_documents_have_no_public_media_url(client, merchant, xiaoyu):
    doc = _doc(merchant, xiaoyu, content=pdf_bytes())
    assert client.get(f"/media/{doc.file.name}").status_code == 404
    with pytest.raises(ValueError):
        _ = doc.file.url


# --- creator: on-sale list ----------------------------------------------------------------------


def test_f6_creator_on_sale_list_shows_filing_states(client, xiaoyu):
    from shops import services as shop_services

    listing = factories.AllianceListingFactory(product__title="麻辣牛肉干")
    shop_services.showcase_add(creator=xiaoyu, product=listing.product, by=None)
    own = factories.ProductFactory(shop=xiaoyu.bound_shop, title="小鱼T恤")
    set_state(FilingFactory(product=own, creator=xiaoyu), Filing.State.APPROVED)
    client.force_login(xiaoyu.user)
    html = client.get("/creator/filings/").content.decode()
    assert "麻辣牛肉干" in html and "待处理" in html
    assert "小鱼T恤" in html and "审核通过" in html


def test_f7_withdrawal_shows_pending_on_the_creators_side_too(client, xiaoyu):
    own = factories.ProductFactory(shop=xiaoyu.bound_shop, title="小鱼T恤")
    filing = set_state(FilingFactory(product=own, creator=xiaoyu), Filing.State.UNDER_REVIEW)
    client.force_login(xiaoyu.user)
    assert "审核中" in client.get("/creator/filings/").content.decode()
    services.filing_withdraw(filing=filing, merchant=own.shop.merchant, by=None)
    assert "待处理" in client.get("/creator/filings/").content.decode()


def test_creator_on_sale_list_has_no_n_plus_one(client, xiaoyu, django_assert_max_num_queries):
    for _ in range(12):
        set_state(FilingFactory(product=factories.ProductFactory(shop=xiaoyu.bound_shop), creator=xiaoyu), Filing.State.APPROVED)
    client.force_login(xiaoyu.user)
    with django_assert_max_num_queries(12):
        assert client.get("/creator/filings/").status_code == 200


def test_f1_cart_refusal_reaches_the_creator_as_a_message(client, xiaoyu):
    from shops.models import LiveCartItem

    session = factories.LiveSessionFactory(creator=xiaoyu)
    product = factories.ProductFactory(shop=xiaoyu.bound_shop, title="小鱼T恤")
    client.force_login(xiaoyu.user)
    resp = client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk}, follow=True)
    text = " ".join(str(m) for m in resp.context["messages"])
    assert "报备" in text and "小鱼 KS10086" in text
    assert not LiveCartItem.objects.exists()


@pytest.mark.parametrize(
    ("today", "countdown", "urgency"),
    [(22, "还剩 4 天", None), (25, "还剩 1 天", "deadline-soon"), (26, "今天截止", "deadline-soon"), (27, "已过", "deadline-late")],
)
def test_f9_task_list_counts_down_to_the_latest_date_with_its_urgency(merchant_client, merchant, xiaoyu, today, countdown, urgency):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    my_filing(merchant, xiaoyu)
    tz = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2025, 9, 22, 9, 0, tzinfo=tz), tick=False):
        # Monday 29 September: the latest date is Friday 26 September (2 working days before).
        factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=datetime(2025, 9, 29, 20, 0, tzinfo=tz))
    with time_machine.travel(datetime(2025, 9, today, 9, 0, tzinfo=tz), tick=False):
        merchant_client.force_login(merchant.user)
        html = merchant_client.get("/merchant/filings/").content.decode()
    block = html[html.index('data-testid="filing-deadline"') - 80:html.index('data-testid="filing-countdown"') + 80]
    assert countdown in block
    assert ("deadline-soon" in block, "deadline-late" in block) == (urgency == "deadline-soon", urgency == "deadline-late")
