"""The webhook endpoint form of the merchant workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api.webhooks.models import Event
from core.forms import SubmissionField


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("Your receiver, e.g. https://erp.example.com/hooks/daihuo"))
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    description = forms.CharField(label=_("Description"), max_length=100, required=False)
    submission = SubmissionField()  # one endpoint per tap: a twin would get every event twice (hole 6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("url", "description"):
            self.fields[name].widget.attrs["class"] = "form-control"
