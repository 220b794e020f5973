"""Serializer fields of our own: ids read by core.ids.parse_id, as the pages read them (#23)."""

from __future__ import annotations

from rest_framework import serializers

from core.ids import ID_INVALID, MAX_ID, parse_id


class IdField(serializers.IntegerField):
    """A row's id in a request body: 1 … MAX_ID (the schema says so); 10^30, 0.5, "²" or
    true is a 400 naming the field, never a database error."""

    default_error_messages = {"invalid": ID_INVALID}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> int:
        number = parse_id(data)
        if number is None:
            self.fail("invalid")
        return number
