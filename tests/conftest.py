import io
import os
from pathlib import Path

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

# The hardening figures (reports/hardening.json): counted from the tests' @pytest.mark.hardening.
pytest_plugins = ["tests.hardening.plugin", "tests.clock_guard"]

ROOT = Path(__file__).resolve().parents[1]


def compile_catalogues(root: Path = ROOT) -> list[Path]:
    """Compile each .po catalogue whose .mo is missing or older than it (the .mo files are
    not committed). With polib, so a fresh clone needs no gettext binaries: `.venv/bin/pytest`
    alone sees the Chinese UI. Returns the catalogues it compiled."""
    compiled = []
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written aside then renamed: the test workers (pytest -n) may compile at the same time.
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        polib.pofile(str(po)).save_as_mofile(str(partial))
        os.replace(partial, mo)
        compiled.append(po)
    return compiled


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller, before any worker starts
        for stale in (ROOT / "reports").glob("axe-*.json"):
            stale.unlink()
    if compile_catalogues():
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
    """Throttle counters (core.throttle) live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    """Tests that need PostgreSQL or Redis are skipped, with the reason printed, only on a
    developer's quick SQLite run; the test command (and CI=true) requires both."""
    from django.conf import settings

    strict = os.environ.get("CI") == "true" or os.environ.get("DAIHUO_REQUIRE_SERVICES") == "1"
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    has_redis = _redis_available()
    if strict and not on_postgres:
        raise pytest.UsageError("The test command needs PostgreSQL: DATABASE_URL is not a postgres:// URL. Run `make test`.")
    if strict and not has_redis:
        raise pytest.UsageError("The test command needs Redis: REDIS_URL is unset or Redis does not answer. Run `make test`.")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (row locks, real concurrency): run `make test`"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs a Redis server: run `make test`"))
