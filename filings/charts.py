"""The reviewers' charts on the admin index (core.queues.register_queue_charts): how filings
left the review queue per week, and how long the filings under review have waited.

Outcomes are read from the transition history (django-fsm-log), not from the filings' state:
a filing approved, then edited and approved again counts twice, as two decisions. Weeks run
Monday to Sunday in platform time (core.charts); one query per chart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from core.charts import COLOURS, Chart, Series, by_week, week_key, week_labels, week_starts
from filings.models import Filing

State = Filing.State

# Waiting-time buckets of the queue-age chart: label, from (inclusive) and to (exclusive), in hours.
AGE_BUCKETS = (
    (gettext_lazy("under 1 day"), 0, 24), (gettext_lazy("1–2 days"), 24, 48), (gettext_lazy("2–3 days"), 48, 72),
    (gettext_lazy("3–7 days"), 72, 168), (gettext_lazy("7 days or more"), 168, None),
)


def outcomes_by_week(*, now: datetime | None = None) -> Chart:
    """Per week: filings approved, not approved, revoked (F12), and taken out of the queue by
    the merchant (F7 withdrawal, F8 edit while under review). One query."""
    starts = week_starts(now=now)
    left = Q(transition="withdraw") | Q(transition="reopen", source_state=State.UNDER_REVIEW)
    kinds = {
        "approved": Q(transition="approve"), "rejected": Q(transition="reject"), "revoked": Q(transition="revoke"), "left": left,
    }
    rows = (
        StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Filing), timestamp__gte=starts[0])
        .annotate(week=by_week("timestamp")).values("week")
        .annotate(**{key: Count("pk", filter=q) for key, q in kinds.items()}).order_by()
    )
    found = {week_key(row["week"]): row for row in rows}
    values = {key: [found.get(s.date(), {}).get(key, 0) for s in starts] for key in kinds}
    totals = {key: sum(v) for key, v in values.items()}
    summary = _(
        "Last %(weeks)s weeks: %(approved)s filings approved, %(rejected)s not approved, %(revoked)s approvals revoked; "
        "%(left)s left the queue without a decision (withdrawn or edited by the merchant)."
    ) % {"weeks": len(starts), **totals}
    return Chart(
        title=_("Filing decisions per week"), summary=summary, slug="filing-outcomes", labels=week_labels(starts),
        series=[
            Series(_("Approved"), values["approved"], colour=COLOURS[1]),
            Series(_("Not approved"), values["rejected"], colour=COLOURS[2]),
            Series(_("Revoked"), values["revoked"], colour=COLOURS[3]),
            Series(_("Withdrawn or edited"), values["left"], colour=COLOURS[4]),
        ],
        stacked=True, label_header=_("Week of"), weekly=True,
    )


def queue_age(*, now: datetime | None = None) -> Chart:
    """Filings under review now, by how long since they were submitted. One query."""
    now = now or timezone.now()

    def bucket(low: int, high: int | None) -> Q:
        q = Q(submitted_at__lte=now - timedelta(hours=low))
        return q & Q(submitted_at__gt=now - timedelta(hours=high)) if high is not None else q

    counts = Filing.objects.filter(state=State.UNDER_REVIEW).aggregate(
        **{f"b{i}": Count("pk", filter=bucket(low, high)) for i, (_label, low, high) in enumerate(AGE_BUCKETS)}
    )
    values = [counts[f"b{i}"] for i in range(len(AGE_BUCKETS))]
    waiting_long = sum(values[3:])
    summary = _("%(total)s filings under review; %(long)s of them have waited 3 days or more.") % {
        "total": sum(values), "long": waiting_long}
    return Chart(
        title=_("How long filings under review have waited"), summary=summary, slug="filing-queue-age",
        labels=[str(label) for label, _low, _high in AGE_BUCKETS], series=[Series(_("Filings"), values)],
        label_header=_("Waiting"),
    )


def review_charts() -> list[Chart]:
    return [outcomes_by_week(), queue_age()]
