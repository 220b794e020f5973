"""/metrics: only staff or a scraper with the bearer token; the sweep lag rises while no
sweep runs and falls when one has."""

import re

import pytest
from django.test import Client

from tests.samples.factories import T0, H, request_at, travel

TOKEN = "metrics-test-token-0123456789abcdef"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client=None, **headers):
    return (client or Client()).get("/metrics", **headers)


def gauge(text: str, name: str, **labels) -> float:
    """The value of the sample `name` whose labels include `labels`."""
    for line in text.splitlines():
        match = re.fullmatch(re.escape(name) + r"(?:\{(.*)\})? (\S+)", line)
        if match and labels.items() <= dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or "")).items():
            return float(match.group(2))
    raise AssertionError(f"{name} {labels} not in the exposition")


@pytest.mark.django_db
def test_metrics_refuse_anonymous_callers_with_401(token):
    resp = scrape()
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_metrics_refuse_a_wrong_token(token):
    assert scrape(HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 401


@pytest.mark.django_db
def test_metrics_refuse_everyone_but_staff_when_no_token_is_configured(settings):
    settings.METRICS_TOKEN = ""
    assert scrape(HTTP_AUTHORIZATION="Bearer ").status_code == 401


@pytest.mark.django_db
def test_metrics_refuse_a_logged_in_merchant_with_403(token, merchant_client):
    assert scrape(merchant_client).status_code == 403


@pytest.mark.django_db
def test_metrics_answer_the_scraper_token_and_count_requests_by_view(token, client):
    client.get("/healthz")
    resp = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert resp.status_code == 200
    text = resp.content.decode()
    assert gauge(text, "daihuo_http_requests_total", view="healthz", method="GET", status="200") >= 1
    assert "daihuo_http_request_duration_seconds_bucket" in text
    assert "daihuo_emails_pending" in text


@pytest.mark.django_db
def test_metrics_answer_staff_logged_in(client, staff):
    client.force_login(staff)
    assert scrape(client).status_code == 200


@pytest.mark.django_db
def test_s4_lag_rises_while_no_sweep_runs_and_falls_to_zero_once_the_sweep_has_run(token):
    from samples import tasks

    request_at(T0)  # decide_by = T0 + 48 h

    def lag():
        return gauge(scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode(), "daihuo_sweep_lag_seconds", clock="s4_decide")

    with travel(T0 + 47 * H):
        assert lag() == 0
    with travel(T0 + 49 * H):
        first = lag()
    with travel(T0 + 51 * H):
        later = lag()
        assert first == pytest.approx(3600) and later == pytest.approx(3 * 3600)
        assert tasks.sweep_expire_undecided.delay().get() == 1
        assert lag() == 0
        text = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert gauge(text, "daihuo_sweep_rows_moved_total", task="samples.tasks.sweep_expire_undecided") == 1
    assert gauge(text, "daihuo_task_runs_total", task="samples.tasks.sweep_expire_undecided") == 1
    assert gauge(text, "daihuo_task_failures_total", task="samples.tasks.sweep_expire_undecided") == 0
