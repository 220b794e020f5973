"""批量发货 (issue 24): the template download, the upload that ships each row through the ship
form's service (S5), the result page and the refused rows, and every kind of bad file
(not a spreadsheet, wrong columns, formulas, merged cells, too many rows, too big, a zip
bomb): a clear message, a 4xx, nothing half-written. Files are generated here."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_fsm_log.models import StateLog

from core.sheets import MAX_UNPACKED_BYTES, XLSX_MIME, not_a_sheet_message, too_many_rows_message
from samples import messages as msg
from samples.models import SampleRequest, ShipSheetUpload
from samples.services import ship_sheet
from samples.services.ship_sheet import ShipRow, carrier_code, ship_rows
from tests import factories
from tests.conftest import png_bytes
from tests.samples.factories import T0, H, M, approved_at, eligible_product, reload, request_at, travel

pytestmark = pytest.mark.django_db
S = SampleRequest.State
URL = "/merchant/samples/ship-sheet/"
LATER = T0 + 2 * H  # every request below was approved at T0: S5's 48 h and 120 h still ahead


@pytest.fixture
def product():
    return eligible_product(title="冰种翡翠手镯")


@pytest.fixture
def approved(product):
    """Three approved requests of one merchant (each of another creator)."""
    return [approved_at(T0, product=product) for _ in range(3)]


def _client(client, merchant):
    client.force_login(merchant.user)
    return client


def template_xlsx(client) -> openpyxl.Workbook:
    resp = client.get(URL + "template.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX_MIME
    return openpyxl.load_workbook(io.BytesIO(resp.content))


def xlsx_file(rows, *, header=None, name="发货.xlsx", edit=None) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header or ship_sheet.header())
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def csv_file(rows, *, header=None, encoding="utf-8-sig", name="发货.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or ship_sheet.header())
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def row(sample, carrier="", number=""):
    return [sample.pk, sample.product.title, sample.creator.display_name, "", carrier, number]


def upload(client, file, **data):
    with travel(LATER):
        return client.post(URL, {"file": file, **data})


def result_of(resp) -> ShipSheetUpload:
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return ShipSheetUpload.objects.get(pk=int(resp["Location"].rstrip("/").rsplit("/", 1)[1]))


def outcomes(sheet: ShipSheetUpload) -> list[tuple[int, str]]:
    return [(r["line"], r["outcome"]) for r in sorted(sheet.rows, key=lambda r: r["line"])]


def refused_nothing_written(resp, message) -> None:
    assert resp.status_code == 400
    assert str(message) in resp.content.decode()
    assert not ShipSheetUpload.objects.exists()
    assert not SampleRequest.objects.filter(state=S.SHIPPED).exists()


# ---------------------------------------------------------------------------------------
# The template


def test_s5_template_lists_the_approved_requests_with_the_address_the_detail_page_shows(client, approved, product):
    waiting = request_at(T0, product=product)  # not approved: not in the template
    merchant = product.shop.merchant
    c = _client(client, merchant)
    with travel(LATER):
        sheet = template_xlsx(c).active
        detail = c.get(f"/merchant/samples/{approved[0].pk}/").content.decode()
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["申请编号", "商品", "达人", "收货地址", "快递公司", "物流单号"]
    assert sorted(r[0] for r in rows[1:] if r[0]) == sorted(s.pk for s in approved)
    assert waiting.pk not in [r[0] for r in rows]
    first = next(r for r in rows if r[0] == approved[0].pk)
    assert first[3] == "张小明 13812345678 · 浙江省 杭州市 西湖区 文三路 90 号 3 幢 501 室"  # whole, as on the page
    assert "13812345678" in detail and "文三路 90 号 3 幢 501 室" in detail
    assert first[4] is None and first[5] is None  # carrier and tracking number left to fill


def test_template_cells_are_neutralised_against_formula_injection_in_xlsx_and_csv(client, product):
    sample = approved_at(T0, product=product, creator=factories.CreatorFactory(nickname='=HYPERLINK("http://x","y")'))
    c = _client(client, product.shop.merchant)
    with travel(LATER):
        sheet = template_xlsx(c).active
        text = c.get(URL + "template.csv").content.decode("utf-8-sig")
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == sample.pk)[2]
    assert cell.value.startswith("'=HYPERLINK(") and cell.data_type == "s"  # text shown, never run
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text


def test_the_inbox_links_to_bulk_shipping(client, approved, product):
    c = _client(client, product.shop.merchant)
    with travel(LATER):
        page = c.get("/merchant/samples/").content.decode()
        ship_page = c.get(URL)
    assert 'href="/merchant/samples/ship-sheet/"' in page and "批量发货" in page
    assert ship_page.status_code == 200 and "3 条申请待发货" in ship_page.content.decode()


# ---------------------------------------------------------------------------------------
# Shipping the rows (S5, through sample_request_ship)


def test_s5_upload_ships_each_row_through_the_ship_service_and_skips_rows_without_tracking(client, approved, product):
    a, b, c_ = approved
    merchant = product.shop.merchant
    c = _client(client, merchant)
    file = xlsx_file([row(a, "顺丰速运", "SF1234567890123"), row(b, "zto", "731234567890"), row(c_, "", "")])
    sheet = result_of(upload(c, file))
    assert outcomes(sheet) == [(2, "shipped"), (3, "shipped"), (4, "skipped")]
    assert (sheet.shipped, sheet.skipped, sheet.refused) == (2, 1, 0)
    a, b, c_ = (reload(s) for s in approved)
    assert (a.state, a.carrier, a.tracking_number) == (S.SHIPPED, "sf", "SF1234567890123")
    assert (b.state, b.carrier) == (S.SHIPPED, "zto")
    assert c_.state == S.APPROVED
    log = StateLog.objects.for_(a).get(transition="ship")
    assert log.by == merchant.user  # the per-row audit: who shipped, as with the ship form
    with travel(LATER):
        page = c.get(f"{URL}{sheet.pk}/").content.decode()
    assert "已发货" in page and str(ship_sheet.NO_TRACKING) in page


def test_s5_a_refused_row_is_reported_with_its_reason_and_does_not_undo_the_others(client, approved, product):
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    sheet = result_of(upload(c, xlsx_file([row(a, "sf", "731234567890"), row(b, "sf", "SF1234567890123")])))
    assert outcomes(sheet) == [(2, "refused"), (3, "shipped")]
    reason = sheet.rows[0]["reason"] if sheet.rows[0]["line"] == 2 else sheet.rows[1]["reason"]
    assert reason == str(msg.TRACKING_FORMAT % {"carrier": "顺丰速运", "example": "SF123456789012"})
    assert reload(a).state == S.APPROVED and reload(b).state == S.SHIPPED


def test_s5_row_at_the_cancel_deadline_is_refused_and_a_second_before_it_ships(client, product):
    early = approved_at(T0, product=product)
    late = approved_at(T0 + M, product=product)  # its 120 h end a minute after early's
    c = _client(client, product.shop.merchant)
    file = xlsx_file([row(early, "sf", "SF1234567890123"), row(late, "sf", "SF1234567890124")])
    with travel(T0 + 120 * H):  # early's S5 deadline exactly; late's is a minute ahead
        sheet = result_of(c.post(URL, {"file": file}))
    assert outcomes(sheet) == [(2, "refused"), (3, "shipped")]
    assert next(r for r in sheet.rows if r["line"] == 2)["reason"] == str(msg.SHIP_TOO_LATE)
    assert reload(early).state == S.APPROVED and reload(late).state == S.SHIPPED
    other = approved_at(T0, product=product)
    with travel(T0 + 120 * H - M / 60):  # one second before the deadline
        sheet = result_of(c.post(URL, {"file": xlsx_file([row(other, "sf", "SF1234567890125")])}))
    assert outcomes(sheet) == [(2, "shipped")]


def test_uploading_the_same_file_twice_ships_nothing_twice(client, approved, product):
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    rows = [row(a, "sf", "SF1234567890123"), row(b, "yto", "YT1234567890123")]
    first = result_of(upload(c, xlsx_file(rows)))
    logs = StateLog.objects.count()
    again = result_of(upload(c, xlsx_file(rows)))
    assert first.pk != again.pk and outcomes(again) == [(2, "skipped"), (3, "skipped")]
    assert {r["reason"] for r in again.rows} == {str(ship_sheet.ALREADY_SHIPPED)}
    assert StateLog.objects.count() == logs


def test_the_same_submission_sent_twice_is_acted_on_once(client, approved, product):
    c = _client(client, product.shop.merchant)
    key = "8b0d1a53-0c2f-4c61-9a53-1f7e8f3f2c11"
    rows = [row(approved[0], "sf", "SF1234567890123")]
    first = result_of(upload(c, xlsx_file(rows), submission=key))
    second = result_of(upload(c, xlsx_file(rows), submission=key))
    assert first.pk == second.pk and ShipSheetUpload.objects.count() == 1


def test_a_request_shipped_already_with_another_number_is_refused_not_reshipped(client, approved, product):
    a = approved[0]
    c = _client(client, product.shop.merchant)
    result_of(upload(c, xlsx_file([row(a, "sf", "SF1234567890123")])))
    sheet = result_of(upload(c, xlsx_file([row(a, "sf", "SF9999999999999")])))
    assert outcomes(sheet) == [(2, "refused")] and "SF1234567890123" in sheet.rows[0]["reason"]
    assert reload(a).tracking_number == "SF1234567890123"


def test_other_merchants_requests_unknown_ids_and_duplicate_rows_are_refused(client, approved, product):
    someone_elses = approved_at(T0)  # another merchant's product
    a = approved[0]
    c = _client(client, product.shop.merchant)
    file = xlsx_file([
        row(someone_elses, "sf", "SF1234567890123"),
        ["abc", "", "", "", "sf", "SF1234567890124"],
        row(a, "sf", "SF1234567890125"),
        row(a, "sf", "SF1234567890126"),
        ["", "", "", "", "sf", "SF1234567890127"],
    ])
    sheet = result_of(upload(c, file))
    reasons = {r["line"]: r["reason"] for r in sheet.rows}
    assert outcomes(sheet) == [(2, "refused"), (3, "refused"), (4, "shipped"), (5, "refused"), (6, "refused")]
    assert reasons[2] == str(ship_sheet.NOT_FOUND % {"id": someone_elses.pk})
    assert reasons[3] == str(ship_sheet.BAD_ID % {"value": "abc"})
    assert reasons[5] == str(ship_sheet.DUPLICATE % {"id": a.pk, "line": 4})
    assert reasons[6] == str(ship_sheet.NO_ID)
    assert reload(someone_elses).state == S.APPROVED


def test_the_refused_rows_come_back_as_a_file_to_fix_and_upload_again(client, approved, product):
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    sheet = result_of(upload(c, xlsx_file([row(a, "sf", "12345"), row(b, "sf", "SF1234567890123")])))
    with travel(LATER):
        resp = c.get(f"{URL}{sheet.pk}/refused.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX_MIME
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][-1] == "拒绝原因" and len([r for r in rows[1:] if r[0]]) == 1
    assert rows[1][0] == a.pk and rows[1][5] == "12345" and "顺丰速运" in rows[1][6]
    assert "文三路" in rows[1][3]  # the address, as the template has it
    book.active.cell(row=2, column=6, value="SF1234567890124")  # fixed
    out = io.BytesIO()
    book.save(out)
    again = result_of(upload(c, SimpleUploadedFile("fixed.xlsx", out.getvalue())))
    assert outcomes(again) == [(2, "shipped")] and reload(a).state == S.SHIPPED


def test_csv_saved_by_excel_in_gb18030_with_chinese_carrier_names_ships(client, approved, product):
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    file = csv_file([row(a, "顺丰速运", "SF1234567890123"), row(b, "中通快递", "731234567890")], encoding="gb18030")
    sheet = result_of(upload(c, file))
    assert sheet.kind == "csv" and outcomes(sheet) == [(2, "shipped"), (3, "shipped")]
    assert reload(b).carrier == "zto"


def test_our_own_csv_template_filled_in_ships(client, approved, product):
    c = _client(client, product.shop.merchant)
    with travel(LATER):
        text = c.get(URL + "template.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    for n, line in enumerate(lines[1:]):
        line[4:6] = ["韵达快递", f"431234567890{n}"]
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    sheet = result_of(upload(c, SimpleUploadedFile("t.csv", ("\ufeff" + out.getvalue()).encode())))
    assert (sheet.kind, sheet.shipped, sheet.refused) == ("csv", 3, 0)


# ---------------------------------------------------------------------------------------
# The service alone (the API calls the same)


@pytest.mark.parametrize("text, code", [
    ("sf", "sf"), ("SF", "sf"), ("顺丰速运", "sf"), ("SF Express (顺丰速运)", "sf"), ("SF Express（顺丰速运）", "sf"),
    (" 中通快递 ", "zto"), ("JD Logistics", "jd"), ("中国邮政", "ems"), ("顺丰", "顺丰"),
])
def test_carrier_cells_take_the_code_or_the_chinese_name(text, code):
    assert carrier_code(text) == code


def test_s5_ship_rows_refuses_an_unknown_carrier_naming_the_list_and_a_blank_one_with_the_ship_forms_message(approved, product):
    a, b, _c = approved
    with travel(LATER):
        unknown, blank = ship_rows(merchant=product.shop.merchant, by=product.shop.merchant.user, rows=[
            ShipRow(line=2, raw_id=str(a.pk), carrier="顺丰", tracking_number="SF1234567890123"),
            ShipRow(line=3, raw_id=str(b.pk), carrier="", tracking_number="SF1234567890124"),
        ])
    assert unknown.outcome == "refused" and unknown.reason.startswith("“顺丰”不是列表中的快递公司") and "中通快递" in unknown.reason
    assert (blank.outcome, blank.reason) == ("refused", str(msg.CARRIER_REQUIRED))
    assert reload(a).state == reload(b).state == S.APPROVED


def test_s5_ship_rows_accepts_an_id_written_as_on_the_pages(approved, product):
    a = approved[0]
    with travel(LATER):
        [out] = ship_rows(merchant=product.shop.merchant, by=product.shop.merchant.user,
                          rows=[ShipRow(line=2, raw_id=f"#{a.pk}", carrier="sf", tracking_number="sf 1234 5678 90123")])
    assert out.outcome == "shipped" and out.tracking_number == "SF1234567890123"


# ---------------------------------------------------------------------------------------
# Bad input (item 3): the whole file refused, a 400 with the reason, nothing written


def test_a_picture_named_xlsx_is_not_a_spreadsheet(client, approved, product):
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xlsx", png_bytes())), not_a_sheet_message())


def test_a_zip_that_is_no_workbook_is_not_a_spreadsheet(client, approved, product):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xlsx", out.getvalue())), not_a_sheet_message())


def test_a_truncated_workbook_is_refused_as_damaged(client, approved, product):
    data = xlsx_file([row(approved[0], "sf", "SF1234567890123")]).read()
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xlsx", data[: len(data) // 2])), "文件已损坏")


def test_an_old_xls_file_is_refused_with_what_to_do(client, approved, product):
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4000
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xls", ole2)), ".xlsx")


def test_binary_bytes_named_csv_are_not_a_spreadsheet(client, approved, product):
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.csv", b"id,carrier\n\x00\x01\x02")), not_a_sheet_message())


def test_missing_columns_are_named(client, approved, product):
    c = _client(client, product.shop.merchant)
    file = xlsx_file([[approved[0].pk, "SF1234567890123"]], header=["申请编号", "运费"])
    resp = upload(c, file)
    refused_nothing_written(resp, "缺少这些列：快递公司、物流单号")
    assert "不认识的列：运费" in resp.content.decode()


def test_a_column_given_twice_is_refused(client, approved, product):
    c = _client(client, product.shop.merchant)
    file = xlsx_file([], header=["申请编号", "快递公司", "物流单号", "快递单号"])
    refused_nothing_written(upload(c, file), "出现了两次")


def test_an_empty_file_is_refused(client, approved, product):
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.csv", b"\n\n")), "文件是空的")


def test_a_formula_in_a_cell_refuses_its_row_and_the_others_ship(client, approved, product):
    """Formulas are not calculated here and their cached values are not trusted (a formula
    typed into a tracking cell could show anything): the row is refused, naming the cell."""
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    file = xlsx_file([row(a, "sf", '="SF"&"1234567890123"'), row(b, "sf", "SF1234567890124")])
    sheet = result_of(upload(c, file))
    assert outcomes(sheet) == [(2, "refused"), (3, "shipped")]
    assert next(r for r in sheet.rows if r["line"] == 2)["reason"] == str(ship_sheet.FORMULA % {"cell": "F2"})
    assert reload(a).state == S.APPROVED


def test_a_formula_in_a_csv_cell_refuses_its_row(client, approved, product):
    a = approved[0]
    c = _client(client, product.shop.merchant)
    sheet = result_of(upload(c, csv_file([[a.pk, "", "", "", "=A1", "SF1234567890123"]])))
    assert outcomes(sheet) == [(2, "refused")] and "E2" in sheet.rows[0]["reason"]


def test_merged_cells_refuse_the_file(client, approved, product):
    a, b, _c = approved
    c = _client(client, product.shop.merchant)
    file = xlsx_file([row(a, "sf", "SF1234567890123"), row(b, "", "SF1234567890124")], edit=lambda s: s.merge_cells("E2:E3"))
    refused_nothing_written(upload(c, file), "E2:E3")


def test_20000_rows_are_refused_with_the_limit(client, approved, product):
    c = _client(client, product.shop.merchant)
    rows = [[approved[0].pk + n, "", "", "", "sf", f"SF{1234567890000 + n}"] for n in range(20_000)]
    refused_nothing_written(upload(c, csv_file(rows)), too_many_rows_message(ship_sheet.max_rows()))


def test_20000_rows_in_a_workbook_are_refused_too(client, approved, product):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(ship_sheet.header())
    for n in range(20_000):
        sheet.append([n + 1, "", "", "", "sf", f"SF{1234567890000 + n}"])
    out = io.BytesIO()
    workbook.save(out)
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("big.xlsx", out.getvalue())), too_many_rows_message(ship_sheet.max_rows()))


def test_a_file_over_the_upload_limit_is_refused_by_the_form(client, approved, product, settings):
    c = _client(client, product.shop.merchant)
    data = b"a,b\n" * (settings.MAX_UPLOAD_BYTES // 4 + 10)
    refused_nothing_written(upload(c, SimpleUploadedFile("big.csv", data)), "文件过大")


def test_a_50_mb_file_is_refused_before_it_is_read(client, approved, product):
    c = _client(client, product.shop.merchant)
    resp = upload(c, SimpleUploadedFile("big.xlsx", b"0" * (50 * 1024 * 1024)))
    assert resp.status_code == 413 and "过大" in resp.content.decode()
    assert not ShipSheetUpload.objects.exists() and not SampleRequest.objects.filter(state=S.SHIPPED).exists()


def _bomb(entries: dict[str, int]) -> bytes:
    """A zip named like a workbook: each entry `size` bytes of zeros (a few KB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1 << 20)
        for name, size in entries.items():
            with archive.open(name, "w", force_zip64=True) as entry:
                for _ in range(size // len(chunk)):
                    entry.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_unpacked(client, approved, product):
    data = _bomb({"xl/worksheets/sheet1.xml": MAX_UNPACKED_BYTES + (16 << 20)})
    assert len(data) < 1 << 20  # under a megabyte on the wire
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xlsx", data)), "解压后")


def test_a_zip_with_thousands_of_entries_is_refused(client, approved, product):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(2000):
            archive.writestr(f"xl/media/{n}.bin", b"")
    c = _client(client, product.shop.merchant)
    refused_nothing_written(upload(c, SimpleUploadedFile("发货.xlsx", out.getvalue())), "2001")


def test_an_empty_post_is_a_form_error(client, approved, product):
    c = _client(client, product.shop.merchant)
    with travel(LATER):
        resp = c.post(URL, {})
    assert resp.status_code == 400 and not ShipSheetUpload.objects.exists()


# ---------------------------------------------------------------------------------------
# Scope: the result and the refused rows are the merchant's own


def test_another_merchant_gets_a_404_for_the_result_and_its_refused_rows(client, approved, product):
    c = _client(client, product.shop.merchant)
    sheet = result_of(upload(c, xlsx_file([row(approved[0], "sf", "1")])))
    c.force_login(factories.MerchantFactory().user)
    with travel(LATER):
        assert c.get(f"{URL}{sheet.pk}/").status_code == 404
        assert c.get(f"{URL}{sheet.pk}/refused.xlsx").status_code == 404


def test_the_result_page_is_a_fixed_number_of_queries(client, product, django_assert_max_num_queries):
    samples = [approved_at(T0, product=product) for _ in range(4)]
    c = _client(client, product.shop.merchant)
    small = result_of(upload(c, xlsx_file([row(samples[0], "sf", "1")])))
    big = result_of(upload(c, xlsx_file([row(s, "sf", "2") for s in samples])))
    counts = []
    for sheet in (small, big):
        with travel(LATER), django_assert_max_num_queries(12) as queries:
            assert c.get(f"{URL}{sheet.pk}/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
