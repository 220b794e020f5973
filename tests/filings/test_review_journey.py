"""#22, done-when: one reviewer decides 20 filings in a row from the queue, as a browser would
(test client; every step reads the page it is on and follows what the page offers), with one
click per decision after the first (the decision button; the next filing opens by itself),
two where a kept reason is picked first; meanwhile a second reviewer holds one filing, which
the first never lands on and cannot decide. The filings are decided in the queue's own order
(soonest F9 deadline first, then the longest waiting)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from core.models import ReasonTemplate
from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import T0, H, travel

pytestmark = pytest.mark.django_db
QUEUE = "/admin/filings/filing/"
KEPT_REASON = "资质证书已过期，请上传有效期内的证书"


def queue_rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'<a href="{QUEUE}(\d+)/change/', html)]


def decision_buttons(html: str) -> dict[str, str]:
    """The decision buttons the page offers: name → the URL the button posts to."""
    return {name: unescape(url) for url, name in re.findall(r'formaction="([^"]+)"[^>]*data-decision="([^"]+)"', html)}


def kept_reasons(html: str, decision: str) -> list[str]:
    return [unescape(text) for text, kind in re.findall(r'<option value="([^"]+)" data-for="([^"]+)"', html) if kind == decision]


def test_22_a_reviewer_decides_20_filings_in_a_row_with_at_most_two_clicks_each(client):
    ReasonTemplate.objects.create(kind="filings.filing.reject", text=KEPT_REASON)
    with travel(T0):
        filings = []
        for i in range(21):
            filing = set_state(FilingFactory(product__title=f"待审商品{i:02d}"), Filing.State.UNDER_REVIEW, submitted_at=T0 - (30 - i) * H)
            if i % 3 == 0:  # a third have a session ahead: they are due first, the soonest at the top
                factories.LiveSessionFactory(creator=filing.creator, scheduled_start=T0 + (48 - i) * H)
            filings.append(filing)
        bob = factories.StaffFactory(username="bob_reviewer")
        alice = factories.StaffFactory(username="alice_reviewer")
        held = filings[7]
        client.force_login(bob)
        assert client.get(f"{QUEUE}{held.pk}/change/").status_code == 200  # bob opens it: he holds it (领取)

        client.force_login(alice)
        queue = client.get(QUEUE).content.decode()
        order = queue_rows(queue)
        assert sorted(order) == sorted(f.pk for f in filings)
        due_first = [f.pk for f in sorted(filings[::3], key=lambda f: f.creator.live_sessions.get().scheduled_start)]
        assert order[: len(due_first)] == due_first  # the queue's order: soonest deadline first
        expected = [pk for pk in order if pk != held.pk]

        page = client.get(f"{QUEUE}{order[0]}/change/")  # the first click: open the first item
        decided, clicks = [], []
        for n in range(20):
            html = page.content.decode()
            current = int(re.search(r"/admin/filings/filing/(\d+)/", page.wsgi_request.path).group(1))
            assert current != held.pk, "landed on the filing bob holds"
            buttons = decision_buttons(html)
            assert set(buttons) == {"approve", "reject"}
            if n % 4 == 3:  # not approved, with a kept reason: pick it (a click), then the button
                reason = kept_reasons(html, "reject")[0]
                resp, used = client.post(buttons["reject"], {"reason": reason}), 2
            else:
                resp, used = client.post(buttons["approve"], {"reason": ""}), 1
            assert resp.status_code == 302, resp.content.decode()[:500]
            clicks.append(used)
            decided.append(current)
            page = client.get(resp["Location"])  # the next item opens by itself (the redirect)
            assert page.status_code == 200
        assert decided == expected  # every filing but bob's, in the queue's order
        assert max(clicks) <= 2 and len(clicks) == 20
        assert page.wsgi_request.path == QUEUE  # nothing left to decide but bob's: back to the queue

        states = dict(Filing.objects.values_list("pk", "state"))
        assert [states[pk] for pk in decided] == [Filing.State.NOT_APPROVED if n % 4 == 3 else Filing.State.APPROVED for n in range(20)]
        assert Filing.objects.get(pk=decided[3]).review_reason == KEPT_REASON
        # bob's filing: alice is told who holds it, gets no buttons, and a forced post is refused
        html = client.get(f"{QUEUE}{held.pk}/change/").content.decode()
        assert "bob_reviewer 正在处理" in html and decision_buttons(html) == {}
        client.post(f"{QUEUE}{held.pk}/decision/approve/", {"reason": ""})
        assert states[held.pk] == Filing.objects.get(pk=held.pk).state == Filing.State.UNDER_REVIEW

