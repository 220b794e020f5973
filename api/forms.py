"""The API key form of the workspaces."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from api.keys import ROLE_SCOPES
from api.models import Scope
from core.rules import rules


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("What uses it, e.g. “ERP” or “agency tool”."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=90)

    def __init__(self, *args, kind: str, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(holders) > 1:  # a merchant's team (T3): the key belongs to one person and carries at most its role
            by_pk = {str(u.pk): u for u in holders}
            self.fields["holder"] = forms.TypedChoiceField(
                label=_("Holder"), choices=[(pk, u.team_label) for pk, u in by_pk.items()], coerce=by_pk.get,
                required=False, empty_value=None,  # not chosen: the owner's own key
                help_text=_("The key acts as this person and can do at most what its role allows."),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.order_fields(["name", "holder", "scopes", "days"])
        self.fields["scopes"].choices = [(s.value, Scope(s).label) for s in ROLE_SCOPES[kind]]
        longest = rules.duration("api_key_max_lifetime").days  # API2
        self.fields["days"].max_value = longest
        self.fields["days"].validators.append(MaxValueValidator(longest))
        self.fields["days"].widget.attrs.update({"class": "form-control", "max": longest})
        self.fields["days"].help_text = _("At most %(days)s days (platform rule API2).") % {"days": longest}
        self.fields["name"].widget.attrs["class"] = "form-control"
