"""Samples (样品服务): the numbers and policies of RULES.md sections S and V.

Declared here, registered with the kernel's registry (`core.rules`) in this app's
`AppConfig.ready()`; read with `core.rules.rules`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.rules import Rule

RULES = [
    Rule("sample_decide", 48, "hours", "S4", _("Merchant decides on a sample request within"), maximum=720),
    Rule("sample_ship", 48, "hours", "S5", _("Merchant ships an approved sample within"), maximum=720),
    Rule("sample_ship_cancel", 120, "hours", "S5", _("An approved sample not shipped by then is cancelled"), maximum=1_440),
    Rule("sample_auto_receive", 168, "hours", "S6", _("Receipt is confirmed automatically after shipping"), maximum=1_440),
    Rule("sample_fulfil", 360, "hours", "S7", _("Creator starts promoting within this time of receipt"), maximum=2_160),
    Rule("sample_video_keep", 7, "days", "S7", _("A promotion video stays published with the product in its cart"), maximum=90),
    Rule("sample_live_keep", 3, "minutes", "S7", _("A live promotion keeps the product in the cart for at least"), maximum=1_440),
    Rule("samples_cross_border", 0, "flag", "S2", _("Cross-border products support samples")),
    Rule("samples_virtual", 0, "flag", "S2", _("Virtual products support samples")),
    Rule("sample_min_live_viewers", 10, "count", "V8", _("A live promotion counts only with at least this many viewers"), maximum=1_000_000, counts=pgettext_lazy("rule unit", "viewers")),
    Rule("sample_score_floor", 8, "count", "V1", _("At or below this fulfilment score a creator cannot request samples"), maximum=100, counts=pgettext_lazy("rule unit", "points")),
    Rule("sample_score_max", 12, "count", "V1", _("Fulfilment score (履约分): the full score, and where every creator starts"), maximum=100, counts=pgettext_lazy("rule unit", "points")),
    Rule("sample_score_window", 90, "days", "V1", _("Fulfilment score: sample outcomes and corrections count for this long")),
    Rule("sample_score_breach_penalty", 3, "count", "V1", _("Fulfilment score: points lost per breached sample in the window"), maximum=100, counts=pgettext_lazy("rule unit", "points")),
    Rule("sample_score_fulfil_credit", 1, "count", "V1", _("Fulfilment score: points won back per fulfilled sample in the window"), maximum=100, counts=pgettext_lazy("rule unit", "points")),
    Rule("sample_triage_followers_full", 1000000, "count", "V4", _("Triage score: followers that earn the full followers part"), counts=pgettext_lazy("rule unit", "followers")),
    Rule("sample_triage_sales_full", 10, "count", "V4", _("Triage score: past sales (fulfilled samples) that earn the full sales part"), maximum=100_000, counts=pgettext_lazy("rule unit", "fulfilled samples")),
    Rule("sample_retry_wait", 30, "days", "V3", _("Wait before asking again for the same product after a rejection, expiry or breach")),
    Rule("sample_remind_merchant", 6, "hours", "V6", _("Merchants are reminded this long before the decision and shipping deadlines of a sample"), maximum=168),
    Rule("sample_remind_creator_early", 3, "days", "V6", _("Creators get a first reminder this long before the promotion deadline of a sample"), maximum=30),
    Rule("sample_remind_creator", 1, "days", "V6", _("Creators get a last reminder this long before the promotion deadline of a sample"), maximum=30),
    Rule("sample_extension", 7, "days", "V7", _("A creator may ask once for this much more time to start promoting a sample"), maximum=90),
    Rule("sample_extension_refuse", 48, "hours", "V7", _("The merchant may refuse a sample extension within (silence grants it)"), maximum=720),
    Rule("sample_not_arrived_decide_working_days", 2, "working_days", "V9", _("Reviewers decide a sample reported not arrived within (working days)"), maximum=30),
    # 批量发货 (issue 24): one spreadsheet or one API call ships at most this many rows; each row
    # is a transition with its audit record, so a bigger batch would hold its locks too long.
    Rule("sample_ship_batch_rows", 5000, "count", "S5", _("Shipping in bulk (spreadsheet or API): the most rows in one file or one call"), maximum=10_000, counts=pgettext_lazy("rule unit", "rows")),
    Rule("sample_due_soon", 6, "hours", "S8", _("Sample requests are highlighted as about to expire this long before their deadline"), maximum=168),
]
