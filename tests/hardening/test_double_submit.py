"""Hole 6: every create is acted on once per submission. Identical POSTs at once (same
one-time key, as a double click or an impatient phone's retries send: RACERS of them, released
together) make one row; a repeat afterwards gets the first result. PostgreSQL, real threads,
one connection each.

Before the fix a flash-sale purchase made 2 orders for one click, flash-sale creation made
2 sales (both counting toward the FS5 caps), a D3 announcement was sent twice, and products
and live sessions were created twice."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from api.webhooks.models import WebhookEndpoint
from core.models import Submission
from filings.models import Filing, PKDeclaration
from flashsales.models import FlashSale, FlashSaleOrder, ProblemReport
from samples.models import ShippingAddress, TriageRule
from shops.alliance_removal import impact
from shops.alliance_removal import services as removal_services
from shops.models import BuyerAnnouncement, LiveSession, Product, ShortVideo, VideoCartItem
from tests import factories
from tests.flashsales import factories as ff
from tests.hardening.hostile import body
from tests.hardening.plugin import recorder

pytestmark = [pytest.mark.django_db(transaction=True)]


RACERS = 20


def twice_at_once(user, url: str, data, racers: int = RACERS) -> list[int]:
    """Post the same form from `racers` clients released together; the status codes."""
    barrier, statuses, crashes = threading.Barrier(racers), [], []
    clients = []
    for _ in range(racers):
        c = Client()
        if user is not None:
            c.force_login(user)
        clients.append(c)

    def run(c):
        try:
            payload = data() if callable(data) else data
            barrier.wait()
            statuses.append(c.post(url, payload).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            crashes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert crashes == []
    recorder().racers(len(statuses))  # measured: the posts that were answered
    return statuses


@pytest.mark.hardening
def test_hole6_identical_purchases_at_once_make_one_order():
    sale = ff.FlashSaleFactory(quantity=10)
    viewer = ff.ViewerFactory()
    key = str(uuid.uuid4())
    statuses = twice_at_once(None, f"/live/{sale.session_id}/buy/{sale.pk}/", {"viewer": viewer.token, "quantity": "1", "submission": key})
    assert statuses == [302] * RACERS
    assert FlashSaleOrder.objects.filter(flash_sale=sale).count() == 1
    assert FlashSale.objects.get(pk=sale.pk).sold_count == 1


@pytest.mark.hardening
def test_hole6_identical_flash_sale_creations_at_once_make_one_sale():
    from decimal import Decimal

    session = ff.LiveSessionFactory()
    product = ff.JadeProductFactory()
    factories.AllianceListingFactory(product=product)
    template = ff.ShippingTemplateFactory(creator=session.creator, fee=Decimal("12.00"))
    w = {"session": session, "creator": session.creator, "product": product, "template": template}
    key = str(uuid.uuid4())

    def data():
        return {"mode": "full", "product": w["product"].pk, "title": "手镯", "price": "10", "quantity": "1",
                "shipping_template": w["template"].pk, "submission": key,
                "picture": SimpleUploadedFile("p.png", body("png"), content_type="image/png")}

    statuses = twice_at_once(w["creator"].user, f"/creator/flash-sales/sessions/{w['session'].pk}/", data)
    assert statuses == [302] * RACERS
    assert FlashSale.objects.filter(session=w["session"]).count() == 1


@pytest.mark.hardening
def test_hole6_identical_announcements_at_once_are_sent_once():
    listing = factories.AllianceListingFactory()
    buyers = [factories.UserFactory() for _ in range(2)]
    impact.register_buyer_audience("double-submit-test", lambda product: buyers)
    try:
        removal = removal_services.alliance_removal_create(product=listing.product, by=None, at=timezone.now() + timedelta(days=1))
        statuses = twice_at_once(
            listing.product.shop.merchant.user, f"/merchant/alliance/removals/{removal.pk}/announce/",
            {"message": "本品将下架精选联盟", "submission": str(uuid.uuid4())},
        )
    finally:
        impact.unregister_buyer_audience("double-submit-test")
    assert statuses == [302] * RACERS
    assert BuyerAnnouncement.objects.filter(removal=removal).count() == 1


@pytest.mark.hardening
def test_hole6_identical_product_creations_at_once_make_one_product():
    shop = factories.ShopFactory()
    data = {"shop": shop.pk, "title": "和田玉手镯", "short_title": "手镯", "category": factories.CategoryFactory().pk,
            "price": "2680", "stock": "5", "submission": str(uuid.uuid4())}
    assert twice_at_once(shop.merchant.user, "/merchant/products/new/", data) == [302] * RACERS
    assert Product.objects.filter(shop=shop).count() == 1


@pytest.mark.hardening
def test_hole6_identical_session_creations_at_once_make_one_session():
    creator = factories.CreatorFactory()
    start = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "周末专场", "scheduled_start": start, "submission": str(uuid.uuid4())}
    assert twice_at_once(creator.user, "/creator/sessions/new/", data) == [302] * RACERS
    assert LiveSession.objects.filter(creator=creator).count() == 1


@pytest.mark.hardening
def test_hole6_identical_problem_reports_at_once_are_filed_once():
    """FS8: a report with a screenshot is slow to upload from a phone; tapping again must not
    file it twice with the platform's support desk."""
    creator, shop = factories.CreatorFactory(), factories.ShopFactory()
    key = str(uuid.uuid4())

    def data():
        return {"description": "定向闪购发不出去", "shop_id": shop.pk, "submission": key,
                "attachment": SimpleUploadedFile("s.png", body("png"), content_type="image/png")}

    assert twice_at_once(creator.user, "/creator/flash-sales/report/", data) == [302] * RACERS
    assert ProblemReport.objects.filter(reporter=creator.user).count() == 1


@pytest.mark.hardening
def test_hole6_identical_new_addresses_at_once_are_added_once():
    creator = factories.CreatorFactory()
    data = {"name": "张三", "phone": "13800138000", "province": "浙江省", "city": "杭州市", "district": "西湖区",
            "street": "文三路 1 号", "submission": str(uuid.uuid4())}
    assert twice_at_once(creator.user, "/creator/addresses/new/", data) == [302] * RACERS
    assert ShippingAddress.objects.filter(creator=creator).count() == 1


@pytest.mark.hardening
def test_hole6_identical_triage_rules_at_once_are_added_once():
    shop = factories.ShopFactory()
    data = {"name": "大号自动通过", "action": "approve", "scope": f"shop:{shop.pk}", "min_followers": "100000",
            "submission": str(uuid.uuid4())}
    assert twice_at_once(shop.merchant.user, "/merchant/samples/rules/new/", data) == [302] * RACERS
    assert TriageRule.objects.filter(merchant=shop.merchant).count() == 1


@pytest.mark.hardening
def test_hole6_identical_webhook_endpoints_at_once_are_added_once():
    """A twin endpoint would receive every event twice."""
    merchant = factories.MerchantFactory()
    data = {"url": "https://erp.example.com/hooks", "events": ["sample.state_changed"], "submission": str(uuid.uuid4())}
    assert twice_at_once(merchant.user, "/merchant/webhooks/", data) == [200] * RACERS
    assert WebhookEndpoint.objects.filter(merchant=merchant).count() == 1


@pytest.mark.hardening
def test_hole6_identical_video_publishes_at_once_make_one_video():
    """A twin video would carry the same cart twice (and count twice in V10's video orders)."""
    creator = factories.CreatorFactory()
    product = factories.AllianceListingFactory().product
    data = {"title": "开箱", "products": [product.pk], "submission": str(uuid.uuid4())}
    assert twice_at_once(creator.user, "/creator/videos/publish/", data) == [302] * RACERS
    assert ShortVideo.objects.filter(creator=creator).count() == 1
    assert VideoCartItem.objects.filter(video__creator=creator).count() == 1


@pytest.mark.hardening
def test_hole6_identical_pk_declarations_at_once_make_one_declaration():
    """F5: a twin declaration would open a second set of filing tasks for the same PK."""
    merchant = factories.MerchantFactory()
    specific = factories.CreatorFactory(platform_id="KS20023", is_specific=True, bound_shop=factories.ShopFactory())
    partner = factories.LiveSessionFactory(creator=specific)
    session = factories.LiveSessionFactory(creator=factories.CreatorFactory(), pk_partner=partner)
    product = factories.ProductFactory(shop__merchant=merchant)
    data = {"reason": "pk", "creators": "KS20023", "session": session.pk, "products": [product.pk],
            "submission": str(uuid.uuid4())}
    assert twice_at_once(merchant.user, "/merchant/filings/declare/", data) == [302] * RACERS
    assert PKDeclaration.objects.filter(merchant=merchant).count() == 1
    assert Filing.objects.filter(product=product).count() == 1


def test_hole6_a_repeat_after_the_first_gets_the_first_result_and_a_new_key_creates_again():
    creator = factories.CreatorFactory()
    client = Client()
    client.force_login(creator.user)
    start = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    key = str(uuid.uuid4())
    first = client.post("/creator/sessions/new/", {"title": "A", "scheduled_start": start, "submission": key})
    again = client.post("/creator/sessions/new/", {"title": "A", "scheduled_start": start, "submission": key})
    assert first.url == again.url and LiveSession.objects.filter(creator=creator).count() == 1
    client.post("/creator/sessions/new/", {"title": "A", "scheduled_start": start, "submission": str(uuid.uuid4())})
    assert LiveSession.objects.filter(creator=creator).count() == 2
    assert Submission.objects.count() == 2


def test_hole6_a_refused_submission_leaves_its_key_free(client):
    creator = factories.CreatorFactory()
    client.force_login(creator.user)
    key = str(uuid.uuid4())
    client.post("/creator/sessions/new/", {"title": "A", "scheduled_start": "9999-01-01T10:00", "submission": key})
    assert not Submission.objects.exists()


def test_hole6_the_forms_carry_a_fresh_key_and_the_pages_disable_the_button(client):
    creator = factories.CreatorFactory()
    client.force_login(creator.user)
    a = client.get("/creator/sessions/new/").content.decode()
    b = client.get("/creator/sessions/new/").content.decode()
    assert 'name="submission"' in a and a.split('name="submission"')[1][:60] != b.split('name="submission"')[1][:60]
    assert "/static/js/forms.js" in a


@pytest.mark.parametrize("path", ["/merchant/samples/rules/", "/merchant/webhooks/", "/merchant/filings/declare/"])
def test_hole6_the_rule_and_endpoint_forms_carry_one_key(client, path):
    client.force_login(factories.ShopFactory().merchant.user)
    assert client.get(path).content.decode().count('name="submission"') == 1


def test_hole6_the_video_form_carries_one_key(client):
    client.force_login(factories.CreatorFactory().user)
    assert client.get("/creator/videos/").content.decode().count('name="submission"') == 1
