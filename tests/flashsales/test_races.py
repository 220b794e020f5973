"""FS5 caps and FS6 stock under real concurrency: PostgreSQL, one connection per thread."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from core.rules import rules
from flashsales import services, texts
from flashsales.models import FlashSale, FlashSaleOrder
from tests.conftest import png_bytes
from tests.flashsales import factories as ff
from tests.hardening.plugin import recorder

pytestmark = [pytest.mark.django_db(transaction=True)]


def race(n: int, work) -> tuple[list, list[str]]:
    """Run work(i) in n threads released together; returns (results, refusals)."""
    barrier = threading.Barrier(n)
    results, refusals, crashes = [], [], []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            out = work(i)
            with lock:
                results.append(out)
        except ValidationError as exc:
            with lock:
                refusals.append(" ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported below, fails the test
            with lock:
                crashes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert crashes == []
    recorder().racers(len(results) + len(refusals))  # measured: the racers that ran to the end
    return results, refusals


@pytest.mark.hardening
def test_fs5_thirty_creators_racing_for_the_last_full_places_create_exactly_20(hardening):
    cap = rules.count("fs_full_cap")
    product = ff.JadeProductFactory()
    # Some places are taken already; 30 requests race for the remaining ones, the 21st included.
    ff.FlashSaleFactory.create_batch(5, product=product)
    sessions = [ff.LiveSessionFactory() for _ in range(30)]
    templates = [ff.ShippingTemplateFactory(creator=s.creator) for s in sessions]

    def work(i):
        s = sessions[i]
        return services.flash_sale_create(
            session=s, creator=s.creator, product=product, mode=FlashSale.Mode.FULL, title=f"抢{i}",
            price=Decimal("99"), quantity=1, picture=ContentFile(png_bytes(), name="c.png"),
            picture_source=FlashSale.PictureSource.CAPTURED, shipping_template=templates[i],
        )

    created, refused = race(30, work)
    assert FlashSale.objects.filter(product=product, mode="full").count() == cap
    assert len(created) == cap - 5 and len(refused) == 30 - (cap - 5)
    assert set(refused) == {str(texts.FULL_CAP_REACHED % {"cap": cap})}
    hardening.invariant()


@pytest.mark.hardening
def test_fs6_fifty_buyers_racing_for_10_units_buy_exactly_10_and_nobody_pays_for_nothing(hardening):
    sale = ff.FlashSaleFactory(quantity=10, price=Decimal("100.00"))
    viewers = [ff.ViewerFactory() for _ in range(50)]

    orders, refused = race(50, lambda i: services.flash_sale_buy(flash_sale=sale, viewer=viewers[i], quantity=1))
    sale = FlashSale.objects.get(pk=sale.pk)
    assert len(orders) == 10 and len(refused) == 40
    assert FlashSaleOrder.objects.filter(flash_sale=sale).count() == 10
    assert sum(o.quantity for o in FlashSaleOrder.objects.filter(flash_sale=sale)) == 10
    assert len({o.viewer_id for o in FlashSaleOrder.objects.filter(flash_sale=sale)}) == 10
    assert sale.sold_count == 10 and sale.status == FlashSale.Status.SOLD_OUT
    assert set(refused) <= {str(texts.NOT_OPEN), str(texts.NOT_ENOUGH_LEFT % {"left": 0})}
    hardening.invariant()


def test_fs6_a_buyer_racing_the_creators_end_either_buys_before_or_is_refused():
    sale = ff.FlashSaleFactory(quantity=5)
    viewers = [ff.ViewerFactory() for _ in range(10)]
    creator_user = sale.session.creator.user

    def work(i):
        if i == 0:
            return services.flash_sale_end(flash_sale=sale, by=creator_user)
        return services.flash_sale_buy(flash_sale=sale, viewer=viewers[i], quantity=1)

    done, refused = race(10, work)
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status in (FlashSale.Status.ENDED, FlashSale.Status.SOLD_OUT)
    assert sale.sold_count == FlashSaleOrder.objects.filter(flash_sale=sale).count() <= 5


@pytest.mark.hardening
def test_fs6_ending_the_session_while_buyers_buy_and_the_creator_creates_leaves_nothing_open(hardening):
    """FS3/FS6: flash sales end with their session even when buys and creations race the end:
    afterwards nothing in the session is open, and every unit sold has its order."""
    from shops import services as shop_services
    from shops.models import LiveSession

    session = ff.LiveSessionFactory()
    creator = session.creator
    product = ff.JadeProductFactory()
    template = ff.ShippingTemplateFactory(creator=creator)
    sale = ff.FlashSaleFactory(session=session, product=product, quantity=100, shipping_template=template)
    viewers = [ff.ViewerFactory() for _ in range(20)]

    def work(i):
        if i == 0:
            return shop_services.live_session_end(session=session, by=creator.user)
        if i <= 20:
            return services.flash_sale_buy(flash_sale=sale, viewer=viewers[i - 1], quantity=1)
        return services.flash_sale_create(
            session=session, creator=creator, product=product, mode=FlashSale.Mode.FULL, title=f"抢{i}",
            price=Decimal("99"), quantity=1, picture=ContentFile(png_bytes(), name="c.png"),
            picture_source=FlashSale.PictureSource.CAPTURED, shipping_template=template,
        )

    done, refused = race(26, work)
    assert LiveSession.objects.get(pk=session.pk).status == LiveSession.Status.ENDED
    assert not FlashSale.objects.filter(session=session, status=FlashSale.Status.OPEN).exists()
    assert set(refused) <= {str(texts.NOT_OPEN), str(texts.ROOM_NOT_LIVE), str(texts.SESSION_NOT_LIVE)}
    assert len(done) + len(refused) == 26
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status == FlashSale.Status.ENDED
    assert sale.sold_count == FlashSaleOrder.objects.filter(flash_sale=sale).count()
    hardening.invariant()
