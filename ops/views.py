"""Health, readiness, metrics and the staff ops page."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from ops import checks, clocks, metrics
from ops.models import TaskStat


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answering; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready for traffic: database reachable and migrated, broker reachable (503 otherwise,
    each check named: ok, fail or timeout). Answers within 2 s whatever hangs (ops.checks)."""
    results = checks.run()
    ok = set(results.values()) == {"ok"} and len(results) == len(checks.CHECKS)
    return JsonResponse({"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503)


def _bearer_ok(request) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if not token or not sent.startswith("Bearer "):
        return False
    return hmac.compare_digest(sent[len("Bearer "):].strip().encode(), token.encode())


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus exposition, for staff or a scraper with the bearer token of METRICS_TOKEN."""
    user = request.user
    if not (_bearer_ok(request) or (user.is_authenticated and user.is_active and user.is_staff)):
        if user.is_authenticated and "Authorization" not in request.headers:
            return HttpResponse(status=403)
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def sweep_rows():
    """One row per beat entry: its last run, rows moved, and (for clocked sweeps) lag and due rows."""
    from celery import current_app

    stats = {s.task: s for s in TaskStat.objects.all()}
    readings = {r.clock.task: r for r in clocks.read_all(count=True)}
    rows = []
    for entry, spec in sorted(current_app.conf.beat_schedule.items()):
        task = spec["task"]
        rows.append({"entry": entry, "task": task, "stat": stats.get(task), "reading": readings.get(task)})
    return rows


@staff_member_required
@never_cache
def ops_page(request):
    context = {
        **admin.site.each_context(request),
        "title": _("Operations: sweeps and e-mails"),
        "rows": sweep_rows(),
        "emails_pending": clocks.emails_pending(),
        "now": timezone.now(),
    }
    return render(request, "ops/ops_page.html", context)
