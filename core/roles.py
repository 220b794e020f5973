"""Who is who: a person is a merchant (its owner or a member of its team), a creator or a
platform reviewer (staff).

Workspace views use these decorators: anonymous → login page (302); signed in without
the role → 403. Views then read only through selectors scoped to request.merchant or
request.creator, so another person's object is a 404.

A merchant's workspace is shared by its team (RULES.md T): `merchant_required("ship")`
also asks that the person's seat in the team may do what the view does; a member
without it gets a 403 that says so. Which role may do what is the marketplace's business
(shops.teams registers the resolver); the kernel knows only the seat it is given.

The kernel knows no domain model: a creator is the profile the marketplace attaches to the
user (`user.creator`, one-to-one); a merchant seat comes from the registered resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.actors import reset_acting, set_acting
from core.registry import registry

SESSION_SEAT = "team_seat"  # the generation of the seat a session was started under (T3)


@dataclass(frozen=True)
class Seat:
    """A person's place in a merchant's team: the merchant, the role ("owner" or a member's
    role), what it may do, the shops it is limited to (None: all) and, for a member, the
    generation its sessions must carry (T3)."""

    merchant: Any
    role: str
    role_label: str
    name: str
    can: frozenset[str]
    shop_ids: frozenset[int] | None = None
    generation: int | None = None

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    def allows(self, capability: str | None) -> bool:
        return capability is None or capability in self.can


_seat_resolver = registry("roles.seat_resolver", replace=True)
_refusals = registry("roles.refusals", replace=True)


def register_seat_resolver(resolver: Callable[[Any], Seat | None], refusals: dict[str, Callable[[Seat], str]]) -> None:
    """The marketplace says whose seat a user holds, and how to word each refusal."""
    _seat_resolver.add(resolver, key="resolver")
    for capability, text in refusals.items():
        _refusals.add(text, key=capability)


def refusal(capability: str, seat: Seat) -> str:
    """What a seat is told when it may not `capability`."""
    text = _refusals.get(capability)
    return text(seat) if text else _("Your role in this merchant's team does not allow this.")


def _profile(user, role: str):
    if user is None or not user.is_authenticated:
        return None
    try:
        return getattr(user, role)
    except (ObjectDoesNotExist, AttributeError):
        return None


def seat_of(user) -> Seat | None:
    """The user's seat in a merchant's team, read once per request (cached on the user)."""
    resolver = _seat_resolver.get("resolver")
    if user is None or not user.is_authenticated or resolver is None:
        return None
    if not hasattr(user, "_daihuo_seat"):
        user._daihuo_seat = resolver(user)
    return user._daihuo_seat


def merchant_of(user):
    seat = seat_of(user)
    return seat.merchant if seat else None


def creator_of(user):
    return _profile(user, "creator")


def home_url_for(user) -> str:
    if user.is_staff:
        return reverse("admin:index")
    if merchant_of(user) is not None:
        return reverse("merchant:dashboard")
    if creator_of(user) is not None:
        return reverse("creator:dashboard")
    return reverse("notifications")


def session_seat_changed(request) -> bool:
    """T3: a member's session carries its seat's generation; a removed member, or one whose
    role or shops changed since, is signed out at its next request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return False
    started = request.session.get(SESSION_SEAT)
    seat = seat_of(user)
    current = seat.generation if seat else None
    if started is None:
        if current is not None:
            request.session[SESSION_SEAT] = current
        return False
    return started != current


class SeatMiddleware:
    """Ends a member's session whose seat changed (T3): it is signed out and sent to the login
    page with a message; the API checks the key's holder on every call instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and session_seat_changed(request):
            logout(request)
            messages.warning(request, _("Your place in the merchant's team has changed: sign in again."))
            return redirect(f"{reverse('login')}?next={request.path}")
        token = set_acting(getattr(request, "user", None))  # T2: notifications name who acted
        try:
            return self.get_response(request)
        finally:
            reset_acting(token)


def needed(can: str | None, read: str | None, method: str) -> str | None:
    """What a request needs of the seat: `read` for a GET (or HEAD) where the view gives one,
    else `can`."""
    return read if read is not None and method in ("GET", "HEAD") else can


def merchant_required(view=None, *, can: str | None = None, read: str | None = None):
    """The merchant workspace: the owner or a member whose role may `can` (None: any seat);
    with `read`, a GET needs only that (a page that shows a form its POST needs `can` for)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seat = seat_of(request.user)
            if seat is None:
                raise PermissionDenied
            need = needed(can, read, request.method)
            if not seat.allows(need):
                raise PermissionDenied(refusal(need, seat))
            request.merchant = seat.merchant
            request.seat = seat
            return view(request, *args, **kwargs)

        wrapped.merchant_can = (can, read)
        return wrapped

    if view is not None:
        return decorator(view)
    return decorator


def creator_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        profile = _profile(request.user, "creator")
        if profile is None:
            raise PermissionDenied
        request.creator = profile
        return view(request, *args, **kwargs)

    return wrapped
