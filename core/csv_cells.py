"""Every CSV the product writes goes through here (#23: CSV formula injection).

A spreadsheet program runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula, so a creator nicknamed `=HYPERLINK("http://x","y")` would put a live
link (or worse, with DDE) into the merchant's spreadsheet. Such a text cell is written with
a leading apostrophe (OWASP's advice): the program shows the text, the apostrophe stays
visible in a text editor, and `read_cell` takes it off when our own CSV is read back.

Numbers stay numbers: only `str` values are touched. A numeric column is written from
`int`/`Decimal`/`float` values (a refund as `-12.50`), never from text, so a genuine
negative figure stays readable and summable; a text cell that merely looks like a
negative number ("-5" as a nickname) is text, and gets the apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return QUOTE + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def read_cell(text: str) -> str:
    """The text a safe cell was made from (for CSV we wrote and read back ourselves)."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer whose rows are made safe first; the only CSV writer the product uses."""

    def __init__(self, out, **kwargs) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)
