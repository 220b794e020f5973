"""Cursor pagination: stable under inserts, no page numbers to count."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from core.ids import parse_id


class Cursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """DRF decodes the cursor but trusts its position: a crafted one ("p=abc", 10^30)
        reached the database as an id (#23). The position of an id ordering is an id."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and parse_id(cursor.position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor
