"""The kernel's pages: the role router and the notification centre."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import page_of
from core.models import Notification
from core.notifications import notification_for_user_or_404, notification_mark_read, notifications_for_user
from core.roles import home_url_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_for(request.user))


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Notification.Kind.values:
        kind = ""  # an unknown kind shows everything rather than an empty list
    page = page_of(request, notifications_for_user(user=request.user, kind=kind))
    return render(request, "core/notifications.html", {"page": page, "kind": kind, "kinds": Notification.Kind.choices, "querystring": f"kind={kind}" if kind else ""})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes to what it is about (another
    person's notification is a 404; a link that is not ours stays on the list)."""
    note = notification_for_user_or_404(user=request.user, pk=pk)
    notification_mark_read(user=request.user, notification_ids=[note.pk])
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(note.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("notifications")
