"""D3 for flash-sale buyers, and FS3/FS6 flash sales ending with their live session.

D3: when the merchant takes a product out of the alliance, the announcement reaches the
viewers who bought it in a flash sale (buyers only: flash sales know no "followers"), in
their inbox in the live room.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_fsm_log.models import StateLog

from core.notifications import platform_text
from flashsales import services, texts
from flashsales.models import FlashSale, ViewerMessage
from shops import services as shop_services
from shops.alliance_removal import services as removal_services
from shops.models import BuyerAnnouncement, LiveSession
from tests.flashsales import factories as ff
from tests.flashsales.conftest import create

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 8, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def merchant_user(world):
    return world["product"].shop.merchant.user


def scheduled_removal(world, **kwargs):
    return removal_services.alliance_removal_create(
        product=world["product"], by=merchant_user(world), at=T0 + timedelta(days=1), compensation_note="补偿10元券", **kwargs
    )


def room(client, world, viewer):
    return client.get(f"/live/{world['session'].pk}/", {"viewer": viewer.token})


# --- D3 -----------------------------------------------------------------------------------------


def test_d3_a_flash_sale_buyer_gets_the_announcement_once_with_time_and_compensation_note(client, world):
    buyer = world["viewer"]
    with time_machine.travel(T0, tick=False):
        # Two orders in two flash sales of the product: still one message per announcement.
        services.flash_sale_buy(flash_sale=create(world), viewer=buyer, quantity=1)
        services.flash_sale_buy(flash_sale=create(world), viewer=buyer, quantity=2)
        removal = scheduled_removal(world)
        client.force_login(merchant_user(world))
        resp = client.post(f"/merchant/alliance/removals/{removal.pk}/announce/", {"message": "本品将下架精选联盟"})
    assert resp.status_code == 302
    announcement = BuyerAnnouncement.objects.get()
    assert announcement.recipients == 1
    message = ViewerMessage.objects.get()
    assert message.viewer == buyer
    assert "本品将下架精选联盟" in message.body and "2026-08-04 10:00" in message.body and "补偿10元券" in message.body
    assert world["product"].title in message.title
    # The same delivery again (a retried send) is a no-op: the dedupe key is used.
    again = services.viewer_message_deliver(viewer=buyer, title="x", body="y", dedupe_key=message.dedupe_key)
    assert again is None and ViewerMessage.objects.count() == 1


def test_d3_a_viewer_who_did_not_buy_receives_nothing(world):
    commenter = world["viewer"]  # commented in the session where the product is on flash sale
    other_product_buyer = ff.ViewerFactory()
    other = ff.JadeProductFactory()
    with time_machine.travel(T0, tick=False):
        create(world)  # on flash sale, nobody bought
        services.flash_sale_buy(flash_sale=create(world, product=other), viewer=other_product_buyer, quantity=1)
        removal = scheduled_removal(world)
        sent = removal_services.buyer_announcement_send(removal=removal, by=merchant_user(world), message="下架通知")
    assert sent.recipients == 0
    assert not ViewerMessage.objects.exists()
    assert not commenter.messages.exists() and not other_product_buyer.messages.exists()


def test_d3_the_confirmation_and_announcement_pages_count_flash_sale_buyers(client, world):
    with time_machine.travel(T0, tick=False):
        sale = create(world)
        services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)
        services.flash_sale_buy(flash_sale=sale, viewer=ff.ViewerFactory(), quantity=1)
        services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)  # the same buyer again
        client.force_login(merchant_user(world))
        html = client.get("/merchant/alliance/remove/", {"products": [world["product"].pk]}).content.decode()
        assert 'data-testid="impact-flash_sale_buyers">2<' in html
        removal = scheduled_removal(world)
        assert removal.impact["flash_sale_buyers"] == 2
        resp = client.get(f"/merchant/alliance/removals/{removal.pk}/announce/")
    assert resp.context["audience"] == 2


def test_d3_an_immediate_removal_announces_to_flash_sale_buyers_before_it_happens(world):
    with time_machine.travel(T0, tick=False):
        services.flash_sale_buy(flash_sale=create(world), viewer=world["viewer"], quantity=1)
        removal_services.alliance_removal_create(product=world["product"], by=merchant_user(world), announcement="即刻下架")
    assert BuyerAnnouncement.objects.get().recipients == 1
    assert "即刻下架" in world["viewer"].messages.get().body


def test_d3_the_buyer_reads_the_announcement_in_their_live_room_and_nobody_else_does(client, world, django_assert_max_num_queries):
    buyer, stranger = world["viewer"], ff.ViewerFactory()
    with time_machine.travel(T0, tick=False):
        services.flash_sale_buy(flash_sale=create(world), viewer=buyer, quantity=1)
        removal = scheduled_removal(world)
        removal_services.buyer_announcement_send(removal=removal, by=merchant_user(world), message="本品将下架精选联盟")
    html = room(client, world, buyer).content.decode()
    assert html.count('data-testid="inbox-message"') == 1 and "本品将下架精选联盟" in html and "补偿10元券" in html
    assert 'data-testid="inbox-unread">1<' in html
    other = room(client, world, stranger).content.decode()
    assert "本品将下架精选联盟" not in other and 'data-testid="inbox-message"' not in other and "还没有消息" in other
    resp = client.post(f"/live/{world['session'].pk}/inbox/read/", {"viewer": buyer.token})
    assert resp.status_code == 302
    assert buyer.messages.get().read_at is not None and stranger.messages.count() == 0
    assert 'data-testid="inbox-unread"' not in room(client, world, buyer).content.decode()
    # A full inbox is paginated and free of N+1.
    for i in range(12):
        services.viewer_message_deliver(viewer=buyer, title=f"公告{i}", body="…", dedupe_key=f"t:{i}")
    with django_assert_max_num_queries(12):
        html = room(client, world, buyer).content.decode()
    assert html.count('data-testid="inbox-message"') == 5 and "page=2" in html
    assert client.post(f"/live/{world['session'].pk}/inbox/read/").status_code == 404  # no token, no inbox


# --- FS3 / FS6: flash sales end with their live session ----------------------------------------


def test_fs6_ending_the_session_ends_its_open_flash_sales(world):
    user = world["creator"].user
    full = create(world)
    targeted = create(world, mode=FlashSale.Mode.TARGETED, target_viewer=world["viewer"])
    sold_out = create(world, quantity=1)
    services.flash_sale_buy(flash_sale=sold_out, viewer=world["viewer"], quantity=1)
    elsewhere = ff.FlashSaleFactory()  # another session, still live

    shop_services.live_session_end(session=world["session"], by=user)

    assert LiveSession.objects.get(pk=world["session"].pk).status == LiveSession.Status.ENDED
    reason = platform_text(str, texts.ENDED_WITH_SESSION) % {"session": world["session"].title}
    for sale in (full, targeted):
        sale = FlashSale.objects.get(pk=sale.pk)
        assert sale.status == FlashSale.Status.ENDED and sale.closed_at is not None
        log = StateLog.objects.for_(sale).get()
        assert (log.source_state, log.state, log.by, log.description) == ("open", "ended", user, reason)
        assert world["session"].title in log.description
    assert FlashSale.objects.get(pk=sold_out.pk).status == FlashSale.Status.SOLD_OUT
    assert StateLog.objects.for_(sold_out).count() == 1  # only its sell-out
    assert FlashSale.objects.get(pk=elsewhere.pk).status == FlashSale.Status.OPEN


def test_fs6_ending_the_session_from_its_page_ends_its_flash_sales(client, world):
    sale = create(world)
    client.force_login(world["creator"].user)
    resp = client.post(f"/creator/sessions/{world['session'].pk}/transition/", {"action": "end"})
    assert resp.status_code == 302
    assert FlashSale.objects.get(pk=sale.pk).status == FlashSale.Status.ENDED
    assert StateLog.objects.for_(FlashSale.objects.get(pk=sale.pk)).get().by == world["creator"].user
