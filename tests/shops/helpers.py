"""Builders for the marketplace tests (official accounts, alliance removal, reviewers), and a way to
run calls in parallel."""

from __future__ import annotations

import threading
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from shops.models import Product, ShopType
from tests import factories


def official_account(shop_type=ShopType.INDIVIDUAL, *, limits_on=True, cross_border=False, **kwargs):
    shop = factories.ShopFactory(shop_type=shop_type, is_cross_border=cross_border)
    creator = factories.CreatorFactory(bound_shop=shop, carry_limits_on=limits_on, **kwargs)
    return creator


def own_product(creator, **kwargs):
    return factories.ProductFactory(shop=creator.bound_shop, **kwargs)


def alliance_product(**kwargs):
    """A non-own product listed in the alliance (another merchant's shop)."""
    return factories.AllianceListingFactory(**kwargs).product


def session_for(creator, **kwargs):
    kwargs.setdefault("scheduled_start", timezone.now() + timezone.timedelta(days=1))
    return factories.LiveSessionFactory(creator=creator, **kwargs)


def run_in_threads(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def wrap(fn):
        try:
            barrier.wait()
            results.append(fn())
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def staff_with(*codenames):
    """A staff user whose only permissions are the given shops ones (as a reviewers' group would give)."""
    user = factories.UserFactory(is_staff=True)
    group = Group.objects.create(name=f"g-{user.pk}")
    group.permissions.set(Permission.objects.filter(content_type__app_label="shops", codename__in=codenames))
    user.groups.add(group)
    return user


def lottery_product(**kwargs):
    return factories.ProductFactory(price=Decimal("0"), is_zero_price_lottery=True, sale_status=Product.SaleStatus.OFF_SALE, **kwargs)
