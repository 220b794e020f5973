"""The import contracts for templates: import-linter sees Python only, so a `shops` page that
loads a domain's template tags or includes a domain's template would reach up unseen. Each
template may load tag libraries and include or extend templates of its own layer and the
layers below (domains -> shops -> core, the project's templates/ with core), and the domains
none of each other's; what a domain adds to a lower page arrives through core.slots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("filings", "samples", "flashsales")
BELOW = {"core": {"core"}, "shops": {"core", "shops"}, **{d: {"core", "shops", d} for d in DOMAINS}}

LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
REFERENCE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def _owner_of_library(name: str) -> str | None:
    for app in BELOW:
        if (ROOT / app / "templatetags" / f"{name}.py").exists():
            return app
    return None  # Django's own (i18n, static…) or a third party's


def _owner_of_template(name: str) -> str | None:
    for app in BELOW:
        if (ROOT / app / "templates" / name).exists():
            return app
    return "core" if (ROOT / "templates" / name).exists() else None


def _templates():
    for app in BELOW:
        for path in sorted((ROOT / app / "templates").rglob("*.html")):
            yield app, path
    for path in sorted((ROOT / "templates").rglob("*.html")):
        yield "core", path  # the project's base layout and menus sit with the kernel


def _reaches(app: str, path: Path) -> list[str]:
    text = path.read_text()
    found = []
    for libraries in LOAD.findall(text):
        for library in libraries.split():
            if library == "from":
                break  # {% load x from lib %}: the library is named last
            owner = _owner_of_library(library)
            if owner and owner not in BELOW[app]:
                found.append(f"loads {library} ({owner})")
    for name in REFERENCE.findall(text):
        owner = _owner_of_template(name)
        if owner and owner not in BELOW[app]:
            found.append(f"includes {name} ({owner})")
    return found


def test_templates_of_a_lower_layer_reach_no_higher_app_and_domains_not_each_other():
    reaching = {str(path.relative_to(ROOT)): found for app, path in _templates() if (found := _reaches(app, path))}
    assert reaching == {}


@pytest.mark.parametrize("page, reaching", [
    ("{% load samples_tags %}", ["loads samples_tags (samples)"]),
    ('{% include "filings/includes/state_badge.html" %}', ["includes filings/includes/state_badge.html (filings)"]),
    ('{% load i18n slots %}{% include "includes/pagination.html" %}', []),
])
def test_the_layer_check_sees_a_load_and_an_include(tmp_path, page, reaching):
    shops_page = tmp_path / "page.html"
    shops_page.write_text(page)
    assert _reaches("shops", shops_page) == reaching
