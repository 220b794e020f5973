"""Forms of samples at volume (V7, V9): they keep what was typed and show errors by the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samples.forms import ShipForm


class ExtensionForm(forms.Form):
    """V7: the creator's reason for more time (the merchant sees it)."""

    reason = forms.CharField(label=_("Why you need more time"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"


class NotArrivedForm(forms.Form):
    """V9: the creator's optional note when reporting the parcel as not arrived."""

    note = forms.CharField(label=_("What happened (optional)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["class"] = "form-control"


class ReshipForm(ShipForm):
    """V9: a new parcel, a new tracking number (checked for the carrier's format)."""


class RefuseExtensionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the creator)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs.update({"class": "form-control form-control-sm", "placeholder": _("Reason for refusing (shown to the creator)")})
