"""Browser journeys: Debian's headless Chromium driven by Playwright against a live server.

Every page a journey checks goes through axe-core (vendored in tests/e2e/vendor/, injected
into the page): a serious or critical violation fails the journey. The run writes what it
checked to reports/axe.json ({"pages": N, "serious": N, "critical": N}): each process keeps
its own file (reports/axe-<worker>.json) and the controller (or the lone process) merges them
when the session ends (the hooks are in tests/conftest.py: the controller of a whole-suite
run under xdist never loads this directory's conftest). Each journey's last page is photographed at 1280 and 390 px into
reports/screens/ (not committed).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
SCREENS = REPORTS / "screens"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
BLOCKING = ("serious", "critical")

_checked: dict[str, int] = {"pages": 0, "serious": 0, "critical": 0}
_pages: list[dict] = []


def _worker(config) -> str:
    return getattr(config, "workerinput", {}).get("workerid", "main")


def _write_own(config) -> None:
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / f"axe-{_worker(config)}.json").write_text(json.dumps({**_checked, "checked": _pages}, ensure_ascii=False, indent=1))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (each journey opens its own context, closed after it):
    launching it per journey cost a second or two each under load."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # live_server + sync Playwright
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Journey:
    """One person's browser tab in a journey: log in, open pages, submit forms; `check()`
    runs axe on the current page."""

    def __init__(self, browser, base: str, config, *, width: int = 1280, locale: str = "zh-CN"):
        # axe-core is injected as a script the page's CSP (script-src 'self') would block;
        # the CSP itself is checked by tests/e2e/test_browser.py, without this bypass.
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale, bypass_csp=True)
        self.page = self.context.new_page()
        self.base = base
        self.config = config

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self

    def login(self, user, *, admin: bool = False):
        self.open("/admin/login/" if admin else "/accounts/login/")
        self.page.fill("input[name=username]", user.get_username())
        self.page.fill("input[name=password]", "pw")
        with self.page.expect_navigation():
            self.page.click("input[type=submit]" if admin else "main button[type=submit]")
        return self

    def submit(self, selector: str):
        """Click a submit button and wait for the page the server answers with."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state("load")
        return self

    def text(self, selector: str = "body") -> str:
        return self.page.inner_text(selector)

    def check(self, name: str) -> list[dict]:
        """axe-core on the page as it is now: fails on a serious or critical violation."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [v for v in result["violations"] if v.get("impact") in BLOCKING]
        _checked["pages"] += 1
        for v in violations:
            _checked[v["impact"]] += 1
        _pages.append({"name": name, "url": self.page.url, "violations": [v["id"] for v in violations]})
        _write_own(self.config)
        assert not violations, f"{name} ({self.page.url}): " + "; ".join(
            f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in violations
        )
        return violations

    def screens(self, name: str) -> None:
        """The page at desktop and phone width, into reports/screens/."""
        SCREENS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        for width in (1280, 390):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=str(SCREENS / f"{slug}-{width}.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, live_server, request):
    """`journey(user=None, width=1280, admin=False)`: a new tab, logged in as `user`."""
    opened = []

    def make(user=None, *, width: int = 1280, admin: bool = False, locale: str = "zh-CN") -> Journey:
        j = Journey(browser, live_server.url, request.config, width=width, locale=locale)
        opened.append(j)
        if user is not None:
            j.login(user, admin=admin)
        return j

    yield make
    for j in opened:
        j.close()
