"""Forms for official accounts: the shop-type change and closing a shop (C5), the admin roll-out (C6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shops.forms import styled
from shops.models import ShopType


class ShopTypeChangeForm(forms.Form):
    """C5: a professional shop becomes individual or enterprise."""

    new_type = forms.ChoiceField(
        label=_("New shop type"),
        choices=[(ShopType.INDIVIDUAL, ShopType.INDIVIDUAL.label), (ShopType.ENTERPRISE, ShopType.ENTERPRISE.label)],
    )
    confirm = forms.BooleanField(
        label=_("I understand the consequences above and want to change the shop type."), required=True,
        error_messages={"required": _("Tick the box to confirm that you read the consequences.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class ShopCloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("I understand that the shop closes for good and its official account is unbound."), required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class RollOutForm(forms.Form):
    """C6 admin action: switch the limits on for a random share of the selected accounts."""

    percentage = forms.IntegerField(label=_("Share of the selected official accounts (%)"), min_value=1, max_value=100, initial=10)
