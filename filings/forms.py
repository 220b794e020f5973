from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionField
from filings.models import PKDeclaration, Reason
from filings.services import FORMAL_CHECK_NOTICE
from shops.models import Creator, LiveSession


class SubmitForm(forms.Form):
    """提交资质: one file field per document the product's category asks for (F4); blank
    when it asks for none. Under the F12 notice, which the merchant acknowledges."""

    acknowledge = forms.BooleanField(label=_("I have read the notice above."), required=True)

    def __init__(self, *args, doc_types=(), on_file=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_types = list(doc_types)
        for doc_type in self.doc_types:
            already = doc_type.pk in on_file
            self.fields[f"doc_{doc_type.pk}"] = forms.FileField(
                label=doc_type.name,
                required=not already,
                help_text=_("PDF, JPEG or PNG. Already on file: upload only to replace it.") if already else _("PDF, JPEG or PNG."),
                widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
            )
        # Field order: documents first, the acknowledgement last.
        self.order_fields([f"doc_{d.pk}" for d in self.doc_types] + ["acknowledge"])
        self.notice = FORMAL_CHECK_NOTICE

    def uploads(self) -> dict[int, object]:
        return {d.pk: self.cleaned_data[f"doc_{d.pk}"] for d in self.doc_types if self.cleaned_data.get(f"doc_{d.pk}")}


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: LiveSession) -> str:
        sides = [session.creator.display_name]
        if session.pk_partner_id:
            sides.append(session.pk_partner.creator.display_name)
        return f"{session.title} · {session.scheduled_start:%Y-%m-%d %H:%M} · PK: {' × '.join(sides)}"


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, product) -> str:
        return f"{product.title} · {product.shop.name}"


class DeclarationForm(forms.Form):
    """主动申报 (F5): reason, the PK creators, the products, the live session."""

    reason = forms.ChoiceField(label=_("Reason"), choices=PKDeclaration._meta.get_field("reason").choices, initial=Reason.PK)
    creators = forms.CharField(
        label=_("PK creators"),
        help_text=_("Platform IDs of the specific creators you PK with, separated by spaces or commas (e.g. KS10086)."),
        max_length=300,
    )
    session = SessionChoiceField(label=_("Live session"), queryset=LiveSession.objects.none(), empty_label=_("Choose the PK live session"))
    products = ProductChoiceField(label=_("Products"), queryset=None, widget=forms.CheckboxSelectMultiple)
    submission = SubmissionField()  # a declaration is made once per tap (hole 6)

    def __init__(self, *args, products=None, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["session"].queryset = sessions
        self.fields["reason"].widget.attrs["class"] = "form-select"
        self.fields["session"].widget.attrs["class"] = "form-select"
        self.fields["creators"].widget.attrs.update({"class": "form-control", "placeholder": "KS10086"})

    def clean_creators(self) -> list[Creator]:
        ids = [i for i in re.split(r"[\s,，、]+", self.cleaned_data["creators"]) if i]
        if not ids:
            raise ValidationError(_("Enter at least one creator's platform ID."))
        found = {c.platform_id: c for c in Creator.objects.filter(platform_id__in=ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise ValidationError(_("No creator has the ID %(ids)s.") % {"ids": "、".join(unknown)})
        return list(dict.fromkeys(found[i] for i in ids))


class DecisionForm(forms.Form):
    """The reviewers' intermediate page: the reason for not approving or revoking (required),
    or an optional note when approving."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=False, max_length=1000)

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
