"""V6 reminders before the 48 h, 120 h and 360 h deadlines (samples.services.reminders):
each sent once, in-app and by e-mail, at the boundary minute."""

from datetime import timedelta

import pytest
from django.core import mail

from core.models import Notification
from samples.services import extensions, promotion, reminders
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    received_at,
    reload,
    request_at,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)


# ---------------------------------------------------------------------------------------
# Each deadline's reminders


def keys_of(user):
    return set(Notification.objects.filter(user=user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))


def test_s4_merchant_reminded_before_48h_once_even_when_sweeps_repeat():
    sample = request_at(T0)
    with travel(T0 + 23 * H):
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 24 * H):  # half of the 48 h gone
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 42 * H):  # 6 h before
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0
    keys = set(Notification.objects.filter(user=sample.merchant.user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))
    assert keys == {reminders.reminder_key(sample.pk, "decide-half"), reminders.reminder_key(sample.pk, "decide-last")}


def test_s5_merchant_reminded_before_120h():
    sample = approved_at(T0)
    with travel(T0 + 114 * H):
        reminders.sweep_reminders()
    assert Notification.objects.filter(dedupe_key=reminders.reminder_key(sample.pk, "ship-last")).exists()


def test_s7_creator_reminded_before_360h_unless_promoting():
    sample = received_at(T0)
    with travel(T0 + 360 * H - 3 * 24 * H):
        reminders.sweep_reminders()
    with travel(T0 + 360 * H - 24 * H):
        reminders.sweep_reminders()
    keys = set(Notification.objects.filter(user=sample.creator.user, dedupe_key__isnull=False).values_list("dedupe_key", flat=True))
    assert keys == {reminders.reminder_key(sample.pk, "promote-early"), reminders.reminder_key(sample.pk, "promote-last")}


# ---------------------------------------------------------------------------------------
# V6: the leads, once each


def test_v6_merchant_reminded_when_half_of_the_48h_is_gone_and_6h_before_not_a_minute_earlier():
    sample = request_at(T0)
    with travel(T0 + 23 * H + 59 * M):
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 24 * H):
        assert reminders.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {reminders.reminder_key(sample.pk, "decide-half")}
    with travel(T0 + 41 * H + 59 * M):
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 42 * H):
        assert reminders.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {
        reminders.reminder_key(sample.pk, "decide-half"), reminders.reminder_key(sample.pk, "decide-last")}
    assert keys_of(sample.creator.user) == set()


def test_v6_merchant_reminded_the_same_before_the_120h_at_60h_and_114h():
    sample = approved_at(T0)
    with travel(T0 + 59 * H + 59 * M):
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 60 * H):
        assert reminders.sweep_reminders() == 1
    with travel(T0 + 113 * H + 59 * M):
        assert reminders.sweep_reminders() == 0
    with travel(T0 + 114 * H):
        assert reminders.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {
        reminders.reminder_key(sample.pk, "ship-half"), reminders.reminder_key(sample.pk, "ship-last")}


def test_v6_creator_reminded_3_days_and_1_day_before_the_360h_each_once():
    sample = received_at(T0)
    early, last = T0 + 360 * H - 3 * D, T0 + 360 * H - D
    with travel(early - M):
        assert reminders.sweep_reminders() == 0
    with travel(early):
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0
    with travel(last - M):
        assert reminders.sweep_reminders() == 0
    with travel(last):
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0
    assert keys_of(sample.creator.user) == {
        reminders.reminder_key(sample.pk, "promote-early"), reminders.reminder_key(sample.pk, "promote-last")}
    assert keys_of(sample.merchant.user) == set()


def test_v6_creator_promoting_is_not_reminded():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 360 * H - D):
        assert reminders.sweep_reminders() == 0


def test_v6_each_reminder_goes_in_app_and_by_email_once_even_when_the_sweep_runs_twice(django_capture_on_commit_callbacks):
    sample = request_at(T0)
    sample.merchant.user.email = "merchant@example.com"
    sample.merchant.user.save()
    with travel(T0 + 24 * H), django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0  # the second, overlapping run finds the key taken
    note = Notification.objects.get(dedupe_key=reminders.reminder_key(sample.pk, "decide-half"))
    assert note.user == sample.merchant.user and note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["merchant@example.com"]]
    assert mail.outbox[0].subject == note.title


def test_v6_a_late_sweep_sends_only_the_most_urgent_reminder():
    sample = request_at(T0)
    with travel(T0 + 43 * H):  # the sweeps did not run between 24 h and 42 h
        assert reminders.sweep_reminders() == 1
    assert keys_of(sample.merchant.user) == {reminders.reminder_key(sample.pk, "decide-last")}


def test_v6_a_granted_extension_reminds_again_before_the_new_deadline():
    sample = received_at(T0)
    with travel(T0 + 360 * H - D):
        reminders.sweep_reminders()
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="档期冲突")
        extensions.sample_extension_grant(sample=sample, by=sample.merchant.user)
    new_deadline = T0 + 360 * H + 7 * D
    assert reload(sample).fulfil_by == new_deadline
    with travel(new_deadline - D):
        assert reminders.sweep_reminders() == 1
        assert reminders.sweep_reminders() == 0
    assert reminders.reminder_key(sample.pk, "promote-last", extended=True) in keys_of(sample.creator.user)
