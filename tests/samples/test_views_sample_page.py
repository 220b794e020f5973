"""The creator's sample page reads in the order of the work: the promotion first, the
extension form gone once a promotion is recorded, the recording in the timeline, names
instead of logins, no lateness badge that is the merchant's, and an automatic approval
said as approved."""

import pytest
from django.test import Client
from django.utils import timezone

from samples.models import SampleRequest
from samples.services.promotion import sample_request_publish_video
from tests.samples.factories import H, address_for, approved_at, eligible_product, received_at, reload, shipped_at, triage_rule

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


def test_s7_promotion_form_comes_before_the_extension_form(creator_client, creator):
    sample = received_at(timezone.now() - H, creator=creator)
    page = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    assert page.index('data-testid="promote"') < page.index('data-testid="extension"')


def test_s7_recorded_promotion_removes_the_extension_form_and_shows_in_the_timeline(creator_client, creator):
    sample = received_at(timezone.now() - H, creator=creator)
    sample_request_publish_video(sample=sample, by=creator.user, title="开箱视频九号", url="https://v.example/9")
    page = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    assert 'data-testid="extension"' not in page and 'data-testid="promote"' not in page
    timeline = page[page.index('data-testid="timeline"'):]
    assert "已登记推广：开箱视频九号" in timeline


def test_timeline_names_the_shop_and_the_creator_not_their_logins(creator_client, creator):
    sample = received_at(timezone.now() - H, creator=creator)
    timeline = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    timeline = timeline[timeline.index('data-testid="timeline"'):]
    assert sample.product.shop.name in timeline and creator.display_name in timeline
    assert sample.merchant.user.get_username() not in timeline and creator.user.get_username() not in timeline


def test_s5_the_creator_does_not_wear_the_merchants_lateness_as_a_red_badge(creator_client, creator, merchant):
    sample = approved_at(timezone.now() - 60 * H, creator=creator, product=eligible_product(shop__merchant=merchant))
    assert reload(sample).ship_by <= timezone.now()
    page = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    assert 'data-testid="late"' not in page and 'data-testid="merchant-late"' in page
    merchant_client = Client()  # the creator_client fixture is the one test client
    merchant_client.force_login(merchant.user)
    assert 'data-testid="late"' in html(merchant_client.get(f"/merchant/samples/{sample.pk}/"))


def test_v4_an_automatic_approval_is_announced_as_approved(creator_client, creator):
    address_for(creator)
    product = eligible_product()
    triage_rule(product=product, action="approve", min_followers=0)
    resp = creator_client.post(f"/creator/samples/request/{product.pk}/", {"address": creator.addresses.get().pk}, follow=True)
    assert SampleRequest.objects.get().state == SampleRequest.State.APPROVED
    assert "商家的规则已自动通过你的样品申请" in html(resp)


def test_s6_shipped_sample_page_has_no_promotion_or_extension_yet(creator_client, creator):
    sample = shipped_at(timezone.now() - H, creator=creator)
    page = html(creator_client.get(f"/creator/samples/{sample.pk}/"))
    assert 'data-testid="promote"' not in page and 'data-testid="extension"' not in page
