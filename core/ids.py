"""The one reader of row ids, for the pages' forms, their URLs and the API (#23): a whole
number of ASCII digits between 1 and MAX_ID, or nothing. "0.5", "1e3", "²" (a digit to
str.isdigit, not to int), 10^30 (no BigAutoField holds it: the database would raise) and
True are no id of anything."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The largest primary key a BigAutoField can hold; anything above is no row of ours.
MAX_ID = 2**63 - 1
ID_INVALID = _("This is not the id of anything here.")


def parse_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > len(str(MAX_ID)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
