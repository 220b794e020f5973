"""The marketplace's admin actions call the services; a service's refusal is a message, never a 403."""

import pytest
from django.contrib.messages import get_messages

from shops.alliance_removal import services as removal_services
from shops.models import Creator
from shops.official_accounts import services as account_services
from tests import factories
from tests.shops.helpers import official_account, staff_with

pytestmark = pytest.mark.django_db


def test_admin_action_shows_the_services_refusal_as_a_message_not_a_403(client):
    creator = factories.CreatorFactory()
    client.force_login(staff_with("view_creator"))
    resp = client.post("/admin/shops/creator/", {"action": "mark_specific", "_selected_action": [creator.pk]})
    assert resp.status_code == 302
    texts = [str(m) for m in get_messages(resp.wsgi_request)]
    assert any(str(creator) in t and "只有平台审核人员可以将达人标记为特定达人" in t for t in texts), texts
    assert Creator.objects.get(pk=creator.pk).is_specific is False


def test_admin_action_marks_specific_creators_and_says_how_many(client):
    creators = [factories.CreatorFactory() for _ in range(2)]
    client.force_login(staff_with("view_creator", "change_creator"))
    resp = client.post("/admin/shops/creator/", {"action": "mark_specific", "_selected_action": [c.pk for c in creators]})
    assert resp.status_code == 302
    assert "已将 2 位达人标记为特定达人。" in [str(m) for m in get_messages(resp.wsgi_request)]
    assert Creator.objects.filter(is_specific=True).count() == 2


def messages_of(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_c6_switch_refused_to_a_non_reviewer_is_a_message_per_account(client):
    account = official_account(limits_on=False)
    client.force_login(staff_with("view_creator"))
    resp = client.post("/admin/shops/creator/", {"action": "carry_limits_on", "_selected_action": [account.pk]})
    assert resp.status_code == 302
    assert any(str(account) in t for t in messages_of(resp))
    account.refresh_from_db()
    assert account.carry_limits_on is False


def test_c5_closing_a_closed_shop_is_a_message_and_the_others_close(client, staff):
    closed, open_shop = factories.ShopFactory(name="已关的店"), factories.ShopFactory(name="开着的店")
    account_services.shop_close(shop=closed, by=staff)
    client.force_login(staff)
    resp = client.post("/admin/shops/shop/", {"action": "close_shops", "_selected_action": [closed.pk, open_shop.pk]})
    assert resp.status_code == 302
    texts = messages_of(resp)
    assert any(t.startswith("已关的店: ") for t in texts) and "已关闭 1 家店铺。" in texts
    open_shop.refresh_from_db()
    assert open_shop.status == "closed"


def test_d2_cancelling_a_removal_already_done_is_a_message(client, staff):
    removal = removal_services.alliance_removal_create(product=factories.AllianceListingFactory().product, by=None)
    assert removal.status == "done"
    client.force_login(staff)
    resp = client.post("/admin/shops/allianceremoval/", {"action": "cancel_removals", "_selected_action": [removal.pk]})
    assert resp.status_code == 302
    assert any(t.startswith(f"{removal}: ") for t in messages_of(resp))
    removal.refresh_from_db()
    assert removal.status == "done"
