"""From the parcel to the receipt (samples.services.shipping): S5 shipping and tracking
numbers, S6 receipt, V9 not arrived and re-shipment, V10's cost of a shipment."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from samples import messages as msg
from samples.models import TRACKING_EXAMPLES, Carrier, SampleRequest
from samples.services import requests, shipping, sweeps
from shops.models import Product
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    reload,
    shipped_at,
    travel,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# S5: ship within 120 h, with a carrier's tracking number


def test_s5_late_shipping_is_still_accepted_until_120h():
    sample = approved_at(T0)
    with travel(T0 + 119 * H + 59 * M):
        shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="yto", tracking_number="YT1234567890123")
    assert reload(sample).state == S.SHIPPED
    other = approved_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + 120 * H):
        shipping.sample_request_ship(sample=other, by=other.merchant.user, carrier="sf", tracking_number="SF123456789012")
    assert exc.value.messages == [str(msg.SHIP_TOO_LATE)]


def _refusal(field: str, carrier: str) -> dict[str, list[str]]:
    """The error clean_tracking gives for a bad carrier or a number in the wrong format."""
    if field == "carrier":
        return {"carrier": [str(msg.CARRIER_REQUIRED)]}
    return {"tracking_number": [str(msg.TRACKING_FORMAT % {"carrier": Carrier(carrier).label, "example": TRACKING_EXAMPLES[carrier]})]}


@pytest.mark.parametrize("carrier, number, refused_field", [
    ("sf", "SF123456789012", None),
    ("sf", "sf 1234 5678 9012", None),
    ("sf", "123456789012", "tracking_number"),
    ("jd", "JDVA12345678901", None),
    ("ems", "EA123456789CN", None),
    ("ems", "EA12345CN", "tracking_number"),
    ("nope", "SF123456789012", "carrier"),
])
def test_s5_tracking_number_must_match_the_carrier_format(carrier, number, refused_field):
    if refused_field is None:
        assert shipping.clean_tracking(carrier=carrier, tracking_number=number)[1] == number.replace(" ", "").upper()
    else:
        with pytest.raises(ValidationError) as exc:
            shipping.clean_tracking(carrier=carrier, tracking_number=number)
        assert exc.value.message_dict == _refusal(refused_field, carrier)


# ---------------------------------------------------------------------------------------
# S6: the creator confirms receipt; S7's clock starts


def test_s6_creator_confirms_receipt_and_the_clock_starts_then():
    sample = shipped_at(T0)
    with travel(T0 + 30 * H):
        shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)
    sample = reload(sample)
    assert sample.received_at == T0 + 30 * H and sample.fulfil_by == T0 + 390 * H


def test_s6_receipt_confirmed_after_the_168h_mark_counts_from_the_mark_and_s7_starts_there():
    """The sweep had not come yet: the creator's late confirmation is clamped to the 168 h mark,
    as the sweep would have confirmed it, so the 360 h clock of S7 is not stretched."""
    sample = shipped_at(T0)
    with travel(T0 + 168 * H):
        assert reload(sample).state == S.SHIPPED  # due, not yet swept
    with travel(T0 + 170 * H):
        shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)
    sample = reload(sample)
    assert sample.state == S.RECEIVED
    assert sample.received_at == T0 + 168 * H and sample.fulfil_by == T0 + 168 * H + 360 * H


# ---------------------------------------------------------------------------------------
# V9: not arrived


def test_v9_reported_at_167h59m_but_not_at_168h():
    late = shipped_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + 168 * H):
        shipping.sample_request_report_not_arrived(sample=late, by=late.creator.user)
    assert exc.value.messages == [str(msg.NOT_ARRIVED_TOO_LATE)]
    sample = shipped_at(T0)
    with travel(T0 + 167 * H + 59 * M):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user, note="驿站查无此件")
    sample = reload(sample)
    assert sample.state == S.NOT_ARRIVED and sample.not_arrived_note == "驿站查无此件"
    assert Notification.objects.filter(user=sample.merchant.user, title__contains=sample.tracking_number).exists()


def test_v9_the_auto_receipt_sweep_skips_held_rows_and_no_360h_clock_runs():
    held, other = shipped_at(T0), shipped_at(T0)
    with travel(T0 + 100 * H):
        shipping.sample_request_report_not_arrived(sample=held, by=held.creator.user)
    with travel(T0 + 168 * H):
        assert sweeps.sweep_auto_receive() == 1  # only the other one
    with travel(T0 + 800 * H):
        assert sweeps.sweep_auto_receive() == 0
        assert sweeps.sweep_breach_unpromoted() == 1  # the other one (received at 168 h) only
    held = reload(held)
    assert held.state == S.NOT_ARRIVED and held.received_at is None and held.fulfil_by is None
    assert reload(other).state == S.BREACHED


def test_v9_merchant_reships_with_a_new_tracking_number_and_a_new_168h_clock():
    sample = shipped_at(T0)
    with travel(T0 + 100 * H):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 110 * H):
        shipping.sample_request_reship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012")
    assert exc.value.message_dict == {"tracking_number": [str(msg.RESHIP_SAME_TRACKING)]}
    with pytest.raises(PermissionDenied), travel(T0 + 110 * H):
        shipping.sample_request_reship(sample=sample, by=sample.creator.user, carrier="sf", tracking_number="SF999999999999")
    with travel(T0 + 110 * H):
        shipping.sample_request_reship(
            sample=sample, by=sample.merchant.user, carrier="jd", tracking_number="JDVA12345678902", shipping_cost="18.5")
    sample = reload(sample)
    assert sample.state == S.SHIPPED and sample.tracking_number == "JDVA12345678902"
    assert sample.auto_receive_at == T0 + 110 * H + 168 * H and sample.shipped_at == T0 and sample.not_arrived_at is None
    assert sample.units_sent == 2 and sample.shipping_cost == Decimal("18.50")
    assert "SF123456789012" in StateLog.objects.for_(sample).latest("timestamp").description
    with travel(T0 + 277 * H + 59 * M):
        assert sweeps.sweep_auto_receive() == 0
    with travel(T0 + 278 * H):
        assert sweeps.sweep_auto_receive() == 1
    assert reload(sample).received_at == T0 + 278 * H


@pytest.fixture
def reviewer(db):
    user = factories.StaffFactory(username="reviewer")
    user.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    return user


def test_v9_reviewer_treats_it_as_received_and_the_360h_clock_starts_then(reviewer):
    sample = shipped_at(T0)
    with travel(T0 + 100 * H):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 120 * H):
        shipping.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="received", reason=" ")
    assert exc.value.messages == [str(msg.DECISION_REASON_REQUIRED)]
    with pytest.raises(PermissionDenied), travel(T0 + 120 * H):
        shipping.sample_request_resolve_not_arrived(sample=sample, by=sample.merchant.user, decision="received", reason="物流签收")
    with travel(T0 + 120 * H):
        shipping.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="received", reason="物流签收照片清晰")
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.received_at == T0 + 120 * H and sample.fulfil_by == T0 + 480 * H
    log = StateLog.objects.for_(sample).latest("timestamp")
    assert log.by == reviewer and "物流签收照片清晰" in log.description
    assert Notification.objects.filter(user=sample.creator.user, title__contains="物流签收照片清晰").exists()


def test_v9_reviewer_cancels_with_a_reason(reviewer):
    sample = shipped_at(T0)
    with travel(T0 + H):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with travel(T0 + 2 * H):
        shipping.sample_request_resolve_not_arrived(sample=sample, by=reviewer, decision="cancel", reason="包裹丢失，商家不再补发")
    sample = reload(sample)
    assert sample.state == S.CANCELLED and "包裹丢失" in sample.state_label


def test_v9_creator_may_still_confirm_receipt_when_it_turns_up():
    sample = shipped_at(T0)
    with travel(T0 + H):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with travel(T0 + 200 * H):
        shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.received_at == T0 + 200 * H  # no clock ran while held


def test_v9_held_request_still_counts_as_open():
    sample = shipped_at(T0)
    with travel(T0 + H):
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 2 * H):
        requests.sample_request_create(creator=sample.creator, product=sample.product, by=sample.creator.user)
    assert exc.value.messages == [str(msg.ALREADY_OPEN)]


# ---------------------------------------------------------------------------------------
# V10: what a shipment costs


def test_v10_cost_is_the_price_at_ship_time_plus_the_shipping_cost_entered():
    sample = approved_at(T0)
    with travel(T0 + H):
        shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf",
                                     tracking_number="SF123456789012", shipping_cost="12.00")
    Product.objects.filter(pk=sample.product_id).update(price=Decimal("1.00"))  # a later price change
    sample = reload(sample)
    assert sample.units_sent == 1 and sample.sample_cost == Decimal("99.00") and sample.shipping_cost == Decimal("12.00")
    with pytest.raises(ValidationError) as exc:
        shipping.sample_request_ship(sample=approved_at(T0), by=sample.merchant.user, carrier="sf",
                                     tracking_number="SF123456789012", shipping_cost="-1")
    assert exc.value.message_dict == {"shipping_cost": [str(msg.SHIPPING_COST_INVALID)]}
