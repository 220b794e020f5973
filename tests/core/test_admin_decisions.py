"""#22, decisions where the reviewer looks: buttons on the object's page for what its state
allows (django-fsm's available transitions), a reason where one is required, the next item
of the queue opening after a decision, 「处理记录」 showing the transitions, and no 保存 on a
record nobody edits."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from filings.models import Filing
from samples.models import SampleRequest
from samples.services.shipping import sample_request_report_not_arrived
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import T0, shipped_at, travel

pytestmark = pytest.mark.django_db
FILINGS = "/admin/filings/filing/"


def under_review(**kwargs) -> Filing:
    return set_state(FilingFactory(**kwargs), Filing.State.UNDER_REVIEW)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def decisions_on(html: str) -> list[str]:
    import re

    return re.findall(r'data-decision="([^"]+)"', html)


def test_22_f2_a_filing_page_shows_the_decisions_its_state_allows(staff_client):
    waiting = under_review()
    approved = set_state(FilingFactory(), Filing.State.APPROVED)
    assert decisions_on(staff_client.get(f"{FILINGS}{waiting.pk}/change/").content.decode()) == ["approve", "reject"]
    assert decisions_on(staff_client.get(f"{FILINGS}{approved.pk}/change/").content.decode()) == ["revoke"]
    pending = FilingFactory()
    assert decisions_on(staff_client.get(f"{FILINGS}{pending.pk}/change/").content.decode()) == []


def test_22_f2_approving_on_the_page_opens_the_next_filing_waiting(staff_client):
    first, second = under_review(), under_review()
    Filing.objects.filter(pk=first.pk).update(submitted_at=T0)
    Filing.objects.filter(pk=second.pk).update(submitted_at=T0 + timedelta(hours=1))
    resp = staff_client.post(f"{FILINGS}{first.pk}/decision/approve/", {"reason": ""})
    assert resp.status_code == 302 and resp["Location"] == f"{FILINGS}{second.pk}/change/"
    first.refresh_from_db()
    assert first.state == Filing.State.APPROVED


def test_22_f2_not_approving_needs_a_reason_and_keeps_the_filing(staff_client):
    filing = under_review()
    resp = staff_client.post(f"{FILINGS}{filing.pk}/decision/reject/", {"reason": ""})
    assert resp.status_code == 200 and "该字段是必填项。" in resp.content.decode()
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW
    resp = staff_client.post(f"{FILINGS}{filing.pk}/decision/reject/", {"reason": "资质过期"})
    assert resp.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.review_reason) == (Filing.State.NOT_APPROVED, "资质过期")


def test_22_f2_the_history_page_lists_the_transitions(staff_client):
    filing = under_review()
    staff_client.post(f"{FILINGS}{filing.pk}/decision/reject/", {"reason": "资质过期"})
    html = staff_client.get(f"{FILINGS}{filing.pk}/history/").content.decode()
    assert f"{Filing.State.UNDER_REVIEW.label} → {Filing.State.NOT_APPROVED.label}" in html and "资质过期" in html


def not_arrived(moment):
    sample = shipped_at(moment)
    with travel(moment + timedelta(days=4)):
        sample_request_report_not_arrived(sample=sample, by=sample.creator.user, note="")
    return SampleRequest.objects.get(pk=sample.pk)


def test_22_v9_a_not_arrived_request_is_decided_on_its_page(staff_client):
    first, second = not_arrived(T0), not_arrived(T0 + timedelta(minutes=5))
    with travel(T0 + timedelta(days=5)):
        html = staff_client.get(f"/admin/samples/samplerequest/{first.pk}/change/").content.decode()
        assert decisions_on(html) == ["not_arrived_received", "not_arrived_cancel"]
        assert 'name="_save"' not in html
        resp = staff_client.post(f"/admin/samples/samplerequest/{first.pk}/decision/not_arrived_received/", {"reason": "物流显示已签收"})
    assert resp.status_code == 302 and resp["Location"] == f"/admin/samples/samplerequest/{second.pk}/change/"
    assert SampleRequest.objects.get(pk=first.pk).state == SampleRequest.State.RECEIVED


def test_22_a_decision_needs_its_permission(client):
    filing = under_review()
    client.force_login(factories.UserFactory(username="viewer", is_staff=True))
    assert client.post(f"{FILINGS}{filing.pk}/decision/approve/", {"reason": ""}).status_code == 403
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW


def test_22_no_read_only_record_shows_a_save_button(client, staff):
    call_command("seed_demo", verbosity=0)
    client.force_login(staff)
    with_save = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in {"core", "shops", "filings", "samples", "flashsales", "ops"}:
            continue
        obj = model_admin.get_queryset(client.get("/admin/").wsgi_request).first()
        if obj is None:
            continue
        resp = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
        # Inlines edit nothing anywhere (test_admin_writes.py): the form alone says it.
        if not resp.context["adminform"].form.fields and 'name="_save"' in resp.content.decode():
            with_save.append(meta.label)
    assert with_save == []


def test_22_staff_keep_reason_templates_per_decision_and_the_page_offers_them(staff_client):
    from core.models import ReasonTemplate

    url = "/admin/core/reasontemplate/add/"
    assert "报备：审核未通过" in staff_client.get(url).content.decode()
    resp = staff_client.post(url, {"kind": "filings.filing.reject", "text": "资质证书已过期，请更新后重新提交。", "position": 0})
    assert resp.status_code == 302
    ReasonTemplate.objects.create(kind="samples.samplerequest.not_arrived_cancel", text="物流丢件")
    filing = under_review()
    html = staff_client.get(f"{FILINGS}{filing.pk}/change/").content.decode()
    assert 'data-for="reject">资质证书已过期，请更新后重新提交。' in html and "物流丢件" not in html
    assert "js/reason_templates" in html
