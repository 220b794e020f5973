"""The promotion of a received sample (S7, V8): the creator records a video or a live
session within the 360 h; at the end of its period the promotion sweep
(samples.services.sweeps) checks that it held and the sample is fulfilled or breached.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from core.rules import rules
from samples import messages as msg
from samples.models import SampleRequest
from samples.policy import proof
from samples.services.common import check_creator, creator_url, describe, expect, locked, product_title, sweep_note, tell, tell_both
from shops import services as shop_services
from shops.models import LiveCartItem, ShortVideo, VideoCartItem

State = SampleRequest.State


def _promotion_window_open(sample: SampleRequest, now: datetime) -> None:
    expect(sample, State.RECEIVED)
    if now >= sample.fulfil_by:
        raise ValidationError(msg.PROMOTE_TOO_LATE % {"deadline": msg.local_time(sample.fulfil_by)})
    if sample.promotion:
        raise ValidationError(msg.PROMOTION_PENDING % {"when": msg.local_time(sample.fulfil_check_at)})


# ---------------------------------------------------------------------------------------
# The creator records the promotion


@transaction.atomic
def sample_request_record_video(*, sample: SampleRequest, by, video: ShortVideo) -> SampleRequest:
    """S7 video: a published video with the product in its cart, started within the 360 h;
    it must stay up, product in cart, for 7 days (the sweep checks it then)."""
    sample = locked(sample)
    check_creator(sample, by)
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
        raise ValidationError(msg.VIDEO_TOO_LATE % {"deadline": msg.local_time(sample.fulfil_by)})
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
    sample = locked(sample)
    check_creator(sample, by)
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
    sample = locked(sample)
    check_creator(sample, by)
    now = timezone.now()
    _promotion_window_open(sample, now)
    item = LiveCartItem.objects.select_related("session").get(pk=item.pk)
    if item.session.creator_id != sample.creator_id or item.product_id != sample.product_id:
        raise ValidationError(msg.LIVE_NOT_YOURS)
    start, end = _live_stretch(item)
    if start is None:
        raise ValidationError(msg.LIVE_NOT_STARTED)
    if start >= sample.fulfil_by:
        raise ValidationError(msg.LIVE_TOO_LATE % {"deadline": msg.local_time(sample.fulfil_by)})
    keep = rules.duration("sample_live_keep")
    if end is not None and end - start < keep:
        raise ValidationError(msg.LIVE_TOO_SHORT % {"minutes": int(keep.total_seconds() // 60)})
    if end is not None and item.explained_at is None:
        raise ValidationError(msg.LIVE_NOT_EXPLAINED)
    if item.session.ended_at is not None and not proof.live_viewers_enough(item.session):
        raise ValidationError(proof.live_viewers_message(item.session))  # V8
    sample.promotion = SampleRequest.Promotion.LIVE
    sample.promotion_live_item = item
    sample.promotion_started_at = start
    sample.fulfil_check_at = start + keep
    sample.save(update_fields=["promotion", "promotion_live_item", "promotion_started_at", "fulfil_check_at"])
    if sample.fulfil_check_at <= now and item.explained_at is not None and proof.live_viewers_enough(item.session):
        _fulfil(sample, by=by, description=describe(lambda: _("Live promotion held for the required time, with an explanation.")))
    return sample


# ---------------------------------------------------------------------------------------
# The outcome: fulfilled, breached, or (live) not counted and promoted again


def video_breach_reason(sample: SampleRequest, video: ShortVideo, item: VideoCartItem) -> str | None:
    """V8: why a recorded video did not hold until its check (None: it held)."""
    mark = sample.fulfil_check_at
    if video.taken_down_at is not None and video.taken_down_at < mark:
        return describe(lambda: str(msg.VIDEO_DOWN_EARLY))
    if item.removed_at is not None and item.removed_at < mark:
        return describe(lambda: str(msg.VIDEO_PRODUCT_REMOVED_EARLY))
    return None


def video_held_note(sweep: str) -> str:
    return sweep_note(sweep, lambda: _("The video stayed published with the product in its cart for the required time."))


def fulfilled_text(sample: SampleRequest) -> str:
    return _("The sample of “%(product)s” is fulfilled: the promotion held.") % {"product": product_title(sample)}


def _fulfil(sample: SampleRequest, *, by, description: str) -> None:
    sample.fulfilled_at = sample.fulfil_check_at
    sample.closed_at = sample.fulfil_check_at
    apply_transition(sample, "fulfil", by=by, description=description)
    tell_both(sample, lambda: fulfilled_text(sample))


def breach(sample: SampleRequest, *, at: datetime, sweep: str, reason: str) -> None:
    """S7 (ours): breached by a sweep, with the reason, and both sides told."""
    sample.closed_at = at
    sample.close_reason = reason[:300]
    apply_transition(sample, "breach", by=None, description=sweep_note(sweep, lambda: reason))
    tell_both(sample, lambda: breached_text(sample, reason))


def breached_text(sample: SampleRequest, reason: str) -> str:
    return _("Sample of “%(product)s” breached: %(reason)s") % {"product": product_title(sample), "reason": reason}


def _clear_live_promotion(sample: SampleRequest, why: str | None = None) -> None:
    sample.promotion = ""
    sample.promotion_live_item = None
    sample.promotion_started_at = None
    sample.fulfil_check_at = None
    sample.save(update_fields=["promotion", "promotion_live_item", "promotion_started_at", "fulfil_check_at"])
    if why:
        tell(
            user=sample.creator.user, url=creator_url(sample),
            text=lambda: _("The live promotion of “%(product)s” did not count: %(why)s Promote it again by %(deadline)s.")
            % {"product": sample.product.title, "why": why, "deadline": msg.local_time(sample.fulfil_by)},
        )
        return
    tell(
        user=sample.creator.user, url=creator_url(sample),
        text=lambda: _("The live promotion of “%(product)s” did not count (too short or not explained). Promote it again by %(deadline)s.")
        % {"product": sample.product.title, "deadline": msg.local_time(sample.fulfil_by)},
    )


def check_promotion(sample: SampleRequest, *, at: datetime, sweep: str) -> bool:
    """S7, V8: at the end of a recorded promotion's period (`fulfil_check_at`), decide it.
    Returns False when a live promotion cannot be decided yet (checked again next run).

    Video: still published, product still in its cart, 7 days after it started → fulfilled;
    taken down or product removed before → breached (ours). Live: the product stayed in the
    cart for 3 minutes in one stretch and was explained → fulfilled at the 3-minute mark; a
    shorter stretch clears the record so the creator can promote again within the 360 h.
    """
    mark = sample.fulfil_check_at
    if sample.promotion == SampleRequest.Promotion.VIDEO:
        # V8: checked again at its 7th day, not assumed to still be up: the video and its cart
        # item are read (and locked, so a take-down at this moment waits or is seen) now.
        video = ShortVideo.objects.select_for_update().get(pk=sample.promotion_video_id)
        item = VideoCartItem.objects.select_for_update().get(pk=sample.promotion_video_item_id)
        why = video_breach_reason(sample, video, item)
        if why is not None:
            breach(sample, at=at, sweep=sweep, reason=why)
        else:
            _fulfil(sample, by=None, description=video_held_note(sweep))
        return True
    item = sample.promotion_live_item
    start, end = _live_stretch(item)
    if end is not None and end < mark:
        _clear_live_promotion(sample)
        return True
    enough = proof.live_viewers_enough(item.session)  # V8: at least 10 viewers
    if item.explained_at is not None and enough:
        _fulfil(sample, by=None, description=sweep_note(sweep, lambda: _("Live promotion held for the required time, with an explanation.")))
        return True
    if item.explained_at is not None and item.session.ended_at is not None:
        # V8: long enough and explained, but the session ended with too few viewers.
        _clear_live_promotion(sample, why=proof.live_viewers_message(item.session))
        return True
    if item.explained_at is None and end is not None:
        # the stretch was long enough but it ended without an explanation
        _clear_live_promotion(sample)
        return True
    return False  # still live, not yet explained or not yet 10 viewers: checked again next run
