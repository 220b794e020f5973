"""F9: the State Council's notice, pasted as published, gives exactly the days off and the
make-up working days; anything it cannot read is refused line by line, never half-read."""

from datetime import date
from pathlib import Path

import pytest
from chinese_calendar.constants import holidays, workdays
from django.core.exceptions import ValidationError

from filings.workdays.notice_parser import OFF, WORK, parse_notice, read_header

DATA = Path(__file__).parent / "data"


def package_days(year: int) -> set[tuple[date, str]]:
    return {(d, OFF) for d in holidays if d.year == year} | {(d, WORK) for d in workdays if d.year == year}


@pytest.mark.parametrize("year", [2025, 2026])
def test_f9_whole_published_notice_gives_exactly_the_package_days(year):
    text = (DATA / f"notice_{year}.txt").read_text(encoding="utf-8")
    days = parse_notice(text, year=year)
    assert {(d.date, d.kind) for d in days} == package_days(year)
    assert len(days) == len({d.date for d in days})


def test_f9_notice_header_gives_title_year_and_date():
    header = read_header((DATA / "notice_2025.txt").read_text(encoding="utf-8"))
    assert header.title == "国务院办公厅关于2025年部分节假日安排的通知"
    assert header.year == 2025
    assert header.notice_date == date(2024, 11, 12)


def test_f9_the_issues_spring_festival_line_without_its_number():
    line = "春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"
    days = parse_notice(line, year=2025)
    off = [d.date for d in days if d.kind == OFF]
    assert off == [date(2025, 1, 28) + (date(2025, 1, 2) - date(2025, 1, 1)) * i for i in range(8)]
    assert [d.date for d in days if d.kind == WORK] == [date(2025, 1, 26), date(2025, 2, 8)]
    assert {d.name for d in days} == {"春节"}


def test_f9_same_month_range_and_single_day():
    days = parse_notice("三、清明节：4月4日（周五）至6日（周日）放假，共3天。\n一、元旦：1月1日（周三）放假1天，不调休。", year=2025)
    assert [(d.date, d.kind) for d in days] == [
        (date(2025, 1, 1), OFF), (date(2025, 4, 4), OFF), (date(2025, 4, 5), OFF), (date(2025, 4, 6), OFF),
    ]


def test_f9_half_width_punctuation_full_width_digits_and_old_weekday_style():
    text = "四、劳动节:５月１日(星期四)至５日(星期一)放假调休,共5天;4月27日(星期日)上班."
    days = parse_notice(text, year=2025)
    assert [d.date for d in days if d.kind == OFF] == [date(2025, 5, i) for i in range(1, 6)]
    assert [d.date for d in days if d.kind == WORK] == [date(2025, 4, 27)]


def test_f9_makeup_day_list_in_one_sentence_with_commas():
    days = parse_notice("国庆节：10月1日至8日放假调休，共8天，9月28日（周日）、10月11日（周六）上班。", year=2025)
    assert [d.date for d in days if d.kind == WORK] == [date(2025, 9, 28), date(2025, 10, 11)]
    assert len([d for d in days if d.kind == OFF]) == 8


def test_f9_ranges_across_a_month_end():
    days = parse_notice("五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。", year=2025)
    assert [d.date for d in days] == [date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)]


def test_f9_parser_refuses_a_notice_pasted_under_the_wrong_year():
    with pytest.raises(ValidationError, match="并不是该星期几"):
        parse_notice("二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。", year=2026)


def test_f9_parser_refuses_an_impossible_date():
    with pytest.raises(ValidationError, match="“2月30日”不是有效日期"):
        parse_notice("春节：2月30日放假。", year=2027)


def test_f9_parser_refuses_a_range_ending_before_it_starts():
    with pytest.raises(ValidationError, match="结束早于开始"):
        parse_notice("国庆节：10月8日至10月1日放假。", year=2027)


def test_f9_parser_refuses_a_day_both_off_and_working():
    with pytest.raises(ValidationError, match="同时被写成放假日和上班日"):
        parse_notice("元旦：1月1日至3日放假。1月2日（周六）上班。", year=2027)


def test_f9_parser_refuses_dates_that_are_neither_off_nor_working():
    with pytest.raises(ValidationError, match="既没有“放假”也没有“上班”"):
        parse_notice("春节：2月5日至12日放假，2月13日另行通知。1月31日上班。", year=2027)


def test_f9_parser_refuses_text_without_days():
    with pytest.raises(ValidationError, match="没有找到日期"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n节假日期间，各地区要妥善安排好值班工作。", year=2027)


def test_f9_parser_names_every_bad_line_at_once():
    with pytest.raises(ValidationError) as exc:
        parse_notice("一、元旦：1月1日（周四）放假。\n二、春节：2月30日放假。", year=2027)
    assert [m[:5] for m in exc.value.messages] == ["第 1 行", "第 2 行"]


def test_f9_range_plus_a_listed_day_in_one_clause():
    days = parse_notice("春节：2月5日（周五）至7日（周日）、2月14日（周日）放假。", year=2027)
    assert [d.date for d in days] == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 14)]
