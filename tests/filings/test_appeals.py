"""申诉 against a filing rejection (AP1–AP5), through the services."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_fsm_log.models import StateLog

from core import appeals as kernel
from core.models import Notification
from filings import services
from filings.appeals import services as appeals
from filings.models import Filing, FilingAppeal
from tests import factories
from tests.filings.conftest import pdf_bytes
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import H, M, travel

SH = ZoneInfo("Asia/Shanghai")
REJECTED = datetime(2026, 12, 7, 10, 0, tzinfo=SH)  # a Monday
DAY = 24 * H

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_reviewer():
    return factories.StaffFactory(username="reviewer-a")


@pytest.fixture
def second_reviewer():
    return factories.StaffFactory(username="reviewer-b")


@pytest.fixture
def rejected(first_reviewer):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW, submitted_at=REJECTED - DAY)
    with travel(REJECTED):
        return services.filing_reject(filing=filing, by=first_reviewer, reason="商标授权书缺失")


def merchant_of(filing):
    return filing.product.shop.merchant


def file_appeal(filing, moment, *, merchant=None, files=(), reason="授权书已补充"):
    merchant = merchant or merchant_of(filing)
    with travel(moment):
        return appeals.filing_appeal_file(filing=filing, merchant=merchant, by=merchant.user, reason=reason, files=files)


def message(exc) -> str:
    return " ".join(exc.value.messages)


def pdf():
    return SimpleUploadedFile("licence.pdf", pdf_bytes(), content_type="application/pdf")


def test_ap1_merchant_appeals_a_rejection_in_the_last_minute_of_the_7th_day(rejected, first_reviewer):
    appeal = file_appeal(rejected, REJECTED + 7 * DAY - M, files=[pdf()])
    assert appeal.state == FilingAppeal.State.OPEN
    assert appeal.appealed_by == first_reviewer and appeal.appealed_at == REJECTED
    assert appeal.evidence.get().content_type == "application/pdf"
    assert Filing.objects.get(pk=rejected.pk).state == Filing.State.NOT_APPROVED  # AP4: open changes nothing


def test_ap1_refused_the_minute_after_the_window(rejected):
    with pytest.raises(ValidationError) as exc:
        file_appeal(rejected, REJECTED + 7 * DAY)
    assert message(exc) == str(kernel.TOO_LATE % {"until": "2026-12-14 10:00"})
    assert not FilingAppeal.objects.exists()


def test_ap1_another_merchants_filing_refused(rejected):
    other = factories.MerchantFactory()
    with pytest.raises(PermissionDenied):
        file_appeal(rejected, REJECTED + DAY, merchant=other)
    assert not FilingAppeal.objects.exists()


def test_ap1_only_a_rejection_can_be_appealed():
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    with pytest.raises(ValidationError) as exc:
        file_appeal(filing, REJECTED)
    assert message(exc) == str(appeals.NOT_REJECTED)


def test_ap1_second_appeal_of_the_same_rejection_refused(rejected):
    file_appeal(rejected, REJECTED + DAY)
    with pytest.raises(ValidationError) as exc:
        file_appeal(rejected, REJECTED + 2 * DAY)
    assert message(exc) == str(kernel.ONCE)


def test_ap2_due_at_the_end_of_the_3rd_working_day(rejected):
    appeal = file_appeal(rejected, REJECTED + H)  # Monday → Tue, Wed, Thu
    assert appeal.decide_by == datetime(2026, 12, 11, 0, 0, tzinfo=SH)
    with travel(datetime(2026, 12, 10, 23, 59, tzinfo=SH)):
        assert not appeal.overdue
    with travel(datetime(2026, 12, 11, 0, 0, tzinfo=SH)):
        assert appeal.overdue


def test_ap2_the_reviewer_who_rejected_may_not_decide_the_appeal(rejected, first_reviewer):
    appeal = file_appeal(rejected, REJECTED + DAY)
    with pytest.raises(PermissionDenied) as exc:
        appeals.filing_appeal_uphold(appeal=appeal, by=first_reviewer, reason="自己改判")
    assert str(exc.value) == str(kernel.FOUR_EYES)
    assert FilingAppeal.objects.get().state == FilingAppeal.State.OPEN
    assert Filing.objects.get(pk=rejected.pk).state == Filing.State.NOT_APPROVED


def test_ap3_upheld_filing_is_approved_recorded_as_decided_on_appeal(rejected, second_reviewer):
    appeal = file_appeal(rejected, REJECTED + DAY)
    with travel(REJECTED + 2 * DAY):
        appeals.filing_appeal_uphold(appeal=appeal, by=second_reviewer, reason="授权书有效")
    filing = Filing.objects.get(pk=rejected.pk)
    assert filing.state == Filing.State.APPROVED and filing.decided_by == second_reviewer
    log = StateLog.objects.for_(filing).order_by("-timestamp", "-id").first()
    assert log.transition == "approve_on_appeal" and "授权书有效" in log.description
    assert FilingAppeal.objects.get().state == FilingAppeal.State.UPHELD


def test_ap4_dismissed_leaves_the_rejection_and_no_second_appeal(rejected, second_reviewer):
    appeal = file_appeal(rejected, REJECTED + DAY)
    with travel(REJECTED + 2 * DAY):
        appeals.filing_appeal_dismiss(appeal=appeal, by=second_reviewer, reason="材料不符")
    assert Filing.objects.get(pk=rejected.pk).state == Filing.State.NOT_APPROVED
    with pytest.raises(ValidationError) as exc:
        file_appeal(rejected, REJECTED + 3 * DAY)
    assert message(exc) == str(kernel.ONCE)


def test_ap5_merchant_and_the_rejecting_reviewer_told(rejected, first_reviewer, second_reviewer):
    merchant_user = merchant_of(rejected).user
    Notification.objects.all().delete()
    appeal = file_appeal(rejected, REJECTED + DAY)
    assert Notification.objects.filter(user=merchant_user).count() == 1
    assert Notification.objects.filter(user=first_reviewer).count() == 1
    with travel(REJECTED + 2 * DAY):
        appeals.filing_appeal_dismiss(appeal=appeal, by=second_reviewer, reason="材料不符")
    assert Notification.objects.filter(user=merchant_user).count() == 2
    assert Notification.objects.filter(user=first_reviewer).count() == 2


def test_ap1_filing_page_says_until_when_and_files_the_appeal(client, rejected):
    from django.urls import reverse

    merchant = merchant_of(rejected)
    client.force_login(merchant.user)
    with travel(REJECTED + DAY):
        page = client.get(reverse("filings:merchant_detail", args=[rejected.pk])).content.decode()
        assert "2026-12-14 10:00" in page
        res = client.post(reverse("filings:merchant_appeal", args=[rejected.pk]), {"reason": "授权书已补", "evidence": [pdf()]})
    assert res.status_code == 302
    item = FilingAppeal.objects.get().evidence.get()
    # The session was saved at the fixed instant: read on at it, never at the wall clock (the guard caught it).
    with travel(REJECTED + DAY + M):
        got = client.get(reverse("filings:appeal_evidence", args=[item.pk]))
        assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
        client.force_login(factories.MerchantFactory().user)
        assert client.get(reverse("filings:appeal_evidence", args=[item.pk])).status_code == 404


def test_ap2_rejecting_reviewer_sees_no_buttons_in_the_admin(client, rejected, first_reviewer):
    from django.urls import reverse

    appeal = file_appeal(rejected, REJECTED + DAY)
    client.force_login(first_reviewer)
    page = client.get(reverse("admin:filings_filingappeal_change", args=[appeal.pk])).content.decode()
    assert "_uphold" not in page and "商标授权书缺失" in page
    client.post(reverse("admin:filings_filingappeal_change", args=[appeal.pk]), {"_uphold": "1", "reason": "自己改判"})
    assert FilingAppeal.objects.get().state == FilingAppeal.State.OPEN
