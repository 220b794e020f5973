"""A real browser (Debian's headless Chromium driven by Playwright) against a live server."""

import os
import shutil

import pytest

from tests import factories

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("chromium") and not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)"),
]


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # live_server + sync Playwright
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.django_db(transaction=True)
def test_creator_logs_in_filters_the_marketplace_and_switches_to_english(live_server, browser):
    creator = factories.CreatorFactory(user__username="c_e2e")
    factories.AllianceListingFactory(product__title="和田玉手镯")
    factories.AllianceListingFactory(product__title="麻辣牛肉干")
    # Desktop width: the header's language switch is visible without opening the phone menu
    # (clicking into Bootstrap's collapsing menu while it animates made this test flaky).
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", creator.user.username)
    page.fill("input[name=password]", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/creator/")
    page.goto(f"{live_server.url}/creator/marketplace/")
    page.fill("input[name=q]", "手镯")
    page.click("main button[type=submit]")
    page.wait_for_url("**/creator/marketplace/?q=*")
    assert page.locator(".card-product").count() == 1
    assert "和田玉手镯" in page.inner_text("main")
    # The switch posts and redirects back: wait for the English page, not the old one.
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    assert "Marketplace" in page.inner_text("main")


@pytest.mark.django_db(transaction=True)
def test_the_phone_layout_folds_the_navigation_into_a_menu(live_server, browser):
    creator = factories.CreatorFactory(user__username="c_phone")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", creator.user.username)
    page.fill("input[name=password]", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/creator/")
    assert page.is_visible("button.navbar-toggler")
    assert not page.is_visible("a.nav-link[href='/creator/marketplace/']")
    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainnav.show")
    assert page.is_visible("a.nav-link[href='/creator/marketplace/']")


@pytest.mark.django_db(transaction=True)
def test_fs6_the_live_room_updates_in_place_as_units_sell_and_a_sold_out_sale_leaves(live_server, browser):
    """htmx polls the room: the remaining stock changes and a sold-out flash sale leaves the
    bag, all without reloading the page."""
    from flashsales.models import FlashSale
    from tests.flashsales import factories as ff

    sale = ff.FlashSaleFactory(quantity=5, title="冰种手镯")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/live/{sale.session_id}/")
    page.wait_for_selector("[data-testid=panel] >> text=剩余 5 件")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    FlashSale.objects.filter(pk=sale.pk).update(sold_count=3)
    page.wait_for_selector("[data-testid=panel] >> text=剩余 2 件", timeout=15_000)
    FlashSale.objects.filter(pk=sale.pk).update(sold_count=5, status=FlashSale.Status.SOLD_OUT)
    # (a selector wait, not wait_for_function: the page's CSP forbids evaluating strings)
    page.wait_for_selector("#panel >> text=冰种手镯", state="detached", timeout=15_000)
    assert page.evaluate("window.sameDocument") is True


@pytest.mark.django_db(transaction=True)
def test_hole10_under_the_csp_the_console_scripts_run_and_nothing_is_blocked(live_server, browser):
    """The flash-sale console's script is a static file now: its mode toggle works and the
    browser reports no Content-Security-Policy violation on the page."""
    from django.conf import settings as django_settings

    from tests.flashsales import factories as ff

    session = ff.LiveSessionFactory()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": _session_for(session.creator.user), "url": live_server.url}])
    page.goto(f"{live_server.url}/creator/flash-sales/sessions/{session.pk}/")
    if page.get_attribute("[data-testid=new-flash-sale]", "open") is None:
        page.click("[data-testid=new-flash-sale] > summary")  # folded during a broadcast (#13)
    assert not page.is_visible("#target-row")
    page.check("input[name=mode][value=targeted]")
    page.wait_for_selector("#target-row", state="visible")
    page.click("#fs-form button[type=submit]")  # forms.js disables the button once sent
    page.wait_for_load_state()
    assert violations == []


def _session_for(user) -> str:
    from importlib import import_module

    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key
