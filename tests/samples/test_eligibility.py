"""Who may ask for which sample (samples.policy.eligibility): S1 creators, S2 products,
V3 one open request and the 30-day wait, the V1–V5 values from the rules object."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import RuleSetting
from core.rules import rule_update
from samples import messages as msg
from samples.models import SampleRequest
from samples.policy import eligibility
from samples.policy import score as scoring
from samples.services import requests
from shops import services as shop_services
from shops.models import AllianceListing
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    ask,
    creator_with_address,
    eligible_product,
    outcome,
    refused,
    reload,
    request_at,
    travel,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# S1: who may ask


def test_s1_creator_with_product_sharing_off_cannot_request():
    creator = factories.CreatorFactory(product_sharing_enabled=False)
    with pytest.raises(ValidationError) as exc:
        requests.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert exc.value.messages == [str(msg.CREATOR_NO_SHARING)]
    assert not SampleRequest.objects.exists()


def test_s1_risky_creator_is_refused_with_a_message_but_open_requests_go_on():
    creator = factories.CreatorFactory()
    open_request = request_at(T0, creator=creator)
    creator.is_risky = True
    creator.save()
    with pytest.raises(ValidationError) as exc:
        requests.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert exc.value.messages == [str(msg.CREATOR_RISKY)]
    with travel(T0 + H):
        requests.sample_request_approve(sample=open_request, by=open_request.merchant.user)
    assert reload(open_request).state == S.APPROVED


def test_s1_only_the_creator_asks_for_themself():
    creator = factories.CreatorFactory()
    with pytest.raises(PermissionDenied):
        requests.sample_request_create(creator=creator, product=eligible_product(), by=factories.UserFactory())


# ---------------------------------------------------------------------------------------
# S2: which products


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: AllianceListing.objects.filter(product=p).update(sample_support=False), msg.PRODUCT_NO_SAMPLE_SUPPORT),
        (lambda p: AllianceListing.objects.filter(product=p).update(status="out"), msg.PRODUCT_NOT_LISTED),
        (lambda p: AllianceListing.objects.filter(product=p).delete(), msg.PRODUCT_NOT_LISTED),
        (lambda p: type(p.shop.merchant).objects.filter(pk=p.shop.merchant_id).update(meets_alliance_standard=False), msg.MERCHANT_BELOW_STANDARD),
        (lambda p: type(p.shop).objects.filter(pk=p.shop_id).update(is_cross_border=True), msg.PRODUCT_CROSS_BORDER),
        (lambda p: type(p).objects.filter(pk=p.pk).update(is_virtual=True), msg.PRODUCT_VIRTUAL),
        (lambda p: type(p).objects.filter(pk=p.pk).update(sale_status="off_sale"), msg.PRODUCT_NOT_ON_SALE),
    ],
    ids=["switch-off", "out-of-alliance", "never-listed", "merchant-standard", "cross-border", "virtual", "off-sale"],
)
def test_s2_product_without_free_samples_is_refused(setup, message):
    product = eligible_product()
    setup(product)
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError) as exc:
        requests.sample_request_create(creator=creator, product=product, by=creator.user)
    assert exc.value.messages == [str(message)]


def test_s2_cross_border_and_virtual_follow_the_platform_setting(staff):
    product = eligible_product(is_virtual=True)
    type(product.shop).objects.filter(pk=product.shop_id).update(is_cross_border=True)
    creator = creator_with_address()
    rule_update(key="samples_cross_border", value=1, unit="flag", by=staff)
    rule_update(key="samples_virtual", value=1, unit="flag", by=staff)
    sample = requests.sample_request_create(creator=creator, product=product, by=creator.user)
    assert sample.state == S.REQUESTED


def test_s2_listing_defaults_to_sample_support_on_and_the_merchant_can_switch_it():
    product = factories.ProductFactory()
    listing = shop_services.alliance_list(product=product, by=None, commission_rate=Decimal("10"))
    assert listing.sample_support is True
    shop_services.alliance_set_sample_support(listing=listing, by=None, enabled=False)
    product.refresh_from_db()
    assert eligibility.product_refusal(product) == str(msg.PRODUCT_NO_SAMPLE_SUPPORT)


# ---------------------------------------------------------------------------------------
# V3: one open request per creator and product; the 30-day wait


def test_s3_one_open_request_per_creator_and_product():
    creator = factories.CreatorFactory()
    product = eligible_product()
    first = request_at(T0, creator=creator, product=product)
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        requests.sample_request_create(creator=creator, product=product, by=creator.user)
    assert exc.value.messages == [str(msg.ALREADY_OPEN)]
    with travel(T0 + H):
        requests.sample_request_withdraw(sample=first, by=creator.user)
        again = requests.sample_request_create(creator=creator, product=product, by=creator.user)
    assert again.state == S.REQUESTED


def test_v3_one_open_request_per_creator_and_product(creator):
    product = eligible_product()
    ask(creator, product, T0)
    assert refused(creator, product, T0 + H) == str(msg.ALREADY_OPEN)
    # The database holds it too (the partial unique constraint), whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleRequest.objects.create(
            creator=creator, product=product, merchant=product.shop.merchant, decide_by=T0 + 48 * H,
        )


def test_v3_after_a_rejection_the_creator_waits_30_days_boundary(creator):
    product = eligible_product()
    sample = ask(creator, product, T0)
    with travel(T0 + H):
        requests.sample_request_reject(sample=sample, by=product.shop.merchant.user, reason="本月已满")
    text = refused(creator, product, T0 + H + 30 * D - M)  # 29 d 23 h 59 m
    assert "2026-12-31 11:00" in text
    assert ask(creator, product, T0 + H + 30 * D).state == S.REQUESTED  # 30 d 00 m


@pytest.mark.parametrize("state", [S.EXPIRED, S.BREACHED])
def test_v3_after_expiry_or_breach_the_wait_applies_too(creator, state):
    product = eligible_product()
    outcome(state, T0, creator=creator, product=product)
    assert refused(creator, product, T0 + 30 * D - M) == str(
        msg.RETRY_WAIT % {"outcome": S(state).label, "when": msg.local_time(T0 + 30 * D)}
    )
    assert ask(creator, product, T0 + 30 * D).state == S.REQUESTED


def test_v3_no_wait_after_a_withdrawal_or_for_another_product(creator):
    product = eligible_product()
    sample = ask(creator, product, T0)
    with travel(T0 + H):
        requests.sample_request_withdraw(sample=sample, by=creator.user)
    assert ask(creator, product, T0 + 2 * H).state == S.REQUESTED
    other = eligible_product()
    outcome(S.EXPIRED, T0, creator=creator, product=other)
    assert ask(creator, eligible_product(), T0 + H).state == S.REQUESTED


# ---------------------------------------------------------------------------------------
# V1–V5: the values come from the rules object


def test_v1_to_v5_rule_values_come_from_the_rules_object(creator):
    RuleSetting.objects.filter(key="sample_score_breach_penalty").update(value=4)
    outcome(S.BREACHED, T0, creator=creator)
    assert scoring.creator_score(creator, now=T0 + H).value == 8  # at the floor
    RuleSetting.objects.filter(key="sample_retry_wait").update(value=1)
    product = eligible_product()
    other = factories.CreatorFactory()
    outcome(S.EXPIRED, T0, creator=other, product=product)
    assert ask(other, product, T0 + D).state == S.REQUESTED
