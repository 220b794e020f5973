"""#22 in the browser: a reviewer decides filings from the queue, one click per decision
after the first (the next filing opens by itself), while a second reviewer holds one of them
and the first can neither decide it nor land on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def waiting(title: str, hours_ago: int) -> Filing:
    return set_state(FilingFactory(product__title=title), "under_review", submitted_at=timezone.now() - timedelta(hours=hours_ago))


def test_journey_two_reviewers_share_the_filing_queue(journey):
    from core.models import ReasonTemplate

    ReasonTemplate.objects.create(kind="filings.filing.reject", text="资质证书已过期")
    first, held, last = waiting("和田玉吊坠", 3), waiting("翡翠手镯", 2), waiting("南红手串", 1)
    bob = journey(factories.StaffFactory(username="bob_e2e"), admin=True)
    bob.open(f"/admin/filings/filing/{held.pk}/change/")  # bob opens it: he holds it
    assert "您已领取此项" in bob.text("#content")

    alice = journey(factories.StaffFactory(username="alice_e2e"), admin=True)
    alice.open("/admin/filings/filing/")
    assert "bob_e2e ·" in alice.text("#result_list")  # who holds it, until when
    alice.check("filing queue with a claim")
    alice.submit("#result_list a:has-text('和田玉吊坠')")  # the first click opens the first item
    alice.check("filing page with its decisions")
    clicks = 0
    alice.submit("[data-decision=approve]"); clicks += 1  # noqa: E702
    assert Filing.objects.get(pk=first.pk).state == "approved"
    # The next filing waiting opens, skipping the one bob holds.
    assert alice.page.url.endswith(f"/admin/filings/filing/{last.pk}/change/")
    alice.page.select_option("[data-reason-templates]", "资质证书已过期")  # a kept reason, editable
    assert alice.page.input_value("textarea[name=reason]") == "资质证书已过期"
    alice.submit("[data-decision=reject]"); clicks += 1  # noqa: E702
    assert Filing.objects.get(pk=last.pk).state == "not_approved"
    assert clicks <= 2 * 2
    # Bob's filing: alice sees who holds it and has no decision to take.
    alice.open(f"/admin/filings/filing/{held.pk}/change/")
    assert "bob_e2e 正在处理" in alice.text("#content")
    assert alice.page.locator("[data-decision]").count() == 0
    alice.check("filing held by another reviewer")
    alice.screens("filing-held-by-another")
    assert Filing.objects.get(pk=held.pk).state == "under_review"
    bob.open(f"/admin/filings/filing/{held.pk}/change/")
    bob.check("filing page of its holder")
    bob.screens("filing-decisions")
