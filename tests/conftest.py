import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

# The hardening figures (reports/hardening.json): counted from the tests' @pytest.mark.hardening.
pytest_plugins = ["tests.hardening.plugin", "tests.clock_guard"]

ROOT = Path(__file__).resolve().parents[1]


def _compile_catalogues():
    """scripts/compile_messages.py (polib): a fresh clone needs no gettext binaries for the
    tests to see the Chinese UI."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_catalogues(ROOT)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller, before any worker starts
        for stale in (ROOT / "reports").glob("axe-*.json"):
            stale.unlink()
    if _compile_catalogues():
        # Django may have looked for a catalogue before it existed: reset its translation
        # caches the way its own test signals do when LOCALE_PATHS changes.
        from django.test.signals import language_changed

        language_changed(setting="LOCALE_PATHS")


def pytest_sessionfinish(session, exitstatus):
    """The browser journeys' axe-core counts (tests/e2e/conftest.py): each process wrote
    reports/axe-<worker>.json; the controller (or the lone process) adds them up into
    reports/axe.json as {"pages": N, "serious": N, "critical": N}."""
    if hasattr(session.config, "workerinput"):
        return
    import json

    parts = [json.loads(p.read_text()) for p in sorted((ROOT / "reports").glob("axe-*.json"))]
    if parts:
        total = {key: sum(p[key] for p in parts) for key in ("pages", "serious", "critical")}
        (ROOT / "reports" / "axe.json").write_text(json.dumps(total))


@pytest.fixture(autouse=True)
def _platform_language(settings):
    """Tests see what users see by default: the Chinese UI."""
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters (core.throttle) live in the cache: each test starts with none, and
    with the cache taken as up (a test that made it fail leaves no open circuit behind)."""
    from django.core.cache import cache

    from core import throttle

    cache.clear()
    throttle._cache_down_until = 0.0
    yield
    cache.clear()
    throttle._cache_down_until = 0.0


@pytest.fixture
def merchant(db):
    return factories.MerchantFactory()


@pytest.fixture
def shop(merchant):
    return factories.ShopFactory(merchant=merchant)


@pytest.fixture
def creator(db):
    return factories.CreatorFactory()


@pytest.fixture
def staff(db):
    return factories.StaffFactory(username="staff")


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant.user)
    return client


@pytest.fixture
def creator_client(client, creator):
    client.force_login(creator.user)
    return client


def pdf_with_pages(pages: int = 1, text: str = "QUALIFICATION") -> bytes:
    """A real PDF of A4 pages (PDFium opens it and draws each), each saying `text` and its number."""
    from PIL import Image, ImageDraw, ImageFont

    images = [Image.new("RGB", (595, 842), "white") for _ in range(pages)]
    for number, image in enumerate(images, start=1):
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 595, 60), fill=(31, 78, 121))
        draw.text((40, 18), f"{text} {number}", fill="white", font=ImageFont.load_default(size=22))
        for row in range(12):
            draw.text((40, 100 + row * 28), f"Line {row + 1}: measured value {row * 7 % 10}.{row} within limits", fill="black",
                      font=ImageFont.load_default(size=14))
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def png_upload():
    def make(name="photo.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


def _redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    """Tests that need Redis are skipped, with the reason printed, when none answers at
    REDIS_URL; the test commands (and CI=true) start one and require it. The database is
    always PostgreSQL (config/settings.py refuses anything else)."""
    strict = os.environ.get("CI") == "true" or os.environ.get("DAIHUO_REQUIRE_SERVICES") == "1"
    has_redis = _redis_available()
    if strict and not has_redis:
        raise pytest.UsageError("The test command needs Redis: REDIS_URL is unset or Redis does not answer. Run `make test`.")
    for item in items:
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs a Redis server: run `make test` or `make quick`"))
