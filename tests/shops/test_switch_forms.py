"""#23 item 7: the on/off posts of the merchant's pages go through forms. A value our buttons
never send is refused with a clear message (400) and changes nothing: it used to mean "off"."""

import pytest

from core.forms import SWITCH_INVALID
from samples import messages as msg
from samples.models import TriageRule
from shops.models import AllianceListing, Product
from tests import factories
from tests.samples.factories import triage_rule

pytestmark = pytest.mark.django_db

GARBAGE = ["", "yes", "ON", "1; drop", "\x00"]


@pytest.mark.parametrize("value", GARBAGE)
def test_product_sale_refuses_an_unknown_action_and_keeps_the_product_on_sale(client, value):
    product = factories.ProductFactory()
    Product.objects.filter(pk=product.pk).update(sale_status=Product.SaleStatus.ON_SALE)
    client.force_login(product.shop.merchant.user)
    resp = client.post(f"/merchant/products/{product.pk}/sale/", {"action": value})
    assert resp.status_code == 400 and str(SWITCH_INVALID) in resp.content.decode()
    assert Product.objects.get(pk=product.pk).sale_status == Product.SaleStatus.ON_SALE


def test_product_sale_still_takes_the_products_own_buttons(client):
    product = factories.ProductFactory()
    Product.objects.filter(pk=product.pk).update(sale_status=Product.SaleStatus.ON_SALE)
    client.force_login(product.shop.merchant.user)
    assert client.post(f"/merchant/products/{product.pk}/sale/", {"action": "off"}).status_code == 302
    assert Product.objects.get(pk=product.pk).sale_status == Product.SaleStatus.OFF_SALE


@pytest.mark.parametrize("value", GARBAGE)
def test_s2_sample_switch_refuses_an_unknown_value_and_keeps_samples_on(client, value):
    listing = factories.AllianceListingFactory(sample_support=True)
    client.force_login(listing.product.shop.merchant.user)
    resp = client.post(f"/merchant/products/{listing.product_id}/samples-switch/", {"enabled": value})
    assert resp.status_code == 400 and str(SWITCH_INVALID) in resp.content.decode()
    assert AllianceListing.objects.get(pk=listing.pk).sample_support is True


def test_s2_sample_switch_still_takes_zero_and_one(client):
    listing = factories.AllianceListingFactory(sample_support=True)
    client.force_login(listing.product.shop.merchant.user)
    client.post(f"/merchant/products/{listing.product_id}/samples-switch/", {"enabled": "0"})
    assert AllianceListing.objects.get(pk=listing.pk).sample_support is False
    client.post(f"/merchant/products/{listing.product_id}/samples-switch/", {"enabled": "1"})
    assert AllianceListing.objects.get(pk=listing.pk).sample_support is True


def test_s2_a_forged_listing_with_samples_on_for_a_cross_border_product_is_refused(client):
    product = factories.ProductFactory(shop__is_cross_border=True)
    client.force_login(product.shop.merchant.user)
    resp = client.post(f"/merchant/products/{product.pk}/alliance/", {"commission_rate": "20", "sample_support": "on"})
    assert resp.status_code == 400 and str(msg.PRODUCT_CROSS_BORDER) in resp.content.decode()
    assert not AllianceListing.objects.filter(product=product).exists()
    ok = client.post(f"/merchant/products/{product.pk}/alliance/", {"commission_rate": "20"})  # the box left off
    assert ok.status_code == 302 and AllianceListing.objects.get(product=product).sample_support is False


@pytest.mark.parametrize("value", GARBAGE)
def test_v4_rule_switch_refuses_an_unknown_value_and_keeps_the_rule_on(client, value):
    rule = triage_rule(shop=factories.ShopFactory(), min_followers=1000)
    client.force_login(rule.merchant.user)
    resp = client.post(f"/merchant/samples/rules/{rule.pk}/switch/", {"on": value})
    assert resp.status_code == 400 and str(SWITCH_INVALID) in resp.content.decode()
    assert TriageRule.objects.get(pk=rule.pk).is_active is True
