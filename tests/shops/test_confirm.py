"""开播 and 结束直播 are one-way: the session page links to a confirmation step that says
what will happen; only the POST from that step changes the session."""

import pytest

from shops.models import LiveSession
from tests import factories

pytestmark = pytest.mark.django_db


def test_go_live_and_end_each_have_a_confirmation_step(creator_client, creator):
    session = factories.LiveSessionFactory(creator=creator)
    detail = creator_client.get(f"/creator/sessions/{session.pk}/").content.decode()
    assert f"/creator/sessions/{session.pk}/transition/go_live/" in detail
    page = creator_client.get(f"/creator/sessions/{session.pk}/transition/go_live/").content.decode()
    assert 'data-testid="confirm"' in page and 'name="action" value="go_live"' in page
    session.refresh_from_db()
    assert session.status == LiveSession.Status.SCHEDULED
    creator_client.post(f"/creator/sessions/{session.pk}/transition/", {"action": "go_live"})
    page = creator_client.get(f"/creator/sessions/{session.pk}/transition/end/").content.decode()
    assert "闪购" in page and 'name="action" value="end"' in page  # ending also ends its flash sales


def test_a_confirmation_that_does_not_fit_the_state_goes_back_to_the_session(creator_client, creator):
    session = factories.LiveSessionFactory(creator=creator)
    resp = creator_client.get(f"/creator/sessions/{session.pk}/transition/end/")
    assert resp.status_code == 302 and resp["Location"] == f"/creator/sessions/{session.pk}/"


def test_another_creators_session_confirmation_is_a_404(creator_client):
    session = factories.LiveSessionFactory()
    assert creator_client.get(f"/creator/sessions/{session.pk}/transition/go_live/").status_code == 404
