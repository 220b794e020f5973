"""T1/T3 through the API: every merchant endpoint, called with a key held by each seat of
merchant A's team (each key has every merchant scope, so only the holder's role limits it).
A new merchant endpoint fails here until the table says who of a team may call it."""

from __future__ import annotations

import pytest

from shops import team_services
from shops.models import Member
from tests.api.conftest import Api, make_key
from tests.hardening.access_world import SECRET, build_world
from tests.hardening.test_access_matrix import concrete, fingerprint, walk
from tests.shops.test_teams_access import EVERY, ONLY_OWNER, OPERATIONS, OPS, READERS, SAMPLE_DESK, SHIP_DESK

pytestmark = pytest.mark.django_db

ALL_SCOPES = ("read", "samples", "filings", "flash_sales", "alliance", "webhooks")
NOBODY: set = set()
# name (without "api:merchant-"): (who may GET, who may POST)
API_TEAM_ACCESS = {
    "sample-requests-list": (EVERY, NOBODY), "sample-requests-detail": (EVERY, NOBODY),
    "sample-requests-approve": (NOBODY, SAMPLE_DESK), "sample-requests-reject": (NOBODY, SAMPLE_DESK),
    "sample-requests-extension-grant": (NOBODY, SAMPLE_DESK), "sample-requests-extension-refuse": (NOBODY, SAMPLE_DESK),
    "sample-requests-ship": (NOBODY, SHIP_DESK), "sample-requests-reship": (NOBODY, SHIP_DESK),
    "sample-requests-ship-bulk": (NOBODY, SHIP_DESK),
    "filings-list": (READERS, NOBODY), "filings-detail": (READERS, NOBODY), "filings-documents": (READERS, NOBODY),
    "filings-appeal": (NOBODY, OPERATIONS), "filings-submit": (NOBODY, OPERATIONS), "filings-withdraw": (NOBODY, OPERATIONS),
    "flash-sales-list": (READERS, NOBODY), "flash-sales-detail": (READERS, NOBODY), "flash-sales-orders": (READERS, NOBODY),
    "alliance-removals-list": (READERS, OPERATIONS), "alliance-removals-detail": (READERS, NOBODY),
    "alliance-removals-cancel": (NOBODY, OPERATIONS),
    "webhook-endpoints-list": (ONLY_OWNER, ONLY_OWNER), "webhook-endpoints-detail": (ONLY_OWNER, NOBODY),
    "webhook-deliveries-list": (ONLY_OWNER, NOBODY), "webhook-deliveries-detail": (ONLY_OWNER, NOBODY),
    "webhook-deliveries-replay": (NOBODY, ONLY_OWNER),
}
# Which of A's objects a detail route points at (the web matrix's world).
OBJECT_OF = {"sample-requests": "samples:merchant_detail", "filings": "filings:merchant_detail",
             "alliance-removals": "merchant:alliance_removal_cancel"}
NO_OBJECT = ("webhook", "flash-sales-detail", "flash-sales-orders")  # A has none in the world: 404 for anyone allowed


def merchant_api_routes():
    for route, name in walk():
        if (name or "").startswith("api:merchant-"):
            yield route, name.removeprefix("api:merchant-")


def test_t1_every_merchant_api_endpoint_is_in_the_team_table():
    missing = sorted(name for _route, name in merchant_api_routes() if name not in API_TEAM_ACCESS)
    assert missing == [], "say who of a merchant's team may call these in API_TEAM_ACCESS: " + repr(missing)


@pytest.mark.parametrize("seat", ["merchant_a", "member_ops", "member_samples", "member_shipping", "member_readonly",
                                  "member_ops_other_shop", "member_removed"])
def test_t1_t3_each_seats_key_calls_exactly_what_its_role_allows(seat):
    world = build_world()
    holder = world.users[seat]
    _key, secret = _removed_key(holder) if seat == "member_removed" else make_key(holder, scopes=ALL_SCOPES, kind="merchant")
    api = Api(secret)
    role = OPS if seat == "member_ops_other_shop" else seat
    before = fingerprint()
    problems = []
    for route, name in merchant_api_routes():
        get_roles, post_roles = API_TEAM_ACCESS[name]
        group = next((g for g in OBJECT_OF if name.startswith(g)), None)
        pk = world.kwargs[OBJECT_OF[group]]["pk"] if group else 1
        url = concrete(route.replace("api/v1/^", "api/v1/").replace("$", ""), {"pk": pk})
        for method, roles in (("GET", get_roles), ("POST", post_roles)):
            if not roles and method == "POST":
                continue  # the endpoint takes no POST
            if not roles and method == "GET":
                continue
            allowed = role in roles and seat != "member_removed"
            if allowed and method == "POST":
                continue  # it would act: the API's own tests do that
            response = api.get(url) if method == "GET" else api.post(url, {})
            status = response.status_code
            if seat == "member_removed":
                ok = status == 401
            elif not allowed:
                ok = status == 403
            elif seat == "member_ops_other_shop" and (url.rstrip("/").split("/")[-1].isdigit() or name.endswith(("documents", "orders"))):
                ok = status == 404  # A's objects live in a shop this member is not given
            else:
                ok = status in (200, 404) if name.startswith(NO_OBJECT) else status == 200
            if not ok:
                problems.append(f"{method} {url} ({name}) as {seat}: {status} {response.content[:120]!r}")
            if seat == "member_ops_other_shop" and SECRET in response.content.decode(errors="replace"):
                problems.append(f"{method} {url} ({name}) as {seat}: shows another shop's data")
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before, "a refused call changed the database"


def _removed_key(user):
    """A key of a member made while it was in the team: the world removed it afterwards, so put
    it back for the key, then remove it again (through the services both times)."""
    member = Member.objects.get(user=user)
    merchant = member.merchant
    team_services.member_add(merchant=merchant, by=merchant.user, login=user.username, name=member.name, role=member.role)
    made = make_key(user, scopes=ALL_SCOPES, kind="merchant")
    team_services.member_remove(member=Member.objects.get(user=user), by=merchant.user)
    return made
