"""Forms of the marketplace: products, alliance listings, live sessions; `styled` for plain forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import IdField, IdListField, SubmissionField, SwitchField
from core.uploads import IMAGES, UploadField, validate_image_upload
from shops.models import AllianceListing, Category, LiveSession, Product, Shop
from shops.sample_switch import sample_switch_refusal


def styled(form: forms.Form) -> None:
    """Bootstrap classes on a plain form's widgets (check boxes and radios keep theirs)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > 9:
            raise ValidationError(_("Upload at most 9 detail images."))
        return [validate_image_upload(f) for f in files]


class ProductForm(forms.ModelForm):
    attributes_text = forms.CharField(
        label=_("Attributes"),
        required=False,
        max_length=2000,  # every text a person types has a bound
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("One per line, e.g. 材质: 和田玉")}),
        help_text=_("One attribute per line as “name: value”."),
    )
    # By its bytes, renamed <random>.<png|jpg> before the model field's extension check.
    main_image = UploadField(allowed=IMAGES, label=_("main image"), required=False, widget=forms.ClearableFileInput)
    submission = SubmissionField()  # a create acted on once (hole 6)
    detail_images_upload = MultipleImageField(
        label=_("Detail images"), required=False, help_text=_("JPEG or PNG, up to 9; uploading replaces the current ones.")
    )

    class Meta:
        model = Product
        fields = ["shop", "title", "short_title", "category", "price", "stock", "main_image", "is_virtual", "is_zero_price_lottery"]

    def __init__(self, *args, merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = Shop.objects.filter(merchant=merchant, status=Shop.Status.OPEN)
        self.fields["category"].queryset = Category.objects.all()
        self.fields["main_image"].help_text = _("JPEG or PNG, at most %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        self.fields["is_zero_price_lottery"].help_text = _(
            "0元购 needs the platform's offline approval before it can go on sale; the lottery tool (好运来) is the faster choice."
        )
        if self.instance.pk:
            self.fields.pop("shop")
            self.initial["attributes_text"] = "\n".join(f"{k}: {v}" for k, v in (self.instance.attributes or {}).items())

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is not None and price < 0:
            raise ValidationError(_("The price cannot be negative."))
        return price

    def clean_attributes_text(self):
        attributes: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data.get("attributes_text", "").splitlines(), start=1):
            if not line.strip():
                continue
            sep = ":" if ":" in line else ("：" if "：" in line else None)
            if sep is None:
                raise ValidationError(_("Line %(n)s: write the attribute as “name: value”.") % {"n": n})
            name, value = (part.strip() for part in line.split(sep, 1))
            if not name:
                raise ValidationError(_("Line %(n)s: the attribute has no name.") % {"n": n})
            attributes[name] = value
        return attributes

    def clean(self):
        data = super().clean()
        if data.get("is_zero_price_lottery") and data.get("price") not in (None, 0):
            self.add_error("price", _("A zero-price lottery (0元购) product has a price of 0."))
        return data

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data and k != "shop"}
        if not data.get("main_image"):
            data.pop("main_image", None)
        data["attributes"] = self.cleaned_data["attributes_text"]
        return data


class AllianceListingForm(forms.ModelForm):
    class Meta:
        model = AllianceListing
        fields = ["commission_rate", "sample_support"]
        help_texts = {
            "sample_support": _("Creators can request a free sample (免费申样)."),
        }

    def __init__(self, *args, product: Product, **kwargs):
        super().__init__(*args, **kwargs)
        # S2: a product that can never offer samples gets the switch off, greyed, with the reason.
        self.sample_refusal = sample_switch_refusal(product)
        if self.sample_refusal:
            field = self.fields["sample_support"]
            field.widget.attrs["disabled"] = True  # the browser posts nothing: "off"
            field.help_text = self.sample_refusal
            self.initial["sample_support"] = False

    def clean_sample_support(self) -> bool:
        # A post with the box on anyway is refused, not quietly saved "off" (#23).
        if self.cleaned_data["sample_support"] and self.sample_refusal:
            raise ValidationError(self.sample_refusal)
        return self.cleaned_data["sample_support"]


class ProductSaleForm(forms.Form):
    """Put on sale / take off sale: the product page's two buttons."""

    action = SwitchField(on="on", off="off")


class SampleSwitchForm(forms.Form):
    """S2: free samples on (1) or off (0) for a listed product."""

    enabled = SwitchField()


SCHEDULE_AHEAD_DAYS = 366  # how far ahead a live session may be scheduled (a bound, not a rule)


class LiveSessionForm(forms.ModelForm):
    scheduled_start = forms.DateTimeField(
        label=_("Scheduled start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    submission = SubmissionField()  # a create acted on once (hole 6)
    pk_partner = forms.ModelChoiceField(
        label=_("PK partner session"), queryset=LiveSession.objects.none(), required=False,
        help_text=_("Another creator's scheduled session you will PK with."),
    )

    class Meta:
        model = LiveSession
        fields = ["title", "scheduled_start", "pk_partner"]

    def __init__(self, *args, creator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pk_partner"].queryset = (
            LiveSession.objects.exclude(creator=creator)
            .filter(status__in=[LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE])
            .select_related("creator")
        )
        self.fields["pk_partner"].label_from_instance = lambda s: f"{s.creator.display_name} · {s}"

    def clean_scheduled_start(self):
        """Within the coming year: a session in year 9999 is a typo or a probe, not a plan."""
        from datetime import timedelta

        from django.utils import timezone

        start = self.cleaned_data["scheduled_start"]
        if start and start > timezone.now() + timedelta(days=SCHEDULE_AHEAD_DAYS):
            raise ValidationError(_("Schedule the session within the coming %(days)s days.") % {"days": SCHEDULE_AHEAD_DAYS})
        return start


class ProductPickForm(forms.Form):
    """A product picked from a list (showcase, live cart): its id, a number a row can have."""

    product = IdField()

    @classmethod
    def to_show(cls, *, own=(), other=(), described_by: str = "") -> ProductPickForm:
        """The live cart's pick as the page shows it: own products and alliance (non-own)
        ones in two groups, so the C2 count reads before the click (posted back as an id)."""
        form = cls()
        groups = []
        if own:
            groups.append((_("Your own shop"), [(p.pk, p.title) for p in own]))
        if other:
            groups.append((_("Alliance products (non-own)"), [(p.pk, f"{p.title} · {p.shop}") for p in other]))
        attrs = {"aria-describedby": described_by} if described_by else {}
        form.fields["product"] = forms.ChoiceField(
            label=_("Product"), choices=[("", _("Choose a product…")), *groups], widget=forms.Select(attrs=attrs)
        )
        return form


class VideoPublishForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, error_messages={"required": _("Give the video a title.")})
    url = forms.CharField(label=_("Link"), max_length=200, required=False, widget=forms.URLInput)
    products = IdListField(required=False)
    submission = SubmissionField()  # a video is published once per tap (hole 6)

    @classmethod
    def to_show(cls, addable) -> VideoPublishForm:
        """The form as the page shows it: the products are a list to pick from (posted back
        as ids, which IdListField parses)."""
        form = cls()
        form.fields["products"] = forms.MultipleChoiceField(
            label=_("Products in its cart"), required=False, choices=[(p.pk, p.title) for p in addable],
            widget=forms.SelectMultiple(attrs={"size": 5}),
        )
        return form
