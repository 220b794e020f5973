"""Appeals through the API and its webhooks (AP1, AP5)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from core import appeals as kernel
from filings import services as filing_services
from filings.models import Filing
from samples.models import SampleRequest
from samples.services import appeals
from tests import factories
from tests.conftest import png_bytes
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import H, outcome, travel

SH = ZoneInfo("Asia/Shanghai")
BREACH = datetime(2026, 12, 7, 10, 0, tzinfo=SH)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")


def multipart(api, path, data, idem):
    return api.client.post(path, data, headers={**api.headers, "Idempotency-Key": idem})


def test_ap1_creator_appeals_a_breach_through_the_api_once(api_for):
    sample = outcome(SampleRequest.State.BREACHED, BREACH)
    api = api_for(sample.creator.user)
    path = f"/api/v1/creator/sample-requests/{sample.pk}/appeal/"
    with travel(BREACH + 24 * H):
        res = multipart(api, path, {"reason": "视频误下架", "evidence": [SimpleUploadedFile("a.png", png_bytes(), "image/png")]}, "ap-1")
        assert res.status_code == 200, res.content
        body = res.json()["appeal"]
        assert body["state"] == "open" and body["evidence"][0]["content_type"] == "image/png"
        again = multipart(api, path, {"reason": "再次申诉"}, "ap-2")
    assert again.status_code in (409, 422)
    assert str(kernel.ONCE) in again.json()["detail"]


def test_ap1_api_refuses_someone_elses_request(api_for):
    sample = outcome(SampleRequest.State.BREACHED, BREACH)
    other = factories.CreatorFactory()
    with travel(BREACH + H):
        res = multipart(api_for(other.user), f"/api/v1/creator/sample-requests/{sample.pk}/appeal/", {"reason": "x"}, "ap-3")
    assert res.status_code == 404


def test_ap1_merchant_appeals_a_rejection_through_the_api(api_for):
    reviewer = factories.StaffFactory(username="api-reviewer")
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW, submitted_at=BREACH - 24 * H)
    with travel(BREACH):
        filing_services.filing_reject(filing=filing, by=reviewer, reason="缺少授权")
    merchant = filing.product.shop.merchant
    api = api_for(merchant.user, scopes=("read", "filings"))
    with travel(BREACH + H):
        res = multipart(api, f"/api/v1/merchant/filings/{filing.pk}/appeal/", {"reason": "授权书已补"}, "ap-4")
    assert res.status_code == 200, res.content
    assert res.json()["appeals"][0]["state"] == "open"


def test_ap5_webhook_carries_the_appeal_filed_and_decided():
    sample = outcome(SampleRequest.State.BREACHED, BREACH)
    endpoint = WebhookEndpoint.objects.create(merchant=sample.merchant, url="https://erp.example/hook", events=[Event.APPEAL_CHANGED])
    reviewer = factories.StaffFactory(username="hook-reviewer")
    with travel(BREACH + H):
        appeal = appeals.sample_appeal_file(sample=sample, by=sample.creator.user, reason="误判")
        appeals.sample_appeal_uphold(appeal=appeal, by=reviewer, reason="成立")
    rows = list(WebhookDelivery.objects.filter(endpoint=endpoint, event_type=Event.APPEAL_CHANGED).order_by("id"))
    assert [r.payload["data"]["event"] for r in rows] == ["filed", "uphold"]
    assert rows[1].payload["data"]["state"] == "upheld" and rows[1].payload["data"]["sample_request"] == sample.pk
    assert rows[1].payload["data"]["decision_reason"] == "成立"
