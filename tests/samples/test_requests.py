"""A request from the ask to the decision (samples.services.requests): the S3 graph,
recorded; the S4 decision window; the staff override."""


import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from core.fsm import stale_message
from core.models import Notification
from core.rules import rule_update
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import requests
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    log_of,
    received_at,
    reload,
    request_at,
    travel,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State


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
        requests.sample_request_reject(sample=sample, by=sample.merchant.user, reason="库存不足")
    sample = reload(sample)
    assert sample.state == S.REJECTED and sample.close_reason == "库存不足"
    assert Notification.objects.filter(user=sample.creator.user, title__contains="库存不足").exists()


def test_s3_creator_can_withdraw_before_a_decision_but_not_after():
    sample = request_at(T0)
    with travel(T0 + H):
        requests.sample_request_withdraw(sample=sample, by=sample.creator.user)
    assert reload(sample).state == S.WITHDRAWN
    other = approved_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        requests.sample_request_withdraw(sample=other, by=other.creator.user)
    assert exc.value.messages == [stale_message(reload(other))]  # "no longer possible: now 待发货"


def test_s3_another_merchant_cannot_act_on_the_request():
    sample = request_at(T0)
    with pytest.raises(PermissionDenied), travel(T0 + H):
        requests.sample_request_approve(sample=sample, by=factories.MerchantFactory().user)


def test_s3_staff_override_needs_the_permission_and_a_reason():
    sample = request_at(T0)
    reviewer = factories.UserFactory(is_staff=True)
    with pytest.raises(ValidationError) as exc:
        requests.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason=" ")
    assert exc.value.messages == [str(msg.OVERRIDE_REASON_REQUIRED)]
    with pytest.raises(PermissionDenied):
        requests.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason="投诉核实")
    reviewer.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    requests.sample_request_override(sample=sample, by=reviewer, action="override_cancel", reason="投诉核实")
    sample = reload(sample)
    assert sample.state == S.CANCELLED
    assert log_of(sample)[-1].by == reviewer and "投诉核实" in log_of(sample)[-1].description


# ---------------------------------------------------------------------------------------
# S4: 48 h to decide


def test_s4_merchant_can_approve_at_47h59m_but_not_at_48h():
    early = request_at(T0)
    late = request_at(T0)
    with travel(T0 + 47 * H + 59 * M):
        requests.sample_request_approve(sample=early, by=early.merchant.user)
    with pytest.raises(ValidationError) as exc, travel(T0 + 48 * H):
        requests.sample_request_approve(sample=late, by=late.merchant.user)
    assert exc.value.messages == [str(msg.DECIDE_TOO_LATE)]
    assert reload(early).state == S.APPROVED and reload(late).state == S.REQUESTED


def test_s4_clock_uses_the_rule_value_when_it_starts(staff):
    rule_update(key="sample_decide", value=2, unit="hours", by=staff)
    sample = request_at(T0)
    rule_update(key="sample_decide", value=48, unit="hours", by=staff)
    assert sample.decide_by == T0 + 2 * H
