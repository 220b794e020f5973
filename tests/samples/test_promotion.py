"""The promotion of a received sample (samples.services.promotion, policy.proof): S7 video
and live, V8 viewers and the video checked again at its 7th day."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from core.models import Notification
from core.notifications import platform_text
from core.rules import rule_update
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import promotion, sweeps
from shops import services as shop_services
from shops.models import LiveCartItem, LiveSession
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    received_at,
    reload,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
D = timedelta(days=1)
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# S7: promote within 360 h; video 7 days, live 3 minutes with an explanation


def test_s7_video_held_seven_days_is_fulfilled_at_the_mark_even_after_360h():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + 359 * H)
    with travel(T0 + 359 * H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    sample = reload(sample)
    mark = T0 + 359 * H + 7 * 24 * H
    assert sample.fulfil_check_at == mark
    with travel(T0 + 360 * H):
        assert sweeps.sweep_breach_unpromoted() == 0  # a promotion started in time
    with travel(mark - M):
        assert sweeps.sweep_check_promotions() == 0
    with travel(mark):
        assert sweeps.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == mark


def test_s7_video_taken_down_before_seven_days_is_breached():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 3 * 24 * H):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(T0 + H + 7 * 24 * H):
        sweeps.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.BREACHED
    assert sample.close_reason == platform_text(lambda: str(msg.VIDEO_DOWN_EARLY))
    assert "7 天" in sample.close_reason  # the rule's number, from the rules object


def test_s7_product_removed_from_the_video_cart_before_seven_days_is_breached():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + H)
    with travel(T0 + H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    with travel(T0 + 2 * 24 * H):
        shop_services.video_cart_remove(item=video.cart_items.get(), by=sample.creator.user)
    with travel(T0 + H + 7 * 24 * H):
        sweeps.sweep_check_promotions()
    assert reload(sample).state == S.BREACHED


def test_s7_video_must_start_before_360h():
    sample = received_at(T0)
    video = video_with_product(sample, T0 + 360 * H)
    with pytest.raises(ValidationError) as exc, travel(T0 + 360 * H):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    assert exc.value.messages == [str(msg.PROMOTE_TOO_LATE % {"deadline": msg.local_time(T0 + 360 * H)})]


def _live_item(sample, went_live, added, viewers=10):
    session = factories.LiveSessionFactory(creator=sample.creator, peak_viewers=viewers)  # V8: enough viewers
    with travel(went_live):
        shop_services.live_session_go_live(session=session, by=sample.creator.user)
    with travel(added):
        item = shop_services.cart_add(session=session, product=sample.product, by=sample.creator.user)
    return session, item


def test_s7_live_three_minutes_with_explanation_fulfilled_at_the_mark_not_2m59s():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 2 * M + 59 * SEC):
        assert sweeps.sweep_check_promotions() == 0
    with travel(start + 3 * M):
        assert sweeps.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 3 * M


def test_s7_live_shorter_than_three_minutes_does_not_count():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 2 * M):
        shop_services.cart_remove(item=item, by=sample.creator.user)
    with travel(start + 3 * M):
        sweeps.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.promotion == ""  # the creator may promote again
    with pytest.raises(ValidationError) as exc, travel(start + 4 * M):
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(msg.LIVE_TOO_SHORT % {"minutes": 3})]


def test_s7_live_without_explanation_does_not_count_and_recorded_after_the_fact_is_fulfilled_at_once():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live_item(sample, start - H, start)
    with travel(start + 5 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(start + 6 * M):
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(msg.LIVE_NOT_EXPLAINED)]

    other = received_at(T0, creator=sample.creator)
    session2, item2 = _live_item(other, start - H, start)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item2, by=other.creator.user)
    with travel(start + 10 * M):
        promotion.sample_request_record_live(sample=other, by=other.creator.user, item=LiveCartItem.objects.get(pk=item2.pk))
    other = reload(other)
    assert other.state == S.FULFILLED and other.fulfilled_at == start + 3 * M


# ---------------------------------------------------------------------------------------
# V8: proof


def _live(sample, *, viewers, start):
    session = factories.LiveSessionFactory(creator=sample.creator, peak_viewers=viewers)
    with travel(start - H):
        shop_services.live_session_go_live(session=session, by=sample.creator.user)
    with travel(start):
        item = shop_services.cart_add(session=session, product=sample.product, by=sample.creator.user)
    with travel(start + M):
        shop_services.cart_mark_explained(item=item, by=sample.creator.user)
    return session, item


def test_v8_live_promotion_with_9_viewers_does_not_count_with_10_it_does():
    start = T0 + 10 * H
    few = received_at(T0)
    session, item = _live(few, viewers=9, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=few.creator.user)
    with pytest.raises(ValidationError) as exc, travel(start + 11 * M):
        promotion.sample_request_record_live(sample=few, by=few.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(msg.LIVE_TOO_FEW_VIEWERS % {"count": 10, "viewers": 9})]

    enough = received_at(T0)
    session, item = _live(enough, viewers=10, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=enough.creator.user)
    with travel(start + 11 * M):
        promotion.sample_request_record_live(sample=enough, by=enough.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    enough = reload(enough)
    assert enough.state == S.FULFILLED and enough.fulfilled_at == start + 3 * M


def test_v8_still_live_with_too_few_viewers_waits_and_counts_once_10_have_come():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=9, start=start)
    with travel(start + 2 * M):
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 3 * M):
        assert sweeps.sweep_check_promotions() == 0  # 9 viewers, still live: checked again
    assert reload(sample).promotion == SampleRequest.Promotion.LIVE
    LiveSession.objects.filter(pk=session.pk).update(peak_viewers=10)
    with travel(start + 4 * M):
        assert sweeps.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 3 * M


def test_v8_session_ended_with_too_few_viewers_clears_the_promotion_so_the_creator_can_try_again():
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=3, start=start)
    with travel(start + 2 * M):
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=item)
    with travel(start + 20 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
        assert sweeps.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.promotion == ""
    why = platform_text(lambda: str(msg.LIVE_TOO_FEW_VIEWERS % {"count": 10, "viewers": 3}))
    assert Notification.objects.filter(user=sample.creator.user, title__contains=why).exists()


def test_v8_min_viewers_is_the_rules_object_value(staff):
    rule_update(key="sample_min_live_viewers", value=100, unit="count", by=staff, reason="提高门槛")
    sample = received_at(T0)
    start = T0 + 10 * H
    session, item = _live(sample, viewers=99, start=start)
    with travel(start + 10 * M):
        shop_services.live_session_end(session=session, by=sample.creator.user)
    with pytest.raises(ValidationError) as exc, travel(start + 11 * M):
        promotion.sample_request_record_live(sample=sample, by=sample.creator.user, item=LiveCartItem.objects.get(pk=item.pk))
    assert exc.value.messages == [str(msg.LIVE_TOO_FEW_VIEWERS % {"count": 100, "viewers": 99})]


def test_v8_joining_the_live_room_counts_a_viewer_only_while_live(client):
    """The count V8 reads is kept by flashsales.services.viewer_join."""
    live = factories.LiveSessionFactory(peak_viewers=9)
    shop_services.live_session_go_live(session=live, by=live.creator.user)
    client.post(f"/live/{live.pk}/join/", {"nickname": "看客甲"})
    assert LiveSession.objects.get(pk=live.pk).peak_viewers == 10
    shop_services.live_session_end(session=LiveSession.objects.get(pk=live.pk), by=live.creator.user)
    client.post(f"/live/{live.pk}/join/", {"nickname": "看客乙"})
    assert LiveSession.objects.get(pk=live.pk).peak_viewers == 10


def _video_promotion(at):
    sample = received_at(T0)
    video = video_with_product(sample, at)
    with travel(at):
        promotion.sample_request_record_video(sample=sample, by=sample.creator.user, video=video)
    return sample, video


def test_v8_video_is_checked_again_at_its_7th_day_taken_down_1s_before_is_breached():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 7 * D - SEC):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(start + 7 * D):
        assert sweeps.sweep_check_promotions() == 1
    assert reload(sample).state == S.BREACHED


def test_v8_video_taken_down_at_the_7th_day_mark_held_and_is_fulfilled():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 7 * D):
        shop_services.video_take_down(video=video, by=sample.creator.user)
    with travel(start + 7 * D + 5 * M):  # a late sweep still judges the 7 days, not the present
        assert sweeps.sweep_check_promotions() == 1
    sample = reload(sample)
    assert sample.state == S.FULFILLED and sample.fulfilled_at == start + 7 * D


def test_v8_product_removed_from_the_video_cart_before_the_7th_day_is_breached():
    start = T0 + H
    sample, video = _video_promotion(start)
    with travel(start + 6 * D):
        shop_services.video_cart_remove(item=video.cart_items.get(), by=sample.creator.user)
        shop_services.video_cart_add(video=video, product=sample.product, by=sample.creator.user)  # put back: not one stretch
    with travel(start + 7 * D):
        sweeps.sweep_check_promotions()
    sample = reload(sample)
    assert sample.state == S.BREACHED
    assert sample.close_reason == platform_text(lambda: str(msg.VIDEO_PRODUCT_REMOVED_EARLY))
