"""#23: gunicorn's own pages (a request killed at --timeout, a request line too long) are the
product's Chinese page, never gunicorn's English "Internal Server Error". A real gunicorn with
the product's config file (config/gunicorn.py) and a one-second timeout."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.hardening import processes as p


@pytest.fixture
def slow_gunicorn():
    port = p.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.ops.slow_wsgi:app", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "1", "--no-control-socket", "--limit-request-line", "200"],
        cwd=p.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert p.wait_for(lambda: _listening(port), timeout=20), "gunicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        p.stop(proc)


def _listening(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def test_a_request_killed_at_the_timeout_gets_the_chinese_error_page(slow_gunicorn):
    status, content_type, page = _get(slow_gunicorn + "/slow")
    assert status == 500 and content_type == "text/html; charset=utf-8"
    assert "出错了" in page and "Internal Server Error" not in page


def test_a_request_line_too_long_gets_a_chinese_page_without_the_input(slow_gunicorn):
    status, _, page = _get(slow_gunicorn + "/" + "x" * 400 + "<script>")
    assert status == 414 and "网址太长" in page and "xxxx" not in page and "<script>" not in page
