"""A demo that stays alive (`make run` only: DAIHUO_DEMO=true).

The seeded world lets several clocks run out within minutes (samples.demo), after which a
demo with no one else in it goes quiet. In demo mode, beat runs `demo_activity` every
DAIHUO_DEMO_EVERY seconds (3 minutes): one demo creator asks for a free sample of a
marketplace product, through the same service a creator's click goes through (eligibility,
quota, triage, the merchant's notification and e-mail, the 48 h decision clock). Merchants
always have something new to decide on. Never scheduled outside demo mode.
"""

from __future__ import annotations

import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from samples.models import SampleRequest, ShippingAddress
from samples.services import requests
from shops.models import AllianceListing, Creator, Product, Shop

DEMO_NOTE = "演示：新的样品申请"
ATTEMPTS = 20


def _candidates(rng: random.Random) -> list[tuple[Creator, Product]]:
    creators = list(Creator.objects.filter(user__username__startswith="c_").select_related("user"))
    products = list(
        Product.objects.filter(
            alliance_listing__status=AllianceListing.Status.LISTED, alliance_listing__sample_support=True,
            sale_status=Product.SaleStatus.ON_SALE, shop__status=Shop.Status.OPEN,
        )
    )
    asked = set(SampleRequest.objects.values_list("creator_id", "product_id"))
    pairs = [(c, p) for c in creators for p in products if (c.pk, p.pk) not in asked]
    rng.shuffle(pairs)
    return pairs


def demo_activity(rng: random.Random | None = None) -> SampleRequest | None:
    """One new sample request from a demo creator with a shipping address, for a product
    they never asked for; None when every pair was refused (the rules decide)."""
    rng = rng or random.Random()
    with_address = set(ShippingAddress.objects.values_list("creator_id", flat=True))
    for creator, product in [pair for pair in _candidates(rng) if pair[0].pk in with_address][:ATTEMPTS]:
        try:
            with transaction.atomic():
                return requests.sample_request_create(creator=creator, product=product, by=creator.user, note=DEMO_NOTE)
        except (ValidationError, PermissionDenied):
            continue
    return None
