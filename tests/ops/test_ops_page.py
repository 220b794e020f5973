"""The staff ops page: each sweep's last run, rows moved, lag, due rows, e-mails pending."""

import pytest

from tests.samples.factories import T0, H, request_at, travel


@pytest.mark.django_db
def test_the_ops_page_shows_each_beat_sweep_with_its_lag_and_due_rows(client, staff):
    request_at(T0)
    client.force_login(staff)
    with travel(T0 + 50 * H):
        page = client.get("/admin/ops/").content.decode()
    assert "samples-s4-expire-undecided" in page and "alliance-removals" in page
    assert "7200" in page  # S4's lag: the request has waited 2 h past its 48 h
    assert "封邮件待发送" in page  # the e-mails pending, in the Chinese UI


@pytest.mark.django_db
def test_the_ops_page_is_for_staff_only(merchant_client):
    resp = merchant_client.get("/admin/ops/")
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]


@pytest.mark.django_db
def test_the_admin_index_leads_staff_to_the_ops_page(client, staff):
    client.force_login(staff)
    assert 'href="/admin/ops/"' in client.get("/admin/").content.decode()
    assert "定时任务" in client.get("/admin/ops/").content.decode()  # the app's heading opens the ops page
