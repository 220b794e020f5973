"""Clocks as data (core.clocks; samples.clocks and the D2 clock of shops): every timed rule is
one declaration, and each thing that reads it is held to it here, parametrised over every
declared clock: its partial index, its due query (only states its transition accepts), its
beat entry, its guard, and its sweep at deadline − 1 s and at the deadline on both paths
(per row and set-based), which must leave the same rows, transition records, notifications
(with their kind), webhook deliveries and e-mail hand-offs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string
from django_fsm_log.models import StateLog

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from config.celery import app
from core.clocks import Deadline, all_clocks, clock, next_deadline
from core.models import Notification, OutboxMessage
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, promotion
from shops.alliance_removal import services as removals
from shops.models import AllianceRemoval
from tests import factories
from tests.samples.factories import T0, H, approved_at, received_at, reload, request_at, shipped_at, travel, video_with_product

pytestmark = pytest.mark.django_db
S = SampleRequest.State
SECOND = timedelta(seconds=1)

CLOCKS = all_clocks()
SWEPT = [c for c in CLOCKS if c.transition]


def _ids(clocks):
    return [c.key for c in clocks]


# ---------------------------------------------------------------------------------------
# The declaration and what is derived from it


def _lookups(q: Q) -> dict:
    """A condition's lookups, `state` and `state__in` read as one set of states."""
    found: dict = {}
    for child in q.children:
        if isinstance(child, Q):
            found.update(_lookups(child))
            continue
        key, value = child
        if key.endswith("__in"):
            found[key[:-4]] = frozenset(str(v) for v in value)
        elif key in ("state", "status"):
            found[key] = frozenset([str(value)])
        else:
            found[key] = value
    return found


@pytest.mark.parametrize("timed", [c for c in CLOCKS if c.index_name], ids=_ids([c for c in CLOCKS if c.index_name]))
def test_s4_s7_v7_d2_each_clock_is_served_by_the_models_partial_index(timed):
    index = next((i for i in timed.model._meta.indexes if i.name == timed.index_name), None)
    assert index is not None, f"{timed.model_label} declares no index {timed.index_name}"
    assert list(index.fields) == [timed.deadline]
    assert _lookups(index.condition) == _lookups(timed.waiting())


def _where_states(node, field: str) -> set[str]:
    """The states a compiled WHERE allows for `field`."""
    states: set[str] = set()
    for child in getattr(node, "children", []):
        target = getattr(getattr(child, "lhs", None), "target", None)
        if target is not None and target.name == field:
            rhs = child.rhs if isinstance(child.rhs, (list, tuple, set)) else [child.rhs]
            states |= {str(v) for v in rhs}
        else:
            states |= _where_states(child, field)
    return states


@pytest.mark.parametrize("timed", SWEPT, ids=_ids(SWEPT))
def test_s4_s7_v7_d2_a_due_query_selects_only_states_its_transition_accepts(timed):
    edge = timed.edge()
    states = _where_states(timed.due(T0).query.where, edge.field)
    assert states and states <= {str(s) for s in edge.sources}, f"{timed.key} selects {states}, {timed.transition} takes {edge.sources}"


@pytest.mark.parametrize("timed", SWEPT, ids=_ids(SWEPT))
def test_s4_s7_v7_d2_each_swept_clock_has_its_beat_entry(timed):
    assert timed.task in {entry["task"] for entry in app.conf.beat_schedule.values()}
    import_string(timed.task)  # and the task exists


@pytest.mark.parametrize("key", ["s4_decide", "s5_cancel", "s6_receive"])
def test_s4_s5_s6_the_transition_is_guarded_by_the_clocks_own_deadline(key):
    timed = clock(key)
    condition = timed.condition()
    assert isinstance(condition, Deadline) and condition.column == timed.deadline
    assert str(condition.as_q(T0)) == str(Q(**{f"{timed.deadline}__lte": T0}))


def test_s4_to_s7_every_rule_clock_is_declared_once():
    keys = [c.key for c in CLOCKS]
    assert len(keys) == len(set(keys))
    assert {"s4_decide", "s5_late", "s5_cancel", "s6_receive", "s7_check", "s7_fulfil", "v7_extension", "d2_removal"} <= set(keys)


# ---------------------------------------------------------------------------------------
# S5 as people read it: "ship by" 48 h, then late, then cancelled at 120 h


def test_s5_next_deadline_is_ship_by_until_48h_then_the_cancellation_marked_late():
    sample = approved_at(T0)
    with travel(T0 + 47 * H + 59 * 60 * SECOND):
        found = next_deadline(sample)
        assert (found.clock.key, found.at, found.late) == ("s5_late", T0 + 48 * H, False)
        assert str(sample.next_deadline_label) == "发货截止" and not sample.shipping_late
    with travel(T0 + 48 * H):
        found = next_deadline(sample)
        assert (found.clock.key, found.at, found.late) == ("s5_cancel", T0 + 120 * H, True)
        assert str(sample.next_deadline_label) == "未发货自动取消" and sample.shipping_late
        assert found.passed_labels == ["已超时"]


def test_s5_the_merchants_board_says_ship_by_48h_then_late_with_the_120h_cancellation(client):
    sample = approved_at(T0)
    client.force_login(sample.merchant.user)
    with travel(T0 + 24 * H):
        page = client.get("/merchant/").content.decode()
        assert "发货截止" in page and "未发货自动取消" not in page
    with travel(T0 + 50 * H):
        page = client.get("/merchant/").content.decode()
        assert "未发货自动取消" in page and 'data-testid="todo-mark">已超时' in page


# ---------------------------------------------------------------------------------------
# Every swept clock at its boundary, on both paths


def _endpoint(merchant):
    return WebhookEndpoint.objects.create(merchant=merchant, url="https://hooks.example.com/in", events=[Event.SAMPLE_STATE_CHANGED])


def _world_s4():
    sample = request_at(T0)
    return sample.decide_by, sample.merchant


def _world_s5():
    sample = approved_at(T0)
    return sample.ship_cancel_at, sample.merchant


def _world_s6():
    sample = shipped_at(T0)
    return sample.auto_receive_at, sample.merchant


def _world_s7_check():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    return reload(sample).fulfil_check_at, sample.merchant


def _world_s7_fulfil():
    sample = received_at(T0)
    return sample.fulfil_by, sample.merchant


def _world_v7():
    sample = received_at(T0)
    with travel(T0 + H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="档期冲突")
    return ExtensionRequest.objects.get(sample=sample).refuse_by, sample.merchant


def _world_d2():
    listing = factories.AllianceListingFactory()
    removal = removals.alliance_removal_create(product=listing.product, by=None, at=listing.listed_at + timedelta(days=2))
    return removal.scheduled_at, listing.product.shop.merchant


WORLDS = {"s4_decide": _world_s4, "s5_cancel": _world_s5, "s6_receive": _world_s6, "s7_check": _world_s7_check,
          "s7_fulfil": _world_s7_fulfil, "v7_extension": _world_v7, "d2_removal": _world_d2}


def test_s4_s7_v7_d2_every_swept_clock_has_a_boundary_world():
    assert set(WORLDS) == {c.key for c in SWEPT}


class Rollback(Exception):
    pass


def _handed_off(start: int) -> list[tuple]:
    """The e-mails asked for through the outbox since row `start`, as (user, title, kind)."""
    ids: list[int] = []
    for row in OutboxMessage.objects.filter(pk__gt=start):
        if row.task == "core.tasks.send_notification_emails":
            ids += list(row.args[0])
        elif row.task == "core.tasks.send_notification_email":
            ids.append(row.args[0])
    return sorted(Notification.objects.filter(pk__in=ids).values_list("user_id", "title", "kind"), key=repr)


def _fingerprint(timed) -> dict:
    model = timed.model
    return {
        "rows": list(model.objects.order_by("pk").values()),
        "samples": list(SampleRequest.objects.order_by("pk").values()),
        "logs": sorted(StateLog.objects.values_list(
            "content_type_id", "object_id", "transition", "source_state", "state", "by_id", "description"), key=repr),
        "notifications": sorted(Notification.objects.values_list("user_id", "title", "body", "url", "dedupe_key", "kind"), key=repr),
        "webhooks": sorted(((d.event_id, d.event_type, d.payload["data"]) for d in WebhookDelivery.objects.all()), key=repr),
    }


def _sweep(timed, at, settings, *, set_based: bool) -> tuple[int, dict]:
    settings.SAMPLES_SWEEP_SET_BASED = set_based
    try:
        with transaction.atomic():
            start = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            with travel(at):
                moved = import_string(timed.task)()
            seen = {**_fingerprint(timed), "emails": _handed_off(start)}
            raise Rollback
    except Rollback:
        pass
    return moved, seen


@pytest.mark.parametrize("timed", SWEPT, ids=_ids(SWEPT))
def test_s4_s7_v7_d2_each_clock_moves_at_its_deadline_not_a_second_before_on_both_paths(timed, settings):
    deadline, merchant = WORLDS[timed.key]()
    _endpoint(merchant)
    before = _fingerprint(timed)
    for set_based in (False, True):
        moved, seen = _sweep(timed, deadline - SECOND, settings, set_based=set_based)
        assert moved == 0 and {k: seen[k] for k in before} == before, f"{timed.key} moved a second early"
    by_row = _sweep(timed, deadline, settings, set_based=False)
    by_set = _sweep(timed, deadline, settings, set_based=True)
    assert by_row[0] == by_set[0] == 1
    for part in ("rows", "samples", "logs", "notifications", "webhooks", "emails"):
        assert by_set[1][part] == by_row[1][part], f"{timed.key}: {part} differ between the paths"
    moved_rows = [r for r in by_set[1]["rows"] if r not in before["rows"]]
    assert moved_rows, f"{timed.key}: nothing changed at the deadline"
    if timed.model is SampleRequest:
        assert by_set[1]["webhooks"], f"{timed.key}: the move was not announced to the merchant's webhook"


def test_d2_the_removal_clock_reads_its_own_model():
    assert clock("d2_removal").model is AllianceRemoval
