"""Forms of the samples workspaces: they keep what was typed and show errors by the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_QUANTITY, IdField, IdListField, SubmissionField, SwitchField
from samples import messages as msg
from samples.models import TRACKING_EXAMPLES, Carrier, SampleQuota, ShippingAddress, TriageRule
from samples.services.shipping import clean_tracking
from shops.models import Creator


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
                data["carrier"], data["tracking_number"] = clean_tracking(
                    carrier=data["carrier"], tracking_number=data["tracking_number"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the creator)"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Reason (shown to the creator)")}),
    )


class BulkForm(forms.Form):
    """Approve or reject many requests at once: the ticked ids, the action, a reason."""

    ids = IdListField(required=False)
    action = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")], required=False)
    reason = RejectForm.base_fields["reason"]


class PickForm(forms.Form):
    """S7: the video or the live cart item the promotion was made with (ids from a list)."""

    video = IdField(required=False)
    item = IdField(required=False)

    @classmethod
    def of_videos(cls, videos) -> PickForm:
        """The pick of one of the creator's videos, as the page shows it."""
        form = cls()
        del form.fields["item"]
        form.fields["video"] = forms.ChoiceField(
            label=_("Video"), choices=[(v.pk, f"{v.title} · {timezone.localtime(v.published_at):%m-%d %H:%M}") for v in videos]
        )
        return form

    @classmethod
    def of_live_items(cls, items) -> PickForm:
        """The pick of a live session whose cart held the product, as the page shows it."""
        form = cls()
        del form.fields["video"]
        choices = []
        for i in items:
            parts = [i.session.title, f"{_('in cart from')} {timezone.localtime(i.added_at):%m-%d %H:%M}"]
            if i.explained_at:
                parts.append(str(_("explained")))
            parts.append(_("%(n)s distinct viewers") % {"n": i.session.peak_viewers})
            choices.append((i.pk, " · ".join(str(p) for p in parts)))
        form.fields["item"] = forms.ChoiceField(label=_("Live session"), choices=choices)
        return form


class NewVideoForm(forms.Form):
    """S7 video: publish a new video with the sample's product in its cart."""

    title = forms.CharField(label=_("Video title"), max_length=100)
    url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


# ---------------------------------------------------------------------------------------
# After shipping: the creator's extension (V7) and not-arrived report (V9), the merchant's
# answer and re-shipment


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_number"].label = _("New tracking number")


class RefuseExtensionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the creator)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs.update({"class": "form-control form-control-sm", "placeholder": _("Reason for refusing (shown to the creator)")})


# ---------------------------------------------------------------------------------------
# The merchant's sample settings (V2 quota, V4 triage rules, V5 blocklist)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control")


class QuotaForm(forms.Form):
    """V2: leave the number empty for no quota."""

    limit = forms.IntegerField(label=_("Samples"), min_value=0, max_value=MAX_QUANTITY, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=SampleQuota.Period.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TriageRuleForm(forms.Form):
    """V4: one rule, for one product or one shop of the merchant."""

    name = forms.CharField(label=_("Rule name"), max_length=60)
    action = forms.ChoiceField(label=_("Action"), choices=TriageRule.Action.choices)
    scope = forms.ChoiceField(label=_("Applies to"))
    min_followers = forms.IntegerField(label=_("Followers at least"), min_value=0, required=False)
    min_score = forms.IntegerField(label=_("Fulfilment score at least"), min_value=0, required=False)
    min_past_sales = forms.IntegerField(label=_("Past sales (fulfilled samples) at least"), min_value=0, required=False)
    submission = SubmissionField()  # one rule per tap (hole 6)

    def __init__(self, *args, shops=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shops = {str(s.pk): s for s in shops}
        self.products = {str(p.pk): p for p in products}
        self.fields["scope"].choices = [
            (_("Shops"), [(f"shop:{pk}", _("Every product of %(shop)s") % {"shop": s.name}) for pk, s in self.shops.items()]),
            (_("Products"), [(f"product:{pk}", p.title) for pk, p in self.products.items()]),
        ]
        self.fields["min_score"].help_text = _("Approve rules: the creator meets every threshold set. Decline rules: the creator misses any threshold set.")
        _style(self)

    def clean(self):
        data = super().clean()
        kind, _sep, pk = (data.get("scope") or "").partition(":")
        data["shop"] = self.shops.get(pk) if kind == "shop" else None
        data["product"] = self.products.get(pk) if kind == "product" else None
        if data.get("scope") and data["shop"] is None and data["product"] is None:
            self.add_error("scope", _("Choose one of your shops or products."))
        if all(data.get(f) is None for f in ("min_followers", "min_score", "min_past_sales")):
            raise ValidationError(msg.TRIAGE_THRESHOLD_REQUIRED)
        return data


class RuleSwitchForm(forms.Form):
    """V4: a triage rule on (1) or off (0)."""

    on = SwitchField()


class BlockForm(forms.Form):
    """V5: block a creator by their platform ID, with a reason the creator does not see."""

    platform_id = forms.CharField(label=_("Creator platform ID"), max_length=32)
    reason = forms.CharField(label=_("Reason (recorded; not shown to the creator)"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_platform_id(self):
        value = self.cleaned_data["platform_id"].strip()
        creator = Creator.objects.filter(platform_id=value).first()
        if creator is None:
            raise ValidationError(_("No creator has this platform ID."))
        self.creator = creator
        return value


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Reason for lifting"), max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Reason for lifting (recorded)")}),
    )


# ---------------------------------------------------------------------------------------
# 收货地址: the creator's address book, and the address a new request ships to


class AddressForm(forms.ModelForm):
    """One address of the creator's book; the model checks the phone's shape."""

    submission = SubmissionField()  # a new address is added once per tap (hole 6)

    class Meta:
        model = ShippingAddress
        fields = ["name", "phone", "province", "city", "district", "street", "is_default"]
        help_texts = {"is_default": _("New sample requests ship here unless you choose another address.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        for name, field in self.fields.items():
            if name != "is_default":
                field.widget.attrs.setdefault("class", "form-control")


class SampleAskForm(forms.Form):
    """S1: a sample request: the address it ships to (one of the creator's own) and a note."""

    address = forms.ModelChoiceField(
        label=_("Ship to"), queryset=ShippingAddress.objects.none(), required=False,
        error_messages={"invalid_choice": msg.ADDRESS_NOT_YOURS},
    )  # left out: the creator's default (the service refuses when there is none, after S1/S2)
    note = forms.CharField(label=_("Note to the merchant"), max_length=300, required=False)

    def __init__(self, *args, creator: Creator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = ShippingAddress.objects.filter(creator=creator)


class ShipSheetForm(forms.Form):
    """批量发货 (issue 24): the filled-in shipping template, .xlsx or CSV (typed from its bytes).
    A file that cannot be used as a whole (not a spreadsheet, columns missing, merged cells,
    too many rows, a zip bomb) is an error here: nothing ships."""

    file = forms.FileField(label=_("Filled-in shipping template (.xlsx or CSV)"))
    submission = SubmissionField()  # one upload acted on once, however often it is posted (hole 6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.csv"})

    def clean_file(self):
        from core.sheets import read_table
        from samples.services.ship_sheet import max_rows, rows_from_table

        upload = self.cleaned_data["file"]
        table = read_table(upload, max_rows=max_rows())
        self.cleaned_data["kind"] = table.kind
        self.cleaned_data["rows"] = rows_from_table(table)
        return upload
