"""Form fields every workspace uses to parse what a browser posts: ids that are numbers a
row can have, lists of them, and `posted()` which turns a tampered request into a 400
page that says what was wrong (never a 500 from the database)."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _

from core.ids import ID_INVALID, MAX_ID, parse_id

# Sane maxima for numbers people type (forms check them, database constraints hold them):
# a price in yuan, a quantity of goods or samples.
MAX_PRICE = 100_000_000
MAX_QUANTITY = 1_000_000

# A list of ids posted at once (bulk actions, multi-selects) is at most this long.
MAX_IDS = 500


class IdField(forms.IntegerField):
    """A row's id: a whole number between 1 and MAX_ID."""

    default_error_messages = {"invalid": ID_INVALID}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)  # the one id reader (core.ids), as the API's
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def widget_attrs(self, widget):
        return {}


class IdListField(forms.Field):
    """Several row ids posted under one name (check boxes, multi-selects)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": ID_INVALID,
        "too_many": _("Choose at most %(n)s at a time."),
    }

    def to_python(self, value) -> list[int]:
        if value in (None, "", [], ()):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        if len(values) > MAX_IDS:
            raise ValidationError(self.error_messages["too_many"] % {"n": MAX_IDS}, code="too_many")
        ids = []
        for v in values:
            number = parse_id(str(v))
            if number is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(number)
        return list(dict.fromkeys(ids))


class SubmissionField(forms.UUIDField):
    """The hidden one-time key of a create form (hole 6; core.submissions.once): a new key
    each time the form is shown unbound, the posted one when it is shown again with errors."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


SWITCH_INVALID = _("This switch only takes on or off; nothing was changed.")


class SwitchField(forms.TypedChoiceField):
    """An on/off switch as our own buttons post it (`on`/`off` values): True or False.
    Anything else is refused (#23): reading the raw value made every typo or forgery "off"."""

    def __init__(self, *, on: str = "1", off: str = "0", **kwargs) -> None:
        messages = {"required": SWITCH_INVALID, "invalid_choice": SWITCH_INVALID}
        super().__init__(choices=[(on, on), (off, off)], coerce=lambda value: value == on, empty_value=None,
                         error_messages=messages, **kwargs)


class SearchForm(forms.Form):
    """A list page's search box, shown through {% form_fields %} like every form. The view
    still reads the text with core.http.search_text (trimmed, capped, no NUL)."""

    q = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, label="", placeholder="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = label or _("Search")
        if placeholder:
            self.fields["q"].widget.attrs["placeholder"] = placeholder


class InvalidInput(BadRequest):
    """A request no form of ours would send: shown as the 400 page with its reason."""


def form_errors_text(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and form.fields[name].label else ""
        parts.extend(f"{label}：{e}" if label else str(e) for e in errors)
    return " ".join(parts)


def posted(request, form_class: type[forms.Form], data=None, **kwargs) -> dict:
    """The cleaned data of `form_class` bound to the request's POST (or `data`); raises
    InvalidInput (a 400 page in the user's language) when it does not validate."""
    form = form_class(request.POST if data is None else data, **kwargs)
    if not form.is_valid():
        raise InvalidInput(form_errors_text(form))
    return form.cleaned_data
