"""The README's walk-throughs of each role (merchant, creator, reviewer, everyone), word for word,
30 minutes after `seed_demo`: see tests/walkthroughs/helpers.py."""

from __future__ import annotations

import re

import pytest

from samples.models import SampleRequest
from shops.models import LiveSession, Product
from tests.samples.factories import T0
from tests.walkthroughs.helpers import AT, M, board, follow, form_fields, get, image, links, login, post, text

pytestmark = pytest.mark.django_db


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
