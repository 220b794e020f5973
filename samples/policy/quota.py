"""V2 Sample quota (样品名额): per product, in total or per day / week (platform time).

Each approval uses one: the approvals counted are the product's requests whose
`approved_at` falls in the current period (an approval still counts if the sample is
later cancelled: it was given out). At zero 「免费申样」 disappears from the marketplace
card and detail, and new requests are refused. Approvals of one product are serialised by
a row lock on its quota, so two merchants' clicks (or a click and an automatic approval)
cannot both take the last one. The merchant sets the quota through
samples.services.policy.sample_quota_set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from samples import messages as msg
from samples.models import SampleQuota, SampleRequest
from shops.models import Product

Period = SampleQuota.Period


def period_bounds(period: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """(start, next reset) of the current period in platform time; (None, None) for in-total."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Period.DAY:
        return midnight, midnight + timedelta(days=1)
    if period == Period.WEEK:
        start = midnight - timedelta(days=local.weekday())  # Monday 00:00
        return start, start + timedelta(days=7)
    return None, None


def _approvals(product_id, since: datetime | None):
    qs = SampleRequest.objects.filter(product_id=product_id, approved_at__isnull=False)
    return qs.filter(approved_at__gte=since) if since is not None else qs


@dataclass(frozen=True)
class QuotaStatus:
    quota: SampleQuota
    used: int
    resets_at: datetime | None

    @property
    def remaining(self) -> int:
        return max(0, self.quota.limit - self.used)

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0


def quota_status(quota: SampleQuota | None, *, now: datetime | None = None) -> QuotaStatus | None:
    if quota is None:
        return None
    now = now or timezone.now()
    start, reset = period_bounds(quota.period, now)
    return QuotaStatus(quota=quota, used=_approvals(quota.product_id, start).count(), resets_at=reset)


def status_for_product(product: Product, *, now: datetime | None = None) -> QuotaStatus | None:
    return quota_status(SampleQuota.objects.filter(product_id=product.pk).first(), now=now)


def with_used(qs, *, now: datetime | None = None, product_ref: str = "product_id"):
    """Annotate a SampleQuota queryset with `used` in each row's own period (one query)."""
    now = now or timezone.now()
    day, _r = period_bounds(Period.DAY, now)
    week, _r = period_bounds(Period.WEEK, now)

    def used(since):
        rows = SampleRequest.objects.filter(product_id=OuterRef(product_ref), approved_at__isnull=False)
        if since is not None:
            rows = rows.filter(approved_at__gte=since)
        counted = rows.order_by().values("product_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return qs.annotate(used=Case(
        When(period=Period.DAY, then=used(day)), When(period=Period.WEEK, then=used(week)), default=used(None),
        output_field=IntegerField(),
    ))


def exhausted_product_ids(*, now: datetime | None = None) -> set[int]:
    """Products whose quota is used up right now: one query for a whole marketplace page."""
    return set(with_used(SampleQuota.objects.all(), now=now).filter(used__gte=F("limit")).values_list("product_id", flat=True))


def refusal_text(status: QuotaStatus) -> str:
    """What a creator is told when the quota is at zero (V2)."""
    if status.resets_at is None:
        return str(msg.QUOTA_USED_UP)
    return str(msg.QUOTA_USED_UP_UNTIL % {"when": msg.local_time(status.resets_at)})


def lock_and_check(*, product_id: int, now: datetime) -> None:
    """V2 at approval: lock the product's quota row and refuse when no sample is left."""
    quota = SampleQuota.objects.select_for_update().filter(product_id=product_id).first()
    status = quota_status(quota, now=now)
    if status is not None and status.exhausted:
        raise ValidationError(msg.QUOTA_USED_UP_MERCHANT % {"limit": quota.limit, "period": quota.get_period_display()})
