"""S4, S5 in one statement per batch (core.fsm_sql): claim, transition, records and
notifications in one round trip, with the promises of the per-row path (the equivalence with
it is tests/samples/test_sweeps_set_based.py)."""

import logging
from datetime import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django_fsm_log.models import StateLog

from core.clocks import clock
from core.fsm_sql import SQL, claim_and_move, lit, sql_text, supports
from core.models import Notification
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import sweeps
from tests.samples.factories import T0, H, reload, request_at, travel

pytestmark = [pytest.mark.django_db]
S = SampleRequest.State


@pytest.mark.parametrize("template, args", [
    ("Sample request for “%(product)s” cancelled: %(reason)s", {"product": "50% 折扣 'x' %s", "reason": "原因 %(y)s"}),
    ("%(a)s and %(a)s, 100%% %(b)s", {"a": "甲", "b": "乙"}),
    ("no placeholders", {}),
])
def test_s4_sql_text_renders_what_python_percent_format_renders(template, args):
    expr = sql_text(template, **{k: lit(v) for k, v in args.items()})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expr.text}", expr.params)
        assert cursor.fetchone()[0] == template % args


def test_s4_sql_local_time_is_the_messages_local_time():
    from core.fsm_sql import local_time

    moment = datetime(2026, 3, 1, 17, 5, 59, tzinfo=T0.tzinfo)
    expr = local_time("%s::timestamptz")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expr.text}", [moment, *expr.params])
        assert cursor.fetchone()[0] == msg.local_time(moment)


def test_s4_s5_a_condition_without_its_sql_form_cannot_be_declared_for_the_one_statement_path(monkeypatch):
    assert supports(SampleRequest, "expire") and supports(SampleRequest, "cancel_unshipped")
    edge = SampleRequest.expire._django_fsm.transitions["requested"]
    monkeypatch.setattr(edge, "conditions", [*edge.conditions, lambda sample: True])  # a guard with no SQL form
    assert not supports(SampleRequest, "expire")
    with pytest.raises(ValueError, match="a condition has no SQL form"):
        sweeps._close_sql("s4", clock("s4_decide"), sweeps._expire_template)


def test_s4_a_batch_is_one_statement_whatever_its_size(settings, django_assert_max_num_queries):
    settings.SAMPLES_SWEEP_BATCH = 1000
    for _ in range(12):
        request_at(T0)
    before = Notification.objects.count()
    # the batch's transaction and its savepoint (both savepoints inside the test's transaction) and
    # their releases, the content type (cached after), the statement, the webhook endpoints listening:
    # nothing per row
    with django_assert_max_num_queries(7) as queries, travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 12
    assert sum("UPDATE" in q["sql"] for q in queries.captured_queries) == 1
    assert StateLog.objects.filter(transition="expire").count() == 12
    assert Notification.objects.count() - before == 24


def test_s4_a_claimed_row_the_statement_cannot_move_is_left_with_its_id():
    due = request_at(T0)
    approved = request_at(T0)
    SampleRequest.objects.filter(pk=approved.pk).update(state=S.APPROVED, approved_at=T0 + 47 * H)  # a person moved it first
    now = T0 + 48 * H
    with transaction.atomic():
        result = claim_and_move(
            SampleRequest.objects.filter(pk__in=[due.pk, approved.pk]).order_by("decide_by"), "expire",
            now=now, size=10, key="decide_by", sets={"closed_at": lit(now)}, description=SQL("'sweep'"),
        )
    assert (result.claimed, result.moved, result.left) == (2, [due.pk], [approved.pk])
    assert result.sources == ["requested"] and result.transition == "expire" and result.target == "expired"
    assert reload(due).state == S.EXPIRED and reload(approved).state == S.APPROVED
    assert list(StateLog.objects.for_(reload(due)).values_list("transition", "source_state", "state", "by", "description")) == [
        ("expire", "requested", "expired", None, "sweep")]


def test_s4_a_row_left_by_the_statement_goes_through_the_per_row_path_with_its_reason_logged(monkeypatch, caplog):
    sample = request_at(T0)
    real = sweeps.claim_and_move
    # The statement claims the row, but a person approves it between claim and update: modelled by
    # a `due` that also claims an approved row (its state is not expire's source).
    approved = request_at(T0)
    SampleRequest.objects.filter(pk=approved.pk).update(state=S.APPROVED, approved_at=T0 + 47 * H)
    monkeypatch.setattr(sweeps, "claim_and_move", lambda due, name, **kw: real(
        SampleRequest.objects.filter(pk__in=[sample.pk, approved.pk]).order_by("decide_by"), name, **kw))
    with caplog.at_level(logging.INFO), travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 1
    assert f"request #{approved.pk} left for the per-row path" in caplog.text
    assert reload(sample).state == S.EXPIRED and reload(approved).state == S.APPROVED


def test_s4_a_one_statement_batch_that_fails_rolls_back_whole_and_each_row_moves_once(caplog):
    samples = [request_at(T0) for _ in range(3)]
    before = Notification.objects.count()
    with mock.patch.object(sweeps, "publish_transitions", side_effect=[RuntimeError("listener down")] + [None] * 10), \
            travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 3
    assert "one-statement batch rolled back" in caplog.text
    for sample in samples:
        assert reload(sample).state == S.EXPIRED
        assert StateLog.objects.for_(sample).filter(transition="expire").count() == 1  # the failed statement left nothing
    assert Notification.objects.count() - before == 6  # both parties, once per row
