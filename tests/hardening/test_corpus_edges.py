"""The hostile corpus, second part (#23 "Nothing hangs, nothing lies"): the API's edges
(corpus/api.json), spreadsheet formulas in CSV exports (formulas.json), values the on/off
switches never send (switches.json) and webhook names rebound to internal addresses
(targets.json). Each input is counted as it is sent (the hardening fixture)."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pytest
from django.test import Client

from api.webhooks.delivery import UNREACHABLE, webhook_endpoint_create
from api.webhooks.models import Event, WebhookDelivery
from core.csv_cells import FORMULA_START
from core.forms import SWITCH_INVALID
from samples.models import TriageRule
from samples.services.requests import sample_request_approve
from shops.models import AllianceListing, Product
from tests import factories
from tests.api.conftest import make_key
from tests.api.receiver import Listener
from tests.samples.factories import T0, request_at, shipped_at, travel, triage_rule

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
API = json.loads((CORPUS / "api.json").read_text())["inputs"]
FORMULAS = json.loads((CORPUS / "formulas.json").read_text())["inputs"]
SWITCHES = json.loads((CORPUS / "switches.json").read_text())["inputs"]
TARGETS = json.loads((CORPUS / "targets.json").read_text())["inputs"]
PROBLEM = "application/problem+json"


def _keyed(user, scopes=("read", "samples")) -> dict:
    _key, secret = make_key(user, scopes)
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.hardening
def test_corpus_every_hostile_api_request_is_a_problem_never_a_500_nor_echoed(merchant, creator, hardening):
    client = Client()
    as_merchant = _keyed(merchant.user, ("read", "samples", "filings", "flash_sales"))
    as_creator = _keyed(creator.user)
    failures = []
    for n, entry in enumerate(API):
        if "path" in entry:
            response = client.get(entry["path"], headers=as_merchant)
        else:
            raw = entry.get("raw") if "raw_depth" not in entry else "[" * entry["raw_depth"] + "]" * entry["raw_depth"]
            body = raw if raw is not None else json.dumps(entry["body"])
            response = client.post(entry["post"], body, content_type="application/json",
                                   headers={**as_creator, "Idempotency-Key": f"corpus-{n}"})
        hardening.hostile()
        where = f"{entry['id']}: {response.status_code} {response.get('Content-Type')}"
        if response.status_code != entry["status"]:
            failures.append(where)
        elif response.status_code >= 400 and response["Content-Type"] != PROBLEM:
            failures.append(where + " (not a problem)")
        elif entry.get("echo") and entry["echo"] in response.content.decode():
            failures.append(where + " (echoes the input)")
    assert failures == []


@pytest.mark.hardening
def test_corpus_every_formula_nickname_is_text_in_the_returns_csv(client, hardening):
    with travel(T0):
        sample = shipped_at(T0)
    client.force_login(sample.merchant.user)
    failures = []
    for entry in FORMULAS:
        sample.creator.nickname = entry["value"]
        sample.creator.save(update_fields=["nickname"])
        response = client.get("/merchant/samples/returns.csv")
        hardening.hostile()
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        _header, line = list(csv.reader(io.StringIO(text)))
        if line[0] != "'" + entry["value"] or any(cell.startswith(FORMULA_START) for cell in line):
            failures.append(f"{entry['id']}: {line[:3]!r}")
    assert failures == []


@pytest.mark.hardening
def test_corpus_every_value_a_switch_never_sends_is_a_400_and_changes_nothing(client, hardening):
    listing = factories.AllianceListingFactory(sample_support=True)
    product = listing.product
    Product.objects.filter(pk=product.pk).update(sale_status=Product.SaleStatus.ON_SALE)
    rule = triage_rule(shop=product.shop, min_followers=1000)
    client.force_login(product.shop.merchant.user)
    posts = [(f"/merchant/products/{product.pk}/sale/", "action"), (f"/merchant/products/{product.pk}/samples-switch/", "enabled"),
             (f"/merchant/samples/rules/{rule.pk}/switch/", "on")]
    failures = []
    for entry in SWITCHES:
        for url, field in posts:
            response = client.post(url, {field: entry["value"]})
            hardening.hostile()
            if response.status_code != 400 or str(SWITCH_INVALID) not in response.content.decode():
                failures.append(f"{entry['id']} → {url}: {response.status_code}")
    assert failures == []
    assert Product.objects.get(pk=product.pk).sale_status == Product.SaleStatus.ON_SALE
    assert AllianceListing.objects.get(pk=listing.pk).sample_support is True
    assert TriageRule.objects.get(pk=rule.pk).is_active is True


@pytest.mark.hardening
def test_corpus_no_rebound_webhook_name_reaches_an_internal_address(monkeypatch, django_capture_on_commit_callbacks, hardening):
    real_resolve = socket.getaddrinfo
    answers: dict[str, list[str]] = {}
    dialled: list[str] = []

    def resolve(host, port, *args, **kwargs):
        if host not in answers:
            return real_resolve(host, port, *args, **kwargs)
        address = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    def connect(address, *args, **kwargs):
        dialled.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")  # no network in tests

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    failures = []
    with Listener() as internal:
        for entry in TARGETS:
            for first in ("93.184.216.34", entry["address"]):  # rebinding, and straight to it
                host = f"{entry['id']}-{len(dialled)}-{first.replace('.', '-')}.rebind.test"
                answers[host] = [first, entry["address"]]
                sample = request_at(T0)
                webhook_endpoint_create(merchant=sample.merchant, url=f"https://{host}:{internal.port}/hooks",
                                        events=[Event.SAMPLE_STATE_CHANGED])
                with travel(T0), django_capture_on_commit_callbacks(execute=True):
                    sample_request_approve(sample=sample, by=sample.merchant.user)
                hardening.hostile()
                delivery = WebhookDelivery.objects.get(endpoint__url__contains=host)
                if delivery.last_response != str(UNREACHABLE):
                    failures.append(f"{entry['id']} first={first}: {delivery.last_response!r}")
    assert failures == []
    assert internal.connections == 0 and set(dialled) <= {"93.184.216.34"}
