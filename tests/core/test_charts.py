"""core.charts: server-drawn SVG with a text alternative, labels escaped."""

from core.charts import Series, bar_chart, line_chart


def test_a_bar_chart_has_a_title_a_description_and_one_bar_per_value():
    svg = bar_chart(["11-01", "11-08"], [Series("通过", [3, 5]), Series("未通过", [1, 0])], title="报备结果", summary="两周", slug="outcomes")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="outcomes-title outcomes-desc"' in svg
    assert "<title id=\"outcomes-title\">报备结果</title>" in svg and svg.count("<rect x=") == 4


def test_a_line_chart_escapes_its_labels():
    svg = line_chart(["<b>"], [Series("履约分", [12])], title="t", summary="s", slug="score")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "<polyline" in svg
