"""The admin site every reviewer page runs on (Django's default site, replaced through its
documented hook: `AdminConfig.default_site`), so what it guards holds for every registered
admin, ours and the libraries' (auth, axes) alike.

What it guards (#23.5): a bulk action's selection. The changelist posts the ticked rows' ids
as `_selected_action`; Django hands them to `filter(pk__in=…)` as they came, and `abc`, an
empty value, a NUL byte or 10^30 ended in a 500 (ValueError, or the database's integer
range). Every selected id is read by the one id parser (core.ids.parse_id) before any admin
code runs; a selection that is not ids is refused whole with a page that says so in the
reviewer's language (400), and nothing is changed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.ids import parse_id

SELECTION_INVALID = _("The selection is not a list of rows of this page, so nothing was changed. Tick the rows in the list and try again.")


def selection_is_ids(request) -> bool:
    """Every value posted as the action's selection is a row id (none: Django's own message)."""
    return all(parse_id(value) is not None for value in request.POST.getlist(ACTION_CHECKBOX_NAME))


class PlatformAdminSite(AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            # Anyone but staff is sent to the login by the inner view before any admin code runs.
            if request.method == "POST" and self.has_permission(request) and not selection_is_ids(request):
                return self.selection_refused(request)
            return inner(request, *args, **kwargs)

        return guarded

    def selection_refused(self, request):
        context = {**self.each_context(request), "title": _("Nothing was changed"), "message": SELECTION_INVALID, "back": request.path}
        return TemplateResponse(request, "admin/core/selection_refused.html", context, status=400)


class PlatformAdminConfig(AdminConfig):
    """`django.contrib.admin` with the platform's site (settings.INSTALLED_APPS names this)."""

    default_site = "core.admin_site.PlatformAdminSite"
