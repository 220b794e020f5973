"""T1/T3: every merchant URL pattern, for each seat of merchant A's team (the owner, one
member per role, an operations member limited to another shop, a removed member).

The table below says, in the words of RULES.md T1, which seats may open (GET) and use
(POST) each merchant page; the views declare what they need in code. This test proves both
agree, and fails for a new merchant URL until someone decides who of a team may use it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.hardening.access_world import SECRET, build_world
from tests.hardening.test_access_matrix import MERCHANT, MERCHANT_OBJ, PARTIES_FILE, PRIVATE_FILE, classify, concrete, fingerprint, walk

pytestmark = pytest.mark.django_db

OWNER, OPS, SAMPLES, SHIPPING, READONLY = "merchant_a", "member_ops", "member_samples", "member_shipping", "member_readonly"
EVERY = {OWNER, OPS, SAMPLES, SHIPPING, READONLY}
READERS = {OWNER, OPS, SAMPLES, READONLY}  # 发货 sees the sample pages it ships from, and nothing else
ONLY_OWNER = {OWNER}
OPERATIONS = {OWNER, OPS}  # products, filings, the alliance
SAMPLE_DESK = {OWNER, SAMPLES}  # decisions, extensions, quotas, triage rules, blocklist
SHIP_DESK = {OWNER, SHIPPING}

# name: (who may GET, who may POST)
TEAM_ACCESS = {
    "merchant:dashboard": (EVERY, EVERY),
    "merchant:shops": (READERS, READERS), "merchant:products": (READERS, READERS),
    "merchant:product_create": (OPERATIONS, OPERATIONS), "merchant:product_detail": (READERS, READERS),
    "merchant:product_edit": (OPERATIONS, OPERATIONS), "merchant:product_sale": (OPERATIONS, OPERATIONS),
    "merchant:product_alliance": (OPERATIONS, OPERATIONS), "merchant:sample_switch": (OPERATIONS, OPERATIONS),
    "merchant:alliance": (READERS, READERS), "merchant:alliance_remove": (OPERATIONS, OPERATIONS),
    "merchant:alliance_removal_cancel": (OPERATIONS, OPERATIONS), "merchant:alliance_removal_announce": (OPERATIONS, OPERATIONS),
    "merchant:shop_type_change": (ONLY_OWNER, ONLY_OWNER), "merchant:shop_close": (ONLY_OWNER, ONLY_OWNER),
    "merchant:team": (ONLY_OWNER, ONLY_OWNER), "merchant:team_member": (ONLY_OWNER, ONLY_OWNER),
    "merchant:team_member_remove": (ONLY_OWNER, ONLY_OWNER), "merchant:team_transfer": (ONLY_OWNER, ONLY_OWNER),
    "filings:merchant_list": (READERS, READERS), "filings:declare": (OPERATIONS, OPERATIONS),
    "filings:merchant_detail": (READERS, OPERATIONS), "filings:merchant_withdraw": (OPERATIONS, OPERATIONS),
    "filings:merchant_appeal": (OPERATIONS, OPERATIONS), "filings:merchant_appeal_withdraw": (OPERATIONS, OPERATIONS),
    "filings:document": (READERS, READERS), "filings:document_preview": (READERS, READERS),
    "filings:appeal_evidence": (READERS, READERS),
    "flashsales:merchant_list": (READERS, READERS), "flashsales:merchant_report": (READERS, READERS),
    "samples:merchant_inbox": (EVERY, EVERY), "samples:merchant_detail": (EVERY, EVERY),
    "samples:merchant_decide": (SAMPLE_DESK, SAMPLE_DESK), "samples:merchant_bulk": (SAMPLE_DESK, SAMPLE_DESK),
    "samples:merchant_bulk_decline_confirm": (SAMPLE_DESK, SAMPLE_DESK), "samples:merchant_extension": (SAMPLE_DESK, SAMPLE_DESK),
    "samples:merchant_ship": (SHIP_DESK, SHIP_DESK), "samples:merchant_reship": (SHIP_DESK, SHIP_DESK),
    "samples:merchant_ship_sheet": (SHIP_DESK, SHIP_DESK), "samples:merchant_ship_sheet_xlsx": (SHIP_DESK, SHIP_DESK),
    "samples:merchant_ship_sheet_csv": (SHIP_DESK, SHIP_DESK), "samples:merchant_ship_sheet_result": (SHIP_DESK, SHIP_DESK),
    "samples:merchant_ship_sheet_refused": (SHIP_DESK, SHIP_DESK),
    "samples:merchant_quotas": (READERS, READERS), "samples:merchant_quota_set": (SAMPLE_DESK, SAMPLE_DESK),
    "samples:merchant_rules": (READERS, READERS), "samples:merchant_rule_create": (SAMPLE_DESK, SAMPLE_DESK),
    "samples:merchant_rule_switch": (SAMPLE_DESK, SAMPLE_DESK), "samples:merchant_blocks": (READERS, READERS),
    "samples:merchant_block_create": (SAMPLE_DESK, SAMPLE_DESK), "samples:merchant_block_lift": (SAMPLE_DESK, SAMPLE_DESK),
    "samples:merchant_returns": (READERS, READERS), "samples:merchant_returns_csv": (READERS, READERS),
    "samples:merchant_stats": (READERS, READERS), "samples:appeal_evidence": (EVERY, EVERY),
    "api_keys:merchant": (ONLY_OWNER, ONLY_OWNER), "api_keys:merchant_revoke": (ONLY_OWNER, ONLY_OWNER),
    "api_keys:webhooks": (ONLY_OWNER, ONLY_OWNER), "api_keys:webhook_delete": (ONLY_OWNER, ONLY_OWNER),
    "api_keys:webhook_replay": (ONLY_OWNER, ONLY_OWNER),
}
# The reporter's own file (a problem report is a person's, not the team's).
NOT_TEAM = {"flashsales:report_attachment"}
# The blocklist is the merchant's, not a shop's (V5): a member limited to some shops reads it whole.
MERCHANT_WIDE = {"samples:merchant_blocks"}


def merchant_urls():
    for route, name in walk():
        kind = classify(route, name)
        if kind in (MERCHANT, MERCHANT_OBJ) or (kind in (PRIVATE_FILE, PARTIES_FILE) and name not in NOT_TEAM and not name.startswith("creator")):
            yield route, name, kind


def test_t1_every_merchant_url_is_in_the_team_table():
    missing = sorted(name for _route, name, _kind in merchant_urls() if name not in TEAM_ACCESS)
    assert missing == [], "say who of a merchant's team may use these in TEAM_ACCESS: " + repr(missing)


def _ok(status: int) -> bool:
    return status in (200, 302, 405)


@pytest.mark.parametrize("seat", [OWNER, OPS, SAMPLES, SHIPPING, READONLY, "member_ops_other_shop", "member_removed"])
def test_t1_t3_each_seat_opens_exactly_what_its_role_allows(seat):
    world = build_world()
    client = Client()
    client.force_login(world.users[seat])
    before = fingerprint()
    problems = []
    for route, name, kind in merchant_urls():
        get_roles, post_roles = TEAM_ACCESS[name]
        url = concrete(route, world.kwargs.get(name, {}))
        for method, roles in (("GET", get_roles), ("POST", post_roles)):
            role = OPS if seat == "member_ops_other_shop" else seat
            allowed = role in roles and seat != "member_removed"
            if allowed and method == "POST":
                continue  # it would act: the services' tests do that
            response = client.get(url) if method == "GET" else client.post(url, {})
            status = response.status_code
            if kind in (PRIVATE_FILE, PARTIES_FILE) and not allowed:
                want_ok = status == 404  # a private file is never confirmed to exist
            elif seat == "member_removed":
                want_ok = status == 403 or (status == 302 and urlsplit(response["Location"]).path == "/accounts/login/")
            elif not allowed:
                want_ok = status == 403 and ("主账号" in response.content.decode() or "角色" in response.content.decode()
                                             or "成员" in response.content.decode())
            elif seat == "member_ops_other_shop" and kind != MERCHANT:
                want_ok = status in (404, 405)  # A's objects live in the shop this member is not given (405: POST-only)
            else:
                want_ok = _ok(status)
            if not want_ok:
                problems.append(f"{method} {url} ({name}) as {seat}: {status}")
            if seat == "member_ops_other_shop" and name not in MERCHANT_WIDE and not response.streaming and SECRET in response.content.decode(errors="replace"):
                problems.append(f"{method} {url} ({name}) as {seat}: shows another shop's data")
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before, "a refused request changed the database"
