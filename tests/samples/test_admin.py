"""The reviewers' workspace (samples.admin): overrides with a recorded reason, scores and
their correction (V1), extensions (V7), not-arrived decisions (V9)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_fsm_log.models import StateLog

from samples.models import SampleRequest, ScoreAdjustment
from samples.services import extensions, shipping
from tests import factories
from tests.samples.factories import (
    H,
    outcome,
    received_at,
    reload,
    request_at,
    shipped_at,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# S3: override with a reason


def test_s3_admin_lists_filters_and_overrides_with_a_recorded_reason(client):
    reviewer = factories.UserFactory(username="reviewer", is_staff=True)
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_fsm_log"))
    client.force_login(reviewer)
    sample = request_at(timezone.now() - H)
    assert client.get("/admin/samples/samplerequest/?state=requested&deadline=soon").status_code == 200
    assert client.get(f"/admin/samples/samplerequest/{sample.pk}/change/").status_code == 200
    ask = client.post("/admin/samples/samplerequest/", {"action": "override_cancel", "_selected_action": [sample.pk]})
    assert "原因" in html(ask) and reload(sample).state == S.REQUESTED
    client.post(
        "/admin/samples/samplerequest/",
        {"action": "override_cancel", "_selected_action": [sample.pk], "apply": "1", "reason": "商家反映达人冒用身份"},
    )
    sample = reload(sample)
    assert sample.state == S.CANCELLED
    entry = StateLog.objects.for_(sample).latest("timestamp")
    assert entry.by == reviewer and "商家反映达人冒用身份" in entry.description


# ---------------------------------------------------------------------------------------
# V1: scores


def test_v1_reviewer_sees_scores_in_the_admin_and_corrects_one_with_a_reason(client, staff, creator, django_assert_max_num_queries):
    outcome(S.BREACHED, timezone.now() - D, creator=creator)
    for _ in range(5):
        factories.CreatorFactory()
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        page = html(client.get("/admin/samples/creatorscore/"))
    assert "9 / 12" in page
    detail = html(client.get(f"/admin/samples/creatorscore/{creator.pk}/change/"))
    assert "-3" in detail and f"/admin/samples/scoreadjustment/add/?creator={creator.pk}" in detail
    resp = client.post("/admin/samples/scoreadjustment/add/", {"creator": creator.pk, "new_score": 12, "reason": ""})
    assert resp.status_code == 200 and not ScoreAdjustment.objects.exists()  # the reason is required
    resp = client.post("/admin/samples/scoreadjustment/add/", {"creator": creator.pk, "new_score": 12, "reason": "物流原因，非达人责任"})
    assert resp.status_code == 302
    adj = ScoreAdjustment.objects.get()
    assert (adj.by, adj.score_before, adj.score_after, adj.delta) == (staff, 9, 12, 3)


# ---------------------------------------------------------------------------------------
# V7, V9


def test_v7_admin_lists_extensions(client, staff):
    sample = received_at(timezone.now() - H)
    extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="需要时间")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    login(client, staff)
    assert sample.product.title in html(client.get("/admin/samples/extensionrequest/"))
    assert client.get("/admin/samples/samplerequest/?deadline=extension").status_code == 200


def test_v9_admin_reviewer_treats_a_held_request_as_received_with_a_reason(client):
    reviewer = factories.UserFactory(username="reviewer", is_staff=True)
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="samples"))
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="django_fsm_log"))
    sample = shipped_at(timezone.now() - H)
    shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    login(client, reviewer)
    listing = html(client.get("/admin/samples/samplerequest/?deadline=held"))
    assert f"/admin/samples/samplerequest/{sample.pk}/change/" in listing
    ask = client.post("/admin/samples/samplerequest/", {"action": "not_arrived_received", "_selected_action": [sample.pk]})
    assert "原因" in html(ask) and reload(sample).state == S.NOT_ARRIVED
    client.post("/admin/samples/samplerequest/", {
        "action": "not_arrived_received", "_selected_action": [sample.pk], "apply": "1", "reason": "物流签收记录完整"})
    sample = reload(sample)
    assert sample.state == S.RECEIVED and sample.fulfil_by is not None
    assert StateLog.objects.for_(sample).latest("timestamp").by == reviewer
