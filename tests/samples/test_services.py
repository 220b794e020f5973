"""Samples (样品服务): the state machine, its clocks and the sweeps, at their boundaries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django_fsm_log.models import StateLog

from core.models import Notification
from core.notifications import platform_text
from core.rules import rule_update
from samples import messages as msg
from samples import services
from samples.models import SampleRequest
from shops import services as shop_services
from shops.models import AllianceListing, LiveCartItem
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    eligible_product,
    received_at,
    reload,
    request_at,
    shipped_at,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
S = SampleRequest.State


def log_of(sample):
    return list(StateLog.objects.for_(sample).order_by("timestamp", "id"))


# ---------------------------------------------------------------------------------------
# S1: who may ask


def test_s1_creator_with_product_sharing_off_cannot_request():
    creator = factories.CreatorFactory(product_sharing_enabled=False)
    with pytest.raises(ValidationError) as exc:
        services.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert exc.value.messages == [str(msg.CREATOR_NO_SHARING)]
    assert not SampleRequest.objects.exists()


def test_s1_risky_creator_is_refused_with_a_message_but_open_requests_go_on():
    creator = factories.CreatorFactory()
    open_request = request_at(T0, creator=creator)
    creator.is_risky = True
    creator.save()
    with pytest.raises(ValidationError) as exc:
        services.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert exc.value.messages == [str(msg.CREATOR_RISKY)]
    with travel(T0 + H):
        services.sample_request_approve(sample=open_request, by=open_request.merchant.user)
    assert reload(open_request).state == S.APPROVED


def test_s1_only_the_creator_asks_for_themself():
    creator = factories.CreatorFactory()
    with pytest.raises(PermissionDenied):
        services.sample_request_create(creator=creator, product=eligible_product(), by=factories.UserFactory())


# ---------------------------------------------------------------------------------------
# S2: which products


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: AllianceListing.objects.filter(product=p).update(sample_support=False), msg.PRODUCT_NO_SAMPLE_SUPPORT),
        (lambda p: AllianceListing.objects.filter(product=p).update(status="out"), msg.PRODUCT_NOT_LISTED),
        (lambda p: AllianceListing.objects.filter(product=p).delete(), msg.PRODUCT_NOT_LISTED),
        (lambda p: type(p.shop.merchant).objects.filter(pk=p.shop.merchant_id).update(meets_alliance_standard=False), msg.MERCHANT_BELOW_STANDARD),
        (lambda p: type(p.shop).objects.filter(pk=p.shop_id).update(is_cross_border=True), msg.PRODUCT_CROSS_BORDER),
        (lambda p: type(p).objects.filter(pk=p.pk).update(is_virtual=True), msg.PRODUCT_VIRTUAL),
        (lambda p: type(p).objects.filter(pk=p.pk).update(sale_status="off_sale"), msg.PRODUCT_NOT_ON_SALE),
    ],
    ids=["switch-off", "out-of-alliance", "never-listed", "merchant-standard", "cross-border", "virtual", "off-sale"],
)
def test_s2_product_without_free_samples_is_refused(setup, message):
    product = eligible_product()
    setup(product)
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError) as exc:
        services.sample_request_create(creator=creator, product=product, by=creator.user)
    assert exc.value.messages == [str(message)]


def test_s2_cross_border_and_virtual_follow_the_platform_setting(staff):
    product = eligible_product(is_virtual=True)
    type(product.shop).objects.filter(pk=product.shop_id).update(is_cross_border=True)
    creator = factories.CreatorFactory()
    rule_update(key="samples_cross_border", value=1, unit="flag", by=staff)
    rule_update(key="samples_virtual", value=1, unit="flag", by=staff)
    sample = services.sample_request_create(creator=creator, product=product, by=creator.user)
    assert sample.state == S.REQUESTED


def test_s2_listing_defaults_to_sample_support_on_and_the_merchant_can_switch_it():
    product = factories.ProductFactory()
    listing = shop_services.alliance_list(product=product, by=None, commission_rate=Decimal("10"))
    assert listing.sample_support is True
    shop_services.alliance_set_sample_support(listing=listing, by=None, enabled=False)
    product.refresh_from_db()
    assert services.product_refusal(product) == str(msg.PRODUCT_NO_SAMPLE_SUPPORT)


def test_s3_one_open_request_per_creator_and_product():
    creator = factories.CreatorFactory()
    product = eligible_product()
    first = request_at(T0, creator=creator, product=product)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        services.sample_request_create(creator=creator, product=product, by=creator.user)
    assert exc.value.messages == [str(msg.ALREADY_OPEN)]
    with travel(T0 + H):
        services.sample_request_withdraw(sample=first, by=creator.user)
        again = services.sample_request_create(creator=creator, product=product, by=creator.user)
    assert again.state == S.REQUESTED


# ---------------------------------------------------------------------------------------
# S3: the graph, recorded


def test_s3_happy_path_is_recorded_with_who_when_and_why():
    sample = received_at(T0)
    assert sample.state == S.RECEIVED
    logs = log_of(sample)
    assert [(entry.source_state, entry.state) for entry in logs] == [
        ("requested", "approved"), ("approved", "shipped"), ("shipped", "received"),
    ]
    assert logs[0].by == sample.merchant.user and logs[2].by == sample.creator.user
    assert "SF123456789012" in logs[1].description


def test_s3_merchant_can_reject_with_a_reason_and_creator_is_told():
    sample = request_at(T0)
    with travel(T0 + H):
        services.sample_request_reject(sample=sample, by=sample.merchant.user, reason="库存不足")
    sample = reload(sample)
    assert sample.state == S.REJECTED and sample.close_reason == "库存不足"
    assert Notification.objects.filter(user=sample.creator.user, title__contains="库存不足").exists()


def test_s3_creator_can_withdraw_before_a_decision_but_not_after():
    sample = request_at(T0)
    with travel(T0 + H):
        services.sample_request_withdraw(sample=sample, by=sample.creator.user)
    assert reload(sample).state == S.WITHDRAWN
    other = approved_at(T0)
    with pytest.raises(ValidationError), travel(T0 + H):
        services.sample_request_withdraw(sample=other, by=other.creator.user)


def test_s3_another_merchant_cannot_act_on_the_request():
    sample = request_at(T0)
    with pytest.raises(PermissionDenied), travel(T0 + H):
        services.sample_request_approve(sample=sample, by=factories.MerchantFactory().user)


def test_s3_staff_override_needs_the_permission_and_a_reason():
    sample = request_at(T0)
    reviewer = factories.UserFactory(is_staff=True)
    with pytest.raises(ValidationError):
        services.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason=" ")
    with pytest.raises(PermissionDenied):
        services.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason="投诉核实")
    reviewer.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    services.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason="投诉核实")
    sample = reload(sample)
    assert sample.state == S.CANCELLED
    assert log_of(sample)[-1].by == reviewer and "投诉核实" in log_of(sample)[-1].description


# ---------------------------------------------------------------------------------------
# S4: 48 h to decide


def test_s4_nothing_happens_at_47h59m_and_the_request_expires_at_48h():
    sample = request_at(T0)
    assert sample.decide_by == T0 + 48 * H
    with travel(T0 + 47 * H + 59 * M):
        assert services.sweep_expire_undecided() == 0
    assert reload(sample).state == S.REQUESTED
    with travel(T0 + 48 * H):
        assert services.sweep_expire_undecided() == 1
    sample = reload(sample)
    assert sample.state == S.EXPIRED and sample.get_state_display() == "已取消（超时未审核）"
    entry = log_of(sample)[-1]
    assert entry.by is None and "samples.sweep_expire_undecided" in entry.description


def test_s4_merchant_can_approve_at_47h59m_but_not_at_48h():
    early = request_at(T0)
    late = request_at(T0)
    with travel(T0 + 47 * H + 59 * M):
        services.sample_request_approve(sample=early, by=early.merchant.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 48 * H):
        services.sample_request_approve(sample=late, by=late.merchant.user)
    assert exc.value.messages == [str(msg.DECIDE_TOO_LATE)]
    assert reload(early).state == S.APPROVED and reload(late).state == S.REQUESTED


def test_s4_clock_uses_the_rule_value_when_it_starts(staff):
    rule_update(key="sample_decide", value=2, unit="hours", by=staff)
    sample = request_at(T0)
    rule_update(key="sample_decide", value=48, unit="hours", by=staff)
    assert sample.decide_by == T0 + 2 * H


def test_s4_double_sweep_moves_each_row_once():
    samples = [request_at(T0) for _ in range(3)]
    with travel(T0 + 48 * H):
        assert services.sweep_expire_undecided() == 3
        assert services.sweep_expire_undecided() == 0
    for sample in samples:
        assert [e.state for e in log_of(sample)] == ["expired"]


def test_s4_sweep_works_in_batches(settings):
    settings.SAMPLES_SWEEP_BATCH = 2
    for _ in range(5):
        request_at(T0)
    with travel(T0 + 48 * H):
        assert services.sweep_expire_undecided() == 5
    assert SampleRequest.objects.filter(state=S.EXPIRED).count() == 5


def test_s4_a_bad_row_is_logged_and_skipped_the_rest_move(monkeypatch, caplog):
    bad, good = request_at(T0), request_at(T0)
    real = services.apply_transition

    def flaky(obj, name, **kwargs):
        if obj.pk == bad.pk:
            raise RuntimeError("boom")
        return real(obj, name, **kwargs)

    monkeypatch.setattr(services, "apply_transition", flaky)
    with travel(T0 + 48 * H):
        assert services.sweep_expire_undecided() == 1
    assert reload(bad).state == S.REQUESTED and reload(good).state == S.EXPIRED
    assert f"request #{bad.pk} skipped" in caplog.text
    assert not StateLog.objects.for_(bad).exists()  # nothing half-moved
    monkeypatch.setattr(services, "apply_transition", real)
    with travel(T0 + 48 * H + M):
        assert services.sweep_expire_undecided() == 1  # the next run finishes the job
    assert reload(bad).state == S.EXPIRED


# ---------------------------------------------------------------------------------------
# S5: ship within 48 h (late after), cancelled at 120 h


def test_s5_shown_late_from_48h_and_cancelled_at_120h_not_at_119h59m():
    sample = approved_at(T0)
    assert (sample.ship_by, sample.ship_cancel_at) == (T0 + 48 * H, T0 + 120 * H)
    assert not sample.is_late(T0 + 47 * H + 59 * M)
    assert sample.is_late(T0 + 48 * H)
    with travel(T0 + 119 * H + 59 * M):
        assert services.sweep_cancel_unshipped() == 0
    with travel(T0 + 120 * H):
        assert services.sweep_cancel_unshipped() == 1
    sample = reload(sample)
    assert sample.state == S.CANCELLED and "samples.sweep_cancel_unshipped" in log_of(sample)[-1].description


def test_s5_late_shipping_is_still_accepted_until_120h():
    sample = approved_at(T0)
    with travel(T0 + 119 * H + 59 * M):
        services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="yto", tracking_number="YT1234567890123")
    assert reload(sample).state == S.SHIPPED
    other = approved_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + 120 * H):
        services.sample_request_ship(sample=other, by=other.merchant.user, carrier="sf", tracking_number="SF123456789012")
    assert exc.value.messages == [str(msg.SHIP_TOO_LATE)]


@pytest.mark.parametrize("carrier, number, ok", [
    ("sf", "SF123456789012", True),
    ("sf", "sf 1234 5678 9012", True),
    ("sf", "123456789012", False),
    ("jd", "JDVA12345678901", True),
    ("ems", "EA123456789CN", True),
    ("ems", "EA12345CN", False),
    ("nope", "SF123456789012", False),
])
def test_s5_tracking_number_must_match_the_carrier_format(carrier, number, ok):
    if ok:
        assert services.clean_tracking(carrier=carrier, tracking_number=number)[1] == number.replace(" ", "").upper()
    else:
        with pytest.raises(ValidationError):
            services.clean_tracking(carrier=carrier, tracking_number=number)


# ---------------------------------------------------------------------------------------
# S6: confirmed automatically 168 h after shipping; receipt starts S7's clock


def test_s6_auto_receive_at_168h_not_167h59m_and_the_360h_clock_starts_at_the_mark():
    sample = shipped_at(T0)
    with travel(T0 + 167 * H + 59 * M):
        assert services.sweep_auto_receive() == 0
    with travel(T0 + 168 * H + 5 * M):  # the sweep runs a little after the mark
        assert services.sweep_auto_receive() == 1
    sample = reload(sample)
    assert sample.state == S.RECEIVED
    assert sample.received_at == T0 + 168 * H
    assert sample.fulfil_by == T0 + 168 * H + 360 * H
    assert log_of(sample)[-1].by is None


def test_s6_creator_confirms_receipt_and_the_clock_starts_then():
    sample = shipped_at(T0)
    with travel(T0 + 30 * H):
        services.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)
    sample = reload(sample)
    assert sample.received_at == T0 + 30 * H and sample.fulfil_by == T0 + 390 * H


# ---------------------------------------------------------------------------------------
# S7: promote within 360 h; video 7 days, live 3 minutes with an explanation


def test_s7_video_held_seven_days_is_fulfilled_at_the_mark_even_after_360h():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + 359 * H)
    with travel(T0 + 359 * H):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    sample = reload(sample)
    mark = T0 + 359 * H + 7 * 24 * H
    assert sample.fulfil_check_at == mark
    with travel(T0 + 360 * H):
        assert services.sweep_breach_unpromoted() == 0  # a promotion started in time
    with travel(mark - M):
        assert services.sweep_check_promotions() == 0
    with travel(mark):
        assert services.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == mark


def test_s7_video_taken_down_before_seven_days_is_breached():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 3 * 24 * H):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(T0 + H + 7 * 24 * H):
        services.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.BREACHED
    assert sample.close_reason == platform_text(lambda: gettext("The promotion video was taken down before its 7 days."))


def test_s7_product_removed_from_the_video_cart_before_seven_days_is_breached():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 2 * 24 * H):
        shop_services.video_cart_remove(item=video.cart_items.get(), by=sample.creator.user)
    with travel(T0 + H + 7 * 24 * H):
        services.sweep_check_promotions()
    assert reload(sample).state == S.BREACHED


def test_s7_video_must_start_before_360h():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + 360 * H)
    with pytest.raises(ValidationError), travel(T0 + 360 * H):
        services.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)


def test_s7_breached_at_360h_without_promotion_not_at_359h59m():
    sample = received_at(T0)
    with travel(T0 + 359 * H + 59 * M):
        assert services.sweep_breach_unpromoted() == 0
    with travel(T0 + 360 * H):
        assert services.sweep_breach_unpromoted() == 1
    sample = reload(sample)
    assert sample.state == S.BREACHED and "samples.sweep_breach_unpromoted" in log_of(sample)[-1].description


def _live_item(sample, went_live, added, viewers=10):
    session = factories.LiveSessionFactory(creator=sample.creator, peak_viewers=viewers)  # V8: enough viewers
    with travel(went_live):
        shop_services.live_session_go_live(session=session, by=sample.creator.user)
    with travel(added):
        item = shop_services.cart_add(session=session, product=sample.product, by=sample.creator.user)
    return session, item


def test_s7_live_three_minutes_with_explanation_fulfilled_at_the_mark_not_2m59s():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 2 * M + 59 * SEC):
        assert services.sweep_check_promotions() == 0
    with travel(start + 3 * M):
        assert services.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 3 * M


def test_s7_live_shorter_than_three_minutes_does_not_count():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 2 * M):
        shop_services.cart_remove(item=item, by=sample.creator.user)
    with travel(start + 3 * M):
        services.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.promotion == ""  # the creator may promote again
    with pytest.raises(ValidationError) as exc, travel(start + 4 * M):
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert "3" in exc.value.messages[0]


def test_s7_live_without_explanation_does_not_count_and_recorded_after_the_fact_is_fulfilled_at_once():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + 5 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(start + 6 * M):
        services.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(msg.LIVE_NOT_EXPLAINED)]

    other = received_at(T0, creator=sample.creator)
    session2, item2 = _live_item(other, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item2, by=other.creator.user)
    with travel(start + 10 * M):
        services.sample_request_record_live(sample=other, by=other.creator.user, item=LiveCartItem.objects.get(pk=item2.pk))
    other = reload(other)
    assert other.state == S.FULFILLED and other.fulfilled_at == start + 3 * M


# ---------------------------------------------------------------------------------------
# Reminders before the deadlines: each sent once (V6 leads from the rules object)


def test_s4_merchant_reminded_before_48h_once_even_when_sweeps_repeat():
    sample = request_at(T0)
    with travel(T0 + 23 * H):
        assert services.sweep_reminders() == 0
    with travel(T0 + 24 * H):  # half of the 48 h gone
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0
    with travel(T0 + 42 * H):  # 6 h before
        assert services.sweep_reminders() == 1
        assert services.sweep_reminders() == 0
    keys = set(Notification.objects.filter(user=sample.merchant.user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))
    assert keys == {services.reminder_key(sample.pk, "decide-half"), services.reminder_key(sample.pk, "decide-last")}


def test_s5_merchant_reminded_before_120h():
    sample = approved_at(T0)
    with travel(T0 + 114 * H):
        services.sweep_reminders()
    assert Notification.objects.filter(dedupe_key=services.reminder_key(sample.pk, "ship-last")).exists()


def test_s7_creator_reminded_before_360h_unless_promoting():
    sample = received_at(T0)
    with travel(T0 + 360 * H - 3 * 24 * H):
        services.sweep_reminders()
    with travel(T0 + 360 * H - 24 * H):
        services.sweep_reminders()
    keys = set(Notification.objects.filter(user=sample.creator.user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))
    assert keys == {services.reminder_key(sample.pk, "promote-early"), services.reminder_key(sample.pk, "promote-last")}
