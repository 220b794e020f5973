"""What every API view shares: keys, scopes, the rate limit (settings), cursor pages,
ETags on reads, and writes that run a domain service naming the key in the audit record."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from rest_framework import viewsets

from api.pagination import Cursor
from api.parsers import JSONParser, MultiPartParser
from core.fsm import acting_through
from core.ids import parse_id

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)  # ETag + If-None-Match → 304


class ApiViewSet(viewsets.GenericViewSet):
    role: str = "merchant"  # whose keys: merchant, creator or platform
    write_scope: str = "read"
    pagination_class = Cursor
    parser_classes = [JSONParser, MultiPartParser]
    # Every id segment reaches the view (the router's default, [^/.]+, sent "/0.5/" to the
    # site's HTML 404), where core.ids reads it: not an id → a 404 problem (#23).
    lookup_value_regex = "[^/]+"

    def get_object(self):
        kwarg = self.lookup_url_kwarg or self.lookup_field
        number = parse_id(self.kwargs.get(kwarg))
        if number is None:
            raise Http404
        self.kwargs[kwarg] = number
        return super().get_object()

    def scoped(self, build):
        """The queryset for the key's owner; an empty one while the schema is being generated."""
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return build()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return conditional_get(super().as_view(actions, **initkwargs))

    def _input(self, serializer_class) -> dict:
        """The request body through `serializer_class`: its validated data, or a 400 naming the fields."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def run(self, service: Callable, **kwargs):
        """Call a domain service as the key's owner; the transition history names the key."""
        with acting_through(str(self.request.auth.audit_name)):
            return service(by=self.request.user, **kwargs)
