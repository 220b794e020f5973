"""Spreadsheets in and out (.xlsx and CSV), one way for every feature that takes a table
from a person (issue 24: shipping by spreadsheet).

Reading (`read_table`): the type comes from the bytes (core.uploads' size check and the
`filetype` sniffing), never from the name. An .xlsx is a zip, so before openpyxl opens it
the zip's directory is checked: at most `MAX_ZIP_ENTRIES` entries and `MAX_UNPACKED_BYTES`
unpacked in total (a zip bomb declares its huge sizes there, and Python's zipfile never
inflates an entry past its declared size: it stops and the CRC check fails). openpyxl then
reads in read-only mode (rows streamed, never the whole sheet as objects), with defusedxml
installed so XML entity tricks are refused. Merged cells are refused for the whole file
(only the first cell of a merge holds the value: the other rows would read as blank).
Formulas are not evaluated and their cached values never trusted: a formula cell is
returned marked as one (`Cell.formula`), and the caller refuses the row that relies on it.
A CSV is UTF-8 (with or without the byte-order mark we write) or GB18030 (what Excel saves
in China), and may hold no NUL byte.

Writing (`xlsx_response`, `csv_response`): every text cell goes through core.csv_cells
(formula injection, #23), in both formats.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import filetype
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.csv_cells import csv_writer, read_cell, safe_cell
from core.uploads import check_size

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MIMES = {XLSX_MIME, "application/zip"}
_OLD_EXCEL = {"application/vnd.ms-excel", "application/x-ole-storage"}

# A workbook saved by Excel, WPS or LibreOffice has 10–40 entries; a sheet of 10,000 rows
# unpacks to a few MB. Far above both, far below what would hurt the server.
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COLUMNS = 50  # columns read per row; the rest of a very wide sheet is never looked at
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+\d+:[A-Z]+\d+)\"")


class SheetError(ValidationError):
    """The file as a whole cannot be used: nothing in it is acted on."""


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False
    ref: str = ""  # "F5": where the person finds it


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (row number in the file, cells); blank rows left out


def not_a_sheet_message() -> str:
    return _("This file is not a spreadsheet: upload the .xlsx or CSV file you downloaded, filled in.")


def too_many_rows_message(limit: int) -> str:
    return _("The file has more than %(limit)s rows: at most %(limit)s rows can be sent at once. "
             "Split it into several files.") % {"limit": limit}


def sniff_table(upload) -> str:
    """"xlsx" or "csv", from the bytes; SheetError otherwise."""
    try:
        check_size(upload)
    except ValidationError as exc:
        raise SheetError(exc.messages) from exc
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return "csv"  # text, as far as the magic numbers go; decoding decides (read_csv)
    if guess.mime in _ZIP_MIMES:
        return "xlsx"  # a workbook is a zip; whether it is one is checked before it is opened
    if guess.mime in _OLD_EXCEL:
        raise SheetError(_("This is an old Excel file (.xls): save it as .xlsx (Excel workbook) or CSV, then upload it again."))
    raise SheetError(not_a_sheet_message())


def read_table(upload, *, max_rows: int) -> Table:
    """The file's first sheet (xlsx: the sheet open when it was saved) as text cells."""
    kind = sniff_table(upload)
    rows = _xlsx_rows(upload) if kind == "xlsx" else _csv_rows(upload)
    return _table(kind, rows, max_rows=max_rows)


def _table(kind: str, rows: Iterable[tuple[int, list[Cell]]], *, max_rows: int) -> Table:
    table: Table | None = None
    for line, cells in rows:
        while cells and not cells[-1].text and not cells[-1].formula:
            cells.pop()
        if not cells:
            continue
        if table is None:
            table = Table(kind=kind, header=[c.text.strip() for c in cells], header_line=line)
            continue
        if len(table.rows) >= max_rows:
            raise SheetError(too_many_rows_message(max_rows))
        table.rows.append((line, cells))
    if table is None:
        raise SheetError(_("The file is empty: the first row must be the header, then one row per request."))
    return table


# ---------------------------------------------------------------------------------------
# .xlsx


def _check_zip(upload) -> tuple[zipfile.ZipFile, list[str]]:
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SheetError(_("This spreadsheet is damaged: it cannot be opened. Save it again from Excel or WPS and upload that file.")) from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SheetError(_("This file holds %(n)s parts: a spreadsheet has far fewer. It was not opened.") % {"n": len(entries)})
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(_("This file would unpack to %(size)s MB (at most %(limit)s MB): it is not a spreadsheet we can read, "
                           "and it was not opened.") % {"size": unpacked // 1048576, "limit": MAX_UNPACKED_BYTES // 1048576})
    names = [e.filename for e in entries]
    if "xl/workbook.xml" not in names:
        raise SheetError(not_a_sheet_message())
    return archive, names


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The merged ranges of one worksheet, read from its XML in pieces (openpyxl's read-only
    sheets do not report them). The entry's unpacked size was checked before."""
    found: list[str] = []
    tail = b""
    with archive.open(path) as xml:
        while chunk := xml.read(1 << 20):
            data = tail + chunk
            found.extend(m.decode() for m in _MERGE.findall(data))
            if len(found) >= 3:
                break
            tail = data[-200:]  # a tag cut between two pieces is found in the next one
    return list(dict.fromkeys(found))[:3]


def _xlsx_rows(upload) -> Iterable[tuple[int, list[Cell]]]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    upload.seek(0)
    archive, names = _check_zip(upload)
    try:
        upload.seek(0)
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False, keep_links=False)
        sheet = workbook.active if getattr(workbook.active, "iter_rows", None) else workbook.worksheets[0]
        path = getattr(sheet, "_worksheet_path", "")  # openpyxl 3.1's read-only sheets keep their part name
        for part in [path] if path in names else [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]:
            merged = _merged_ranges(archive, part)
            if merged:
                raise SheetError(
                    _("The sheet has merged cells (%(ranges)s): a merged cell keeps its value in its first cell only, so the "
                      "other rows would read as blank. Unmerge them, fill every row, and upload again.") % {"ranges": "、".join(merged)}
                )
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            line = next((c.row for c in row if getattr(c, "row", None)), number)
            yield line, [_xlsx_cell(c, f"{get_column_letter(i)}{line}") for i, c in enumerate(row, start=1)]
        workbook.close()
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, defusedxml's refusals): all one answer
        raise SheetError(_("This spreadsheet is damaged: it cannot be opened. Save it again from Excel or WPS and upload that file.")) from exc
    finally:
        archive.close()


def _xlsx_cell(cell, ref: str) -> Cell:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return Cell(text=str(getattr(value, "text", value) or ""), formula=True, ref=ref)
    return Cell(text=_text(value), ref=ref)


def _text(value) -> str:
    """A cell's value as the text a person typed: 731234567890, not 731234567890.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


# ---------------------------------------------------------------------------------------
# CSV


def _csv_rows(upload) -> Iterable[tuple[int, list[Cell]]]:
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        raise SheetError(not_a_sheet_message())
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(not_a_sheet_message())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [_csv_cell(value, number, i) for i, value in enumerate(row[:MAX_COLUMNS])]
    except csv.Error as exc:
        raise SheetError(_("This CSV file cannot be read (%(line)s): save it again as CSV from Excel or WPS.") % {"line": reader.line_num}) from exc


def _csv_cell(value: str, line: int, index: int) -> Cell:
    from openpyxl.utils import get_column_letter

    raw = value.strip()
    # Our own files write text that looks like a formula with an apostrophe (core.csv_cells):
    # that is text. A bare "=…" was typed as a formula.
    return Cell(text=read_cell(raw), formula=raw.startswith("="), ref=f"{get_column_letter(index + 1)}{line}")


# ---------------------------------------------------------------------------------------
# Writing


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = (),
               text_columns: Sequence[int] = (), choices: dict[int, Sequence[str]] | None = None) -> bytes:
    """A one-sheet workbook: a bold, frozen header; `text_columns` (0-based) formatted as text
    (a tracking number typed into them stays text, leading zeros and all); `choices` a
    drop-down list per column. Every text cell made safe (core.csv_cells)."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(str(h)) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    count = 1
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        count += 1
    last = max(count, 2) + 200  # room to add rows by hand below the template's
    for index in text_columns:
        for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=index + 1, max_col=index + 1):
            cell.number_format = "@"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if choices:
        lists = workbook.create_sheet("lists")
        lists.sheet_state = "hidden"
        for index, values in choices.items():
            letter = get_column_letter(index + 1)
            for n, value in enumerate(values, start=1):
                lists[f"{letter}{n}"] = safe_cell(str(value))
            validation = DataValidation(type="list", formula1=f"{quote_sheetname('lists')}!${letter}$1:${letter}${len(values)}",
                                        allow_blank=True, showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(content: bytes | str, *, filename: str, kind: str) -> HttpResponse:
    """A file download: xlsx bytes, or CSV text (UTF-8 with a byte-order mark, so spreadsheet
    programs read the Chinese)."""
    if kind == "csv":
        response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_text(*, header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([str(h) for h in header])
    writer.writerows(rows)
    return out.getvalue()
