"""End-to-end journeys in Chromium, each page checked with axe-core (tests/e2e/conftest.py).

Selectors are form actions, field names and visible texts from the catalogues, so the
journeys survive restyling."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.models import RuleChange
from samples.models import ExtensionRequest, SampleRequest
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.samples import factories as sf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_journey_sample_with_an_address_approved_shipped_received_and_promoted(journey):
    product = sf.eligible_product(title="冰种翡翠手镯")
    creator = sf.creator_with_address(nickname="小明直播间")
    listing = product.alliance_listing
    me = journey(creator.user)
    me.open(f"/creator/marketplace/{listing.pk}/")
    me.check("marketplace detail")
    me.submit("[data-testid=ask-form] button")
    sample = SampleRequest.objects.get(creator=creator)
    assert sample.state == SampleRequest.State.REQUESTED and sample.ship_to_name == "张小明"

    merchant = journey(product.shop.merchant.user)
    merchant.open(f"/merchant/samples/{sample.pk}/")
    merchant.check("merchant sample, requested")
    merchant.submit(f"form[action$='/samples/{sample.pk}/decide/'] button[value=approve]")
    assert "张小明" in merchant.text("main")  # the address, from the approval on
    merchant.page.select_option("[data-testid=ship-form] select[name=carrier]", "sf")
    merchant.page.fill("[data-testid=ship-form] input[name=tracking_number]", "SF1234567890123")
    merchant.submit("[data-testid=ship-form] button")
    merchant.check("merchant sample, shipped")
    sample = SampleRequest.objects.get(pk=sample.pk)  # a protected state field: read anew
    assert sample.state == SampleRequest.State.SHIPPED

    me.open(f"/creator/samples/{sample.pk}/")
    me.check("creator sample, shipped")
    me.open(f"/creator/samples/{sample.pk}/receive/confirm/")  # a one-way action: its confirmation step first
    me.submit("[data-testid=confirm-submit]")
    me.page.fill("[data-testid=promote] input[name=title]", "翡翠手镯开箱")
    me.submit("[data-testid=promote] form:has(input[value=new_video]) button")
    sample = SampleRequest.objects.get(pk=sample.pk)  # a protected state field: read anew
    assert sample.promotion == "video"
    me.check("creator sample, promoted")
    me.screens("sample-promoted")


def test_journey_an_extension_asked_and_refused(journey):
    sample = sf.received_at(timezone.now(), creator=sf.creator_with_address())
    me = journey(sample.creator.user)
    me.open(f"/creator/samples/{sample.pk}/")
    me.page.fill(f"form[action$='/samples/{sample.pk}/extension/'] textarea[name=reason]", "快递延误，需要多几天拍摄")
    me.submit(f"form[action$='/samples/{sample.pk}/extension/'] button")
    ask = ExtensionRequest.objects.get(sample=sample)
    me.check("creator sample, extension asked")

    merchant = journey(sample.merchant.user)
    merchant.open(f"/merchant/samples/{sample.pk}/")
    merchant.check("merchant sample, extension asked")
    merchant.page.fill(f"form[action$='/samples/{sample.pk}/extension/'] [name=reason]", "档期已定，不能延期")
    merchant.submit(f"form[action$='/samples/{sample.pk}/extension/'] button[value=refuse]")
    ask = ExtensionRequest.objects.get(pk=ask.pk)
    assert ask.state == ExtensionRequest.State.REFUSED
    merchant.check("merchant sample, extension refused")
    merchant.screens("extension-refused")


def test_journey_not_arrived_and_reshipped(journey):
    sample = sf.shipped_at(timezone.now(), creator=sf.creator_with_address())
    me = journey(sample.creator.user)
    me.open(f"/creator/samples/{sample.pk}/")
    me.submit(f"form[action$='/samples/{sample.pk}/not-arrived/'] button")
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.NOT_ARRIVED, me.text("main")[:400]
    me.check("creator sample, held")

    merchant = journey(sample.merchant.user)
    merchant.open(f"/merchant/samples/{sample.pk}/")
    merchant.page.select_option("[data-testid=reship-form] select[name$=carrier]", "sf")
    merchant.page.fill("[data-testid=reship-form] input[name$=tracking_number]", "SF9999999999999")
    merchant.submit("[data-testid=reship-form] button")
    sample = SampleRequest.objects.get(pk=sample.pk)  # a protected state field: read anew
    assert sample.state == SampleRequest.State.SHIPPED and sample.tracking_number == "SF9999999999999"
    merchant.check("merchant sample, re-shipped")
    merchant.screens("reshipped")


def test_journey_a_rule_changed_by_staff_is_recorded(journey):
    staff = factories.StaffFactory(username="rules_staff")
    admin = journey(staff, admin=True)
    admin.open("/admin/core/rulesetting/")
    admin.check("admin platform rules")
    assert "48 小时" in admin.text("#result_list")  # units spelled out
    admin.open("/admin/core/rulesetting/?q=sample_decide")
    admin.submit("#result_list tbody tr th a")
    admin.page.fill("input[name=value]", "72")
    admin.page.fill("input[name=reason]", "旺季延长审核时间")
    admin.submit("input[name=_save]")
    change = RuleChange.objects.get()
    assert (change.old_value, change.new_value, change.reason) == (48, 72, "旺季延长审核时间")
    admin.check("admin platform rules, changed")
    admin.screens("rule-changed")


def test_journey_the_reviewer_sees_the_queue_and_approves_a_filing(journey):
    filing = set_state(FilingFactory(product__title="和田玉吊坠"), "under_review", submitted_at=timezone.now())
    reviewer = journey(factories.StaffFactory(username="reviewer_e2e"), admin=True)
    reviewer.open("/admin/")
    queues = reviewer.text("[data-testid=review-queues]")
    assert "和田玉吊坠" in queues
    reviewer.check("admin index with queues")
    reviewer.submit("[data-testid=review-queues] a >> nth=0")
    assert "和田玉吊坠" in reviewer.text("#result_list")
    reviewer.check("filing queue")
    reviewer.open(f"/admin/filings/filing/{filing.pk}/decide/approve/")
    reviewer.submit("input[type=submit], button[type=submit] >> nth=-1")
    filing.refresh_from_db()
    assert filing.state == "approved"
    reviewer.open(f"/admin/filings/filing/{filing.pk}/change/")
    assert "审核通过" in reviewer.text("#content")
    reviewer.check("filing change page with history")
    reviewer.screens("filing-approved")


def test_journey_notifications_are_read(journey):
    from core.models import Notification
    from core.notifications import notify

    sample = sf.shipped_at(timezone.now(), creator=sf.creator_with_address())
    creator = sample.creator
    shipped = notify(user=creator.user, title="样品已发货", body="商家已发出样品，请留意查收。",
                     url=f"/creator/samples/{sample.pk}/", kind=Notification.Kind.SAMPLE)
    notify(user=creator.user, title="报备审核通过", body="商品报备已通过审核。", kind=Notification.Kind.FILING)
    unread = creator.user.notifications.filter(read_at__isnull=True).count()  # with those of the approval and shipping
    me = journey(creator.user)
    me.open("/notifications/")
    assert me.page.locator("[data-testid=notification][data-unread]").count() == unread  # unread: in bold
    me.check("notifications, unread")
    # Filter by kind, then open one: it is marked read and leads to what it is about.
    me.submit("[data-testid=kind-filter] a[href='?kind=sample']")
    assert "样品已发货" in me.text("main") and "报备审核通过" not in me.text("main")
    me.submit(f"a[href$='/notifications/{shipped.pk}/']")
    assert me.page.url.endswith(f"/creator/samples/{sample.pk}/")
    assert Notification.objects.get(pk=shipped.pk).read_at is not None
    assert creator.user.notifications.filter(read_at__isnull=True).count() == unread - 1
    me.open("/notifications/")
    assert me.page.locator("[data-testid=notification][data-unread]").count() == unread - 1
    me.submit("form[action$='/notifications/read/'] button")
    assert "已将全部通知标为已读。" in me.text("main")
    assert creator.user.notifications.filter(read_at__isnull=True).count() == 0
    me.check("notifications, read")
    me.screens("notifications-read")


def test_journey_at_phone_width_the_creator_finds_their_samples(journey):
    sample = sf.shipped_at(timezone.now(), creator=sf.creator_with_address())
    me = journey(sample.creator.user, width=390)
    me.open("/creator/samples/")
    assert sample.product.title in me.text("main")
    me.check("creator samples at 390 px")
    me.open(f"/creator/samples/{sample.pk}/")
    me.check("creator sample at 390 px")
    me.screens("phone-sample")


def test_journey_in_english_the_merchant_goes_from_the_to_do_board_to_an_approval(journey):
    sample = sf.request_at(timezone.now(), creator=sf.creator_with_address())
    me = journey(sample.merchant.user)
    me.open("/merchant/")
    with me.page.expect_navigation():
        me.page.click("[data-testid=lang-en]")
    me.page.wait_for_selector("html[lang=en]")
    assert "Samples to decide" in me.text("[data-testid=todo-board]")
    me.check("merchant dashboard in English")
    me.submit("[data-testid=todo-count][href$='?state=requested']")
    assert sample.product.title in me.text("main")
    me.check("sample inbox in English")
    me.open(f"/merchant/samples/{sample.pk}/")
    me.submit(f"form[action$='/samples/{sample.pk}/decide/'] button[value=approve]")
    assert "Approved. Ship the sample within the time shown." in me.text("main")
    assert SampleRequest.objects.get(pk=sample.pk).state == SampleRequest.State.APPROVED
    me.check("merchant sample approved, in English")
    me.screens("english-approved")
