"""Holes 3 and 5: every id a browser posts is parsed by a form field bounded to what a row
can have, and every text goes through a form (NUL bytes refused), so a tampered request is
a 400 page or a form error in Chinese — never a 500 from the database, and nothing changes.

Before the fix `product=abc`, `video=abc`, `ids=10^30` and the like reached
`get_object_or_404`/`filter(pk__in=…)` raw (ValueError / integer out of range: 500), and a
NUL in a nickname, comment, video title, note or search box reached PostgreSQL (500)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from flashsales.models import LiveComment, Viewer
from samples.models import SampleRequest
from shops.models import LiveSession, ShortVideo
from tests import factories
from tests.flashsales import factories as ff
from tests.samples.factories import H, eligible_product, received_at, request_at

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
BAD_IDS = ["abc", HUGE, "-1", "0", "1e3", "١٢", "9223372036854775808"]


def assert_refused(resp):
    assert resp.status_code in (400, 404), resp.status_code
    if resp.status_code == 400:
        html = resp.content.decode()
        assert "无法理解" in html or "不是" in html  # the Chinese 400 page says what was wrong


@pytest.mark.hardening
@pytest.mark.parametrize("bad", BAD_IDS)
def test_hole3_a_tampered_product_id_on_showcase_add_is_a_400(creator_client, bad, hardening):
    assert_refused(creator_client.post("/creator/showcase/add/", {"product": bad}))
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("bad", BAD_IDS)
def test_hole3_a_tampered_product_id_on_cart_add_is_a_400(creator_client, creator, bad, hardening):
    session = factories.LiveSessionFactory(creator=creator)
    assert_refused(creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": bad}))
    assert not session.cart_items.exists()
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("kind,field,bad", [("video", "video", "abc"), ("video", "video", HUGE), ("live", "item", "abc"), ("live", "item", HUGE)])
def test_hole3_a_tampered_video_or_item_on_promote_is_a_400(creator_client, creator, kind, field, bad, hardening):
    sample = received_at(timezone.now() - 2 * H, creator=creator)
    assert_refused(creator_client.post(f"/creator/samples/{sample.pk}/promote/", {"kind": kind, field: bad}))
    assert SampleRequest.objects.get(pk=sample.pk).promotion in ("", None)
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("bad", ["abc", HUGE, "1 OR 1=1"])
def test_hole3_tampered_products_on_video_publish_are_a_400_and_no_video(creator_client, bad, hardening):
    resp = creator_client.post("/creator/videos/publish/", {"title": "开箱", "products": ["1", bad]})
    assert resp.status_code == 400 and "不是" in resp.content.decode()
    assert not ShortVideo.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("bad", ["abc", HUGE])
def test_hole3_tampered_ids_on_the_merchant_bulk_action_are_a_400(merchant_client, merchant, bad, hardening):
    sample = request_at(timezone.now(), product=eligible_product(shop__merchant=merchant))
    resp = merchant_client.post("/merchant/samples/bulk/", {"ids": [sample.pk, bad], "action": "approve"})
    assert resp.status_code == 400
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.REQUESTED
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("bad", ["abc", HUGE])
def test_hole3_tampered_products_on_alliance_remove_are_a_400(merchant_client, bad, hardening):
    assert merchant_client.get("/merchant/alliance/remove/", {"products": [bad]}).status_code == 400
    assert merchant_client.post("/merchant/alliance/remove/", {"products": [bad], "confirm": "1", "when": "now"}).status_code == 400
    hardening.hostile()


# --- hole 5: NUL bytes ---------------------------------------------------------------------

NUL = "小鱼\x00<script>"


@pytest.mark.hardening
def test_hole5_a_nul_in_a_nickname_is_a_message_and_no_viewer(client, hardening):
    session = ff.LiveSessionFactory()
    resp = client.post(f"/live/{session.pk}/join/", {"nickname": NUL}, follow=True)
    assert resp.status_code == 200 and "空字符" in resp.content.decode()
    assert not Viewer.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole5_a_nul_in_a_live_comment_is_a_message_and_no_comment(client, hardening):
    session = ff.LiveSessionFactory()
    viewer = ff.ViewerFactory()
    resp = client.post(f"/live/{session.pk}/comment/", {"viewer": viewer.token, "text": NUL}, follow=True)
    assert resp.status_code == 200 and "空字符" in resp.content.decode()
    assert not LiveComment.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole5_a_nul_in_a_video_title_is_a_message_and_no_video(creator_client, hardening):
    resp = creator_client.post("/creator/videos/publish/", {"title": NUL}, follow=True)
    assert resp.status_code == 200 and "空字符" in resp.content.decode()
    assert not ShortVideo.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole5_a_nul_in_a_viewer_token_is_no_viewer(client, hardening):
    session = ff.LiveSessionFactory()
    assert client.get(f"/live/{session.pk}/", {"viewer": "a\x00b"}).status_code == 200
    assert client.post(f"/live/{session.pk}/comment/", {"viewer": "a\x00b", "text": "hi"}).status_code == 404
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("url", ["/merchant/products/", "/merchant/samples/returns/"])
def test_hole5_a_nul_in_a_search_box_is_ignored(merchant_client, url, hardening):
    assert merchant_client.get(url, {"q": "玉\x00"}).status_code == 200
    hardening.hostile()


@pytest.mark.hardening
def test_hole5_a_nul_in_a_sample_request_note_is_a_form_error(creator_client, hardening):
    # The request form (note + address, #13) refuses it like any invalid field: back to the
    # product with the message, nothing stored.
    listing = factories.AllianceListingFactory(sample_support=True)
    resp = creator_client.post(f"/creator/samples/request/{listing.product_id}/", {"note": NUL}, follow=True)
    assert resp.status_code == 200 and "空字符" in resp.content.decode()
    assert not SampleRequest.objects.exists()
    hardening.hostile()


def test_hole3_the_400_page_is_in_chinese_and_names_the_reason(creator_client):
    resp = creator_client.post("/creator/showcase/add/", {"product": "abc"})
    html = resp.content.decode()
    assert resp.status_code == 400 and "无法理解" in html and "不是" in html
    assert LiveSession.objects.count() == 0
