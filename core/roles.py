"""Who is who: a person is a merchant, a creator or a platform reviewer (staff).

Workspace views use these decorators: anonymous → login page (302); signed in without
the role → 403. Views then read only through selectors scoped to request.merchant or
request.creator, so another person's object is a 404.

The kernel knows no domain model: a merchant or creator is the profile the marketplace
attaches to the user (`user.merchant`, `user.creator`, one-to-one).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse


def _profile(user, role: str):
    if user is None or not user.is_authenticated:
        return None
    try:
        return getattr(user, role)
    except (ObjectDoesNotExist, AttributeError):
        return None


def merchant_of(user):
    return _profile(user, "merchant")


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


def _role_required(role: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            profile = _profile(request.user, role)
            if profile is None:
                raise PermissionDenied
            setattr(request, role, profile)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


merchant_required = _role_required("merchant")
creator_required = _role_required("creator")
