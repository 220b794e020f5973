"""S2 where the merchant switches: a cross-border or virtual product cannot have free samples
switched on while the platform does not support them, and the page says why."""

import pytest
from django.core.exceptions import ValidationError

from core.rules import rule_update
from samples import messages as msg
from shops import services as shop_services
from shops.models import AllianceListing
from tests import factories

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


def test_s2_switching_samples_on_for_a_virtual_product_is_refused_by_the_service():
    listing = factories.AllianceListingFactory(product__is_virtual=True, sample_support=False)
    with pytest.raises(ValidationError, match=str(msg.PRODUCT_VIRTUAL)):
        shop_services.alliance_set_sample_support(listing=listing, by=listing.product.shop.merchant.user, enabled=True)
    assert not AllianceListing.objects.get(pk=listing.pk).sample_support
    # Switching off is always allowed.
    shop_services.alliance_set_sample_support(listing=listing, by=None, enabled=False)


def test_s2_switching_samples_on_is_allowed_once_the_platform_supports_cross_border(staff):
    listing = factories.AllianceListingFactory(sample_support=False)
    type(listing.product.shop).objects.filter(pk=listing.product.shop_id).update(is_cross_border=True)
    with pytest.raises(ValidationError, match=str(msg.PRODUCT_CROSS_BORDER)):
        shop_services.alliance_set_sample_support(listing=listing, by=None, enabled=True)
    rule_update(key="samples_cross_border", value=1, unit="flag", by=staff)
    assert shop_services.alliance_set_sample_support(listing=listing, by=None, enabled=True).sample_support


def test_s2_product_page_hides_the_switch_and_says_why(client):
    listing = factories.AllianceListingFactory(product__is_virtual=True, sample_support=False)
    client.force_login(listing.product.shop.merchant.user)
    page = html(client.get(f"/merchant/products/{listing.product_id}/"))
    assert 'data-testid="sample-switch-refusal"' in page and "虚拟类商品暂不支持" in page
    assert 'name="enabled" value="1"' not in page
    resp = client.post(f"/merchant/products/{listing.product_id}/samples-switch/", {"enabled": "1"}, follow=True)
    assert "虚拟类商品暂不支持" in html(resp)
    assert not AllianceListing.objects.get(pk=listing.pk).sample_support


def test_s2_product_page_says_samples_switched_on_reach_nobody(client):
    listing = factories.AllianceListingFactory(product__is_virtual=True, sample_support=True)  # switched on before the check
    client.force_login(listing.product.shop.merchant.user)
    page = html(client.get(f"/merchant/products/{listing.product_id}/"))
    assert "但达人无法申请" in page


def test_s2_alliance_form_for_a_virtual_product_refuses_samples_posted_on(client):
    """#23: a forged "on" used to be saved quietly as "off"; it is refused, nothing saved."""
    product = factories.ProductFactory(is_virtual=True)
    client.force_login(product.shop.merchant.user)
    page = html(client.get(f"/merchant/products/{product.pk}/alliance/"))
    assert "虚拟类商品暂不支持" in page and "disabled" in page
    resp = client.post(f"/merchant/products/{product.pk}/alliance/", {"commission_rate": "20", "sample_support": "on"})
    assert resp.status_code == 400 and str(msg.PRODUCT_VIRTUAL) in html(resp)
    assert not AllianceListing.objects.filter(product=product).exists()
