"""Authorization: Bearer dh_<id>_<secret>. An unknown, revoked or expired key is a 401;
the request then runs as the key's owner (request.user) with the key as request.auth."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.models import KEY_PREFIX, ApiKey

KEY_INVALID = _("This API key is not valid.")
KEY_REVOKED = _("This API key has been revoked.")
KEY_EXPIRED = _("This API key has expired.")
KEY_MISSING = _("Send an API key: Authorization: Bearer <key>.")


class ApiKeyAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts:
            return None  # the permission check answers 401 with KEY_MISSING
        if parts[0].lower() != self.keyword or len(parts) != 2:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(KEY_INVALID) from exc
        lookup = secret[len(KEY_PREFIX):].split("_", 1)[0] if secret.startswith(KEY_PREFIX) else ""
        key = ApiKey.objects.select_related("owner").filter(lookup=lookup).first() if lookup else None
        if key is None or not key.matches(secret) or not key.owner.is_active:
            raise exceptions.AuthenticationFailed(KEY_INVALID)
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(KEY_REVOKED)
        if key.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(KEY_EXPIRED)
        return key.owner, key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
