"""Forms of the samples workspaces: they keep what was typed and show errors by the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samples import services
from samples.models import TRACKING_EXAMPLES, Carrier


class ShipForm(forms.Form):
    """S5: carrier from the list, tracking number checked for that carrier's format."""

    carrier = forms.ChoiceField(label=_("Carrier"), choices=[("", "—")] + list(Carrier.choices))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40)
    # V10: optional; counted with the product's price as the sample's cost.
    shipping_cost = forms.DecimalField(
        label=_("Shipping cost (yuan, optional)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].widget.attrs["class"] = "form-select"
        self.fields["shipping_cost"].widget.attrs.update({"class": "form-control", "inputmode": "decimal", "step": "0.01"})
        self.fields["tracking_number"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})
        self.fields["tracking_number"].help_text = _("For example: %(examples)s") % {
            "examples": ", ".join(f"{Carrier(c).label} {e}" for c, e in list(TRACKING_EXAMPLES.items())[:3])
        }

    def clean(self):
        data = super().clean()
        if data.get("carrier") and data.get("tracking_number"):
            try:
                data["carrier"], data["tracking_number"] = services.clean_tracking(
                    carrier=data["carrier"], tracking_number=data["tracking_number"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the creator)"), max_length=300, required=False)


class NewVideoForm(forms.Form):
    """S7 video: publish a new video with the sample's product in its cart."""

    title = forms.CharField(label=_("Video title"), max_length=100)
    url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

