"""The kernel registry every extension point uses (core.registry): idempotent, ordered,
strict where a declaration must not be stated twice differently, and listable."""

from __future__ import annotations

import pytest

from core.registry import Registry, registries


def test_the_same_entry_twice_is_one_entry_read_in_order_then_registration_order():
    r = Registry("test")
    first, second, early = object(), object(), object()
    r.add(first)
    r.add(second)
    r.add(first)  # ready() may run twice
    r.add(early, order=10)
    assert r.values() == [early, first, second]


def test_a_strict_registry_refuses_a_key_stated_twice_differently():
    r = Registry("clocks", strict=True)
    r.add("48 h", key="s4")
    r.add("48 h", key="s4")
    with pytest.raises(ValueError, match="s4"):
        r.add("47 h", key="s4")


def test_a_replacing_registry_keeps_the_last_hook_and_a_plain_one_the_first():
    hooks, plain = Registry("calendar", replace=True), Registry("guards")
    for r in (hooks, plain):
        r.add("weekdays", key="calendar")
        r.add("F9 calendar", key="calendar")
    assert hooks.get("calendar") == "F9 calendar" and plain.get("calendar") == "weekdays"


def test_every_app_plugs_into_named_registries_that_can_be_listed():
    found = registries()
    for name in ("clocks", "queues", "shops.carry_guards", "shops.sales_sources", "todo:merchant", "slot:nav.merchant",
                 "workdays.calendar", "roles.seat_resolver", "actors.system_tasks", "alliance_removal.impact_counters"):
        assert name in found and len(found[name]) > 0, name
