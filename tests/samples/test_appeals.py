"""申诉 against a breach (AP1–AP5), at the rule boundaries, through the services."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import appeals as kernel
from core.models import Notification, OutboxMessage
from samples.models import SampleAppeal, SampleRequest
from samples.policy import score as scoring
from samples.services import appeals
from tests import factories
from tests.conftest import png_bytes
from tests.samples.factories import H, M, eligible_product, log_of, outcome, refused, reload, travel

SH = ZoneInfo("Asia/Shanghai")
# A breach at Monday 2026-12-07 10:00 (platform time).
BREACH = datetime(2026, 12, 7, 10, 0, tzinfo=SH)
DAY = 24 * H

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def breached():
    return outcome(SampleRequest.State.BREACHED, BREACH)


@pytest.fixture
def reviewer():
    return factories.StaffFactory(username="appeal-reviewer")


def file_appeal(sample, moment, *, by=None, files=(), reason="视频被平台误下架，已申诉恢复"):
    with travel(moment):
        return appeals.sample_appeal_file(sample=sample, by=by or sample.creator.user, reason=reason, files=files)


def message(exc) -> str:
    return " ".join(exc.value.messages)


def png(name="proof.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


# --- AP1: who, what, when ------------------------------------------------------------------


def test_ap1_creator_appeals_in_the_last_minute_of_the_7th_day(breached):
    appeal = file_appeal(breached, BREACH + 7 * DAY - M, files=[png()])
    assert appeal.state == SampleAppeal.State.OPEN
    assert appeal.evidence.count() == 1
    ev = appeal.evidence.get()
    assert ev.content_type == "image/png" and ev.file.name.endswith(".png")
    assert reload(breached).state == SampleRequest.State.BREACHED  # AP4: open changes nothing


def test_ap1_appeal_refused_the_minute_the_window_closes(breached):
    with pytest.raises(ValidationError) as exc:
        file_appeal(breached, BREACH + 7 * DAY)
    assert message(exc) == str(kernel.TOO_LATE % {"until": "2026-12-14 10:00"})
    assert not SampleAppeal.objects.exists()


def test_ap1_window_is_a_rule(breached, staff):
    from core.rules import rule_update

    rule_update(key="appeal_window", value=10, unit="days", by=staff)
    assert file_appeal(breached, BREACH + 9 * DAY).state == SampleAppeal.State.OPEN


def test_ap1_window_has_a_sane_maximum(staff):
    from core.rules import rule_update

    with pytest.raises(ValidationError):
        rule_update(key="appeal_window", value=31, unit="days", by=staff)


def test_ap1_second_appeal_refused(breached):
    file_appeal(breached, BREACH + DAY)
    with pytest.raises(ValidationError) as exc:
        file_appeal(breached, BREACH + 2 * DAY)
    assert message(exc) == str(kernel.ONCE)
    assert SampleAppeal.objects.count() == 1


def test_ap1_someone_elses_request_refused(breached):
    other = factories.CreatorFactory()
    with pytest.raises(PermissionDenied):
        file_appeal(breached, BREACH + DAY, by=other.user)
    assert not SampleAppeal.objects.exists()


def test_ap1_only_a_breach_can_be_appealed():
    fulfilled = outcome(SampleRequest.State.FULFILLED, BREACH)
    with pytest.raises(ValidationError) as exc:
        file_appeal(fulfilled, BREACH + DAY)
    assert message(exc) == str(appeals.msg.APPEAL_NOT_BREACHED)


def test_ap1_reason_required(breached):
    with pytest.raises(ValidationError) as exc:
        file_appeal(breached, BREACH + DAY, reason="  ")
    assert message(exc) == str(kernel.REASON_REQUIRED)


def test_ap1_at_most_three_evidence_files_typed_from_their_bytes(breached):
    with pytest.raises(ValidationError) as exc:
        file_appeal(breached, BREACH + DAY, files=[png(), png(), png(), png()])
    assert message(exc) == str(kernel.TOO_MANY_FILES % {"n": 3})
    fake = SimpleUploadedFile("proof.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError):
        file_appeal(breached, BREACH + DAY, files=[fake])
    assert not SampleAppeal.objects.exists()


def test_ap1_page_says_whether_an_appeal_is_possible(breached):
    assert appeals.appeal_window_ends(breached) == BREACH + 7 * DAY
    with travel(BREACH + 7 * DAY - M):
        assert appeals.can_appeal(breached)
    with travel(BREACH + 7 * DAY):
        assert not appeals.can_appeal(breached)


# --- AP2: decision due, four eyes ------------------------------------------------------------


def test_ap2_decision_due_at_the_end_of_the_3rd_working_day(breached):
    appeal = file_appeal(breached, BREACH + DAY)  # Tuesday 12-08 10:00 → Wed, Thu, Fri
    assert appeal.decide_by == datetime(2026, 12, 12, 0, 0, tzinfo=SH)
    with travel(datetime(2026, 12, 11, 23, 59, tzinfo=SH)):
        assert not appeal.overdue
    with travel(datetime(2026, 12, 12, 0, 0, tzinfo=SH)):
        assert appeal.overdue  # shown as overdue; nothing decided automatically
    assert reload(breached).state == SampleRequest.State.BREACHED


def test_ap2_weekend_is_not_a_working_day(breached):
    appeal = file_appeal(breached, datetime(2026, 12, 11, 18, 0, tzinfo=SH))  # Friday → Mon, Tue, Wed
    assert appeal.decide_by == datetime(2026, 12, 17, 0, 0, tzinfo=SH)


def test_ap2_decision_needs_a_reviewer_and_a_reason(breached, reviewer):
    appeal = file_appeal(breached, BREACH + DAY)
    with pytest.raises(PermissionDenied):
        appeals.sample_appeal_uphold(appeal=appeal, by=breached.merchant.user, reason="x")
    with pytest.raises(ValidationError) as exc:
        appeals.sample_appeal_uphold(appeal=appeal, by=reviewer, reason=" ")
    assert message(exc) == str(kernel.DECISION_REASON_REQUIRED)
    assert SampleAppeal.objects.get().state == SampleAppeal.State.OPEN


def test_ap2_appellant_withdraws_and_cannot_appeal_again(breached):
    appeal = file_appeal(breached, BREACH + DAY)
    with travel(BREACH + DAY + H):
        appeals.sample_appeal_withdraw(appeal=appeal, by=breached.creator.user)
    assert SampleAppeal.objects.get().state == SampleAppeal.State.WITHDRAWN
    with pytest.raises(ValidationError):
        file_appeal(breached, BREACH + 2 * DAY)


# --- AP3: upheld ---------------------------------------------------------------------------


def test_ap3_upheld_breach_is_excused_score_and_wait_lifted_at_once(reviewer):
    creator = factories.CreatorFactory()
    product = eligible_product()
    first = outcome(SampleRequest.State.BREACHED, BREACH - 3 * DAY, creator=creator)
    second = outcome(SampleRequest.State.BREACHED, BREACH, creator=creator, product=product)
    with travel(BREACH + DAY):
        assert scoring.creator_score(creator).value == 6  # 12 − 3 − 3: blocked (V1)
    assert refused(creator, product, BREACH + DAY)
    appeal = file_appeal(second, BREACH + DAY)
    with travel(BREACH + 2 * DAY):
        appeals.sample_appeal_uphold(appeal=appeal, by=reviewer, reason="平台误判，视频已恢复")
        assert scoring.creator_score(creator).value == 9
    sample = reload(second)
    assert sample.state == SampleRequest.State.EXCUSED
    assert sample in SampleRequest.objects.filter(state__in=SampleRequest.CLOSED_STATES)
    # V1 above the floor again and V3's 30-day wait for that product gone: asks at once.
    from tests.samples.factories import ask

    assert ask(creator, product, BREACH + 2 * DAY).state == SampleRequest.State.REQUESTED
    assert reload(first).state == SampleRequest.State.BREACHED
    appeal = SampleAppeal.objects.get(pk=appeal.pk)
    assert appeal.decided_by == reviewer and appeal.decision_reason == "平台误判，视频已恢复"
    assert [log.transition for log in log_of(sample)][-1] == "excuse"


# --- AP4: dismissed ------------------------------------------------------------------------


def test_ap4_dismissed_leaves_the_breach_and_no_second_appeal(breached, reviewer):
    appeal = file_appeal(breached, BREACH + DAY)
    with travel(BREACH + 2 * DAY):
        appeals.sample_appeal_dismiss(appeal=appeal, by=reviewer, reason="视频未满 7 天即下架")
    assert reload(breached).state == SampleRequest.State.BREACHED
    with pytest.raises(ValidationError) as exc:
        file_appeal(breached, BREACH + 3 * DAY)
    assert message(exc) == str(kernel.ONCE)
    with pytest.raises(ValidationError):  # decided already: a second decision is refused
        appeals.sample_appeal_uphold(appeal=appeal, by=reviewer, reason="改判")
    assert reload(breached).state == SampleRequest.State.BREACHED


# --- AP5: both sides told ------------------------------------------------------------------


def test_ap5_both_sides_told_when_filed_and_decided(breached, reviewer, django_capture_on_commit_callbacks):
    users = [breached.creator.user, breached.merchant.user]
    Notification.objects.all().delete()
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=False):
        appeal = file_appeal(breached, BREACH + DAY)
    emails = OutboxMessage.objects.filter(pk__gt=before, task="core.tasks.send_notification_email")
    assert emails.count() == 2  # one e-mail each, after commit
    for user in users:
        assert Notification.objects.filter(user=user, kind="sample").count() == 1
    with travel(BREACH + 2 * DAY):
        appeals.sample_appeal_dismiss(appeal=appeal, by=reviewer, reason="证据不足")
    for user in users:
        assert Notification.objects.filter(user=user).count() == 2
        assert "证据不足" in Notification.objects.filter(user=user).order_by("-id").first().title
