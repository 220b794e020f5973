"""Samples at volume (RULES.md V6–V10), lifecycle side: reminders, extension, proof,
not arrived, return on samples — each at its boundaries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from core.rules import rule_update
from flashsales.models import FlashSaleOrder
from samples import messages_volume as vmsg
from samples import selectors_volume, services, services_volume
from samples.models import ExtensionRequest, PromotionSale, SampleRequest
from shops import services as shop_services
from shops.models import LiveCartItem, LiveSession, Product
from tests import factories
from tests.flashsales.factories import FlashSaleFactory, ViewerFactory
from tests.samples.factories import T0, H, M, approved_at, received_at, reload, request_at, shipped_at, travel, video_with_product

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
D = timedelta(days=1)
S = SampleRequest.State
E = ExtensionRequest.State


def keys_of(user):
    return set(Notification.objects.filter(user=user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))


# ---------------------------------------------------------------------------------------
# V6: reminders


def test_v6_merchant_reminded_when_half_of_the_48h_is_gone_and_6h_before_not_a_minute_earlier():
    sample = request_at(T0)
    with travel(T0 + 23 * H + 59 * M):
        assert services.sweep_reminders() == 0
    with travel(T0 + 24 * H):
        assert services.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {services.reminder_key(sample.pk, "decide-half")}
    with travel(T0 + 41 * H + 59 * M):
        assert services.sweep_reminders() == 0
    with travel(T0 + 42 * H):
        assert services.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {
        services.reminder_key(sample.pk, "decide-half"), services.reminder_key(sample.pk, "decide-last")}
    assert keys_of(sample.creator.user) == set()


def test_v6_merchant_reminded_the_same_before_the_120h_at_60h_and_114h():
    sample = approved_at(T0)
    with travel(T0 + 59 * H + 59 * M):
        assert services.sweep_reminders() == 0
    with travel(T0 + 60 * H):
        assert services.sweep_reminders() == 1
    with travel(T0 + 113 * H + 59 * M):
        assert services.sweep_reminders() == 0
    with travel(T0 + 114 * H):
        assert services.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {
        services.reminder_key(sample.pk, "ship-half"), services.reminder_key(sample.pk, "ship-last")}


def test_v6_creator_reminded_3_days_and_1_day_before_the_360h_each_once():
    sample = received_at(T0)
    early, last = T0 + 360 * H - 3 * D, T0 + 360 * H - D
    with travel(early - M):
        assert services.sweep_reminders() == 0
    with travel(early):
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0
    with travel(last - M):
        assert services.sweep_reminders() == 0
    with travel(last):
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0
    assert keys_of(sample.creator.user) == {
        services.reminder_key(sample.pk, "promote-early"), services.reminder_key(sample.pk, "promote-last")}
    assert keys_of(sample.merchant.user) == set()


def test_v6_creator_promoting_is_not_reminded():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 360 * H - D):
        assert services.sweep_reminders() == 0


def test_v6_each_reminder_goes_in_app_and_by_email_once_even_when_the_sweep_runs_twice(django_capture_on_commit_callbacks):
    sample = request_at(T0)
    sample.merchant.user.email = "merchant@example.com"
    sample.merchant.user.save()
    with travel(T0 + 24 * H), django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0  # the second, overlapping run finds the key taken
    note = Notification.objects.get(dedupe_key=services.reminder_key(sample.pk, "decide-half"))
    assert note.user == sample.merchant.user and note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["merchant@example.com"]]
    assert mail.outbox[0].subject == note.title


def test_v6_a_late_sweep_sends_only_the_most_urgent_reminder():
    sample = request_at(T0)
    with travel(T0 + 43 * H):  # the sweeps did not run between 24 h and 42 h
        assert services.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {services.reminder_key(sample.pk, "decide-last")}


def test_v6_a_granted_extension_reminds_again_before_the_new_deadline():
    sample = received_at(T0)
    with travel(T0 + 360 * H - D):
        services.sweep_reminders()
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="档期冲突")
        services_volume.sample_extension_grant(sample=sample, by=sample.merchant.user)
    new_deadline = T0 + 360 * H + 7 * D
    assert reload(sample).fulfil_by == new_deadline
    with travel(new_deadline - D):
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0
    assert services.reminder_key(sample.pk, "promote-last", extended=True) in keys_of(sample.creator.user)


# ---------------------------------------------------------------------------------------
# V7: extension


def test_v7_creator_asks_once_with_a_reason_and_the_merchant_is_told():
    sample = received_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="  ")
    assert exc.value.messages == [str(vmsg.EXTENSION_REASON_REQUIRED)]
    with travel(T0 + H):
        ext = services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="拍摄档期推迟")
    assert ext.state == E.REQUESTED and ext.refuse_by == T0 + H + 48 * H and ext.extra == 7 * D
    assert ext.fulfil_by_before == T0 + 360 * H
    assert Notification.objects.filter(user=sample.merchant.user, title__contains="拍摄档期推迟").exists()
    with pytest.raises(ValidationError) as exc, travel(T0 + 2 * H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="再延一次")
    assert exc.value.messages == [str(vmsg.EXTENSION_ONCE)]


def test_v7_only_the_creator_and_only_while_the_360h_clock_runs():
    sample = received_at(T0)
    with pytest.raises(PermissionDenied), travel(T0 + H):
        services_volume.sample_extension_request(sample=sample, by=sample.merchant.user, reason="x")
    with pytest.raises(ValidationError) as exc, travel(T0 + 360 * H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="太晚了")
    assert exc.value.messages == [str(vmsg.EXTENSION_TOO_LATE)]
    with travel(T0 + 359 * H + 59 * M):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="最后一刻")
    shipped = shipped_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        services_volume.sample_extension_request(sample=shipped, by=shipped.creator.user, reason="还没收到")
    assert exc.value.messages == [str(vmsg.EXTENSION_NOT_RECEIVED)]


def test_v7_merchant_may_refuse_at_47h59m_but_not_at_48h():
    a, b = received_at(T0), received_at(T0)
    with travel(T0):
        for s in (a, b):
            services_volume.sample_extension_request(sample=s, by=s.creator.user, reason="需要更多时间")
    with travel(T0 + 47 * H + 59 * M):
        ext = services_volume.sample_extension_refuse(sample=a, by=a.merchant.user, reason="新品档期已定")
    assert ext.state == E.REFUSED and reload(a).fulfil_by == T0 + 360 * H
    assert StateLog.objects.for_(ext).get().by == a.merchant.user
    with pytest.raises(ValidationError) as exc, travel(T0 + 48 * H):
        services_volume.sample_extension_refuse(sample=b, by=b.merchant.user)
    assert exc.value.messages == [str(vmsg.EXTENSION_REFUSE_TOO_LATE)]


def test_v7_silence_grants_it_at_48h_not_47h59m_and_the_deadline_moves_7_days():
    sample = received_at(T0)
    with travel(T0 + 10 * H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要更多时间")
    with travel(T0 + 57 * H + 59 * M):
        assert services_volume.sweep_grant_extensions() == 0
    with travel(T0 + 58 * H):
        assert services_volume.sweep_grant_extensions() == 1
        assert services_volume.sweep_grant_extensions() == 0
    ext = ExtensionRequest.objects.get(sample=sample)
    assert ext.state == E.GRANTED and ext.decided_at == T0 + 58 * H
    assert reload(sample).fulfil_by == T0 + 360 * H + 7 * D == ext.fulfil_by_after
    log = StateLog.objects.for_(ext).get()
    assert log.by is None and "samples.sweep_grant_extensions" in log.description
    # the 360 h mark passes without a breach; the new mark breaches
    with travel(T0 + 360 * H + 7 * D - SEC):
        assert services.sweep_breach_unpromoted() == 0
    with travel(T0 + 360 * H + 7 * D):
        assert services.sweep_breach_unpromoted() == 1


def test_v7_breach_waits_for_the_merchant_while_an_extension_may_still_be_refused():
    sample = received_at(T0)
    with travel(T0 + 350 * H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="最后十小时才想起来")
    with travel(T0 + 360 * H):
        assert services.sweep_breach_unpromoted() == 0  # held: the merchant may still refuse until 398 h
    with travel(T0 + 370 * H):
        services_volume.sample_extension_refuse(sample=sample, by=sample.merchant.user, reason="不同意")
        assert services.sweep_breach_unpromoted() == 1
    assert reload(sample).state == S.BREACHED


def test_v7_an_extension_lapses_when_the_request_closed_before_the_48h():
    sample = received_at(T0)
    with travel(T0 + H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要时间")
    staff = factories.StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    with travel(T0 + 2 * H):
        services.sample_request_override(sample=sample, by=staff, action="override_cancel", reason="达人注销")
    with travel(T0 + 49 * H):
        assert services_volume.sweep_grant_extensions() == 1
    assert ExtensionRequest.objects.get(sample=sample).state == E.LAPSED
    assert reload(sample).state == S.CANCELLED


def test_v7_rule_values_come_from_the_rules_object(staff):
    rule_update(key="sample_extension", value=3, unit="days", by=staff, reason="试行")
    rule_update(key="sample_extension_refuse", value=24, unit="hours", by=staff, reason="试行")
    sample = received_at(T0)
    with travel(T0):
        ext = services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="x")
    assert ext.extra == 3 * D and ext.refuse_by == T0 + 24 * H


# ---------------------------------------------------------------------------------------
# V8: proof


def _live(sample, *, viewers, start):
    session = factories.LiveSessionFactory(creator=sample.creator, peak_viewers=viewers)
    with travel(start - H):
        shop_services.live_session_go_live(session=session, by=sample.creator.user)
    with travel(start):
        item = shop_services.cart_add(session=session, product=sample.product, by=sample.creator.user)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
    return session, item


def test_v8_live_promotion_with_9_viewers_does_not_count_with_10_it_does():
    start = T0 + 10 * H
    few = received_at(T0)
    session, item = _live(few, viewers=9, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=few.creator.user)
    with pytest.raises(ValidationError) as exc, travel(start + 11 * M):
        services.sample_request_record_live(sample=few, by=few.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(vmsg.LIVE_TOO_FEW_VIEWERS % {"count": 10, "viewers": 9})]

    enough = received_at(T0)
    session, item = _live(enough, viewers=10, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=enough.creator.user)
    with travel(start + 11 * M):
        services.sample_request_record_live(sample=enough, by=enough.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    enough = reload(enough)
    assert enough.state == S.FULFILLED and enough.fulfilled_at == start + 3 * M


def test_v8_still_live_with_too_few_viewers_waits_and_counts_once_10_have_come():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=9, start=start)
    with travel(start + 2 * M):
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 3 * M):
        assert services.sweep_check_promotions() == 0  # 9 viewers, still live: checked again
    assert reload(sample).promotion == SampleRequest.Promotion.LIVE
    LiveSession.objects.filter(pk=session.pk).update(peak_viewers=10)
    with travel(start + 4 * M):
        assert services.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 3 * M


def test_v8_session_ended_with_too_few_viewers_clears_the_promotion_so_the_creator_can_try_again():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=3, start=start)
    with travel(start + 2 * M):
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 20 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
        assert services.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.promotion == ""
    assert Notification.objects.filter(user=sample.creator.user, title__contains="10").exists()


def test_v8_min_viewers_is_the_rules_object_value(staff):
    rule_update(key="sample_min_live_viewers", value=100, unit="count", by=staff, reason="提高门槛")
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=99, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
    with pytest.raises(ValidationError), travel(start + 11 * M):
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))


def _video_promotion(at):
    sample = received_at(T0)
    video = video_with_product(sample, at)
    with travel(at):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    return sample, video


def test_v8_video_is_checked_again_at_its_7th_day_taken_down_1s_before_is_breached():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 7 * D - SEC):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(start + 7 * D):
        assert services.sweep_check_promotions() == 1
    assert reload(sample).state == S.BREACHED


def test_v8_video_taken_down_at_the_7th_day_mark_held_and_is_fulfilled():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 7 * D):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(start + 7 * D + 5 * M):  # a late sweep still judges the 7 days, not the present
        assert services.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 7 * D


def test_v8_product_removed_from_the_video_cart_before_the_7th_day_is_breached():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 6 * D):
        shop_services.video_cart_remove(item=video.cart_items.get(), by=sample.creator.user)
        shop_services.video_cart_add(video=video, product=sample.product, by=sample.creator.user)  # put back: not one stretch
    with travel(start + 7 * D):
        services.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.BREACHED and "7" in sample.close_reason


# ---------------------------------------------------------------------------------------
# V9: not arrived


def test_v9_reported_at_167h59m_but_not_at_168h():
    late = shipped_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + 168 * H):
        services_volume.sample_request_report_not_arrived(sample=late, by=late.creator.user)
    assert exc.value.messages == [str(vmsg.NOT_ARRIVED_TOO_LATE)]
    sample = shipped_at(T0)
    with travel(T0 + 167 * H + 59 * M):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user, note="驿站查无此件")
    sample = reload(sample)
    assert sample.state == S.NOT_ARRIVED and sample.not_arrived_note == "驿站查无此件"
    assert Notification.objects.filter(user=sample.merchant.user, title__contains=sample.tracking_number).exists()


def test_v9_the_auto_receipt_sweep_skips_held_rows_and_no_360h_clock_runs():
    held, other = shipped_at(T0), shipped_at(T0)
    with travel(T0 + 100 * H):
        services_volume.sample_request_report_not_arrived(sample=held, by=held.creator.user)
    with travel(T0 + 168 * H):
        assert services.sweep_auto_receive() == 1  # only the other one
    with travel(T0 + 800 * H):
        assert services.sweep_auto_receive() == 0
        assert services.sweep_breach_unpromoted() == 1  # the other one (received at 168 h) only
    held = reload(held)
    assert held.state == S.NOT_ARRIVED and held.received_at is None and held.fulfil_by is None
    assert reload(other).state == S.BREACHED


def test_v9_merchant_reships_with_a_new_tracking_number_and_a_new_168h_clock():
    sample = shipped_at(T0)
    with travel(T0 + 100 * H):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 110 * H):
        services_volume.sample_request_reship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012")
    assert exc.value.message_dict == {"tracking_number": [str(vmsg.RESHIP_SAME_TRACKING)]}
    with pytest.raises(PermissionDenied), travel(T0 + 110 * H):
        services_volume.sample_request_reship(sample=sample, by=sample.creator.user, carrier="sf", tracking_number="SF999999999999")
    with travel(T0 + 110 * H):
        services_volume.sample_request_reship(
            sample=sample, by=sample.merchant.user, carrier="jd", tracking_number="JDVA12345678902", shipping_cost="18.5")
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.tracking_number == "JDVA12345678902"
    assert sample.auto_receive_at == T0 + 110 * H + 168 * H and sample.shipped_at == T0 and sample.not_arrived_at is None
    assert sample.units_sent == 2 and sample.shipping_cost == Decimal("18.50")
    assert "SF123456789012" in StateLog.objects.for_(sample).latest("timestamp").description
    with travel(T0 + 277 * H + 59 * M):
        assert services.sweep_auto_receive() == 0
    with travel(T0 + 278 * H):
        assert services.sweep_auto_receive() == 1
    assert reload(sample).received_at == T0 + 278 * H


@pytest.fixture
def reviewer(db):
    user = factories.StaffFactory(username="reviewer")
    user.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    return user


def test_v9_reviewer_treats_it_as_received_and_the_360h_clock_starts_then(reviewer):
    sample = shipped_at(T0)
    with travel(T0 + 100 * H):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError), travel(T0 + 120 * H):
        services_volume.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="received", reason=" ")
    with pytest.raises(PermissionDenied), travel(T0 + 120 * H):
        services_volume.sample_request_resolve_not_arrived(sample=sample, by=sample.merchant.user, decision="received", reason="物流签收")
    with travel(T0 + 120 * H):
        services_volume.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="received", reason="物流签收照片清晰")
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.received_at == T0 + 120 * H and sample.fulfil_by == T0 + 480 * H
    log = StateLog.objects.for_(sample).latest("timestamp")
    assert log.by == reviewer and "物流签收照片清晰" in log.description
    assert Notification.objects.filter(user=sample.creator.user, title__contains="物流签收照片清晰").exists()


def test_v9_reviewer_cancels_with_a_reason(reviewer):
    sample = shipped_at(T0)
    with travel(T0 + H):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with travel(T0 + 2 * H):
        services_volume.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="cancel", reason="包裹丢失，商家不再补发")
    sample = reload(sample)
    assert sample.state == S.CANCELLED and "包裹丢失" in sample.state_label


def test_v9_creator_may_still_confirm_receipt_when_it_turns_up():
    sample = shipped_at(T0)
    with travel(T0 + H):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with travel(T0 + 200 * H):
        services.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.received_at == T0 + 200 * H  # no clock ran while held


def test_v9_held_request_still_counts_as_open():
    sample = shipped_at(T0)
    with travel(T0 + H):
        services_volume.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError), travel(T0 + 2 * H):
        services.sample_request_create(creator=sample.creator, product=sample.product, by=sample.creator.user)


# ---------------------------------------------------------------------------------------
# V10: return on samples


def test_v10_cost_is_the_price_at_ship_time_plus_the_shipping_cost_entered():
    sample = approved_at(T0)
    with travel(T0 + H):
        services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf",
                                     tracking_number="SF123456789012", shipping_cost="12.00")
    Product.objects.filter(pk=sample.product_id).update(price=Decimal("1.00"))  # a later price change
    sample = reload(sample)
    assert sample.units_sent == 1 and sample.sample_cost == Decimal("99.00") and sample.shipping_cost == Decimal("12.00")
    with pytest.raises(ValidationError):
        services.sample_request_ship(sample=approved_at(T0), by=sample.merchant.user, carrier="sf",
                                     tracking_number="SF123456789012", shipping_cost="-1")


def _world():
    """One creator shipped a sample at T0 + 1 h; sales of each channel around that moment."""
    sample = approved_at(T0)
    ship = T0 + H
    with travel(ship):
        services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012",
                                     shipping_cost="10.00")
    creator, product = sample.creator, sample.product
    session = factories.LiveSessionFactory(creator=creator)
    LiveCartItem.objects.create(session=session, product=product, added_at=T0)
    video = video_with_product(sample, T0)
    for at, qty in ((ship - SEC, 5), (ship, 2), (ship + D, 1)):
        services_volume.promotion_sale_record(creator=creator, product=product, session=session, quantity=qty,
                                              amount=Decimal("99.00") * qty, sold_at=at)
    services_volume.promotion_sale_record(creator=creator, product=product, video=video, quantity=3,
                                          amount=Decimal("297.00"), sold_at=ship + 2 * D)
    flash = FlashSaleFactory(session=factories.LiveSessionFactory(creator=creator), product=product, price=Decimal("80.00"))
    for at in (ship - SEC, ship + H):
        FlashSaleOrder.objects.create(flash_sale=flash, viewer=ViewerFactory(), quantity=2, unit_price=Decimal("80.00"),
                                      shipping_fee=Decimal("8.00"), amount=Decimal("168.00"), created_at=at)
    return sample


def test_v10_orders_afterwards_per_channel_from_the_shipping_moment_on_flash_sales_read_not_copied():
    sample = _world()
    # noise: another creator's sales of the product, and the same creator's sales of another product
    other = factories.CreatorFactory()
    other_session = factories.LiveSessionFactory(creator=other)
    LiveCartItem.objects.create(session=other_session, product=sample.product)
    services_volume.promotion_sale_record(creator=other, product=sample.product, session=other_session, quantity=9,
                                          amount=Decimal("900"), sold_at=T0 + D)
    [row] = selectors_volume.with_sales(merchant=sample.merchant, pairs=selectors_volume.sample_return_pairs(merchant=sample.merchant))
    assert (row.creator_id, row.product_id, row.sent) == (sample.creator_id, sample.product_id, 1)
    assert row.cost == Decimal("109.00")
    live, video, flash = row.channels["live"], row.channels["video"], row.channels["flash"]
    assert (live.orders, live.units, live.amount) == (2, 3, Decimal("297.00"))  # at and after shipping, not 1 s before
    assert (video.orders, video.units, video.amount) == (1, 3, Decimal("297.00"))
    assert (flash.orders, flash.units, flash.amount) == (1, 2, Decimal("160.00"))  # goods value, no buyer shipping fee
    assert row.orders == 4 and row.sales == Decimal("754.00") and row.ratio == Decimal("6.92")
    assert PromotionSale.objects.filter(channel="flash").count() == 0
    totals = selectors_volume.sample_returns_totals(merchant=sample.merchant)
    assert totals == {"sent": 1, "creators": 1, "cost": Decimal("109.00"), "orders": 4, "sales": Decimal("754.00"),
                      "ratio": Decimal("6.92")}
    assert selectors_volume.sample_returns_totals(merchant=factories.MerchantFactory())["orders"] == 0


def test_v10_a_sale_must_come_from_that_creators_cart():
    sample = shipped_at(T0)
    session = factories.LiveSessionFactory(creator=sample.creator)
    with pytest.raises(ValidationError) as exc:
        services_volume.promotion_sale_record(creator=sample.creator, product=sample.product, session=session, quantity=1, amount=1)
    assert exc.value.messages == [str(vmsg.SALE_NOT_IN_CART)]
    stranger = factories.LiveSessionFactory()
    LiveCartItem.objects.create(session=stranger, product=sample.product)
    with pytest.raises(ValidationError) as exc:
        services_volume.promotion_sale_record(creator=sample.creator, product=sample.product, session=stranger, quantity=1, amount=1)
    assert exc.value.messages == [str(vmsg.SALE_NOT_CREATORS)]
