"""What people are told, each message in one place (tests compare against these).

A message that states a rule's number (48 hours, 168 hours…) does not spell it: it reads
the number from the rules object (`core.rules.rules`) when it is shown, in the reader's
language (`rule_period`, `_stating`), so a change of the rule changes the text too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.rules import rules


def duration_text(value: timedelta) -> str:
    """A duration as people read it, in the active language: whole days beyond two days
    ("7 days", "15 days"), else whole hours ("48 hours"), minutes or seconds."""
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0 and seconds > 2 * 86400:
        n = seconds // 86400
        return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
    if seconds and seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}
    if seconds and seconds % 60 == 0:
        n = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


def rule_period(key: str) -> str:
    """The current value of a duration rule, as people read it."""
    return duration_text(rules.duration(key))


def _stating(text, **periods: str) -> str:
    """`text` with each %(name)s filled with the period of the named duration rule, read
    when the message is shown (a lazy string: a module constant, yet never a stale number)."""
    def render() -> str:
        return str(text) % {name: rule_period(key) for name, key in periods.items()}

    return lazy(render, str)()


def local_time(moment: datetime) -> str:
    """An instant in platform time, as every samples message shows it."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# S2: shown exactly on eligible products in the marketplace (a platform term, never translated).
FREE_SAMPLES = "免费申样"

# S1
CREATOR_NO_SHARING = _(
    "Free samples are for creators with product sharing (商品分享) switched on. Switch it on in the Douyin app: "
    "Me → Creator services (创作者服务中心) → Selling goods (电商带货), after real-name verification; "
    "once it is on, come back to this page and ask again."
)
CREATOR_RISKY = _(
    "The platform's risk assessment does not allow your account to request free samples. "
    "Requests you already made go on as before."
)

# S2
PRODUCT_NOT_LISTED = _("This product is not listed in the alliance (精选联盟), so it has no free samples.")
PRODUCT_NO_SAMPLE_SUPPORT = _("The merchant has not switched on free samples for this product.")
MERCHANT_BELOW_STANDARD = _("This merchant does not meet the alliance standard, so its products have no free samples.")
PRODUCT_NOT_ON_SALE = _("This product is not on sale, so it has no free samples.")
PRODUCT_CROSS_BORDER = _("Cross-border products do not support free samples for now (暂不支持).")
PRODUCT_VIRTUAL = _("Virtual products do not support free samples for now (暂不支持).")

ALREADY_OPEN = _("You already have an open sample request for this product. Follow it in “My sample requests”.")

# S4–S6: a person acting after a clock ran out, before the sweep got to the row.
DECIDE_TOO_LATE = _("The time to decide on this request has run out: it is cancelled automatically.")
SHIP_TOO_LATE = _("The time to ship this sample has run out: the request is cancelled automatically.")
WITHDRAW_TOO_LATE = _("The merchant's time to decide has run out: the request is cancelled automatically.")

# S5
TRACKING_REQUIRED = _("Enter the tracking number.")
CARRIER_REQUIRED = _("Choose the carrier.")
TRACKING_FORMAT = _("This does not look like a %(carrier)s tracking number (for example %(example)s).")
# 批量发货: a carrier cell naming no carrier of the list (clean_tracking's CARRIER_REQUIRED, said for a sheet)
CARRIER_UNKNOWN = _("“%(value)s” is not a carrier of the list: write one of %(carriers)s (or its code).")

# S7
# S7: the promotion window's end is the stored fulfil_by (360 h after receipt by default,
# later after a V7 extension), so the messages name the moment, not a number of hours.
PROMOTE_TOO_LATE = _("The time to start promoting this sample ran out at %(deadline)s.")
PROMOTION_PENDING = _("A promotion is already recorded for this sample; it is checked at %(when)s.")
VIDEO_NOT_YOURS = _("Choose one of your own videos.")
VIDEO_TAKEN_DOWN = _("This video has been taken down.")
VIDEO_NO_PRODUCT = _("The product is not in this video's cart. Add it to the video's cart first.")
VIDEO_TOO_EARLY = _("This video was published before you requested the sample: publish a new one.")
VIDEO_TOO_LATE = _("The video must carry the product before %(deadline)s, the end of the promotion window.")
LIVE_NOT_YOURS = _("Choose a cart item of one of your own live sessions, with this product.")
LIVE_NOT_STARTED = _("This live session has not gone live yet: record it once you are live.")
LIVE_TOO_SHORT = _("The product stayed in the cart for less than %(minutes)s minutes in one stretch.")
LIVE_NOT_EXPLAINED = _("The product was not explained (讲解) in this live session.")
LIVE_TOO_LATE = _("The live promotion must start before %(deadline)s, the end of the promotion window.")
# S7 (ours): why a recorded video promotion did not hold (the sample is breached).
VIDEO_DOWN_EARLY = _stating(_("The promotion video was taken down before its %(period)s."), period="sample_video_keep")
VIDEO_PRODUCT_REMOVED_EARLY = _stating(
    _("The product was removed from the video's cart before its %(period)s."), period="sample_video_keep"
)

OVERRIDE_REASON_REQUIRED = _("Give the reason for the override; it is recorded.")

# D4 (ours): the reason a request awaiting a decision is closed when its product leaves the
# alliance (stored in Chinese: 「商品已下架精选联盟」).
CLOSED_ALLIANCE_REMOVED = _("The product was taken out of the alliance")

# D2: the confirmation page's line for open sample requests.
IMPACT_OPEN_SAMPLES = _("Open sample requests (those awaiting a decision are closed; approved and shipped ones go on)")

# ---------------------------------------------------------------------------------------
# The sample policy (V1–V5)

# V1: the creator is told why and until when; a reviewer's correction needs a reason.
SCORE_TOO_LOW = _(
    "Your fulfilment score (履约分) is %(score)s, at or below %(floor)s, so you cannot request free samples "
    "until %(until)s, when breached samples leave the %(days)s-day window."
)
SCORE_TOO_LOW_NO_DATE = _(
    "Your fulfilment score (履约分) is %(score)s, at or below %(floor)s, so you cannot request free samples for now."
)
SCORE_REASON_REQUIRED = _("Give the reason for the correction; it is recorded.")

# V2
QUOTA_USED_UP = _("All free samples of this product have been given out.")
QUOTA_USED_UP_UNTIL = _("The free samples of this product for this period have been given out. Ask again from %(when)s.")
QUOTA_USED_UP_MERCHANT = _(
    "The sample quota of this product is used up (%(limit)s, %(period)s). Raise it in Sample settings to approve more."
)

# V3
RETRY_WAIT = _("Your last request for this product was %(outcome)s. You can ask for it again from %(when)s.")

# V4
TRIAGE_THRESHOLD_REQUIRED = _("Set at least one threshold.")

# V5: says no more than needed (the merchant's reason is not shown).
BLOCKED = _("This merchant is not accepting sample requests from your account.")
ALREADY_BLOCKED = _("This creator is already blocked.")
LIFT_REASON_REQUIRED = _("Give the reason for lifting the block; it is recorded.")

# ---------------------------------------------------------------------------------------
# After shipping: extension (V7), proof (V8), not arrived (V9), return on samples (V10)

# V7: extension
EXTENSION_REASON_REQUIRED = _("Say why you need more time; the merchant sees it.")
EXTENSION_ONCE = _("You already asked for more time for this sample: an extension can be asked for once.")
EXTENSION_NOT_RECEIVED = _("More time can be asked for once the sample is received and until the promotion deadline.")
EXTENSION_TOO_LATE = _("The time to start promoting this sample has run out: it can no longer be extended.")
EXTENSION_REFUSE_TOO_LATE = _stating(
    _("The time to refuse (%(period)s) has run out: the extension is granted."), period="sample_extension_refuse"
)

# V8: proof
LIVE_TOO_FEW_VIEWERS = _("A live promotion counts only if the session had at least %(count)s viewers; this one had %(viewers)s.")

# V9: not arrived
NOT_ARRIVED_TOO_LATE = _stating(
    _("Receipt has already been confirmed automatically (%(period)s after shipping): it can no longer be reported as not arrived."),
    period="sample_auto_receive",
)
RESHIP_SAME_TRACKING = _("Enter the new tracking number of the new parcel, not the one that did not arrive.")
DECISION_REASON_REQUIRED = _("Give the reason for the decision; it is recorded and shown to both sides.")

# V10
SHIPPING_COST_INVALID = _("Enter the shipping cost in yuan (0 or more), or leave it empty.")
SALE_NOT_IN_CART = _("The product was not in this live session's or video's cart.")
SALE_NOT_CREATORS = _("The live session or video belongs to another creator.")


# 收货地址: the creator's address book
ADDRESS_REQUIRED = _("Add a shipping address first: the merchant needs it to send the sample.")
ADDRESS_NOT_YOURS = _("This address is not in your address book.")
ADDRESS_BOOK_FULL = _("Your address book is full. Delete an address you no longer use first.")

# #22: the sweeps as reviewers read them in a history (core.actors): the rule, not the task.
# Each with the rule setting whose current value it names.
SYSTEM_TASKS = {
    "samples.sweep_expire_undecided": (_("S4: not decided within %(amount)s, expired automatically"), "sample_decide"),
    "samples.sweep_cancel_unshipped": (_("S5: not shipped within %(amount)s, cancelled automatically"), "sample_ship_cancel"),
    "samples.sweep_auto_receive": (_("S6: receipt confirmed automatically %(amount)s after shipping"), "sample_auto_receive"),
    "samples.sweep_check_promotions": (_("S7: promotion checked automatically"), None),
    "samples.sweep_breach_unpromoted": (_("S7: not promoted within %(amount)s of receipt, breached"), "sample_fulfil"),
    "samples.sweep_grant_extensions": (_("V7: not refused within %(amount)s, extension granted"), "sample_extension_refuse"),
}

# AP1: what a creator may appeal (the other refusals of appeals live in core.appeals).
APPEAL_NOT_BREACHED = _("Only a breached sample request can be appealed (AP1).")
APPEAL_EXCUSED_NOTE = _(
    "Excused on appeal (AP3): this breach no longer counts against your fulfilment score, "
    "and you may ask for this product again without waiting."
)
