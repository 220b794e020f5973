"""The API key pages of the workspaces: create (shown once), list, revoke; own keys only."""

from __future__ import annotations

import re

import pytest

from api.models import ApiKey
from tests.api.conftest import Api, make_key

pytestmark = pytest.mark.django_db


def test_merchant_creates_a_key_and_sees_the_secret_only_on_that_answer(merchant, merchant_client):
    response = merchant_client.post("/merchant/api-keys/", {"name": "ERP", "scopes": ["read", "samples"], "days": 90})
    assert response.status_code == 200
    secret = re.search(r"dh_[0-9a-f]{12}_[\w-]+", response.content.decode()).group(0)
    key = ApiKey.objects.get(owner=merchant.user)
    assert key.kind == "merchant" and sorted(key.scopes) == ["read", "samples"]
    assert Api(secret).get("/api/v1/merchant/sample-requests/").status_code == 200
    assert secret not in merchant_client.get("/merchant/api-keys/").content.decode()


def test_key_form_refuses_a_scope_outside_the_role_and_a_too_long_life(creator, creator_client):
    response = creator_client.post("/creator/api-keys/", {"name": "x", "scopes": ["filings"], "days": 9999})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()
    form = response.context["form"]
    assert "scopes" in form.errors and "days" in form.errors


def test_revoke_from_the_page_and_another_owners_key_is_404(merchant, merchant_client):
    key, secret = make_key(merchant.user)
    other, _ = make_key(__import__("tests.factories", fromlist=["x"]).MerchantFactory().user)
    assert merchant_client.post(f"/merchant/api-keys/{other.pk}/revoke/").status_code == 404
    merchant_client.post(f"/merchant/api-keys/{key.pk}/revoke/")
    assert Api(secret).get("/api/v1/merchant/sample-requests/").status_code == 401


def test_creator_cannot_open_the_merchant_key_page(creator_client):
    assert creator_client.get("/merchant/api-keys/").status_code == 403


def test_the_key_list_shows_the_scopes_labels_in_chinese_not_their_codes_and_is_cards_on_phones(merchant, merchant_client):
    make_key(merchant.user, scopes=["flash_sales", "samples", "read"])
    html = merchant_client.get("/merchant/api-keys/").content.decode()
    assert re.findall(r'data-testid="scopes">([^<]*)</td>', html) == ["读取、样品、闪购"]  # Scope's labels, in its order
    # Below 768 px each key is a card, every cell named (table-cards), so 撤销 is not off-screen.
    assert 'table-cards" data-testid="keys"' in html and 'data-label="权限范围"' in html and 'data-label="最近使用"' in html
