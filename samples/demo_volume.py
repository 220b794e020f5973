"""Demo of samples at volume (V7–V10), called at the end of samples.demo.seed_demo.

- V8: the two live sessions get a viewer count (the platform's figure; joins of the live
  room add to it), so 大鹏's live promotion of the T-shirt counts.
- V7: 玉石哥阿杰 asked 川味 for more time on the snack box (awaiting the merchant);
  大鹏带货's extension on the body lotion was granted by silence.
- V9: 大鹏带货 reported the jade bangle as not arrived (held; 玉 shop re-ships or a
  reviewer decides).
- V10: shipping costs on the demo shipments and orders from the creators' videos and live
  carts after the samples were shipped (flash-sale orders come from flashsales.demo).
Idempotent: each step looks its rows up first.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.rules import rules
from samples import services, services_volume
from samples.models import ExtensionRequest, PromotionSale, SampleRequest
from shops.models import LiveCartItem, LiveSession, Product, ShortVideo

logger = logging.getLogger(__name__)
H = timedelta(hours=1)
D = timedelta(days=1)


def _pair(creator, product):
    return SampleRequest.objects.filter(creator=creator, product=product).select_related("creator__user", "merchant__user", "product")


def _received(creator, product, *, received, note=""):
    """A request moved to received through the services, then placed back in time."""
    from samples.demo import _place

    sample = services.sample_request_create(creator=creator, product=product, by=creator.user, note=note)
    sample = services.sample_request_approve(sample=sample, by=sample.merchant.user)
    sample = services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="zto", tracking_number="731234567891",
                                          shipping_cost="10.00")
    sample = services.sample_request_confirm_receipt(sample=sample, by=creator.user)
    _place(sample, requested=received - 4 * D, approved=received - 4 * D + H, shipped=received - 3 * D, received=received)
    return _pair(creator, product).get()


def seed_demo_volume(world: dict) -> None:
    now = world["now"]
    p = {key: Product.objects.get(pk=product.pk) for key, product in world["products"].items()}
    c = world["creators"]
    dapeng, jadeking = c["dapeng"], c["jadeking"]

    # -- V8: viewer counts of the live sessions -------------------------------------------
    for key, viewers in (("dapeng_live", 1386), ("jade_live", 642)):
        LiveSession.objects.filter(pk=world["sessions"][key].pk, peak_viewers__lt=viewers).update(peak_viewers=viewers)

    # -- V7: an extension awaiting 川味, and one granted by silence ----------------------
    if not _pair(jadeking, p["snack_box"]).exists():
        sample = _received(jadeking, p["snack_box"], received=now - 10 * D)
        ext = services_volume.sample_extension_request(
            sample=sample, by=jadeking.user, reason="零食节专场改到下周六，需要多几天准备脚本")
        asked = now - 5 * H
        ExtensionRequest.objects.filter(pk=ext.pk).update(
            requested_at=asked, refuse_by=asked + rules.duration("sample_extension_refuse"))
    if not _pair(dapeng, p["lotion"]).exists():
        sample = _received(dapeng, p["lotion"], received=now - 14 * D)
        ext = services_volume.sample_extension_request(sample=sample, by=dapeng.user, reason="身体乳要做秋冬合集，拍摄档期排到下周")
        asked = now - 3 * D
        ExtensionRequest.objects.filter(pk=ext.pk).update(
            requested_at=asked, refuse_by=asked + rules.duration("sample_extension_refuse"))
        services_volume.sweep_grant_extensions()  # silence grants it at the 48 h mark

    # -- V9: a parcel reported not arrived -------------------------------------------------
    if not _pair(dapeng, p["jade_bangle"]).exists():
        from samples.demo import _place

        sample = services.sample_request_create(creator=dapeng, product=p["jade_bangle"], by=dapeng.user, note="想做玉器入门科普")
        sample = services.sample_request_approve(sample=sample, by=sample.merchant.user)
        sample = services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF100200300499",
                                              shipping_cost="22.00")
        _place(sample, requested=now - 5 * D, approved=now - 5 * D + H, shipped=now - 3 * D)
        sample = services_volume.sample_request_report_not_arrived(
            sample=_pair(dapeng, p["jade_bangle"]).get(), by=dapeng.user, note="物流显示已签收，但驿站和家里都没有")
        SampleRequest.objects.filter(pk=sample.pk).update(not_arrived_at=now - D)

    # -- V10: shipping costs and the orders the promotions brought ---------------------------
    SampleRequest.objects.filter(units_sent__gt=0, shipping_cost=0, merchant__in=[s.merchant for s in world["shops"].values()]) \
        .update(shipping_cost=Decimal("12.00"))
    _sales_from_video(dapeng, p["towel"], "小鱼毛巾开箱实测", [(1, 2), (2, 1), (3, 5), (5, 2), (8, 3)])
    _sales_from_video(jadeking, p["jade_pendant"], "翡翠平安扣上手讲解", [(0, 1), (1, 1)])
    _sales_from_live(dapeng, p["tee"], world["sessions"]["dapeng_live"], [3, 1, 2])


def _sales_from_video(creator, product, title: str, orders: list[tuple[int, int]]) -> None:
    """Orders (days after publishing, quantity) from the creator's promotion video."""
    if PromotionSale.objects.filter(creator=creator, product=product).exists():
        return
    video = ShortVideo.objects.filter(creator=creator, title=title).order_by("-published_at").first()
    if video is None:
        return
    for days, quantity in orders:
        try:
            services_volume.promotion_sale_record(
                creator=creator, product=product, video=video, quantity=quantity, amount=product.price * quantity,
                sold_at=min(video.published_at + days * D + 3 * H, world_now()),
            )
        except ValidationError as exc:
            logger.warning("samples demo: video sale not recorded: %s", exc)


def _sales_from_live(creator, product, session, quantities: list[int]) -> None:
    if PromotionSale.objects.filter(creator=creator, product=product).exists():
        return
    if not LiveCartItem.objects.filter(session_id=session.pk, product=product).exists():
        return
    for quantity in quantities:
        try:
            services_volume.promotion_sale_record(
                creator=creator, product=product, session=LiveSession.objects.get(pk=session.pk), quantity=quantity,
                amount=product.price * quantity,
            )
        except ValidationError as exc:
            logger.warning("samples demo: live sale not recorded: %s", exc)


def world_now():
    from django.utils import timezone

    return timezone.now()
