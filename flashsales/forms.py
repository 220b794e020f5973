from __future__ import annotations

import base64
import binascii
import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_PRICE, MAX_QUANTITY, SubmissionField
from core.uploads import IMAGES, SCREEN_MEDIA, sniff, validate_image_upload, validate_upload
from flashsales import selectors, texts
from flashsales.models import FlashSale, ShippingTemplate, Viewer
from shops.models import Creator, Merchant, Product, Shop


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, with is-invalid where the field has errors."""

    def _style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._style()


_DATA_URL = re.compile(r"^data:image/(png|jpeg);base64,(?P<data>[A-Za-z0-9+/=\s]+)$")


def decode_capture(data_url: str) -> ContentFile:
    """FS4: the canvas capture the console posts as a data URL, checked by its content."""
    match = _DATA_URL.match(data_url.strip())
    if not match:
        raise ValidationError(_("The captured picture could not be read: upload one instead."))
    try:
        raw = base64.b64decode(match.group("data"), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(_("The captured picture could not be read: upload one instead.")) from exc
    upload = ContentFile(raw, name="capture")
    try:
        validate_upload(upload, IMAGES)  # renamed <random>.<sniffed ext>
    except ValidationError as exc:
        raise ValidationError(_("The captured picture could not be read: upload one instead.")) from exc
    return upload


class FlashSaleForm(BootstrapMixin, forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=FlashSale.Mode.choices, initial=FlashSale.Mode.FULL, widget=forms.RadioSelect)
    target_viewer = forms.ModelChoiceField(
        label=_("Viewer (from this session's comments)"), queryset=Viewer.objects.none(), required=False,
        empty_label=_("Pick a commenting viewer…"),
    )
    product = forms.ModelChoiceField(label=_("Product (non-standard goods)"), queryset=Product.objects.none(), empty_label=_("Choose a product…"))
    title = forms.CharField(label=_("Title"), max_length=100)
    price = forms.DecimalField(label=_("Price (¥)"), max_digits=12, decimal_places=2, max_value=MAX_PRICE)
    quantity = forms.IntegerField(label=_("Quantity"), max_value=MAX_QUANTITY)
    captured = forms.CharField(required=False, widget=forms.HiddenInput)
    submission = SubmissionField()  # one flash sale per click (hole 6)
    picture = forms.FileField(
        label=_("Picture"), required=False,
        help_text=_("Captured from your live stream when the browser allows; otherwise upload a JPEG or PNG that frames the order card and the item."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    shipping_template = forms.ModelChoiceField(
        label=_("Shipping template"), queryset=ShippingTemplate.objects.none(), required=False, empty_label=_("— create a new one below —")
    )
    new_template_name = forms.CharField(label=_("New template name"), max_length=60, required=False)
    new_template_fee = forms.DecimalField(label=_("New template shipping fee (¥)"), max_digits=8, decimal_places=2, required=False)

    def __init__(self, *args, creator: Creator, session, **kwargs):
        super().__init__(*args, **kwargs)
        # One form style (crispy): the console's script finds #target-row, #capture-box and
        # #new-template; the caps and counts come from the page (flashsales/creator/_fs_*.html).
        self.helper = FormHelper()
        self.helper.layout = Layout(
            InlineRadios("mode"), HTML('{% include "flashsales/creator/_fs_mode_help.html" %}'),
            Div("target_viewer", css_id="target-row"),
            "product", HTML('{% include "flashsales/creator/_fs_product_help.html" %}'),
            "title", "price", "quantity",
            "captured", "picture", HTML('{% include "flashsales/creator/_fs_capture_box.html" %}'),
            "shipping_template",
            Div(
                HTML('{% include "flashsales/creator/_fs_new_template_head.html" %}'),
                Row(Column("new_template_name", css_class="col-7"), Column("new_template_fee", css_class="col-5"), css_class="g-2"),
                css_id="new-template", css_class="border rounded p-2 mb-3 bg-light",
            ),
            "submission",
        )
        self.fields["product"].queryset = selectors.flash_sale_products_for_creator(creator=creator)
        self.fields["target_viewer"].queryset = selectors.commenters_of_session(session=session)
        self.fields["shipping_template"].queryset = selectors.templates_for_creator(creator=creator)
        self._style()

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is not None and price <= 0:
            raise ValidationError(texts.PRICE_NOT_POSITIVE)
        return price

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise ValidationError(texts.QUANTITY_NOT_POSITIVE)
        return quantity

    def clean(self):
        data = super().clean()
        # The picture: the capture when there is one, else the upload (both checked by content).
        captured = data.get("captured") or ""
        upload = data.get("picture")
        data["picture_file"], data["picture_source"] = None, ""
        try:
            if captured:
                data["picture_file"], data["picture_source"] = decode_capture(captured), FlashSale.PictureSource.CAPTURED
            elif upload:
                data["picture_file"], data["picture_source"] = validate_image_upload(upload), FlashSale.PictureSource.UPLOADED
            else:
                self.add_error("picture", texts.PICTURE_MISSING)
        except ValidationError as exc:
            self.add_error("picture", exc)
        if data.get("mode") == FlashSale.Mode.TARGETED and not data.get("target_viewer"):
            self.add_error("target_viewer", texts.TARGET_MISSING)
        if not data.get("shipping_template"):
            name, fee = (data.get("new_template_name") or "").strip(), data.get("new_template_fee")
            if not name or fee is None:
                self.add_error("shipping_template", texts.TEMPLATE_MISSING)
            elif fee < 0:
                self.add_error("new_template_fee", _("Enter a shipping fee of zero or more."))
        return data

    def new_template(self) -> dict | None:
        if self.cleaned_data.get("shipping_template"):
            return None
        return {"name": self.cleaned_data["new_template_name"], "fee": self.cleaned_data["new_template_fee"]}


class JoinForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=60, error_messages={"required": _("Choose a nickname to join.")})


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("Say something…")}))


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BuyForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), initial=1, min_value=1, max_value=MAX_QUANTITY)
    submission = SubmissionField()  # one order per click (hole 6); the panel renders {% submission_key %}


class ProblemReportForm(BootstrapMixin, forms.Form):
    """FS8. A merchant picks one of their shops and names the creator by their platform ID;
    a creator is themselves and names the shop by its ID."""

    shop = forms.ModelChoiceField(label=_("Shop"), queryset=Shop.objects.none(), required=False)
    shop_id = forms.IntegerField(label=_("Shop ID"), required=False)
    creator_platform_id = forms.CharField(label=_("Creator ID"), max_length=32, required=False)
    flash_sale = forms.ModelChoiceField(label=_("Flash sale concerned (optional)"), queryset=FlashSale.objects.none(), required=False)
    description = forms.CharField(label=_("What went wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Screenshot or video"),
        help_text=_("A JPEG/PNG screenshot or an MP4/WebM recording, at most %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES // 1048576},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,video/mp4,video/webm"}),
    )
    used_app = forms.BooleanField(label=_("It happened in the Douyin app"), required=False)
    phone_model = forms.CharField(label=_("Phone model"), max_length=60, required=False)
    os_version = forms.CharField(label=_("Operating system"), max_length=60, required=False)
    app_version = forms.CharField(label=_("Douyin app version"), max_length=30, required=False)
    submission = SubmissionField()  # one report per tap, however slow the upload (hole 6)

    def __init__(self, *args, merchant: Merchant | None = None, creator: Creator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant, self.creator = merchant, creator
        if merchant is not None:
            self.fields["shop"].queryset = Shop.objects.filter(merchant=merchant)
            self.fields["shop"].required = True
            self.fields["creator_platform_id"].required = True
            self.fields.pop("shop_id")
            self.fields["flash_sale"].queryset = selectors.flash_sales_for_merchant(merchant=merchant)
        else:
            self.fields.pop("shop")
            self.fields.pop("creator_platform_id")
            self.fields["shop_id"].required = True
            self.fields["flash_sale"].queryset = selectors.flash_sales_for_creator(creator=creator)
        self._style()

    def clean_shop_id(self):
        shop = selectors.get_shop(pk=self.cleaned_data.get("shop_id"))
        if shop is None:
            raise ValidationError(_("No shop has this ID."))
        self.cleaned_data["shop_obj"] = shop
        return shop.pk

    def clean_creator_platform_id(self):
        creator = selectors.get_creator_by_platform_id(platform_id=self.cleaned_data.get("creator_platform_id", ""))
        if creator is None:
            raise ValidationError(_("No creator has this ID."))
        self.cleaned_data["creator_obj"] = creator
        return creator.platform_id

    def clean_attachment(self):
        upload = self.cleaned_data["attachment"]
        try:
            ext = validate_upload(upload, SCREEN_MEDIA)  # by the bytes; renamed <random>.<ext>
        except ValidationError:
            if upload.size and sniff(upload) not in SCREEN_MEDIA:
                raise ValidationError(texts.ATTACHMENT_NOT_MEDIA) from None
            raise  # empty, too large, or an unreadable image: its own reason
        self.cleaned_data["attachment_kind"] = "image" if ext in IMAGES else "video"
        return upload

    def clean(self):
        data = super().clean()
        if data.get("used_app"):
            for name in ("phone_model", "os_version", "app_version"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, texts.APP_DETAILS_MISSING)
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "shop": d["shop"] if self.merchant is not None else d["shop_obj"],
            "creator": d["creator_obj"] if self.merchant is not None else self.creator,
            "flash_sale": d.get("flash_sale"),
            "description": d["description"],
            "attachment": d["attachment"],
            "attachment_kind": d["attachment_kind"],
            "used_app": d.get("used_app", False),
            "phone_model": d.get("phone_model", ""),
            "os_version": d.get("os_version", ""),
            "app_version": d.get("app_version", ""),
        }
