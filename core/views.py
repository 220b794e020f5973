"""The kernel's pages: the role router and the notification centre."""

from __future__ import annotations

from django.conf import settings
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


def public_upload(request: HttpRequest, path: str) -> HttpResponse:
    """A public upload (product pictures) from the default storage, served like every other
    upload: the type of its stored kind stated, nosniff (never a guess from the name)."""
    from django.core.files.storage import default_storage
    from django.http import Http404

    from core.uploads import file_response

    if not default_storage.exists(path):
        raise Http404
    return file_response(default_storage.open(path))


def bad_request(request: HttpRequest, exception=None, template_name: str = "400.html") -> HttpResponse:
    """The 400 page: a tampered or malformed request. Our own InvalidInput says what was
    wrong (in the user's language); any other reason stays unsaid."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

    from core.forms import InvalidInput
    from core.middleware import RequestTooLarge

    if isinstance(exception, (RequestTooLarge, RequestDataTooBig)):
        context = {"reason": _("The request is too large: at most %(mb)s MB per file and %(total)s MB in all.") % {
            "mb": settings.MAX_UPLOAD_BYTES // 1048576, "total": settings.MAX_REQUEST_BYTES // 1048576}}
        return render(request, "413.html", context, status=413)
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return render(request, template_name, {"reason": _("The form sent too many fields.")}, status=400)
    reason = str(exception) if isinstance(exception, InvalidInput) else ""
    return render(request, template_name, {"reason": reason}, status=400)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 page: standalone (no base template, no database), in the user's language."""
    from django.template import loader

    return HttpResponse(loader.get_template(template_name).render({}), status=500)
