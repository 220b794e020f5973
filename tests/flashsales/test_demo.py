"""The flash-sale demo: a jade shop, an invited creator live now, comments, every state; idempotent."""

import pytest
from django.core.management import call_command

from flashsales.models import FlashSale, FlashSaleOrder, LiveComment, ProblemReport, Viewer, ViewerMessage

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (FlashSale, FlashSaleOrder, LiveComment, ProblemReport, Viewer, ViewerMessage)]


def test_demo_has_flash_sales_in_each_state_and_runs_twice_without_changes():
    call_command("seed_demo")
    first = counts()
    sales = FlashSale.objects.filter(session__creator__user__username="c_jadeking")
    assert {s.status for s in sales} == {"open", "sold_out", "ended"}
    assert {s.mode for s in sales} == {"full", "targeted"}
    assert {s.product.shop.name for s in sales} == {"和田玉石专营店"}
    assert LiveComment.objects.filter(session__creator__user__username="c_jadeking").exists()
    assert set(ProblemReport.objects.values_list("desk", flat=True)) == {"merchant_service", "creator_support"}
    # D3: the pendant's flash-sale buyers have the merchant's announcement in their inbox; others do not.
    assert set(ViewerMessage.objects.values_list("viewer__token", flat=True)) == {"demo-laoli", "demo-xiaowang"}
    call_command("seed_demo")
    assert counts() == first
