"""#22, a queue two reviewers share: opening an item claims it (领取) for the rule
review_claim; the other reviewer sees who holds it and until when, cannot decide it, and the
next item skips it; the claim ends on decision, release or expiry."""

from datetime import timedelta

import pytest
from django.test import Client

from core.models import Claim
from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import T0, travel

pytestmark = pytest.mark.django_db
FILINGS = "/admin/filings/filing/"


def reviewer(name: str) -> Client:
    client = Client()
    client.force_login(factories.StaffFactory(username=name, first_name="", last_name=""))
    return client


def waiting(at) -> Filing:
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    Filing.objects.filter(pk=filing.pk).update(submitted_at=at)
    return filing


def test_22_a_second_reviewer_sees_who_holds_the_item_and_cannot_decide_it():
    with travel(T0):
        filing = waiting(T0 - timedelta(hours=2))
        alice, bob = reviewer("alice"), reviewer("bob")
        assert 'data-decision="approve"' in alice.get(f"{FILINGS}{filing.pk}/change/").content.decode()
        html = bob.get(f"{FILINGS}{filing.pk}/change/").content.decode()
        assert "alice 正在处理，至 10:15。" in html and 'data-decision="approve"' not in html
        resp = bob.post(f"{FILINGS}{filing.pk}/decision/approve/", {"reason": ""}, follow=True)
        assert "alice 正在处理，至 10:15。" in resp.content.decode()
        assert Filing.objects.get(pk=filing.pk).state == Filing.State.UNDER_REVIEW
        assert bob.post(f"{FILINGS}{filing.pk}/decide/approve/", {"apply": "1"}).status_code == 302
        assert Filing.objects.get(pk=filing.pk).state == Filing.State.UNDER_REVIEW
        assert "alice · 10:15" in bob.get(FILINGS).content.decode()


def test_22_next_skips_what_another_reviewer_holds_and_the_decision_ends_the_claim():
    with travel(T0):
        first, held, third = waiting(T0 - timedelta(hours=3)), waiting(T0 - timedelta(hours=2)), waiting(T0 - timedelta(hours=1))
        alice, bob = reviewer("alice"), reviewer("bob")
        bob.get(f"{FILINGS}{held.pk}/change/")
        alice.get(f"{FILINGS}{first.pk}/change/")
        resp = alice.post(f"{FILINGS}{first.pk}/decision/approve/", {"reason": ""})
        assert resp["Location"] == f"{FILINGS}{third.pk}/change/"
        assert not Claim.objects.filter(object_id=first.pk).exists()


def test_22_a_claim_ends_when_it_expires_or_is_released():
    with travel(T0):
        filing = waiting(T0 - timedelta(hours=2))
        alice, bob = reviewer("alice"), reviewer("bob")
        alice.get(f"{FILINGS}{filing.pk}/change/")
    with travel(T0 + timedelta(minutes=14, seconds=59)):
        assert 'data-decision="approve"' not in bob.get(f"{FILINGS}{filing.pk}/change/").content.decode()
    with travel(T0 + timedelta(minutes=15)):
        assert 'data-decision="approve"' in bob.get(f"{FILINGS}{filing.pk}/change/").content.decode()
        assert bob.post(f"{FILINGS}{filing.pk}/release/").status_code == 302
        assert 'data-decision="approve"' in alice.get(f"{FILINGS}{filing.pk}/change/").content.decode()
