"""The merchant's sample settings (samples.views.merchant_settings): quotas (V2), triage
rules (V4), blocklist (V5) — scoped, without N+1, with empty states."""


import pytest
from django.utils import timezone

from samples.models import CreatorBlock, SampleQuota, TriageRule
from samples.services import policy as policy_services
from tests import factories
from tests.samples.factories import (
    approved_at,
    eligible_product,
    triage_rule,
)

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


# ---------------------------------------------------------------------------------------
# V2: quotas


def test_v2_merchant_sets_quotas_on_their_products_only(merchant_client, merchant, django_assert_max_num_queries):
    mine = [eligible_product(shop__merchant=merchant) for _ in range(5)]
    policy_services.sample_quota_set(product=mine[0], by=merchant.user, limit=1, period="day")
    approved_at(timezone.now(), product=mine[0])
    theirs = eligible_product(title="别家商品")
    with django_assert_max_num_queries(10):
        page = html(merchant_client.get("/merchant/samples/quotas/"))
    assert "别家商品" not in page and 'data-testid="remaining">0<' in page
    resp = merchant_client.post(f"/merchant/samples/quotas/{mine[1].pk}/", {f"q{mine[1].pk}-limit": "5", f"q{mine[1].pk}-period": "week"})
    assert resp.status_code == 302
    assert SampleQuota.objects.get(product=mine[1]).limit == 5
    assert merchant_client.post(f"/merchant/samples/quotas/{theirs.pk}/", {f"q{theirs.pk}-limit": "5"}).status_code == 404


def test_v2_quotas_page_empty_state(merchant_client):
    assert "还没有加入精选联盟的商品" in html(merchant_client.get("/merchant/samples/quotas/"))


# ---------------------------------------------------------------------------------------
# V4: triage rules


def test_v4_merchant_manages_rules_scoped_and_without_n_plus_1(merchant_client, merchant, django_assert_max_num_queries):
    product = eligible_product(shop__merchant=merchant)
    for i in range(4):
        triage_rule(product=product, name=f"规则{i}", min_score=10)
    resp = merchant_client.post("/merchant/samples/rules/new/", {
        "name": "全店千粉通过", "action": "approve", "scope": f"shop:{product.shop_id}", "min_followers": "1000",
    })
    assert resp.status_code == 302
    rule = TriageRule.objects.get(name="全店千粉通过")
    assert rule.shop_id == product.shop_id and rule.created_by == merchant.user
    # No threshold: the form says so and keeps what was typed.
    resp = merchant_client.post("/merchant/samples/rules/new/", {"name": "空规则", "action": "approve", "scope": f"product:{product.pk}"})
    assert resp.status_code == 400 and "请至少设置一项门槛" in html(resp) and 'value="空规则"' in html(resp)
    other = eligible_product()
    resp = merchant_client.post("/merchant/samples/rules/new/", {"name": "别家", "action": "approve", "scope": f"product:{other.pk}", "min_score": "1"})
    assert resp.status_code == 400 and not TriageRule.objects.filter(name="别家").exists()
    with django_assert_max_num_queries(10):
        page = html(merchant_client.get("/merchant/samples/rules/"))
    assert "全店千粉通过" in page and page.count("/switch/") == 5
    assert merchant_client.post(f"/merchant/samples/rules/{rule.pk}/switch/", {"on": "0"}).status_code == 302
    assert not TriageRule.objects.get(pk=rule.pk).is_active
    foreign = triage_rule(product=other, min_score=1)
    assert merchant_client.post(f"/merchant/samples/rules/{foreign.pk}/switch/", {"on": "0"}).status_code == 404


# ---------------------------------------------------------------------------------------
# V5: blocklist


def test_v5_merchant_blocks_and_lifts_scoped_and_without_n_plus_1(merchant_client, merchant, django_assert_max_num_queries):
    creator = factories.CreatorFactory(platform_id="dy_block_me")
    for _ in range(4):
        policy_services.creator_block(merchant=merchant, creator=factories.CreatorFactory(), reason="测试", by=merchant.user)
    resp = merchant_client.post("/merchant/samples/blocks/new/", {"platform_id": "dy_block_me", "reason": "索样后失联"})
    assert resp.status_code == 302
    block = CreatorBlock.objects.get(creator=creator)
    resp = merchant_client.post("/merchant/samples/blocks/new/", {"platform_id": "nobody", "reason": "x"})
    assert resp.status_code == 400 and "没有使用该平台 ID 的达人" in html(resp)
    with django_assert_max_num_queries(10):
        page = html(merchant_client.get("/merchant/samples/blocks/"))
    assert "索样后失联" in page and page.count("/lift/") == 5
    assert merchant_client.post(f"/merchant/samples/blocks/{block.pk}/lift/", {"lift_reason": ""}).status_code == 302
    assert CreatorBlock.objects.get(pk=block.pk).status == CreatorBlock.Status.ACTIVE  # a reason is needed
    merchant_client.post(f"/merchant/samples/blocks/{block.pk}/lift/", {"lift_reason": "已沟通"})
    assert CreatorBlock.objects.get(pk=block.pk).status == CreatorBlock.Status.LIFTED
    other = factories.MerchantFactory()
    foreign = policy_services.creator_block(merchant=other, creator=creator, reason="别家", by=other.user)
    assert merchant_client.post(f"/merchant/samples/blocks/{foreign.pk}/lift/", {"lift_reason": "x"}).status_code == 404
    assert "别家" not in html(merchant_client.get("/merchant/samples/blocks/"))


def test_v5_blocks_page_empty_state(merchant_client):
    assert "您还没有拉黑任何达人" in html(merchant_client.get("/merchant/samples/blocks/"))


@pytest.mark.parametrize(("url", "page"), [("/merchant/samples/rules/new/", "/merchant/samples/rules/"),
                                           ("/merchant/samples/blocks/new/", "/merchant/samples/blocks/")])
def test_v4_v5_a_failed_forms_address_reloads_to_its_page_not_a_405(merchant_client, url, page):
    failed = merchant_client.post(url, {})
    assert failed.status_code == 400 and 'data-testid="' in failed.content.decode()
    revisit = merchant_client.get(url)
    assert revisit.status_code == 302 and revisit["Location"] == page
