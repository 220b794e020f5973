"""批量发货 (issue 24): a merchant with N approved sample requests (待发货), each of another
creator, written in bulk with the columns the approval service sets (approved_at, the S5
ship-by and cancel deadlines from the rules object, the address snapshot). For the
benchmark (scripts/bench_ship_sheet.py) and the browser journey that ships 200 at once;
the tests of the rules themselves make their requests through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.rules import rules
from samples.models import SampleRequest
from shops.models import AllianceListing, Category, Creator, Merchant, Product, Shop, ShopType

_runs = itertools.count(1)


@dataclass
class ShipWorld:
    merchant: Merchant
    product: Product
    requests: list[SampleRequest]


@transaction.atomic
def approved_requests(n: int, *, merchant: Merchant | None = None, password: str = "pw", tag: str = "") -> ShipWorld:
    """`n` approved requests for one product of `merchant` (made, with a login, if None)."""
    User = get_user_model()
    run = f"{tag or 's'}{next(_runs)}{timezone.now():%H%M%S%f}"
    hashed = make_password(password)
    if merchant is None:
        user = User.objects.create(username=f"m_{run}", password=hashed)
        merchant = Merchant.objects.create(user=user, name=f"批量发货商家 {run}", meets_alliance_standard=True)
    shop = Shop.objects.create(merchant=merchant, name=f"发货店 {run}", shop_type=ShopType.FLAGSHIP)
    category, _ = Category.objects.get_or_create(name="样品")
    product = Product.objects.create(shop=shop, title=f"批量样品 {run}", category=category, price=Decimal("59.00"), stock=100_000)
    AllianceListing.objects.create(product=product, commission_rate=Decimal("20"))
    users = User.objects.bulk_create([User(username=f"c_{run}_{i}", password=hashed) for i in range(n)])
    creators = Creator.objects.bulk_create(
        [Creator(user=u, nickname=f"达人{i}", platform_id=f"{run}-{i}"[-32:]) for i, u in enumerate(users)]
    )
    now = timezone.now()
    requests = SampleRequest.objects.bulk_create([
        SampleRequest(
            creator=c, product=product, merchant=merchant, state=SampleRequest.State.APPROVED,
            requested_at=now, decide_by=now + rules.duration("sample_decide"), approved_at=now,
            ship_by=now + rules.duration("sample_ship"), ship_cancel_at=now + rules.duration("sample_ship_cancel"),
            ship_to_name="张小明", ship_to_phone="13812345678", ship_to_province="浙江省", ship_to_city="杭州市",
            ship_to_district="西湖区", ship_to_street=f"文三路 90 号 {i} 室",
        )
        for i, c in enumerate(creators)
    ])
    return ShipWorld(merchant=merchant, product=product, requests=requests)


def tracking_numbers(n: int, start: int = 0) -> list[str]:
    """Distinct SF tracking numbers (S5's format for 顺丰: SF and 13 digits)."""
    return [f"SF{1_000_000_000_000 + start + i}" for i in range(n)]
