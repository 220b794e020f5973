"""D2–D4 in samples: taking a product out of the alliance (下架精选联盟) shows its open sample
requests on the confirmation page, tells their creators, and closes the requests awaiting a
decision with that reason; approved, shipped and received ones go on."""

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from samples import messages as msg
from samples.models import SampleRequest
from samples.policy import eligibility
from samples.services import alliance, requests, shipping, sweeps
from shops.alliance_removal import impact
from shops.alliance_removal import services as removal_services
from tests import factories
from tests.samples.factories import T0, H, M, approved_at, eligible_product, received_at, reload, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db
S = SampleRequest.State
REASON = "商品已下架精选联盟"


def merchant_user(product):
    return product.shop.merchant.user


def remove_now(product, moment, by=None):
    with travel(moment):
        return removal_services.alliance_removal_create(product=product, by=by)


def closing_logs(sample):
    return list(StateLog.objects.for_(sample).filter(transition="close_alliance_removed"))


# ---------------------------------------------------------------------------------------
# D4: closed with the reason, the creator told; approved and shipped ones go on


def test_d4_requests_awaiting_a_decision_are_closed_with_the_reason_and_the_creator_told():
    product = eligible_product(title="联盟面霜")
    sample = request_at(T0, product=product)
    merchant = merchant_user(product)
    removal = remove_now(product, T0 + H, by=merchant)

    sample = reload(sample)
    assert sample.state == S.CANCELLED
    assert sample.close_reason == REASON
    assert sample.closed_at == T0 + H
    [entry] = closing_logs(sample)
    assert entry.source_state == S.REQUESTED and entry.state == S.CANCELLED
    assert entry.by == merchant  # the person who ran the removal
    assert REASON in entry.description and f"#{removal.pk}" in entry.description
    note = Notification.objects.get(user=sample.creator.user, dedupe_key=f"samples:{sample.pk}:alliance-removed")
    assert "联盟面霜" in note.title and REASON in note.title
    assert note.url == f"/creator/samples/{sample.pk}/"


def test_d4_the_reason_is_the_one_message_constant_stored_in_chinese():
    from core.notifications import platform_text

    assert platform_text(lambda: str(msg.CLOSED_ALLIANCE_REMOVED)) == REASON


def test_d4_approved_shipped_and_received_requests_go_on_untouched():
    product = eligible_product()
    approved = approved_at(T0, product=product)
    shipped = shipped_at(T0, product=product)
    received = received_at(T0, product=product)
    before = {s.pk: StateLog.objects.for_(s).count() for s in (approved, shipped, received)}
    remove_now(product, T0 + H, by=merchant_user(product))
    for sample, state in ((approved, S.APPROVED), (shipped, S.SHIPPED), (received, S.RECEIVED)):
        after = reload(sample)
        assert after.state == state and after.closed_at is None and after.close_reason == ""
        assert StateLog.objects.for_(after).count() == before[sample.pk]
        assert not Notification.objects.filter(dedupe_key=f"samples:{sample.pk}:alliance-removed").exists()
    # ...and they keep going: the merchant ships the approved one after the removal.
    with travel(T0 + 2 * H):
        shipping.sample_request_ship(sample=approved, by=approved.merchant.user, carrier="sf", tracking_number="SF123456789013")
    assert reload(approved).state == S.SHIPPED


def test_d4_requests_of_other_products_and_closed_requests_are_left_alone():
    product = eligible_product()
    other = request_at(T0)  # another product
    withdrawn = request_at(T0, product=product)
    with travel(T0 + M):
        requests.sample_request_withdraw(sample=withdrawn, by=withdrawn.creator.user)
    remove_now(product, T0 + H)
    assert reload(other).state == S.REQUESTED
    withdrawn = reload(withdrawn)
    assert withdrawn.state == S.WITHDRAWN and closing_logs(withdrawn) == []


def test_d4_a_scheduled_removal_run_by_the_sweep_closes_them_once_even_if_the_sweep_runs_twice():
    product = eligible_product()
    sample = request_at(T0, product=product)
    with travel(T0):
        removal_services.alliance_removal_create(product=product, by=merchant_user(product), at=T0 + 2 * H)
    assert reload(sample).state == S.REQUESTED  # scheduled: nothing closes yet
    with travel(T0 + 2 * H - M):
        assert removal_services.alliance_removals_sweep() == 0
    assert reload(sample).state == S.REQUESTED
    with travel(T0 + 2 * H):
        assert removal_services.alliance_removals_sweep() == 1
        assert removal_services.alliance_removals_sweep() == 0
    sample = reload(sample)
    assert sample.state == S.CANCELLED and sample.close_reason == REASON and sample.closed_at == T0 + 2 * H
    [entry] = closing_logs(sample)
    assert entry.by is None  # the sweep ran it
    assert Notification.objects.filter(dedupe_key=f"samples:{sample.pk}:alliance-removed").count() == 1


def test_d4_closing_twice_is_a_no_op():
    product = eligible_product()
    sample = request_at(T0, product=product)
    with travel(T0 + H):
        assert alliance.sample_requests_close_for_alliance_removal(product=product) == 1
        assert alliance.sample_requests_close_for_alliance_removal(product=product) == 0
    assert len(closing_logs(reload(sample))) == 1


def test_d4_a_request_that_cannot_be_closed_never_blocks_the_removal(monkeypatch):
    product = eligible_product()
    bad, good = request_at(T0, product=product), request_at(T0, product=product)
    real_tell = alliance.tell

    def tell(**kwargs):
        if kwargs.get("dedupe_key") == f"samples:{bad.pk}:alliance-removed":
            raise RuntimeError("mail system down")
        return real_tell(**kwargs)

    monkeypatch.setattr(alliance, "tell", tell)
    removal = remove_now(product, T0 + H)
    assert removal.status == "done"
    assert reload(bad).state == S.REQUESTED  # rolled back alone; the S4 sweep still closes it at 48 h
    assert reload(good).state == S.CANCELLED


def test_d4_a_request_for_a_product_out_of_the_alliance_is_refused():
    product = eligible_product()
    remove_now(product, T0)
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError) as exc, travel(T0 + H):
        requests.sample_request_create(creator=creator, product=product, by=creator.user)
    assert exc.value.messages == [str(msg.PRODUCT_NOT_LISTED)]
    assert eligibility.product_refusal(product.__class__.objects.select_related("shop__merchant", "alliance_listing").get(pk=product.pk)) == str(
        msg.PRODUCT_NOT_LISTED
    )
    assert not SampleRequest.objects.filter(creator=creator).exists()


def test_d4_while_a_removal_is_only_scheduled_samples_can_still_be_requested():
    product = eligible_product()
    with travel(T0):
        removal_services.alliance_removal_create(product=product, by=None, at=T0 + 2 * H)
    sample = request_at(T0 + H, product=product)
    assert sample.state == S.REQUESTED


# ---------------------------------------------------------------------------------------
# D2: the confirmation page counts open sample requests


def test_d2_confirmation_page_shows_the_open_sample_requests(client):
    product = eligible_product(title="联盟面霜")
    request_at(T0, product=product)
    approved_at(T0, product=product)
    shipped_at(T0, product=product)
    closed = request_at(T0, product=product)
    with travel(T0 + M):
        requests.sample_request_reject(sample=closed, by=closed.merchant.user)
    request_at(T0)  # another product's request does not count
    assert [line.count for line in impact.impact_for(product) if line.key == "open_samples"] == [3]
    client.force_login(merchant_user(product))
    page = client.get(f"/merchant/alliance/remove/?products={product.pk}").content.decode()
    assert 'data-testid="impact-open_samples">3<' in page
    assert "未结束的样品申请" in page


def test_d2_the_removal_keeps_the_count_the_merchant_saw():
    product = eligible_product()
    request_at(T0, product=product)
    approved_at(T0, product=product)
    removal = remove_now(product, T0 + H)
    assert removal.impact["open_samples"] == 2


# ---------------------------------------------------------------------------------------
# D3 (ours): creators with open sample requests are affected and told


def test_d3_creators_with_open_requests_are_among_the_affected_creators():
    product = eligible_product()
    waiting, shipped = request_at(T0, product=product), shipped_at(T0, product=product)
    rejected = request_at(T0, product=product)
    with travel(T0 + M):
        requests.sample_request_reject(sample=rejected, by=rejected.merchant.user)
    affected = {c.pk for c in impact.affected_creators(product)}
    assert {waiting.creator_id, shipped.creator_id} <= affected
    assert rejected.creator_id not in affected


def test_d3_creators_with_open_requests_are_told_when_scheduled_and_when_done():
    product = eligible_product()
    waiting, shipped = request_at(T0, product=product), shipped_at(T0, product=product)
    with travel(T0):
        removal = removal_services.alliance_removal_create(product=product, by=None, at=T0 + 2 * H)
    for sample in (waiting, shipped):
        assert Notification.objects.filter(
            user=sample.creator.user, dedupe_key=f"alliance-removal:{removal.pk}:scheduled:{sample.creator_id}"
        ).count() == 1
    with travel(T0 + 2 * H):
        removal_services.alliance_removals_sweep()
    for sample in (waiting, shipped):
        assert Notification.objects.filter(
            user=sample.creator.user, dedupe_key=f"alliance-removal:{removal.pk}:done:{sample.creator_id}"
        ).count() == 1
    # Only the one awaiting a decision is told its request was closed.
    assert Notification.objects.filter(dedupe_key=f"samples:{waiting.pk}:alliance-removed").count() == 1
    assert not Notification.objects.filter(dedupe_key=f"samples:{shipped.pk}:alliance-removed").exists()


# ---------------------------------------------------------------------------------------
# S3: expired and cancelled are shown as 已取消 with the recorded reason


def test_s3_closed_requests_show_cancelled_with_the_reason_they_were_closed_for():
    removed_product = eligible_product()
    by_removal = request_at(T0, product=removed_product)
    remove_now(removed_product, T0 + H)
    expired = request_at(T0)
    unshipped = approved_at(T0)
    with travel(T0 + 48 * H):
        sweeps.sweep_expire_undecided()
    with travel(T0 + 120 * H):
        sweeps.sweep_cancel_unshipped()
    assert reload(by_removal).state_label == "已取消（商品已下架精选联盟）"
    assert reload(expired).state == S.EXPIRED
    assert reload(expired).state_label == "已取消（商家未在 2026-12-03 10:00 前审批）"
    assert reload(unshipped).state == S.CANCELLED
    assert reload(unshipped).state_label == "已取消（商家未在 2026-12-06 10:00 前发货）"
    # The plain label of CANCELLED names no single way in; open states show theirs.
    assert S.CANCELLED.label == "已取消"
    assert request_at(T0).state_label == "待审核"


def test_s3_pages_show_the_reason_in_the_state_and_the_state_filters_still_work(client):
    product = eligible_product(title="联盟面霜")
    sample = request_at(T0, product=product)
    other = approved_at(T0, product=eligible_product(title="别的商品"))
    remove_now(product, T0 + H)
    label = "已取消（商品已下架精选联盟）"

    client.force_login(sample.creator.user)
    for url in (f"/creator/samples/{sample.pk}/", "/creator/samples/", "/creator/samples/?state=cancelled"):
        page = client.get(url).content.decode()
        assert label in page, url
        assert "超时未发货" not in page, url

    client.force_login(sample.merchant.user)
    page = client.get(f"/merchant/samples/{sample.pk}/").content.decode()
    assert label in page
    page = client.get("/merchant/samples/", {"state": "cancelled"}).content.decode()
    assert label in page and "联盟面霜" in page
    assert ">查看</a>" in page and "营业中" not in page  # the row's link, not the shop status 营业中
    client.force_login(other.merchant.user)
    page = client.get("/merchant/samples/", {"state": "cancelled"}).content.decode()
    assert f"/merchant/samples/{other.pk}/" not in page  # still approved: filtered out
    page = client.get("/merchant/samples/", {"state": "approved"}).content.decode()
    assert f"/merchant/samples/{other.pk}/" in page
