"""Issue 26: what a newcomer met in the first ten minutes."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_api_docs_page_runs_no_inline_script_so_the_csp_lets_it_start(client):
    resp = client.get(reverse("api:docs"))
    assert resp.status_code == 200
    html = resp.content.decode()
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts), scripts
    assert 'src="/api/v1/docs/?script="' in html
    init = client.get(reverse("api:docs") + "?script")
    assert init.status_code == 200
    assert "SwaggerUIBundle" in init.content.decode()
    assert "/api/v1/schema/" in init.content.decode()
