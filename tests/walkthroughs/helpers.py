"""What the README walk-through tests share: the demo world 30 minutes after `seed_demo`,
and reading pages as a person does (issue 26, item 6).

Each test is one README walk-through of one role: it logs in as the README says (the demo
password), follows the links by the names the README gives them (商品, 新建商品, 样品申请 → 数据, 更多 →
样品回报…) and does what the README says can be done there, on the demo world as it is 30
minutes after seeding, with beat's sweeps every minute and the demo activity every 3 minutes
in between (as `make run` runs them). A README sentence that stops being true fails here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from shops.management.commands.seed_demo import DEMO_PASSWORD
from tests.conftest import png_bytes
from tests.samples.factories import T0

M = timedelta(minutes=1)
AT = T0 + 30 * M  # "30 minutes of clock after the seed"
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


# -- reading pages as a person does: by the words on them ----------------------------------


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def links(html: str, label: str) -> list[str]:
    """The hrefs of the links whose text is `label` (tags inside the link ignored)."""
    found = []
    for href, inner in re.findall(r'<a\b[^>]*?href="([^"#][^"]*)"[^>]*>(.*?)</a>', html, re.S):
        if text(inner) == label or re.match(re.escape(label) + r"\W", text(inner)):  # 「我的履约分: 9/12」
            found.append(unescape(href))
    return found


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def follow(client, html: str, label: str) -> tuple[str, str]:
    hrefs = links(html, label)
    assert hrefs, f"no link 「{label}」 on the page"
    return hrefs[0], get(client, hrefs[0])


def form_fields(html: str, action: str) -> dict:
    """The values a browser would send from the form posting to `action` (hidden inputs,
    checked boxes, selected options): the one-time keys come along."""
    every = list(re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S))
    forms = [m for m in every if f'action="{action}"' in m.group(1)]
    if not forms:  # a form posting back to its own page
        forms = sorted((m for m in every if 'method="post"' in m.group(1) and 'action="' not in m.group(1).replace('action=""', "")),
                       key=lambda m: -len(m.group(2)))
    assert forms, f"no form posting to {action}"
    body = forms[0].group(2)
    data: dict = {}
    for attrs in re.findall(r"<input\b([^>]*)>", body):
        name = re.search(r'name="([^"]+)"', attrs)
        if not name or "csrf" in name.group(1):
            continue
        kind = (re.search(r'type="([^"]+)"', attrs) or re.search("()", "")).group(1)
        value = unescape((re.search(r'value="([^"]*)"', attrs) or re.search("()", "")).group(1))
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            continue
        if kind in ("submit", "file"):
            continue
        data[name.group(1)] = value
    return data


def post(client, url: str, data: dict, *, status=302, **kwargs):
    response = client.post(url, data, **kwargs)
    assert response.status_code == status, (url, response.status_code, text(response.content.decode())[:600])
    return response


def login(client, username: str) -> str:
    """The README's logins: every demo account takes the demo password."""
    assert f"`{username}`" in README
    post(client, "/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    return username


def board(html: str) -> dict[str, tuple[int, str]]:
    """The to-do board: label → (count, link)."""
    cards = re.findall(r'<a class="card card-body todo-count[^"]*" href="([^"]+)"[^>]*>\s*<span[^>]*>([^<]+)</span>\s*<span[^>]*>(\d+)</span>', html)
    return {label.strip(): (int(count), unescape(href)) for href, label, count in cards}


def image(name="main.png"):
    return SimpleUploadedFile(name, png_bytes((64, 64)), content_type="image/png")


# -- The marketplace core: a walk-through ------------------------------------------------------
