"""Hole 7: V8's viewer figure counts distinct viewers, and joins are throttled per address.

Before the fix each POST to /live/<id>/join/ added one to LiveSession.peak_viewers: ten
curl calls made any live promotion count, and the same browser joining ten times counted
ten viewers."""

from __future__ import annotations

import pytest

from flashsales.models import RoomVisit, Viewer
from shops.models import LiveSession
from tests.flashsales import factories as ff

pytestmark = pytest.mark.django_db


def figure(session) -> int:
    return LiveSession.objects.get(pk=session.pk).peak_viewers


@pytest.mark.hardening
def test_hole7_v8_the_same_browser_joining_ten_times_is_one_distinct_viewer(client, hardening):
    session = ff.LiveSessionFactory()
    for _ in range(10):
        client.post(f"/live/{session.pk}/join/", {"nickname": "小鱼"})
        hardening.hostile()
    assert figure(session) == 1
    assert Viewer.objects.count() == 1 and RoomVisit.objects.filter(session=session).count() == 1


@pytest.mark.hardening
def test_hole7_v8_ten_cookieless_joins_from_one_address_are_throttled_after_five(client, settings, hardening):
    session = ff.LiveSessionFactory()
    statuses = []
    for n in range(10):
        client.cookies.clear()  # a script that keeps no cookies: a new browser each time
        statuses.append(client.post(f"/live/{session.pk}/join/", {"nickname": f"刷{n}"}).status_code)
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429] * 5
    assert figure(session) == 5
    resp = client.post(f"/live/{session.pk}/join/", {"nickname": "x"})
    assert resp.status_code == 429 and "稍后" in resp.content.decode()
    hardening.hostile(len(statuses) + 1)


def test_hole7_v8_other_addresses_still_join_and_count():
    from django.test import Client

    session = ff.LiveSessionFactory()
    for n in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(f"/live/{session.pk}/join/", {"nickname": f"观众{n}"})
    assert figure(session) == 3


def test_hole7_v8_a_known_viewer_joining_another_room_counts_there_once(client):
    a, b = ff.LiveSessionFactory(), ff.LiveSessionFactory()
    client.post(f"/live/{a.pk}/join/", {"nickname": "小鱼"})
    client.post(f"/live/{b.pk}/join/", {"nickname": "小鱼"})
    client.post(f"/live/{b.pk}/join/", {"nickname": "小鱼"})
    assert (figure(a), figure(b)) == (1, 1) and Viewer.objects.count() == 1


def test_hole7_the_figure_is_named_distinct_viewers():
    assert str(LiveSession._meta.get_field("peak_viewers").verbose_name) == "独立观众数"
