"""V5 blocklist (samples.policy.blocklist, samples.services.policy)."""


import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from samples import messages as msg
from samples.models import CreatorBlock, SampleRequest
from samples.services import policy as policy_services
from samples.services import requests
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    ask,
    eligible_product,
    refused,
    reload,
    travel,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# V5: blocklist


def test_v5_blocked_creator_is_refused_without_the_reason_and_open_requests_go_on(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    open_one = ask(creator, product, T0)
    block = policy_services.creator_block(merchant=merchant, creator=creator, reason="多次索样不推广", by=merchant.user)
    text = refused(creator, eligible_product(shop__merchant=merchant), T0 + H)
    assert text == str(msg.BLOCKED) and "多次索样" not in text
    assert reload(open_one).state == S.REQUESTED  # goes on
    with travel(T0 + H):
        requests.sample_request_approve(sample=open_one, by=merchant.user)
    assert ask(creator, eligible_product(), T0 + 2 * H).state == S.REQUESTED  # other merchants are not affected
    assert (block.blocked_by, block.reason) == (merchant.user, "多次索样不推广")


def test_v5_lifting_records_who_when_why_and_the_creator_may_ask_again(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    block = policy_services.creator_block(merchant=merchant, creator=creator, reason="x", by=merchant.user)
    with pytest.raises(ValidationError) as exc:
        policy_services.creator_block(merchant=merchant, creator=creator, reason="again", by=merchant.user)
    assert exc.value.messages == [str(msg.ALREADY_BLOCKED)]
    with pytest.raises(ValidationError) as exc:
        policy_services.creator_block_lift(block=block, reason="", by=merchant.user)
    assert exc.value.message_dict == {"lift_reason": [str(msg.LIFT_REASON_REQUIRED)]}
    with travel(T0):
        block = policy_services.creator_block_lift(block=block, reason="沟通后解除", by=merchant.user)
    assert (block.status, block.lifted_by, block.lifted_at, block.lift_reason) == (
        CreatorBlock.Status.LIFTED, merchant.user, T0, "沟通后解除")
    log = StateLog.objects.for_(block).get()
    assert log.by == merchant.user and log.description == "沟通后解除"
    assert ask(creator, product, T0 + H).state == S.REQUESTED
    policy_services.creator_block(merchant=merchant, creator=creator, reason="再次拉黑", by=merchant.user)  # the record stays; a new block


def test_v5_only_the_merchant_blocks_and_lifts(merchant, creator):
    with pytest.raises(PermissionDenied):
        policy_services.creator_block(merchant=merchant, creator=creator, reason="x", by=factories.MerchantFactory().user)
    block = policy_services.creator_block(merchant=merchant, creator=creator, reason="x", by=merchant.user)
    with pytest.raises(PermissionDenied):
        policy_services.creator_block_lift(block=block, reason="y", by=factories.MerchantFactory().user)
