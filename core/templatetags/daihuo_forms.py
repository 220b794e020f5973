"""One form style everywhere: `{% form_fields form %}` renders a form's fields (no <form>
tag, no CSRF: the page writes those) through django-crispy-forms' Bootstrap 5 pack.

Beyond the pack it adds, on the form instance only (a form's `fields` is a per-instance
copy), what a person needs before submitting:
- every file field says the size limit, read from settings.MAX_UPLOAD_BYTES;
- a required checkbox says why it is required when its form did not already say it.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
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


@register.simple_tag(takes_context=True)
def form_fields(context, form: forms.BaseForm):
    add_hints(form)
    helper = getattr(form, "helper", None) or FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return render_crispy_form(form, helper=helper, context=context.flatten())
