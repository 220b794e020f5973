"""What a browser posts from an admin change or add page: every field as the page shows it,
and each inline's management form, so a test changes only what a reviewer would change."""

from __future__ import annotations

from django import forms
from django.db.models.fields.files import FieldFile


def _put(data: dict, name: str, field: forms.Field, value) -> None:
    if value is None or isinstance(value, FieldFile):  # a file is posted only when replaced
        return
    if isinstance(field.widget, forms.MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else field.widget.decompress(value)
        for i, part in enumerate(parts):
            if part is not None:
                data[f"{name}_{i}"] = part
    elif isinstance(field, forms.BooleanField):
        if value:
            data[name] = "on"
    elif isinstance(value, (list, tuple)):
        data[name] = [v for v in value]
    else:
        data[name] = value


def admin_post_data(resp, **changes) -> dict:
    """The POST a reviewer sends after opening the page `resp` and changing `changes`."""
    form = resp.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        _put(data, name, field, form[name].value())
    for inline in resp.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name, field in sub.fields.items():
                _put(data, sub.add_prefix(name), field, sub[name].value())
    for name, value in changes.items():
        field = form.fields.get(name)
        data.pop(name, None)
        if field is not None and isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif field is not None and isinstance(field.widget, forms.MultiWidget):
            _put(data, name, field, value)
        else:
            data[name] = value
    return data
