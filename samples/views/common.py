"""What the creator's and the merchant's sample pages share."""

from __future__ import annotations

from django.utils import timezone

from core.rules import rules


def clock_context() -> dict:
    """The instant a page is drawn at, and the end of its "about to expire" window (S8)."""
    now = timezone.now()
    return {"now": now, "soon": now + rules.duration("sample_due_soon")}
