"""One form style everywhere: `{% form_fields form %}` renders a form's fields (no <form>
tag, no CSRF: the page writes those) through django-crispy-forms' Bootstrap 5 pack.

Beyond the pack it adds, on the form instance only (a form's `fields` is a per-instance
copy), what a person needs before submitting:
- every file field says the size limit, read from settings.MAX_UPLOAD_BYTES;
- a required checkbox says why it is required when its form did not already say it.

Options for compact forms (filter bars, the action cards of a page), still one style:
- layout="row": the visible fields side by side in a Bootstrap row (stacked on a phone);
  cols="col-md-3, col-md-6" gives each field its column classes in order, the last
  repeated (default col-md);
- labels="hidden": labels kept for screen readers but not shown (a filter bar whose
  placeholders and headings already say what each box is);
- small=True: the small inputs of a card or a bar;
- id_suffix=<pk>: the same form shown once per row of a list gets ids of its own.
"""

from __future__ import annotations

import copy

from crispy_forms.bootstrap import Field
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


def upload_hint() -> str:
    return _("Files up to %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}


def add_hints(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        help_text = str(field.help_text or "")
        if isinstance(field, forms.FileField) and "MB" not in help_text:
            gap = "" if not help_text or help_text.endswith(("。", "；")) else " "  # Chinese needs no space after 。
            field.help_text = f"{help_text}{gap}{upload_hint()}"
        elif isinstance(field, forms.BooleanField) and field.required and not help_text:
            field.help_text = _("Required: tick it to confirm you read the above; nothing is submitted without it.")


def _small(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.HiddenInput)):
        return ""
    return "form-select-sm" if isinstance(widget, forms.Select) else "form-control-sm"


@register.simple_tag(takes_context=True)
def form_fields(context, form: forms.BaseForm, layout: str = "", cols: str = "", labels: str = "", small: bool = False, id_suffix=""):
    if id_suffix != "":
        form = copy.copy(form)
        form.auto_id = f"id_{id_suffix}_%s"
        form._bound_fields_cache = {}
    add_hints(form)
    helper = copy.copy(getattr(form, "helper", None) or FormHelper())
    helper.form_tag = False
    helper.disable_csrf = True
    if labels == "hidden":
        helper.label_class = "visually-hidden"
    if layout == "row" or small:
        names = [name for name, field in form.fields.items() if not isinstance(field.widget, forms.HiddenInput)]
        hidden = [name for name in form.fields if name not in names]
        items = [Field(name, css_class=_small(form.fields[name]) if small else "") for name in names]
        if layout == "row":
            classes = [c.strip() for c in cols.split(",")] if cols else ["col-md"]
            classes += [classes[-1]] * (len(items) - len(classes))
            items = [Row(*(Column(item, css_class=cls) for item, cls in zip(items, classes, strict=False)), css_class="g-2")]
        helper.layout = Layout(*items, *hidden)
    return render_crispy_form(form, helper=helper, context=context.flatten())
