"""The 「免费申样」 offer on the marketplace (samples_tags.sample_offer, the request button):
S1, S2, and the V1, V2, V5 refusals on the listing's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samples import messages as msg
from samples.models import SampleRequest
from samples.services import policy as policy_services
from shops.models import AllianceListing
from tests import factories
from tests.samples.factories import (
    H,
    address_for,
    approved_at,
    eligible_product,
    outcome,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


# ---------------------------------------------------------------------------------------
# S1, S2: 「免费申样」 and the request button


def test_s2_marketplace_shows_free_samples_only_on_eligible_products_without_n_plus_1(
    creator_client, django_assert_max_num_queries
):
    eligible = [eligible_product(title=f"可申样{i}") for i in range(4)]
    off = eligible_product(title="未开通")
    AllianceListing.objects.filter(product=off).update(sample_support=False)
    with django_assert_max_num_queries(12):
        page = html(creator_client.get("/creator/marketplace/?q="))
    assert page.count('data-testid="free-samples"') == len(eligible)
    assert msg.FREE_SAMPLES in page


def test_s2_detail_page_offers_the_request_and_creator_asks(creator_client, creator):
    product = eligible_product(title="面霜")
    listing = product.alliance_listing
    address_for(creator)
    other = address_for(creator, name="李四", city="宁波市", district="鄞州区", street="天童南路 1 号")
    page = html(creator_client.get(f"/creator/marketplace/{listing.pk}/"))
    assert "免费申样" in page and f"/creator/samples/request/{product.pk}/" in page
    assert "宁波市" in page  # the address choice
    resp = creator_client.post(f"/creator/samples/request/{product.pk}/", {"note": "想做开箱视频", "address": other.pk})
    sample = SampleRequest.objects.get(creator=creator)
    assert resp.status_code == 302 and resp["Location"] == f"/creator/samples/{sample.pk}/"
    assert sample.note == "想做开箱视频" and sample.state == S.REQUESTED
    assert (sample.ship_to_name, sample.ship_to_city, sample.ship_to_street) == ("李四", "宁波市", "天童南路 1 号")
    assert "你已申请过该样品" in html(creator_client.get(f"/creator/marketplace/{listing.pk}/"))


def test_s2_detail_page_says_why_a_product_has_no_samples(creator_client):
    product = eligible_product(is_virtual=True)
    page = html(creator_client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert "虚拟类商品暂不支持" in page and "/creator/samples/request/" not in page


def test_s1_risky_creator_is_told_on_the_detail_page_and_refused_on_post(client):
    risky = factories.CreatorFactory(is_risky=True)
    client.force_login(risky.user)
    product = eligible_product()
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert str(msg.CREATOR_RISKY) in page
    resp = client.post(f"/creator/samples/request/{product.pk}/", follow=True)
    assert str(msg.CREATOR_RISKY) in html(resp)
    assert not SampleRequest.objects.exists()


# ---------------------------------------------------------------------------------------
# V1, V2, V5 on the listing


def test_v1_detail_page_tells_a_low_score_creator_why_and_the_post_is_refused(creator_client, creator):
    now = timezone.now()
    outcome(S.BREACHED, now - 2 * D, creator=creator)
    outcome(S.BREACHED, now - D, creator=creator)
    product = eligible_product()
    page = html(creator_client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert "履约分" in page and 'data-testid="sample-refusal"' in page and f"/creator/samples/request/{product.pk}/" not in page
    resp = creator_client.post(f"/creator/samples/request/{product.pk}/", follow=True)
    assert "履约分为 6" in html(resp)
    assert not SampleRequest.objects.filter(product=product).exists()


def test_v2_free_samples_disappear_from_card_and_detail_at_zero(creator_client, merchant, django_assert_max_num_queries):
    products = [eligible_product(shop__merchant=merchant, title=f"限量{i}") for i in range(4)]
    used_up = products[0]
    policy_services.sample_quota_set(product=used_up, by=merchant.user, limit=1)
    approved_at(timezone.now() - H, product=used_up)
    with django_assert_max_num_queries(13):
        page = html(creator_client.get("/creator/marketplace/?q="))
    assert page.count('data-testid="free-samples"') == 3
    detail = html(creator_client.get(f"/creator/marketplace/{used_up.alliance_listing.pk}/"))
    assert msg.FREE_SAMPLES not in detail.split('data-testid="sample-offer"')[1].split("</div>\n</div>")[0]
    assert "已全部申领完毕" in detail
    resp = creator_client.post(f"/creator/samples/request/{used_up.pk}/", follow=True)
    assert "已全部申领完毕" in html(resp)


def test_v5_blocked_creator_sees_only_the_plain_message(client, merchant):
    creator = factories.CreatorFactory()
    product = eligible_product(shop__merchant=merchant)
    policy_services.creator_block(merchant=merchant, creator=creator, reason="内部原因不公开", by=merchant.user)
    client.force_login(creator.user)
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert "该商家暂不接受您账号的样品申请" in page and "内部原因不公开" not in page
