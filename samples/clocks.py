"""The samples domain's clocks (RULES.md S4–S7, V7), each declared once (core.clocks).

The transitions and their sources live on the models; the sweeps, the ops lag metric, the
next deadline on every page and the to-do boards read these entries. Order matters only
for reading: a row's clocks are compared by their deadlines.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.clocks import Clock, clock

SAMPLE = "samples.SampleRequest"

CLOCKS: tuple[Clock, ...] = (
    # S4: the merchant decides within 48 h of the request, or it is cancelled (expired).
    Clock("s4_decide", "S4", SAMPLE, "decide_by", _("Merchant decides by"), transition="expire",
          task="samples.tasks.sweep_expire_undecided", index_name="sample_wait_decide"),
    # S5: ship within 48 h of the approval; after that the shipment is late (a mark, no transition) …
    Clock("s5_late", "S5", SAMPLE, "ship_by", _("Ship by"), states=("approved",), passed_label=_("late")),
    # … and 120 h after the approval an unshipped request is cancelled.
    Clock("s5_cancel", "S5", SAMPLE, "ship_cancel_at", _("Cancelled if not shipped by"), transition="cancel_unshipped",
          task="samples.tasks.sweep_cancel_unshipped", index_name="sample_wait_ship"),
    # S6: 168 h after shipping, receipt is confirmed for the creator.
    Clock("s6_receive", "S6", SAMPLE, "auto_receive_at", _("Receipt confirmed automatically at"), transition="auto_receive",
          task="samples.tasks.sweep_auto_receive", index_name="sample_wait_receive"),
    # S7: a recorded promotion is checked at the end of its period (video 7 days, live 3 minutes):
    # fulfilled when it held (breached otherwise, by the same sweep).
    Clock("s7_check", "S7", SAMPLE, "fulfil_check_at", _("Promotion checked at"), transition="fulfil",
          where={"fulfil_check_at__isnull": False}, task="samples.tasks.sweep_check_promotions",
          index_name="sample_wait_check"),
    # S7 (ours): no promotion started within 360 h of receipt → breached (V7 may move fulfil_by once).
    Clock("s7_fulfil", "S7", SAMPLE, "fulfil_by", _("Start promoting by"), transition="breach",
          where={"promotion": ""}, task="samples.tasks.sweep_breach_unpromoted", index_name="sample_wait_fulfil"),
    # V7: an extension the merchant did not refuse within 48 h is granted.
    Clock("v7_extension", "V7", "samples.ExtensionRequest", "refuse_by", _("Granted unless refused by"),
          transition="grant", task="samples.tasks.sweep_grant_extensions", index_name="sample_ext_wait_refuse"),
)


def about_to_expire(now: datetime, soon: datetime) -> Q:
    """「即将超时」: requests whose S4 or S5 cancellation falls within (now, soon]."""
    return clock("s4_decide").runs_out_between(now, soon) | clock("s5_cancel").runs_out_between(now, soon)


def shipping_late(now: datetime) -> Q:
    """S5: approved and past the 48 h ship-by mark, not yet cancelled at 120 h."""
    return clock("s5_late").passed_at(now)
