"""The big admin changelists build their rows' links and checkboxes once per page
(core.admin_lists.QuickRows, issue #12 pages) and give byte for byte the HTML Django's own
rows give: the same links (with the list's filters kept), the same checkboxes."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from core.admin_lists import QuickChangeList, QuickRows, TrueOrderIndicators
from tests.filings.factories import FilingFactory
from tests.flashsales.factories import FlashSaleFactory
from tests.samples.factories import request_at

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub(b"csrf", response.content)


def django_rows(monkeypatch):
    """Put Django's own changelist and checkbox back for the rest of the test (with the true
    sort arrows of the headers, which are not the rows' business)."""
    monkeypatch.setattr(QuickRows, "get_changelist", lambda self, request, **kw: type("DjangoRows", (TrueOrderIndicators, ChangeList), {}))
    monkeypatch.setattr(QuickRows, "action_checkbox", admin.ModelAdmin.action_checkbox)


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (lambda: request_at(), "/admin/samples/samplerequest/"),
        (lambda: request_at(), "/admin/samples/samplerequest/?state=requested&o=2"),
        (lambda: FilingFactory(), "/admin/filings/filing/?state=all"),
        (lambda: FilingFactory(), "/admin/filings/filing/?state=all&o=-1"),
        (lambda: FlashSaleFactory(), "/admin/flashsales/flashsale/"),
        (lambda: FlashSaleFactory(), "/admin/flashsales/flashsale/?status__exact=draft&_popup=1&_to_field=id"),
    ],
    ids=["samples", "samples-filtered", "filings", "filings-ordered", "flash-sales", "flash-sales-popup"],
)
def test_admin_quick_rows_give_the_html_of_djangos_rows(admin_client, monkeypatch, make, url):
    for _ in range(3):
        make()
    quick = page(admin_client, url)
    assert b'class="action-select"' in quick or b"_popup" in url.encode()
    django_rows(monkeypatch)
    assert page(admin_client, url) == quick


def test_admin_quick_rows_link_keeps_the_filters_and_reverses_once(admin_client, monkeypatch):
    samples = [request_at() for _ in range(3)]
    calls = []
    original = QuickChangeList.url_for_result

    def counted(self, result):
        calls.append(self._link_parts)
        return original(self, result)

    monkeypatch.setattr(QuickChangeList, "url_for_result", counted)
    html = page(admin_client, "/admin/samples/samplerequest/?state=requested")
    for sample in samples:
        assert f'href="/admin/samples/samplerequest/{sample.pk}/change/?_changelist_filters=state%3Drequested"'.encode() in html
    assert calls[0] is None and all(parts is not None for parts in calls[1:])  # reversed for the first row only
