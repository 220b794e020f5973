"""#22, no back doors: every admin add, change and inline either goes through the service that
owns the write or is not offered (read-only field, no add page). The walk below covers every
registered admin, as test_admin_permissions.py does for delete; the real admin POSTs after it
show each hole found on main staying shut."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_fsm import FSMFieldMixin

from core.admin_services import ServiceAdmin
from filings.models import Filing
from shops.models import AllianceListing, Creator, LiveSession, Product, Shop, ShopType, ShowcaseItem
from tests import factories
from tests.admin_forms import admin_post_data
from tests.core.test_admin_permissions import PRODUCT_APPS
from tests.filings.factories import FilingFactory, set_state
from tests.shops.helpers import alliance_product, official_account

pytestmark = pytest.mark.django_db

# Admins that save plain rows, each with why no service owns what they write.
PLAIN_DATA = {
    "shops.Category": "configuration the platform keeps (FS1's approved categories); no service writes it",
    "shops.QualificationDocumentType": "configuration: the names of document types",
    "shops.Merchant": "the merchant's name and the platform's standard flags (FS2, alliance); no service writes them",
    "core.ReasonTemplate": "configuration: texts reviewers start a reason from (a decision stores its own text)",
}
# Fields some service writes (besides every django-fsm state field, found by type): on any
# admin they are read-only, or the admin's `update` routes them to that service.
SERVICE_OWNED = {
    "shops.Shop": {"shop_type", "status", "is_cross_border"},
    "shops.Product": {"lottery_approved_at", "lottery_approved_by", "shop"},
    "shops.AllianceListing": {"sample_support", "sample_support_changed_by", "sample_support_changed_at", "out_at", "listed_at", "product"},
    "shops.Creator": {"is_specific", "carry_limits_on", "bound_shop", "pure_creator_mode"},
    "shops.LiveSession": {"scheduled_start", "pk_partner", "went_live_at", "ended_at", "creator"},
    "shops.ShowcaseItem": {"creator", "product", "removed_at"},
    "shops.ShortVideo": {"taken_down_at", "creator"},
    "core.RuleSetting": {"value", "unit"},
}


def _request():
    request = RequestFactory().get("/admin/")
    request.user = factories.StaffFactory(username="root")
    return request


def _editable(model_admin, request, obj) -> set[str]:
    fields = model_admin.get_fields(request, obj)
    return set(fields) - set(model_admin.get_readonly_fields(request, obj))


def _product_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PRODUCT_APPS:
            yield model, model_admin


def test_22_every_admin_add_and_change_goes_through_a_service_or_is_not_offered():
    request = _request()
    holes = []
    for model, model_admin in _product_admins():
        label = model._meta.label
        add = model_admin.has_add_permission(request) and _editable(model_admin, request, None)
        change = model_admin.has_change_permission(request, model()) and _editable(model_admin, request, model())
        if not (add or change) or label in PLAIN_DATA:
            continue
        if not isinstance(model_admin, ServiceAdmin):
            holes.append(f"{label}: saved by Django's default save_model")
        elif add and not model_admin.creates():
            holes.append(f"{label}: an add page with no service to create")
    assert holes == []


def test_22_no_service_owned_field_is_editable_unless_its_service_is_called():
    request = _request()
    holes = []
    for model, model_admin in _product_admins():
        label = model._meta.label
        owned = set(SERVICE_OWNED.get(label, ())) | {f.name for f in model._meta.fields if isinstance(f, FSMFieldMixin)}
        routed = set(getattr(model_admin, "routed_fields", ()))
        if model_admin.has_change_permission(request, model()):
            for name in (_editable(model_admin, request, model()) & owned) - routed:
                holes.append(f"{label}.{name} is editable on the change page")
    assert holes == []


def test_22_no_inline_adds_or_edits_rows_behind_a_service():
    request = _request()
    holes = []
    for model, model_admin in _product_admins():
        for inline in model_admin.get_inline_instances(request, model()):
            if inline.has_add_permission(request, None) or (
                inline.has_change_permission(request, None) and _editable(inline, request, None)
            ):
                holes.append(f"{model._meta.label}: {type(inline).__name__}")
    assert holes == []


# --- The holes found on main, as real admin POSTs -----------------------------------------


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_22_f8_editing_a_title_in_the_admin_reopens_the_approved_filing(staff_client):
    shop = factories.ShopFactory(name="小鱼的好物店")
    creator = factories.CreatorFactory(is_specific=True, bound_shop=shop)
    filing = set_state(FilingFactory(creator=creator), Filing.State.APPROVED)
    url = f"/admin/shops/product/{filing.product_id}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), title="改过的标题"))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert Product.objects.get(pk=filing.product_id).title == "改过的标题"
    filing.refresh_from_db()
    assert filing.state == Filing.State.PENDING


def test_22_f4_ticking_specific_creator_in_the_admin_opens_the_filings(staff_client):
    shop = factories.ShopFactory()
    creator = factories.CreatorFactory(bound_shop=shop, is_specific=False)
    on_sale = factories.ProductFactory(shop=shop)
    url = f"/admin/shops/creator/{creator.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), is_specific=True))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert Creator.objects.get(pk=creator.pk).is_specific is True
    assert list(Filing.objects.values_list("product_id", flat=True)) == [on_sale.pk]


def test_22_c4_the_showcase_add_page_refuses_an_alliance_product_for_an_official_account(staff_client):
    creator = official_account(ShopType.ENTERPRISE)
    product = alliance_product()
    url = "/admin/shops/showcaseitem/add/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), creator=creator.pk, product=product.pk))
    assert resp.status_code == 200
    assert "您的店铺类型暂不支持添加联盟商品，请添加自己店铺商品" in resp.content.decode()
    assert not ShowcaseItem.objects.exists()


def test_22_d4_the_showcase_add_page_refuses_a_product_out_of_the_alliance(staff_client, staff):
    creator = factories.CreatorFactory()
    listing = factories.AllianceListingFactory()
    AllianceListing.objects.filter(pk=listing.pk).update(status=AllianceListing.Status.OUT)
    url = "/admin/shops/showcaseitem/add/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), creator=creator.pk, product=listing.product_id))
    assert resp.status_code == 200
    assert "该商品未在精选联盟上架。" in resp.content.decode()
    assert not ShowcaseItem.objects.exists()


def test_22_the_showcase_add_page_adds_through_the_service(staff_client):
    creator = factories.CreatorFactory()
    product = alliance_product()
    url = "/admin/shops/showcaseitem/add/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), creator=creator.pk, product=product.pk))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert ShowcaseItem.objects.get().product == product


def test_22_c5_changing_a_shop_type_in_the_admin_is_recorded(staff_client, staff):
    shop = factories.ShopFactory(shop_type=ShopType.FLAGSHIP)
    url = f"/admin/shops/shop/{shop.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), shop_type=ShopType.ENTERPRISE))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    change = shop.type_changes.get()
    assert (change.old_type, change.new_type, change.changed_by) == (ShopType.FLAGSHIP, ShopType.ENTERPRISE, staff)


def test_22_c5_a_shop_type_the_service_refuses_is_shown_on_the_form(staff_client):
    shop = factories.ShopFactory(shop_type=ShopType.INDIVIDUAL)
    url = f"/admin/shops/shop/{shop.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), shop_type=ShopType.FLAGSHIP))
    assert resp.status_code == 200
    assert "此处仅支持专业店变更为个体店或企业店。" in resp.content.decode()
    assert Shop.objects.get(pk=shop.pk).shop_type == ShopType.INDIVIDUAL


def test_22_s2_sample_support_in_the_admin_goes_through_its_service(staff_client, staff):
    listing = factories.AllianceListingFactory(sample_support=False)
    url = f"/admin/shops/alliancelisting/{listing.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), sample_support=True))
    assert resp.status_code == 302, resp.content.decode()[:3000]
    listing.refresh_from_db()
    assert listing.sample_support is True and listing.sample_support_changed_by == staff


def test_22_s2_sample_support_for_a_cross_border_product_is_refused_on_the_form(staff_client):
    listing = factories.AllianceListingFactory(sample_support=False, product__shop__is_cross_border=True)
    url = f"/admin/shops/alliancelisting/{listing.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), sample_support=True))
    assert resp.status_code == 200
    assert "跨境商品暂不支持“样品服务”。" in resp.content.decode()
    listing.refresh_from_db()
    assert listing.sample_support is False


def test_22_a_live_session_added_in_the_past_is_refused_with_the_schedule_rule(staff_client):
    creator = factories.CreatorFactory()
    url = "/admin/shops/livesession/add/"
    data = admin_post_data(staff_client.get(url), creator=creator.pk, title="回放", scheduled_start=["2020-01-01", "10:00:00"])
    resp = staff_client.post(url, data)
    assert resp.status_code == 200
    assert "请选择一个未来的开播时间。" in resp.content.decode()
    assert not LiveSession.objects.exists()


def test_22_no_shop_or_creator_is_added_behind_the_services(staff_client):
    assert staff_client.get("/admin/shops/shop/add/").status_code == 403
    assert staff_client.get("/admin/shops/creator/add/").status_code == 403


def test_22_a_product_added_in_the_admin_goes_through_product_create(staff_client):
    shop = factories.ShopFactory()
    category = factories.CategoryFactory()
    url = "/admin/shops/product/add/"
    data = admin_post_data(staff_client.get(url), shop=shop.pk, title="新商品", category=category.pk, price="9.90", stock=5)
    resp = staff_client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    product = Product.objects.get(title="新商品")
    assert (product.shop, product.price) == (shop, Decimal("9.90"))


def test_22_a_platform_rule_changes_only_with_a_reason(staff_client):
    from core.models import RuleChange, RuleSetting
    from core.rules import rules

    setting = RuleSetting.objects.get(key="fs_full_cap")
    url = f"/admin/core/rulesetting/{setting.pk}/change/"
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), value=25, reason=""))
    assert resp.status_code == 200
    assert "请填写修改原因：原因会记入该规则的修改记录。" in resp.content.decode()
    assert rules.count("fs_full_cap") == 20 and not RuleChange.objects.exists()
    resp = staff_client.post(url, admin_post_data(staff_client.get(url), value=25, reason="旺季调整"))
    assert resp.status_code == 302
    assert RuleChange.objects.get().reason == "旺季调整"


def test_22_a_read_only_record_shows_no_save_button(staff_client):
    creator = factories.CreatorFactory()
    session = LiveSession.objects.create(creator=creator, title="直播", scheduled_start="2030-01-01T10:00:00+08:00")
    html = staff_client.get(f"/admin/shops/livesession/{session.pk}/change/").content.decode()
    assert 'name="_save"' not in html
