"""The team pages' forms (RULES.md T): add a member, change its role or shops, transfer
ownership."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionField
from shops.forms import styled
from shops.models import Member, Merchant, Role, Shop


class _ShopsMixin:
    def _shops_field(self, merchant: Merchant) -> None:
        self.fields["shops"] = forms.ModelMultipleChoiceField(
            queryset=Shop.objects.filter(merchant=merchant).order_by("name", "pk"), required=False,
            widget=forms.CheckboxSelectMultiple, label=_("Limited to shops"),
            help_text=_("Leave all unticked for all the merchant's shops."),
        )


class MemberAddForm(_ShopsMixin, forms.Form):
    login = forms.CharField(label=_("Login name"), max_length=150, validators=[UnicodeUsernameValidator()],
                            help_text=_("An existing login that holds no other role, or a new one: it gets a link to set its password."))
    name = forms.CharField(label=_("Name shown in histories"), max_length=40, help_text=_("e.g. 小李"))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    submission = SubmissionField()

    def __init__(self, *args, merchant: Merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self._shops_field(merchant)
        styled(self)


class MemberChangeForm(_ShopsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, member: Member, **kwargs):
        kwargs.setdefault("initial", {"role": member.role, "shops": list(member.shops.all())})
        super().__init__(*args, **kwargs)
        self._shops_field(member.merchant)
        styled(self)


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("New owner"))
    former_owner_name = forms.CharField(label=_("Your name in the team afterwards"), max_length=40)
    former_owner_role = forms.ChoiceField(label=_("Your role afterwards"), choices=Role.choices, initial=Role.OPS)
    confirm = forms.BooleanField(label=_("I understand that only the new owner can manage the team afterwards."))

    def __init__(self, *args, merchant: Merchant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Member.objects.filter(merchant=merchant, state=Member.State.ACTIVE).order_by("name")
        self.fields["to"].label_from_instance = lambda m: f"{m.name}（{m.get_role_display()}）"
        styled(self)
