"""F9: a year's days as a small CSV (date,kind[,name]); bad lines are named."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from filings.workdays.csv_import import MAX_BYTES, decode, parse_csv, to_csv
from filings.workdays.notice_parser import OFF, WORK


def test_f9_csv_with_header_english_and_chinese_kinds():
    days = parse_csv("date,kind,name\n2027-01-01,off,元旦\n2027-01-31,班,春节\n# a comment\n\n2027/02/05,休\n")
    assert [(d.date, d.kind, d.name) for d in days] == [
        (date(2027, 1, 1), OFF, "元旦"), (date(2027, 1, 31), WORK, "春节"), (date(2027, 2, 5), OFF, ""),
    ]


def test_f9_csv_round_trips_through_the_preview():
    days = parse_csv("2027-01-01,off,元旦\n2027-01-31,work,春节\n")
    assert parse_csv(to_csv(days)) == days


def test_f9_csv_accepts_utf8_with_bom_and_gb18030():
    text = "日期,类型,名称\n2027-01-01,休,元旦\n"
    assert decode(("\ufeff" + text).encode("utf-8")) == text
    assert decode(text.encode("gb18030")) == text


def test_f9_csv_refuses_a_bad_date():
    with pytest.raises(ValidationError, match="第 1 行：“2027-02-30”不是"):
        parse_csv("2027-02-30,off\n")


def test_f9_csv_refuses_an_unknown_kind():
    with pytest.raises(ValidationError, match="类型应为 off（休）或 work（班）"):
        parse_csv("2027-01-01,holidayish\n")


def test_f9_csv_refuses_a_wrong_number_of_columns():
    with pytest.raises(ValidationError, match="应为“日期,类型”"):
        parse_csv("2027-01-01\n")


def test_f9_csv_refuses_a_day_both_off_and_working():
    with pytest.raises(ValidationError, match="同时被写成放假日和上班日"):
        parse_csv("2027-01-02,off\n2027-01-02,work\n")


def test_f9_csv_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="文件中没有日期"):
        parse_csv("date,kind\n")


def test_f9_csv_refuses_a_large_or_binary_file():
    with pytest.raises(ValidationError, match="文件过大"):
        decode(b"x" * (MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="不是 UTF-8 或 GB18030"):
        decode(b"\xff\xfe\x00\x81\x30")


def test_f9_csv_preview_writes_a_hostile_name_as_text_and_reads_it_back():
    """#23: the preview's CSV is one a person may paste into a spreadsheet."""
    days = parse_csv('2027-01-01,off,"=HYPERLINK(""http://x"",""y"")"\n')
    text = to_csv(days)
    assert text == '2027-01-01,off,"\'=HYPERLINK(""http://x"",""y"")"\n'
    assert parse_csv(text) == days
