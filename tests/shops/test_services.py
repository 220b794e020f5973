"""Marketplace core services: products (and F11's offline approval), alliance, creators, live
sessions, carts, notifications."""

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from core import notifications
from core.models import Notification
from shops import services, signals
from shops.models import AllianceListing, LiveSession, Product
from tests import factories
from tests.shops.helpers import lottery_product, staff_with

pytestmark = pytest.mark.django_db


def test_notification_is_in_app_and_emailed_after_commit(django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="m@example.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify(user=user, title="审核通过", body="您的报备已通过")
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1
    assert mail.outbox == []  # nothing leaves before commit
    for cb in callbacks:
        cb()
    assert [m.subject for m in mail.outbox] == ["审核通过"]
    assert mail.outbox[0].to == ["m@example.test"]
    assert Notification.objects.get().emailed_at is not None


def test_notification_with_dedupe_key_is_sent_once(django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=user, title="提醒", dedupe_key="reminder:1")
        notifications.notify(user=user, title="提醒", dedupe_key="reminder:1")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_unread_count_shows_in_the_header_and_mark_read_clears_it(client):
    user = factories.MerchantFactory().user
    notifications.notify(user=user, title="新通知")
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert "新通知" in page and 'data-testid="unread">1<' in page
    client.post("/notifications/read/")
    assert 'data-testid="unread"' not in client.get("/notifications/").content.decode()


def test_product_edit_signals_the_changed_fields():
    product = factories.ProductFactory(title="旧标题", price=Decimal("10"))
    seen = []
    signals.product_edited.connect(lambda **kw: seen.append(kw["changed_fields"]), weak=False, dispatch_uid="t1")
    try:
        services.product_update(product=product, by=None, data={"title": "新标题", "price": Decimal("12")})
        services.product_update(product=product, by=None, data={"title": "新标题"})
    finally:
        signals.product_edited.disconnect(dispatch_uid="t1")
    assert seen == [{"title", "price"}]


def test_zero_price_lottery_cannot_go_on_sale_without_offline_approval():
    product = factories.ProductFactory(is_zero_price_lottery=True, price=0, sale_status="off_sale")
    with pytest.raises(ValidationError, match="好运来"):
        services.product_put_on_sale(product=product, by=None)
    product.refresh_from_db()
    assert product.sale_status == Product.SaleStatus.OFF_SALE


def test_transitions_are_recorded_with_who_and_from_to():
    session = factories.LiveSessionFactory()
    user = session.creator.user
    services.live_session_go_live(session=session, by=user)
    log = StateLog.objects.for_(session).get()
    assert (log.source_state, log.state, log.transition, log.by) == ("scheduled", "live", "go_live", user)


def test_session_cannot_end_twice_and_the_person_is_told():
    session = factories.LiveSessionFactory()
    services.live_session_go_live(session=session, by=None)
    services.live_session_end(session=session, by=None)
    with pytest.raises(ValidationError, match="已结束|Ended"):
        services.live_session_end(session=session, by=None)


def test_cart_add_refuses_products_outside_the_alliance_and_off_sale():
    creator = factories.CreatorFactory()
    session = factories.LiveSessionFactory(creator=creator)
    not_listed = factories.ProductFactory()
    with pytest.raises(ValidationError):
        services.cart_add(session=session, product=not_listed, by=None)
    off_sale = factories.AllianceListingFactory(product__sale_status="off_sale").product
    with pytest.raises(ValidationError):
        services.cart_add(session=session, product=off_sale, by=None)
    ok = factories.AllianceListingFactory().product
    services.cart_add(session=session, product=ok, by=None)
    assert session.cart_items.filter(removed_at__isnull=True).count() == 1


def test_own_shop_products_need_no_alliance_listing():
    shop = factories.ShopFactory()
    creator = factories.CreatorFactory(bound_shop=shop)
    own = factories.ProductFactory(shop=shop)
    services.showcase_add(creator=creator, product=own, by=None)
    assert creator.showcase_items.count() == 1


def test_explained_only_while_live():
    session = factories.LiveSessionFactory()
    item = services.cart_add(session=session, product=factories.AllianceListingFactory().product, by=None)
    with pytest.raises(ValidationError):
        services.cart_mark_explained(item=item, by=None)
    services.live_session_go_live(session=session, by=None)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1), tick=False):
        item = services.cart_mark_explained(item=item, by=None)
    assert item.explained_at is not None


def test_schedule_in_the_past_is_refused():
    with pytest.raises(ValidationError):
        services.live_session_schedule(creator=factories.CreatorFactory(), title="x", scheduled_start=timezone.now() - timezone.timedelta(minutes=1))
    assert not LiveSession.objects.exists()


def test_relisting_after_taking_out():
    listing = factories.AllianceListingFactory()
    from django.db import transaction

    from core.fsm import apply_transition

    with transaction.atomic():
        apply_transition(listing, "take_out", by=None, description="test")
    listing = services.alliance_list(product=listing.product, by=None, commission_rate=Decimal("15"))
    assert listing.status == AllianceListing.Status.LISTED and listing.commission_rate == Decimal("15")


def test_an_email_the_mail_server_refused_stays_pending_and_the_sweep_sends_it(monkeypatch, django_capture_on_commit_callbacks):
    from core import tasks

    user = factories.UserFactory(email="x@example.test")
    refused = []

    def mail_server_down(*args, **kwargs):
        refused.append(args)
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(tasks, "send_mail", mail_server_down)
    with django_capture_on_commit_callbacks(execute=False):
        notifications.notify(user=user, title="待发送")
    assert tasks.send_notification_emails([Notification.objects.get().pk]) == 0  # what the worker meets
    note = Notification.objects.get(title="待发送")
    assert refused and note.emailed_at is None and mail.outbox == []
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1), tick=False):
        assert tasks.send_pending_notification_emails() == 0  # too fresh: the worker may still have it
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=3), tick=False):
        assert tasks.send_pending_notification_emails() == 1
        assert tasks.send_pending_notification_emails() == 0
    assert [m.subject for m in mail.outbox] == ["待发送"]


# --- F11: product_lottery_approve -------------------------------------------------------------


def test_f11_approval_records_who_and_when_and_tells_the_merchant():
    product = lottery_product()
    reviewer = staff_with("change_product")
    services.product_lottery_approve(product=product, by=reviewer)
    product.refresh_from_db()
    assert product.lottery_approved_by == reviewer and product.lottery_approved_at is not None
    assert product.lottery_cleared()
    note = Notification.objects.get(user=product.shop.merchant.user)
    assert "0元购线下审核通过" in note.title and product.title in note.title
    services.product_put_on_sale(product=product, by=None)
    product.refresh_from_db()
    assert product.sale_status == Product.SaleStatus.ON_SALE


@pytest.mark.parametrize("who", ["nobody", "merchant", "staff_without_permission", "permission_without_staff"])
def test_f11_only_staff_with_the_approve_permission_may_approve(who):
    product = lottery_product()
    by = {
        "nobody": None,
        "merchant": product.shop.merchant.user,
        "staff_without_permission": staff_with("view_product"),
        "permission_without_staff": None,
    }[who]
    if who == "permission_without_staff":
        by = staff_with("change_product")
        by.is_staff = False
        by.save()
    with pytest.raises(PermissionDenied, match="只有平台审核人员可以审核0元购"):
        services.product_lottery_approve(product=product, by=by)
    product.refresh_from_db()
    assert product.lottery_approved_at is None and product.lottery_approved_by is None


def test_f11_refuses_a_product_that_is_not_a_lottery():
    product = factories.ProductFactory()
    with pytest.raises(ValidationError, match="不是0元购商品") as info:
        services.product_lottery_approve(product=product, by=staff_with("change_product"))
    assert info.value.code == "not_lottery"
    product.refresh_from_db()
    assert product.lottery_approved_at is None


def test_f11_refuses_a_second_approval_and_keeps_the_first_record():
    product = lottery_product()
    first, second = staff_with("change_product"), staff_with("change_product")
    services.product_lottery_approve(product=product, by=first)
    product.refresh_from_db()
    approved_at = product.lottery_approved_at
    with pytest.raises(ValidationError, match="已审核通过") as info:
        services.product_lottery_approve(product=product, by=second)
    assert info.value.code == "already_approved"
    product.refresh_from_db()
    assert product.lottery_approved_by == first and product.lottery_approved_at == approved_at


def test_f11_one_message_for_going_on_sale_and_for_carrying():
    """The merchant putting it on sale and filings' guard on a cart show the same shops message."""
    product = lottery_product()
    with pytest.raises(ValidationError, match="好运来") as on_sale:
        services.product_put_on_sale(product=product, by=None)
    creator = factories.CreatorFactory(bound_shop=product.shop)
    session = factories.LiveSessionFactory(creator=creator)
    with pytest.raises(ValidationError) as carried:
        services.cart_add(session=session, product=product, by=None)
    assert on_sale.value.messages == carried.value.messages == [str(services.LOTTERY_NEEDS_APPROVAL_MESSAGE)]


# --- S2: the sample-support switch is recorded ------------------------------------------------


def test_s2_switching_sample_support_records_who_and_when():
    listing = factories.AllianceListingFactory()
    merchant_user = listing.product.shop.merchant.user
    assert listing.sample_support_changed_by is None and listing.sample_support_changed_at is None
    services.alliance_set_sample_support(listing=listing, by=merchant_user, enabled=False)
    listing.refresh_from_db()
    assert listing.sample_support is False
    assert listing.sample_support_changed_by == merchant_user and listing.sample_support_changed_at is not None


# --- creator_set_specific checks permission ---------------------------------------------------


@pytest.mark.parametrize("who", ["nobody", "creator", "staff_without_permission"])
def test_marking_a_specific_creator_needs_a_reviewer(who):
    creator = factories.CreatorFactory()
    by = {"nobody": None, "creator": creator.user, "staff_without_permission": staff_with("view_creator")}[who]
    with pytest.raises(PermissionDenied, match="只有平台审核人员可以将达人标记为特定达人"):
        services.creator_set_specific(creator=creator, by=by, is_specific=True)
    creator.refresh_from_db()
    assert creator.is_specific is False


def test_a_reviewer_with_change_creator_marks_a_specific_creator():
    creator = factories.CreatorFactory()
    services.creator_set_specific(creator=creator, by=staff_with("change_creator"), is_specific=True)
    creator.refresh_from_db()
    assert creator.is_specific is True
