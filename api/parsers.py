"""The API's body parsers (#23): JSON nested deeper than any request of ours is a 400, not
a RecursionError (a 500) in the decoder or in a serializer walking it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # our deepest request body is 2 levels; generous, and far from the recursion limit

MultiPartParser = parsers.MultiPartParser


def _depth(value) -> int:
    """Nesting depth, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply."))
        return data
