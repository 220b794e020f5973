"""Invariants that many people, or people and sweeps, race on: at least 20 real racers each
(threads with their own PostgreSQL connections, released together), the database checked
afterwards. The flash-sale caps and stock are raced in tests/flashsales/test_races.py."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.fsm import stale_message
from core.models import Notification
from filings import services as filing_services
from filings.models import Filing
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import reminders, requests, sweeps
from samples.services.policy import sample_quota_set
from shops import services as shop_services
from shops.alliance_removal import services as removal_services
from shops.models import AllianceListing, AllianceRemoval, LiveCartItem, ShopType
from shops.official_accounts.limits import C1_LIMIT_MESSAGE
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.hardening.racing import race
from tests.samples.factories import T0, H, M, eligible_product, request_at, travel
from tests.shops.helpers import official_account, session_for

pytestmark = [pytest.mark.django_db(transaction=True)]
S = SampleRequest.State


def logs_per_object(model, pks) -> dict[int, int]:
    """How many state changes django-fsm-log recorded for each object."""
    from django.contrib.contenttypes.models import ContentType

    rows = (
        StateLog.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        .values("object_id").annotate(n=Count("id"))
    )
    counts = {pk: 0 for pk in pks}
    counts.update({row["object_id"]: row["n"] for row in rows})
    return counts


@pytest.mark.hardening
def test_f2_twenty_four_reviewers_deciding_one_filing_at_once_move_it_exactly_once(hardening):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    reviewers = [factories.StaffFactory() for _ in range(24)]
    merchant_user = filing.product.shop.merchant.user
    before = Notification.objects.filter(user=merchant_user).count()

    def work(i):
        if i % 2:
            return filing_services.filing_approve(filing=filing, by=reviewers[i])
        return filing_services.filing_reject(filing=filing, by=reviewers[i], reason=f"资质不全 {i}")

    out = race(24, work)
    filing = Filing.objects.get(pk=filing.pk)
    assert len(out.done) == 1 and len(out.refused) == 23
    assert out.refusals() == {stale_message(filing): 23}  # each loser is told the filing moved on
    (winner,) = out.done
    assert filing.state == (Filing.State.APPROVED if winner % 2 else Filing.State.NOT_APPROVED)
    log = StateLog.objects.for_(filing).get()  # one decision recorded, by the winner
    assert log.by == reviewers[winner]
    assert Notification.objects.filter(user=merchant_user).count() == before + 1  # told once
    hardening.invariant()


@pytest.mark.hardening
def test_c2_twenty_four_non_own_products_added_at_once_to_a_live_session_leave_exactly_three(hardening):
    creator = official_account(ShopType.INDIVIDUAL)
    session = session_for(creator)
    shop_services.live_session_go_live(session=session, by=None)
    products = [factories.AllianceListingFactory().product for _ in range(24)]

    out = race(24, lambda i: shop_services.cart_add(session=session, product=products[i], by=creator.user))
    assert len(out.done) == 3 and out.refusals() == {str(C1_LIMIT_MESSAGE): 21}
    assert LiveCartItem.objects.filter(session=session).count() == 3
    assert LiveCartItem.objects.filter(session=session).values("product").distinct().count() == 3
    hardening.invariant()


@pytest.mark.hardening
def test_v2_twenty_four_approvals_racing_for_the_last_three_samples_give_out_exactly_three(hardening):
    product = eligible_product()
    merchant_user = product.shop.merchant.user
    samples = [request_at(T0, product=product) for _ in range(24)]
    sample_quota_set(product=product, by=merchant_user, limit=3)

    with travel(T0 + H):
        out = race(24, lambda i: requests.sample_request_approve(sample=samples[i], by=merchant_user))
    assert len(out.done) == 3 and len(out.refused) == 21
    assert all("名额已用完" in text for text in out.refused.values()), out.refusals()
    assert SampleRequest.objects.filter(product=product, state=S.APPROVED).count() == 3
    assert SampleRequest.objects.filter(product=product, state=S.REQUESTED).count() == 21  # refused ones unchanged
    hardening.invariant()


@pytest.mark.hardening
def test_s4_twenty_merchants_approving_at_the_deadline_while_four_sweeps_run_each_request_moves_once(hardening):
    """A person racing a sweep on the same row: each request ends approved by its merchant or
    expired by a sweep, with exactly one recorded change; the loser is told, the sweep never fails."""
    samples = [request_at(T0) for _ in range(20)]

    def work(i):
        if i < 20:
            return requests.sample_request_approve(sample=samples[i], by=samples[i].merchant.user)
        return sweeps.sweep_expire_undecided(now=T0 + 48 * H)  # the sweep runs as if at the mark

    with travel(T0 + 48 * H - M):  # the merchants act one minute before it
        out = race(24, work)
    assert not (set(out.refused) & {20, 21, 22, 23})  # sweeps are never refused
    moved_by_sweeps = sum(out.done[i] for i in (20, 21, 22, 23))
    rows = {s.pk: s for s in SampleRequest.objects.filter(pk__in=[s.pk for s in samples])}
    assert logs_per_object(SampleRequest, list(rows)) == {pk: 1 for pk in rows}
    for i, sample in enumerate(samples):
        row = rows[sample.pk]
        assert row.state in (S.APPROVED, S.EXPIRED)
        if row.state == S.APPROVED:
            assert i in out.done
        else:
            assert out.refused[i] == stale_message(row)
    assert moved_by_sweeps == sum(1 for r in rows.values() if r.state == S.EXPIRED)
    hardening.invariant()


@pytest.mark.hardening
def test_s4_twenty_sweeps_over_the_same_sixty_due_rows_move_each_once(settings, hardening):
    settings.SAMPLES_SWEEP_BATCH = 4
    samples = [request_at(T0) for _ in range(60)]
    before = Notification.objects.count()

    with travel(T0 + 48 * H):
        out = race(20, lambda i: sweeps.sweep_expire_undecided())
    assert sum(out.done.values()) == 60
    pks = [s.pk for s in samples]
    assert logs_per_object(SampleRequest, pks) == {pk: 1 for pk in pks}
    assert SampleRequest.objects.filter(pk__in=pks, state=S.EXPIRED).count() == 60
    assert Notification.objects.count() - before == 2 * 60  # merchant and creator told once each
    hardening.invariant()


@pytest.mark.hardening
def test_v6_twenty_overlapping_reminder_sweeps_send_each_reminder_once(hardening):
    samples = [request_at(T0) for _ in range(12)]
    with travel(T0 + 24 * H):
        out = race(20, lambda i: reminders.sweep_reminders())
    assert sum(out.done.values()) == 12
    for sample in samples:
        assert Notification.objects.filter(dedupe_key=reminders.reminder_key(sample.pk, "decide-half")).count() == 1
    hardening.invariant()


@pytest.mark.hardening
def test_d2_a_scheduled_removal_run_by_twenty_sweeps_at_once_is_carried_out_once(hardening):
    listings = [factories.AllianceListingFactory() for _ in range(8)]
    waiting = [request_at(timezone.now() - H, product=listing.product) for listing in listings]
    soon = timezone.now() + timedelta(minutes=5)
    removals = [removal_services.alliance_removal_create(product=lst.product, by=lst.product.shop.merchant.user, at=soon) for lst in listings]

    with travel(soon + M):
        out = race(20, lambda i: removal_services.alliance_removals_sweep(batch_size=2))
    assert sum(out.done.values()) == 8
    pks = [r.pk for r in removals]
    assert AllianceRemoval.objects.filter(pk__in=pks, status=AllianceRemoval.Status.DONE).count() == 8
    assert logs_per_object(AllianceRemoval, pks) == {pk: 1 for pk in pks}
    assert not AllianceListing.objects.filter(pk__in=[lst.pk for lst in listings], status=AllianceListing.Status.LISTED).exists()
    sample_pks = [s.pk for s in waiting]
    assert logs_per_object(SampleRequest, sample_pks) == {pk: 1 for pk in sample_pks}  # each closed once
    assert SampleRequest.objects.filter(pk__in=sample_pks, state=S.CANCELLED).count() == 8
    hardening.invariant()


@pytest.mark.hardening
def test_d4_twenty_approvals_while_the_product_leaves_the_alliance_each_request_ends_one_way(hardening):
    product = eligible_product()
    merchant_user = product.shop.merchant.user
    samples = [request_at(T0, product=product) for _ in range(20)]

    def work(i):
        if i == 20:
            return removal_services.alliance_removal_create(product=product, by=merchant_user)
        return requests.sample_request_approve(sample=samples[i], by=merchant_user)

    with travel(T0 + H):
        out = race(21, work)
    assert 20 in out.done  # the removal always happens
    rows = {s.pk: s for s in SampleRequest.objects.filter(pk__in=[s.pk for s in samples])}
    assert logs_per_object(SampleRequest, list(rows)) == {pk: 1 for pk in rows}
    for i, sample in enumerate(samples):
        row = rows[sample.pk]
        if row.state == S.APPROVED:  # approved before the removal: it goes on (D4)
            assert i in out.done
        else:
            assert row.state == S.CANCELLED and out.refused[i] in (stale_message(row), str(msg.PRODUCT_NOT_LISTED))
    hardening.invariant()
