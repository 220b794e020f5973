"""The API key pages of the merchant and creator workspaces: create (the secret is shown
once, on the answer to the POST), list with usage, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from api import selectors
from api.forms import ApiKeyForm
from api.keys import api_key_create, api_key_revoke, kind_of
from core.roles import merchant_of, refusal, seat_of
from core.rules import rules
from shops import teams


def _kind(request: HttpRequest, role: str) -> str:
    if kind_of(request.user) != role:
        raise PermissionDenied
    if role == "merchant":  # T1: only the owner manages the team's keys
        seat = seat_of(request.user)
        if not seat.allows(teams.TEAM):
            raise PermissionDenied(refusal(teams.TEAM, seat))
    return role


def _holders(request: HttpRequest, role: str) -> list:
    """Who a key may be made for: a creator's own; a merchant's owner or any active member (T3)."""
    return selectors.team_users(merchant=merchant_of(request.user)) if role == "merchant" else [request.user]


@never_cache
@login_required
def api_keys(request: HttpRequest, role: str) -> HttpResponse:
    kind = _kind(request, role)
    created = secret = None
    status = 200
    holders = _holders(request, kind)
    if request.method == "POST":
        form = ApiKeyForm(request.POST, kind=kind, holders=holders)
        if form.is_valid():
            data = dict(form.cleaned_data)
            holder = data.pop("holder", None) or request.user
            try:
                created, secret = api_key_create(owner=holder, kind=kind, **data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                form = ApiKeyForm(kind=kind, holders=holders)
        else:
            status = 400
    else:
        form = ApiKeyForm(kind=kind, holders=holders)
    context = {
        "role": kind, "form": form, "created": created, "secret": secret, "now": timezone.now(),
        "keys": selectors.keys_with_usage(owners=holders),
        "team": len(holders) > 1,
        "rate": rules.count("api_rate_per_minute"),
        "docs_url": request.build_absolute_uri("/api/v1/docs/"),
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/keys.html", context, status=status)


@login_required
def api_key_revoke_view(request: HttpRequest, role: str, pk: int) -> HttpResponse:
    _kind(request, role)  # the wrong workspace is a 403 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    key = selectors.get_key_of_owner_or_404(owners=_holders(request, role), pk=pk)
    api_key_revoke(key=key, by=request.user)
    messages.success(request, _("Key “%(name)s” revoked: requests with it are refused from now on.") % {"name": key.name})
    return redirect(f"api_keys:{role}")



