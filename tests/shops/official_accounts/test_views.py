"""C5 pages (shop type change, closing a shop, pure-creator mode) and the C5 admin action."""

from __future__ import annotations

import pytest

from shops.models import Shop, ShopType, ShopTypeChange
from tests import factories
from tests.shops.helpers import official_account

pytestmark = pytest.mark.django_db


def test_c5_type_change_page_explains_the_consequence_before_confirming(client):
    creator = official_account(ShopType.OFFICIAL_FLAGSHIP)
    shop = creator.bound_shop
    client.force_login(shop.merchant.user)
    url = f"/merchant/shops/{shop.pk}/type/"
    client.cookies["django_language"] = "en"  # the language switch's cookie
    html = client.get(url).content.decode()
    assert "3 non-own" in html and "Showcases and short videos still carry only" in html
    # not confirmed: nothing changes, the choice is kept, the error is next to the box
    resp = client.post(url, {"new_type": ShopType.ENTERPRISE})
    assert resp.status_code == 200 and 'value="enterprise" selected' in resp.content.decode()
    assert "invalid-feedback" in resp.content.decode()
    shop.refresh_from_db()
    assert shop.shop_type == ShopType.OFFICIAL_FLAGSHIP
    resp = client.post(url, {"new_type": ShopType.ENTERPRISE, "confirm": "on"})
    assert resp.status_code == 302
    shop.refresh_from_db()
    assert shop.shop_type == ShopType.ENTERPRISE
    change = ShopTypeChange.objects.get(shop=shop)
    assert change.changed_by == shop.merchant.user and change.old_type == ShopType.OFFICIAL_FLAGSHIP
    assert creator.user.notifications.count() == 1


def test_c5_shops_page_offers_the_change_only_for_professional_shops(client, merchant):
    pro = factories.ShopFactory(merchant=merchant, shop_type=ShopType.FLAGSHIP)
    ind = factories.ShopFactory(merchant=merchant, shop_type=ShopType.INDIVIDUAL)
    client.force_login(merchant.user)
    html = client.get("/merchant/shops/").content.decode()
    assert f"/merchant/shops/{pro.pk}/type/" in html and f"/merchant/shops/{ind.pk}/type/" not in html


def test_c5_another_merchants_shop_is_404(client, merchant):
    other = factories.ShopFactory(shop_type=ShopType.FLAGSHIP)
    client.force_login(merchant.user)
    assert client.get(f"/merchant/shops/{other.pk}/type/").status_code == 404
    assert client.post(f"/merchant/shops/{other.pk}/close/", {"confirm": "on"}).status_code == 404


def test_c5_closing_the_shop_from_the_workspace_unbinds_the_account(client):
    creator = official_account(ShopType.INDIVIDUAL)
    shop = creator.bound_shop
    client.force_login(shop.merchant.user)
    assert client.post(f"/merchant/shops/{shop.pk}/close/", {}).status_code == 200  # needs confirming
    resp = client.post(f"/merchant/shops/{shop.pk}/close/", {"confirm": "on", "reason": "不再经营"})
    assert resp.status_code == 302
    shop.refresh_from_db()
    creator.refresh_from_db()
    assert shop.status == Shop.Status.CLOSED and creator.bound_shop is None


def test_c5_admin_closes_shops_through_the_service(client, staff):
    creator = official_account(ShopType.FLAGSHIP)
    client.force_login(staff)
    client.post("/admin/shops/shop/", {"action": "close_shops", "_selected_action": [creator.bound_shop_id]})
    creator.refresh_from_db()
    assert creator.bound_shop is None


def test_c5_account_mode_page_for_an_official_account(client):
    creator = official_account(ShopType.INDIVIDUAL)
    client.force_login(creator.user)
    client.cookies["django_language"] = "en"  # the language switch's cookie
    html = client.get("/creator/account/").content.decode()
    assert "up to 3 non-own" in html and "pure-creator mode" in html.lower()
