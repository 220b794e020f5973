"""The staff's forms for the working-day calendar (F9): enter a year (paste the notice or
CSV lines, or upload a CSV), then confirm what the preview showed."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from filings.workdays.csv_import import decode, parse_csv, to_csv
from filings.workdays.models import FIRST_YEAR, LAST_YEAR
from filings.workdays.notice_parser import ParsedDay, parse_notice, read_header
from filings.workdays.services import check_days

MODES = [
    ("replace", _("Replace the year: it holds exactly these days")),
    ("merge", _("Add or change these days, keep the others (a supplementary notice)")),
]
_CSV_LINE = re.compile(r"^\s*(date|日期|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*,", re.IGNORECASE)


def looks_like_csv(text: str) -> bool:
    for line in text.splitlines():
        if line.strip() and not line.strip().startswith("#"):
            return bool(_CSV_LINE.match(line))
    return False


class _YearFields(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    source_title = forms.CharField(
        label=_("Source: notice title"), max_length=200, required=False,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知 (read from the pasted notice when left empty)"),
    )
    source_date = forms.DateField(
        label=_("Source: notice date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date under the notice (read from the pasted notice when left empty)."),
    )
    mode = forms.ChoiceField(label=_("What to do with the year"), choices=MODES, initial="replace", widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=200, required=False,
        help_text=_("Required when changing a year already entered; kept in its history."),
    )


class YearEntryForm(_YearFields):
    """Paste the notice (or CSV lines), or upload a CSV: the parsed days go to the preview."""

    text = forms.CharField(
        label=_("The notice's lines, or CSV lines"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100, "placeholder": "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"}),
        help_text=_("Paste the notice as published (whole, or just its lines), or CSV lines “date,kind[,name]”."),
    )
    csv_file = forms.FileField(label=_("Or upload a CSV"), required=False, help_text=_("date,kind[,name]; kind is off (休) or work (班)."))

    def clean(self):
        data = super().clean()
        text, upload = (data.get("text") or "").strip(), data.get("csv_file")
        if not text and not upload:
            raise ValidationError(_("Paste the notice (or CSV lines), or upload a CSV."))
        if text and upload:
            raise ValidationError(_("Either paste the text or upload a CSV, not both."))
        header = read_header(text) if text and not looks_like_csv(text) else None
        if header:
            data["year"] = data.get("year") or header.year
            data["source_title"] = data.get("source_title") or header.title
            data["source_date"] = data.get("source_date") or header.notice_date
        if not data.get("year"):
            self.add_error("year", _("Enter the year (the pasted text does not say it)."))
        if not data.get("source_title"):
            self.add_error("source_title", _("Give the notice's title: every day keeps its source."))
        if not data.get("source_date"):
            self.add_error("source_date", _("Give the notice's date: every day keeps its source."))
        if self.errors:
            return data
        field = "csv_file" if upload else "text"
        try:
            if upload:
                days = parse_csv(decode(upload.read()))
            elif looks_like_csv(text):
                days = parse_csv(text)
            else:
                days = parse_notice(text, year=data["year"])
            check_days(year=data["year"], days=days)
        except ValidationError as exc:
            self.add_error(field, exc)
            return data
        data["days"] = days
        return data


class YearConfirmForm(_YearFields):
    """The preview's hidden form: the parsed days as CSV, checked again on confirmation."""

    days = forms.CharField(widget=forms.HiddenInput, max_length=64 * 1024)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year", "source_title", "source_date", "mode", "reason"):
            self.fields[name].widget = forms.HiddenInput()
        self.fields["year"].required = True
        self.fields["source_title"].required = True
        self.fields["source_date"].required = True

    @classmethod
    def for_preview(cls, *, data: dict, days: list[ParsedDay], fingerprint: str) -> YearConfirmForm:
        return cls(initial={
            "year": data["year"], "source_title": data["source_title"], "source_date": data["source_date"].isoformat(),
            "mode": data["mode"], "reason": data.get("reason", ""), "days": to_csv(days), "fingerprint": fingerprint,
        })

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            days = parse_csv(data["days"])
            check_days(year=data["year"], days=days)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        data["parsed_days"] = days
        return data
