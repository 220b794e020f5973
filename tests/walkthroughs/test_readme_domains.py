"""The README's walk-throughs of the API and of each domain's section (filings, samples at
volume, flash sales, appeals, the alliance), word for word, 30 minutes after `seed_demo`."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samples.models import SampleRequest
from shops.models import LiveSession, Product
from tests.samples.factories import T0, travel
from tests.walkthroughs.helpers import M, follow, form_fields, get, login, post, text

pytestmark = pytest.mark.django_db


def test_readme_api_approve_and_ship_with_a_key(demo, client):
    """README, Open API: create a key on 更多 → API 密钥, then the two curl calls."""
    login(client, "m_snacks")
    home = get(client, "/merchant/")
    keys_url, keys = follow(client, home, "API 密钥")
    assert keys_url == "/merchant/api-keys/"
    response = post(client, keys_url, {**form_fields(keys, keys_url), "name": "ERP", "scopes": ["read", "samples"], "days": "90"}, status=200)
    key = re.search(r"dh_[0-9a-f]{12}_[\w-]+", response.content.decode()).group(0)
    assert "读取、样品" in get(client, keys_url)
    client.logout()

    sample = SampleRequest.objects.filter(merchant__user__username="m_snacks", state=SampleRequest.State.REQUESTED).first()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    approved = client.post(f"/api/v1/merchant/sample-requests/{sample.pk}/approve/", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **auth)
    assert approved.status_code == 200, approved.content
    shipped = client.post(f"/api/v1/merchant/sample-requests/{sample.pk}/ship/", json.dumps({"carrier": "sf", "tracking_number": "SF123456789012"}),
                          content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **auth)
    assert shipped.status_code == 200, shipped.content
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.SHIPPED
    # refused: {"type": ".../rule-refused", "title": "被平台规则拒绝。", "status": 422, "detail": "…", "rule": "S5"}
    late = SampleRequest.objects.filter(merchant__user__username="m_snacks", state=SampleRequest.State.APPROVED).first()
    assert late is not None  # the demo keeps one waiting to be shipped
    if late is not None:
        with travel(late.ship_cancel_at):
            refused = client.post(f"/api/v1/merchant/sample-requests/{late.pk}/ship/",
                                  json.dumps({"carrier": "sf", "tracking_number": "SF123456789013"}), content_type="application/json",
                                  HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **auth)
        problem = refused.json()
        assert refused.status_code == 422 and problem["title"] == "被平台规则拒绝。" and problem["rule"] == "S5"
        assert problem["type"].endswith("/rule-refused")


# -- Filings (报备) ----------------------------------------------------------------------------


def test_readme_filings_merchant_m_snacks_submits_the_pk_filing(demo, client):
    """README, Filings → Merchant: 「Try: `m_snacks` → 川味零食大礼包 (pending, PK) → submit.」"""
    from filings.models import Filing

    login(client, "m_snacks")
    list_url, listing = follow(client, get(client, "/merchant/"), "商品资质管理")
    assert list_url == "/merchant/filings/"
    filing = Filing.objects.get(product__title="川味零食大礼包", state=Filing.State.PENDING)
    assert "小鱼" in text(listing) and "KS10086" in text(listing)  # linked creator "nickname + ID"
    detail_url = f"/merchant/filings/{filing.pk}/"
    assert detail_url in listing
    detail = get(client, detail_url)
    assert "食品经营许可证" in text(detail)  # the documents its category asks for
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
                             content_type="application/pdf")
    doc = re.search(r'name="(doc_\d+)"', detail).group(1)
    post(client, detail_url, {"acknowledge": "on", doc: pdf})
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.UNDER_REVIEW
    # The demo's documents read as a merchant's scans, not as codes (issue 26: no raw values).
    other = Filing.objects.get(product__title="重庆火锅底料 4袋装")
    page = text(get(client, f"/merchant/filings/{other.pk}/"))
    assert "食品经营许可证.pdf" in page and "food-licence" not in page


def test_readme_filings_creator_c_xiaoyu(demo, client):
    """README, Filings → Creator (`c_xiaoyu`): 在售商品与报备 shows each on-sale product's filing state."""
    login(client, "c_xiaoyu")
    url, page = follow(client, get(client, "/creator/"), "在售商品与报备")
    assert url == "/creator/filings/"
    for state in ("审核通过", "审核中", "待处理", "审核未通过"):
        assert state in text(page), state


# -- Samples at volume: the walk-throughs -------------------------------------------------------


def test_readme_samples_at_volume_v1_to_v5(demo, client):
    """README, Samples at volume (V1–V5), walk-through after seed_demo."""
    login(client, "c_lowscore")
    score = text(get(client, "/creator/samples/score/"))
    assert re.search(r"6\s*/\s*12", score), score[:500]
    client.logout()

    login(client, "m_beauty")
    rules = text(get(client, "/merchant/samples/rules/"))
    assert "50万粉且履约分≥10 自动通过" in rules and "花漾个护企业店" in rules and "履约分低于9 自动拒绝" in rules
    inbox = text(get(client, "/merchant/samples/"))
    assert "自动：50万粉且履约分≥10 自动通过" in inbox and "花漾身体乳" in inbox  # 大鹏's request, approved by the rule
    client.logout()

    login(client, "m_jade")
    quotas = text(get(client, "/merchant/samples/quotas/"))
    assert re.search(r"翡翠平安扣吊坠 和田玉石专营店 2 / 3 总计 1 ", quotas), quotas  # used / quota, period, 1 left
    client.logout()

    login(client, "m_snacks")
    blocks = get(client, "/merchant/samples/blocks/")
    assert "风险号" in text(blocks) and "多次申样后转卖样品" in text(blocks) and "/lift/" in blocks


def test_readme_v7_extension_merchant_m_snacks(demo, client):
    """README, V7 extension → Merchant (`m_snacks`): the request's page shows the reason, the
    countdown to the automatic grant, 拒绝 (with a reason) and 立即同意."""
    from samples.models import ExtensionRequest

    login(client, "m_snacks")
    extension = ExtensionRequest.objects.filter(sample__merchant__user__username="m_snacks", state=ExtensionRequest.State.REQUESTED).first()
    assert extension is not None
    page = get(client, f"/merchant/samples/{extension.sample_id}/")
    assert extension.reason in text(page) and "data-deadline" in page
    assert "拒绝" in text(page) and "立即同意" in text(page)


# -- Flash sales and appeals --------------------------------------------------------------------


def test_readme_flash_sales_c_jadeking_and_a_viewer(demo, client):
    """README, Flash sales → Creator `c_jadeking`: 直播场次 → 玉石哥和田玉直播 (live) → 闪购控制台; Viewer: demo-amei."""
    login(client, "c_jadeking")
    _, sessions = follow(client, get(client, "/creator/"), "直播场次")
    session = LiveSession.objects.get(title="玉石哥和田玉直播", status=LiveSession.Status.LIVE)
    session_page = get(client, f"/creator/sessions/{session.pk}/")
    console_url, console = follow(client, session_page, "闪购控制台")
    assert "和田玉手镯" in text(console) and "顺丰包邮" in text(console) and "+ 定向" in text(console)
    client.logout()
    room = text(get(client, f"/live/{session.pk}/?viewer=demo-amei"))
    assert "羊脂白玉手镯 圈口56 一手货" in room and "阿梅专属 翡翠平安扣" in room
    other = text(get(client, f"/live/{session.pk}/?viewer=demo-xiaozhang"))
    assert "阿梅专属 翡翠平安扣" not in other


def test_readme_appeals_creator_c_jadeking_has_one_open(demo, client):
    """README, Appeals → Creator (`c_jadeking`): 我的样品申请 → 毛巾: the demo already has one open."""
    login(client, "c_jadeking")
    _, mine = follow(client, get(client, "/creator/"), "我的样品申请")
    towel = SampleRequest.objects.get(creator__user__username="c_jadeking", product__title="小鱼精选毛巾三条装")
    assert f"/creator/samples/{towel.pk}/" in mine
    page = text(get(client, f"/creator/samples/{towel.pk}/"))
    assert "申诉" in page


# -- Official accounts and taking products out of the alliance ------------------------------------


def test_readme_alliance_merchant_m_snacks(demo, client):
    """README, Official accounts and taking products out of the alliance → Merchant: `m_snacks` →
    Alliance: 川味零食大礼包 is scheduled three days out (cancel or announce until then); 怀旧辣条
    was taken out already: its product page asks the merchant to take it off sale too (D4)."""
    from shops.models import AllianceRemoval

    login(client, "m_snacks")
    url, alliance = follow(client, get(client, "/merchant/"), "精选联盟")
    removal = AllianceRemoval.objects.get(listing__product__title="川味零食大礼包", status=AllianceRemoval.Status.SCHEDULED)
    assert removal.scheduled_at == T0 + 3 * 24 * 60 * M  # three days out
    assert "川味零食大礼包" in text(alliance)
    assert f"/merchant/alliance/removals/{removal.pk}/cancel/" in alliance
    assert f"/merchant/alliance/removals/{removal.pk}/announce/" in alliance
    strips = Product.objects.get(title="怀旧辣条 经典装 30包")
    page = get(client, f"/merchant/products/{strips.pk}/")
    prompt = re.search(r'<div class="alert alert-warning[^"]*" role="alert">(.*?)</form>', page, re.S)
    assert prompt and "下架" in text(prompt.group(1)), "no D4 prompt to take 怀旧辣条 off sale"
