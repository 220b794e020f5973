"""Who is who: a person is a merchant, a creator or a platform reviewer (staff).

Workspace views use these decorators: anonymous → login page (302); signed in without
the role → 403. Views then read only through selectors scoped to request.merchant or
request.creator, so another person's object is a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shops.models import Creator, Merchant


def merchant_of(user) -> Merchant | None:
    if not user.is_authenticated:
        return None
    try:
        return user.merchant
    except Merchant.DoesNotExist:
        return None


def creator_of(user) -> Creator | None:
    if not user.is_authenticated:
        return None
    try:
        return user.creator
    except Creator.DoesNotExist:
        return None


def home_url_for(user) -> str:
    if user.is_staff:
        return reverse("admin:index")
    if merchant_of(user) is not None:
        return reverse("merchant:dashboard")
    if creator_of(user) is not None:
        return reverse("creator:dashboard")
    return reverse("notifications")


def merchant_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        merchant = merchant_of(request.user)
        if merchant is None:
            raise PermissionDenied
        request.merchant = merchant
        return view(request, *args, **kwargs)

    return wrapped


def creator_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        creator = creator_of(request.user)
        if creator is None:
            raise PermissionDenied
        request.creator = creator
        return view(request, *args, **kwargs)

    return wrapped
