"""#23.5: an admin bulk action whose selection was tampered with (`_selected_action` = abc,
empty, 10^30, a NUL byte and the rest of the id corpus) is a page that says nothing was
changed (400, in Chinese), for every registered admin and every action it offers, and
nothing changes, not even for the valid row posted beside the bad value.

Before the fix the filing, sample-request, flash-sale and creator admins (and every other one)
answered 500: Django hands the posted values to `filter(pk__in=…)` as they came. The guard
is the admin site's (core.admin_site.PlatformAdminSite), so every admin has it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client, RequestFactory

from core.admin_site import SELECTION_INVALID, PlatformAdminSite
from filings.models import Filing
from samples.models import SampleRequest
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.hardening.access_world import build_world
from tests.hardening.test_access_matrix import fingerprint

pytestmark = pytest.mark.django_db

BAD = [i["value"] for i in json.loads((Path(__file__).parent / "corpus" / "ids.json").read_text())["inputs"]]
REFUSED = "所选条目无效"  # the start of SELECTION_INVALID in Chinese


def changelist(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def every_action(user):
    """(model, its admin, action name) for every registered admin and action the user gets."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            yield model, model_admin, name


def test_23_5_the_admin_site_is_the_platforms():
    assert isinstance(admin.site, PlatformAdminSite)
    assert str(SELECTION_INVALID).startswith(REFUSED)  # in Chinese by default


@pytest.mark.hardening
def test_23_5_every_admin_action_with_a_tampered_selection_is_refused_and_changes_nothing(hardening):
    build_world()  # a row in every table an admin lists
    root = factories.StaffFactory(username="root")
    client = Client(raise_request_exception=False)
    client.force_login(root)
    assert "abc" in BAD and "" in BAD and str(10**30) in BAD and "1\x00" in BAD
    before = fingerprint()
    problems, sent = [], 0
    actions = list(every_action(root))
    assert len(actions) > 20
    for model, _admin, name in actions:
        first = model._default_manager.values_list("pk", flat=True).first()
        for bad in BAD:
            # The bad value beside a real row: refused whole, the real row untouched too.
            selection = [bad] if first is None else [str(first), bad]
            for extra in ({}, {"apply": "1", "reason": "批量处理", "post": "yes"}):
                resp = client.post(changelist(model), {"action": name, "index": "0", ACTION_CHECKBOX_NAME: selection, **extra})
                sent += 1
                html = resp.content.decode(errors="replace")
                if resp.status_code != 400 or REFUSED not in html:
                    problems.append(f"{model._meta.label}.{name} {bad!r} {extra and 'apply'}: {resp.status_code}")
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before, "a refused selection changed the database"
    hardening.hostile(sent)


@pytest.mark.hardening
@pytest.mark.parametrize("bad", ["abc", "", str(10**30), "1\x00"])
def test_23_5_the_four_admins_named_in_the_issue_refuse_and_keep_their_rows(admin_client, bad, hardening):
    from tests.flashsales.factories import FlashSaleFactory
    from tests.samples.factories import request_at

    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    sample = request_at()
    sale = FlashSaleFactory()
    creator = factories.CreatorFactory()
    cases = [
        (Filing, "approve_selected", filing), (SampleRequest, "override_cancel", sample),
        (type(sale), "end_selected", sale), (type(creator), "mark_specific", creator),
    ]
    for model, action, row in cases:
        before = model._default_manager.filter(pk=row.pk).values().get()
        resp = admin_client.post(
            changelist(model), {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [row.pk, bad], "apply": "1", "reason": "x"}
        )
        assert resp.status_code == 400
        assert 'data-testid="selection-refused"' in resp.content.decode() and REFUSED in resp.content.decode()
        assert model._default_manager.filter(pk=row.pk).values().get() == before
        hardening.hostile()


def test_23_5_a_real_selection_still_runs_the_action(admin_client):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    resp = admin_client.post(
        changelist(Filing), {"action": "approve_selected", "index": "0", ACTION_CHECKBOX_NAME: [filing.pk], "apply": "1", "reason": ""}
    )
    assert resp.status_code == 302
    filing.refresh_from_db()
    assert filing.state == Filing.State.APPROVED


def test_23_5_anonymous_posts_are_still_sent_to_the_login_not_told_about_the_selection(client):
    resp = client.post(changelist(Filing), {"action": "approve_selected", "index": "0", ACTION_CHECKBOX_NAME: ["abc"]})
    assert resp.status_code == 302 and resp["Location"].startswith("/admin/login/")
