"""Who may open what: every URL pattern of the project (walked from the resolver, so a new
one fails here until it is classified below), requested by anonymous, merchant A, merchant
B, creator A, creator B and a platform reviewer, with GET and with an empty POST, on objects
that belong to A. Outcomes: login redirect, 403 or 404 for whoever is not allowed, never
another's data (no SECRET in any page B or an anonymous visitor sees), and nothing in the
database changes when they try."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_fsm_log.models import StateLog

from tests.hardening.access_world import SECRET, build_world

pytestmark = pytest.mark.django_db

# --- The classification ------------------------------------------------------------------
PUBLIC = "public"  # anyone: no login (login page, language switch, public pictures, the buyer's live room)
SIGNED_IN = "signed in"  # any signed-in person
MERCHANT = "merchant"  # the merchant workspace, scoped to the merchant's own data
MERCHANT_OBJ = "merchant's object"  # one of merchant A's objects: another merchant gets a 404
CREATOR = "creator"
CREATOR_OBJ = "creator's object"
CREATOR_SHARED = "any creator"  # marketplace objects every creator may see
PRIVATE_FILE = "private file"  # its owner and platform reviewers; anyone else a 404
PARTIES_FILE = "parties' file"  # both parties (merchant A and creator A) and reviewers; anyone else a 404
VIEWER = "viewer"  # live-room actions: need the viewer's token (a 404 without it)
ADMIN = "admin"  # platform staff only: anyone else is sent to the admin login
OWN = "own object"  # any signed-in person's own object (here merchant A's): anyone else gets a 404
API_KEY = "api key"  # /api/v1/: a key, never a session: without one 401 (or 403/405), for everyone
STAFF_OR_TOKEN = "staff or scraper token"  # metrics: staff, or a scraper's bearer token; anyone else 401/403

ACCESS = {
    "home": SIGNED_IN, "login": PUBLIC, "logout": PUBLIC, "password_change": SIGNED_IN, "password_change_done": SIGNED_IN,
    "set_language": PUBLIC, "notifications": SIGNED_IN, "notifications_mark_read": SIGNED_IN,
    "filings:merchant_list": MERCHANT, "filings:declare": MERCHANT, "filings:merchant_detail": MERCHANT_OBJ,
    "filings:merchant_withdraw": MERCHANT_OBJ, "filings:creator_list": CREATOR, "filings:document": PRIVATE_FILE,
    "filings:document_preview": PRIVATE_FILE,
    "filings:merchant_appeal": MERCHANT_OBJ, "filings:merchant_appeal_withdraw": MERCHANT_OBJ, "filings:appeal_evidence": PRIVATE_FILE,
    "samples:creator_appeal": CREATOR_OBJ, "samples:creator_appeal_withdraw": CREATOR_OBJ, "samples:appeal_evidence": PARTIES_FILE,
    "merchant:dashboard": MERCHANT, "merchant:shops": MERCHANT, "merchant:products": MERCHANT, "merchant:product_create": MERCHANT,
    "merchant:product_detail": MERCHANT_OBJ, "merchant:product_edit": MERCHANT_OBJ, "merchant:product_sale": MERCHANT_OBJ,
    "merchant:product_alliance": MERCHANT_OBJ, "merchant:sample_switch": MERCHANT_OBJ, "merchant:shop_type_change": MERCHANT_OBJ,
    "merchant:shop_close": MERCHANT_OBJ, "merchant:alliance": MERCHANT, "merchant:alliance_remove": MERCHANT,
    "merchant:alliance_removal_cancel": MERCHANT_OBJ, "merchant:alliance_removal_announce": MERCHANT_OBJ,
    "creator:dashboard": CREATOR, "creator:marketplace": CREATOR, "creator:marketplace_detail": CREATOR_SHARED,
    "creator:showcase": CREATOR, "creator:showcase_add": CREATOR, "creator:showcase_remove": CREATOR_OBJ,
    "creator:sessions": CREATOR, "creator:session_create": CREATOR, "creator:session_detail": CREATOR_OBJ,
    "creator:session_transition": CREATOR_OBJ, "creator:cart_add": CREATOR_OBJ, "creator:cart_item_action": CREATOR_OBJ,
    "creator:videos": CREATOR, "creator:video_publish": CREATOR, "creator:account_mode": CREATOR, "creator:showcase_addable": CREATOR,
    "flashsales:creator_list": CREATOR, "flashsales:console": CREATOR_OBJ, "flashsales:end": CREATOR_OBJ,
    "flashsales:creator_report": CREATOR, "flashsales:merchant_list": MERCHANT, "flashsales:merchant_report": MERCHANT,
    "flashsales:picture": PUBLIC, "flashsales:report_attachment": PRIVATE_FILE,
    "flashsales:live_room": PUBLIC, "flashsales:live_join": PUBLIC, "flashsales:live_comment": VIEWER,
    "flashsales:live_buy": VIEWER, "flashsales:live_inbox_read": VIEWER,
    "samples:creator_list": CREATOR, "samples:creator_request": CREATOR_SHARED, "samples:creator_score": CREATOR,
    "samples:creator_detail": CREATOR_OBJ, "samples:creator_withdraw": CREATOR_OBJ, "samples:creator_receive": CREATOR_OBJ,
    "samples:creator_promote": CREATOR_OBJ, "samples:creator_extension": CREATOR_OBJ, "samples:creator_not_arrived": CREATOR_OBJ,
    "samples:merchant_inbox": MERCHANT, "samples:merchant_bulk": MERCHANT, "samples:merchant_detail": MERCHANT_OBJ,
    "samples:merchant_decide": MERCHANT_OBJ, "samples:merchant_ship": MERCHANT_OBJ, "samples:merchant_extension": MERCHANT_OBJ,
    "samples:merchant_reship": MERCHANT_OBJ, "samples:merchant_quotas": MERCHANT, "samples:merchant_quota_set": MERCHANT_OBJ,
    "samples:merchant_rules": MERCHANT, "samples:merchant_rule_create": MERCHANT, "samples:merchant_rule_switch": MERCHANT_OBJ,
    "samples:merchant_blocks": MERCHANT, "samples:merchant_block_create": MERCHANT, "samples:merchant_block_lift": MERCHANT_OBJ,
    "samples:merchant_returns": MERCHANT, "samples:merchant_returns_csv": MERCHANT, "samples:merchant_stats": MERCHANT,
    # 批量发货 (issue 24): the upload page and the templates; a result and its refused rows are one upload's
    "samples:merchant_ship_sheet": MERCHANT, "samples:merchant_ship_sheet_xlsx": MERCHANT, "samples:merchant_ship_sheet_csv": MERCHANT,
    "samples:merchant_ship_sheet_result": MERCHANT_OBJ, "samples:merchant_ship_sheet_refused": MERCHANT_OBJ,
    # The admin's own login page, and its logout (a GET only redirects to the admin's front door);
    # every other admin URL is ADMIN (classified by namespace below).
    "admin:login": PUBLIC, "admin:logout": PUBLIC,
    # Operations (#15): probes are public and say nothing private; metrics need staff or the token.
    "healthz": PUBLIC, "readyz": PUBLIC, "metrics": STAFF_OR_TOKEN,
    # The address book (#13): the creator's own addresses; another creator gets a 404.
    "samples:creator_addresses": CREATOR, "samples:creator_address_new": CREATOR, "samples:creator_address_edit": CREATOR_OBJ,
    "samples:creator_address_default": CREATOR_OBJ, "samples:creator_address_delete": CREATOR_OBJ,
    # API keys (#14): each owner manages their own; revoking another's key is a 404.
    "api_keys:merchant": MERCHANT, "api_keys:merchant_revoke": MERCHANT_OBJ,
    "api_keys:creator": CREATOR, "api_keys:creator_revoke": CREATOR_OBJ,
    # Opening a notification (#13) marks the person's own one read: another's is a 404.
    "notification_open": OWN,
    # Confirmation steps (#13): pages that say what a one-way action will do.
    "creator:session_transition_confirm": CREATOR_OBJ, "samples:creator_receive_confirm": CREATOR_OBJ,
    "samples:merchant_bulk_decline_confirm": MERCHANT,
    # Webhooks (#14): the merchant's endpoints and deliveries.
    "api_keys:webhooks": MERCHANT, "api_keys:webhook_delete": MERCHANT_OBJ, "api_keys:webhook_replay": MERCHANT_OBJ,
    # T1–T4: the owner's team pages; a new member's invitation link (the token says who).
    "merchant:team": MERCHANT, "merchant:team_member": MERCHANT_OBJ, "merchant:team_member_remove": MERCHANT_OBJ,
    "merchant:team_transfer": MERCHANT, "team_invite": PUBLIC,
    # The API's schema and docs page are public (they describe, they hold no data).
    "api:schema": PUBLIC, "api:docs": PUBLIC, "api:not_found": PUBLIC,  # any other /api/ path: a 404 problem
}
# Unnamed patterns, by route: public product pictures (media), and the ops endpoints of #15.
PUBLIC_MEDIA_PREFIX = "^media/(?P<path>products/"
ACCESS_BY_ROUTE = {
    "healthz": PUBLIC, "healthz/": PUBLIC, "readyz": PUBLIC, "readyz/": PUBLIC,
    "api/v1/docs/": PUBLIC,  # config/urls.py: the docs page with its script as a file (the CSP)
}
# Concrete values for routes the table above does not point at an object (admin, media).
SAMPLE_VALUES = {"object_id": "1", "id": "1", "content_type_id": "1", "app_label": "shops", "url": "no-such-page/",
                 "path": "products/" + "0" * 32 + ".png"}
# POSTing these would sign the client out or switch its language for the next requests.
NO_POST = {"logout", "set_language", "admin:logout"}


def walk(resolver=None, prefix="", namespace=None):
    """Every URL pattern: (full route, name with namespace or None, converter names)."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = ":".join(filter(None, [namespace, p.name])) if p.name else None
            yield prefix + str(p.pattern), name


def classify(route: str, name: str | None) -> str | None:
    if name in ACCESS:
        return ACCESS[name]
    if route in ACCESS_BY_ROUTE:
        return ACCESS_BY_ROUTE[route]
    if route.startswith(PUBLIC_MEDIA_PREFIX):  # the product-picture route, whatever extensions it allows
        return PUBLIC
    if route.startswith("admin/"):
        return ADMIN
    if route.startswith("api/v1/") and (name or "").startswith("api:"):
        return API_KEY
    return None


def concrete(route: str, values: dict) -> str:
    """The route with its parameters filled: <conv:name> and (?P<name>…) groups."""
    def value(name):
        return str(values.get(name, SAMPLE_VALUES.get(name, "1")))

    path = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", lambda m: value(m.group(1)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


def test_every_url_pattern_is_classified():
    """A new endpoint fails here until someone decides who may open it."""
    unclassified = [(route, name) for route, name in walk() if classify(route, name) is None]
    assert unclassified == [], "classify these in tests/hardening/test_access_matrix.py ACCESS: " + repr(unclassified)


def fingerprint() -> tuple:
    """What people can change: every row count of the product's apps, and every state change recorded."""
    counts = tuple(
        (m._meta.label, m.objects.count())
        for app in ("core", "shops", "filings", "samples", "flashsales") for m in apps.get_app_config(app).get_models()
    )
    return counts, StateLog.objects.count()


def is_login_redirect(response, admin=False) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"]).path
    return target == ("/admin/login/" if admin else "/accounts/login/")


def expectation(kind: str, role: str, method: str, name: str | None):
    """The statuses allowed for `role` on a URL of `kind` (A's object where it points at one)."""
    owner = role.endswith("_a")
    merchant, creator, staff, anon = role.startswith("merchant"), role.startswith("creator"), role == "staff", role == "anonymous"
    ok = {200, 302, 405} if method == "GET" else None  # the owner's POST is not sent: it would act
    if kind == PUBLIC:
        return "public"
    if kind == ADMIN:
        return "admin-ok" if staff else "admin-login"
    if anon and kind in (SIGNED_IN, MERCHANT, MERCHANT_OBJ, CREATOR, CREATOR_OBJ, CREATOR_SHARED):
        return "login"
    if kind == SIGNED_IN:
        return ok
    if kind == OWN:
        if anon:
            return "login"
        return ok if role == "merchant_a" else ({404, 405} if method == "GET" else {404})
    if kind in (MERCHANT, MERCHANT_OBJ):
        if not merchant:
            return {403}
        return ok if (kind == MERCHANT or owner) else ({404, 405} if method == "GET" else {404})
    if kind in (CREATOR, CREATOR_OBJ, CREATOR_SHARED):
        if not creator:
            return {403}
        return ok if (kind != CREATOR_OBJ or owner) else ({404, 405} if method == "GET" else {404})
    if kind == PARTIES_FILE:  # AP5: a sample appeal's evidence, for the creator who appealed and the merchant
        if staff or role in ("merchant_a", "creator_a"):
            return {200} if method == "GET" else {200, 405}
        return "login-or-404" if anon else {404, 405}
    if kind == PRIVATE_FILE:  # the owner here is merchant A (the filing's merchant, the report's reporter)
        if staff or role == "merchant_a":
            return {200} if method == "GET" else {200, 405}
        return "login-or-404" if anon else {404, 405}
    if kind == STAFF_OR_TOKEN:
        return ({200} if method == "GET" else {200, 405}) if staff else {401, 403, 405}
    if kind == VIEWER:
        return {405} if method == "GET" else {404}
    if kind == API_KEY:  # a browser session is no API key, whoever holds it
        return {401, 403, 405}
    raise AssertionError(kind)


ROLES = ["anonymous", "merchant_a", "merchant_b", "creator_a", "creator_b", "staff"]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_every_url_for_every_role(role):
    world = build_world()
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    others = role in ("anonymous", "merchant_b", "creator_b")
    before = fingerprint()
    problems, checked = [], 0
    for route, name in walk():
        kind = classify(route, name)
        if kind is None:
            continue  # reported by test_every_url_pattern_is_classified
        if kind == ADMIN and role == "staff" and name != "admin:index":
            continue  # reviewers' pages are covered by the admin smoke tests; here: who is kept out
        url = concrete(route, world.kwargs.get(name, {}))
        assert resolve(urlsplit(url).path).route is not None
        # Not POSTed: what the person is allowed to do (it would act), and the admin (kept out on GET already).
        allowed_to_act = (role.endswith("_a") and kind in (MERCHANT_OBJ, CREATOR_OBJ)) or (role == "merchant_a" and kind == OWN) or (role.startswith("creator") and kind == CREATOR_SHARED)
        methods = ["GET"] if (name in NO_POST or allowed_to_act or kind == ADMIN) else ["GET", "POST"]
        for method in methods:
            response = client.get(url) if method == "GET" else client.post(url, {})
            checked += 1
            want = expectation(kind, role, method, name)
            status = response.status_code
            wrong = (
                (want == "login" and not is_login_redirect(response))
                or (want == "login-or-404" and not (status == 404 or is_login_redirect(response)))
                or (want == "admin-login" and not is_login_redirect(response, admin=True))
                or (want == "admin-ok" and (status >= 400 or is_login_redirect(response, admin=True)))
                # (the readiness probe answers 503 when a service is down: that is its job, not an error)
                or (want == "public" and ((status >= 500 and not (name == "readyz" and status == 503)) or is_login_redirect(response)))
                or (isinstance(want, set) and status not in want)
            )
            if wrong:
                problems.append(f"{method} {url} ({name or route}, {kind}) as {role}: {status} {response.get('Location', '')}; expected {want}")
            if others and not response.streaming and SECRET in response.content.decode(errors="replace"):
                problems.append(f"{method} {url} ({name or route}) as {role}: shows A's data")
    assert problems == [], "\n".join(problems)
    assert checked > 100
    if role != "merchant_a" and role != "creator_a":
        assert fingerprint() == before, "a refused request changed the database"
