"""The notification centre: opening one marks it read and goes to its object; filter by kind."""

from __future__ import annotations

import pytest

from core.models import Notification
from core.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client):
    user = UserFactory()
    note = notify(user=user, title="T", body="B", url="/creator/samples/", kind=Notification.Kind.SAMPLE)
    client.force_login(user)
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/creator/samples/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_persons_notification_is_a_404_and_stays_unread(client):
    note = notify(user=UserFactory(), title="T", url="/creator/")
    client.force_login(UserFactory())
    assert client.get(f"/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_an_outside_link_is_not_followed(client):
    user = UserFactory()
    note = notify(user=user, title="T", url="https://evil.example/")
    client.force_login(user)
    assert client.get(f"/notifications/{note.pk}/")["Location"] == "/notifications/"


def test_filter_by_kind_and_unread_in_bold(client):
    user = UserFactory()
    notify(user=user, title="报备提醒", kind=Notification.Kind.FILING)
    notify(user=user, title="样品提醒", kind=Notification.Kind.SAMPLE)
    client.force_login(user)
    page = client.get("/notifications/?kind=filing").content.decode()
    assert "报备提醒" in page and "样品提醒" not in page
    assert 'class="fw-bold"' in page
    everything = client.get("/notifications/?kind=nonsense").content.decode()
    assert "报备提醒" in everything and "样品提醒" in everything
