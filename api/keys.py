"""Creating and revoking API keys (the workspace pages and the admin call these)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiKey, Scope, hash_secret, new_secret
from core.roles import merchant_of, seat_of
from core.rules import rules

ROLE_SCOPES = {
    ApiKey.Kind.MERCHANT: [Scope.READ, Scope.SAMPLES, Scope.FILINGS, Scope.FLASH_SALES, Scope.ALLIANCE, Scope.WEBHOOKS],
    ApiKey.Kind.CREATOR: [Scope.READ, Scope.SAMPLES, Scope.FLASH_SALES],
    ApiKey.Kind.PLATFORM: [Scope.ORDERS],
}


def kind_of(user) -> str | None:
    """The kind of key a person may hold: merchant, creator, or platform (staff)."""
    if merchant_of(user) is not None:  # the owner or a member of a merchant's team (T3)
        return ApiKey.Kind.MERCHANT
    if hasattr(user, "creator"):  # a missing profile raises a subclass of AttributeError
        return ApiKey.Kind.CREATOR
    return ApiKey.Kind.PLATFORM if user.is_staff else None


@transaction.atomic
def api_key_create(*, owner, name: str, scopes: list[str], days: int, kind: str | None = None) -> tuple[ApiKey, str]:
    """A new key for `owner`; returns it with its secret, which is shown once and never stored."""
    kind = kind or kind_of(owner)
    if kind is None:
        raise ValidationError(_("Only merchants, creators and platform staff hold API keys."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Name the key (e.g. the tool that uses it).")]})
    allowed = {str(s) for s in ROLE_SCOPES[kind]}
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= allowed:
        raise ValidationError({"scopes": [_("Choose at least one of the scopes offered.")]})
    longest = rules.duration("api_key_max_lifetime")  # API2
    if days < 1 or timedelta(days=days) > longest:
        raise ValidationError({"days": [_("A key is valid for 1 to %(days)s days.") % {"days": longest.days}]})
    lookup, secret = new_secret()
    now = timezone.now()
    key = ApiKey(owner=owner, kind=kind, name=name, lookup=lookup, secret_hash=hash_secret(secret), scopes=scopes,
                 created_at=now, expires_at=now + timedelta(days=days))
    try:
        with transaction.atomic():
            key.save()
    except IntegrityError as exc:
        raise ValidationError({"name": [_("You already have a key with this name.")]}) from exc
    return key, secret


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by) -> ApiKey:
    """Revoke at once: the next request with it is a 401."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    seat = seat_of(by)
    team_owner = seat is not None and seat.is_owner and merchant_of(key.owner) == seat.merchant  # T1: the owner's team
    if key.owner_id != by.pk and not by.is_staff and not team_owner:
        raise ValidationError(_("This is not your key."))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key
