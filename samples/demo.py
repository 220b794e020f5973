"""Demo sample requests (样品服务), called by `manage.py seed_demo`:

- the lifecycle: every state of S3, several with a clock running out within minutes of
  seeding, so the sweeps can be watched doing their work;
- after shipping: the live sessions' viewer counts (V8), an extension awaiting the
  merchant and one granted by silence (V7), a parcel reported not arrived (V9), and the
  orders the creators' promotions brought (V10; flash-sale orders come from flashsales.demo);
- an open appeal (申诉, AP1) against the towel sample's breach;
- the sample policy: a creator kept out by their fulfilment score (V1), a quota with one
  sample left (V2), triage rules, one of which approved a request by itself (V4), and a
  blocked creator (V5).

Every request is made and moved through the services at seeding time, then its clock
columns (and its history's timestamps) are moved back as if it had happened earlier.
Idempotent: a (creator, product) pair that already has a request is left alone, and every
other row is looked up by a natural key first.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.rules import rules
from samples.models import CreatorBlock, ExtensionRequest, SampleAppeal, SampleQuota, SampleRequest, ShippingAddress, TriageRule
from samples.services import addresses, appeals, extensions, policy, promotion, requests, shipping, sweeps
from shops import services as shop_services
from shops.models import ChannelOrder, Creator, LiveCartItem, LiveSession, Product, ShortVideo, VideoCartItem
from shops.orders import Event, order_events_ingest

logger = logging.getLogger(__name__)
S = SampleRequest.State
H = timedelta(hours=1)
M = timedelta(minutes=1)
D = timedelta(days=1)

# Which history entry each time stands for.
_LOG_TIME = {
    "approve": "approved", "reject": "closed", "withdraw": "closed", "expire": "closed",
    "ship": "shipped", "cancel_unshipped": "closed", "receive": "received", "auto_receive": "received",
    "fulfil": "closed", "breach": "closed",
}


def _place(sample: SampleRequest, *, requested: datetime, approved=None, shipped=None, received=None, closed=None) -> None:
    """Move the request's clocks back in time, as if each step had happened then."""
    fields = {"requested_at": requested, "decide_by": requested + rules.duration("sample_decide")}
    if approved:
        fields.update(
            approved_at=approved, ship_by=approved + rules.duration("sample_ship"),
            ship_cancel_at=approved + rules.duration("sample_ship_cancel"),
        )
    if shipped:
        fields.update(shipped_at=shipped, auto_receive_at=shipped + rules.duration("sample_auto_receive"))
    if received:
        fields.update(received_at=received, fulfil_by=received + rules.duration("sample_fulfil"))
    if closed:
        fields["closed_at"] = closed
    SampleRequest.objects.filter(pk=sample.pk).update(**fields)
    times = {"approved": approved, "shipped": shipped, "received": received, "closed": closed}
    for log in StateLog.objects.for_(sample):
        moment = times.get(_LOG_TIME.get(log.transition, ""))
        if moment:
            StateLog.objects.filter(pk=log.pk).update(timestamp=moment)


def _reload(sample: SampleRequest) -> SampleRequest:
    return SampleRequest.objects.select_related("creator__user", "merchant__user", "product").get(pk=sample.pk)


def _ask(creator, product, note="") -> SampleRequest:
    _addresses({creator.pk: creator})
    return requests.sample_request_create(creator=creator, product=product, by=creator.user, note=note)


def _approve(sample):
    return requests.sample_request_approve(sample=sample, by=sample.merchant.user)


def _ship(sample, carrier="sf", number="SF100200300400"):
    return shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier=carrier, tracking_number=number)


def _receive(sample):
    return shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)


def _video(sample, title: str, published: datetime) -> ShortVideo:
    video = shop_services.video_publish(
        creator=sample.creator, title=title, url="https://www.douyin.com/video/demo", products=[sample.product], by=sample.creator.user
    )
    promotion.sample_request_record_video(sample=_reload(sample), by=sample.creator.user, video=video)
    ShortVideo.objects.filter(pk=video.pk).update(published_at=published)
    VideoCartItem.objects.filter(video=video).update(added_at=published)
    return video


DEMO_ADDRESSES = [
    ("王大鹏", "13912345678", "广东省", "广州市", "天河区", "体育西路 191 号中石化大厦 B 座 2801"),
    ("李玉", "13812345601", "广东省", "揭阳市", "榕城区", "进贤门大道玉都商城 3 栋 12 号"),
    ("陈晓雨", "13700001111", "浙江省", "杭州市", "余杭区", "文一西路 969 号 5 号楼"),
    ("赵新", "15000002222", "上海市", "上海市", "徐汇区", "漕溪北路 88 号 1203 室"),
]


def _addresses(creators: dict) -> None:
    """Each demo creator has a default shipping address (收货地址); the first two a second one."""
    for i, creator in enumerate(creators.values()):
        if ShippingAddress.objects.filter(creator=creator).exists():
            continue
        name, phone, province, city, district, street = DEMO_ADDRESSES[creator.pk % len(DEMO_ADDRESSES)]
        addresses.address_create(
            creator=creator, by=creator.user, name=name, phone=phone, province=province, city=city, district=district,
            street=street,
        )
        if i < 2 and len(creators) > 1:
            addresses.address_create(
                creator=creator, by=creator.user, name=name, phone=phone, province="北京市", city="北京市", district="朝阳区",
                street="酒仙桥路 4 号 798 艺术区 D 栋工作室",
            )


def seed_demo(world: dict) -> None:
    now = world["now"]
    _addresses(world["creators"])
    # Fresh copies: seed_core's objects can be stale (put on sale through another instance).
    p = {key: Product.objects.get(pk=product.pk) for key, product in world["products"].items()}
    c = world["creators"]
    dapeng, jadeking = c["dapeng"], c["jadeking"]

    def fresh(creator, product) -> bool:
        return not SampleRequest.objects.filter(creator=creator, product=product).exists()

    # -- Closed ones first (the sweeps that close them run once below) -------------------
    if fresh(jadeking, p["cream"]):  # rejected
        s = _ask(jadeking, p["cream"], "想做一期护肤合集")
        requests.sample_request_reject(sample=s, by=s.merchant.user, reason="本期样品已发完，下月再申请")
        _place(s, requested=now - 3 * D, closed=now - 3 * D + 5 * H)
    if fresh(jadeking, p["hotpot"]):  # withdrawn
        s = _ask(jadeking, p["hotpot"])
        requests.sample_request_withdraw(sample=s, by=s.creator.user)
        _place(s, requested=now - 2 * D, closed=now - 2 * D + H)
    if fresh(jadeking, p["lotion"]):  # expired (S4): the merchant never decided
        s = _ask(jadeking, p["lotion"])
        _place(s, requested=now - 4 * D)
        sweeps.sweep_expire_undecided()
        _place(s, requested=now - 4 * D, closed=now - 4 * D + rules.duration("sample_decide"))
    if fresh(jadeking, p["chili"]):  # cancelled (S5): approved, never shipped
        s = _approve(_ask(jadeking, p["chili"]))
        _place(s, requested=now - 7 * D, approved=now - 7 * D + 2 * H)
        sweeps.sweep_cancel_unshipped()
        _place(s, requested=now - 7 * D, approved=now - 7 * D + 2 * H, closed=now - 7 * D + 2 * H + rules.duration("sample_ship_cancel"))
    if fresh(jadeking, p["towel"]):  # breached (S7): received, never promoted
        s = _receive(_ship(_approve(_ask(jadeking, p["towel"])), "zto", "731234567890"))
        received = now - 20 * D
        _place(s, requested=received - 3 * D, approved=received - 3 * D + H, shipped=received - 2 * D, received=received)
        sweeps.sweep_breach_unpromoted()
        _place(s, requested=received - 3 * D, approved=received - 3 * D + H, shipped=received - 2 * D, received=received,
               closed=received + rules.duration("sample_fulfil"))
    if fresh(dapeng, p["towel"]):  # fulfilled (S7): a video held for its 7 days
        s = _receive(_ship(_approve(_ask(dapeng, p["towel"], "准备拍开箱")), "yto", "YT1234567890123"))
        received = now - 12 * D
        published = received + D
        _video(s, "小鱼毛巾开箱实测", published)
        _place(s, requested=received - 3 * D, approved=received - 3 * D + 2 * H, shipped=received - 2 * D, received=received)
        SampleRequest.objects.filter(pk=s.pk).update(
            promotion_started_at=published, fulfil_check_at=published + rules.duration("sample_video_keep")
        )
        sweeps.sweep_check_promotions()
        _place(s, requested=received - 3 * D, approved=received - 3 * D + 2 * H, shipped=received - 2 * D, received=received,
               closed=published + rules.duration("sample_video_keep"))

    # -- Open ones, several with a clock running out soon ---------------------------------
    if fresh(dapeng, p["serum"]):  # S4: expires in 10 minutes unless 花漾 decides
        s = _ask(dapeng, p["serum"], "粉丝多为油皮，想测评这款精华")
        _place(s, requested=now - rules.duration("sample_decide") + 10 * M)
    if fresh(dapeng, p["cream"]):  # requested, plenty of time
        s = _ask(dapeng, p["cream"])
        _place(s, requested=now - 3 * H)
    if fresh(jadeking, p["serum"]):  # requested, half of the 48 h gone (the merchant was reminded)
        s = _ask(jadeking, p["serum"])
        _place(s, requested=now - 30 * H)
    if fresh(dapeng, p["jade_pendant"]):  # S5: approved 50 h ago, not shipped: late
        s = _approve(_ask(dapeng, p["jade_pendant"]))
        _place(s, requested=now - 52 * H, approved=now - 50 * H)
    if fresh(dapeng, p["chili"]):  # S5: cancelled in 10 minutes unless 川味 ships
        s = _approve(_ask(dapeng, p["chili"]))
        approved = now - rules.duration("sample_ship_cancel") + 10 * M
        _place(s, requested=approved - 5 * H, approved=approved)
    if fresh(dapeng, p["hotpot"]):  # S6: receipt confirmed automatically in 10 minutes
        s = _ship(_approve(_ask(dapeng, p["hotpot"])), "sto", "773123456789012")
        shipped = now - rules.duration("sample_auto_receive") + 10 * M
        _place(s, requested=shipped - 30 * H, approved=shipped - 20 * H, shipped=shipped)
    if fresh(jadeking, p["jade_bangle"]):  # shipped yesterday
        s = _ship(_approve(_ask(jadeking, p["jade_bangle"], "直播间想做和田玉专场")), "jd", "JDVA12345678901")
        _place(s, requested=now - 3 * D, approved=now - 3 * D + 4 * H, shipped=now - D)
    if fresh(dapeng, p["snack_box"]):  # S7: breached in 10 minutes unless 大鹏 starts promoting
        s = _receive(_ship(_approve(_ask(dapeng, p["snack_box"])), "yunda", "4312345678901"))
        received = now - rules.duration("sample_fulfil") + 10 * M
        _place(s, requested=received - 4 * D, approved=received - 4 * D + H, shipped=received - 3 * D, received=received)
    if fresh(jadeking, p["jade_pendant"]):  # S7: video fulfilled in 10 minutes (7 days up)
        s = _receive(_ship(_approve(_ask(jadeking, p["jade_pendant"])), "ems", "EA123456789CN"))
        received = now - 8 * D
        published = now - rules.duration("sample_video_keep") + 10 * M
        _video(s, "翡翠平安扣上手讲解", published)
        _place(s, requested=received - 3 * D, approved=received - 3 * D + H, shipped=received - 2 * D, received=received)
        SampleRequest.objects.filter(pk=s.pk).update(
            promotion_started_at=published, fulfil_check_at=published + rules.duration("sample_video_keep")
        )
    if fresh(dapeng, p["tee"]):  # S7: live — in 大鹏's live cart and explained; fulfilled 3 minutes in
        s = _receive(_ship(_approve(_ask(dapeng, p["tee"])), "sf", "SF100200300401"))
        _place(s, requested=now - 4 * D, approved=now - 4 * D + H, shipped=now - 2 * D, received=now - H)
        session = world["sessions"]["dapeng_live"]
        try:
            item = LiveCartItem.objects.filter(session=session, product=p["tee"], removed_at__isnull=True).first()
            item = item or shop_services.cart_add(session=session, product=p["tee"], by=dapeng.user)
            shop_services.cart_mark_explained(item=item, by=dapeng.user)
            promotion.sample_request_record_live(sample=_reload(s), by=dapeng.user, item=item)
        except ValidationError as exc:  # e.g. an official account's cart limit (C1–C3) refused it
            logger.warning("samples demo: live promotion of %s not recorded: %s", p["tee"], exc)

    _seed_triage_rules(world, p)
    _seed_after_shipping(world, p, c)
    _seed_policy(world, p, c)
    _seed_appeal(c)


def _seed_appeal(c: dict) -> None:
    """AP1: 翡翠王 appeals the breach of the towel sample, open in the reviewers' queue (AP2)."""
    sample = SampleRequest.objects.filter(creator=c["jadeking"], state=S.BREACHED).order_by("-closed_at").first()
    if sample is None or SampleAppeal.objects.filter(sample=sample).exists() or not appeals.can_appeal(sample):
        return
    appeals.sample_appeal_file(
        sample=sample, by=sample.creator.user,
        reason="样品到货时包装破损、毛巾受潮发霉，无法拍摄推广；已在收货当天联系商家客服，附聊天截图。",
    )


def _seed_triage_rules(world: dict, p: dict) -> None:
    """V4, before the requests after shipping: 花漾's rule approves 大鹏's body-lotion request
    as it arrives (the request whose extension is granted by silence, V7)."""
    merchants = world["merchants"]
    # V4: 花漾 approves creators with many followers and a good score on its 个护企业店 by itself,
    # and declines low scores on the flagship's 面霜; 大鹏's request for the body lotion was
    # approved by the first rule.
    beauty = merchants["beauty"]
    if not TriageRule.objects.filter(merchant=beauty, name="50万粉且履约分≥10 自动通过").exists():
        policy.triage_rule_create(
            merchant=beauty, by=beauty.user, name="50万粉且履约分≥10 自动通过", action=TriageRule.Action.APPROVE,
            shop=p["lotion"].shop, min_followers=500_000, min_score=10,
        )
    if not TriageRule.objects.filter(merchant=beauty, name="履约分低于9 自动拒绝").exists():
        policy.triage_rule_create(
            merchant=beauty, by=beauty.user, name="履约分低于9 自动拒绝", action=TriageRule.Action.REJECT,
            product=p["cream"], min_score=9,
        )


# ---------------------------------------------------------------------------------------
# After shipping: viewers (V8), extensions (V7), not arrived (V9), sales (V10)


def _pair(creator, product):
    return SampleRequest.objects.filter(creator=creator, product=product).select_related("creator__user", "merchant__user", "product")


def _received(creator, product, *, received, note=""):
    """A request moved to received through the services, then placed back in time."""
    _addresses({creator.pk: creator})
    sample = requests.sample_request_create(creator=creator, product=product, by=creator.user, note=note)
    if sample.state == S.REQUESTED:  # else the merchant's triage rule approved it as it arrived (V4)
        sample = requests.sample_request_approve(sample=sample, by=sample.merchant.user)
    sample = shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="zto", tracking_number="731234567891",
                                          shipping_cost="10.00")
    sample = shipping.sample_request_confirm_receipt(sample=sample, by=creator.user)
    _place(sample, requested=received - 4 * D, approved=received - 4 * D + H, shipped=received - 3 * D, received=received)
    return _pair(creator, product).get()


def _seed_after_shipping(world: dict, p: dict, c: dict) -> None:
    now = world["now"]
    dapeng, jadeking = c["dapeng"], c["jadeking"]
    # -- V8: viewer counts of the live sessions -------------------------------------------
    for key, viewers in (("dapeng_live", 1386), ("jade_live", 642)):
        LiveSession.objects.filter(pk=world["sessions"][key].pk, peak_viewers__lt=viewers).update(peak_viewers=viewers)

    # -- V7: an extension awaiting 川味, and one granted by silence ----------------------
    if not _pair(jadeking, p["snack_box"]).exists():
        sample = _received(jadeking, p["snack_box"], received=now - 10 * D)
        ext = extensions.sample_extension_request(
            sample=sample, by=jadeking.user, reason="零食节专场改到下周六，需要多几天准备脚本")
        asked = now - 5 * H
        ExtensionRequest.objects.filter(pk=ext.pk).update(
            requested_at=asked, refuse_by=asked + rules.duration("sample_extension_refuse"))
    if not _pair(dapeng, p["lotion"]).exists():
        sample = _received(dapeng, p["lotion"], received=now - 14 * D, note="身体乳想做秋冬护肤合集")
        ext = extensions.sample_extension_request(sample=sample, by=dapeng.user, reason="身体乳要做秋冬合集，拍摄档期排到下周")
        asked = now - 3 * D
        ExtensionRequest.objects.filter(pk=ext.pk).update(
            requested_at=asked, refuse_by=asked + rules.duration("sample_extension_refuse"))
        sweeps.sweep_grant_extensions()  # silence grants it at the 48 h mark

    # -- V9: a parcel reported not arrived -------------------------------------------------
    if not _pair(dapeng, p["jade_bangle"]).exists():
        _addresses({dapeng.pk: dapeng})
        sample = requests.sample_request_create(creator=dapeng, product=p["jade_bangle"], by=dapeng.user, note="想做玉器入门科普")
        sample = requests.sample_request_approve(sample=sample, by=sample.merchant.user)
        sample = shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF100200300499",
                                              shipping_cost="22.00")
        _place(sample, requested=now - 5 * D, approved=now - 5 * D + H, shipped=now - 3 * D)
        sample = shipping.sample_request_report_not_arrived(
            sample=_pair(dapeng, p["jade_bangle"]).get(), by=dapeng.user, note="物流显示已签收，但驿站和家里都没有")
        SampleRequest.objects.filter(pk=sample.pk).update(
            not_arrived_at=now - D, not_arrived_decide_by=shipping.not_arrived_decision_due(now - D))  # reported yesterday

    # -- V10: shipping costs and the orders the promotions brought ---------------------------
    SampleRequest.objects.filter(units_sent__gt=0, shipping_cost=0, merchant__in=[s.merchant for s in world["shops"].values()]) \
        .update(shipping_cost=Decimal("12.00"))
    _sales_from_video(dapeng, p["towel"], "小鱼毛巾开箱实测", [(1, 2), (2, 1), (3, 5), (5, 2), (8, 3)])
    _sales_from_video(jadeking, p["jade_pendant"], "翡翠平安扣上手讲解", [(0, 1), (1, 1)])
    _sales_from_live(dapeng, p["tee"], world["sessions"]["dapeng_live"], [3, 1, 2])


def _feed(order_id: str, *, channel: str, creator, product, quantity: int, at, session=None, video=None) -> None:
    """V10: the demo's orders come in through the order feed, as the platform's would: created, then paid."""
    base = dict(order_id=order_id, channel=channel, creator=creator.platform_id, product=product.pk, quantity=quantity,
                amount=product.price * quantity, session=session.pk if session else None, video=video.pk if video else None)
    result = order_events_ingest(events=[Event(kind="created", occurred_at=at, **base), Event(kind="paid", occurred_at=at + M, **base)])
    if result.unattributed:
        logger.warning("samples demo: order %s not attributed: %s", order_id, result.unattributed)


def _sales_from_video(creator, product, title: str, orders: list[tuple[int, int]]) -> None:
    """Orders (days after publishing, quantity) from the creator's promotion video."""
    if ChannelOrder.objects.filter(creator=creator, product=product).exists():
        return
    video = ShortVideo.objects.filter(creator=creator, title=title).order_by("-published_at").first()
    if video is None:
        return
    for n, (days, quantity) in enumerate(orders):
        _feed(f"demo-video-{video.pk}-{product.pk}-{n}", channel="video", creator=creator, product=product, quantity=quantity,
              at=min(video.published_at + days * D + 3 * H, timezone.now() - M), video=video)


def _sales_from_live(creator, product, session, quantities: list[int]) -> None:
    if ChannelOrder.objects.filter(creator=creator, product=product).exists():
        return
    item = LiveCartItem.objects.filter(session_id=session.pk, product=product).order_by("added_at").first()
    if item is None:
        return
    for n, quantity in enumerate(quantities):
        _feed(f"demo-live-{session.pk}-{product.pk}-{n}", channel="live", creator=creator, product=product, quantity=quantity,
              at=max(item.added_at, (item.removed_at or timezone.now()) - (n + 1) * M), session=session)



# ---------------------------------------------------------------------------------------
# The sample policy (V1–V5)


def _seed_policy(world: dict, p: dict, c: dict) -> None:
    """V1: a creator whose fulfilment score keeps them out (two breaches); V2: a product with
    one sample of its quota left; V4: a triage rule that approved a request by itself; V5: a
    blocked creator."""
    from shops.management.commands.seed_demo import user

    now = world["now"]
    merchants = world["merchants"]

    # V1: 爽约小王 breached two samples in the last weeks: 12 − 3 − 3 = 6 ≤ 8, refused until
    # the first breach leaves the 90-day window.
    u = user("c_lowscore", first_name="爽约小王")
    low, _created = Creator.objects.get_or_create(
        user=u, defaults={"nickname": "爽约小王", "platform_id": "DY80008", "followers": 56_000}
    )
    for key, days_ago in (("hotpot", 40), ("cream", 20)):
        if not SampleRequest.objects.filter(creator=low, product=p[key]).exists():
            s = _receive(_ship(_approve(_ask(low, p[key])), "zto", "731234567891"))
            received = now - days_ago * D
            _place(s, requested=received - 3 * D, approved=received - 3 * D + H, shipped=received - 2 * D, received=received)
            sweeps.sweep_breach_unpromoted()
            _place(s, requested=received - 3 * D, approved=received - 3 * D + H, shipped=received - 2 * D, received=received,
                   closed=received + rules.duration("sample_fulfil"))

    # V2: 翡翠平安扣 gives 3 samples in total; two approvals above used two: one left.
    if not SampleQuota.objects.filter(product=p["jade_pendant"]).exists():
        policy.sample_quota_set(product=p["jade_pendant"], by=merchants["jade"].user, limit=3, period=SampleQuota.Period.TOTAL)
    if not SampleQuota.objects.filter(product=p["tee"]).exists():
        policy.sample_quota_set(product=p["tee"], by=merchants["xiaoyu"].user, limit=5, period=SampleQuota.Period.WEEK)

    # V5: 川味零食铺 blocked 风险号 from its samples.
    snacks, risky = merchants["snacks"], c["risky"]
    if not CreatorBlock.objects.filter(merchant=snacks, creator=risky).exists():
        policy.creator_block(merchant=snacks, creator=risky, reason="多次申样后转卖样品（客服核实）", by=snacks.user)
