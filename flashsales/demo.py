"""Demo world for flash sales: 玉石哥阿杰 (c_jadeking) is live selling 和田玉石专营店's jade.

Idempotent: every row is looked up by a natural key first. Viewers have fixed tokens so
the walk-through in the README can name their links (/live/<session id>/?viewer=demo-amei).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flashsales import services
from flashsales.models import FlashSale, LiveComment, ProblemReport, ShippingTemplate, Viewer
from shops.models import LiveSession

VIEWERS = [("玉友小张", "demo-xiaozhang"), ("杭州阿梅", "demo-amei"), ("收藏家老李", "demo-laoli"), ("路过的小王", "demo-xiaowang")]
COMMENTS = [
    ("demo-xiaozhang", "主播这个手镯圈口多大?"),
    ("demo-amei", "平安扣能单独给我开一单吗?"),
    ("demo-laoli", "种水看着不错，有证书吗"),
    ("demo-amei", "我要那个带绿的!"),
]


def seed_demo(world: dict) -> None:
    from shops.management.commands.seed_demo import demo_image

    # Re-read: the world may hold the row as it was before it went live.
    session = LiveSession.objects.select_related("creator").get(pk=world["sessions"]["jade_live"].pk)
    creator = world["creators"]["jadeking"]
    bangle, pendant = world["products"]["jade_bangle"], world["products"]["jade_pendant"]

    viewers = {}
    for nickname, token in VIEWERS:
        viewers[token], _ = Viewer.objects.get_or_create(token=token, defaults={"nickname": nickname})
    if session.status == LiveSession.Status.LIVE:
        for token, text in COMMENTS:
            if not LiveComment.objects.filter(session=session, viewer=viewers[token], text=text).exists():
                services.comment_post(session=session, viewer=viewers[token], text=text)

    free, _ = ShippingTemplate.objects.get_or_create(creator=creator, name="顺丰包邮", defaults={"fee": Decimal("0.00")})
    remote, _ = ShippingTemplate.objects.get_or_create(creator=creator, name="偏远地区加运费", defaults={"fee": Decimal("15.00")})

    def flash_sale(title, product, *, mode="full", target=None, price, quantity, template, color):
        existing = FlashSale.objects.filter(session=session, title=title).first()
        if existing is not None or session.status != LiveSession.Status.LIVE:
            return existing
        return services.flash_sale_create(
            session=session, creator=creator, product=product, mode=mode, title=title, price=Decimal(price),
            quantity=quantity, picture=demo_image(color), picture_source=FlashSale.PictureSource.UPLOADED,
            shipping_template=template, target_viewer=target, by=creator.user,
        )

    # Open, full: one of five sold.
    sale = flash_sale("羊脂白玉手镯 圈口56 一手货", bangle, price="1980.00", quantity=5, template=free, color=(230, 225, 205))
    if sale is not None and sale.sold_count == 0:
        services.flash_sale_buy(flash_sale=sale, viewer=viewers["demo-xiaozhang"], quantity=1)
    # Open, targeted for 杭州阿梅 (she asked in the comments).
    flash_sale("阿梅专属 翡翠平安扣", pendant, mode="targeted", target=viewers["demo-amei"], price="699.00", quantity=1,
               template=remote, color=(120, 180, 130))
    # Sold out: hidden from the live room.
    sale = flash_sale("和田玉籽料小挂件 福豆", pendant, price="299.00", quantity=2, template=free, color=(200, 190, 150))
    if sale is not None and sale.status == FlashSale.Status.OPEN:
        services.flash_sale_buy(flash_sale=sale, viewer=viewers["demo-laoli"], quantity=1)
        services.flash_sale_buy(flash_sale=sale, viewer=viewers["demo-xiaowang"], quantity=1)
    # Ended by hand.
    sale = flash_sale("青白玉手镯 圈口58 (已下播前结束)", bangle, price="1280.00", quantity=3, template=free, color=(170, 185, 170))
    if sale is not None and sale.status == FlashSale.Status.OPEN:
        services.flash_sale_end(flash_sale=sale, by=creator.user, reason="主播手动结束")

    # D3: m_jade takes 翡翠平安扣吊坠 out of the alliance in 5 days and announces it; its
    # flash-sale buyers (收藏家老李, 路过的小王) find the announcement in their live-room inbox.
    from shops.alliance_removal import services as removal_services

    listing = getattr(pendant, "alliance_listing", None)
    if listing is not None and listing.status == "listed" and not listing.removals.exists() and pendant.flash_sales.filter(orders__isnull=False).exists():
        removal = removal_services.alliance_removal_create(
            product=pendant, by=pendant.shop.merchant.user, at=world["now"] + timedelta(days=5),
            compensation_note="已购买的买家可凭订单领取 50 元无门槛券",
        )
        removal_services.buyer_announcement_send(
            removal=removal, by=pendant.shop.merchant.user,
            message="翡翠平安扣吊坠即将下架精选联盟，售后与质保照常由本店负责。",
        )

    # FS8: one report per desk.
    jade_shop = world["shops"]["jade"]
    if not ProblemReport.objects.filter(reporter=creator.user).exists():
        services.problem_report_create(
            reporter=creator.user, desk=ProblemReport.Desk.CREATOR_SUPPORT, shop=jade_shop, creator=creator,
            description="APP 端定向闪购点击加号后没有弹出新建窗口。", attachment=demo_image((60, 60, 60)),
            attachment_kind="image", used_app=True, phone_model="iPhone 15 Pro", os_version="iOS 18.1", app_version="32.5.0",
        )
    merchant_user = world["merchants"]["jade"].user
    if not ProblemReport.objects.filter(reporter=merchant_user).exists():
        services.problem_report_create(
            reporter=merchant_user, desk=ProblemReport.Desk.MERCHANT_SERVICE, shop=jade_shop, creator=creator,
            description="闪购列表按类目筛选时看不到上周的闪购。", attachment=demo_image((90, 90, 120)), attachment_kind="image",
        )
