"""core.charts: server-drawn SVG with a text alternative, labels escaped."""

from core.charts import Series, bar_chart, line_chart


def test_a_bar_chart_has_a_title_a_description_and_one_bar_per_value():
    svg = bar_chart(["11-01", "11-08"], [Series("通过", [3, 5]), Series("未通过", [1, 0])], title="报备结果", summary="两周", slug="outcomes")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="outcomes-title outcomes-desc"' in svg
    assert "<title id=\"outcomes-title\">报备结果</title>" in svg and svg.count("<rect x=") == 4


def test_a_line_chart_escapes_its_labels():
    svg = line_chart(["<b>"], [Series("履约分", [12])], title="t", summary="s", slug="score")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "<polyline" in svg


def test_a_line_chart_leaves_a_gap_where_there_is_no_value_and_the_table_says_so():
    from core.charts import Chart

    chart = Chart(title="履约率", summary="s", slug="rate", labels=["a", "b", "c", "d"],
                  series=[Series("全部", [50, None, 80, 90])], kind="line", unit="%")
    svg = chart.svg
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 3  # a alone, then c–d: no line through b
    assert chart.rows == [("a", ["50%"]), ("b", ["—"]), ("c", ["80%"]), ("d", ["90%"])]


def test_weeks_start_on_monday_in_platform_time_whatever_the_utc_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.charts import week_key, week_starts

    sunday_late_utc = datetime(2026, 11, 29, 16, 0, tzinfo=ZoneInfo("UTC"))  # Monday 00:00 in Shanghai
    starts = week_starts(now=sunday_late_utc)
    assert len(starts) == 12 and starts[-1].isoformat() == "2026-11-30T00:00:00+08:00"
    assert week_key(datetime(2026, 11, 29, 15, 59, tzinfo=ZoneInfo("UTC"))).isoformat() == "2026-11-23"
