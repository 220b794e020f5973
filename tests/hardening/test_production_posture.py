"""Hole 10: production posture — a Content-Security-Policy without inline script, request
bodies bounded before they reach the disk, unbounded inputs capped, and the 400/403/404/
413/500 pages in Chinese, also with DEBUG on (the demo).

Before the fix no page carried a CSP (and two pages had inline script), a 50 MB body was
written to a temporary file before any form looked at it, a session could be scheduled in
year 9999, a 100k-character attribute list was stored, and DEBUG showed Django's
technical pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from shops.models import LiveSession, Product
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_hole10_every_page_has_a_csp_without_inline_script(merchant_client):
    resp = merchant_client.get("/merchant/")
    csp = resp["Content-Security-Policy"]
    for part in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "img-src 'self' data:"]:
        assert part in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "'unsafe-eval'" not in csp


def test_hole10_no_template_has_inline_script_or_event_handler_attributes():
    offenders = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").glob("**/*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.hardening
def test_hole10_a_body_past_the_limit_is_a_413_before_it_is_read(merchant_client, shop, settings, tmp_path, hardening):
    settings.MAX_REQUEST_BYTES = 200_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    big = SimpleUploadedFile("big.png", b"\x00" * 400_000, content_type="image/png")
    resp = merchant_client.post("/merchant/products/new/", {"shop": shop.pk, "title": "x", "main_image": big})
    assert resp.status_code == 413 and "过大" in resp.content.decode()
    assert list(tmp_path.iterdir()) == [] and not Product.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole10_one_file_past_the_upload_limit_is_stopped_while_it_streams(merchant_client, shop, settings, hardening):
    settings.MAX_UPLOAD_BYTES = 10_000  # the stream stops at this plus 1 MB of slack
    big = SimpleUploadedFile("big.png", b"\x00" * (1024 * 1024 + 20_000), content_type="image/png")
    resp = merchant_client.post("/merchant/products/new/", {"shop": shop.pk, "title": "x", "main_image": big})
    assert resp.status_code == 413
    hardening.hostile()


@pytest.mark.hardening
def test_hole10_a_session_in_year_9999_is_refused(creator_client, hardening):
    resp = creator_client.post("/creator/sessions/new/", {"title": "远未来", "scheduled_start": "9999-12-31T20:00"})
    assert resp.status_code == 200 and "366" in resp.content.decode()
    assert not LiveSession.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole10_a_100k_character_attribute_list_is_refused(merchant_client, shop, hardening):
    data = {"shop": shop.pk, "title": "和田玉", "short_title": "玉", "category": factories.CategoryFactory().pk, "price": "1", "stock": "1",
            "attributes_text": "材质: " + "玉" * 100_000}
    resp = merchant_client.post("/merchant/products/new/", data)
    assert resp.status_code == 200 and not Product.objects.exists()
    hardening.hostile()


@pytest.mark.parametrize("debug", [False, True])
def test_hole10_error_pages_are_in_chinese_with_debug_on_or_off(client, merchant, debug):
    with override_settings(DEBUG=debug):
        client.force_login(merchant.user)
        resp = client.get("/merchant/products/999999999/")
        assert resp.status_code == 404 and "页面不存在" in resp.content.decode()
        resp = client.get("/creator/")
        assert resp.status_code == 403 and "无权访问" in resp.content.decode()
        client.force_login(factories.CreatorFactory().user)
        resp = client.post("/creator/showcase/add/", {"product": "abc"})
        assert resp.status_code == 400 and "无法理解这个请求" in resp.content.decode()


def test_hole10_the_500_page_is_in_chinese_and_standalone(client, settings):
    from core.views import server_error

    html = server_error(None).content.decode()
    assert "出错" in html and "{%" not in html


def test_hole10_with_debug_on_an_error_shows_the_chinese_500_page(rf, settings):
    from core.middleware import FriendlyErrorPagesMiddleware

    settings.DEBUG = True
    request = rf.get("/x/")
    resp = FriendlyErrorPagesMiddleware(lambda r: None).process_exception(request, RuntimeError("boom"))
    assert resp.status_code == 500 and "出错" in resp.content.decode()
