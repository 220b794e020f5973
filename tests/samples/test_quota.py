"""V2 sample quota (samples.policy.quota, samples.services.policy.sample_quota_set)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samples import messages as msg
from samples.models import SampleQuota, SampleRequest
from samples.policy import quota
from samples.services import policy as policy_services
from samples.services import requests
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    approved_at,
    ask,
    eligible_product,
    refused,
    reload,
    request_at,
    travel,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# V2: quota


def test_v2_each_approval_uses_one_and_at_zero_new_requests_are_refused(merchant):
    product = eligible_product(shop__merchant=merchant)
    with travel(T0):
        policy_services.sample_quota_set(product=product, by=merchant.user, limit=2, period="total")
    first = approved_at(T0, product=product)
    waiting = request_at(T0 + H, product=product)
    assert quota.status_for_product(product, now=T0 + H).remaining == 1
    with travel(T0 + 2 * H):
        requests.sample_request_approve(sample=waiting, by=merchant.user)
    assert quota.status_for_product(product, now=T0 + 2 * H).exhausted
    assert refused(factories.CreatorFactory(), product, T0 + 3 * H) == str(msg.QUOTA_USED_UP)
    # A cancelled approval still used its sample (it was given out).
    assert reload(first).approved_at is not None


def test_v2_merchant_cannot_approve_beyond_the_quota(merchant):
    product = eligible_product(shop__merchant=merchant)
    a, b = request_at(T0, product=product), request_at(T0, product=product)
    with travel(T0):
        policy_services.sample_quota_set(product=product, by=merchant.user, limit=1, period="total")
        requests.sample_request_approve(sample=a, by=merchant.user)
        with pytest.raises(ValidationError) as exc:
            requests.sample_request_approve(sample=b, by=merchant.user)
    assert exc.value.messages == [str(msg.QUOTA_USED_UP_MERCHANT % {"limit": 1, "period": SampleQuota.Period.TOTAL.label})]
    assert reload(b).state == S.REQUESTED


def test_v2_per_day_quota_starts_again_at_midnight_platform_time(merchant):
    product = eligible_product(shop__merchant=merchant)
    noon = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with travel(noon):
        policy_services.sample_quota_set(product=product, by=merchant.user, limit=1, period="day")
    approved_at(noon, product=product)
    creator = factories.CreatorFactory()
    text = refused(creator, product, noon.replace(hour=23, minute=59))
    assert "2026-12-02 00:00" in text
    assert ask(creator, product, noon.replace(day=2, hour=0, minute=0)).state == S.REQUESTED


def test_v2_only_the_owner_sets_the_quota_and_none_removes_it(merchant):
    product = eligible_product(shop__merchant=merchant)
    with pytest.raises(PermissionDenied):
        policy_services.sample_quota_set(product=product, by=factories.MerchantFactory().user, limit=3)
    policy_services.sample_quota_set(product=product, by=merchant.user, limit=3, period="week")
    assert SampleQuota.objects.get(product=product).limit == 3
    policy_services.sample_quota_set(product=product, by=merchant.user, limit=None)
    assert not SampleQuota.objects.filter(product=product).exists()
