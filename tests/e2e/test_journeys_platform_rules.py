"""End-to-end journeys through the platform's rules, in Chromium (issue #13): qualifications
submitted and approved in the admin (F4, F2), a flash sale created and bought out (FS3–FS6),
the official account's limit (C2/C3) and an alliance removal scheduled and cancelled (D1–D2).

As in test_journeys.py, each page is checked with axe-core and the last one photographed at
1280 and 390 px (tests/e2e/conftest.py). Selectors are form actions, field names and button
values, so the journeys survive restyling; the messages asserted are the Chinese the user
reads (zh-hans catalogues, or the platform's own wording for C1)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from filings.models import Filing
from flashsales.models import FlashSale
from shops.models import AllianceListing, AllianceRemoval, LiveCartItem, LiveSession, ShowcaseItem
from shops.official_accounts.limits import C1_LIMIT_MESSAGE
from tests import factories
from tests.conftest import png_bytes
from tests.filings.factories import FilingFactory
from tests.flashsales import factories as ff
from tests.shops import helpers as oa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_journey_f4_qualifications_submitted_and_approved_in_the_admin(journey):
    licence = factories.DocumentTypeFactory(code="e2e-licence", name="珠宝鉴定证书")
    category = factories.CategoryFactory(name="翡翠玉石e2e")
    category.required_documents.add(licence)
    filing = FilingFactory(product__title="糯种飘花手镯", product__category=category)
    merchant = journey(filing.product.shop.merchant.user)
    merchant.open("/merchant/filings/")
    merchant.check("merchant filing tasks")
    merchant.screens("filing-tasks")
    merchant.submit(f"main a[href$='/merchant/filings/{filing.pk}/']")
    assert "珠宝鉴定证书" in merchant.text("main")  # the category's document, asked by name (F4)
    merchant.check("merchant filing, pending")
    merchant.page.set_input_files(f"input[name=doc_{licence.pk}]", files=[{"name": "证书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    merchant.page.check("input[name=acknowledge]")  # the F12 notice, acknowledged
    merchant.submit("form:has(input[name=acknowledge]) button")
    assert "资质已提交：报备审核中。" in merchant.text("main")
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.UNDER_REVIEW
    merchant.check("merchant filing, under review")

    reviewer = journey(factories.StaffFactory(username="qual_reviewer"), admin=True)
    reviewer.open("/admin/filings/filing/")  # the queue opens on what waits (审核中)
    assert "糯种飘花手镯" in reviewer.text("#result_list")
    reviewer.screens("admin-filing-queue")
    reviewer.page.check(f"#result_list input[name=_selected_action][value='{filing.pk}']")
    reviewer.page.select_option("select[name=action]", "approve_selected")
    reviewer.submit("#changelist-form button[name=index], #changelist-form input[name=index]")
    assert "糯种飘花手镯" in reviewer.text("#content")  # the intermediate page names what is decided
    reviewer.check("admin filing decision")
    reviewer.submit("#content form input[type=submit]")
    assert "已审核通过 1 条报备。" in reviewer.text("body")
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.APPROVED

    merchant.open(f"/merchant/filings/{filing.pk}/")
    assert "审核通过" in merchant.text("main h1")
    assert "证书.pdf" in merchant.text("main")  # the document stays on file
    history = merchant.text("main").split("处理记录", 1)[1]
    assert filing.product.shop.name in history and filing.product.shop.merchant.user.username not in history  # names, not logins
    merchant.check("merchant filing, approved")
    merchant.screens("qualifications-approved")


def test_journey_fs3_a_flash_sale_created_and_bought_out_by_a_buyer(journey):
    session = ff.LiveSessionFactory(status=LiveSession.Status.SCHEDULED, title="翡翠专场")
    creator = session.creator
    product = ff.JadeProductFactory(title="冰飘翡翠手镯")
    factories.AllianceListingFactory(product=product)
    template = ff.ShippingTemplateFactory(creator=creator, name="顺丰包邮", fee=Decimal("0.00"))
    me = journey(creator.user)
    me.open(f"/creator/sessions/{session.pk}/")
    me.submit(f"main a[href$='/sessions/{session.pk}/transition/go_live/']")  # 开播 asks first
    me.check("go live confirmation")
    me.submit("[data-testid=confirm-submit]")
    assert "已开播。" in me.text("main")

    me.open(f"/creator/flash-sales/sessions/{session.pk}/")
    if not me.page.is_visible("input[name=title]"):
        me.page.click("details:has(input[name=title]) > summary")  # folded during the broadcast
    me.page.select_option("select[name=product]", str(product.pk))
    me.page.fill("input[name=title]", "冰飘手镯 秒杀")
    me.page.fill("input[name=price]", "1888")
    me.page.fill("input[name=quantity]", "2")
    me.page.set_input_files("input[name=picture]", files=[{"name": "card.png", "mimeType": "image/png", "buffer": png_bytes()}])
    me.page.select_option("select[name=shipping_template]", str(template.pk))
    me.submit("form:has(input[name=quantity]) button[type=submit]")
    assert "闪购“冰飘手镯 秒杀”已在直播间上线。" in me.text("main")
    sale = FlashSale.objects.get(session=session)
    me.check("flash-sale console, open")
    me.screens("flash-sale-console-open")

    buyer = journey()
    buyer.open(f"/live/{session.pk}/")
    buyer.page.fill("input[name=nickname]", "买家小王")
    buyer.submit(f"form[action$='/live/{session.pk}/join/'] button")
    assert "剩余 2 件" in buyer.text("[data-testid=panel]")
    buyer.check("live room with a flash sale")
    buy = f"form[action$='/live/{session.pk}/buy/{sale.pk}/']"
    buyer.page.fill(f"{buy} input[name=quantity]", "2")
    buyer.submit(f"{buy} button")
    assert "已购买 2 件“冰飘手镯 秒杀”" in buyer.text("main")
    assert "冰飘手镯 秒杀" not in buyer.text("[data-testid=panel]")  # sold out: it left the bag
    buyer.check("live room, bought out")
    buyer.screens("flash-sale-bought-out")

    assert FlashSale.objects.get(pk=sale.pk).status == FlashSale.Status.SOLD_OUT
    me.open(f"/creator/flash-sales/sessions/{session.pk}/")
    assert "2 / 2" in me.text(f"[data-testid=sold-{sale.pk}]")
    assert "已售罄" in me.text("[data-testid=board]")
    me.check("flash-sale console, sold out")
    me.screens("flash-sale-console-sold-out")


def test_journey_c3_the_official_account_sees_its_3_non_own_slots_and_the_4th_is_refused(journey):
    from shops import services

    creator = oa.official_account(nickname="羊绒官方旗舰号")  # an individual shop's official account, limits on (C6)
    own = oa.own_product(creator, title="本店羊绒围巾")
    a, b, c, d = (oa.alliance_product(product__title=t) for t in ("联盟保温杯", "联盟蓝牙耳机", "联盟真丝眼罩", "联盟香薰蜡烛"))
    session = oa.session_for(creator, title="周末羊绒专场")
    for product in (own, a, b):
        services.cart_add(session=session, product=product, by=creator.user)
    page = f"/creator/sessions/{session.pk}/"
    add = f"form[action$='/sessions/{session.pk}/cart/add/']"

    me = journey(creator.user)
    me.open(page)
    # Before any click: 2 of 3 non-own slots used, 1 left, and each cart row marked own / non-own.
    assert "非本店商品: 已用 2 / 3 个" in me.text("[data-testid=carry-slots]").replace("：", ": ")
    assert "本场还可加入 1 个非本店商品" in me.text("[data-testid=cart-add-help]")
    assert me.page.locator("[data-testid=own]").count() == 1 and me.page.locator("[data-testid=non-own]").count() == 2
    me.check("official account session, 2 of 3")
    stale = journey(creator.user)  # the same page left open in a second tab
    stale.open(page)

    me.page.select_option(f"{add} select[name=product]", str(c.pk))
    me.submit(f"{add} button")
    assert "“联盟真丝眼罩”已加入购物车。" in me.text("main")
    assert "已用 3 / 3 个" in me.text("[data-testid=carry-slots]")
    assert "本店商品，以及本场已计数的非本店商品（可重新加入）。" in me.text("[data-testid=cart-add-help]")
    assert me.page.locator(f"{add} option[value='{d.pk}']").count() == 0  # a 4th is no longer offered
    me.check("official account session, 3 of 3")

    # The stale tab still offers the 4th: the carry gate refuses it with the platform's words.
    stale.page.select_option(f"{add} select[name=product]", str(d.pk))
    stale.submit(f"{add} button")
    assert str(C1_LIMIT_MESSAGE.zh) == "累计添加联盟商品数已达上限，请添加您店铺的商品喔～"
    assert C1_LIMIT_MESSAGE.zh in stale.text("main")
    assert not LiveCartItem.objects.filter(session=session, product=d).exists()
    stale.check("official account session, 4th refused")

    # C3 once live: a removed non-own product still counts, and only it may come back.
    me.submit(f"main a[href$='/sessions/{session.pk}/transition/go_live/']")
    me.submit("[data-testid=confirm-submit]")
    item = LiveCartItem.objects.get(session=session, product=c)
    me.submit(f"form[action$='/sessions/{session.pk}/cart/{item.pk}/'] button[value=remove]")
    assert "已移出购物车。" in me.text("main")
    assert "已用 3 / 3 个" in me.text("[data-testid=carry-slots]")
    assert me.page.locator(f"{add} option[value='{c.pk}']").count() == 1
    assert me.page.locator(f"{add} option[value='{d.pk}']").count() == 0
    me.check("official account session, live")
    me.screens("official-account-limit")


def test_journey_d2_an_alliance_removal_scheduled_then_cancelled(journey):
    listing = factories.AllianceListingFactory(product__title="手工紫砂壶")
    product = listing.product
    carrier = factories.CreatorFactory(nickname="茶艺小雅")
    ShowcaseItem.objects.create(creator=carrier, product=product)
    me = journey(product.shop.merchant.user)
    me.open("/merchant/alliance/")
    me.check("merchant alliance page")
    me.screens("merchant-alliance")
    me.page.check(f"input[name=products][value='{product.pk}']")
    me.submit(f"form:has(input[name=products][value='{product.pk}']) button")
    assert me.text("[data-testid=impact-showcases]") == "1"  # who will be affected, before confirming
    me.check("alliance removal confirmation")
    me.screens("alliance-removal-confirm")
    me.page.check("input[name=when][value=scheduled]")
    at = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    me.page.fill("input[name=at]", at.strftime("%Y-%m-%dT%H:%M"))
    me.page.fill("textarea[name=compensation_note]", "已付定金的买家补偿10元券")
    me.submit("form:has(input[name=confirm]) button[type=submit]")
    assert "已设置定时下架，生效前可以取消。" in me.text("main")
    assert f"将于 {at:%Y-%m-%d %H:%M} 下架精选联盟。" in me.text("[data-testid=alliance-removal-panel]")
    removal = AllianceRemoval.objects.get(listing=listing)
    assert removal.status == AllianceRemoval.Status.SCHEDULED and removal.scheduled_at == at
    me.check("product with a scheduled removal")

    me.submit(f"form[action$='/alliance/removals/{removal.pk}/cancel/'] button")
    assert "已取消，商品继续留在精选联盟。" in me.text("main")
    assert AllianceRemoval.objects.get(pk=removal.pk).status == AllianceRemoval.Status.CANCELLED
    assert AllianceListing.objects.get(pk=listing.pk).status == AllianceListing.Status.LISTED
    me.check("product, removal cancelled")
    me.screens("alliance-removal-cancelled")

    told = journey(carrier.user)  # the creator carrying it was told both times
    told.open("/notifications/")
    assert told.text("main").count("手工紫砂壶") >= 2
    told.check("creator notifications about the removal")
