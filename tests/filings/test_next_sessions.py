"""F9: a filing's promised date is for its linked creator's next session: the live one, else
the earliest scheduled not yet started; ended and past sessions never count. The page reads
one row per creator (DISTINCT ON), whatever the number of sessions ahead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filings.timing import next_sessions_by_creator
from shops.models import LiveSession
from tests.factories import CreatorFactory, LiveSessionFactory

pytestmark = pytest.mark.django_db


def test_f9_next_session_is_the_live_one_else_the_earliest_ahead_one_row_per_creator():
    now = timezone.now()
    live_creator, scheduled_creator, none_ahead = CreatorFactory(), CreatorFactory(), CreatorFactory()
    for days in (5, 2, 9):
        LiveSessionFactory(creator=live_creator, scheduled_start=now + timedelta(days=days))
    live = LiveSessionFactory(creator=live_creator, scheduled_start=now - timedelta(hours=1), status=LiveSession.Status.LIVE)
    LiveSessionFactory(creator=scheduled_creator, scheduled_start=now + timedelta(days=1), status=LiveSession.Status.ENDED)
    LiveSessionFactory(creator=scheduled_creator, scheduled_start=now - timedelta(days=1))  # scheduled, never started
    later = LiveSessionFactory(creator=scheduled_creator, scheduled_start=now + timedelta(days=4))
    earliest = LiveSessionFactory(creator=scheduled_creator, scheduled_start=now + timedelta(days=3))
    LiveSessionFactory(creator=none_ahead, scheduled_start=now - timedelta(days=2), status=LiveSession.Status.ENDED)

    with CaptureQueriesContext(connection) as ctx:
        upcoming = next_sessions_by_creator({live_creator.pk, scheduled_creator.pk, none_ahead.pk})

    assert upcoming == {live_creator.pk: live, scheduled_creator.pk: earliest}
    assert later.pk != earliest.pk
    assert len(ctx) == 1 and "DISTINCT ON" in ctx.captured_queries[0]["sql"]
