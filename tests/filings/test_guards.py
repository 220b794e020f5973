"""F1 the filing gate on live carts, with F9's latest date, F10 and the seed's FAQ cases."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from filings import guards, services
from filings.models import Filing
from shops import services as shop_services
from shops.models import LiveCartItem
from tests import factories
from tests.filings.conftest import refusal
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 22, 10, 0, tzinfo=SH)  # a Monday
MONDAY_SESSION = datetime(2025, 9, 29, 20, 0, tzinfo=SH)  # latest date: Fri 2025-09-26


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def xiaoyu():
    shop = factories.ShopFactory(name="小鱼的好物店")
    return factories.CreatorFactory(nickname="小鱼", platform_id="KS10086", is_specific=True, bound_shop=shop)


@pytest.fixture
def reviewer():
    return factories.StaffFactory(username="rev")


def own_product(creator):
    return factories.ProductFactory(shop=creator.bound_shop)


def alliance_product():
    return factories.AllianceListingFactory().product


def approved(product, creator, submitted_at=NOW):
    filing = Filing.objects.filter(product=product, creator=creator).first() or FilingFactory(product=product, creator=creator)
    return set_state(filing, Filing.State.APPROVED, submitted_at=submitted_at)


def add(session, product):
    return shop_services.cart_add(session=session, product=product, by=None)


def no_filing(product, creator) -> str:
    return refusal(guards.NO_FILING, product=product.title, creator=creator.display_name)


def test_f1_specific_creators_own_product_needs_an_approved_filing(xiaoyu):
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = own_product(xiaoyu)
    with pytest.raises(ValidationError, match=no_filing(product, xiaoyu)) as exc:
        add(session, product)
    assert "小鱼 KS10086" in str(exc.value) and product.title in str(exc.value)
    approved(product, xiaoyu)
    assert add(session, product).pk


@pytest.mark.parametrize("state", [Filing.State.PENDING, Filing.State.UNDER_REVIEW, Filing.State.NOT_APPROVED])
def test_f1_refusal_names_the_filing_state(xiaoyu, state):
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = alliance_product()
    filing = set_state(FilingFactory(product=product, creator=xiaoyu), state)
    not_approved = refusal(guards.FILING_NOT_APPROVED, product=product.title, creator=xiaoyu.display_name, state=filing.get_state_display())
    with pytest.raises(ValidationError, match=not_approved) as exc:
        add(session, product)
    assert filing.get_state_display() in str(exc.value)
    assert not LiveCartItem.objects.exists()


def test_f1_distribution_product_in_specific_creators_live_needs_a_filing(xiaoyu):
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = alliance_product()
    with pytest.raises(ValidationError, match=no_filing(product, xiaoyu)):
        add(session, product)
    approved(product, xiaoyu)
    add(session, product)


def test_f1_pk_partner_of_a_specific_creator_needs_filings_on_either_side(xiaoyu):
    dapeng = factories.CreatorFactory(nickname="大鹏")
    xiaoyu_session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    # dapeng's session points at 小鱼's (one direction) ...
    dapeng_session = factories.LiveSessionFactory(creator=dapeng, scheduled_start=MONDAY_SESSION, pk_partner=xiaoyu_session)
    product = alliance_product()
    with pytest.raises(ValidationError, match=no_filing(product, xiaoyu)):
        add(dapeng_session, product)
    approved(product, xiaoyu)
    add(dapeng_session, product)
    # ... and the other direction: 小鱼's session points at another creator's session.
    other = factories.CreatorFactory()
    other_session = factories.LiveSessionFactory(creator=other, scheduled_start=MONDAY_SESSION)
    xiaoyu_session2 = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION, pk_partner=other_session)
    product2 = alliance_product()
    with pytest.raises(ValidationError, match=no_filing(product2, xiaoyu)):
        add(other_session, product2)
    approved(product2, xiaoyu)
    add(other_session, product2)
    assert xiaoyu_session2.pk


def test_f1_showcase_and_video_are_not_gated(xiaoyu):
    product = alliance_product()
    shop_services.showcase_add(creator=xiaoyu, product=product, by=None)
    shop_services.video_publish(creator=xiaoyu, title="v", products=[product])
    assert Filing.objects.get(product=product).state == Filing.State.PENDING


def test_f10_outside_the_scenarios_products_sell_as_usual():
    creator = factories.CreatorFactory()
    session = factories.LiveSessionFactory(creator=creator, scheduled_start=MONDAY_SESSION)
    add(session, alliance_product())


def test_f10_an_approved_filing_with_one_specific_creator_does_not_count_for_another(xiaoyu):
    other_specific = factories.CreatorFactory(is_specific=True)
    session = factories.LiveSessionFactory(creator=other_specific, scheduled_start=MONDAY_SESSION)
    product = alliance_product()
    approved(product, xiaoyu)
    with pytest.raises(ValidationError, match=no_filing(product, other_specific)):
        add(session, product)


# --- F9 the latest date, both sides of the boundary ---------------------------------------


def test_f9_submitted_at_the_last_minute_of_the_latest_date_counts(xiaoyu):
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = own_product(xiaoyu)
    approved(product, xiaoyu, submitted_at=datetime(2025, 9, 26, 23, 59, 59, tzinfo=SH))
    add(session, product)


def test_f9_submitted_the_minute_after_the_latest_date_does_not_count(xiaoyu):
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = own_product(xiaoyu)
    approved(product, xiaoyu, submitted_at=datetime(2025, 9, 27, 0, 0, tzinfo=SH))
    late = refusal(guards.SUBMITTED_TOO_LATE, product=product.title, creator=xiaoyu.display_name, date="2025-09-26", days=2)
    with pytest.raises(ValidationError, match=late):
        add(session, product)
    # It serves later sessions: one a week later is fine.
    later = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=datetime(2025, 10, 13, 20, 0, tzinfo=SH))
    add(later, product)


def test_f9_the_lead_comes_from_the_rules_object(xiaoyu, staff):
    from core.rules import rule_update

    rule_update(key="filing_lead_working_days", value=3, unit="working_days", by=staff)
    session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    product = own_product(xiaoyu)
    approved(product, xiaoyu, submitted_at=datetime(2025, 9, 26, 12, 0, tzinfo=SH))  # 3rd working day back is Thu 09-25
    late = refusal(guards.SUBMITTED_TOO_LATE, product=product.title, creator=xiaoyu.display_name, date="2025-09-25", days=3)
    with pytest.raises(ValidationError, match=late):
        add(session, product)


# --- The seed's FAQ -----------------------------------------------------------------------------


def test_f10_faq_mixed_pk_session_self_built_by_own_shop_distribution_by_goods_owner(xiaoyu, reviewer):
    """FAQ 1: a creator PKs with a specific creator, selling both self-built and distribution
    products: their own shop declares the self-built ones, each goods owner the distribution
    ones, both linking the specific creator."""
    own_shop = factories.ShopFactory()
    dapeng = factories.CreatorFactory(nickname="大鹏", bound_shop=own_shop)
    xiaoyu_session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    pk_session = factories.LiveSessionFactory(creator=dapeng, scheduled_start=MONDAY_SESSION, pk_partner=xiaoyu_session)
    self_built = factories.ProductFactory(shop=own_shop)
    distribution = factories.AllianceListingFactory().product

    for product in (self_built, distribution):
        with pytest.raises(ValidationError, match=no_filing(product, xiaoyu)):
            add(pk_session, product)

    for product in (self_built, distribution):
        merchant = product.shop.merchant
        services.pk_declare(merchant=merchant, creators=[xiaoyu], products=[product], session=pk_session, by=merchant.user)
        filing = Filing.objects.get(product=product, creator=xiaoyu)
        services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads={})
        services.filing_approve(filing=filing, by=reviewer)

    assert Filing.objects.get(product=self_built).product.shop.merchant == own_shop.merchant
    add(pk_session, self_built)
    add(pk_session, distribution)


def test_f10_faq_five_of_ten_products_filed_for_the_pk(xiaoyu, reviewer):
    """FAQ 2: only the 5 products sold in the PK are declared; the other 5 sell normally."""
    merchant = factories.MerchantFactory()
    shop = factories.ShopFactory(merchant=merchant)
    products = [factories.AllianceListingFactory(product__shop=shop).product for _ in range(10)]
    xiaoyu_session = factories.LiveSessionFactory(creator=xiaoyu, scheduled_start=MONDAY_SESSION)
    seller = factories.CreatorFactory()
    pk_session = factories.LiveSessionFactory(creator=seller, scheduled_start=MONDAY_SESSION, pk_partner=xiaoyu_session)
    normal_session = factories.LiveSessionFactory(creator=seller, scheduled_start=MONDAY_SESSION)

    services.pk_declare(merchant=merchant, creators=[xiaoyu], products=products[:5], session=pk_session, by=merchant.user)
    assert Filing.objects.count() == 5
    for filing in Filing.objects.all():
        services.filing_submit(filing=filing, merchant=merchant, by=None, uploads={})
        services.filing_approve(filing=filing, by=reviewer)

    for product in products[:5]:
        add(pk_session, product)
    for product in products[5:]:
        with pytest.raises(ValidationError, match=no_filing(product, xiaoyu)):
            add(pk_session, product)
        add(normal_session, product)  # sells as usual outside the PK


# --- F11 --------------------------------------------------------------------------------------


def test_f11_unapproved_lottery_is_refused_with_the_lottery_tool_hint():
    from decimal import Decimal

    from shops.models import Product

    creator = factories.CreatorFactory(bound_shop=factories.ShopFactory())
    product = factories.ProductFactory(shop=creator.bound_shop, price=Decimal("0"), is_zero_price_lottery=True, sale_status=Product.SaleStatus.OFF_SALE)
    session = factories.LiveSessionFactory(creator=creator, scheduled_start=MONDAY_SESSION)
    with pytest.raises(ValidationError) as exc:
        add(session, product)
    assert "好运来" in str(exc.value)
