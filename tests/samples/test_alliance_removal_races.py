"""D4 under concurrency (PostgreSQL, real threads with their own connections): a removal
being carried out and a person acting on the same product at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm_log.models import StateLog

from core.fsm import stale_message
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import alliance, requests
from shops.alliance_removal import services as removal_services
from tests.samples.concurrency import run_in_threads, wait_until_someone_waits_for_a_lock
from tests.samples.factories import T0, H, creator_with_address, eligible_product, request_at, travel

pytestmark = [pytest.mark.django_db(transaction=True)]
S = SampleRequest.State


def test_d4_a_request_made_while_the_removal_is_being_carried_out_waits_and_is_refused(monkeypatch):
    """Without the listing lock the request would read the listing as still listed, commit
    after the removal closed the waiting ones, and stay open for a product out of the alliance."""
    product = eligible_product()
    creator = creator_with_address()
    locked, release = threading.Event(), threading.Event()
    real_close = alliance.sample_requests_close_for_alliance_removal

    def close_then_pause(**kwargs):
        result = real_close(**kwargs)
        if threading.current_thread().name == "removal":
            locked.set()
            release.wait(timeout=30)  # the removal's transaction, listing row locked, not yet committed
        return result

    monkeypatch.setattr(alliance, "sample_requests_close_for_alliance_removal", close_then_pause)

    def creator_requests():
        locked.wait(timeout=30)
        return requests.sample_request_create(creator=creator, product=product, by=creator.user)

    def hold_then_release():
        try:
            locked.wait(timeout=30)
            assert wait_until_someone_waits_for_a_lock()  # the creator is blocked on the listing lock
        finally:
            release.set()
            connection.close()

    with travel(T0):
        holder = threading.Thread(target=hold_then_release)
        holder.start()
        results, errors = run_in_threads(
            ("removal", lambda: removal_services.alliance_removal_create(product=product, by=None)),
            ("creator", creator_requests),
        )
        holder.join(timeout=30)
    assert "removal" not in errors
    assert isinstance(errors.get("creator"), ValidationError)
    assert errors["creator"].messages == [str(msg.PRODUCT_NOT_LISTED)]
    assert not SampleRequest.objects.filter(product=product, state=S.REQUESTED).exists()


def test_d4_merchant_approving_while_the_product_leaves_the_alliance_exactly_one_wins():
    """Either the approval comes first (the request goes on, approved) or the removal does
    (closed, and the merchant is told the row moved); never both, never neither."""
    product = eligible_product()
    sample = request_at(T0, product=product)
    start = threading.Barrier(2)

    def merchant():
        start.wait(timeout=10)
        return requests.sample_request_approve(sample=sample, by=sample.merchant.user)

    def removal():
        start.wait(timeout=10)
        return removal_services.alliance_removal_create(product=product, by=None)

    with travel(T0 + H):
        results, errors = run_in_threads(("merchant", merchant), ("removal", removal))
    assert "removal" not in errors
    sample = SampleRequest.objects.get(pk=sample.pk)
    logs = list(StateLog.objects.for_(sample))
    assert len(logs) == 1
    if sample.state == S.APPROVED:
        assert "merchant" not in errors and logs[0].transition == "approve"
    else:
        assert sample.state == S.CANCELLED and logs[0].transition == "close_alliance_removed"
        assert isinstance(errors.get("merchant"), ValidationError)
        assert errors["merchant"].messages == [stale_message(sample)]  # told the row moved on
