"""V1–V5 pages: the creator's score page, the marketplace offer, the merchant's quotas,
triage rules and blocklist (scoped: another merchant's are 404; no N+1), and the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samples import blocks, quota
from samples import messages as msg
from samples.models import CreatorBlock, SampleQuota, SampleRequest, ScoreAdjustment, TriageRule
from tests import factories
from tests.samples.factories import H, approved_at, eligible_product, outcome, request_at, triage_rule

pytestmark = pytest.mark.django_db
S = SampleRequest.State
D = timedelta(days=1)


def html(resp) -> str:
    return resp.content.decode()


# V1 -------------------------------------------------------------------------------------


def test_v1_creator_sees_their_score_its_inputs_and_until_when(creator_client, creator, django_assert_max_num_queries):
    now = timezone.now()
    first = outcome(S.BREACHED, now - 10 * D, creator=creator)
    outcome(S.BREACHED, now - 5 * D, creator=creator)
    outcome(S.FULFILLED, now - 2 * D, creator=creator)
    with django_assert_max_num_queries(10):
        page = html(creator_client.get("/creator/samples/score/"))
    assert 'data-testid="score">7<' in page and 'data-testid="score-blocked"' in page
    assert first.product.title in page and "-3" in page and "+1" in page
    until = timezone.localtime(first.closed_at + 90 * D).strftime("%Y-%m-%d %H:%M")
    assert until in page  # 7 → 10 when the first breach leaves the window


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


def test_v1_reviewer_sees_scores_in_the_admin_and_corrects_one_with_a_reason(client, staff, creator, django_assert_max_num_queries):
    outcome(S.BREACHED, timezone.now() - D, creator=creator)
    for _ in range(5):
        factories.CreatorFactory()
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        page = html(client.get("/admin/samples/creatorscore/"))
    assert "9 / 12" in page
    detail = html(client.get(f"/admin/samples/creatorscore/{creator.pk}/change/"))
    assert "-3" in detail and f"/admin/samples/scoreadjustment/add/?creator={creator.pk}" in detail
    resp = client.post("/admin/samples/scoreadjustment/add/", {"creator": creator.pk, "new_score": 12, "reason": ""})
    assert resp.status_code == 200 and not ScoreAdjustment.objects.exists()  # the reason is required
    resp = client.post("/admin/samples/scoreadjustment/add/", {"creator": creator.pk, "new_score": 12, "reason": "物流原因，非达人责任"})
    assert resp.status_code == 302
    adj = ScoreAdjustment.objects.get()
    assert (adj.by, adj.score_before, adj.score_after, adj.delta) == (staff, 9, 12, 3)


# V2 -------------------------------------------------------------------------------------


def test_v2_free_samples_disappear_from_card_and_detail_at_zero(creator_client, merchant, django_assert_max_num_queries):
    products = [eligible_product(shop__merchant=merchant, title=f"限量{i}") for i in range(4)]
    used_up = products[0]
    quota.sample_quota_set(product=used_up, by=merchant.user, limit=1)
    approved_at(timezone.now() - H, product=used_up)
    with django_assert_max_num_queries(13):
        page = html(creator_client.get("/creator/marketplace/?q="))
    assert page.count('data-testid="free-samples"') == 3
    detail = html(creator_client.get(f"/creator/marketplace/{used_up.alliance_listing.pk}/"))
    assert msg.FREE_SAMPLES not in detail.split('data-testid="sample-offer"')[1].split("</div>\n</div>")[0]
    assert "已全部申领完毕" in detail
    resp = creator_client.post(f"/creator/samples/request/{used_up.pk}/", follow=True)
    assert "已全部申领完毕" in html(resp)


def test_v2_merchant_sets_quotas_on_their_products_only(merchant_client, merchant, django_assert_max_num_queries):
    mine = [eligible_product(shop__merchant=merchant) for _ in range(5)]
    quota.sample_quota_set(product=mine[0], by=merchant.user, limit=1, period="day")
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


# V4 -------------------------------------------------------------------------------------


def test_v4_inbox_sorts_waiting_requests_by_the_shown_triage_score_without_n_plus_1(
    merchant_client, merchant, django_assert_max_num_queries,
):
    now = timezone.now()
    low = request_at(now - 2 * H, creator=factories.CreatorFactory(followers=10), product=eligible_product(shop__merchant=merchant))
    high = request_at(now - H, creator=factories.CreatorFactory(followers=900_000), product=eligible_product(shop__merchant=merchant))
    for _ in range(3):
        request_at(now - H, product=eligible_product(shop__merchant=merchant))
    with django_assert_max_num_queries(15):
        page = html(merchant_client.get("/merchant/samples/"))
    assert high.triage_score > low.triage_score
    assert page.index(f"/merchant/samples/{high.pk}/") < page.index(f"/merchant/samples/{low.pk}/")
    assert f'data-testid="triage-score">{high.triage_score}<' in page
    newest = html(merchant_client.get("/merchant/samples/?order=newest"))
    assert newest.index(f"/merchant/samples/{high.pk}/") < newest.index(f"/merchant/samples/{low.pk}/")


def test_v4_automatic_decision_is_shown_to_merchant_and_creator(client, merchant):
    creator = factories.CreatorFactory()
    product = eligible_product(shop__merchant=merchant)
    triage_rule(product=product, name="低粉拒绝", action="reject", min_followers=10**6)
    sample = request_at(timezone.now(), creator=creator, product=product)
    assert sample.state == S.REJECTED
    client.force_login(creator.user)
    assert "低粉拒绝" in html(client.get(f"/creator/samples/{sample.pk}/"))
    client.force_login(merchant.user)
    page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert 'data-testid="auto-decision"' in page and "低粉拒绝" in page
    assert 'data-testid="auto-rule"' in html(client.get("/merchant/samples/"))


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


# V5 -------------------------------------------------------------------------------------


def test_v5_merchant_blocks_and_lifts_scoped_and_without_n_plus_1(merchant_client, merchant, django_assert_max_num_queries):
    creator = factories.CreatorFactory(platform_id="dy_block_me")
    for _ in range(4):
        blocks.creator_block(merchant=merchant, creator=factories.CreatorFactory(), reason="测试", by=merchant.user)
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
    foreign = blocks.creator_block(merchant=other, creator=creator, reason="别家", by=other.user)
    assert merchant_client.post(f"/merchant/samples/blocks/{foreign.pk}/lift/", {"lift_reason": "x"}).status_code == 404
    assert "别家" not in html(merchant_client.get("/merchant/samples/blocks/"))


def test_v5_blocked_creator_sees_only_the_plain_message(client, merchant):
    creator = factories.CreatorFactory()
    product = eligible_product(shop__merchant=merchant)
    blocks.creator_block(merchant=merchant, creator=creator, reason="内部原因不公开", by=merchant.user)
    client.force_login(creator.user)
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert "该商家暂不接受您账号的样品申请" in page and "内部原因不公开" not in page


def test_v5_blocks_page_empty_state(merchant_client):
    assert "您还没有拉黑任何达人" in html(merchant_client.get("/merchant/samples/blocks/"))
