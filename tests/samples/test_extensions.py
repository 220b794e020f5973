"""V7 extension (samples.services.extensions and the grant sweep): asked once with a
reason, refused within 48 h or granted by silence."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from core.rules import rule_update
from samples import messages as msg
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, requests, sweeps
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    received_at,
    reload,
    shipped_at,
    travel,
)

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
D = timedelta(days=1)
S = SampleRequest.State
E = ExtensionRequest.State


# ---------------------------------------------------------------------------------------
# V7: extension


def test_v7_creator_asks_once_with_a_reason_and_the_merchant_is_told():
    sample = received_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="  ")
    assert exc.value.messages == [str(msg.EXTENSION_REASON_REQUIRED)]
    with travel(T0 + H):
        ext = extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="拍摄档期推迟")
    assert ext.state == E.REQUESTED and ext.refuse_by == T0 + H + 48 * H and ext.extra == 7 * D
    assert ext.fulfil_by_before == T0 + 360 * H
    assert Notification.objects.filter(user=sample.merchant.user, title__contains="拍摄档期推迟").exists()
    with pytest.raises(ValidationError) as exc, travel(T0 + 2 * H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="再延一次")
    assert exc.value.messages == [str(msg.EXTENSION_ONCE)]


def test_v7_only_the_creator_and_only_while_the_360h_clock_runs():
    sample = received_at(T0)
    with pytest.raises(PermissionDenied), travel(T0 + H):
        extensions.sample_extension_request(sample=sample, by=sample.merchant.user, reason="x")
    with pytest.raises(ValidationError) as exc, travel(T0 + 360 * H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="太晚了")
    assert exc.value.messages == [str(msg.EXTENSION_TOO_LATE)]
    with travel(T0 + 359 * H + 59 * M):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="最后一刻")
    shipped = shipped_at(T0)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        extensions.sample_extension_request(sample=shipped, by=shipped.creator.user, reason="还没收到")
    assert exc.value.messages == [str(msg.EXTENSION_NOT_RECEIVED)]


def test_v7_merchant_may_refuse_at_47h59m_but_not_at_48h():
    a, b = received_at(T0), received_at(T0)
    with travel(T0):
        for s in (a, b):
            extensions.sample_extension_request(sample=s, by=s.creator.user, reason="需要更多时间")
    with travel(T0 + 47 * H + 59 * M):
        ext = extensions.sample_extension_refuse(sample=a, by=a.merchant.user, reason="新品档期已定")
    assert ext.state == E.REFUSED and reload(a).fulfil_by == T0 + 360 * H
    assert StateLog.objects.for_(ext).get().by == a.merchant.user
    with pytest.raises(ValidationError) as exc, travel(T0 + 48 * H):
        extensions.sample_extension_refuse(sample=b, by=b.merchant.user)
    assert exc.value.messages == [str(msg.EXTENSION_REFUSE_TOO_LATE)]


def test_v7_silence_grants_it_at_48h_not_47h59m_and_the_deadline_moves_7_days():
    sample = received_at(T0)
    with travel(T0 + 10 * H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要更多时间")
    with travel(T0 + 57 * H + 59 * M):
        assert sweeps.sweep_grant_extensions() == 0
    with travel(T0 + 58 * H):
        assert sweeps.sweep_grant_extensions() == 1
        assert sweeps.sweep_grant_extensions() == 0
    ext = ExtensionRequest.objects.get(sample=sample)
    assert ext.state == E.GRANTED and ext.decided_at == T0 + 58 * H
    assert reload(sample).fulfil_by == T0 + 360 * H + 7 * D == ext.fulfil_by_after
    log = StateLog.objects.for_(ext).get()
    assert log.by is None and "samples.sweep_grant_extensions" in log.description
    # the 360 h mark passes without a breach; the new mark breaches
    with travel(T0 + 360 * H + 7 * D - SEC):
        assert sweeps.sweep_breach_unpromoted() == 0
    with travel(T0 + 360 * H + 7 * D):
        assert sweeps.sweep_breach_unpromoted() == 1


def test_v7_breach_waits_for_the_merchant_while_an_extension_may_still_be_refused():
    sample = received_at(T0)
    with travel(T0 + 350 * H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="最后十小时才想起来")
    with travel(T0 + 360 * H):
        assert sweeps.sweep_breach_unpromoted() == 0  # held: the merchant may still refuse until 398 h
    with travel(T0 + 370 * H):
        extensions.sample_extension_refuse(sample=sample, by=sample.merchant.user, reason="不同意")
        assert sweeps.sweep_breach_unpromoted() == 1
    assert reload(sample).state == S.BREACHED


def test_v7_an_extension_lapses_when_the_request_closed_before_the_48h():
    sample = received_at(T0)
    with travel(T0 + H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要时间")
    staff = factories.StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="override_samplerequest"))
    with travel(T0 + 2 * H):
        requests.sample_request_override(sample=sample, by=staff, action="override_cancel", reason="达人注销")
    with travel(T0 + 49 * H):
        assert sweeps.sweep_grant_extensions() == 1
    assert ExtensionRequest.objects.get(sample=sample).state == E.LAPSED
    assert reload(sample).state == S.CANCELLED


def test_v7_rule_values_come_from_the_rules_object(staff):
    rule_update(key="sample_extension", value=3, unit="days", by=staff, reason="试行")
    rule_update(key="sample_extension_refuse", value=24, unit="hours", by=staff, reason="试行")
    sample = received_at(T0)
    with travel(T0):
        ext = extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="x")
    assert ext.extra == 3 * D and ext.refuse_by == T0 + 24 * H
