"""`{% submission_key %}`: the hidden one-time key of a hand-written create form (hole 6)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html('<input type="hidden" name="submission" value="{}">', uuid.uuid4())
