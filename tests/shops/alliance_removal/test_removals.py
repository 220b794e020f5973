"""D1–D4: taking products out of the alliance, now or at a scheduled time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from shops import selectors, services, signals
from shops.alliance_removal import impact
from shops.alliance_removal import services as removal_services
from shops.alliance_removal.services import alliance_removals_sweep
from shops.models import AllianceListing, AllianceRemoval, BuyerAnnouncement, Product, ShowcaseItem
from tests import factories
from tests.shops.helpers import session_for

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 8, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def listing():
    return factories.AllianceListingFactory(product__title="联盟面霜")


@pytest.fixture
def carriers(listing):
    """A showcase, a scheduled session's cart and a live session's cart carrying the product."""
    product = listing.product
    show = factories.CreatorFactory()
    services.showcase_add(creator=show, product=product, by=None)
    scheduled = session_for(factories.CreatorFactory())
    services.cart_add(session=scheduled, product=product, by=None)
    live = session_for(factories.CreatorFactory())
    services.cart_add(session=live, product=product, by=None)
    services.live_session_go_live(session=live, by=None)
    return {"showcase": show, "scheduled": scheduled, "live": live}


def merchant_user(listing):
    return listing.product.shop.merchant.user


# --- D1 / D2: confirmation --------------------------------------------------------------------


def test_d1_confirmation_shows_product_promotion_settings_and_who_is_affected(client, listing, carriers, monkeypatch):
    # Stand in for the samples app's real counter, and put it back afterwards (monkeypatch).
    monkeypatch.setitem(impact._counters, "open_samples", impact.Counter("open_samples", "Open sample requests", lambda product: 2, 40))
    client.force_login(merchant_user(listing))
    resp = client.get(f"/merchant/alliance/remove/?products={listing.product_id}")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "联盟面霜" in html and "20.00%" in html
    assert 'data-testid="impact-showcases">1<' in html
    assert 'data-testid="impact-scheduled_carts">1<' in html
    assert 'data-testid="impact-live_carts">1<' in html
    assert 'data-testid="impact-open_samples">2<' in html


def test_d1_bulk_confirmation_lists_each_product_and_takes_them_all_out(client, merchant):
    shop = factories.ShopFactory(merchant=merchant)
    listings = [factories.AllianceListingFactory(product__shop=shop) for _ in range(3)]
    client.force_login(merchant.user)
    ids = [lst.product_id for lst in listings]
    html = client.get("/merchant/alliance/remove/", {"products": ids}).content.decode()
    assert html.count('data-testid="removal-product"') == 3
    resp = client.post("/merchant/alliance/remove/", {"products": ids, "confirm": "1", "when": "now"})
    assert resp.status_code == 302
    assert set(AllianceListing.objects.filter(pk__in=[lst.pk for lst in listings]).values_list("status", flat=True)) == {"out"}


def test_d1_another_merchants_products_are_never_taken_out(client, merchant, listing):
    client.force_login(merchant.user)
    resp = client.post("/merchant/alliance/remove/", {"products": [listing.product_id], "confirm": "1", "when": "now"})
    assert resp.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "listed"


def test_d1_alliance_page_lists_the_merchants_listings_without_n_plus_1(client, merchant, django_assert_max_num_queries):
    shop = factories.ShopFactory(merchant=merchant)
    for _ in range(8):
        lst = factories.AllianceListingFactory(product__shop=shop)
        removal_services.alliance_removal_create(product=lst.product, by=None, at=lst.listed_at + timedelta(days=30))
    client.force_login(merchant.user)
    with django_assert_max_num_queries(14):
        resp = client.get("/merchant/alliance/")
    assert resp.status_code == 200


def test_d2_form_keeps_what_was_typed_and_refuses_a_past_time(client, listing):
    client.force_login(merchant_user(listing))
    resp = client.post(
        "/merchant/alliance/remove/",
        {"products": [listing.product_id], "confirm": "1", "when": "scheduled", "at": "2020-01-01T10:00", "compensation_note": "送券十元"},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "送券十元" in html and "invalid-feedback" in html
    assert not AllianceRemoval.objects.exists()


def test_d2_scheduled_removal_happens_at_its_time_not_a_minute_before(listing):
    with time_machine.travel(T0, tick=False):
        removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=T0 + timedelta(hours=2))
    with time_machine.travel(T0 + timedelta(hours=1, minutes=59), tick=False):
        assert alliance_removals_sweep() == 0
    removal.refresh_from_db()
    assert removal.status == "scheduled"
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert alliance_removals_sweep() == 1
    removal.refresh_from_db()
    listing.refresh_from_db()
    assert removal.status == "done" and listing.status == "out"


def test_d2_a_scheduled_removal_run_twice_happens_once(listing, carriers):
    with time_machine.travel(T0, tick=False):
        removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=T0 + timedelta(hours=1))
    received = []
    signals.alliance_removed.connect(lambda **kw: received.append(kw["removal"].pk), weak=False, dispatch_uid="test-once")
    try:
        with time_machine.travel(T0 + timedelta(hours=1), tick=False):
            assert alliance_removals_sweep() == 1
            assert alliance_removals_sweep() == 0
            assert removal_services.alliance_removal_carry_out(removal=removal) is False
    finally:
        signals.alliance_removed.disconnect(dispatch_uid="test-once")
    assert received == [removal.pk]
    assert StateLog.objects.for_(removal).count() == 1
    assert StateLog.objects.for_(listing).filter(transition="take_out").count() == 1
    done_notes = Notification.objects.filter(user=carriers["showcase"].user).count()
    assert done_notes == 2  # told once when scheduled, once when done


def test_d2_cancel_before_it_happens_and_nothing_is_removed(listing, carriers):
    with time_machine.travel(T0, tick=False):
        removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=T0 + timedelta(hours=1))
    with time_machine.travel(T0 + timedelta(minutes=59), tick=False):
        removal_services.alliance_removal_cancel(removal=removal, by=merchant_user(listing))
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert alliance_removals_sweep() == 0
    removal.refresh_from_db()
    listing.refresh_from_db()
    assert removal.status == "cancelled" and listing.status == "listed"
    assert ShowcaseItem.objects.filter(product=listing.product, removed_at__isnull=True).count() == 1


def test_d2_cannot_cancel_once_due_or_done(listing):
    with time_machine.travel(T0, tick=False):
        removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=T0 + timedelta(hours=1))
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        with pytest.raises(ValidationError):
            removal_services.alliance_removal_cancel(removal=removal, by=None)
        alliance_removals_sweep()
        with pytest.raises(ValidationError):
            removal_services.alliance_removal_cancel(removal=removal, by=None)


def test_d2_one_scheduled_removal_per_product(listing):
    removal_services.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=2))
    with pytest.raises(ValidationError):
        removal_services.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=3))


def test_d2_a_bad_row_is_logged_and_skipped_without_stopping_the_sweep(listing, monkeypatch, caplog):
    other = factories.AllianceListingFactory()
    with time_machine.travel(T0, tick=False):
        bad = removal_services.alliance_removal_create(product=listing.product, by=None, at=T0 + timedelta(minutes=1))
        good = removal_services.alliance_removal_create(product=other.product, by=None, at=T0 + timedelta(minutes=2))
    real = removal_services._carry_out

    def flaky(removal, *, by):
        if removal.pk == bad.pk:
            raise RuntimeError("boom")
        return real(removal, by=by)

    monkeypatch.setattr(removal_services, "_carry_out", flaky)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert alliance_removals_sweep() == 1
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == "scheduled" and good.status == "done"
    assert "could not be carried out" in caplog.text


# --- D3: announcements and telling creators ---------------------------------------------------


def test_d3_creators_are_told_when_scheduled_and_when_done(listing, carriers):
    with time_machine.travel(T0, tick=False):
        removal = removal_services.alliance_removal_create(
            product=listing.product, by=None, at=T0 + timedelta(days=1), compensation_note="每单补贴5元"
        )
    for key in ("showcase",):
        notes = list(Notification.objects.filter(user=carriers[key].user))
        assert len(notes) == 1 and "每单补贴5元" in notes[0].body
    assert Notification.objects.filter(user=carriers["scheduled"].creator.user).count() == 1
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        alliance_removals_sweep()
    assert Notification.objects.filter(user=carriers["showcase"].user).count() == 2
    assert Notification.objects.filter(user=carriers["scheduled"].creator.user).count() == 2
    # The core's own counters (other apps, e.g. flash sales, add theirs to the same snapshot).
    assert {k: removal.impact[k] for k in ("showcases", "scheduled_carts", "live_carts")} == {
        "showcases": 1, "scheduled_carts": 1, "live_carts": 1,
    }


def test_d3_open_sample_request_creators_are_told_through_the_registry(listing):
    sampler = factories.CreatorFactory()
    impact.register_creator_audience("samples-test", lambda product: [sampler])
    try:
        removal_services.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=2))
    finally:
        impact.unregister_creator_audience("samples-test")
    assert Notification.objects.filter(user=sampler.user).count() == 1


def test_d3_announcement_to_buyers_with_time_and_compensation_note(client, listing):
    buyers = [factories.UserFactory() for _ in range(2)]
    impact.register_buyer_audience("flash-test", lambda product: buyers)
    try:
        with time_machine.travel(T0, tick=False):
            removal = removal_services.alliance_removal_create(
                product=listing.product, by=None, at=T0 + timedelta(days=1), compensation_note="补偿10元券"
            )
            client.force_login(merchant_user(listing))
            resp = client.post(f"/merchant/alliance/removals/{removal.pk}/announce/", {"message": "本品将下架精选联盟"})
    finally:
        impact.unregister_buyer_audience("flash-test")
    assert resp.status_code == 302
    announcement = BuyerAnnouncement.objects.get()
    assert announcement.recipients == 2 and announcement.compensation_note == "补偿10元券"
    assert announcement.removal_time == T0 + timedelta(days=1)
    for buyer in buyers:
        note = Notification.objects.get(user=buyer)
        assert "本品将下架精选联盟" in note.body and "补偿10元券" in note.body and "2026-08-04 10:00" in note.body


def test_d3_no_announcement_after_it_happened(listing):
    removal = removal_services.alliance_removal_create(product=listing.product, by=None)
    with pytest.raises(ValidationError):
        removal_services.buyer_announcement_send(removal=removal, by=None, message="晚了")


def test_d3_an_announcement_with_an_immediate_removal_goes_out_first():
    buyer = factories.UserFactory()
    lst = factories.AllianceListingFactory()
    impact.register_buyer_audience("t", lambda product: [buyer])
    try:
        removal_services.alliance_removal_create(product=lst.product, by=None, announcement="即刻下架")
    finally:
        impact.unregister_buyer_audience("t")
    assert BuyerAnnouncement.objects.get().recipients == 1


# --- D4: when it happens -----------------------------------------------------------------------


def test_d4_it_leaves_marketplace_showcases_and_scheduled_carts_live_sessions_keep_it(listing, carriers):
    removal_services.alliance_removal_create(product=listing.product, by=None)
    product = listing.product
    assert not selectors.marketplace_listings().filter(pk=listing.pk).exists()
    assert not ShowcaseItem.objects.filter(product=product, removed_at__isnull=True).exists()
    assert not carriers["scheduled"].cart_items.filter(removed_at__isnull=True).exists()
    assert carriers["live"].cart_items.filter(removed_at__isnull=True).count() == 1
    with pytest.raises(ValidationError):
        services.cart_add(session=session_for(factories.CreatorFactory()), product=product, by=None)


def test_d4_the_goods_owners_official_account_keeps_its_own_product(listing):
    shop = listing.product.shop
    official = factories.CreatorFactory(bound_shop=shop, carry_limits_on=True)
    services.showcase_add(creator=official, product=listing.product, by=None)
    removal_services.alliance_removal_create(product=listing.product, by=None)
    assert ShowcaseItem.objects.filter(creator=official, removed_at__isnull=True).count() == 1


def test_d4_merchant_is_prompted_to_take_the_product_off_sale(client, listing):
    removal_services.alliance_removal_create(product=listing.product, by=None)
    user = merchant_user(listing)
    assert Notification.objects.filter(user=user, url=f"/merchant/products/{listing.product_id}/").count() == 1
    client.force_login(user)
    html = client.get(f"/merchant/products/{listing.product_id}/").content.decode()
    assert 'data-testid="alliance-removal-panel"' in html and 'value="off"' in html and "alert-warning" in html
    client.post(f"/merchant/products/{listing.product_id}/sale/", {"action": "off"})
    html = client.get(f"/merchant/products/{listing.product_id}/").content.decode()
    assert "alert-warning" not in html
    assert Product.objects.get(pk=listing.product_id).sale_status == "off_sale"


def test_d4_sends_alliance_removed_for_samples(listing):
    received = []

    def listener(sender, product, removal, by, **kwargs):
        received.append((product.pk, removal.status))

    signals.alliance_removed.connect(listener, dispatch_uid="test-d4")
    try:
        removal_services.alliance_removal_create(product=listing.product, by=None)
    finally:
        signals.alliance_removed.disconnect(dispatch_uid="test-d4")
    assert received == [(listing.product_id, "done")]


def test_d4_it_can_be_listed_again_later(listing):
    from decimal import Decimal

    removal_services.alliance_removal_create(product=listing.product, by=None)
    services.alliance_list(product=listing.product, by=None, commission_rate=Decimal("15"))
    listing.refresh_from_db()
    assert listing.status == "listed" and listing.out_at is None
    assert selectors.marketplace_listings().filter(pk=listing.pk).exists()
    # and taken out again
    removal_services.alliance_removal_create(product=listing.product, by=None)
    listing.refresh_from_db()
    assert listing.status == "out" and listing.removals.filter(status="done").count() == 2


def test_d4_product_page_offers_the_removal_and_cancel(client, listing):
    client.force_login(merchant_user(listing))
    html = client.get(f"/merchant/products/{listing.product_id}/alliance/").content.decode()
    assert f"/merchant/alliance/remove/?products={listing.product_id}" in html
    removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=2))
    html = client.get(f"/merchant/products/{listing.product_id}/").content.decode()
    assert f"/merchant/alliance/removals/{removal.pk}/cancel/" in html
    resp = client.post(f"/merchant/alliance/removals/{removal.pk}/cancel/")
    assert resp.status_code == 302
    removal.refresh_from_db()
    assert removal.status == "cancelled"


def test_d4_another_merchant_cannot_cancel_or_announce(client, merchant, listing):
    removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=2))
    client.force_login(merchant.user)
    assert client.post(f"/merchant/alliance/removals/{removal.pk}/cancel/").status_code == 404
    assert client.get(f"/merchant/alliance/removals/{removal.pk}/announce/").status_code == 404



def test_d3_buyer_providers_reach_non_users_their_own_way_and_recipients_counts_everyone_reached(listing):
    """The registry is not tied to Users: a provider may name any model and deliver itself;
    one whose delivery fails is logged and skipped, and only those reached are counted."""
    user = factories.UserFactory()
    others = [factories.CreatorFactory() for _ in range(2)]  # stand-ins for a non-User kind of buyer
    delivered = []

    def deliver(*, recipient, title, body, dedupe_key):
        delivered.append((recipient.pk, dedupe_key, body))
        return True

    def broken(*, recipient, title, body, dedupe_key):
        raise RuntimeError("inbox down")

    impact.register_buyer_audience("users", lambda product: [user, user])  # the same person twice: once
    impact.register_buyer_audience("others", lambda product: others, deliver=deliver)
    impact.register_buyer_audience("broken", lambda product: [factories.MerchantFactory()], deliver=broken)
    try:
        with time_machine.travel(T0, tick=False):
            removal = removal_services.alliance_removal_create(
                product=listing.product, by=None, at=T0 + timedelta(days=1), compensation_note="补偿"
            )
            sent = removal_services.buyer_announcement_send(removal=removal, by=None, message="公告")
    finally:
        for key in ("users", "others", "broken"):
            impact.unregister_buyer_audience(key)
    assert sent.recipients == 3 and BuyerAnnouncement.objects.get().recipients == 3
    assert Notification.objects.filter(user=user).count() == 1
    assert sorted(pk for pk, _, _ in delivered) == sorted(c.pk for c in others)
    assert all(key.startswith(f"buyer-announcement:{sent.pk}:shops.creator:") for _, key, _ in delivered)
    assert all("公告" in body and "2026-08-04 10:00" in body and "补偿" in body for _, _, body in delivered)
