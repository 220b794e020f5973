"""One-way sample actions have a confirmation step that says what will happen (确认收货,
bulk 拒绝); the step itself changes nothing and names only the person's own requests."""

import pytest
from django.utils import timezone

from samples import messages as msg
from samples.models import SampleRequest
from tests.samples.factories import H, eligible_product, reload, request_at, shipped_at

pytestmark = pytest.mark.django_db
S = SampleRequest.State


def test_s7_confirm_receipt_asks_first_and_states_the_promotion_clock(creator_client, creator):
    sample = shipped_at(timezone.now() - H, creator=creator)
    detail = creator_client.get(f"/creator/samples/{sample.pk}/").content.decode()
    assert f"/creator/samples/{sample.pk}/receive/confirm/" in detail
    page = creator_client.get(f"/creator/samples/{sample.pk}/receive/confirm/").content.decode()
    assert 'data-testid="confirm"' in page and msg.rule_period("sample_fulfil") in page and f'action="/creator/samples/{sample.pk}/receive/"' in page
    assert reload(sample).state == S.SHIPPED  # the step changes nothing
    creator_client.post(f"/creator/samples/{sample.pk}/receive/")
    assert reload(sample).state == S.RECEIVED


def test_s7_confirm_receipt_of_another_creators_sample_is_a_404(creator_client):
    sample = shipped_at(timezone.now() - H)
    assert creator_client.get(f"/creator/samples/{sample.pk}/receive/confirm/").status_code == 404


def test_s8_bulk_decline_names_the_merchants_own_requests_before_declining(merchant_client, merchant):
    mine = request_at(timezone.now() - H, product=eligible_product(shop__merchant=merchant, title="我的面霜"))
    theirs = request_at(timezone.now() - H, product=eligible_product(title="别家面霜"))
    page = merchant_client.get("/merchant/samples/bulk/decline/", {"ids": [mine.pk, theirs.pk], "reason": "库存不足"}).content.decode()
    assert "我的面霜" in page and "别家面霜" not in page and "库存不足" in page
    assert f'name="ids" value="{theirs.pk}"' not in page and f'name="ids" value="{mine.pk}"' in page
    assert reload(mine).state == S.REQUESTED
    merchant_client.post("/merchant/samples/bulk/", {"ids": [mine.pk], "action": "reject", "reason": "库存不足"})
    assert reload(mine).state == S.REJECTED


def test_s8_bulk_decline_with_nothing_ticked_goes_back_with_a_message(merchant_client):
    resp = merchant_client.get("/merchant/samples/bulk/decline/", follow=True)
    assert resp.redirect_chain[-1][0] == "/merchant/samples/" and "请至少勾选一条等待你决定的申请" in resp.content.decode()
