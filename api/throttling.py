"""API1: each key makes at most N requests a minute (a platform rule). The counter is the
key's usage row of that minute, so the owner sees the same figures the limit counts."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from api.models import ApiKey, ApiUsage
from core.rules import rules

_COUNT_SQL = (
    "INSERT INTO api_apiusage (key_id, minute, requests, refused) VALUES (%s, %s, 1, 0) "
    "ON CONFLICT (key_id, minute) DO UPDATE SET requests = api_apiusage.requests + 1 RETURNING requests"
)


def limit_for(key: ApiKey) -> int:
    return rules.count("api_rate_per_minute_platform" if key.kind == ApiKey.Kind.PLATFORM else "api_rate_per_minute")


def count_request(key: ApiKey, now) -> int:
    """One more request of `key` in this minute (one statement, safe under concurrency)."""
    minute = now.replace(second=0, microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [key.pk, connection.ops.adapt_datetimefield_value(minute)])
        count = cursor.fetchone()[0]
    if count == 1:  # the first request of a minute also stamps the key's last use
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return count


class KeyRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        now = timezone.now()
        self.now = now
        if count_request(key, now) <= limit_for(key):
            return True
        ApiUsage.objects.filter(key=key, minute=now.replace(second=0, microsecond=0)).update(refused=F("refused") + 1)
        return False

    def wait(self) -> float:
        next_minute = self.now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return max(1.0, (next_minute - self.now).total_seconds())

