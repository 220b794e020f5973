"""Chinese by default, English on request, and the Chinese catalogue complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_ui_is_chinese_by_default_and_english_through_the_switch(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page and 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_person_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page


@pytest.mark.django_db
def test_refusal_messages_follow_the_users_language(creator_client, creator):
    from tests import factories

    session = factories.LiveSessionFactory(creator=creator)
    product = factories.AllianceListingFactory().product
    creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk})
    zh = creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk}, follow=True)
    assert "该商品已在购物车中。" in zh.content.decode()
    creator_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk}, follow=True)
    assert "This product is already in the cart." in en.content.decode()


def catalogues(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def incomplete(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_committed_catalogues_are_complete():
    found = catalogues(ROOT)
    assert found, "no Chinese catalogue found"
    for path in found:
        assert incomplete(path) == [], f"untranslated in {path.relative_to(ROOT)}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext (make test installs it)")
def test_every_translatable_string_in_the_code_has_a_chinese_translation(tmp_path):
    """Re-extract the strings from a copy of the source: nothing may come out untranslated."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "media", "var", "reports", "staticfiles", "__pycache__", "*.mo", "node_modules"),
    )
    for app in ("core", "shops", "filings", "samples", "flashsales", "ops"):
        (copy / app / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    ignores = []
    for pattern in [".venv/*", "staticfiles/*", "tests/*", "scripts/*", "*/migrations/*", "media/*", "var/*"]:
        ignores += ["-i", pattern]
    proc = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete", *ignores],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    problems = {str(p.relative_to(copy)): incomplete(p) for p in catalogues(copy)}
    assert {k: v for k, v in problems.items() if v} == {}
