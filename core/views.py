"""The kernel's pages: the role router and the notification centre."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import page_of
from core.notifications import notification_mark_read, notifications_for_user
from core.roles import home_url_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_url_for(request.user))


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = page_of(request, notifications_for_user(user=request.user))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("notifications")
