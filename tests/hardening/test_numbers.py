"""Hole 4: every number a person types has a sane maximum, checked by the form (a message,
not a 500) and held by a database constraint.

Before the fix a quota limit of 9223372036854775808 was written before it was validated
(integer out of range: 500), `sample_due_soon` could be set to 4,000,000 days (every sample
page overflowed its date arithmetic), and prices and quantities had no upper bound."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.forms import MAX_PRICE, MAX_QUANTITY
from core.models import RuleSetting
from core.rules import RULES, rule_update
from samples.models import SampleQuota
from samples.services.policy import sample_quota_set
from shops.models import Product
from tests import factories
from tests.flashsales import conftest as flash_conftest
from tests.flashsales import factories as ff

pytestmark = pytest.mark.django_db
world = flash_conftest.world

HUGE = ["9223372036854775808", str(10**30), "1000001"]


@pytest.mark.hardening
@pytest.mark.parametrize("limit", HUGE)
def test_hole4_a_huge_quota_limit_is_a_form_error_and_nothing_is_written(merchant_client, merchant, limit, hardening):
    product = factories.AllianceListingFactory(product__shop__merchant=merchant).product
    resp = merchant_client.post(f"/merchant/samples/quotas/{product.pk}/", {f"q{product.pk}-limit": limit, f"q{product.pk}-period": "total"}, follow=True)
    assert resp.status_code == 200 and "1000000" in resp.content.decode().replace(",", "")
    assert not SampleQuota.objects.exists()
    hardening.hostile()


def test_hole4_the_quota_service_refuses_before_writing(merchant):
    product = factories.ProductFactory(shop__merchant=merchant)
    with pytest.raises(ValidationError, match="1000000"):
        sample_quota_set(product=product, by=merchant.user, limit=2**63)
    assert not SampleQuota.objects.exists()


@pytest.mark.hardening
@pytest.mark.parametrize("value,unit", [(4_000_000, "days"), (169, "hours")])
def test_hole4_sample_due_soon_has_a_sane_maximum(staff, value, unit, hardening):
    staff.is_superuser = True
    staff.save()
    with pytest.raises(ValidationError, match="168|7"):
        rule_update(key="sample_due_soon", value=value, unit=unit, by=staff)
    hardening.hostile()


def test_hole4_every_duration_rule_has_a_maximum_of_a_year_or_less():
    for rule in RULES.values():
        if rule.unit in ("hours", "days", "minutes", "seconds"):
            assert rule.ceiling("days") <= 366, rule.key


@pytest.mark.hardening
@pytest.mark.parametrize("model,fields", [
    ("rule", {"value": 100_000_001}),
    ("quota", {"limit": MAX_QUANTITY + 1}),
    ("product", {"price": Decimal(MAX_PRICE) + 1}),
    ("product", {"stock": MAX_QUANTITY + 1}),
])
def test_hole4_the_database_holds_the_maxima_too(model, fields, hardening):
    with pytest.raises(IntegrityError), transaction.atomic():
        if model == "rule":
            RuleSetting.objects.create(key="x", unit="count", **fields)
        elif model == "quota":
            SampleQuota.objects.create(product=factories.ProductFactory(), **fields)
        else:
            Product.objects.filter(pk=factories.ProductFactory().pk).update(**fields)
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("field,value", [("price", "100000001"), ("quantity", "1000001")])
def test_hole4_flash_sale_price_and_quantity_have_maxima(world, client, field, value, hardening):
    from flashsales.models import FlashSale

    client.force_login(world["creator"].user)
    data = {"mode": "full", "product": world["product"].pk, "title": "手镯", "price": "10", "quantity": "1", "shipping_template": world["template"].pk}
    data[field] = value
    resp = client.post(f"/creator/flash-sales/sessions/{world['session'].pk}/", data)
    assert resp.status_code == 422 and not FlashSale.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole4_a_huge_purchase_quantity_is_refused(client, hardening):
    sale = ff.FlashSaleFactory()
    viewer = ff.ViewerFactory()
    resp = client.post(f"/live/{sale.session_id}/buy/{sale.pk}/", {"viewer": viewer.token, "quantity": str(10**30)}, follow=True)
    assert resp.status_code == 200 and not sale.orders.exists()
    hardening.hostile()
