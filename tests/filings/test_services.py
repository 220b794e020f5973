"""The filings services: scenarios (F4–F6), submit/withdraw (F7), edits (F8), reviews (F2, F12), F11."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from core import uploads
from core.fsm import stale_message
from core.models import Notification
from filings import services
from filings.models import Filing, PKDeclaration, QualificationDocument, Reason
from shops import services as shop_services
from shops.models import LiveCartItem, Product
from tests import factories
from tests.conftest import png_bytes
from tests.filings.conftest import jpeg_bytes, pdf_bytes, refusal
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def xiaoyu():
    shop = factories.ShopFactory(name="小鱼的好物店")
    return factories.CreatorFactory(nickname="小鱼", platform_id="KS10086", is_specific=True, bound_shop=shop)


@pytest.fixture
def reviewer():
    return factories.StaffFactory(username="reviewer1")


def reasons(filing):
    return sorted(filing.reason_codes)


# --- F4 self-built ---------------------------------------------------------------------


def test_f4_product_created_in_specific_creators_shop_opens_pending_filing(xiaoyu):
    product = shop_services.product_create(
        shop=xiaoyu.bound_shop, by=None,
        data={"title": "T恤", "category": factories.CategoryFactory(), "price": Decimal("79")},
    )
    filing = Filing.objects.get(product=product)
    assert filing.creator == xiaoyu and filing.state == Filing.State.PENDING
    assert reasons(filing) == [Reason.SELF_BUILT]
    assert Notification.objects.filter(user=xiaoyu.bound_shop.merchant.user, title__contains="T恤").exists()


def test_f4_product_of_a_non_specific_official_account_needs_no_filing():
    shop = factories.ShopFactory()
    factories.CreatorFactory(bound_shop=shop, is_specific=False)
    product = shop_services.product_create(shop=shop, by=None, data={"title": "x", "category": factories.CategoryFactory(), "price": Decimal("1")})
    assert not Filing.objects.filter(product=product).exists()


def test_f4_ours_becoming_specific_files_the_shops_products_on_sale():
    shop = factories.ShopFactory()
    creator = factories.CreatorFactory(bound_shop=shop)
    on_sale = factories.ProductFactory(shop=shop)
    off_sale = factories.ProductFactory(shop=shop, sale_status=Product.SaleStatus.OFF_SALE)
    shop_services.creator_set_specific(creator=creator, by=factories.StaffFactory(), is_specific=True)
    assert list(Filing.objects.values_list("product_id", flat=True)) == [on_sale.pk]
    assert off_sale.filings.count() == 0


def test_f4_blank_qualification_form_submits_with_no_documents(xiaoyu):
    filing = FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop)
    assert services.required_document_types(filing) == []
    result = services.filing_submit(filing=filing, merchant=xiaoyu.bound_shop.merchant, by=None, uploads={})
    assert result.filing.state == Filing.State.UNDER_REVIEW
    assert result.filing.submitted_at is not None


def test_f4_required_documents_come_from_the_category(xiaoyu, pdf_upload):
    doc_type = factories.DocumentTypeFactory(name="质检报告")
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop, product__category=category)
    merchant = xiaoyu.bound_shop.merchant
    with pytest.raises(ValidationError) as exc:
        services.filing_submit(filing=filing, merchant=merchant, by=None, uploads={})
    assert f"doc_{doc_type.pk}" in exc.value.message_dict
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING
    services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads={doc_type.pk: pdf_upload()})
    doc = QualificationDocument.objects.get(filing=filing)
    assert doc.content_type == "application/pdf" and doc.file.name.endswith(".pdf")
    assert "licence" not in doc.file.name  # stored under a random name


# --- uploads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,ok",
    [
        ("a.pdf", pdf_bytes(), True),
        ("a.jpg", jpeg_bytes(), True),
        ("renamed.pdf", jpeg_bytes(), True),  # a JPEG with a .pdf name is still a JPEG: stored as .jpg
        ("evil.pdf", b"MZ\x90\x00 not a pdf at all", False),
        ("evil.png", b"<html><script>alert(1)</script>", False),
    ],
)
def test_f4_documents_are_checked_by_content_not_name(xiaoyu, name, content, ok):
    doc_type = factories.DocumentTypeFactory()
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop, product__category=category)
    upload = SimpleUploadedFile(name, content)
    if ok:
        services.filing_submit(filing=filing, merchant=xiaoyu.bound_shop.merchant, by=None, uploads={doc_type.pk: upload})
        stored = QualificationDocument.objects.get(filing=filing)
        assert stored.file.name.rsplit(".", 1)[1] in ("pdf", "jpg")
        assert stored.file.name.endswith(".jpg") == (content == jpeg_bytes())
    else:
        with pytest.raises(ValidationError) as exc:
            services.filing_submit(filing=filing, merchant=xiaoyu.bound_shop.merchant, by=None, uploads={doc_type.pk: upload})
        not_a_document = uploads.unknown_type_message(uploads.DOCUMENTS)
        assert exc.value.message_dict == {f"doc_{doc_type.pk}": [str(not_a_document)]}
        assert not QualificationDocument.objects.exists()


def test_f4_documents_over_the_size_limit_are_refused(xiaoyu, settings):
    settings.MAX_UPLOAD_BYTES = 20
    doc_type = factories.DocumentTypeFactory()
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop, product__category=category)
    with pytest.raises(ValidationError) as exc:
        services.filing_submit(filing=filing, merchant=xiaoyu.bound_shop.merchant, by=None, uploads={doc_type.pk: SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert "MB" in str(exc.value)


def test_f4_documents_are_stored_outside_media_root(xiaoyu, settings, pdf_upload):
    doc_type = factories.DocumentTypeFactory()
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop, product__category=category)
    services.filing_submit(filing=filing, merchant=xiaoyu.bound_shop.merchant, by=None, uploads={doc_type.pk: pdf_upload()})
    path = QualificationDocument.objects.get().file.path
    assert path.startswith(settings.FILINGS_PRIVATE_ROOT)
    assert not path.startswith(str(settings.MEDIA_ROOT))


# --- F5 PK declaration -------------------------------------------------------------------


@pytest.fixture
def pk_world(xiaoyu):
    dapeng = factories.CreatorFactory(nickname="大鹏带货", platform_id="DY20001")
    xiaoyu_session = factories.LiveSessionFactory(creator=xiaoyu)
    dapeng_session = factories.LiveSessionFactory(creator=dapeng, pk_partner=xiaoyu_session)
    merchant = factories.MerchantFactory()
    products = [factories.ProductFactory(shop__merchant=merchant) for _ in range(3)]
    return {"xiaoyu": xiaoyu, "dapeng": dapeng, "session": dapeng_session, "merchant": merchant, "products": products}


def test_f5_declaration_opens_a_pending_filing_per_product(pk_world):
    w = pk_world
    declaration = services.pk_declare(merchant=w["merchant"], creators=[w["xiaoyu"]], products=w["products"], session=w["session"], by=w["merchant"].user)
    filings = Filing.objects.filter(product__in=w["products"])
    assert filings.count() == 3
    assert all(f.state == Filing.State.PENDING and f.creator == w["xiaoyu"] and f.reason_codes == [Reason.PK] and f.session == w["session"] for f in filings)
    assert PKDeclaration.objects.get() == declaration


def test_f5_a_non_specific_creator_refuses_the_whole_declaration_by_name(pk_world):
    w = pk_world
    with pytest.raises(ValidationError) as exc:
        services.pk_declare(merchant=w["merchant"], creators=[w["xiaoyu"], w["dapeng"]], products=w["products"], session=w["session"], by=None)
    message = exc.value.message_dict["creators"][0]
    assert message.startswith(services.NON_SPECIFIC_CREATOR_MESSAGE)
    assert services.NON_SPECIFIC_CREATOR_MESSAGE == "存在不符合要求主播"
    assert "大鹏带货 DY20001" in message and "小鱼" not in message
    assert not Filing.objects.exists() and not PKDeclaration.objects.exists()


def test_f5_the_other_side_of_the_pk_is_told(pk_world):
    w = pk_world
    other_merchant_product = factories.ProductFactory()
    LiveCartItem.objects.create(session=w["session"].pk_partner, product=other_merchant_product)
    services.pk_declare(merchant=w["merchant"], creators=[w["xiaoyu"]], products=w["products"][:1], session=w["session"], by=None)
    # The owner of the product in 小鱼's cart and 小鱼's own shop are told; the declaring merchant is not.
    told = set(Notification.objects.filter(title__contains="PK").values_list("user_id", flat=True))
    assert other_merchant_product.shop.merchant.user_id in told
    assert w["xiaoyu"].bound_shop.merchant.user_id in told
    assert w["merchant"].user_id not in told


def test_f5_session_must_be_a_pk_with_the_linked_creator(pk_world):
    w = pk_world
    lone = factories.LiveSessionFactory()
    with pytest.raises(ValidationError) as exc:
        services.pk_declare(merchant=w["merchant"], creators=[w["xiaoyu"]], products=w["products"], session=lone, by=None)
    assert exc.value.message_dict == {"session": [str(_("This live session is not a PK."))]}


def test_f5_only_own_products_can_be_declared(pk_world):
    w = pk_world
    with pytest.raises(ValidationError) as exc:
        services.pk_declare(merchant=w["merchant"], creators=[w["xiaoyu"]], products=[factories.ProductFactory()], session=w["session"], by=None)
    assert exc.value.message_dict == {"products": [str(_("You can only declare your own products."))]}


# --- F3 reasons accumulate -----------------------------------------------------------------


def test_f3_reasons_accumulate_and_never_duplicate(xiaoyu, pk_world):
    product = factories.ProductFactory(shop=xiaoyu.bound_shop)
    services.filing_open(product=product, creator=xiaoyu, reason=Reason.SELF_BUILT)
    services.filing_open(product=product, creator=xiaoyu, reason=Reason.SELF_BUILT)
    services.filing_open(product=product, creator=xiaoyu, reason=Reason.PK)
    filing = Filing.objects.get(product=product)
    assert reasons(filing) == sorted([Reason.SELF_BUILT, Reason.PK])
    assert Filing.objects.filter(product=product).count() == 1


# --- F6 distribution -----------------------------------------------------------------------


def test_f6_specific_creator_taking_up_an_alliance_product_opens_a_distribution_task(xiaoyu):
    listing = factories.AllianceListingFactory()
    shop_services.showcase_add(creator=xiaoyu, product=listing.product, by=xiaoyu.user)
    filing = Filing.objects.get(product=listing.product)
    assert filing.creator == xiaoyu and reasons(filing) == [Reason.DISTRIBUTION] and filing.state == Filing.State.PENDING
    assert Notification.objects.filter(user=listing.product.shop.merchant.user).exists()
    assert Notification.objects.filter(user=xiaoyu.user).exists()


def test_f6_non_specific_creator_taking_up_opens_nothing():
    listing = factories.AllianceListingFactory()
    creator = factories.CreatorFactory()
    shop_services.showcase_add(creator=creator, product=listing.product, by=None)
    assert not Filing.objects.exists()


# --- F7 withdraw ---------------------------------------------------------------------------


def test_f7_withdraw_returns_under_review_to_pending(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    merchant = filing.product.shop.merchant
    services.filing_withdraw(filing=filing, merchant=merchant, by=merchant.user)
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING and filing.submitted_at is None
    log = StateLog.objects.for_(filing).latest("timestamp")
    assert (log.source_state, log.state, log.by) == ("under_review", "pending", merchant.user)


def test_f7_only_a_filing_under_review_can_be_withdrawn(xiaoyu):
    filing = FilingFactory(creator=xiaoyu)
    with pytest.raises(ValidationError, match=refusal(stale_message(filing))):
        services.filing_withdraw(filing=filing, merchant=filing.product.shop.merchant, by=None)


def test_f7_another_merchant_cannot_withdraw(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.filing_withdraw(filing=filing, merchant=factories.MerchantFactory(), by=None)


# --- F8 edits ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [Filing.State.PENDING, Filing.State.UNDER_REVIEW, Filing.State.APPROVED, Filing.State.NOT_APPROVED])
def test_f8_a_watched_edit_reopens_from_any_state_and_adds_product_edit(xiaoyu, state):
    filing = set_state(FilingFactory(creator=xiaoyu), state)
    shop_services.product_update(product=filing.product, by=None, data={"title": "新标题"})
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING
    assert reasons(filing) == sorted([Reason.SELF_BUILT, Reason.PRODUCT_EDIT])
    shop_services.product_update(product=filing.product, by=None, data={"short_title": "短"})
    filing.refresh_from_db()
    assert reasons(filing).count(Reason.PRODUCT_EDIT) == 1


def test_f8_a_product_with_two_filings_reopens_both_and_tells_the_merchant_to_submit_each_again(xiaoyu):
    first = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    product = first.product
    second = set_state(FilingFactory(product=product, creator=factories.CreatorFactory(is_specific=True, nickname="阿杰")),
                       Filing.State.UNDER_REVIEW)
    merchant_user = product.shop.merchant.user
    before = Notification.objects.filter(user=merchant_user).count()
    shop_services.product_update(product=product, by=None, data={"title": "新标题"})
    for filing in (first, second):
        filing.refresh_from_db()
        assert filing.state == Filing.State.PENDING
        assert Reason.PRODUCT_EDIT in reasons(filing)
    notices = list(Notification.objects.filter(user=merchant_user).order_by("pk"))[before:]
    assert [(n.kind, n.title) for n in notices] == [("filing", "请重新提交：新标题 已被编辑")] * 2
    assert sorted(n.url for n in notices) == sorted(f"/merchant/filings/{f.pk}/" for f in (first, second))
    assert any(second.creator.display_name in n.body for n in notices)


@pytest.mark.parametrize("data", [{"price": Decimal("1.00")}, {"stock": 3}])
def test_f8_price_and_stock_edits_change_nothing(xiaoyu, data):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    shop_services.product_update(product=filing.product, by=None, data=data)
    filing.refresh_from_db()
    assert filing.state == Filing.State.APPROVED and reasons(filing) == [Reason.SELF_BUILT]


def test_f8_category_edit_reopens(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    shop_services.product_update(product=filing.product, by=None, data={"category": factories.CategoryFactory()})
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING


def assert_reopened_by_edit_of(filing: Filing, field: str) -> None:
    """F8: the approved filing is pending again, with the reason product_edit, and its
    history names the edited field as the merchant's form does (#22: 商品编辑：属性)."""
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING
    assert reasons(filing) == sorted([Reason.SELF_BUILT, Reason.PRODUCT_EDIT])
    log = StateLog.objects.for_(filing).latest("timestamp")
    assert (log.source_state, log.state, log.transition) == ("approved", "pending", "reopen")
    label = {"title": "标题", "short_title": "短标题", "main_image": "主图", "detail_images": "详情图", "category": "类目", "attributes": "属性"}[field]
    assert log.description == f"商品编辑：{label}"


def test_f8_short_title_edit_reopens(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    shop_services.product_update(product=filing.product, by=None, data={"short_title": "新短标题"})
    assert_reopened_by_edit_of(filing, "short_title")


def test_f8_attributes_edit_reopens(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu, product__attributes={"材质": "棉"}), Filing.State.APPROVED)
    shop_services.product_update(product=filing.product, by=None, data={"attributes": {"材质": "涤纶"}})
    assert_reopened_by_edit_of(filing, "attributes")


def test_f8_main_image_edit_reopens(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    image = SimpleUploadedFile("main.png", png_bytes(), content_type="image/png")
    shop_services.product_update(product=filing.product, by=None, data={"main_image": image})
    assert_reopened_by_edit_of(filing, "main_image")


def test_f8_detail_images_edit_reopens(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.APPROVED)
    image = SimpleUploadedFile("detail.png", png_bytes(), content_type="image/png")
    shop_services.product_update(product=filing.product, by=None, data={}, detail_images=[image])
    assert filing.product.detail_images.count() == 1
    assert_reopened_by_edit_of(filing, "detail_images")


# --- F2 review -----------------------------------------------------------------------------


def test_f2_approve_records_who_and_notifies_both_sides(xiaoyu, reviewer):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    services.filing_approve(filing=filing, by=reviewer)
    filing.refresh_from_db()
    assert filing.state == Filing.State.APPROVED and filing.decided_by == reviewer
    log = StateLog.objects.for_(filing).latest("timestamp")
    assert (log.source_state, log.state, log.by) == ("under_review", "approved", reviewer)
    approved_title = str(_("Filing approved: %(product)s")) % {"product": filing.product.title}
    assert Notification.objects.filter(user=filing.product.shop.merchant.user, title=approved_title).exists()
    assert Notification.objects.filter(user=xiaoyu.user, title=approved_title).exists()


def test_f2_not_approved_needs_a_reason_and_keeps_it(xiaoyu, reviewer):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    with pytest.raises(ValidationError, match=refusal(_("Give the reason: the merchant and the creator will see it."))):
        services.filing_reject(filing=filing, by=reviewer, reason="  ")
    services.filing_reject(filing=filing, by=reviewer, reason="质检报告已过期")
    filing.refresh_from_db()
    assert filing.state == Filing.State.NOT_APPROVED and filing.review_reason == "质检报告已过期"
    assert StateLog.objects.for_(filing).latest("timestamp").description == "质检报告已过期"
    body = Notification.objects.filter(user=filing.product.shop.merchant.user).latest("id").body
    assert "质检报告已过期" in body


def test_f2_ours_not_approved_can_be_corrected_and_submitted_again(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.NOT_APPROVED)
    services.filing_submit(filing=filing, merchant=filing.product.shop.merchant, by=None, uploads={})
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW


def test_f2_only_reviewers_decide(xiaoyu):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, by=filing.product.shop.merchant.user)
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW


def test_f2_a_pending_filing_cannot_be_approved(xiaoyu, reviewer):
    filing = FilingFactory(creator=xiaoyu)
    with pytest.raises(ValidationError) as exc:
        services.filing_approve(filing=filing, by=reviewer)
    assert "待处理" in str(exc.value)


# --- F12 revoke ----------------------------------------------------------------------------


def test_f12_revoke_returns_to_not_approved_and_leaves_carts_of_sessions_not_ended(xiaoyu, reviewer):
    filing = set_state(FilingFactory(creator=xiaoyu, product__shop=xiaoyu.bound_shop), Filing.State.APPROVED)
    upcoming = factories.LiveSessionFactory(creator=xiaoyu)
    pk_other = factories.LiveSessionFactory(pk_partner=upcoming)
    ended = factories.LiveSessionFactory(creator=xiaoyu)
    from shops.models import LiveSession
    LiveSession.objects.filter(pk=ended.pk).update(status=LiveSession.Status.ENDED)
    unrelated = factories.LiveSessionFactory()
    items = {s: LiveCartItem.objects.create(session=s, product=filing.product) for s in (upcoming, pk_other, ended, unrelated)}
    with pytest.raises(ValidationError, match=refusal(_("Give the reason: the merchant and the creator will see it."))):
        services.filing_revoke(filing=filing, by=reviewer, reason="")
    services.filing_revoke(filing=filing, by=reviewer, reason="资质造假")
    filing.refresh_from_db()
    assert filing.state == Filing.State.NOT_APPROVED and filing.review_reason == "资质造假"
    for item in items.values():
        item.refresh_from_db()
    assert items[upcoming].removed_at is not None and items[pk_other].removed_at is not None
    assert items[ended].removed_at is None  # history of an ended session stays
    assert items[unrelated].removed_at is None  # F10: outside the scenario it sells as usual


def test_f12_formal_check_notice_goes_with_the_approval(xiaoyu, reviewer):
    filing = set_state(FilingFactory(creator=xiaoyu), Filing.State.UNDER_REVIEW)
    services.filing_approve(filing=filing, by=reviewer)
    body = Notification.objects.filter(user=xiaoyu.user).latest("id").body
    assert "形式审核" in body


# --- F11 zero-price lottery ------------------------------------------------------------------


def test_f11_lottery_product_goes_on_sale_only_after_offline_approval(reviewer):
    product = factories.ProductFactory(price=Decimal("0"), is_zero_price_lottery=True, sale_status=Product.SaleStatus.OFF_SALE)
    with pytest.raises(ValidationError, match="0元购.*线下审核"):
        shop_services.product_put_on_sale(product=product, by=None)
    with pytest.raises(PermissionDenied):
        shop_services.product_lottery_approve(product=product, by=product.shop.merchant.user)
    shop_services.product_lottery_approve(product=product, by=reviewer)
    product.refresh_from_db()
    assert product.lottery_approved_by == reviewer and product.lottery_approved_at is not None
    shop_services.product_put_on_sale(product=product, by=None)
    product.refresh_from_db()
    assert product.sale_status == Product.SaleStatus.ON_SALE
    with pytest.raises(ValidationError, match=refusal(_("“%(product)s” is already approved."), product=product.title)):
        shop_services.product_lottery_approve(product=product, by=reviewer)


# --- F9 late warning -------------------------------------------------------------------------


def test_f9_late_submission_is_accepted_with_a_warning_naming_the_latest_date(xiaoyu):
    filing = FilingFactory(creator=xiaoyu)
    with time_machine.travel(datetime(2025, 9, 26, 23, 59, tzinfo=SH), tick=False):
        factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=datetime(2025, 9, 29, 20, 0, tzinfo=SH), title="周一专场")
        on_time = services.filing_submit(filing=filing, merchant=filing.product.shop.merchant, by=None, uploads={})
    assert on_time.warning == ""
    set_state(filing, Filing.State.PENDING)
    with time_machine.travel(datetime(2025, 9, 27, 0, 0, tzinfo=SH), tick=False):
        late = services.filing_submit(filing=filing, merchant=filing.product.shop.merchant, by=None, uploads={})
    assert late.filing.state == Filing.State.UNDER_REVIEW
    assert "2025-09-26" in late.warning and "周一专场" in late.warning
