"""Reads of the API key pages, scoped to the key's owner."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiKey, ApiUsage
from shops.models import Member


def team_users(*, merchant) -> list:
    """A merchant's owner, then its active members (T3: each holds its own keys)."""
    members = Member.objects.filter(merchant=merchant, state=Member.State.ACTIVE).select_related("user").order_by("name", "pk")
    owner = merchant.user
    owner.team_label = _("Owner")
    users = [owner]
    for member in members:
        member.user.team_label = f"{member.name}（{member.get_role_display()}）"
        users.append(member.user)
    return users


def keys_of(*, owners) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(owner__in=owners).select_related("owner").order_by("revoked_at", "-created_at", "-id")


def get_key_of_owner_or_404(*, owners, pk: int) -> ApiKey:
    return get_object_or_404(keys_of(owners=owners), pk=pk)


def usage_last_day(*, owners) -> dict[int, dict[str, int]]:
    """Requests and rate-limited refusals of each key of these holders over 24 hours (one query)."""
    since = timezone.now() - timedelta(hours=24)
    rows = (
        ApiUsage.objects.filter(key__owner__in=owners, minute__gte=since)
        .values("key_id").annotate(requests=Sum("requests"), refused=Sum("refused")).order_by()
    )
    return {row["key_id"]: {"requests": row["requests"], "refused": row["refused"]} for row in rows}


def keys_with_usage(*, owners) -> list[ApiKey]:
    """The holders' keys, each with `.last_day` usage of the last 24 hours (two queries) and
    its holder's name in the team."""
    usage = usage_last_day(owners=owners)
    labels = {u.pk: getattr(u, "team_label", "") for u in owners}
    keys = list(keys_of(owners=owners))
    for key in keys:
        key.holder_label = labels.get(key.owner_id, "")
        key.last_day = usage.get(key.pk, {"requests": 0, "refused": 0})
    return keys
