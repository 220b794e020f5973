"""Who may call what: the key's kind matches the endpoint's role (merchant, creator,
platform) and its scopes cover the call (`read` for reads, the domain's scope for writes).
A merchant key also carries at most its holder's role in the merchant's team (T3): the
viewset says what a call needs (`can_read`, the write scope's capability, `action_can`),
and a key whose holder left the team stops at once."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.auth import KEY_MISSING
from api.models import ApiKey, Scope
from core.actors import set_acting
from core.roles import refusal, seat_of
from shops import teams

WRONG_KIND = _("This endpoint is for %(kind)s keys.")
MISSING_SCOPE = _("This API key lacks the “%(scope)s” scope.")
HOLDER_GONE = _("This API key's holder is no longer in the merchant's team.")

# What a merchant key's write needs in its holder's team role (T1), by the endpoint's scope.
SCOPE_CAN = {
    Scope.SAMPLES: teams.SAMPLES, Scope.FILINGS: teams.FILINGS, Scope.ALLIANCE: teams.CATALOGUE,
    Scope.FLASH_SALES: teams.CATALOGUE, Scope.WEBHOOKS: teams.TEAM,
}


def team_capability(view, request) -> str | None:
    """What the call needs of the key holder's seat: the action's own (shipping is 发货's),
    else reading (`can_read`) or the write scope's capability."""
    action = getattr(view, "action", None)
    overrides = getattr(view, "action_can", {})
    if action in overrides:
        return overrides[action]
    if request.method in SAFE_METHODS:
        return getattr(view, "can_read", teams.VIEW)
    return SCOPE_CAN.get(view.write_scope)


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
        if role == "merchant":
            seat = seat_of(key.owner)
            if seat is None:
                raise exceptions.AuthenticationFailed(HOLDER_GONE)
            need = team_capability(view, request)
            if not seat.allows(need):
                raise exceptions.PermissionDenied(refusal(need, seat))
            request.merchant = seat.merchant
            set_acting(key.owner)  # T2 (the middleware resets it after the request)
            return True
        try:
            if role == "creator":
                request.creator = key.owner.creator
        except ObjectDoesNotExist as exc:
            raise exceptions.PermissionDenied(WRONG_KIND % {"kind": ApiKey.Kind(role).label}) from exc
        return True
