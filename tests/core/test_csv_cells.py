"""#23: the one CSV helper (core.csv_cells) every export goes through."""

import csv
import io
from decimal import Decimal

import pytest

from core.csv_cells import csv_writer, read_cell, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_cell_a_spreadsheet_would_run_gets_an_apostrophe_and_reads_back(text):
    assert safe_cell(text) == "'" + text
    assert read_cell(safe_cell(text)) == text


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    """Numeric columns are written from numbers, so a refund of -12.50 stays a readable figure."""
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerow([Decimal("-12.50"), -3, "达人1", "", "it's", "a=b"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["-12.50", "-3", "达人1", "", "it's", "a=b"]
    assert read_cell("'plain") == "'plain"  # only an apostrophe we put before a formula is taken off


def test_no_module_writes_csv_around_the_helper():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for folder in ("api", "core", "filings", "flashsales", "samples", "shops", "ops")
                 for path in (root / folder).rglob("*.py")
                 if "csv.writer(" in path.read_text(encoding="utf-8") and path.name != "csv_cells.py"]
    assert offenders == []
