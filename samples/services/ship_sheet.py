"""批量发货 (issue 24): shipping many approved samples at once, from a spreadsheet or one API
call. Every row ships through the ship form's own service (`sample_request_ship`: the
carrier and tracking number checked by `clean_tracking`, the state and S5's deadline under
the row lock), in its own savepoint, so a refused row undoes nothing else; the person's
whole upload (or API call) commits with its result record.

A row with no tracking number is skipped, not refused (the template lists every approved
request; the merchant fills in those that left today). A row whose request is already
shipped with the same carrier and number is skipped as already shipped: uploading the
same file twice ships nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ids import parse_id
from core.rules import rules
from core.sheets import Table, too_many_rows_message
from core.submissions import once
from samples import messages as msg
from samples.models import Carrier, SampleRequest, ShipSheetUpload
from samples.services.shipping import sample_request_ship
from shops.teams import in_scope

State = SampleRequest.State

SHIPPED, SKIPPED, REFUSED = "shipped", "skipped", "refused"
OUTCOME_LABELS = {SHIPPED: gettext_lazy("Shipped"), SKIPPED: gettext_lazy("Skipped"), REFUSED: gettext_lazy("Refused")}

# The template's columns: (key, header). The key is also accepted as a header, for programs.
COLUMNS = [
    ("id", gettext_lazy("Request ID")),
    ("product", gettext_lazy("Product")),
    ("creator", gettext_lazy("Creator")),
    ("ship_to", gettext_lazy("Ship-to address")),
    ("carrier", gettext_lazy("Carrier")),
    ("tracking_number", gettext_lazy("Tracking number")),
]
REQUIRED = ("id", "carrier", "tracking_number")
REASON_COLUMN = gettext_lazy("Why it was refused")
# Headers people commonly give these columns in their own sheets (抖店, ERP exports).
SYNONYMS = {
    "id": ("申请编号", "样品申请编号", "编号", "申请id", "request id", "request_id"),
    "carrier": ("快递公司", "物流公司", "快递", "承运商", "carrier code"),
    "tracking_number": ("快递单号", "物流单号", "运单号", "单号", "tracking no", "tracking"),
}

NO_TRACKING = gettext_lazy("No tracking number: not shipped.")
NO_ID = gettext_lazy("No request ID in this row.")
BAD_ID = gettext_lazy("“%(value)s” is not a request ID (a whole number from the first column).")
NOT_FOUND = gettext_lazy("No sample request #%(id)s among yours.")
DUPLICATE = gettext_lazy("Request #%(id)s is already in row %(line)s of this file: each request is shipped once.")
FORMULA = gettext_lazy("Cell %(cell)s holds a formula: formulas are not calculated here. Type the value itself (or paste it as a value) and upload again.")
ALREADY_SHIPPED = gettext_lazy("Already shipped with this tracking number: nothing was done again.")
SHIPPED_OTHERWISE = gettext_lazy("Already shipped with %(carrier)s %(number)s: a sample is shipped once "
                                 "(send it again only when the creator reports it not arrived, from the request's page).")
NOT_AWAITING = gettext_lazy("This request is “%(state)s”, not awaiting shipment: nothing was done.")
TOO_MANY_ROWS = gettext_lazy("At most %(limit)s rows at once: this call has %(n)s. Split it into several calls.")


@dataclass
class ShipRow:
    """One row to ship, as a person gave it (a file's row, or an API call's item)."""

    line: int  # the row number in the file, or the item's position (from 1) in an API call
    raw_id: str
    carrier: str
    tracking_number: str
    problem: str = ""  # a reason found while reading the row (a formula)


@dataclass
class RowResult:
    line: int
    id: int | None
    raw_id: str
    carrier: str
    tracking_number: str
    outcome: str
    reason: str = ""
    messages: list[str] = field(default_factory=list)  # the refusal's messages one by one (the API names their rule)

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["messages"]
        return out


def max_rows() -> int:
    return rules.count("sample_ship_batch_rows")


# ---------------------------------------------------------------------------------------
# Carriers as people write them


def _spelling(text: str) -> str:
    """How carrier names are compared: case, spaces and full-width brackets aside."""
    return "".join(text.split()).lower().replace("（", "(").replace("）", ")")


@cache
def _carrier_names() -> dict[str, str]:
    """Every spelling a carrier cell may hold → its code: the code, the label in each
    language (顺丰速运, SF Express (顺丰速运)), and the Chinese name inside the English label."""
    names: dict[str, str] = {}
    for code, label in Carrier.choices:
        names[code.lower()] = code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                text = str(label)
            names[_spelling(text)] = code
            if "(" in text and text.endswith(")"):
                outer, inner = text[:-1].split("(", 1)
                names[_spelling(inner)] = code
                names[_spelling(outer)] = code
    return names


def carrier_code(text: str) -> str:
    """The carrier code a cell names, or the cell itself (clean_tracking then refuses it)."""
    return _carrier_names().get(_spelling(text), text.strip())


# ---------------------------------------------------------------------------------------
# The template (download) and the file's columns (upload)


def header() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def address_text(sample: SampleRequest) -> str:
    """The ship-to address as the merchant's request page shows it (whole while awaiting
    shipment; masked before the approval and after the close: address_for_merchant)."""
    address = sample.address_for_merchant()
    if not address:
        return ""
    text = f"{address['name']} {address['phone']} · {address['region']}"
    return f"{text} {address['street']}" if address["street"] else text


def template_row(sample: SampleRequest, *, carrier: str = "", tracking_number: str = "") -> list:
    return [sample.pk, sample.product.title, sample.creator.display_name, address_text(sample), carrier, tracking_number]


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, label in COLUMNS:
        names[key] = key
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[str(label).lower()] = key
        for synonym in SYNONYMS.get(key, ()):
            names[synonym.lower()] = key
    return names


def _column_label(key: str) -> str:
    return str(dict(COLUMNS)[key])


def rows_from_table(table: Table) -> list[ShipRow]:
    """The file's rows by column; a file without the columns needed is refused whole,
    naming the columns missing (and those not recognised)."""
    names = _header_names()
    where: dict[str, int] = {}
    unknown: list[str] = []
    for index, text in enumerate(table.header):
        key = names.get(" ".join(text.split()).lower())
        if key is None:
            if text:
                unknown.append(text)
            continue
        if key in where:
            raise ValidationError(_("The column “%(column)s” appears twice in the header row: keep one.") % {"column": text})
        where[key] = index
    missing = [key for key in REQUIRED if key not in where]
    if missing:
        message = _("The file lacks these columns: %(missing)s. The first row must be the header of the template "
                    "(%(header)s).") % {"missing": "、".join(_column_label(k) for k in missing), "header": "、".join(header())}
        if unknown:
            message += " " + _("Columns not recognised: %(unknown)s.") % {"unknown": "、".join(unknown[:10])}
        raise ValidationError(message)
    rows = []
    for line, cells in table.rows:
        def cell(key: str):
            index = where[key]
            return cells[index] if index < len(cells) else None

        id_cell, carrier_cell, tracking_cell = cell("id"), cell("carrier"), cell("tracking_number")
        formula = next((c for c in (id_cell, carrier_cell, tracking_cell) if c is not None and c.formula), None)
        rows.append(ShipRow(
            line=line,
            raw_id=id_cell.text if id_cell else "",
            carrier=carrier_cell.text if carrier_cell else "",
            tracking_number=tracking_cell.text if tracking_cell else "",
            problem=str(FORMULA % {"cell": formula.ref}) if formula else "",
        ))
    return rows


# ---------------------------------------------------------------------------------------
# Shipping the rows


def _clip(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _shipped_with(sample: SampleRequest, carrier: str, tracking_number: str) -> bool:
    return sample.carrier == carrier and sample.tracking_number == "".join(tracking_number.split()).upper()


def _already(sample: SampleRequest, carrier: str, tracking_number: str) -> tuple[str, str] | None:
    """The outcome of a row whose request is no longer awaiting shipment, if it is not."""
    if sample.state == State.APPROVED:
        return None
    if sample.shipped_at and _shipped_with(sample, carrier, tracking_number):
        return SKIPPED, str(ALREADY_SHIPPED)
    if sample.shipped_at and sample.state in (State.SHIPPED, State.NOT_ARRIVED, State.RECEIVED, State.FULFILLED):
        return REFUSED, str(SHIPPED_OTHERWISE % {"carrier": sample.get_carrier_display(), "number": sample.tracking_number})
    return REFUSED, str(NOT_AWAITING % {"state": sample.state_label})


def _id_of(raw: str) -> int | None:
    """A request id as the pages show it (12 or #12)."""
    return parse_id(raw.strip().removeprefix("#").strip())


def ship_rows(*, merchant, by, rows: Sequence[ShipRow]) -> list[RowResult]:
    """Ship each row through `sample_request_ship`, each in its own savepoint; a row is
    shipped, skipped (no tracking number, or already shipped with it) or refused with the
    reason. Only the merchant's own requests are found."""
    limit = max_rows()
    if len(rows) > limit:
        raise ValidationError(str(TOO_MANY_ROWS % {"limit": limit, "n": len(rows)}))
    ids = {number for row in rows if (number := _id_of(row.raw_id)) is not None}
    # Only the merchant's own requests are found (anyone else's id: "no such request among yours").
    mine = in_scope(SampleRequest.objects.filter(pk__in=ids), merchant, "product__shop", merchant_path="merchant")  # T1: a member's shops
    found = {s.pk: s for s in mine.select_related("product", "creator")}
    with rules.held(*SHIP_RULES):
        return _ship_all(rows, found, by=by)


# The rules sample_request_ship reads for each row (S6's clock starts when shipped): read once
# per batch (core.rules.RulesObject.held), not once per row.
SHIP_RULES = ("sample_auto_receive",)


def _ship_all(rows: Sequence[ShipRow], found: dict[int, SampleRequest], *, by) -> list[RowResult]:
    seen: dict[int, int] = {}
    results = []
    for row in rows:
        number = _id_of(row.raw_id)
        carrier = carrier_code(row.carrier)
        tracking = row.tracking_number.strip()

        def result(outcome: str, reason: str = "", *, number=number, row=row) -> RowResult:
            return RowResult(line=row.line, id=number, raw_id=_clip(row.raw_id), carrier=_clip(row.carrier),
                             tracking_number=_clip(row.tracking_number), outcome=outcome, reason=reason)

        if row.problem:
            results.append(result(REFUSED, row.problem))
        elif not tracking:
            results.append(result(SKIPPED, str(NO_TRACKING)))
        elif not row.raw_id.strip():
            results.append(result(REFUSED, str(NO_ID)))
        elif number is None:
            results.append(result(REFUSED, str(BAD_ID % {"value": _clip(row.raw_id, 20)})))
        elif number in seen:
            results.append(result(REFUSED, str(DUPLICATE % {"id": number, "line": seen[number]})))
        elif row.carrier.strip() and carrier not in Carrier.values:
            results.append(result(REFUSED, str(msg.CARRIER_UNKNOWN % {
                "value": _clip(row.carrier.strip(), 20), "carriers": "、".join(str(label) for label in Carrier.labels)})))
        elif number not in found:
            results.append(result(REFUSED, str(NOT_FOUND % {"id": number})))
        elif (done := _already(found[number], carrier, tracking)) is not None:
            results.append(result(*done))
        else:
            results.append(_ship_one(found[number], by=by, carrier=carrier, tracking=tracking, make=result))
        if number is not None:
            seen.setdefault(number, row.line)
    return results


def _ship_one(sample: SampleRequest, *, by, carrier: str, tracking: str, make) -> RowResult:
    try:
        shipped = sample_request_ship(sample=sample, by=by, carrier=carrier, tracking_number=tracking)
    except ValidationError as exc:
        # Moved on since it was read (another upload or tab shipped it first): say what happened.
        fresh = SampleRequest.objects.filter(pk=sample.pk).first()
        done = _already(fresh, carrier, tracking) if fresh is not None and fresh.state != sample.state else None
        if done:
            return make(*done)
        out = make(REFUSED, " ".join(str(m) for m in exc.messages))
        out.messages = [str(m) for m in exc.messages]
        return out
    except PermissionDenied as exc:
        return make(REFUSED, str(exc))
    out = make(SHIPPED)
    out.tracking_number = shipped.tracking_number
    return out


# ---------------------------------------------------------------------------------------
# The spreadsheet upload: once per submission (core.submissions), with its result record


def ship_sheet_upload(*, merchant, by, rows: Sequence[ShipRow], kind: str, file_name: str = "", key=None) -> ShipSheetUpload:
    """Ship the rows of one uploaded file and record the outcome of each. The same form sent
    twice (a double click, a retry) returns the first upload: nothing ships twice."""
    if len(rows) > max_rows():
        raise ValidationError(too_many_rows_message(max_rows()))

    def create() -> ShipSheetUpload:
        with transaction.atomic():
            results = ship_rows(merchant=merchant, by=by, rows=rows)
            counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in (SHIPPED, SKIPPED, REFUSED)}
            return ShipSheetUpload.objects.create(
                merchant=merchant, uploaded_by=by, kind=kind, file_name=file_name[:200],
                rows=[r.as_dict() for r in results], **counts,
            )

    return once(key=key, user=by, create=create)
