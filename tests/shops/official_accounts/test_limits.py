"""C1–C6: what official accounts may carry; every Q&A case of seed 003 is a test here."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.rules import rule_update
from shops import selectors, services
from shops.models import LiveSession, OfficialAccountChange, ShopType, ShopTypeChange
from shops.official_accounts import services as account_services
from shops.official_accounts.limits import C1_LIMIT_MESSAGE, C4_SHOP_TYPE_MESSAGE
from shops.official_accounts.selectors import carry_status_for_session, showcase_addable_products_for_creator
from tests import factories
from tests.shops.helpers import alliance_product, official_account, own_product, session_for

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 7, 10, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

C1_TEXT = "累计添加联盟商品数已达上限，请添加您店铺的商品喔～"
C4_TEXT = "您的店铺类型暂不支持添加联盟商品，请添加自己店铺商品"


def refused(call) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value


def msg(exc: ValidationError, lang: str = "zh-hans") -> str:
    with translation.override(lang):
        return " ".join(exc.messages)


def go_live(session):
    return services.live_session_go_live(session=session, by=None)


# --- the messages -----------------------------------------------------------------------


def test_c1_c4_messages_are_the_platforms_exact_words_with_full_width_punctuation():
    assert C1_LIMIT_MESSAGE.zh == C1_TEXT and C4_SHOP_TYPE_MESSAGE.zh == C4_TEXT
    assert "\uff0c" in C1_TEXT and C1_TEXT.endswith("\uff5e") and "\uff0c" in C4_TEXT
    with translation.override("en"):
        assert str(C1_LIMIT_MESSAGE.lazy).startswith("You have reached the limit")
        assert "shop type" in str(C4_SHOP_TYPE_MESSAGE.lazy)


# --- C1: professional shops ---------------------------------------------------------------


@pytest.mark.parametrize("shop_type", [ShopType.MALL, ShopType.OFFICIAL_FLAGSHIP, ShopType.FLAGSHIP, ShopType.EXCLUSIVE, ShopType.SPECIALTY])
def test_c1_professional_official_account_cannot_add_a_non_own_product_live(shop_type):
    creator = official_account(shop_type)
    session = session_for(creator)
    exc = refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))
    assert msg(exc) == C1_TEXT
    assert session.cart_items.count() == 0


def test_c1_seed_q1_message_in_a_live_session_and_english_for_english_users():
    """Q1: a professional shop's account adding while live gets 「累计添加…喔～」."""
    creator = official_account(ShopType.FLAGSHIP)
    session = session_for(creator)
    services.cart_add(session=session, product=own_product(creator), by=None)
    go_live(session)
    exc = refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))
    assert msg(exc) == C1_TEXT
    assert msg(exc, "en") == C1_LIMIT_MESSAGE.en


def test_c1_own_products_sell_normally():
    creator = official_account(ShopType.OFFICIAL_FLAGSHIP)
    session = session_for(creator)
    go_live(session)
    for _ in range(5):
        services.cart_add(session=session, product=own_product(creator), by=None)
    assert session.cart_items.count() == 5


def test_c1_non_own_includes_another_shop_of_the_same_merchant():
    creator = official_account(ShopType.FLAGSHIP)
    sister_shop = factories.ShopFactory(merchant=creator.bound_shop.merchant, shop_type=ShopType.ENTERPRISE)
    sister = factories.AllianceListingFactory(product__shop=sister_shop).product
    exc = refused(lambda: services.cart_add(session=session_for(creator), product=sister, by=None))
    assert msg(exc) == C1_TEXT


@pytest.mark.parametrize("shop_type", [ShopType.FLAGSHIP, ShopType.INDIVIDUAL])
def test_c1_cross_border_shops_are_exempt_from_c1_to_c4(shop_type):
    creator = official_account(shop_type, cross_border=True)
    session = session_for(creator)
    go_live(session)
    for _ in range(5):
        services.cart_add(session=session, product=alliance_product(), by=None)
    services.showcase_add(creator=creator, product=alliance_product(), by=None)
    assert session.cart_items.count() == 5


def test_c1_seed_q3_why_no_other_shops_products_professional_vs_non_professional():
    """Q3: professional accounts add only own products; individual/enterprise accounts up to 3 per session."""
    pro = official_account(ShopType.SPECIALTY)
    assert msg(refused(lambda: services.cart_add(session=session_for(pro), product=alliance_product(), by=None))) == C1_TEXT
    ind = official_account(ShopType.ENTERPRISE)
    session = session_for(ind)
    for _ in range(3):
        services.cart_add(session=session, product=alliance_product(), by=None)
    assert msg(refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))) == C1_TEXT


# --- C2 / C3: non-professional shops --------------------------------------------------------


@pytest.mark.parametrize("shop_type", [ShopType.INDIVIDUAL, ShopType.ENTERPRISE])
def test_c2_non_professional_account_carries_at_most_three_non_own_per_session(shop_type):
    creator = official_account(shop_type)
    session = session_for(creator)
    for _ in range(3):
        services.cart_add(session=session, product=alliance_product(), by=None)
    exc = refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))
    assert msg(exc) == C1_TEXT
    services.cart_add(session=session, product=own_product(creator), by=None)  # own products are not counted
    # another session has its own three
    other = session_for(creator)
    services.cart_add(session=other, product=alliance_product(), by=None)


def test_c2_the_cap_comes_from_the_rules_object(staff):
    rule_update(key="official_non_own_per_session", value=1, unit="count", by=staff)
    creator = official_account()
    session = session_for(creator)
    services.cart_add(session=session, product=alliance_product(), by=None)
    assert msg(refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))) == C1_TEXT


def test_c2_non_professional_limit_can_be_switched_off_by_the_rules_object(staff):
    rule_update(key="official_limits_non_professional", value=0, unit="flag", by=staff)
    creator = official_account()
    session = session_for(creator)
    for _ in range(4):
        services.cart_add(session=session, product=alliance_product(), by=None)
    # C4 still holds for the showcase
    assert msg(refused(lambda: services.showcase_add(creator=creator, product=alliance_product(), by=None))) == C4_TEXT


def test_c3_before_going_live_replacements_are_free():
    creator = official_account()
    session = session_for(creator)
    items = [services.cart_add(session=session, product=alliance_product(), by=None) for _ in range(3)]
    for item in items[:2]:
        services.cart_remove(item=item, by=None)
    services.cart_add(session=session, product=alliance_product(), by=None)
    services.cart_add(session=session, product=alliance_product(), by=None)
    assert session.cart_items.filter(removed_at__isnull=True).count() == 3
    assert carry_status_for_session(session=session) | {} == {
        "limited": True, "professional": False, "cap": 3, "used": 3, "left": 0, "locked_in": False,
    }


def test_c3_seed_q2_live_with_three_added_one_removed_a_fourth_is_refused():
    """Q2: live, 3 non-own added, one removed — the cart is not full, but no other non-own product can be added."""
    creator = official_account()
    session = session_for(creator)
    with time_machine.travel(T0, tick=False):
        go_live(session)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        items = [services.cart_add(session=session, product=alliance_product(), by=None) for _ in range(3)]
        services.cart_remove(item=items[0], by=None)
        assert session.cart_items.filter(removed_at__isnull=True).count() == 2
        exc = refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))
    assert msg(exc) == C1_TEXT
    # re-adding the counted (removed) one is allowed
    services.cart_add(session=session, product=items[0].product, by=None)


def test_c3_items_in_the_cart_at_go_live_count_even_when_removed_after():
    creator = official_account()
    session = session_for(creator)
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        items = [services.cart_add(session=session, product=alliance_product(), by=None) for _ in range(3)]
        services.cart_remove(item=items[2], by=None)  # removed before go-live: free
    with time_machine.travel(T0, tick=False):
        go_live(session)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        services.cart_remove(item=items[0], by=None)  # removed after go-live: still counts
        services.cart_add(session=session, product=alliance_product(), by=None)  # 3rd counted (items[0], [1], new)
        exc = refused(lambda: services.cart_add(session=session, product=alliance_product(), by=None))
    assert msg(exc) == C1_TEXT
    assert carry_status_for_session(session=LiveSession.objects.get(pk=session.pk))["used"] == 3


def test_c3_removed_one_minute_before_go_live_is_free_removed_at_go_live_counts():
    creator = official_account()
    session = session_for(creator)
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        a, b = (services.cart_add(session=session, product=alliance_product(), by=None) for _ in range(2))
    with time_machine.travel(T0 - timedelta(minutes=1), tick=False):
        services.cart_remove(item=a, by=None)
    with time_machine.travel(T0, tick=False):
        go_live(session)
        services.cart_remove(item=b, by=None)
    session.refresh_from_db()
    assert carry_status_for_session(session=session)["used"] == 1


def test_c3_slots_shown_on_the_creators_session_page(client):
    creator = official_account()
    session = session_for(creator)
    services.cart_add(session=session, product=alliance_product(), by=None)
    client.force_login(creator.user)
    client.cookies["django_language"] = "en"  # the language switch's cookie
    html = client.get(f"/creator/sessions/{session.pk}/").content.decode()
    assert 'data-testid="carry-slots"' in html
    assert "1 of 3 used" in html and "2 left" in html


# --- C4: showcases and short videos ---------------------------------------------------------


@pytest.mark.parametrize("shop_type", [ShopType.FLAGSHIP, ShopType.INDIVIDUAL])
def test_c4_seed_q4_showcase_and_video_refuse_non_own_with_the_c4_message(shop_type):
    creator = official_account(shop_type)
    product = alliance_product()
    exc = refused(lambda: services.showcase_add(creator=creator, product=product, by=None))
    assert msg(exc) == C4_TEXT
    video = services.video_publish(creator=creator, title="新品", by=None)
    exc = refused(lambda: services.video_cart_add(video=video, product=product, by=None))
    assert msg(exc) == C4_TEXT
    services.showcase_add(creator=creator, product=own_product(creator), by=None)
    services.video_cart_add(video=video, product=own_product(creator), by=None)


def test_c4_seed_q4_adding_from_the_marketplace_to_the_showcase_shows_the_message(client):
    creator = official_account(ShopType.ENTERPRISE)
    listing = factories.AllianceListingFactory()
    client.force_login(creator.user)
    resp = client.post("/creator/showcase/add/", {"product": listing.product_id, "next": f"/creator/marketplace/{listing.pk}/"}, follow=True)
    assert C4_TEXT in resp.content.decode()
    assert not creator.showcase_items.exists()


def test_c4_seed_q5_products_carried_live_are_not_offered_in_the_showcase_list(client):
    """Q5: a non-own product carried live is not synced into the showcase's addable list."""
    creator = official_account(ShopType.INDIVIDUAL)
    carried = alliance_product(product__title="直播带过的联盟商品")
    services.cart_add(session=session_for(creator), product=carried, by=None)
    mine = own_product(creator, title="本店商品")
    addable = list(showcase_addable_products_for_creator(creator=creator))
    assert addable == [mine]
    assert list(selectors.carriable_products_for_creator(creator=creator, place="showcase")) == [mine]
    client.force_login(creator.user)
    html = client.get("/creator/showcase/addable/").content.decode()
    assert "本店商品" in html and "直播带过的联盟商品" not in html


def test_c4_an_ordinary_creator_still_sees_and_adds_alliance_products():
    creator = factories.CreatorFactory()
    product = alliance_product()
    assert product in showcase_addable_products_for_creator(creator=creator)
    services.showcase_add(creator=creator, product=product, by=None)


def test_c1_session_page_offers_only_own_products_to_a_professional_account():
    creator = official_account(ShopType.MALL)
    mine = own_product(creator)
    alliance_product()
    assert list(selectors.carriable_products_for_creator(creator=creator, place="live")) == [mine]


# --- C5: leaving the limits -----------------------------------------------------------------


def test_c5_changing_a_professional_shop_to_individual_gives_c2_to_sessions_going_live_after():
    creator = official_account(ShopType.FLAGSHIP)
    live_before = session_for(creator)
    later = session_for(creator)
    with time_machine.travel(T0, tick=False):
        go_live(live_before)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        change = account_services.shop_change_type(shop=creator.bound_shop, new_type=ShopType.INDIVIDUAL, by=creator.bound_shop.merchant.user)
    assert change.old_type == ShopType.FLAGSHIP and change.new_type == ShopType.INDIVIDUAL
    creator.refresh_from_db()
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        # the session live since before the change keeps C1
        exc = refused(lambda: services.cart_add(session=live_before, product=alliance_product(), by=None))
        assert msg(exc) == C1_TEXT
        go_live(later)
        for _ in range(3):
            services.cart_add(session=later, product=alliance_product(), by=None)
        assert msg(refused(lambda: services.cart_add(session=later, product=alliance_product(), by=None))) == C1_TEXT
    # showcases still own only (seed: 橱窗和短视频仅能推广本店商品)
    assert msg(refused(lambda: services.showcase_add(creator=creator, product=alliance_product(), by=None))) == C4_TEXT


def test_c5_only_professional_to_individual_or_enterprise():
    shop = factories.ShopFactory(shop_type=ShopType.INDIVIDUAL)
    refused(lambda: account_services.shop_change_type(shop=shop, new_type=ShopType.ENTERPRISE, by=None))
    pro = factories.ShopFactory(shop_type=ShopType.FLAGSHIP)
    refused(lambda: account_services.shop_change_type(shop=pro, new_type=ShopType.MALL, by=None))
    assert not ShopTypeChange.objects.exists()


def test_c5_seed_q6_closing_the_shop_unbinds_the_account_and_lifts_the_limits():
    creator = official_account(ShopType.INDIVIDUAL)
    shop = creator.bound_shop
    account_services.shop_close(shop=shop, by=shop.merchant.user, reason="只为收款")
    creator.refresh_from_db()
    assert creator.bound_shop is None and not creator.is_official_account
    assert OfficialAccountChange.objects.filter(creator=creator, kind="unbound").exists()
    session = session_for(creator)
    for _ in range(4):
        services.cart_add(session=session, product=alliance_product(), by=None)
    services.showcase_add(creator=creator, product=alliance_product(), by=None)
    assert creator.user.notifications.count() == 1  # told that the limits no longer apply


def test_c5_seed_q6_pure_creator_mode_lifts_the_limits(client):
    creator = official_account(ShopType.FLAGSHIP)
    client.force_login(creator.user)
    assert client.post("/creator/account/").status_code == 302
    creator.refresh_from_db()
    assert creator.pure_creator_mode and not creator.is_official_account
    session = session_for(creator)
    for _ in range(4):
        services.cart_add(session=session, product=alliance_product(), by=None)
    services.showcase_add(creator=creator, product=alliance_product(), by=None)


# --- C6: account by account -------------------------------------------------------------------


def test_c6_seed_a7_an_account_not_yet_switched_on_is_not_limited():
    """A7: others still sell non-own products: the limits are switched on account by account."""
    off = official_account(ShopType.FLAGSHIP, limits_on=False)
    session = session_for(off)
    for _ in range(4):
        services.cart_add(session=session, product=alliance_product(), by=None)
    services.showcase_add(creator=off, product=alliance_product(), by=None)
    on = official_account(ShopType.FLAGSHIP, limits_on=True)
    assert msg(refused(lambda: services.cart_add(session=session_for(on), product=alliance_product(), by=None))) == C1_TEXT


def test_c6_switching_on_one_account_is_recorded_and_needs_a_reviewer(staff):
    creator = official_account(limits_on=False)
    with pytest.raises(PermissionDenied):
        account_services.creator_set_carry_limits(creator=creator, on=True, by=factories.UserFactory())
    assert account_services.creator_set_carry_limits(creator=creator, on=True, by=staff) is True
    assert account_services.creator_set_carry_limits(creator=creator, on=True, by=staff) is False
    creator.refresh_from_db()
    assert creator.carry_limits_on
    change = OfficialAccountChange.objects.get(creator=creator)
    assert change.kind == "limits_on" and change.changed_by == staff


def test_c6_random_share_switches_on_that_share_of_official_accounts_not_yet_on(staff):
    import random

    accounts = [official_account(limits_on=False) for _ in range(10)]
    already = official_account(limits_on=True)
    plain = factories.CreatorFactory()
    picked = account_services.carry_limits_roll_out(creators=[*accounts, already, plain], percentage=30, by=staff, rng=random.Random(7))
    assert len(picked) == 3 and set(picked) <= {a.pk for a in accounts}
    picked_again = account_services.carry_limits_roll_out(creators=accounts, percentage=100, by=staff)
    assert len(picked_again) == 7
    assert all(c.carry_limits_on for c in type(plain).objects.filter(pk__in=[a.pk for a in accounts]))
    plain.refresh_from_db()
    assert not plain.carry_limits_on


def test_c6_admin_one_at_a_time_and_random_share_with_an_intermediate_form(client, staff):
    accounts = [official_account(limits_on=False) for _ in range(4)]
    client.force_login(staff)
    url = "/admin/shops/creator/"
    resp = client.post(url, {"action": "carry_limits_on", "_selected_action": [accounts[0].pk]})
    assert resp.status_code == 302
    accounts[0].refresh_from_db()
    assert accounts[0].carry_limits_on
    ids = [a.pk for a in accounts[1:]]
    resp = client.post(url, {"action": "carry_limits_roll_out", "_selected_action": ids})
    assert resp.status_code == 200 and "percentage" in resp.content.decode()
    resp = client.post(url, {"action": "carry_limits_roll_out", "_selected_action": ids, "apply": "1", "percentage": "100"})
    assert resp.status_code == 302
    assert all(c.carry_limits_on for c in type(accounts[0]).objects.filter(pk__in=ids))
