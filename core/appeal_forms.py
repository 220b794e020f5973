"""The appeal form every domain's page shows (AP1): a reason, up to N evidence files (typed
from their bytes by the service through core.uploads), and the one-time key (hole 6)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf", "class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the decision is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    evidence = MultipleFileField(label=_("Evidence (images or PDF, up to 3 files)"))
    submission = SubmissionField()


def refusal_on_form(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal next to the field it names, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
