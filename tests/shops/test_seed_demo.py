"""seed_demo builds the demo world, and running it twice changes nothing."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from shops.models import Creator, Product, Shop, ShopType

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"auth", "shops", "filings", "samples", "flashsales", "django_fsm_log"}
    }


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = row_counts()
    out = capsys.readouterr().out
    assert "reviewer" in out and "daihuo-demo-2026" in out
    call_command("seed_demo")
    assert row_counts() == first


def test_seed_demo_world_is_believable():
    call_command("seed_demo")
    types = set(Shop.objects.values_list("shop_type", flat=True))
    assert types & {ShopType.FLAGSHIP, ShopType.OFFICIAL_FLAGSHIP, ShopType.SPECIALTY}  # professional
    assert types & {ShopType.INDIVIDUAL, ShopType.ENTERPRISE}  # non-professional
    assert Shop.objects.filter(is_cross_border=True).exists()
    assert Product.objects.filter(is_virtual=True).exists()
    assert Product.objects.filter(category__is_non_standard=True).exists()
    assert Creator.objects.filter(is_specific=True).exists()
    assert Creator.objects.filter(is_risky=True).exists()
    assert Creator.objects.filter(flash_sale_invited=True).exists()
    official = Creator.objects.filter(bound_shop__isnull=False).select_related("bound_shop")
    assert {c.bound_shop.is_professional for c in official} == {True, False}


def test_seed_demo_once_only_prints_the_logins_when_the_world_exists(capsys):
    call_command("seed_demo")
    first = row_counts()
    capsys.readouterr()
    call_command("seed_demo", once=True)
    assert row_counts() == first
    assert "c_lowscore" in capsys.readouterr().out


def test_every_demo_login_takes_the_demo_password():
    from shops.management.commands.seed_demo import DEMO_PASSWORD

    call_command("seed_demo")
    for username in ("reviewer", "platform", "m_snacks", "c_newbie", "c_lowscore"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username


def test_the_seed_logs_no_warning(caplog):
    """Each demo step goes through the rules users meet: none is refused on a fresh world."""
    with caplog.at_level("WARNING"):
        call_command("seed_demo")
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []
