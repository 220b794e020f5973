"""#13, one form style everywhere: a field a person fills is rendered by {% form_fields %}
(crispy-forms, Bootstrap 5: label above or visually hidden, error beside the field, the
upload limit, the reason a checkbox is required), never written by hand in a template.

This walks every template of the product and fails on a hand-written <input>, <select>,
<textarea>, a widget printed bare ({{ form.field }}) or a whole form printed by Django
({{ form }}, form.as_p), unless ALLOWED below names it with the reason it stays."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

# Hidden inputs carry an id, an action or the page to return to: nobody reads or fills them.
HIDDEN = re.compile(r'<input\b[^>]*\btype="hidden"')
TAG = re.compile(r"<(input|select|textarea)\b[^>]*>", re.S)
WHOLE_FORM = re.compile(r"\{\{\s*[\w.]*form(\.as_(p|table|ul|div))?\s*\}\}")
BARE_WIDGET = re.compile(r"\{\{\s*([\w.]*form)\.(\w+)\s*\}\}")
NOT_A_WIDGET = {"errors", "non_field_errors", "media", "submission", "as_p", "as_table", "as_ul", "as_div"}  # submission: the hidden one-time key
NAME = re.compile(r'\bname="([^"]*)"')

# (template, field name) -> why it is written by hand.
ALLOWED = {
    # Read-only secrets shown once to be copied: not fields of a form.
    ("api/templates/api/keys.html", "-"): "the new API key, shown once, read-only, to copy",
    ("api/templates/api/webhooks.html", "-"): "the new signing secret, shown once, read-only, to copy",
    # Selection boxes of a list's rows: part of the table (one per row, labelled by the row).
    ("samples/templates/samples/merchant/inbox.html", "ids"): "the row checkboxes of the bulk decision table",
    ("shops/templates/shops/alliance_removal/alliance.html", "products"): "the row checkboxes of the alliance table",
    # Not a form field: a select whose script sets the form's action (the session to add to).
    ("shops/templates/shops/creator/marketplace_detail.html", "-"): "picks the live session the form posts to (no name, not posted)",
}


def templates():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            rel = path.relative_to(ROOT).as_posix()
            if "/admin/" in f"/{rel}":
                continue  # the Django admin's own templates: its own form style, not the product's
            yield rel, path.read_text(encoding="utf-8")


def hand_written(text: str):
    for match in TAG.finditer(text):
        tag = match.group(0)
        if HIDDEN.match(tag):
            continue
        name = NAME.search(tag)
        yield match.group(1), (name.group(1) if name and "{" not in name.group(1) else "-")
    for match in WHOLE_FORM.finditer(text):
        yield "form", match.group(0)
    for match in BARE_WIDGET.finditer(text):
        if match.group(2) not in NOT_A_WIDGET:
            yield "widget", match.group(2)


def test_13_no_form_field_is_written_by_hand_outside_the_allow_list():
    found = {(rel, name): kind for rel, text in templates() for kind, name in hand_written(text)}
    unexplained = sorted(f"{rel}: <{kind}> {name}" for (rel, name), kind in found.items() if (rel, name) not in ALLOWED)
    assert not unexplained, "render these through {% form_fields %} (or allow them with a reason):\n" + "\n".join(unexplained)


def test_13_the_allow_list_names_only_what_is_still_there_each_with_a_reason():
    found = {(rel, name) for rel, text in templates() for _kind, name in hand_written(text)}
    stale = sorted(f"{rel}: {name}" for rel, name in ALLOWED if (rel, name) not in found)
    assert not stale, "no longer written by hand, drop from ALLOWED:\n" + "\n".join(stale)
    assert all(reason.strip() for reason in ALLOWED.values())


def test_13_the_walk_sees_a_hand_written_field():
    text = '<input class="form-control" name="q"><input type="hidden" name="next"> {{ form.as_p }} {{ video_form.title }} {{ form.errors }}'
    assert list(hand_written(text)) == [("input", "q"), ("form", "{{ form.as_p }}"), ("widget", "title")]
