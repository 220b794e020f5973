"""Reads of the API key pages, scoped to the key's owner."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from api.models import ApiKey, ApiUsage


def keys_of(*, owner) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(owner=owner).order_by("revoked_at", "-created_at", "-id")


def get_key_of_owner_or_404(*, owner, pk: int) -> ApiKey:
    return get_object_or_404(keys_of(owner=owner), pk=pk)


def usage_last_day(*, owner) -> dict[int, dict[str, int]]:
    """Requests and rate-limited refusals of each of the owner's keys over 24 hours (one query)."""
    since = timezone.now() - timedelta(hours=24)
    rows = (
        ApiUsage.objects.filter(key__owner=owner, minute__gte=since)
        .values("key_id").annotate(requests=Sum("requests"), refused=Sum("refused")).order_by()
    )
    return {row["key_id"]: {"requests": row["requests"], "refused": row["refused"]} for row in rows}


def keys_with_usage(*, owner) -> list[ApiKey]:
    """The owner's keys, each with `.last_day` usage of the last 24 hours (two queries)."""
    usage = usage_last_day(owner=owner)
    keys = list(keys_of(owner=owner))
    for key in keys:
        key.last_day = usage.get(key.pk, {"requests": 0, "refused": 0})
    return keys
