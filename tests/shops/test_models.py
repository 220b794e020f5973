"""Invariants of the marketplace core, database constraints included."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shops.models import LiveCartItem, Product, ShopType
from tests import factories

pytestmark = pytest.mark.django_db


def test_price_cannot_be_negative_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProductFactory(price=Decimal("-1.00"))


def test_zero_price_lottery_must_have_price_zero():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProductFactory(is_zero_price_lottery=True, price=Decimal("1.00"))
    assert factories.ProductFactory(is_zero_price_lottery=True, price=Decimal("0")).pk


def test_commission_rate_is_between_0_and_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AllianceListingFactory(commission_rate=Decimal("100.01"))


def test_one_active_cart_item_per_product_and_session_but_history_kept():
    session = factories.LiveSessionFactory()
    product = factories.ProductFactory()
    LiveCartItem.objects.create(session=session, product=product, removed_at=timezone.now())
    LiveCartItem.objects.create(session=session, product=product)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveCartItem.objects.create(session=session, product=product)


def test_platform_id_is_unique():
    factories.CreatorFactory(platform_id="DY1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CreatorFactory(platform_id="DY1")


@pytest.mark.parametrize(
    "shop_type,professional",
    [(t, True) for t in ["mall", "official_flagship", "flagship", "exclusive", "specialty"]]
    + [(t, False) for t in ["individual", "enterprise"]],
)
def test_the_seven_shop_types_split_into_professional_and_not(shop_type, professional):
    assert factories.ShopFactory(shop_type=shop_type).is_professional is professional
    assert len(ShopType.choices) == 7


def test_sale_status_cannot_be_assigned_directly():
    product = factories.ProductFactory()
    with pytest.raises(AttributeError):
        product.sale_status = Product.SaleStatus.OFF_SALE


def test_official_account_is_a_creator_bound_to_a_shop_unless_pure_creator():
    shop = factories.ShopFactory()
    c = factories.CreatorFactory(bound_shop=shop)
    assert c.is_official_account
    c.pure_creator_mode = True
    assert not c.is_official_account
    assert not factories.CreatorFactory().is_official_account


def test_creator_display_name_is_nickname_plus_id():
    assert factories.CreatorFactory(nickname="小鱼", platform_id="KS1").display_name == "小鱼 KS1"
