"""Forms for taking products out of the alliance (D1–D3)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import IdListField, SubmissionField
from shops.forms import styled


class RemovalPickForm(forms.Form):
    """D1: the products ticked on the alliance page (ids, posted or in the query string)."""

    products = IdListField(required=False)


class AllianceRemovalForm(forms.Form):
    """D2: now or at a chosen moment, an optional compensation note, an optional announcement (D3)."""

    NOW, SCHEDULED = "now", "scheduled"
    when = forms.ChoiceField(
        label=_("When"), widget=forms.RadioSelect, initial=NOW,
        choices=[(NOW, _("Now")), (SCHEDULED, _("At a chosen time"))],
    )
    at = forms.DateTimeField(
        label=_("Time (platform time, Asia/Shanghai)"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    compensation_note = forms.CharField(
        label=_("Compensation note (optional)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. buyers who paid a deposit get a ¥10 coupon")}),
    )
    announcement = forms.CharField(
        label=_("Announcement to buyers who follow or bought it (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent now as an in-site message, with the time and the compensation note added."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)

    def clean(self):
        data = super().clean()
        if data.get("when") == self.SCHEDULED:
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Choose the time it should happen."))
            elif at <= timezone.now():
                self.add_error("at", _("Choose a time in the future, or choose “Now”."))
        else:
            data["at"] = None
        return data


class AnnouncementForm(forms.Form):
    message = forms.CharField(label=_("Announcement"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    submission = SubmissionField()  # sent once however often it is posted (hole 6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
