"""Every write of the samples domain (样品服务): keyword-only, atomic, the only callers of
SampleRequest transitions. People's actions and the sweeps of the clocks (S4–S7) go
through the same transitions, so django-fsm-log records who (or which sweep), when,
from, to and why for every move.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition, full_clean, stale_message
from core.models import Notification
from core.notifications import notify, platform_text
from core.rules import rules
from samples import blocks, quota, scoring, triage, volume_rules
from samples import messages as msg
from samples.models import TRACKING_EXAMPLES, TRACKING_FORMATS, Carrier, ExtensionRequest, SampleRequest, TriageRule
from shops import services as shop_services
from shops.models import AllianceListing, Creator, LiveCartItem, Product, Shop, ShortVideo, VideoCartItem

logger = logging.getLogger(__name__)

State = SampleRequest.State


# ---------------------------------------------------------------------------------------
# Who and what may take part (S1, S2)


def creator_refusal(creator: Creator) -> str | None:
    """S1: the reason a creator may not request samples, or None."""
    if not creator.product_sharing_enabled:
        return str(msg.CREATOR_NO_SHARING)
    if creator.is_risky:
        # S1 (ours): a risk mark blocks new requests; open ones go on.
        return str(msg.CREATOR_RISKY)
    return None


def sample_policy() -> dict[str, bool]:
    """S2: the platform's current 暂不支持 settings, read once per page or request."""
    return {
        "cross_border": rules.flag("samples_cross_border"),
        "virtual": rules.flag("samples_virtual"),
    }


def product_refusal(product: Product, *, policy: dict[str, bool] | None = None) -> str | None:
    """S2: the reason a product has no free samples, or None when it shows 「免费申样」.

    Expects product.shop.merchant and product.alliance_listing to be loaded (selectors do).
    """
    policy = policy if policy is not None else sample_policy()
    listing: AllianceListing | None = getattr(product, "alliance_listing", None)
    if listing is None or listing.status != AllianceListing.Status.LISTED:
        return str(msg.PRODUCT_NOT_LISTED)
    if not listing.sample_support:
        return str(msg.PRODUCT_NO_SAMPLE_SUPPORT)
    if not product.shop.merchant.meets_alliance_standard:
        return str(msg.MERCHANT_BELOW_STANDARD)
    if product.sale_status != Product.SaleStatus.ON_SALE or product.shop.status != Shop.Status.OPEN:
        return str(msg.PRODUCT_NOT_ON_SALE)
    if product.shop.is_cross_border and not policy["cross_border"]:
        return str(msg.PRODUCT_CROSS_BORDER)
    if product.is_virtual and not policy["virtual"]:
        return str(msg.PRODUCT_VIRTUAL)
    return None


def volume_refusal(
    *, creator: Creator, product: Product, now: datetime | None = None, score: scoring.Score | None = None,
) -> str | None:
    """V5, V1, V3, V2: the reason this creator may not ask for this product now, or None.

    Expects product.shop to be loaded. Used by sample_request_create (which holds the
    creator's row lock) and by the marketplace detail page."""
    now = now or timezone.now()
    if blocks.is_blocked(merchant_id=product.shop.merchant_id, creator_id=creator.pk):  # V5
        return str(msg.BLOCKED)
    score = score or scoring.creator_score(creator, now=now)
    if score.blocked:  # V1: at or below sample_score_floor
        until = score.blocked_until
        if until is None:
            return str(msg.SCORE_TOO_LOW_NO_DATE % {"score": score.value, "floor": score.floor})
        return str(msg.SCORE_TOO_LOW % {
            "score": score.value, "floor": score.floor, "until": _local(until), "days": score.params.window.days,
        })
    last = (
        SampleRequest.objects.filter(creator=creator, product_id=product.pk, state__in=RETRY_AFTER_STATES, closed_at__isnull=False)
        .order_by("-closed_at").first()
    )
    if last is not None:  # V3: sample_retry_wait after a rejection, expiry or breach
        again = last.closed_at + rules.duration("sample_retry_wait")
        if now < again:
            return str(msg.RETRY_WAIT % {"outcome": last.get_state_display(), "when": _local(again)})
    status = quota.status_for_product(product, now=now)
    if status is not None and status.exhausted:  # V2
        return quota.refusal_text(status)
    return None


# V3: the outcomes after which the same creator waits before asking for the product again.
RETRY_AFTER_STATES = (State.REJECTED, State.EXPIRED, State.BREACHED)


# ---------------------------------------------------------------------------------------
# Helpers


def _locked(sample: SampleRequest) -> SampleRequest:
    """The row, locked for this transaction, with what notifications and checks read."""
    return (
        SampleRequest.objects.select_for_update(of=("self",))
        .select_related("product", "creator__user", "merchant__user")
        .get(pk=sample.pk)
    )


def _expect(sample: SampleRequest, *states: str) -> None:
    """The loser of a race (a sweep or another click moved the row first) is told why."""
    if sample.state not in states:
        raise ValidationError(stale_message(sample))


def _check_merchant(sample: SampleRequest, by) -> None:
    if by is None or sample.merchant.user_id != by.pk:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))


def _check_creator(sample: SampleRequest, by) -> None:
    if by is None or sample.creator.user_id != by.pk:
        raise PermissionDenied(_("Only the creator who asked for the sample can do this."))


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _creator_url(sample: SampleRequest) -> str:
    return reverse("samples:creator_detail", args=[sample.pk])


def _merchant_url(sample: SampleRequest) -> str:
    return reverse("samples:merchant_detail", args=[sample.pk])


def _tell(*, user, text: Callable[[], str], url: str, dedupe_key: str | None = None) -> Notification | None:
    """Notify in the platform language (zh-hans); e-mail follows after commit."""
    title = platform_text(text)
    return notify(user=user, title=title, body=title, url=url, dedupe_key=dedupe_key)


def _describe(text: Callable[[], str]) -> str:
    """Transition descriptions are stored in the platform language, like notifications."""
    return platform_text(text)


# ---------------------------------------------------------------------------------------
# Creator: ask, withdraw, confirm receipt, record the promotion


@transaction.atomic
def sample_request_create(*, creator: Creator, product: Product, by, note: str = "") -> SampleRequest:
    """A creator asks for a free sample (S1, S2); the merchant's 48 h clock starts (S4)."""
    # The creator row lock serialises one creator's concurrent clicks.
    creator = Creator.objects.select_for_update().select_related("user").get(pk=creator.pk)
    if by is None or creator.user_id != by.pk:
        raise PermissionDenied(_("Only the creator can ask for a sample for themself."))
    refusal = creator_refusal(creator)
    if refusal:
        raise ValidationError(refusal)
    # D4: the listing row lock orders this request after a removal of the product that is
    # being carried out, so the request then reads the listing as out and is refused (S2).
    AllianceListing.objects.select_for_update().filter(product_id=product.pk).first()
    product = Product.objects.select_related("shop__merchant__user", "alliance_listing").get(pk=product.pk)
    refusal = product_refusal(product)
    if refusal:
        raise ValidationError(refusal)
    if SampleRequest.objects.filter(creator=creator, product=product, state__in=SampleRequest.OPEN_STATES).exists():
        raise ValidationError(msg.ALREADY_OPEN)  # V3: one open request per creator and product
    now = timezone.now()
    metrics, score = triage.metrics_for(creator)
    refusal = volume_refusal(creator=creator, product=product, now=now, score=score)  # V1, V2, V3, V5
    if refusal:
        raise ValidationError(refusal)
    sample = SampleRequest(
        creator=creator, product=product, merchant=product.shop.merchant, note=note.strip(),
        requested_at=now, decide_by=now + rules.duration("sample_decide"),  # S4
        triage_score=scoring.triage_score(  # V4: shown in the inbox, which sorts by it
            score=metrics.score, score_max=score.max, followers=metrics.followers, past_sales=metrics.past_sales,
        ),
    )
    full_clean(sample)
    try:
        with transaction.atomic():
            sample.save()
    except IntegrityError as exc:  # the partial unique constraint: one open request per creator and product
        raise ValidationError(msg.ALREADY_OPEN) from exc
    _tell(
        user=product.shop.merchant.user, url=_merchant_url(sample),
        text=lambda: _("%(creator)s asked for a free sample of “%(product)s”. Decide by %(deadline)s.")
        % {"creator": creator.display_name, "product": product.title, "deadline": _local(sample.decide_by)},
    )
    return triage.triage_new_request(sample, metrics=metrics)  # V4: the merchant's rules may decide now


@transaction.atomic
def sample_request_withdraw(*, sample: SampleRequest, by) -> SampleRequest:
    """(ours) The creator cancels a request before the merchant decides."""
    sample = _locked(sample)
    _check_creator(sample, by)
    _expect(sample, State.REQUESTED)
    now = timezone.now()
    if now >= sample.decide_by:
        raise ValidationError(msg.WITHDRAW_TOO_LATE)
    sample.closed_at = now
    sample.close_reason = _describe(lambda: _("Withdrawn by the creator."))
    return apply_transition(sample, "withdraw", by=by, description=sample.close_reason)


def _start_fulfil_clock(sample: SampleRequest, received_at: datetime) -> None:
    sample.received_at = received_at
    sample.fulfil_by = received_at + rules.duration("sample_fulfil")  # S7: 360 h from receipt


@transaction.atomic
def sample_request_confirm_receipt(*, sample: SampleRequest, by) -> SampleRequest:
    """S6: the creator confirms receipt; the 360 h clock of S7 starts."""
    sample = _locked(sample)
    _check_creator(sample, by)
    _expect(sample, State.SHIPPED, State.NOT_ARRIVED)
    now = timezone.now()
    if sample.state == State.NOT_ARRIVED:
        # V9 (ours): a parcel reported not arrived turned up; no clock ran while held.
        sample.not_arrived_at = None
        _start_fulfil_clock(sample, now)
    else:
        # Past the 168 h mark the sweep would have confirmed at that mark: the clock starts there.
        _start_fulfil_clock(sample, min(now, sample.auto_receive_at) if sample.auto_receive_at else now)
    apply_transition(sample, "receive", by=by, description=_describe(lambda: _("Receipt confirmed by the creator.")))
    _tell(
        user=sample.merchant.user, url=_merchant_url(sample),
        text=lambda: _("%(creator)s received the sample of “%(product)s”.")
        % {"creator": sample.creator.display_name, "product": sample.product.title},
    )
    return sample


def _promotion_window_open(sample: SampleRequest, now: datetime) -> None:
    _expect(sample, State.RECEIVED)
    if now >= sample.fulfil_by:
        raise ValidationError(msg.PROMOTE_TOO_LATE % {"deadline": _local(sample.fulfil_by)})
    if sample.promotion:
        raise ValidationError(msg.PROMOTION_PENDING % {"when": _local(sample.fulfil_check_at)})


@transaction.atomic
def sample_request_record_video(*, sample: SampleRequest, by, video: ShortVideo) -> SampleRequest:
    """S7 video: a published video with the product in its cart, started within the 360 h;
    it must stay up, product in cart, for 7 days (the sweep checks it then)."""
    sample = _locked(sample)
    _check_creator(sample, by)
    now = timezone.now()
    _promotion_window_open(sample, now)
    video = ShortVideo.objects.select_for_update().get(pk=video.pk)
    if video.creator_id != sample.creator_id:
        raise ValidationError(msg.VIDEO_NOT_YOURS)
    if video.taken_down_at is not None:
        raise ValidationError(msg.VIDEO_TAKEN_DOWN)
    item = video.cart_items.filter(product_id=sample.product_id, removed_at__isnull=True).first()
    if item is None:
        raise ValidationError(msg.VIDEO_NO_PRODUCT)
    started = max(video.published_at, item.added_at)
    if started < sample.requested_at:
        raise ValidationError(msg.VIDEO_TOO_EARLY)
    if started >= sample.fulfil_by:
        raise ValidationError(msg.VIDEO_TOO_LATE % {"deadline": _local(sample.fulfil_by)})
    sample.promotion = SampleRequest.Promotion.VIDEO
    sample.promotion_video = video
    sample.promotion_video_item = item
    sample.promotion_started_at = started
    # S7: 7 days published with the product in the cart; may end after the 360 h.
    sample.fulfil_check_at = started + rules.duration("sample_video_keep")
    sample.save(update_fields=[
        "promotion", "promotion_video", "promotion_video_item", "promotion_started_at", "fulfil_check_at",
    ])
    return sample


@transaction.atomic
def sample_request_publish_video(*, sample: SampleRequest, by, title: str, url: str) -> SampleRequest:
    """S7 video, in one step: publish a new video with the product in its cart and record it."""
    sample = _locked(sample)
    _check_creator(sample, by)
    _promotion_window_open(sample, timezone.now())
    video = shop_services.video_publish(creator=sample.creator, title=title, url=url, products=[sample.product], by=by)
    return sample_request_record_video(sample=sample, by=by, video=video)


def _live_stretch(item: LiveCartItem) -> tuple[datetime | None, datetime | None]:
    """When the product's stretch in a live cart began and (if over) ended, counting only live time."""
    session = item.session
    if session.went_live_at is None:
        return None, None
    start = max(item.added_at, session.went_live_at)
    ends = [t for t in (item.removed_at, session.ended_at) if t is not None]
    return start, (min(ends) if ends else None)


@transaction.atomic
def sample_request_record_live(*, sample: SampleRequest, by, item: LiveCartItem) -> SampleRequest:
    """S7 live: the product stays in one live session's cart for 3 minutes in one stretch,
    with an explanation (讲解) in that session; fulfilled at the 3-minute mark."""
    sample = _locked(sample)
    _check_creator(sample, by)
    now = timezone.now()
    _promotion_window_open(sample, now)
    item = LiveCartItem.objects.select_related("session").get(pk=item.pk)
    if item.session.creator_id != sample.creator_id or item.product_id != sample.product_id:
        raise ValidationError(msg.LIVE_NOT_YOURS)
    start, end = _live_stretch(item)
    if start is None:
        raise ValidationError(msg.LIVE_NOT_STARTED)
    if start >= sample.fulfil_by:
        raise ValidationError(msg.LIVE_TOO_LATE % {"deadline": _local(sample.fulfil_by)})
    keep = rules.duration("sample_live_keep")
    if end is not None and end - start < keep:
        raise ValidationError(msg.LIVE_TOO_SHORT % {"minutes": int(keep.total_seconds() // 60)})
    if end is not None and item.explained_at is None:
        raise ValidationError(msg.LIVE_NOT_EXPLAINED)
    if item.session.ended_at is not None and not volume_rules.live_viewers_enough(item.session):
        raise ValidationError(volume_rules.live_viewers_message(item.session))  # V8
    sample.promotion = SampleRequest.Promotion.LIVE
    sample.promotion_live_item = item
    sample.promotion_started_at = start
    sample.fulfil_check_at = start + keep
    sample.save(update_fields=["promotion", "promotion_live_item", "promotion_started_at", "fulfil_check_at"])
    if sample.fulfil_check_at <= now and item.explained_at is not None and volume_rules.live_viewers_enough(item.session):
        _fulfil(sample, by=by, description=_describe(lambda: _("Live promotion held for the required time, with an explanation.")))
    return sample


# ---------------------------------------------------------------------------------------
# Merchant: approve, reject, ship


def _check_decider(sample: SampleRequest, by, rule: TriageRule | None) -> None:
    """A person decides as the merchant; an automatic decision (V4) has no person (by=None)
    and a rule of the goods owner."""
    if rule is None:
        _check_merchant(sample, by)
    elif by is not None or rule.merchant_id != sample.merchant_id or not rule.is_active:
        raise PermissionDenied(_("Only the merchant's own triage rules decide automatically."))


@transaction.atomic
def sample_request_approve(*, sample: SampleRequest, by, rule: TriageRule | None = None) -> SampleRequest:
    """S4 → S5: approving starts the 48 h ship clock and the 120 h cancel clock. With `rule`
    (V4) it is the merchant's triage rule approving, by=None, and the history names it."""
    sample = _locked(sample)
    _check_decider(sample, by, rule)
    _expect(sample, State.REQUESTED)
    now = timezone.now()
    if now >= sample.decide_by:
        raise ValidationError(msg.DECIDE_TOO_LATE)
    quota.lock_and_check(product_id=sample.product_id, now=now)  # V2: each approval uses one
    sample.approved_at = now
    sample.ship_by = now + rules.duration("sample_ship")  # S5: late after this
    sample.ship_cancel_at = now + rules.duration("sample_ship_cancel")  # S5: cancelled at this
    if rule is not None:
        sample.triage_rule = rule
        description = _describe(lambda: triage.auto_description(rule))
    else:
        description = _describe(lambda: _("Approved by the merchant."))
    apply_transition(sample, "approve", by=by, description=description)
    if rule is not None:
        _tell(
            user=sample.creator.user, url=_creator_url(sample),
            text=lambda: _("Your sample request for “%(product)s” was approved automatically by the merchant's rule “%(rule)s”. "
                           "The merchant ships it by %(deadline)s.")
            % {"product": sample.product.title, "rule": rule.name, "deadline": _local(sample.ship_by)},
        )
    else:
        _tell(
            user=sample.creator.user, url=_creator_url(sample),
            text=lambda: _("Your sample request for “%(product)s” was approved. The merchant ships it by %(deadline)s.")
            % {"product": sample.product.title, "deadline": _local(sample.ship_by)},
        )
    return sample


@transaction.atomic
def sample_request_reject(*, sample: SampleRequest, by, reason: str = "", rule: TriageRule | None = None) -> SampleRequest:
    """The merchant declines; with `rule` (V4) the merchant's triage rule declines, by=None,
    and the reason shown to the creator names the rule."""
    sample = _locked(sample)
    _check_decider(sample, by, rule)
    _expect(sample, State.REQUESTED)
    now = timezone.now()
    if now >= sample.decide_by:
        raise ValidationError(msg.DECIDE_TOO_LATE)
    sample.closed_at = now
    if rule is not None:
        sample.triage_rule = rule
        sample.close_reason = _describe(lambda: triage.auto_description(rule))[:300]
    else:
        sample.close_reason = reason.strip()[:300] or _describe(lambda: _("Declined by the merchant."))
    apply_transition(sample, "reject", by=by, description=sample.close_reason)
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
        text=lambda: _("Your sample request for “%(product)s” was declined: %(reason)s")
        % {"product": sample.product.title, "reason": sample.close_reason},
    )
    return sample


def clean_tracking(*, carrier: str, tracking_number: str) -> tuple[str, str]:
    """S5 (ours): a carrier from the list and a tracking number in that carrier's format."""
    tracking_number = "".join(tracking_number.split()).upper()
    errors: dict[str, list[str]] = {}
    if carrier not in Carrier.values:
        errors["carrier"] = [str(msg.CARRIER_REQUIRED)]
    if not tracking_number:
        errors["tracking_number"] = [str(msg.TRACKING_REQUIRED)]
    elif carrier in Carrier.values and not TRACKING_FORMATS[carrier].match(tracking_number):
        errors["tracking_number"] = [
            str(msg.TRACKING_FORMAT % {"carrier": Carrier(carrier).label, "example": TRACKING_EXAMPLES[carrier]})
        ]
    if errors:
        raise ValidationError(errors)
    return carrier, tracking_number


@transaction.atomic
def sample_request_ship(
    *, sample: SampleRequest, by, carrier: str, tracking_number: str, shipping_cost=None
) -> SampleRequest:
    """S5: shipped with the carrier and tracking number; S6's 168 h clock starts. V10: the
    sample's cost is counted (the product's price now, plus the shipping cost if entered)."""
    carrier, tracking_number = clean_tracking(carrier=carrier, tracking_number=tracking_number)
    shipping_cost = volume_rules.clean_shipping_cost(shipping_cost)
    sample = _locked(sample)
    _check_merchant(sample, by)
    _expect(sample, State.APPROVED)
    now = timezone.now()
    if now >= sample.ship_cancel_at:
        raise ValidationError(msg.SHIP_TOO_LATE)
    sample.shipped_at = now
    sample.carrier = carrier
    sample.tracking_number = tracking_number
    sample.auto_receive_at = now + rules.duration("sample_auto_receive")  # S6
    volume_rules.count_shipment(sample, shipping_cost=shipping_cost)  # V10
    apply_transition(
        sample, "ship", by=by,
        description=_describe(lambda: _("Shipped by %(carrier)s, tracking number %(number)s.")
                              % {"carrier": Carrier(carrier).label, "number": tracking_number}),
    )
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
        text=lambda: _("The sample of “%(product)s” is on its way: %(carrier)s %(number)s.")
        % {"product": sample.product.title, "carrier": Carrier(carrier).label, "number": tracking_number},
    )
    return sample


# ---------------------------------------------------------------------------------------
# Reviewer: staff override with a recorded reason


@transaction.atomic
def sample_request_override(*, sample: SampleRequest, by, action: str, reason: str) -> SampleRequest:
    """A platform reviewer cancels an open request or counts one as fulfilled; the reason is recorded."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(msg.OVERRIDE_REASON_REQUIRED)
    if action not in ("override_cancel", "override_fulfil"):
        raise ValidationError(_("Unknown override."))
    sample = _locked(sample)
    now = timezone.now()
    description = _describe(lambda: _("Staff override: %(reason)s") % {"reason": reason})
    if action == "override_cancel":
        sample.closed_at = now
        sample.close_reason = description[:300]
    else:
        sample.fulfilled_at = now
        sample.closed_at = now
    apply_transition(sample, action, by=by, description=description)
    for user, url in ((sample.creator.user, _creator_url(sample)), (sample.merchant.user, _merchant_url(sample))):
        _tell(
            user=user, url=url,
            text=lambda: _("The platform changed the sample request for “%(product)s” to “%(state)s”: %(reason)s")
            % {"product": sample.product.title, "state": sample.get_state_display(), "reason": reason},
        )
    return sample


# ---------------------------------------------------------------------------------------
# D4: the product left the alliance


def sample_requests_close_for_alliance_removal(*, product: Product, removal=None, by=None) -> int:
    """D4 (ours): close every request of the product still awaiting a decision, with the
    reason 「商品已下架精选联盟」, and tell each creator. Approved, shipped and received
    requests go on untouched.

    Runs inside the removal's transaction (shops sends `alliance_removed` there), so the
    closing commits or rolls back with the removal; `by` is the person who ran it, None for
    the sweep of scheduled removals. A row that cannot be closed is logged and skipped: it
    never blocks the removal, and the S4 sweep closes it at its 48 h mark at the latest.
    Called twice, the second call finds nothing left to close.
    """
    now = timezone.now()
    reason = _describe(lambda: str(msg.CLOSED_ALLIANCE_REMOVED))
    if removal is not None:
        description = _describe(lambda: _("%(reason)s (alliance removal #%(id)s)") % {"reason": msg.CLOSED_ALLIANCE_REMOVED, "id": removal.pk})
    else:
        description = reason
    closed = 0
    with transaction.atomic():
        waiting = list(
            SampleRequest.objects.select_for_update(of=("self",))
            .select_related("product", "creator__user", "merchant__user")
            .filter(product_id=product.pk, state=State.REQUESTED)
            .order_by("pk")
        )
        for sample in waiting:
            try:
                with transaction.atomic():
                    sample.closed_at = now
                    sample.close_reason = reason
                    apply_transition(sample, "close_alliance_removed", by=by, description=description)
                    _tell(
                        user=sample.creator.user, url=_creator_url(sample), dedupe_key=f"samples:{sample.pk}:alliance-removed",
                        text=lambda: _("Your sample request for “%(product)s” was closed: %(reason)s.")
                        % {"product": sample.product.title, "reason": reason},
                    )
                closed += 1
            except Exception:
                logger.exception("samples: request #%s not closed after the alliance removal of product %s", sample.pk, product.pk)
    return closed


def on_alliance_removed(sender, *, product, removal=None, by=None, **kwargs) -> None:
    """Receiver of shops.signals.alliance_removed (D4), connected in SamplesConfig.ready()."""
    sample_requests_close_for_alliance_removal(product=product, removal=removal, by=by)


# ---------------------------------------------------------------------------------------
# The sweeps (Celery beat, every minute). Each selects due rows by its partial index,
# locks them with SKIP LOCKED (a row another worker or a person holds is left for the next
# run), moves each row once inside its own savepoint (a bad row is logged and skipped),
# and commits batch by batch: a sweep that dies halfway leaves no row half-moved.


def _batch_size() -> int:
    return getattr(settings, "SAMPLES_SWEEP_BATCH", 100)


def _run_sweep(
    name: str,
    due: Callable[[datetime], QuerySet[SampleRequest]],
    move: Callable[[SampleRequest, datetime], bool],
    now: datetime | None = None,
) -> int:
    now = now or timezone.now()
    size = _batch_size()
    moved = 0
    passed: list[int] = []  # rows that failed or still wait: not selected again in this run
    while True:
        with transaction.atomic():
            batch = list(
                due(now).exclude(pk__in=passed)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("product", "creator__user", "merchant__user")[:size]
            )
            for sample in batch:
                try:
                    with transaction.atomic():
                        if move(sample, now):
                            moved += 1
                        else:
                            passed.append(sample.pk)
                except Exception:
                    logger.exception("samples sweep %s: request #%s skipped", name, sample.pk)
                    passed.append(sample.pk)
        if len(batch) < size:
            return moved


def _sweep_note(name: str, text: Callable[[], str]) -> str:
    return _describe(lambda: _("Sweep “%(sweep)s”: %(what)s") % {"sweep": name, "what": text()})


def _close_by_sweep(sample: SampleRequest, at: datetime, *, sweep: str, transition: str, reason: str) -> bool:
    """A clock ran out (S4, S5): close the request with the reason and tell both parties."""
    sample.closed_at = at
    sample.close_reason = reason
    apply_transition(sample, transition, by=None, description=_sweep_note(sweep, lambda: reason))
    for user, url in ((sample.creator.user, _creator_url(sample)), (sample.merchant.user, _merchant_url(sample))):
        _tell(user=user, url=url, text=lambda: _("Sample request for “%(product)s” cancelled: %(reason)s") % {"product": sample.product.title, "reason": reason})
    return True


def sweep_expire_undecided(*, now: datetime | None = None) -> int:
    """S4: requests the merchant did not decide on by decide_by are cancelled (expired)."""
    name = "samples.sweep_expire_undecided"

    def due(at):
        return SampleRequest.objects.filter(state=State.REQUESTED, decide_by__lte=at).order_by("decide_by")

    def move(sample, at):
        reason = _describe(lambda: _("The merchant did not decide by %(deadline)s.") % {"deadline": _local(sample.decide_by)})
        return _close_by_sweep(sample, at, sweep=name, transition="expire", reason=reason)

    return _run_sweep(name, due, move, now)


def sweep_cancel_unshipped(*, now: datetime | None = None) -> int:
    """S5: approved requests not shipped by ship_cancel_at (120 h after approval) are cancelled."""
    name = "samples.sweep_cancel_unshipped"

    def due(at):
        return SampleRequest.objects.filter(state=State.APPROVED, ship_cancel_at__lte=at).order_by("ship_cancel_at")

    def move(sample, at):
        reason = _describe(lambda: _("The sample was not shipped by %(deadline)s.") % {"deadline": _local(sample.ship_cancel_at)})
        return _close_by_sweep(sample, at, sweep=name, transition="cancel_unshipped", reason=reason)

    return _run_sweep(name, due, move, now)


def sweep_auto_receive(*, now: datetime | None = None) -> int:
    """S6: 168 h after shipping, receipt is confirmed for the creator; S7's clock starts at that mark."""
    name = "samples.sweep_auto_receive"

    def due(at):
        return SampleRequest.objects.filter(state=State.SHIPPED, auto_receive_at__lte=at).order_by("auto_receive_at")

    def move(sample, at):
        _start_fulfil_clock(sample, sample.auto_receive_at)
        apply_transition(
            sample, "auto_receive", by=None,
            description=_sweep_note(name, lambda: _("Receipt confirmed automatically %(deadline)s after shipping.")
                                    % {"deadline": _local(sample.auto_receive_at)}),
        )
        _tell(
            user=sample.creator.user, url=_creator_url(sample),
            text=lambda: _("Receipt of the sample of “%(product)s” was confirmed automatically. Start promoting it by %(deadline)s.")
            % {"product": sample.product.title, "deadline": _local(sample.fulfil_by)},
        )
        return True

    return _run_sweep(name, due, move, now)


def _fulfil(sample: SampleRequest, *, by, description: str) -> None:
    sample.fulfilled_at = sample.fulfil_check_at
    sample.closed_at = sample.fulfil_check_at
    apply_transition(sample, "fulfil", by=by, description=description)
    for user, url in ((sample.creator.user, _creator_url(sample)), (sample.merchant.user, _merchant_url(sample))):
        _tell(user=user, url=url, text=lambda: _("The sample of “%(product)s” is fulfilled: the promotion held.") % {"product": sample.product.title})


def _breach(sample: SampleRequest, *, at: datetime, name: str, reason: str) -> None:
    sample.closed_at = at
    sample.close_reason = reason[:300]
    apply_transition(sample, "breach", by=None, description=_sweep_note(name, lambda: reason))
    for user, url in ((sample.creator.user, _creator_url(sample)), (sample.merchant.user, _merchant_url(sample))):
        _tell(user=user, url=url, text=lambda: _("Sample of “%(product)s” breached: %(reason)s") % {"product": sample.product.title, "reason": reason})


def sweep_check_promotions(*, now: datetime | None = None) -> int:
    """S7: at the end of a recorded promotion's period, fulfil it if it held.

    Video: still published, product still in its cart, 7 days after it started → fulfilled;
    taken down or product removed before → breached (ours). Live: the product stayed in the
    cart for 3 minutes in one stretch and was explained → fulfilled at the 3-minute mark; a
    shorter stretch clears the record so the creator can promote again within the 360 h.
    """
    name = "samples.sweep_check_promotions"

    def due(at):
        return (
            SampleRequest.objects.filter(state=State.RECEIVED, fulfil_check_at__isnull=False, fulfil_check_at__lte=at)
            .select_related("promotion_video", "promotion_video_item", "promotion_live_item__session")
            .order_by("fulfil_check_at")
        )

    def move(sample, at):
        mark = sample.fulfil_check_at
        if sample.promotion == SampleRequest.Promotion.VIDEO:
            # V8: checked again at its 7th day, not assumed to still be up: the video and its cart
            # item are read (and locked, so a take-down at this moment waits or is seen) now.
            video = ShortVideo.objects.select_for_update().get(pk=sample.promotion_video_id)
            item = VideoCartItem.objects.select_for_update().get(pk=sample.promotion_video_item_id)
            if video.taken_down_at is not None and video.taken_down_at < mark:
                _breach(sample, at=at, name=name, reason=_describe(lambda: _("The promotion video was taken down before its 7 days.")))
            elif item.removed_at is not None and item.removed_at < mark:
                _breach(sample, at=at, name=name, reason=_describe(lambda: _("The product was removed from the video's cart before its 7 days.")))
            else:
                _fulfil(sample, by=None, description=_sweep_note(name, lambda: _("The video stayed published with the product in its cart for the required time.")))
            return True
        item = sample.promotion_live_item
        start, end = _live_stretch(item)
        if end is not None and end < mark:
            _clear_live_promotion(sample)
            return True
        enough = volume_rules.live_viewers_enough(item.session)  # V8: at least 10 viewers
        if item.explained_at is not None and enough:
            _fulfil(sample, by=None, description=_sweep_note(name, lambda: _("Live promotion held for the required time, with an explanation.")))
            return True
        if item.explained_at is not None and item.session.ended_at is not None:
            # V8: long enough and explained, but the session ended with too few viewers.
            _clear_live_promotion(sample, why=volume_rules.live_viewers_message(item.session))
            return True
        if item.explained_at is None and end is not None:
            # the stretch was long enough but it ended without an explanation
            _clear_live_promotion(sample)
            return True
        return False  # still live, not yet explained or not yet 10 viewers: checked again next run

    return _run_sweep(name, due, move, now)


def _clear_live_promotion(sample: SampleRequest, why: str | None = None) -> None:
    sample.promotion = ""
    sample.promotion_live_item = None
    sample.promotion_started_at = None
    sample.fulfil_check_at = None
    sample.save(update_fields=["promotion", "promotion_live_item", "promotion_started_at", "fulfil_check_at"])
    if why:
        _tell(
            user=sample.creator.user, url=_creator_url(sample),
            text=lambda: _("The live promotion of “%(product)s” did not count: %(why)s Promote it again by %(deadline)s.")
            % {"product": sample.product.title, "why": why, "deadline": _local(sample.fulfil_by)},
        )
        return
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
        text=lambda: _("The live promotion of “%(product)s” did not count (too short or not explained). Promote it again by %(deadline)s.")
        % {"product": sample.product.title, "deadline": _local(sample.fulfil_by)},
    )


def sweep_breach_unpromoted(*, now: datetime | None = None) -> int:
    """S7 (ours): received samples with no promotion started within 360 h are breached."""
    name = "samples.sweep_breach_unpromoted"

    def due(at):
        # V7: while the merchant may still refuse an extension, the breach waits for that decision.
        waiting = ExtensionRequest.objects.filter(sample_id=OuterRef("pk"), state=ExtensionRequest.State.REQUESTED)
        return (
            SampleRequest.objects.filter(state=State.RECEIVED, fulfil_by__lte=at, promotion="")
            .exclude(Exists(waiting)).order_by("fulfil_by")
        )

    def move(sample, at):
        _breach(sample, at=at, name=name, reason=_describe(
            lambda: _("No promotion started by %(deadline)s.") % {"deadline": _local(sample.fulfil_by)}))
        return True

    return _run_sweep(name, due, move, now)


# ---------------------------------------------------------------------------------------
# Reminders before the 48 h, 120 h and 360 h deadlines (V6). Each goes once: the
# notification's dedupe_key is unique, and rows already reminded are left out by it.


@dataclass(frozen=True)
class Reminder:
    key: str
    state: str
    field: str
    lead: Callable[[], timedelta]
    to_merchant: bool
    text: Callable[[SampleRequest], str]


def _remind_merchant_decide(sample):
    return _("Reminder: decide on %(creator)s's sample request for “%(product)s” by %(deadline)s, or it is cancelled.") % {
        "creator": sample.creator.display_name, "product": sample.product.title, "deadline": _local(sample.decide_by)}


def _remind_merchant_ship(sample):
    return _("Reminder: ship the sample of “%(product)s” to %(creator)s by %(deadline)s, or the request is cancelled.") % {
        "creator": sample.creator.display_name, "product": sample.product.title, "deadline": _local(sample.ship_cancel_at)}


def _remind_creator_promote(sample):
    return _("Reminder: start promoting the sample of “%(product)s” by %(deadline)s.") % {
        "product": sample.product.title, "deadline": _local(sample.fulfil_by)}


# Per clock, most urgent first; a less urgent reminder is skipped once a more urgent one is due.
REMINDERS: list[Reminder] = [
    Reminder("decide-last", State.REQUESTED, "decide_by", lambda: rules.duration("sample_remind_merchant"), True, _remind_merchant_decide),
    Reminder("decide-half", State.REQUESTED, "decide_by", lambda: rules.duration("sample_decide") / 2, True, _remind_merchant_decide),
    Reminder("ship-last", State.APPROVED, "ship_cancel_at", lambda: rules.duration("sample_remind_merchant"), True, _remind_merchant_ship),
    Reminder("ship-half", State.APPROVED, "ship_cancel_at", lambda: rules.duration("sample_ship_cancel") / 2, True, _remind_merchant_ship),
    Reminder("promote-last", State.RECEIVED, "fulfil_by", lambda: rules.duration("sample_remind_creator"), False, _remind_creator_promote),
    Reminder("promote-early", State.RECEIVED, "fulfil_by", lambda: rules.duration("sample_remind_creator_early"), False, _remind_creator_promote),
]


# V7: a granted extension moves the 360 h deadline; the creator's reminders then go once more,
# before the new deadline, under their own keys.
EXTENDED_SUFFIX = ":extended"


def reminder_key(sample_id: int, key: str, *, extended: bool = False) -> str:
    return f"samples:{sample_id}:remind:{key}{EXTENDED_SUFFIX if extended else ''}"


def sweep_reminders(*, now: datetime | None = None) -> int:
    """Send each due reminder once (merchant before 48 h and 120 h, creator before 360 h)."""
    now = now or timezone.now()
    sent = 0
    urgent_until: dict[tuple[str, str], datetime] = {}
    for reminder in REMINDERS:
        clock = (reminder.state, reminder.field)
        window_end = now + reminder.lead()
        window_start = urgent_until.get(clock, now)
        urgent_until[clock] = max(window_start, window_end)
        if window_end <= window_start:
            continue
        suffix = Case(
            When(extension__state=ExtensionRequest.State.GRANTED, then=Value(EXTENDED_SUFFIX)), default=Value(""),
            output_field=CharField(),
        ) if reminder.state == State.RECEIVED else Value("")
        already = Notification.objects.filter(
            dedupe_key=Concat(Value("samples:"), Cast(OuterRef("pk"), CharField()), Value(f":remind:{reminder.key}"), OuterRef("remind_suffix"))
        )
        qs = (
            SampleRequest.objects.filter(
                state=reminder.state, **{f"{reminder.field}__gt": window_start, f"{reminder.field}__lte": window_end}
            )
            .annotate(remind_suffix=suffix)
            .exclude(Exists(already))
            .select_related("product", "creator__user", "merchant__user")
        )
        if reminder.state == State.RECEIVED:
            qs = qs.filter(promotion="")
        for sample in qs[: _batch_size() * 10]:
            try:
                with transaction.atomic():
                    user = sample.merchant.user if reminder.to_merchant else sample.creator.user
                    url = _merchant_url(sample) if reminder.to_merchant else _creator_url(sample)
                    key = reminder_key(sample.pk, reminder.key, extended=bool(sample.remind_suffix))
                    if _tell(user=user, url=url, text=lambda: reminder.text(sample), dedupe_key=key):
                        sent += 1
            except Exception:
                logger.exception("samples reminder %s: request #%s skipped", reminder.key, sample.pk)
    return sent


def sweep_all(*, now: datetime | None = None) -> dict[str, int]:
    """Every sweep once, in clock order (used by the demo and by hand)."""
    from samples.services_volume import sweep_grant_extensions

    return {
        "extend": sweep_grant_extensions(now=now),
        "expire": sweep_expire_undecided(now=now),
        "cancel": sweep_cancel_unshipped(now=now),
        "receive": sweep_auto_receive(now=now),
        "check": sweep_check_promotions(now=now),
        "breach": sweep_breach_unpromoted(now=now),
        "remind": sweep_reminders(now=now),
    }

