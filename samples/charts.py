"""Charts of the samples domain (core.charts), each one aggregated by the database in a
fixed number of queries over the last WEEKS weeks (Monday to Sunday, platform time):

- the merchant's sample funnel and fulfilment rate per week (the samples statistics page);
- return on samples per week (V10, the returns page);
- the creator's fulfilment score at the end of each week (V1, the score page).

Every query is scoped to the merchant or creator asking: nobody else's samples count.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import COLOURS, Chart, Series, by_week, week_key, week_labels, week_starts
from samples.models import SampleRequest, ScoreAdjustment
from samples.policy.score import Params
from samples.returns import MONEY, ZERO, _source_orders, money
from shops.models import Creator, Merchant
from shops.sales import sales_sources

State = SampleRequest.State
# The funnel's exits drawn beside its steps (the others are in the table only).
TOP_CREATORS = 3


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def sample_funnel(*, merchant: Merchant, now: datetime | None = None) -> Chart:
    """Requests made in the window: how many reached each step, and how many ended early
    (declined, not decided in time, breached; withdrawn and cancelled in the table). One query."""
    start = week_starts(now=now)[0]
    c = (
        SampleRequest.objects.filter(merchant=merchant, requested_at__gte=start)
        .aggregate(
            requested=Count("pk"),
            approved=Count("pk", filter=Q(approved_at__isnull=False)),
            shipped=Count("pk", filter=Q(shipped_at__isnull=False)),
            received=Count("pk", filter=Q(received_at__isnull=False)),
            promoted=Count("pk", filter=~Q(promotion="")),
            fulfilled=Count("pk", filter=Q(state=State.FULFILLED)),
            rejected=Count("pk", filter=Q(state=State.REJECTED)),
            expired=Count("pk", filter=Q(state=State.EXPIRED)),
            breached=Count("pk", filter=Q(state=State.BREACHED)),
            withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN)),
            cancelled=Count("pk", filter=Q(state=State.CANCELLED)),
        )
    )
    steps = [
        (_("Requested"), "requested"), (_("Approved"), "approved"), (_("Shipped"), "shipped"),
        (_("Received"), "received"), (_("Promoted"), "promoted"), (_("Fulfilled"), "fulfilled"),
    ]
    exits = [(_("Declined"), "rejected"), (_("Not decided in time"), "expired"), (_("Breached"), "breached"),
             (_("Withdrawn"), "withdrawn"), (_("Cancelled"), "cancelled")]
    labels = [label for label, _key in steps + exits]
    reached = [c[key] for _label, key in steps] + [None] * len(exits)
    ended = [None] * len(steps) + [c[key] for _label, key in exits]
    rate = _percent(c["fulfilled"], c["requested"])
    summary = _(
        "Of %(requested)s requests made in the last %(weeks)s weeks, %(approved)s were approved, %(shipped)s shipped "
        "and %(fulfilled)s fulfilled (%(rate)s); %(rejected)s were declined, %(expired)s not decided in time and "
        "%(breached)s breached."
    ) % {**c, "weeks": len(week_starts(now=now)), "rate": "—" if rate is None else f"{rate:g}%"}
    return Chart(
        title=_("Sample funnel, last %(weeks)s weeks") % {"weeks": len(week_starts(now=now))}, summary=summary,
        slug="sample-funnel", labels=labels, series=[Series(_("Reached this step"), reached), Series(_("Ended here"), ended, colour=COLOURS[2])],
        stacked=True, label_header=_("Step"),
    )


def fulfilment_rate_by_week(*, merchant: Merchant, now: datetime | None = None, top: int = TOP_CREATORS) -> Chart:
    """Per week, the share of the merchant's samples closed that week that were fulfilled
    rather than breached (S7): the merchant's overall rate and that of the `top` creators
    with the most outcomes in the window. Two queries."""
    starts = week_starts(now=now)
    outcomes = SampleRequest.objects.filter(
        merchant=merchant, state__in=(State.FULFILLED, State.BREACHED), closed_at__gte=starts[0],
    )
    fulfilled = Count("pk", filter=Q(state=State.FULFILLED))
    overall = {
        week_key(row["week"]): (row["fulfilled"], row["n"])
        for row in outcomes.annotate(week=by_week("closed_at")).values("week").annotate(fulfilled=fulfilled, n=Count("pk")).order_by()
    }
    leaders = outcomes.values("creator_id").annotate(n=Count("pk")).order_by("-n", "creator_id").values("creator_id")[:top]
    per_creator: dict[int, dict] = {}
    names: dict[int, str] = {}
    rows = (
        outcomes.filter(creator_id__in=leaders).annotate(week=by_week("closed_at"))
        .values("creator_id", "creator__nickname", "week").annotate(fulfilled=fulfilled, n=Count("pk")).order_by()
    )
    for row in rows:
        names[row["creator_id"]] = row["creator__nickname"]
        per_creator.setdefault(row["creator_id"], {})[week_key(row["week"])] = (row["fulfilled"], row["n"])

    def rates(found: dict) -> list[float | None]:
        return [_percent(*found.get(start.date(), (0, 0))) for start in starts]

    leaders_by_count = sorted(per_creator, key=lambda pk: (-sum(n for _f, n in per_creator[pk].values()), pk))
    series = [Series(_("All creators"), rates(overall))] + [
        Series(names[pk][:8], rates(per_creator[pk])) for pk in leaders_by_count
    ]
    total_f = sum(f for f, _n in overall.values())
    total_n = sum(n for _f, n in overall.values())
    summary = _(
        "%(fulfilled)s of %(outcomes)s samples that closed in these weeks were fulfilled; the rest breached (no promotion "
        "in time). A week without outcomes has no rate."
    ) % {"fulfilled": total_f, "outcomes": total_n}
    return Chart(
        title=_("Fulfilment rate per week"), summary=summary, slug="fulfilment-rate", labels=week_labels(starts),
        series=series, kind="line", top=100, label_header=_("Week of"), weekly=True, unit="%",
    )


def returns_by_week(*, merchant: Merchant, now: datetime | None = None) -> Chart:
    """V10 over time: per week, what the samples first shipped that week cost and the sales
    (every registered source) that creators' promotions brought that week after a sample.
    One query plus one per sales source."""
    starts = week_starts(now=now)
    cost = {
        week_key(row["week"]): money(row["cost"])
        for row in SampleRequest.objects.filter(merchant=merchant, units_sent__gt=0, shipped_at__gte=starts[0])
        .annotate(week=by_week("shipped_at")).values("week")
        .annotate(cost=Coalesce(Sum(F("sample_cost") + F("shipping_cost"), output_field=MONEY), ZERO, output_field=MONEY))
        .order_by()
    }
    sales: dict = {}
    for source in sales_sources():
        grouped = (
            _source_orders(source, merchant.pk).filter(**{f"{source.time}__gte": starts[0]})
            .annotate(week=by_week(source.time)).values("week").annotate(amount=Sum(source.amount)).order_by()
        )
        for row in grouped:
            key = week_key(row["week"])
            sales[key] = sales.get(key, ZERO) + money(row["amount"])
    cost_values = [float(cost.get(s.date(), ZERO)) for s in starts]
    sales_values = [float(sales.get(s.date(), ZERO)) for s in starts]
    total_cost, total_sales = sum(cost.values(), ZERO), sum(sales.values(), ZERO)
    ratio = (total_sales / total_cost).quantize(Decimal("0.01")) if total_cost else None
    summary = _(
        "In the last %(weeks)s weeks: samples costing ¥%(cost)s shipped, and ¥%(sales)s of sales came afterwards "
        "(%(ratio)s per yuan of cost)."
    ) % {"weeks": len(starts), "cost": total_cost, "sales": total_sales, "ratio": "—" if ratio is None else ratio}
    return Chart(
        title=_("Sample cost and sales afterwards, per week (¥)"), summary=summary, slug="returns-by-week",
        labels=week_labels(starts), series=[Series(_("Sample cost"), cost_values, colour=COLOURS[3]), Series(_("Sales afterwards"), sales_values, colour=COLOURS[1])],
        label_header=_("Week of"), weekly=True,
    )


def score_history(*, creator: Creator, now: datetime | None = None) -> Chart:
    """V1 at the end of each of the last WEEKS weeks (Sunday 24:00 platform time, or now for
    this week), derived from the recorded outcomes and corrections exactly as the score is:
    each moment counts what closed in its rolling window. Two queries (conditional counts and
    sums, one column per week), whatever the history's length."""
    now = now or timezone.now()
    params = Params.current()
    starts = week_starts(now=now)
    # The last instant of each week (an outcome at Monday 00:00 belongs to the new week); now for this one.
    ends = [min(start + timedelta(weeks=1) - timedelta(microseconds=1), now) for start in starts]

    def in_window(field: str, end: datetime) -> Q:
        return Q(**{f"{field}__gt": end - params.window, f"{field}__lte": end})

    outcomes = SampleRequest.objects.filter(
        creator=creator, state__in=(State.BREACHED, State.FULFILLED), closed_at__gt=ends[0] - params.window, closed_at__lte=now,
    ).aggregate(**{
        f"{kind}{i}": Count("pk", filter=in_window("closed_at", end) & Q(state=state))
        for i, end in enumerate(ends) for kind, state in (("b", State.BREACHED), ("f", State.FULFILLED))
    })
    adjusted = ScoreAdjustment.objects.filter(
        creator=creator, created_at__gt=ends[0] - params.window, created_at__lte=now,
    ).aggregate(**{f"a{i}": Coalesce(Sum("delta", filter=in_window("created_at", end)), 0) for i, end in enumerate(ends)})
    values = [
        params.clamp(params.max - params.penalty * outcomes[f"b{i}"] + params.credit * outcomes[f"f{i}"] + adjusted[f"a{i}"])
        for i in range(len(ends))
    ]
    summary = _(
        "Your score at the end of each week (this week: now). At or below %(floor)s you cannot request free samples."
    ) % {"floor": params.floor}
    return Chart(
        title=_("My score, last %(weeks)s weeks") % {"weeks": len(starts)}, summary=summary, slug="score-history",
        labels=week_labels(starts), series=[Series(_("Fulfilment score"), values)], kind="line", top=params.max,
        label_header=_("Week of"), weekly=True,
    )
