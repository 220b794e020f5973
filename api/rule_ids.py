"""Which rule refused: the message constants of each domain, mapped to their rule ids, so a
service's ValidationError becomes a problem detail naming the rule ("rule": "S4").

A ValidationError raised with `code="c1"` names its rule itself; the rest are recognised
by their message (a constant with %(…)s placeholders matches whatever filled them).
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from flashsales import texts as fs
from samples import messages as sm


def _table() -> list[tuple[object, str]]:
    return [
        (sm.CREATOR_NO_SHARING, "S1"), (sm.CREATOR_RISKY, "S1"),
        (sm.PRODUCT_NOT_LISTED, "S2"), (sm.PRODUCT_NO_SAMPLE_SUPPORT, "S2"), (sm.MERCHANT_BELOW_STANDARD, "S2"),
        (sm.PRODUCT_NOT_ON_SALE, "S2"), (sm.PRODUCT_CROSS_BORDER, "S2"), (sm.PRODUCT_VIRTUAL, "S2"),
        (sm.ALREADY_OPEN, "V3"), (sm.DECIDE_TOO_LATE, "S4"), (sm.WITHDRAW_TOO_LATE, "S4"),
        (sm.SHIP_TOO_LATE, "S5"), (sm.TRACKING_REQUIRED, "S5"), (sm.CARRIER_REQUIRED, "S5"), (sm.CARRIER_UNKNOWN, "S5"), (sm.TRACKING_FORMAT, "S5"),
        (sm.PROMOTE_TOO_LATE, "S7"), (sm.PROMOTION_PENDING, "S7"), (sm.VIDEO_NOT_YOURS, "S7"), (sm.VIDEO_TAKEN_DOWN, "S7"),
        (sm.VIDEO_NO_PRODUCT, "S7"), (sm.VIDEO_TOO_EARLY, "S7"), (sm.VIDEO_TOO_LATE, "S7"), (sm.LIVE_NOT_YOURS, "S7"),
        (sm.LIVE_NOT_STARTED, "S7"), (sm.LIVE_TOO_SHORT, "S7"), (sm.LIVE_NOT_EXPLAINED, "S7"), (sm.LIVE_TOO_LATE, "S7"),
        (sm.SCORE_TOO_LOW, "V1"), (sm.SCORE_TOO_LOW_NO_DATE, "V1"),
        (sm.QUOTA_USED_UP, "V2"), (sm.QUOTA_USED_UP_UNTIL, "V2"), (sm.QUOTA_USED_UP_MERCHANT, "V2"),
        (sm.RETRY_WAIT, "V3"), (sm.BLOCKED, "V5"),
        (sm.EXTENSION_REASON_REQUIRED, "V7"), (sm.EXTENSION_ONCE, "V7"), (sm.EXTENSION_NOT_RECEIVED, "V7"),
        (sm.EXTENSION_TOO_LATE, "V7"), (sm.EXTENSION_REFUSE_TOO_LATE, "V7"),
        (sm.LIVE_TOO_FEW_VIEWERS, "V8"), (sm.NOT_ARRIVED_TOO_LATE, "V9"), (sm.RESHIP_SAME_TRACKING, "V9"),
        (sm.SHIPPING_COST_INVALID, "V10"), (sm.SALE_NOT_IN_CART, "V10"), (sm.SALE_NOT_CREATORS, "V10"),
        (_("Upload this document."), "F4"),
        (fs.CATEGORY_NOT_APPROVED, "FS1"), (fs.CREATOR_NOT_INVITED, "FS2"), (fs.CREATOR_BELOW_STANDARD, "FS2"),
        (fs.MERCHANT_BELOW_STANDARD, "FS2"), (fs.SESSION_NOT_LIVE, "FS4"), (fs.TARGET_NOT_IN_COMMENTS, "FS3"),
        (fs.TARGET_MISSING, "FS3"), (fs.FULL_CAP_REACHED, "FS5"), (fs.TARGETED_CAP_REACHED, "FS5"), (fs.NOT_OPEN, "FS6"),
    ]


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _pattern(text: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(text)
    # split() alternates literal text and placeholder names: keep the literals, match anything for the rest
    return re.compile("".join(re.escape(p) if i % 2 == 0 else ".+?" for i, p in enumerate(parts)), re.S)


@cache
def _patterns(language: str) -> list[tuple[re.Pattern, str]]:
    return [(_pattern(str(message)), rule) for message, rule in _table()]


def is_stale(message: str) -> bool:
    """core.fsm's “no longer possible: the … is now …” (another request changed it first)."""
    return _stale_pattern(get_language() or "zh-hans").fullmatch(message) is not None


@cache
def _stale_pattern(language: str) -> re.Pattern:
    return _pattern(_("This action is no longer possible: the %(object)s is now “%(state)s”. Reload the page to see why."))


def rule_of(message: str, code: str | None = None) -> str | None:
    """The rule id that refused with `message` (in the active language), if known."""
    if code and re.fullmatch(r"[a-z]{1,3}\d{1,2}", code):
        return code.upper()
    for pattern, rule in _patterns(get_language() or "zh-hans"):
        if pattern.fullmatch(message):
            return rule
    return None
