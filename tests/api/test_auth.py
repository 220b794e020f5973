"""Who may call what: keys (API2), kinds, scopes and the owner's scope of data (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from api import auth, permissions
from api.keys import api_key_create, api_key_revoke
from api.models import ApiKey, hash_secret
from tests import factories
from tests.api.conftest import Api
from tests.samples.factories import T0, reload, request_at, travel

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/merchant/sample-requests/"


def test_api_key_secret_is_shown_once_and_stored_hashed(merchant):
    key, secret = api_key_create(owner=merchant.user, name="ERP", scopes=["read"], days=30)
    assert secret.startswith(f"dh_{key.lookup}_")
    assert secret not in key.secret_hash and key.secret_hash == hash_secret(secret)
    assert ApiKey.objects.filter(secret_hash__contains=secret[-20:]).count() == 0


def test_api_no_key_is_401_problem(db):
    response = Api(None).get(INBOX)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == str(auth.KEY_MISSING)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_api_unknown_key_is_401(db):
    response = Api("dh_abcdef123456_nope").get(INBOX)
    assert response.status_code == 401 and response.json()["detail"] == str(auth.KEY_INVALID)


def test_api_wrong_secret_of_a_real_key_is_401(merchant, api_for):
    api = api_for(merchant.user)
    forged = Api(f"dh_{api.key.lookup}_{'x' * 43}")
    assert forged.get(INBOX).json()["detail"] == str(auth.KEY_INVALID)


def test_api_revoked_key_is_401(merchant, api_for):
    api = api_for(merchant.user)
    assert api.get(INBOX).status_code == 200
    api_key_revoke(key=api.key, by=merchant.user)
    response = api.get(INBOX)
    assert response.status_code == 401 and response.json()["detail"] == str(auth.KEY_REVOKED)


def test_api2_expired_key_is_401_from_its_expiry(merchant, api_for):
    with travel(T0):
        api = api_for(merchant.user, days=30)
    with travel(T0 + timedelta(days=30) - timedelta(seconds=1)):
        assert api.get(INBOX).status_code == 200
    with travel(T0 + timedelta(days=30)):
        response = api.get(INBOX)
    assert response.status_code == 401 and response.json()["detail"] == str(auth.KEY_EXPIRED)


def test_api2_key_lifetime_is_capped_by_the_rule(merchant):
    api_key_create(owner=merchant.user, name="a", scopes=["read"], days=365)
    with pytest.raises(ValidationError, match="1 至 365 天"):
        api_key_create(owner=merchant.user, name="b", scopes=["read"], days=366)


def test_api_key_scopes_are_those_of_the_role(creator):
    with pytest.raises(ValidationError, match="请至少选择一个"):
        api_key_create(owner=creator.user, name="x", scopes=["filings"], days=30)


def test_api_key_without_read_scope_is_403_on_reads(merchant, api_for):
    response = api_for(merchant.user, scopes=["samples"]).get(INBOX)
    assert response.status_code == 403
    assert response.json()["detail"] == str(permissions.MISSING_SCOPE % {"scope": "读取"})


def test_api_key_without_samples_scope_is_403_on_sample_writes_and_changes_nothing(merchant, api_for):
    sample = request_at(product=_product_of(merchant))
    response = api_for(merchant.user, scopes=["read"]).post(f"{INBOX}{sample.pk}/approve/")
    assert response.status_code == 403 and "样品" in response.json()["detail"]
    assert reload(sample).state == "requested"


def test_api_creator_key_on_merchant_endpoint_is_403(creator, api_for):
    response = api_for(creator.user).get(INBOX)
    assert response.status_code == 403
    assert response.json()["detail"] == str(permissions.WRONG_KIND % {"kind": "商家"})


def test_api_another_merchants_sample_is_404_for_read_and_write(merchant, api_for):
    other = request_at()  # a product of another merchant
    api = api_for(merchant.user)
    assert api.get(f"{INBOX}{other.pk}/").status_code == 404
    response = api.post(f"{INBOX}{other.pk}/approve/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert reload(other).state == "requested"


def test_api_another_creators_sample_is_404(creator, api_for):
    other = request_at()
    assert api_for(creator.user).get(f"/api/v1/creator/sample-requests/{other.pk}/").status_code == 404


def _product_of(merchant):
    from tests.samples.factories import eligible_product

    return eligible_product(shop=factories.ShopFactory(merchant=merchant))
