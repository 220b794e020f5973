"""Every write of the flash-sale domain. Keyword-only, atomic, the only callers of transitions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fsm import apply_transition, full_clean
from core.notifications import notify, platform_text
from core.rules import rules
from flashsales import texts
from flashsales.models import (
    FlashSale,
    FlashSaleOrder,
    LiveComment,
    ProblemReport,
    ProblemReportReply,
    RoomVisit,
    ShippingTemplate,
    Viewer,
    ViewerMessage,
)
from shops.models import Creator, LiveSession, Product, Shop

CAP_KEYS = {FlashSale.Mode.FULL: "fs_full_cap", FlashSale.Mode.TARGETED: "fs_targeted_cap"}
CAP_TEXTS = {FlashSale.Mode.FULL: texts.FULL_CAP_REACHED, FlashSale.Mode.TARGETED: texts.TARGETED_CAP_REACHED}


# ---------------------------------------------------------------------------------------
# Viewers and comments


@transaction.atomic
def viewer_create(*, nickname: str) -> Viewer:
    viewer = Viewer(nickname=nickname.strip())
    full_clean(viewer)
    viewer.save()
    return viewer


@transaction.atomic
def viewer_join(*, session: LiveSession, nickname: str, viewer: Viewer | None = None) -> Viewer:
    """A buyer joins a live room. V8 (samples): while the session is live, each DISTINCT
    viewer who joins its room is counted once in its viewer figure (LiveSession.peak_viewers,
    shown as 独立观众数), which decides whether a live sample promotion counts (at least
    `sample_min_live_viewers`). `viewer` is the browser's viewer when it already has one
    (kept in its session): joining again does not count again."""
    if viewer is None:
        viewer = viewer_create(nickname=nickname)
    _, first = RoomVisit.objects.get_or_create(session=session, viewer=viewer)
    if first:
        LiveSession.objects.filter(pk=session.pk, status=LiveSession.Status.LIVE).update(peak_viewers=F("peak_viewers") + 1)
    return viewer


@transaction.atomic
def comment_post(*, session: LiveSession, viewer: Viewer, text: str) -> LiveComment:
    if session.status != LiveSession.Status.LIVE:
        raise ValidationError(texts.ROOM_NOT_LIVE)
    comment = LiveComment(session=session, viewer=viewer, text=text.strip())
    full_clean(comment)
    comment.save()
    return comment


# ---------------------------------------------------------------------------------------
# Shipping templates


@transaction.atomic
def shipping_template_create(*, creator: Creator, name: str, fee: Decimal) -> ShippingTemplate:
    template = ShippingTemplate(creator=creator, name=name.strip(), fee=fee)
    if fee is None or fee < 0:
        raise ValidationError({"fee": _("Enter a shipping fee of zero or more.")})
    full_clean(template)
    template.save()
    return template


# ---------------------------------------------------------------------------------------
# Flash sales


def check_eligibility(*, creator: Creator, product: Product) -> None:
    """FS1 + FS2: three separate gates (category, invitation, standard); the first refusal wins."""
    if not product.category.is_non_standard:
        raise ValidationError(texts.CATEGORY_NOT_APPROVED % {"category": product.category.name})
    if not creator.flash_sale_invited:
        raise ValidationError(texts.CREATOR_NOT_INVITED)
    if not creator.meets_flash_sale_standard:
        raise ValidationError(texts.CREATOR_BELOW_STANDARD)
    merchant = product.shop.merchant
    if not merchant.meets_flash_sale_standard:
        raise ValidationError(texts.MERCHANT_BELOW_STANDARD % {"merchant": merchant.name})


@transaction.atomic
def flash_sale_create(
    *,
    session: LiveSession,
    creator: Creator,
    product: Product,
    mode: str,
    title: str,
    price: Decimal,
    quantity: int,
    picture,
    picture_source: str,
    shipping_template: ShippingTemplate | None = None,
    new_template: dict | None = None,
    target_viewer: Viewer | None = None,
    by=None,
) -> FlashSale:
    """FS3/FS4: create a full or targeted flash sale in the creator's live session.

    FS5: the product row is locked while its flash sales are counted and the new one is
    written, so requests racing for the last place under the cap queue on that lock and
    each sees the count the previous one left.
    """
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("category", "shop", "shop__merchant")
        .get(pk=product.pk)
    )
    # The session row is locked too, so a flash sale cannot be created in a session that is
    # ending at that moment (live_session_end locks it, then ends its open flash sales: FS3/FS6).
    session = LiveSession.objects.select_for_update(of=("self",)).select_related("creator").get(pk=session.pk)
    creator = Creator.objects.get(pk=creator.pk)
    if session.creator_id != creator.pk:
        raise ValidationError(texts.NOT_YOUR_SESSION)
    if session.status != LiveSession.Status.LIVE:
        raise ValidationError(texts.SESSION_NOT_LIVE)
    check_eligibility(creator=creator, product=product)
    if product.sale_status != Product.SaleStatus.ON_SALE or product.shop.status != Shop.Status.OPEN:
        raise ValidationError(texts.PRODUCT_NOT_ON_SALE)

    errors: dict[str, list] = {}
    if price is None or price <= 0:
        errors.setdefault("price", []).append(texts.PRICE_NOT_POSITIVE)
    if quantity is None or quantity <= 0:
        errors.setdefault("quantity", []).append(texts.QUANTITY_NOT_POSITIVE)
    if not picture:
        errors.setdefault("picture", []).append(texts.PICTURE_MISSING)
    if mode == FlashSale.Mode.TARGETED:
        # FS3: a targeted flash sale goes to one viewer who commented in this session.
        if target_viewer is None:
            errors.setdefault("target_viewer", []).append(texts.TARGET_MISSING)
        elif not LiveComment.objects.filter(session=session, viewer=target_viewer).exists():
            errors.setdefault("target_viewer", []).append(texts.TARGET_NOT_IN_COMMENTS)
    elif mode == FlashSale.Mode.FULL:
        target_viewer = None
    else:
        errors.setdefault("mode", []).append(_("Choose full or targeted."))
    if shipping_template is not None and shipping_template.creator_id != creator.pk:
        errors.setdefault("shipping_template", []).append(texts.TEMPLATE_NOT_YOURS)
    if shipping_template is None and not new_template:
        errors.setdefault("shipping_template", []).append(texts.TEMPLATE_MISSING)
    if errors:
        raise ValidationError(errors)

    # FS5: every flash sale ever created under the product counts, sold out and ended too.
    cap = rules.count(CAP_KEYS[mode])
    if FlashSale.objects.filter(product=product, mode=mode).count() >= cap:
        raise ValidationError(CAP_TEXTS[mode] % {"cap": cap})

    if shipping_template is None:
        # FS4: the shipping template is created on the way, with the flash sale.
        shipping_template = shipping_template_create(creator=creator, name=new_template["name"], fee=new_template["fee"])

    flash_sale = FlashSale(
        session=session, product=product, mode=mode, target_viewer=target_viewer, title=title.strip(),
        price=price, quantity=quantity, picture=picture, picture_source=picture_source,
        shipping_template=shipping_template, created_by=by,
    )
    full_clean(flash_sale)
    flash_sale.save()
    return flash_sale


@transaction.atomic
def flash_sale_end(*, flash_sale: FlashSale, by, reason: str = "") -> FlashSale:
    """FS6: the creator ends an open flash sale by hand at any time."""
    flash_sale = FlashSale.objects.select_for_update().get(pk=flash_sale.pk)
    if flash_sale.status != FlashSale.Status.OPEN:
        # The live room's own words (as for a buyer), rather than the generic stale message.
        raise ValidationError(texts.NOT_OPEN)
    return apply_transition(flash_sale, "end", by=by, description=reason or "ended by hand")


@transaction.atomic
def flash_sales_end_with_session(*, session: LiveSession, by) -> int:
    """FS3/FS6: a full flash sale stays in the room's bag until sold out or ended, so when the
    live session ends its open flash sales end with it, each a recorded transition by the
    person who ended the session. Returns how many ended.

    Called from the `live_session_ended` signal inside live_session_end's transaction (the
    session row is locked). Each open flash sale is locked in id order; one that a buyer
    sold out meanwhile no longer matches `open` once its lock is granted and is left alone.
    """
    reason = platform_text(str, texts.ENDED_WITH_SESSION) % {"session": session.title}
    ended = 0
    for flash_sale in FlashSale.objects.select_for_update().filter(session=session, status=FlashSale.Status.OPEN).order_by("id"):
        flash_sale_end(flash_sale=flash_sale, by=by, reason=reason)
        ended += 1
    return ended


@transaction.atomic
def flash_sale_buy(*, flash_sale: FlashSale, viewer: Viewer, quantity: int) -> FlashSaleOrder:
    """A viewer buys `quantity` units: flash-sale price × quantity + the template's shipping fee.

    The flash sale's row is locked while the stock is checked and taken, so buyers racing
    for the last units queue on it: an order exists only for units really taken, and
    nobody is charged for an item they did not get. The last unit moves it to sold out
    (FS6), in the same transaction.
    """
    flash_sale = (
        FlashSale.objects.select_for_update(of=("self",))
        .select_related("session", "shipping_template", "session__creator__user")
        .get(pk=flash_sale.pk)
    )
    if flash_sale.status != FlashSale.Status.OPEN:
        raise ValidationError(texts.NOT_OPEN)
    if flash_sale.session.status != LiveSession.Status.LIVE:
        raise ValidationError(texts.ROOM_NOT_LIVE)
    if flash_sale.mode == FlashSale.Mode.TARGETED and flash_sale.target_viewer_id != viewer.pk:
        # FS3: a targeted flash sale is buyable by its viewer only.
        raise ValidationError(texts.NOT_FOR_YOU)
    if quantity is None or quantity <= 0:
        raise ValidationError(texts.QUANTITY_NOT_POSITIVE)
    if quantity > flash_sale.remaining:
        raise ValidationError(texts.NOT_ENOUGH_LEFT % {"left": flash_sale.remaining})

    fee = flash_sale.shipping_template.fee
    order = FlashSaleOrder.objects.create(
        flash_sale=flash_sale, viewer=viewer, quantity=quantity, unit_price=flash_sale.price,
        shipping_fee=fee, amount=flash_sale.price * quantity + fee,
    )
    flash_sale.sold_count += quantity
    flash_sale.save(update_fields=["sold_count"])
    if flash_sale.is_all_sold():
        # FS6: sold out → hidden from the live room automatically.
        apply_transition(flash_sale, "sell_out", by=None, description="last unit sold")
        creator_user = flash_sale.session.creator.user
        notify(
            kind="flash_sale", user=creator_user,
            title=platform_text(str, _("Flash sale “%(title)s” sold out")) % {"title": flash_sale.title},
            body=platform_text(str, _("All %(n)s units sold; it is hidden from your live room.")) % {"n": flash_sale.quantity},
            url=reverse("flashsales:console", args=[flash_sale.session_id]),
        )
    return order


# ---------------------------------------------------------------------------------------
# Viewer inbox (D3: announcements to flash-sale buyers)


@transaction.atomic
def viewer_message_deliver(*, viewer: Viewer, title: str, body: str, dedupe_key: str) -> ViewerMessage | None:
    """Put a message in the viewer's inbox, once per dedupe key: a repeat returns None."""
    message, created = ViewerMessage.objects.get_or_create(
        dedupe_key=dedupe_key, defaults={"viewer": viewer, "title": title, "body": body}
    )
    return message if created else None


@transaction.atomic
def viewer_messages_mark_read(*, viewer: Viewer) -> int:
    return ViewerMessage.objects.filter(viewer=viewer, read_at__isnull=True).update(read_at=timezone.now())


# ---------------------------------------------------------------------------------------
# Problem reports (FS8)


@transaction.atomic
def problem_report_create(
    *,
    reporter,
    desk: str,
    shop: Shop,
    creator: Creator,
    description: str,
    attachment,
    attachment_kind: str,
    used_app: bool = False,
    phone_model: str = "",
    os_version: str = "",
    app_version: str = "",
    flash_sale: FlashSale | None = None,
) -> ProblemReport:
    """FS8: a report carries shop ID, creator ID, a screenshot or video and, from the app,
    the phone model, OS and app version; its desk follows who reports (set by the caller's
    workspace: merchants → 商服, creators → 达人客服)."""
    if used_app and not (phone_model.strip() and os_version.strip() and app_version.strip()):
        raise ValidationError(texts.APP_DETAILS_MISSING)
    report = ProblemReport(
        reporter=reporter, desk=desk, shop=shop, creator=creator, flash_sale=flash_sale,
        description=description.strip(), attachment=attachment, attachment_kind=attachment_kind,
        used_app=used_app, phone_model=phone_model.strip() if used_app else "",
        os_version=os_version.strip() if used_app else "", app_version=app_version.strip() if used_app else "",
    )
    full_clean(report)
    report.save()
    return report


def _report_url(report: ProblemReport) -> str:
    """The reporter's workspace page that lists their reports (FS8: by desk)."""
    route = "flashsales:merchant_report" if report.desk == ProblemReport.Desk.MERCHANT_SERVICE else "flashsales:creator_report"
    return reverse(route)


@transaction.atomic
def problem_report_answer(*, report: ProblemReport, by, reply: str) -> ProblemReport:
    """FS8: a reviewer answers an open report; the answer is recorded (who, when, the text)
    and the reporter told."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(texts.REPLY_MISSING)
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProblemReport.Status.OPEN:
        raise ValidationError(texts.ALREADY_ANSWERED)
    report.reply = reply
    apply_transition(report, "answer", by=by, description=reply[:200])
    ProblemReportReply.objects.create(report=report, reply=reply, by=by, created_at=report.answered_at)
    notify(
        kind="flash_sale", user=report.reporter,
        title=platform_text(str, _("Your flash-sale problem report #%(id)s was answered")) % {"id": report.pk},
        body=reply,
        url=_report_url(report),
    )
    return report


@transaction.atomic
def problem_report_reply(*, report: ProblemReport, by, reply: str) -> ProblemReport:
    """FS8: a reviewer corrects the reply to an answered report. The new reply is recorded
    beside the earlier ones (who, when, the text) and the reporter is told; the same text
    again changes nothing and tells nobody."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(texts.REPLY_MISSING)
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProblemReport.Status.ANSWERED:
        raise ValidationError(texts.NOT_ANSWERED_YET)
    if reply == report.reply:
        return report
    report.reply = reply
    report.save(update_fields=["reply"])
    ProblemReportReply.objects.create(report=report, reply=reply, by=by)
    notify(
        kind="flash_sale", user=report.reporter,
        title=platform_text(str, _("The reply to your flash-sale problem report #%(id)s was changed")) % {"id": report.pk},
        body=reply,
        url=_report_url(report),
    )
    return report
