"""申诉 on the sample request's pages and in the reviewers' admin (AP1, AP2, AP5)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import appeals as kernel
from samples.models import SampleAppeal, SampleRequest
from samples.services import appeals
from tests import factories
from tests.conftest import png_bytes
from tests.samples.factories import H, M, outcome, reload, travel

SH = ZoneInfo("Asia/Shanghai")
BREACH = datetime(2026, 12, 7, 10, 0, tzinfo=SH)
DAY = 24 * H

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def breached():
    return outcome(SampleRequest.State.BREACHED, BREACH)


def test_ap1_page_says_until_when_before_the_click(client, breached):
    client.force_login(breached.creator.user)
    with travel(BREACH + 7 * DAY - M):
        page = client.get(reverse("samples:creator_detail", args=[breached.pk])).content.decode()
    assert "2026-12-14 10:00" in page and reverse("samples:creator_appeal", args=[breached.pk]) in page
    with travel(BREACH + 7 * DAY):
        page = client.get(reverse("samples:creator_detail", args=[breached.pk])).content.decode()
    assert reverse("samples:creator_appeal", args=[breached.pk]) not in page


def test_ap1_creator_files_from_the_page_evidence_served_to_the_parties_only(client, breached):
    client.force_login(breached.creator.user)
    url = reverse("samples:creator_appeal", args=[breached.pk])
    data = {"reason": "视频被误下架", "evidence": [SimpleUploadedFile("p.png", png_bytes(), "image/png")],
            "submission": "8f14e45f-ceea-467f-a0e6-3f8d1b2c9a10"}
    with travel(BREACH + DAY):
        res = client.post(url, data)
        assert res.status_code == 302
        data["evidence"] = [SimpleUploadedFile("p.png", png_bytes(), "image/png")]
        assert client.post(url, data).status_code == 302  # the same one-time key: no second appeal, no error
    appeal = SampleAppeal.objects.get()
    item = appeal.evidence.get()
    evidence_url = reverse("samples:appeal_evidence", args=[item.pk])
    # The session was saved at the fixed instant: read on at it, never at the wall clock (the guard caught it).
    with travel(BREACH + DAY + M):
        got = client.get(evidence_url)
        assert got.status_code == 200 and got["Content-Type"] == "image/png" and got["X-Content-Type-Options"] == "nosniff"
        client.force_login(breached.merchant.user)
        assert client.get(evidence_url).status_code == 200
        page = client.get(reverse("samples:merchant_detail", args=[breached.pk])).content.decode()
        assert "视频被误下架" in page  # AP5: the merchant sees the appeal
        client.force_login(factories.CreatorFactory().user)
        assert client.get(evidence_url).status_code == 404


def test_ap1_late_appeal_from_the_page_is_refused_with_the_rule(client, breached):
    client.force_login(breached.creator.user)
    with travel(BREACH + 7 * DAY):
        res = client.post(reverse("samples:creator_appeal", args=[breached.pk]), {"reason": "晚了"})
    assert res.status_code == 400
    assert str(kernel.TOO_LATE % {"until": "2026-12-14 10:00"}) in res.content.decode()
    assert not SampleAppeal.objects.exists()


def test_ap2_reviewer_decides_from_the_admin_change_page_with_a_reason(client, breached):
    with travel(BREACH + DAY):
        appeal = appeals.sample_appeal_file(sample=breached, by=breached.creator.user, reason="误判")
    reviewer = factories.StaffFactory(username="admin-reviewer")
    client.force_login(reviewer)
    url = reverse("admin:samples_sampleappeal_change", args=[appeal.pk])
    with travel(BREACH + 2 * DAY):
        page = client.get(url).content.decode()
        assert "_uphold" in page and "误判" in page
        client.post(url, {"_uphold": "1", "reason": ""})  # a reason is required
        assert SampleAppeal.objects.get().state == SampleAppeal.State.OPEN
        client.post(url, {"_uphold": "1", "reason": "平台误判"})
    assert SampleAppeal.objects.get().state == SampleAppeal.State.UPHELD
    assert reload(breached).state == SampleRequest.State.EXCUSED
    with travel(BREACH + 2 * DAY + M):  # the session was saved at the fixed instant: not the wall clock
        index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:samples_sampleappeal_changelist") in index  # the queue on the admin index


def test_ap2_admin_queue_lists_time_left(client, breached, django_assert_max_num_queries):
    with travel(BREACH + DAY):
        appeals.sample_appeal_file(sample=breached, by=breached.creator.user, reason="误判")
    client.force_login(factories.StaffFactory(username="queue-reviewer"))
    with travel(datetime(2026, 12, 12, 0, 0, tzinfo=SH)):
        page = client.get(reverse("admin:samples_sampleappeal_changelist") + "?due=overdue").content.decode()
    assert "errornote" in page  # overdue flagged


def test_ap3_score_page_explains_an_excused_breach(client, breached):
    reviewer = factories.StaffFactory(username="score-reviewer")
    with travel(BREACH + DAY):
        appeal = appeals.sample_appeal_file(sample=breached, by=breached.creator.user, reason="误判")
        appeals.sample_appeal_uphold(appeal=appeal, by=reviewer, reason="成立")
        client.force_login(breached.creator.user)
        page = client.get(reverse("samples:creator_score")).content.decode()
    from samples import messages as msg

    assert str(msg.APPEAL_EXCUSED_NOTE) in page
