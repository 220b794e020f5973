"""V2 under concurrency, on PostgreSQL with real threads: two approvals racing for the last
sample of a quota — one wins, the other is told the quota is used up."""

import threading

import pytest
from django.core.exceptions import ValidationError

from samples.models import SampleRequest
from samples.services import requests
from samples.services.policy import sample_quota_set
from tests.samples.concurrency import run_in_threads
from tests.samples.factories import T0, eligible_product, request_at, travel

pytestmark = [pytest.mark.django_db(transaction=True)]
S = SampleRequest.State


def test_v2_two_approvals_race_for_the_last_sample_one_wins():
    product = eligible_product()
    merchant_user = product.shop.merchant.user
    a, b = request_at(T0, product=product), request_at(T0, product=product)
    sample_quota_set(product=product, by=merchant_user, limit=1)
    start = threading.Barrier(2)

    def approve(sample):
        def run():
            start.wait(timeout=10)
            with travel(T0):
                return requests.sample_request_approve(sample=sample, by=merchant_user)
        return run

    results, errors = run_in_threads(("a", approve(a)), ("b", approve(b)))
    assert len(results) == 1 and len(errors) == 1
    (error,) = errors.values()
    assert isinstance(error, ValidationError)
    assert "名额已用完" in " ".join(error.messages)
    assert SampleRequest.objects.filter(product=product, state=S.APPROVED).count() == 1
