"""V1 Fulfilment score (履约分): computed, never stored, from a creator's sample history
across every merchant, on a 12-point scale.

The formula (every number from the rules object, defaults in brackets):

    score(t) = clamp(MAX − P × B(t) + C × F(t) + ΣA(t), 0, MAX)

    MAX  sample_score_max             (12)  the full score; every creator starts there
    W    sample_score_window          (90 days) the rolling window
    P    sample_score_breach_penalty  (3)   points lost per breached sample
    C    sample_score_fulfil_credit   (1)   points won back per fulfilled sample
    B(t) the creator's samples that became `breached` in (t − W, t]   (S7: no promotion
         in 360 h, or the video did not hold)
    F(t) the creator's samples that became `fulfilled` in (t − W, t]  (S7: fulfilled on
         time; a staff override to fulfilled counts too, and a breach overridden to
         fulfilled stops counting as a breach)
    A(t) reviewers' corrections (ScoreAdjustment.delta) made in (t − W, t]

Each outcome counts from the moment its request closed (`closed_at`) and ages out W later,
so a penalty is restored by itself. "Withdrawn after approval" is not yet reachable: the
state machine lets a creator withdraw only before the merchant decides (S3), and that
costs nothing; the term is 0 until a creator-side cancellation after approval exists.

At or below `sample_score_floor` (8) the creator cannot request samples. Until when: the
first instant at which the outcomes and corrections already recorded have aged out far
enough to lift the score above the floor (`Score.blocked_until`). Reviewers correct a score
through samples.services.policy.score_adjust.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.rules import rules
from samples.models import SampleRequest, ScoreAdjustment
from shops.models import Creator

State = SampleRequest.State


@dataclass(frozen=True)
class ScoreEvent:
    """One input of the score: an outcome or a correction, when it counts and how much."""

    kind: str  # "breached", "fulfilled" or "adjustment"
    at: datetime
    ages_out_at: datetime
    points: int
    sample: SampleRequest | None = None
    adjustment: ScoreAdjustment | None = None


@dataclass
class Params:
    max: int
    floor: int
    window: timedelta
    penalty: int
    credit: int

    KEYS = ("sample_score_max", "sample_score_floor", "sample_score_window", "sample_score_breach_penalty", "sample_score_fulfil_credit")

    @classmethod
    def current(cls) -> Params:
        """The five V1 values, read in one query (a list page would otherwise pay five)."""
        r = rules.snapshot(*cls.KEYS)
        return cls(
            max=r.count("sample_score_max"), floor=r.count("sample_score_floor"),
            window=r.duration("sample_score_window"),
            penalty=r.count("sample_score_breach_penalty"), credit=r.count("sample_score_fulfil_credit"),
        )

    def clamp(self, raw: int) -> int:
        return max(0, min(self.max, raw))


@dataclass
class Score:
    value: int
    params: Params
    now: datetime
    events: list[ScoreEvent] = field(default_factory=list)

    @property
    def max(self) -> int:
        return self.params.max

    @property
    def floor(self) -> int:
        return self.params.floor

    @property
    def raw(self) -> int:
        """Before clamping to 0..MAX (a correction is measured from here so it lands exactly)."""
        return self.params.max + sum(e.points for e in self.events)

    @property
    def blocked(self) -> bool:
        """V1: at or below the floor, no new sample requests."""
        return self.value <= self.params.floor

    @property
    def breaches(self) -> int:
        return sum(1 for e in self.events if e.kind == "breached")

    @property
    def fulfilments(self) -> int:
        return sum(1 for e in self.events if e.kind == "fulfilled")

    def value_at(self, moment: datetime) -> int:
        """The score at a later moment if nothing new happened: only ageing out changes it."""
        return self.params.clamp(self.params.max + sum(e.points for e in self.events if e.ages_out_at > moment))

    @property
    def blocked_until(self) -> datetime | None:
        """The first instant the score is above the floor again, or None (not blocked, or
        the floor is at or above the full score, so ageing out never lifts it)."""
        if not self.blocked:
            return None
        for moment in sorted({e.ages_out_at for e in self.events}):
            if self.value_at(moment) > self.params.floor:
                return moment
        return None


def _events(creator_ids: list[int], params: Params, now: datetime) -> dict[int, list[ScoreEvent]]:
    since = now - params.window
    out: dict[int, list[ScoreEvent]] = {pk: [] for pk in creator_ids}
    outcomes = (
        SampleRequest.objects.filter(
            creator_id__in=creator_ids, state__in=(State.BREACHED, State.FULFILLED), closed_at__gt=since, closed_at__lte=now
        )
        .select_related("product")
        .order_by("closed_at", "pk")
    )
    for sample in outcomes:
        breached = sample.state == State.BREACHED
        out[sample.creator_id].append(ScoreEvent(
            kind="breached" if breached else "fulfilled", at=sample.closed_at, ages_out_at=sample.closed_at + params.window,
            points=-params.penalty if breached else params.credit, sample=sample,
        ))
    for adj in ScoreAdjustment.objects.filter(creator_id__in=creator_ids, created_at__gt=since, created_at__lte=now).select_related("by"):
        out[adj.creator_id].append(ScoreEvent(
            kind="adjustment", at=adj.created_at, ages_out_at=adj.created_at + params.window, points=adj.delta, adjustment=adj,
        ))
    for events in out.values():
        events.sort(key=lambda e: e.at)
    return out


def scores_for(creator_ids, *, now: datetime | None = None) -> dict[int, Score]:
    """V1 for many creators at once (two queries, whatever their number): list pages use this."""
    now = now or timezone.now()
    params = Params.current()
    ids = list({int(pk) for pk in creator_ids})
    events = _events(ids, params, now) if ids else {}
    return {
        pk: Score(value=params.clamp(params.max + sum(e.points for e in evs)), params=params, now=now, events=evs)
        for pk, evs in events.items()
    }


@dataclass(frozen=True)
class ScoreValue:
    """A creator's score as a list page shows it: the value, out of what, blocked or not."""

    value: int
    max: int
    floor: int

    @property
    def blocked(self) -> bool:
        return self.value <= self.floor


def score_values_for(creator_ids, *, now: datetime | None = None) -> dict[int, ScoreValue]:
    """V1's value for many creators, counted in SQL (two queries, whatever their history):
    a list page shows the number, not the events (`scores_for` loads every outcome in the
    window, tens of thousands of rows for a big creator)."""
    now = now or timezone.now()
    params = Params.current()
    ids = list({int(pk) for pk in creator_ids})
    if not ids:
        return {}
    since = now - params.window
    points = {pk: 0 for pk in ids}
    outcomes = (
        SampleRequest.objects.filter(
            creator_id__in=ids, state__in=(State.BREACHED, State.FULFILLED), closed_at__gt=since, closed_at__lte=now
        )
        .order_by().values("creator_id", "state").annotate(n=Count("*"))
    )
    for row in outcomes:
        points[row["creator_id"]] += row["n"] * (-params.penalty if row["state"] == State.BREACHED else params.credit)
    adjusted = (
        ScoreAdjustment.objects.filter(creator_id__in=ids, created_at__gt=since, created_at__lte=now)
        .order_by().values("creator_id").annotate(total=Sum("delta"))
    )
    for row in adjusted:
        points[row["creator_id"]] += row["total"]
    return {pk: ScoreValue(value=params.clamp(params.max + p), max=params.max, floor=params.floor) for pk, p in points.items()}


def creator_score(creator: Creator, *, now: datetime | None = None) -> Score:
    return scores_for([creator.pk], now=now)[creator.pk]


def annotate_window_counts(qs, *, prefix: str = "", now: datetime | None = None):
    """The inputs of the score as annotations on a Creator queryset (the reviewers' list):
    score_breaches, score_fulfilments, score_adjusted (the sum of corrections)."""
    now = now or timezone.now()
    since = now - Params.current().window
    in_window = Q(**{f"{prefix}sample_requests__closed_at__gt": since, f"{prefix}sample_requests__closed_at__lte": now})
    adjusted = (
        ScoreAdjustment.objects.filter(creator_id=OuterRef("pk"), created_at__gt=since, created_at__lte=now)
        .order_by().values("creator_id").annotate(total=Sum("delta")).values("total")
    )
    return qs.annotate(
        score_breaches=Count("sample_requests", filter=in_window & Q(sample_requests__state=State.BREACHED), distinct=True),
        score_fulfilments=Count("sample_requests", filter=in_window & Q(sample_requests__state=State.FULFILLED), distinct=True),
        score_adjusted=Coalesce(Subquery(adjusted, output_field=IntegerField()), Value(0)),
    )


def past_sales_for(creator_ids) -> dict[int, int]:
    """V4 "past sales": the creator's fulfilled samples across every merchant, all time.

    The platform records no orders for live carts or videos; flash-sale orders belong to
    another domain and only to flash-sale creators. A fulfilled sample is a promotion that
    held (S7), the closest measure of selling the platform has for every creator."""
    ids = list({int(pk) for pk in creator_ids})
    rows = (
        SampleRequest.objects.filter(creator_id__in=ids, state=State.FULFILLED)
        .values("creator_id").annotate(n=Count("pk")).order_by()
    )
    found = {row["creator_id"]: row["n"] for row in rows}
    return {pk: found.get(pk, 0) for pk in ids}


# Weights of the triage score's parts (V4): a ranking formula of ours, documented in the
# README, not a platform policy (the two "full at" points are rules).
TRIAGE_WEIGHT_SCORE = 50
TRIAGE_WEIGHT_FOLLOWERS = 30
TRIAGE_WEIGHT_SALES = 20


def triage_score(*, score: int, score_max: int, followers: int, past_sales: int) -> int:
    """V4: 0–100, higher first in the inbox.

    50 × score / MAX  +  30 × min(1, log10(followers + 1) / log10(FOLLOWERS_FULL + 1))
    +  20 × min(1, past sales / SALES_FULL)."""
    followers_full = max(1, rules.count("sample_triage_followers_full"))
    sales_full = max(1, rules.count("sample_triage_sales_full"))
    part_score = score / score_max if score_max else 0
    part_followers = min(1.0, math.log10(followers + 1) / math.log10(followers_full + 1))
    part_sales = min(1.0, past_sales / sales_full)
    return round(
        TRIAGE_WEIGHT_SCORE * part_score + TRIAGE_WEIGHT_FOLLOWERS * part_followers + TRIAGE_WEIGHT_SALES * part_sales
    )
