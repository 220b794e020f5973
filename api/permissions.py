"""Who may call what: the key's kind matches the endpoint's role (merchant, creator,
platform) and its scopes cover the call (`read` for reads, the domain's scope for writes)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.auth import KEY_MISSING
from api.models import ApiKey, Scope

WRONG_KIND = _("This endpoint is for %(kind)s keys.")
MISSING_SCOPE = _("This API key lacks the “%(scope)s” scope.")


class HasScope(BasePermission):
    def has_permission(self, request, view) -> bool:
        role = getattr(view, "role", None)
        if role is None:  # the schema and its docs page
            return True
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.NotAuthenticated(KEY_MISSING)
        if key.kind != role:
            raise exceptions.PermissionDenied(WRONG_KIND % {"kind": ApiKey.Kind(role).label})
        scope = Scope.READ if request.method in SAFE_METHODS else view.write_scope
        if scope not in key.scopes:
            raise exceptions.PermissionDenied(MISSING_SCOPE % {"scope": Scope(scope).label})
        try:
            if role in ("merchant", "creator"):
                setattr(request, role, getattr(key.owner, role))
        except ObjectDoesNotExist as exc:
            raise exceptions.PermissionDenied(WRONG_KIND % {"kind": ApiKey.Kind(role).label}) from exc
        return True
