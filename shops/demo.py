"""Demo data for official-account carry limits (C1–C6) and alliance removals (D1–D4).

Idempotent: every row is looked up by a natural key first. Adds go through the same
services (and carry gate) users go through; a refusal from another domain's guard is
logged and skipped so the demo still builds.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from shops import services
from shops.alliance_removal import services as removal_services
from shops.models import AllianceRemoval, LiveSession, Product

logger = logging.getLogger(__name__)


def _add(session: LiveSession, product: Product, by) -> None:
    if session.cart_items.filter(product=product).exists():
        return
    try:
        services.cart_add(session=session, product=product, by=by)
    except ValidationError as exc:
        logger.warning("demo: %s not added to %s: %s", product, session, exc.messages)


def seed_demo(world: dict) -> None:
    now = world["now"]
    c, s = world["creators"], world["sessions"]
    # Fresh rows: the world's instances may predate their put-on-sale transition.
    p = {key: Product.objects.select_related("shop").get(pk=obj.pk) for key, obj in world["products"].items()}
    snacks_official, beauty_official, dapeng = c["snacks_official"], c["beauty_official"], c["dapeng"]

    # C2/C3, before going live: the non-professional official account has 2 of 3 non-own slots used.
    _add(s["snacks_next"], p["chili"], snacks_official.user)
    _add(s["snacks_next"], p["lotion"], snacks_official.user)
    _add(s["snacks_next"], p["tee"], snacks_official.user)

    # C3 seed Q2: live, 3 non-own added, one removed — the cart is not full but no other can be added.
    live = LiveSession.objects.filter(creator=snacks_official, title="川味官方午间直播").first()
    if live is None:
        live = LiveSession.objects.create(creator=snacks_official, title="川味官方午间直播", scheduled_start=now - timedelta(minutes=20))
        services.live_session_go_live(session=live, by=snacks_official.user)
        for key in ("hotpot", "lotion", "jade_pendant", "towel"):
            _add(live, p[key], snacks_official.user)
        towel = live.cart_items.filter(product=p["towel"], removed_at__isnull=True).first()
        if towel is not None:
            services.cart_remove(item=towel, by=snacks_official.user)
    s["snacks_live"] = live

    # C1: the professional shop's official account carries its own products.
    _add(s["beauty_next"], p["serum"], beauty_official.user)
    _add(s["beauty_next"], p["cream"], beauty_official.user)

    # D2/D3: 川味零食大礼包 leaves the alliance in 3 days; 大鹏 carries it (showcase, the cart of
    # tonight's live session). Not the cart of the PK with 小鱼: a PK with a specific creator
    # needs an approved filing first (F5), which filings.demo leaves pending on purpose.
    snack_box = p["snack_box"]
    if not snack_box.showcase_items.filter(creator=dapeng).exists():
        try:
            services.showcase_add(creator=dapeng, product=snack_box, by=dapeng.user)
        except ValidationError as exc:
            logger.warning("demo: showcase add refused: %s", exc.messages)
    _add(s["dapeng_live"], snack_box, dapeng.user)
    listing = getattr(snack_box, "alliance_listing", None)
    if listing is not None and not listing.removals.exists():
        removal_services.alliance_removal_create(
            product=snack_box, by=snack_box.shop.merchant.user, at=now + timedelta(days=3),
            compensation_note="已下单未发货的订单照常发货，另赠5元无门槛券",
            announcement="川味零食大礼包将于三天后停止联盟推广，感谢支持！",
        )

    # D4: a product already taken out, still on sale — the merchant is prompted to take it off sale.
    shop = snack_box.shop
    strips = Product.objects.filter(shop=shop, title="怀旧辣条 经典装 30包").first()
    if strips is None:
        strips = services.product_create(
            shop=shop, by=None,
            data={"title": "怀旧辣条 经典装 30包", "short_title": "怀旧辣条", "category": snack_box.category,
                  "price": Decimal("19.90"), "stock": 200, "attributes": {"产地": "湖南"}},
        )
        services.product_put_on_sale(product=strips, by=None)
        services.alliance_list(product=strips, by=None, commission_rate=Decimal("18"), sample_support=False)
    world["products"]["strips"] = strips
    if not AllianceRemoval.objects.filter(listing__product=strips).exists():
        removal_services.alliance_removal_create(product=strips, by=shop.merchant.user, compensation_note="")

    seed_team(world)


# T1: m_snacks' team, one member per role, each with the demo password (print_logins lists them).
DEMO_TEAM = [
    ("m_snacks_ops", "小李", "ops"),
    ("m_snacks_samples", "小周", "samples"),
    ("m_snacks_ship", "小王", "shipping"),
    ("m_snacks_view", "小陈", "readonly"),
]


def seed_team(world: dict) -> None:
    from shops import team_services
    from shops.management.commands.seed_demo import user
    from shops.models import Member

    merchant = world["merchants"]["snacks"]
    for login, name, role in DEMO_TEAM:
        if Member.objects.filter(user__username=login).exists():
            continue
        user(login, first_name=name)  # the demo password, like every demo login
        team_services.member_add(merchant=merchant, by=merchant.user, login=login, name=name, role=role)
