"""The README's walk-throughs, word for word, 30 minutes after `seed_demo` (issue 26, item 6).

Each test is one README walk-through of one role: it logs in as the README says (the demo
password), follows the links by the names the README gives them (商品, 新建商品, 样品申请 → 数据, 更多 →
样品回报…) and does what the README says can be done there, on the demo world as it is 30
minutes after seeding, with beat's sweeps every minute and the demo activity every 3 minutes
in between (as `make run` runs them). A README sentence that stops being true fails here.
"""

from __future__ import annotations

import io
import json
import random
import re
import uuid
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from samples.models import SampleRequest
from shops.management.commands.seed_demo import DEMO_PASSWORD
from shops.models import LiveSession, Product
from tests.conftest import png_bytes
from tests.samples.factories import T0, travel
from tests.samples.test_demo_activity import tick

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)
AT = T0 + 30 * M  # "30 minutes of clock after the seed"
README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.fixture
def demo():
    """The demo world 30 minutes after `make run`'s seed: beat's sweeps ran every minute
    (here every 3), the demo activity every 3 minutes; the test then acts at that moment."""
    rng = random.Random(30)
    with travel(T0):
        call_command("seed_demo", stdout=io.StringIO())
    for n in range(1, 11):
        tick(T0 + 3 * n * M, rng)
    with travel(AT):
        yield


# -- reading pages as a person does: by the words on them ----------------------------------


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def links(html: str, label: str) -> list[str]:
    """The hrefs of the links whose text is `label` (tags inside the link ignored)."""
    found = []
    for href, inner in re.findall(r'<a\b[^>]*?href="([^"#][^"]*)"[^>]*>(.*?)</a>', html, re.S):
        if text(inner) == label or re.match(re.escape(label) + r"\W", text(inner)):  # 「我的履约分: 9/12」
            found.append(unescape(href))
    return found


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def follow(client, html: str, label: str) -> tuple[str, str]:
    hrefs = links(html, label)
    assert hrefs, f"no link 「{label}」 on the page"
    return hrefs[0], get(client, hrefs[0])


def form_fields(html: str, action: str) -> dict:
    """The values a browser would send from the form posting to `action` (hidden inputs,
    checked boxes, selected options): the one-time keys come along."""
    every = list(re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S))
    forms = [m for m in every if f'action="{action}"' in m.group(1)]
    if not forms:  # a form posting back to its own page
        forms = sorted((m for m in every if 'method="post"' in m.group(1) and 'action="' not in m.group(1).replace('action=""', "")),
                       key=lambda m: -len(m.group(2)))
    assert forms, f"no form posting to {action}"
    body = forms[0].group(2)
    data: dict = {}
    for attrs in re.findall(r"<input\b([^>]*)>", body):
        name = re.search(r'name="([^"]+)"', attrs)
        if not name or "csrf" in name.group(1):
            continue
        kind = (re.search(r'type="([^"]+)"', attrs) or re.search("()", "")).group(1)
        value = unescape((re.search(r'value="([^"]*)"', attrs) or re.search("()", "")).group(1))
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            continue
        if kind in ("submit", "file"):
            continue
        data[name.group(1)] = value
    return data


def post(client, url: str, data: dict, *, status=302, **kwargs):
    response = client.post(url, data, **kwargs)
    assert response.status_code == status, (url, response.status_code, text(response.content.decode())[:600])
    return response


def login(client, username: str) -> str:
    """The README's logins: every demo account takes the demo password."""
    assert f"`{username}`" in README
    post(client, "/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    return username


def board(html: str) -> dict[str, tuple[int, str]]:
    """The to-do board: label → (count, link)."""
    cards = re.findall(r'<a class="card card-body todo-count[^"]*" href="([^"]+)"[^>]*>\s*<span[^>]*>([^<]+)</span>\s*<span[^>]*>(\d+)</span>', html)
    return {label.strip(): (int(count), unescape(href)) for href, label, count in cards}


def image(name="main.png"):
    return SimpleUploadedFile(name, png_bytes((64, 64)), content_type="image/png")


# -- The marketplace core: a walk-through ------------------------------------------------------


def test_readme_merchant_m_snacks(demo, client):
    """README, The marketplace core → Merchant (`m_snacks`), and the to-do board."""
    login(client, "m_snacks")
    home = get(client, "/merchant/")  # lands on /merchant/ (counts, shops, latest notifications)
    assert "川味零食小铺" in home and "通知" in text(home)

    # /merchant/ opens on the to-do board: 待审核 / 待发货 / 待报备 / 即将到期, each a link to the filtered list.
    counts = board(home)
    assert list(counts) == ["待审核", "待发货", "待报备", "即将到期"], counts
    for label in ("待审核", "待发货", "待报备"):
        assert counts[label][0] >= 1, (label, counts)
    for count, url in counts.values():
        listed = get(client, url)
        assert count == 0 or "/merchant/" in listed
    assert "data-testid=\"todo-deadline\"" in home  # then the nearest deadlines with the time left

    # 商品 lists the products with search and pagination.
    products_url, products = follow(client, home, "商品")
    assert "重庆火锅底料 4袋装" in products and "麻辣牛肉干 200g" in products
    found = get(client, products_url + "?q=火锅")
    assert "重庆火锅底料 4袋装" in found and "麻辣牛肉干 200g" not in found

    # 新建商品 creates one: title, short title, category, price, stock, attributes one per line, main and detail images.
    new_url, new_form = follow(client, products, "新建商品")
    shop_id = re.search(r'<option value="(\d+)"[^>]*>川味零食小铺', new_form).group(1)
    category_id = re.search(r'<option value="(\d+)"[^>]*>食品饮料', new_form).group(1)
    data = {**form_fields(new_form, new_url), "shop": shop_id, "title": "川味冷吃兔 200g", "short_title": "冷吃兔", "category": category_id,
            "price": "36.80", "stock": "50", "attributes_text": "产地：四川自贡\n辣度：特辣", "main_image": image(),
            "detail_images_upload": [image("a.png"), image("b.jpg")]}
    response = post(client, new_url, data)
    product = Product.objects.get(title="川味冷吃兔 200g")
    assert product.attributes == {"产地": "四川自贡", "辣度": "特辣"}
    page_url = response.url
    page = get(client, page_url)
    # On the product page: edit, put on or take off sale, list it in the alliance with a commission, switch free samples.
    assert links(page, "编辑")
    post(client, f"/merchant/products/{product.pk}/sale/", {"action": "on"})
    assert Product.objects.get(pk=product.pk).sale_status == Product.SaleStatus.ON_SALE
    page = get(client, page_url)
    assert "下架" in text(page)
    alliance_url = f"/merchant/products/{product.pk}/alliance/"
    post(client, alliance_url, {**form_fields(get(client, alliance_url), alliance_url), "commission_rate": "22", "sample_support": "on"})
    post(client, f"/merchant/products/{product.pk}/samples-switch/", {"enabled": "0"})
    assert "开启免费申样" in text(get(client, page_url))  # switched off: the button offers to switch it on
    post(client, f"/merchant/products/{product.pk}/samples-switch/", {"enabled": "1"})
    assert Product.objects.get(pk=product.pk).alliance_listing.sample_support

    # Charts: 样品申请 → tab 数据 draws the funnel; 更多 → 样品回报; the dashboard's 样品回报 card links to both.
    inbox_url, inbox = follow(client, home, "样品申请")
    stats_url, stats = follow(client, inbox, "数据")
    assert stats_url == "/merchant/samples/stats/"
    for step in ("申请", "通过", "发货", "收货", "推广", "履约"):
        assert step in text(stats)
    returns_url, _ = follow(client, home, "样品回报")
    assert returns_url == "/merchant/samples/returns/"
    assert '"/merchant/samples/stats/"' in home and '"/merchant/samples/returns/"' in home

    # Ship to the 收货地址 shown on a request from its approval on (the creator's snapshot).
    to_ship = get(client, counts["待发货"][1])
    sample = SampleRequest.objects.filter(merchant__user__username="m_snacks", state=SampleRequest.State.APPROVED).first()
    detail_url = f"/merchant/samples/{sample.pk}/"
    assert detail_url in to_ship
    detail = get(client, detail_url)
    assert sample.ship_to_phone in detail and sample.ship_to_street in detail  # in full, not masked
    ship_url = f"/merchant/samples/{sample.pk}/ship/"
    post(client, ship_url, {**form_fields(detail, ship_url), "carrier": "sf", "tracking_number": "SF123456789012"})
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.SHIPPED

    # And a request to decide: approve it on its page.
    waiting = SampleRequest.objects.filter(merchant__user__username="m_snacks", state=SampleRequest.State.REQUESTED).first()
    decide_url = f"/merchant/samples/{waiting.pk}/decide/"
    page = get(client, f"/merchant/samples/{waiting.pk}/")
    post(client, decide_url, {**form_fields(page, decide_url), "action": "approve"})
    assert SampleRequest.objects.get(pk=waiting.pk).state == SampleRequest.State.APPROVED


def test_readme_creator_c_dapeng(demo, client):
    """README, The marketplace core → Creator (`c_dapeng`)."""
    login(client, "c_dapeng")
    home = get(client, "/creator/")  # lands on /creator/

    # /creator/ opens on the to-do board (待确认收货 / 待推广 and their deadlines).
    counts = board(home)
    assert list(counts) == ["待确认收货", "待推广"], counts
    assert counts["待确认收货"][0] >= 1 and counts["待推广"][0] >= 1, counts
    assert "data-testid=\"todo-deadline\"" in home

    # 选品广场 filters the alliance by search, category, price range, shop type and sample support, 12 a page.
    market_url, market = follow(client, home, "选品广场")
    for field in ('name="q"', 'name="category"', 'name="price_min"', 'name="price_max"', 'name="shop_type"', 'name="sample_support"'):
        assert field in market, field
    found = get(client, market_url + "?q=牛肉干&price_min=10&price_max=50&sample_support=yes")
    assert "麻辣牛肉干 200g" in found and "花漾身体乳" not in found
    assert "不在可用的选项中" not in found

    # A product page adds it to the showcase or to a session's cart.
    chili = Product.objects.get(title="麻辣牛肉干 200g")
    detail = get(client, f"/creator/marketplace/{chili.alliance_listing.pk}/")
    assert "麻辣牛肉干 200g" in detail and 'action="/creator/showcase/add/"' in detail and "加入购物车" in text(detail)
    post(client, "/creator/showcase/add/", {"product": chili.pk})
    assert chili.showcase_items.filter(creator__user__username="c_dapeng").exists()

    # 直播场次 schedules a session, adds and removes cart products, goes live, marks explained, ends it.
    sessions_url, sessions = follow(client, home, "直播场次")
    assert "大鹏今晚零食节" in sessions and "大鹏 × 小鱼 PK 专场" in sessions
    start = (AT + 2 * 60 * M).astimezone(T0.tzinfo).strftime("%Y-%m-%dT%H:%M")
    post(client, "/creator/sessions/new/", {"title": "大鹏周末加场", "scheduled_start": start})
    session = LiveSession.objects.get(title="大鹏周末加场")
    post(client, f"/creator/sessions/{session.pk}/cart/add/", {"product": chili.pk})
    hotpot = Product.objects.get(title="重庆火锅底料 4袋装")
    post(client, f"/creator/sessions/{session.pk}/cart/add/", {"product": hotpot.pk})
    removed = session.cart_items.get(product=hotpot)
    post(client, f"/creator/sessions/{session.pk}/cart/{removed.pk}/", {"action": "remove"})
    post(client, f"/creator/sessions/{session.pk}/transition/", {"action": "go_live"})
    item = session.cart_items.get(product=chili)
    post(client, f"/creator/sessions/{session.pk}/cart/{item.pk}/", {"action": "explain"})
    post(client, f"/creator/sessions/{session.pk}/transition/", {"action": "end"})
    session = LiveSession.objects.get(pk=session.pk)
    assert session.status == LiveSession.Status.ENDED
    assert session.cart_items.get(pk=removed.pk).removed_at is not None  # the removed ones stay as history
    assert session.cart_items.get(pk=item.pk).explained_at is not None

    # 短视频 publishes a video with products in its cart.
    videos_url, videos = follow(client, home, "短视频")
    post(client, "/creator/videos/publish/", {"title": "牛肉干开箱", "products": [chili.pk]})
    assert "牛肉干开箱" in get(client, videos_url)

    # The address book: 更多 → 收货地址 adds, edits and picks the default address.
    book_url, book = follow(client, home, "收货地址")
    assert book_url == "/creator/addresses/"
    new_url = "/creator/addresses/new/"
    form = get(client, new_url)
    post(client, new_url, {**form_fields(form, new_url), "name": "王大鹏", "phone": "13912345678", "province": "广东省", "city": "深圳市",
                           "district": "南山区", "street": "科技园南区 2 栋 301"})
    from samples.models import ShippingAddress

    address = ShippingAddress.objects.get(creator__user__username="c_dapeng", city="深圳市")
    edit_url = f"/creator/addresses/{address.pk}/"
    post(client, edit_url, {**form_fields(get(client, edit_url), edit_url), "name": "王大鹏", "phone": "13912345678", "province": "广东省",
                            "city": "深圳市", "district": "南山区", "street": "科技园南区 2 栋 302"})
    post(client, f"/creator/addresses/{address.pk}/default/", {})
    assert ShippingAddress.objects.get(pk=address.pk).is_default

    # Asking for a sample (选品广场 → a product → 免费申样) chooses one of them.
    offers = get(client, market_url + "?sample_support=yes")
    for listing_url in dict.fromkeys(re.findall(r'href="(/creator/marketplace/\d+/)"', offers)):
        page = get(client, listing_url)
        if 'data-testid="ask-form"' in page:
            break
    else:
        pytest.fail("no product in the marketplace offers 免费申样 to c_dapeng")
    ask_url = re.search(r'action="(/creator/samples/request/\d+/)"', page).group(1)
    assert "免费申样" in text(page) and "科技园南区 2 栋 302" in page
    post(client, ask_url, {**form_fields(page, ask_url), "address": address.pk})
    asked = SampleRequest.objects.filter(creator__user__username="c_dapeng").latest("requested_at")
    assert asked.ship_to_street == "科技园南区 2 栋 302" and asked.requested_at == AT

    # 我的样品申请 → the 我的履约分 button draws the score of the last 12 weeks, its numbers in a table beside it.
    mine_url, mine = follow(client, home, "我的样品申请")
    score_url, score = follow(client, mine, "我的履约分")
    assert score_url == "/creator/samples/score/" and "<table" in score and "<svg" in score


def test_readme_reviewer(demo, client):
    """README, The marketplace core → Reviewer (`reviewer`, /admin/) and platform staff (`platform`)."""
    login(client, "reviewer")
    index = get(client, "/admin/")
    # The admin index opens on the queues (待审核事项: 审核中的报备 …, each with its size), then two charts.
    page = text(index)
    assert "待审核事项" in page and "审核中的报备" in page
    assert "每周报备审核结果" in page and "审核中报备的等待时长" in page
    queue_url = links(index, "审核中的报备")[0]
    queue = get(client, queue_url)
    from filings.models import Filing

    filing = Filing.objects.filter(state=Filing.State.UNDER_REVIEW).order_by("pk").first()
    assert filing is not None
    # On an item's own page: the decisions its state allows are buttons, with one reason box.
    change_url = f"/admin/filings/filing/{filing.pk}/change/"
    assert change_url in queue
    item = get(client, change_url)
    assert "审核通过" in text(item) and "审核未通过" in text(item)
    # 平台规则 lists every number and on/off policy with its rule id.
    rules = text(get(client, "/admin/core/rulesetting/"))
    assert "S4" in rules and "S5" in rules and "F9" in rules
    client.logout()

    # Platform staff (`platform`) change a value there, with a reason; each change is recorded.
    login(client, "platform")
    from core.models import RuleChange, RuleSetting

    setting = RuleSetting.objects.filter(key="sample_due_soon").first()
    assert setting is not None
    before = RuleChange.objects.count()
    url = f"/admin/core/rulesetting/{setting.pk}/change/"
    form = get(client, url)
    post(client, url, {**form_fields(form, ""), "value": "7", "unit": "hours", "reason": "演示：提前提醒"})
    assert RuleChange.objects.count() == before + 1


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


def test_readme_everyone_notifications_and_the_language_switch(demo, client):
    """README, The marketplace core → Everyone: the notification centre (通知, unread count in
    the header) gets every domain's messages; English / 中文 switches the language
    (the browser's own language ignored: Chinese unless the person asks)."""
    from core.models import Notification

    login(client, "m_snacks")
    home = client.get("/merchant/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "工作台" in home  # the browser asked for English: ignored
    unread = Notification.objects.filter(user__username="m_snacks", read_at__isnull=True).count()
    assert unread and re.search(rf'data-testid="unread">{unread}<', home)
    centre = text(get(client, "/notifications/"))
    assert "样品" in centre and "报备" in centre  # every domain's messages (samples, filings)
    assert Notification.objects.filter(user__username="m_snacks", kind="filing").exists()
    client.post("/i18n/setlang/", {"language": "en", "next": "/merchant/"})
    assert "Dashboard" in get(client, "/merchant/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/merchant/"})
    assert "工作台" in get(client, "/merchant/")
