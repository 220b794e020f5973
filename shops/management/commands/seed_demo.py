"""`python manage.py seed_demo`: a believable demo world. Running it twice changes nothing.

Each domain adds its part through a `seed_demo` function in `<app>/demo.py` (called
here in order); every piece looks its rows up by a natural key before creating them.
"""

from __future__ import annotations

import functools
import importlib
import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from shops import services
from shops.models import (
    Category,
    Creator,
    LiveSession,
    Merchant,
    Product,
    QualificationDocumentType,
    Shop,
    ShopType,
)
from shops.sample_switch import sample_switch_refusal

DEMO_PASSWORD = "daihuo-demo-2026"
# Created by samples.demo inside the seed's one transaction: its presence means a seed committed (--once).
LAST_LOGIN = "c_lowscore"
# shops.demo first: carry limits (C) and alliance removals (D) on the core world.
DOMAIN_SEEDERS = ["shops.demo", "filings.demo", "samples.demo", "flashsales.demo"]


def demo_image(color: tuple[int, int, int]) -> ContentFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 480), color)
    draw = ImageDraw.Draw(img)
    lighter = tuple(min(255, c + 50) for c in color)
    draw.ellipse((120, 120, 360, 360), fill=lighter)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue(), name="demo.png")


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once for all the demo accounts: each hash costs the full
    PBKDF2 work (0.6 s on a busy machine, 9 s of the seed for 15 accounts). The accounts share
    a password anyway; a real account's password is set through the normal forms."""
    return make_password(DEMO_PASSWORD)


def user(username: str, *, email: str = "", staff: bool = False, superuser: bool = False, first_name: str = "") -> User:
    u, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email or f"{username}@demo.daihuo.local", "is_staff": staff, "is_superuser": superuser, "first_name": first_name},
    )
    if created:
        u.password = demo_password_hash()
        u.save(update_fields=["password"])
    return u


class Command(BaseCommand):
    help = "Create the demo world (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true",
            help="When the demo world is already there (its last login exists), only print the logins.",
        )

    def handle(self, *args, **options):
        if options["once"] and User.objects.filter(username=LAST_LOGIN).exists():
            self.print_logins({})
            return
        with transaction.atomic():
            world = self.seed_core()
            for module_name in DOMAIN_SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError:
                    continue
                module.seed_demo(world)
        self.print_logins(world)

    # -----------------------------------------------------------------------------------
    def seed_core(self) -> dict:
        reviewers, _ = Group.objects.get_or_create(name="Platform reviewers")
        reviewer_perms = Permission.objects.filter(
            content_type__app_label__in=["core", "shops", "filings", "samples", "flashsales", "django_fsm_log"]
        ).exclude(codename__in=["change_rulesetting", "delete_rulesetting", "add_rulesetting"])
        # Reviewers unlock a login locked after repeated wrong passwords (axes: delete the attempt).
        unlock_perms = Permission.objects.filter(content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"])
        reviewers.permissions.set(list(reviewer_perms) + list(unlock_perms))
        reviewer = user("reviewer", staff=True, first_name="审核员小王")
        reviewer.groups.add(reviewers)
        ops = user("platform", staff=True, superuser=True, first_name="平台运营")

        docs = {}
        for code, name in [
            ("gem-cert", "珠宝玉石鉴定证书"),
            ("cosmetics-filing", "化妆品备案凭证"),
            ("inspection", "质检报告"),
            ("food-licence", "食品经营许可证"),
            ("brand-auth", "品牌授权书"),
        ]:
            docs[code], _ = QualificationDocumentType.objects.get_or_create(code=code, defaults={"name": name})

        def category(name: str, required: list[str], non_standard: bool = False) -> Category:
            cat, created = Category.objects.get_or_create(name=name, defaults={"is_non_standard": non_standard})
            if created:
                cat.required_documents.set([docs[c] for c in required])
            return cat

        cats = {
            "jade": category("珠宝玉石", ["gem-cert"], non_standard=True),
            "beauty": category("美妆护肤", ["cosmetics-filing", "inspection"]),
            "food": category("食品饮料", ["food-licence"]),
            "apparel": category("服饰鞋包", []),
            "digital": category("虚拟充值", []),
            "home": category("家居日用", ["brand-auth"]),
        }

        def merchant(username: str, name: str, **flags) -> Merchant:
            u = user(username)
            m, _ = Merchant.objects.get_or_create(user=u, defaults={"name": name, **flags})
            return m

        merchants = {
            "jade": merchant("m_jade", "和田玉石商行", meets_flash_sale_standard=True),
            "beauty": merchant("m_beauty", "花漾美妆集团"),
            "snacks": merchant("m_snacks", "川味零食铺"),
            "global": merchant("m_global", "环球优选贸易"),
            "xiaoyu": merchant("m_xiaoyu", "小鱼自营"),
        }

        def shop(m: Merchant, name: str, shop_type: str, cross_border: bool = False) -> Shop:
            s, _ = Shop.objects.get_or_create(merchant=m, name=name, defaults={"shop_type": shop_type, "is_cross_border": cross_border})
            return s

        shops = {
            "jade": shop(merchants["jade"], "和田玉石专营店", ShopType.SPECIALTY),
            "beauty": shop(merchants["beauty"], "花漾官方旗舰店", ShopType.OFFICIAL_FLAGSHIP),
            "beauty2": shop(merchants["beauty"], "花漾个护企业店", ShopType.ENTERPRISE),
            "snacks": shop(merchants["snacks"], "川味零食小铺", ShopType.INDIVIDUAL),
            "global": shop(merchants["global"], "环球优选跨境店", ShopType.ENTERPRISE, cross_border=True),
            "xiaoyu": shop(merchants["xiaoyu"], "小鱼的好物店", ShopType.INDIVIDUAL),
        }

        palette = [(196, 90, 90), (90, 140, 196), (110, 170, 110), (200, 160, 80), (150, 110, 190), (80, 170, 170)]
        products: dict[str, Product] = {}

        def product(key: str, s: Shop, title: str, cat: Category, price: str, *, stock: int = 100, listed: bool = True,
                    commission: str = "20", samples: bool = True, **extra) -> Product:
            p = Product.objects.filter(shop=s, title=title).first()
            if p is None:
                p = services.product_create(
                    shop=s, by=None,
                    data={"title": title, "short_title": title[:10], "category": cat, "price": Decimal(price), "stock": stock,
                          "attributes": {"产地": "中国"}, "main_image": demo_image(palette[len(products) % len(palette)]), **extra},
                )
                if p.lottery_cleared():
                    p = services.product_put_on_sale(product=p, by=None)
                if listed:
                    # S2: a cross-border or virtual product is listed with samples off (the switch refuses it).
                    samples = samples and not sample_switch_refusal(p)
                    services.alliance_list(product=p, by=None, commission_rate=Decimal(commission), sample_support=samples)
            products[key] = p
            return p

        product("jade_bangle", shops["jade"], "和田玉手镯 白玉 圈口56", cats["jade"], "2680.00", stock=12)
        product("jade_pendant", shops["jade"], "翡翠平安扣吊坠", cats["jade"], "899.00", stock=30)
        product("serum", shops["beauty"], "花漾玻尿酸精华液 30ml", cats["beauty"], "159.00")
        product("cream", shops["beauty"], "花漾修护面霜 50g", cats["beauty"], "219.00")
        product("lotion", shops["beauty2"], "花漾身体乳 400ml", cats["beauty"], "69.00")
        product("chili", shops["snacks"], "麻辣牛肉干 200g", cats["food"], "39.90", commission="25")
        product("hotpot", shops["snacks"], "重庆火锅底料 4袋装", cats["food"], "29.90", commission="30")
        product("snack_box", shops["snacks"], "川味零食大礼包", cats["food"], "88.00")
        product("vitamin", shops["global"], "澳洲进口维生素C 60粒", cats["food"], "128.00")
        product("phone_topup", shops["global"], "话费充值 100元", cats["digital"], "98.00", is_virtual=True)
        product("tee", shops["xiaoyu"], "小鱼同款纯棉T恤", cats["apparel"], "79.00")
        product("towel", shops["xiaoyu"], "小鱼精选毛巾三条装", cats["home"], "45.00")
        product("lottery", shops["xiaoyu"], "粉丝福利 0元购抽奖", cats["apparel"], "0.00", listed=False, is_zero_price_lottery=True)

        def creator(username: str, nickname: str, platform_id: str, followers: int, **flags) -> Creator:
            u = user(username)
            c, _ = Creator.objects.get_or_create(
                user=u, defaults={"nickname": nickname, "platform_id": platform_id, "followers": followers, **flags}
            )
            return c

        creators = {
            "xiaoyu": creator("c_xiaoyu", "小鱼", "KS10086", 2_350_000, is_specific=True, bound_shop=shops["xiaoyu"]),
            "dapeng": creator("c_dapeng", "大鹏带货", "DY20001", 860_000),
            "jadeking": creator("c_jadeking", "玉石哥阿杰", "DY30003", 420_000, flash_sale_invited=True, meets_flash_sale_standard=True),
            "risky": creator("c_risky", "风险号", "DY40004", 12_000, is_risky=True),
            "beauty_official": creator("c_beauty_official", "花漾官方", "DY50005", 1_200_000, bound_shop=shops["beauty"], carry_limits_on=True),
            "snacks_official": creator("c_snacks_official", "川味零食官方", "DY60006", 90_000, bound_shop=shops["snacks"], carry_limits_on=True),
            "newbie": creator("c_newbie", "新人小美", "DY70007", 3_500, product_sharing_enabled=False),
        }

        now = timezone.now()

        def session(key: str, c: Creator, title: str, start, *, live: bool = False, pk_partner=None) -> LiveSession:
            s = LiveSession.objects.filter(creator=c, title=title).first()
            if s is None:
                s = LiveSession(creator=c, title=title, scheduled_start=start, pk_partner=pk_partner)
                s.save()
                if live:
                    s = services.live_session_go_live(session=s, by=c.user)
            return s

        sessions = {
            "xiaoyu_next": session("xiaoyu_next", creators["xiaoyu"], "小鱼周末好物专场", now + timedelta(days=5)),
            "dapeng_live": session("dapeng_live", creators["dapeng"], "大鹏今晚零食节", now - timedelta(minutes=30), live=True),
            "jade_live": session("jade_live", creators["jadeking"], "玉石哥和田玉直播", now - timedelta(minutes=45), live=True),
            "snacks_next": session("snacks_next", creators["snacks_official"], "川味官方周五直播", now + timedelta(days=2)),
            "beauty_next": session("beauty_next", creators["beauty_official"], "花漾新品发布会", now + timedelta(days=3)),
        }
        pk = session("dapeng_pk", creators["dapeng"], "大鹏 × 小鱼 PK 专场", now + timedelta(days=6), pk_partner=sessions["xiaoyu_next"])
        sessions["dapeng_pk"] = pk

        return {
            "now": now, "reviewer": reviewer, "ops": ops, "docs": docs, "categories": cats, "merchants": merchants,
            "shops": shops, "products": products, "creators": creators, "sessions": sessions,
        }

    def print_logins(self, world: dict) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        rows = [
            ("reviewer", "platform reviewer → /admin/"),
            ("platform", "platform staff (superuser; changes platform rules) → /admin/"),
            ("m_jade", "merchant: jade specialty store (flash sales)"),
            ("m_beauty", "merchant: official flagship (professional) + enterprise shop"),
            ("m_snacks", "merchant: individual shop (non-professional); owner (主账号) of a team"),
            ("m_snacks_ops", "  its member 小李, role 运营 (products, filings, the alliance)"),
            ("m_snacks_samples", "  its member 小周, role 样品 (sample decisions and settings)"),
            ("m_snacks_ship", "  its member 小王, role 发货 (ships samples, nothing else)"),
            ("m_snacks_view", "  its member 小陈, role 只读 (reads everything, changes nothing)"),
            ("m_global", "merchant: cross-border enterprise shop, virtual product"),
            ("m_xiaoyu", "merchant: shop of the specific creator 小鱼"),
            ("c_xiaoyu", "creator: specific creator 小鱼, official account"),
            ("c_dapeng", "creator: 大鹏带货, live now, PK with 小鱼 scheduled"),
            ("c_jadeking", "creator: invited to flash sales, live now"),
            ("c_risky", "creator: risk-marked"),
            ("c_beauty_official", "creator: official account of a professional shop"),
            ("c_snacks_official", "creator: official account of a non-professional shop"),
            ("c_newbie", "creator: product sharing off"),
            ("c_lowscore", "creator: fulfilment score at the floor (V1: cannot request samples)"),
        ]
        for username, what in rows:
            out.write(f"  {username:<20} {what}")
