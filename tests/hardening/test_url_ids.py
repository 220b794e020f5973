"""#23.5: every URL pattern with an int converter (walked from the resolver, as the access
matrix walks them), given an id no row can have (10^30, 2^63, a 5,000-digit number), answers
as for a missing row: 404 to the person who could open such a row (405 where the URL takes
only POST and a GET came; the admin's own "no such object" redirect), the usual 403 or login
to anyone else — never a 500, and nothing changes.

Nothing in the project had to change for it: Django 5.2 reads an out-of-range value in an
integer lookup as matching no row (IntegerFieldOverflow), and a number past Python's digit
limit fails the converter (no match: 404). This walk keeps it so for every new URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.hardening.access_world import build_world
from tests.hardening.test_access_matrix import ADMIN, CREATOR_OBJ, MERCHANT_OBJ, OWN, PARTIES_FILE, PRIVATE_FILE, classify, concrete, fingerprint, walk

pytestmark = pytest.mark.django_db

HUGE = [str(10**30), str(2**63), "9" * 5000]
INT_PARAM = re.compile(r"<int:(\w+)>")
# Who could open a row of each kind: they must get "no such row".
OPENER = {MERCHANT_OBJ: "merchant_a", OWN: "merchant_a", PRIVATE_FILE: "merchant_a", PARTIES_FILE: "merchant_a",
          CREATOR_OBJ: "creator_a", ADMIN: "staff"}


def int_routes():
    return [(route, name) for route, name in walk() if INT_PARAM.search(route)]


def test_23_5_the_walk_finds_the_object_urls():
    names = {name for _route, name in int_routes()}
    assert {"samples:merchant_detail", "filings:document", "creator:session_detail", "notification_open"} <= names
    assert len(names) > 60


@pytest.mark.hardening
def test_23_5_an_id_no_row_can_have_is_never_a_500_on_any_int_url(hardening):
    world = build_world()
    before = fingerprint()
    problems, sent = [], 0
    clients = {}
    for role in ("merchant_a", "creator_a", "staff", "merchant_b"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world.users[role])
    for route, name in int_routes():
        kind = classify(route, name)
        opener = OPENER.get(kind)
        for huge in HUGE:
            url = concrete(route, dict.fromkeys(INT_PARAM.findall(route), huge))
            for role, client in clients.items():
                for method in ("get", "post"):
                    resp = getattr(client, method)(url)
                    sent += 1
                    status = resp.status_code
                    if status >= 500:
                        problems.append(f"{method.upper()} {name or route} as {role}: {status}")
                    elif role == opener:
                        admin_redirect = kind == ADMIN and status == 302 and urlsplit(resp["Location"]).path.startswith("/admin/")
                        if not (status == 404 or (status == 405 and method == "get") or admin_redirect or (kind == ADMIN and status == 403)):
                            problems.append(f"{method.upper()} {name or route} as {role}: {status}, expected 404")
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before
    hardening.hostile(sent)


@pytest.mark.hardening
def test_23_5_every_admin_object_page_given_an_id_no_row_can_have_says_it_does_not_exist(admin_user, hardening):
    """The admin's own object URLs take any text (<path:object_id>): 10^30, 2^63 or digits past
    Python's limit are "no such object" (a redirect with the admin's message), never a 500."""
    from django.contrib import admin

    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    problems, sent = [], 0
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for huge in HUGE:
            for page in ("change/", "history/", "delete/"):
                resp = client.get(f"{base}{huge}/{page}")
                sent += 1
                if resp.status_code >= 500 or resp.status_code not in (302, 403, 404):
                    problems.append(f"{base}{huge[:12]}…/{page}: {resp.status_code}")
    assert problems == [], "\n".join(problems)
    hardening.hostile(sent)
