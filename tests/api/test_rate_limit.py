"""API1: each key makes at most N requests a minute (a platform rule staff can change);
the owner sees the same figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.models import ApiUsage
from core.rules import rule_update
from tests.samples.factories import T0, travel

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/merchant/sample-requests/"


def test_api1_rate_limit_is_the_rule_per_key_per_minute(merchant, staff, api_for):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="change_rulesetting"))
    staff = type(staff).objects.get(pk=staff.pk)
    rule_update(key="api_rate_per_minute", value=3, unit="count", by=staff, reason="test")
    api, other = api_for(merchant.user), api_for(merchant.user)
    with travel(T0 + timedelta(seconds=10)):
        assert [api.get(INBOX).status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get(INBOX)
        assert other.get(INBOX).status_code == 200  # another key has its own allowance
    assert refused.status_code == 429 and refused.json()["rule"] == "API1"
    assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) == 50
    with travel(T0 + timedelta(minutes=1)):
        assert api.get(INBOX).status_code == 200  # a new minute
    usage = ApiUsage.objects.filter(key=api.key).order_by("minute")
    assert [(u.requests, u.refused) for u in usage] == [(4, 1), (1, 0)]


def test_api_usage_shows_on_the_owners_key_page(merchant, merchant_client, api_for, django_assert_max_num_queries):
    api = api_for(merchant.user, name="ERP")
    api.get(INBOX)
    api.get(INBOX)
    with django_assert_max_num_queries(12):
        page = merchant_client.get("/merchant/api-keys/")
    assert page.status_code == 200
    assert "2 个请求，0 个超出限额" in page.content.decode()
