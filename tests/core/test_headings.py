"""#13, no duplicated headings: a page title may carry the platform's Chinese term beside the
translated title (精选联盟, 样品回报…) for readers of the English UI, but in Chinese the title
already is that term (「样品回报 样品回报」 was seen). Walks every template of the product."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
# A Chinese term in a <small> inside a heading.
TERM = re.compile(r"<h[1-6][^>]*>(?P<heading>(?:(?!</h[1-6]>).)*?<small[^>]*>[\u4e00-\u9fff]+</small>(?:(?!</h[1-6]>).)*)</h[1-6]>", re.S)
GUARDED = re.compile(r'\{% if LANGUAGE_CODE != "zh-hans" %\}\s*<small[^>]*>[\u4e00-\u9fff]+</small>\s*\{% endif %\}')


def headings_with_a_chinese_term():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            for match in TERM.finditer(path.read_text(encoding="utf-8")):
                yield path.relative_to(ROOT).as_posix(), match.group("heading")


def test_the_walk_finds_the_headings_it_checks():
    assert len(list(headings_with_a_chinese_term())) >= 9


@pytest.mark.parametrize(("template", "heading"), list(headings_with_a_chinese_term()))
def test_a_chinese_term_beside_a_title_shows_only_outside_chinese(template, heading):
    assert GUARDED.search(heading), f"{template}: {heading.strip()}"
