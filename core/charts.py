"""Charts drawn on the server as SVG: no JavaScript (the CSP allows none inline), readable
without colour, each with a text alternative (a title and a description for screen readers,
and the numbers as a table next to it in the templates).

`bar_chart` for counts per category or per period (optionally stacked), `line_chart` for a
value over time. Both return a SafeString; the values and labels are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The design guide's palette, distinguishable for the common colour-vision deficiencies.
COLOURS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997"]
WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 40


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = ""  # one of COLOURS when the meaning calls for it (red for losses); else by position

    def colour_at(self, position: int) -> str:
        return self.colour or COLOURS[position % len(COLOURS)]


def _nice_max(value: float) -> float:
    """A round top for the axis (1, 2, 5 × 10^n) at or above `value`."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value and magnitude > 1:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _frame(title: str, summary: str, body: str, legend: Sequence[Series], slug: str) -> SafeString:
    legend_items = "".join(
        f'<g transform="translate({PAD_LEFT + i * 130},{HEIGHT - 10})"><rect width="10" height="10" y="-9" fill="{s.colour_at(i)}"/>'
        f'<text x="14" font-size="11">{escape(s.name)}</text></g>'
        for i, s in enumerate(legend)
    ) if len(legend) > 1 else ""
    return mark_safe(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{slug}-title {slug}-desc" data-chart="{slug}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{slug}-title">{escape(title)}</title><desc id="{slug}-desc">{escape(summary)}</desc>'
        f"{body}{legend_items}</svg>"
    )


def _axes(top: float, labels: Sequence[str], plot_w: float, plot_h: float) -> str:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{PAD_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#495057">{_fmt(value)}</text>'
        )
    step = plot_w / max(len(labels), 1)
    every = max(1, len(labels) // 8)  # at most ~8 labels under the axis
    for i, label in enumerate(labels):
        if i % every == 0:
            x = PAD_LEFT + step * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{PAD_TOP + plot_h + 16:.1f}" font-size="11" text-anchor="middle" fill="#495057">{escape(label)}</text>')
    return "".join(parts)


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, summary: str, slug: str, stacked: bool = False, top: float | None = None) -> SafeString:
    """Bars per label: side by side for several series, or stacked."""
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    if stacked:
        highest = max((sum(s.values[i] or 0 for s in series) for i in range(len(labels))), default=0)
    else:
        highest = max((v or 0 for s in series for v in s.values), default=0)
    top = top or _nice_max(highest)
    step = plot_w / max(len(labels), 1)
    bars = []
    for i, label in enumerate(labels):
        base = 0.0
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_h * value / top
            if stacked:
                x, w = PAD_LEFT + step * i + step * 0.15, step * 0.7
                y = PAD_TOP + plot_h - plot_h * base / top - h
                base += value
            else:
                w = step * 0.7 / len(series)
                x, y = PAD_LEFT + step * i + step * 0.15 + w * j, PAD_TOP + plot_h - h
            bars.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{s.colour_at(j)}">'
                f"<title>{escape(label)} · {escape(s.name)}: {_fmt(value)}</title></rect>"
            )
    return _frame(title, summary, _axes(top, labels, plot_w, plot_h) + "".join(bars), series, slug)


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, summary: str, slug: str, top: float | None = None) -> SafeString:
    """One line per series over the labels (periods), a dot on each value. A value of None
    (nothing to measure in that period, e.g. a rate of no outcomes) leaves a gap in the line."""
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = top or _nice_max(max((v for s in series for v in s.values if v is not None), default=0))
    step = plot_w / max(len(labels), 1)
    lines = []
    for j, s in enumerate(series):
        colour = s.colour_at(j)
        points = [
            (i, PAD_LEFT + step * (i + 0.5), PAD_TOP + plot_h - plot_h * v / top) if v is not None else None
            for i, v in enumerate(s.values)
        ]
        segment: list[tuple[int, float, float]] = []
        for point in [*points, None]:  # a None (or the end) closes the segment drawn so far
            if point is not None:
                segment.append(point)
                continue
            if segment:
                path = " ".join(f"{x:.1f},{y:.1f}" for _i, x, y in segment)
                lines.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            segment = []
        lines.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(labels[i])} · {escape(s.name)}: {_fmt(s.values[i])}</title></circle>'
            for i, x, y in (p for p in points if p is not None)
        )
    return _frame(title, summary, _axes(top, labels, plot_w, plot_h) + "".join(lines), series, slug)


@dataclass(frozen=True)
class Chart:
    """A chart and the numbers it draws, for the templates' partial (includes/chart.html):
    the SVG, and the same figures as a table next to it (screen readers, copying, print)."""

    title: str
    summary: str
    slug: str
    labels: Sequence[str]
    series: Sequence[Series]
    kind: str = "bar"  # "bar" or "line"
    stacked: bool = False
    top: float | None = None
    label_header: str = ""  # the table's first column ("Week")
    unit: str = ""  # after each value in the table ("%")
    weekly: bool = False  # labels are weeks, oldest first (a phone shows the latest end first)

    @property
    def svg(self) -> SafeString:
        if self.kind == "line":
            return line_chart(self.labels, self.series, title=self.title, summary=self.summary, slug=self.slug, top=self.top)
        return bar_chart(
            self.labels, self.series, title=self.title, summary=self.summary, slug=self.slug, stacked=self.stacked, top=self.top
        )

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """One row per label: the label and each series' value ("—" where there is none)."""
        return [
            (label, ["—" if s.values[i] is None else f"{_fmt(s.values[i])}{self.unit}" for s in self.series])
            for i, label in enumerate(self.labels)
        ]


# ---------------------------------------------------------------------------------------
# Weeks: the pages chart the last WEEKS weeks, Monday to Sunday in platform time
# (Asia/Shanghai, settings.TIME_ZONE), whatever the database's or the viewer's zone.

WEEKS = 12


def platform_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_starts(*, now: datetime | None = None, weeks: int = WEEKS) -> list[datetime]:
    """The Mondays 00:00 (platform time) of the last `weeks` weeks, oldest first, this week last."""
    local = (now or timezone.now()).astimezone(platform_zone())
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def by_week(field: str) -> TruncWeek:
    """The week (its Monday, platform time) a datetime column falls in, computed by the database."""
    return TruncWeek(field, tzinfo=platform_zone())


def week_key(moment: datetime) -> date:
    """The Monday (a date) of a TruncWeek value or of any instant, in platform time."""
    local = moment.astimezone(platform_zone()) if moment.tzinfo else moment
    return (local - timedelta(days=local.weekday())).date()


def week_labels(starts: Sequence[datetime]) -> list[str]:
    return [start.strftime("%m-%d") for start in starts]
