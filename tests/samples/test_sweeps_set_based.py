"""The set-based sweeps (S4, S5 in one statement: core.fsm_sql; the others core.fsm_batch) against the
per-row path: the same world leaves the same rows, transition records and notifications (S4–S7
including the video promotion check, V6, V7);
one e-mail task per batch; a row the set path cannot move goes to the per-row path."""

import logging

import pytest
from django.db import transaction
from django_fsm_log.models import StateLog

from core.fsm import transition_edges
from core.fsm_batch import transition_batch
from core.models import Notification, OutboxMessage
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, promotion, reminders, sweeps
from shops.models import ShortVideo
from tests.samples.factories import (
    T0,
    H,
    approved_at,
    received_at,
    reload,
    request_at,
    shipped_at,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State
E = ExtensionRequest.State


def world():
    """Rows due on every clock, rows not yet due, an extension to grant and one to lapse."""
    for _ in range(3):
        request_at(T0)  # S4 due at T0+48h
        approved_at(T0)  # S5 due at T0+120h
        shipped_at(T0)  # S6 due at T0+168h
        received_at(T0 - 400 * H)  # S7 breach due
    request_at(T0 + 500 * H)  # not due
    granted = received_at(T0 - 100 * H)
    with travel(T0 - 99 * H):
        extensions.sample_extension_request(sample=granted, by=granted.creator.user, reason="档期")
    lapsing = received_at(T0 - 100 * H)
    with travel(T0 - 99 * H):
        extensions.sample_extension_request(sample=lapsing, by=lapsing.creator.user, reason="档期")
    SampleRequest.objects.filter(pk=lapsing.pk).update(state=S.FULFILLED, closed_at=T0 - 98 * H)
    promoted = received_at(T0 - 100 * H)  # S7 video held 7 days: fulfilled by the check sweep
    video = video_with_product(promoted, T0 - 99 * H)
    with travel(T0 - 99 * H):
        promotion.sample_request_record_video(sample=promoted, by=promoted.creator.user, video=video)
    taken_down = received_at(T0 - 100 * H)  # S7, V8: its video came down on day 2: breached by the check sweep
    video = video_with_product(taken_down, T0 - 99 * H)
    with travel(T0 - 99 * H):
        promotion.sample_request_record_video(sample=taken_down, by=taken_down.creator.user, video=video)
    ShortVideo.objects.filter(pk=video.pk).update(taken_down_at=T0 - 60 * H)


def run_all_sweeps():
    with travel(T0 + 200 * H):
        counts = [
            reminders.sweep_reminders(),
            sweeps.sweep_grant_extensions(),
            sweeps.sweep_expire_undecided(),
            sweeps.sweep_cancel_unshipped(),
            sweeps.sweep_auto_receive(),
            sweeps.sweep_check_promotions(),
            sweeps.sweep_breach_unpromoted(),
        ]
    return counts


def fingerprint():
    rows = list(SampleRequest.objects.order_by("pk").values())
    exts = list(ExtensionRequest.objects.order_by("pk").values())
    logs = sorted(StateLog.objects.values_list(
        "content_type_id", "object_id", "transition", "source_state", "state", "by_id", "description"), key=repr)
    notes = sorted(Notification.objects.values_list("user_id", "title", "body", "url", "dedupe_key", "kind"), key=repr)
    return {"rows": rows, "extensions": exts, "logs": logs, "notifications": notes}


class Rollback(Exception):
    pass


def sweep_and_fingerprint(settings, *, set_based: bool):
    settings.SAMPLES_SWEEP_SET_BASED = set_based
    try:
        with transaction.atomic():
            counts = run_all_sweeps()
            seen = fingerprint()
            raise Rollback
    except Rollback:
        pass
    return counts, seen


def test_s4_s7_v6_v7_set_path_and_per_row_path_leave_the_same_rows_records_and_notifications(settings):
    world()
    before = fingerprint()
    rows_counts, by_rows = sweep_and_fingerprint(settings, set_based=False)
    assert fingerprint() == before  # the savepoint rolled the first run back
    set_counts, by_set = sweep_and_fingerprint(settings, set_based=True)
    assert rows_counts == set_counts
    # the world really moved: 3 per clock, a grant and a lapse, a fulfilment and a breach, the reminders
    assert set_counts[1:] == [2, 3, 3, 3, 2, 3] and set_counts[0] > 0
    for part in ("rows", "extensions", "logs", "notifications"):
        assert by_set[part] == by_rows[part], part


def test_s4_one_email_task_per_batch_not_one_per_row(settings, django_capture_on_commit_callbacks):
    settings.SAMPLES_SWEEP_BATCH = 4
    samples = [request_at(T0) for _ in range(6)]
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=False), travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 6
    asked = OutboxMessage.objects.filter(pk__gt=before, task__startswith="core.tasks.send_notification_email").order_by("pk")
    assert [(row.task, len(row.args[0])) for row in asked] == [("core.tasks.send_notification_emails", 8),
                                                                ("core.tasks.send_notification_emails", 4)]  # both parties per row
    assert all(reload(s).state == S.EXPIRED for s in samples)


def test_s4_a_batch_costs_a_fixed_number_of_queries(settings, django_assert_max_num_queries):
    settings.SAMPLES_SWEEP_BATCH = 1000
    for _ in range(12):
        request_at(T0)
    # claim ids, read them, savepoint, update, logs, the webhook endpoints listening for the
    # transition (one query per batch), notifications, release, next claim (content type cached)
    with django_assert_max_num_queries(11), travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 12


def test_s4_transition_edges_read_the_django_fsm_declaration():
    edge = transition_edges(SampleRequest, "expire")
    assert (edge.field, edge.sources, edge.target) == ("state", (S.REQUESTED,), S.EXPIRED)
    assert [c.__name__ for c in edge.conditions] == ["decide_by_passed"]
    assert set(transition_edges(SampleRequest, "receive").sources) == {S.SHIPPED, S.NOT_ARRIVED}
    with pytest.raises(ValueError, match="is not a django-fsm transition"):
        transition_edges(SampleRequest, "state_label")


def test_s4_a_row_whose_guard_says_no_is_left_for_the_per_row_path_with_its_reason(caplog):
    due, early = request_at(T0), request_at(T0 + 10 * H)
    rows = list(SampleRequest.objects.filter(pk__in=[due.pk, early.pk]).order_by("requested_at"))
    for row in rows:
        row.as_of = T0 + 48 * H  # the early one's clock has not run out at this instant
    with transaction.atomic(), caplog.at_level(logging.INFO):
        result = transition_batch(rows, "expire", description=lambda s: "sweep")
    assert [r.pk for r in result.moved] == [due.pk]
    assert [(r.pk, why) for r, why in result.left] == [(early.pk, "condition decide_by_passed not met")]
    assert reload(due).state == S.EXPIRED and reload(early).state == S.REQUESTED
    assert list(StateLog.objects.for_(reload(due)).values_list("transition", "source_state", "state", "by", "description")) == [
        ("expire", "requested", "expired", None, "sweep")]


def test_s4_a_row_a_person_moved_first_is_not_moved_again_by_the_set_update():
    sample = request_at(T0)
    stale = SampleRequest.objects.get(pk=sample.pk)
    stale.as_of = T0 + 48 * H
    SampleRequest.objects.filter(pk=sample.pk).update(state=S.APPROVED, approved_at=T0 + 47 * H)  # the person won
    with transaction.atomic():
        result = transition_batch([stale], "expire", description=lambda s: "sweep")
    assert result.moved == [] and result.left[0][1] == "changed by someone else before expire"
    assert reload(sample).state == S.APPROVED and not StateLog.objects.for_(sample).filter(transition="expire").exists()
