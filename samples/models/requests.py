"""样品服务: free samples from the alliance (RULES.md section S).

A creator asks a merchant for a sample of a product listed in the alliance; the merchant
decides, ships with a tracking number, the creator receives it and promotes the product.
Every clock of S4–S7 is a deadline column set when the clock starts (from the rules
object) and indexed for the rows still waiting on it, so the sweeps find due rows by an
index range, never by a scan.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core import clocks
from core.clocks import Deadline
from core.fsm import logged
from samples.models.addresses import mask_name, mask_phone
from shops.models import Creator, LiveCartItem, Merchant, Product, ShortVideo, VideoCartItem


class Carrier(models.TextChoices):
    """Carriers a merchant ships samples with (S5, ours: the carrier with the tracking number)."""

    SF = "sf", _("SF Express (顺丰速运)")
    ZTO = "zto", _("ZTO Express (中通快递)")
    YTO = "yto", _("YTO Express (圆通速递)")
    STO = "sto", _("STO Express (申通快递)")
    YUNDA = "yunda", _("Yunda Express (韵达快递)")
    JD = "jd", _("JD Logistics (京东物流)")
    EMS = "ems", _("China Post EMS (中国邮政)")


# The shape of each carrier's tracking numbers (simplified from the carriers' public formats).
TRACKING_FORMATS: dict[str, re.Pattern[str]] = {
    Carrier.SF: re.compile(r"^SF\d{12,13}$"),
    Carrier.ZTO: re.compile(r"^\d{12,15}$"),
    Carrier.YTO: re.compile(r"^YT\d{13,15}$"),
    Carrier.STO: re.compile(r"^\d{12,15}$"),
    Carrier.YUNDA: re.compile(r"^\d{13,15}$"),
    Carrier.JD: re.compile(r"^JD[A-Z0-9]{13,15}$"),
    Carrier.EMS: re.compile(r"^(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{13})$"),
}
TRACKING_EXAMPLES: dict[str, str] = {
    Carrier.SF: "SF123456789012",
    Carrier.ZTO: "731234567890",
    Carrier.YTO: "YT1234567890123",
    Carrier.STO: "773123456789012",
    Carrier.YUNDA: "4312345678901",
    Carrier.JD: "JDVA12345678901",
    Carrier.EMS: "EA123456789CN",
}

# Each carrier's public tracking page, with the tracking number filled in. Pages only link to
# them: the application makes no outside call.
TRACKING_URLS: dict[str, str] = {
    Carrier.SF: "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}",
    Carrier.ZTO: "https://www.zto.com/express/expressCheck.html?txtBill={number}",
    Carrier.YTO: "https://www.yto.net.cn/gw/service/Servicequery.html?waybillNo={number}",
    Carrier.STO: "https://www.sto.cn/pc/service-page/ZTS?number={number}",
    Carrier.YUNDA: "https://www.yundaex.com/cn/index.php?mailno={number}",
    Carrier.JD: "https://www.jdl.com/orderSearch/?waybillCodes={number}",
    Carrier.EMS: "https://www.ems.com.cn/qps/yjcx?mailNum={number}",
}


# S3: how an expired or cancelled request is shown: 已取消 and the recorded reason.
CANCELLED_WITH_REASON = _("Cancelled (%(reason)s)")


class SampleRequest(models.Model):
    """样品申请: one creator's request for a free sample of one alliance product (S3)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting decision")  # 待审核
        APPROVED = "approved", _("Awaiting shipment")  # 待发货
        SHIPPED = "shipped", _("Shipped")  # 已发货
        # V9 (ours): the creator reported the parcel as not arrived; held until re-shipped or decided.
        NOT_ARRIVED = "not_arrived", _("Not arrived (on hold)")
        RECEIVED = "received", _("Received")  # 已收货
        FULFILLED = "fulfilled", _("Fulfilled")  # 已履约
        REJECTED = "rejected", _("Rejected")
        # S3: expired (S4) and cancelled (S5, D4, staff override) are both shown as 已取消, with the
        # reason: see state_label. CANCELLED has several ways in, so its plain label names none.
        EXPIRED = "expired", _("Cancelled (not decided in time)")
        CANCELLED = "cancelled", _("Cancelled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        BREACHED = "breached", _("Breached")
        # AP3: a breach whose appeal was upheld: it no longer counts (V1, V3).
        EXCUSED = "excused", _("Excused (已免责)")

    OPEN_STATES = (State.REQUESTED, State.APPROVED, State.SHIPPED, State.NOT_ARRIVED, State.RECEIVED)
    CLOSED_STATES = (State.FULFILLED, State.REJECTED, State.EXPIRED, State.CANCELLED, State.WITHDRAWN, State.BREACHED, State.EXCUSED)

    class Promotion(models.TextChoices):
        VIDEO = "video", _("Short video")
        LIVE = "live", _("Live session")

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("creator"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("product"))
    # The goods owner, kept on the row so the merchant's inbox is one indexed filter.
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="sample_requests", verbose_name=_("merchant"))
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    note = models.CharField(_("note to the merchant"), max_length=300, blank=True)

    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decide_by = models.DateTimeField(_("decide by"))  # S4
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ship_by = models.DateTimeField(_("ship by"), null=True, blank=True)  # S5: late after this
    ship_cancel_at = models.DateTimeField(_("cancelled if not shipped by"), null=True, blank=True)  # S5
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=16, choices=Carrier.choices, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    auto_receive_at = models.DateTimeField(_("receipt confirmed automatically at"), null=True, blank=True)  # S6
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    fulfil_by = models.DateTimeField(_("promote by"), null=True, blank=True)  # S7 (360 h); V7 moves it once

    # V9: the current not-arrived hold (cleared when re-shipped or decided) and the last re-shipment.
    not_arrived_at = models.DateTimeField(_("reported not arrived at"), null=True, blank=True)
    not_arrived_note = models.CharField(_("not-arrived note"), max_length=300, blank=True)
    # V9 (ours, #22): a reviewer decides the hold by then (rule sample_not_arrived_decide_working_days,
    # F9's calendar); shown and sorted in the reviewers' queue, nothing is decided automatically.
    not_arrived_decide_by = models.DateTimeField(_("not-arrived decision due by"), null=True, blank=True)
    reshipped_at = models.DateTimeField(_("re-shipped at"), null=True, blank=True)
    # V10: what the samples cost the merchant: one unit at the product's price per shipment
    # (a re-shipment sends another unit) plus the shipping costs entered when shipping.
    units_sent = models.PositiveSmallIntegerField(_("units sent"), default=0)
    sample_cost = models.DecimalField(_("sample cost"), max_digits=12, decimal_places=2, default=0)
    shipping_cost = models.DecimalField(_("shipping cost"), max_digits=10, decimal_places=2, default=0)

    # S7: the promotion the creator recorded, and when the sweep checks it.
    promotion = models.CharField(_("promotion"), max_length=8, choices=Promotion.choices, blank=True)
    promotion_video = models.ForeignKey(
        ShortVideo, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("promotion video")
    )
    promotion_video_item = models.ForeignKey(VideoCartItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    promotion_live_item = models.ForeignKey(
        LiveCartItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("live cart item")
    )
    promotion_started_at = models.DateTimeField(_("promotion started at"), null=True, blank=True)
    fulfil_check_at = models.DateTimeField(_("promotion checked at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    # 收货地址: a snapshot of the creator's address chosen when asking (samples.models.addresses);
    # the merchant reads it in full from the approval until the request closes (address_for_merchant).
    ship_to_name = models.CharField(_("recipient"), max_length=30, blank=True)
    ship_to_phone = models.CharField(_("phone"), max_length=20, blank=True)
    ship_to_province = models.CharField(_("province"), max_length=20, blank=True)
    ship_to_city = models.CharField(_("city"), max_length=20, blank=True)
    ship_to_district = models.CharField(_("district"), max_length=20, blank=True)
    ship_to_street = models.CharField(_("street address"), max_length=120, blank=True)

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)

    # V4: the triage score when the request arrived (the inbox sorts by it), and the rule
    # that decided it automatically, if one did.
    triage_score = models.PositiveSmallIntegerField(_("triage score"), default=0)
    triage_rule = models.ForeignKey(
        "samples.TriageRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="decided_requests",
        verbose_name=_("decided by the triage rule"),
    )

    class Meta:
        verbose_name = _("sample request")
        verbose_name_plural = _("sample requests")
        ordering = ["-requested_at", "-id"]
        permissions = [("override_samplerequest", _("Can override a sample request (staff, with a reason)"))]
        constraints = [
            # V3 / design: one open request per creator and product.
            models.UniqueConstraint(
                fields=["creator", "product"],
                condition=Q(state__in=["requested", "approved", "shipped", "not_arrived", "received"]),
                name="one_open_sample_request",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "shipped", "not_arrived", "received", "fulfilled", "breached", "excused"])
                | Q(approved_at__isnull=False),
                name="sample_approved_has_approved_at",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["shipped", "not_arrived", "received"]) | (~Q(tracking_number="") & ~Q(carrier="")),
                name="sample_shipped_has_tracking",
            ),
        ]
        indexes = [
            # One partial index per waiting state: the sweeps read due rows by these ranges.
            models.Index(fields=["decide_by"], condition=Q(state="requested"), name="sample_wait_decide"),  # S4
            models.Index(fields=["ship_cancel_at"], condition=Q(state="approved"), name="sample_wait_ship"),  # S5
            models.Index(fields=["auto_receive_at"], condition=Q(state="shipped"), name="sample_wait_receive"),  # S6
            models.Index(fields=["fulfil_by"], condition=Q(state="received", promotion=""), name="sample_wait_fulfil"),  # S7 360 h
            models.Index(
                fields=["fulfil_check_at"], condition=Q(state="received", fulfil_check_at__isnull=False),
                name="sample_wait_check",
            ),  # S7 7 days / 3 minutes
            # V9: the reviewers' not-arrived queue, the decision due soonest first.
            models.Index(fields=["not_arrived_decide_by"], condition=Q(state="not_arrived"), name="sample_wait_v9_decide"),
            models.Index(fields=["merchant", "state"], name="sample_merchant_state"),
            # V2: approvals of a product in a quota period; V1: a creator's outcomes in the window.
            models.Index(fields=["product", "approved_at"], name="sample_product_approved"),
            models.Index(fields=["creator", "closed_at"], name="sample_creator_closed"),
            # V10: the merchant's return-on-samples report groups shipped requests by creator and product.
            models.Index(fields=["merchant", "creator", "product"], condition=Q(units_sent__gt=0), name="sample_sent_pairs"),
            # A creator's record (fulfilled / breached) and V1's outcomes in the window, for a
            # page of creators: counted from this index alone (index-only scans).
            models.Index(fields=["creator", "state", "closed_at"], name="sample_creator_state_closed"),
            # The admin's list (and Meta.ordering): newest first without sorting the table.
            models.Index(fields=["-requested_at", "-id"], name="sample_requested_desc"),
            # The merchant's inbox (samples.selectors.InboxRows): a page of ids straight from an
            # index, V4 order: the waiting requests by triage score, then the rest newest first.
            models.Index(
                fields=["merchant", "-triage_score", "decide_by", "-requested_at", "-id"], condition=Q(state="requested"),
                name="sample_inbox_waiting",
            ),
            models.Index(fields=["merchant", "-requested_at", "-id"], include=["state"], name="sample_inbox_newest"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.product} → {self.creator}"

    # -------------------------------------------------------------------------------
    # Reading the clocks

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def reason_in_label(self) -> bool:
        """True when state_label already carries the close reason (pages then skip repeating it)."""
        return self.state in (self.State.EXPIRED, self.State.CANCELLED) and bool(self.close_reason)

    @property
    def state_label(self) -> str:
        """S3: what a person sees as the state. Expired and cancelled requests are shown as
        已取消 with the recorded reason (S4, S5, D4 or a staff override), so the label never
        names a way in that did not happen; other states show their plain label."""
        if self.reason_in_label:
            return str(CANCELLED_WITH_REASON % {"reason": self.close_reason.strip().rstrip("。.")})
        return str(self.get_state_display())

    @property
    def next_deadline(self):
        """The instant the clock that matters now runs out (core.clocks.next_deadline over
        samples.clocks), or None (closed, or on hold)."""
        found = clocks.next_deadline(self)
        return found.at if found else None

    @property
    def next_deadline_label(self) -> str:
        found = clocks.next_deadline(self)
        if found is not None:
            return found.label
        if self.state == self.State.NOT_ARRIVED:
            return str(_("On hold: reported not arrived"))
        return ""

    @property
    def shipping_late(self) -> bool:
        """S5: approved and past the 48 h ship-by mark (cancelled at the 120 h one)."""
        found = clocks.next_deadline(self)
        return found is not None and any(c.key == "s5_late" for c in found.passed)

    # -------------------------------------------------------------------------------
    # The shipping address, as each side may read it

    # Open states in which the merchant must read the whole address to ship (or re-ship) it.
    ADDRESS_VISIBLE_STATES = (State.APPROVED, State.SHIPPED, State.NOT_ARRIVED, State.RECEIVED)

    @property
    def has_address(self) -> bool:
        return bool(self.ship_to_name)

    def address_for_creator(self) -> dict[str, str] | None:
        if not self.has_address:
            return None
        return self._address(masked=False)

    def address_for_merchant(self) -> dict[str, str] | None:
        """The whole address from the approval until the request closes; before the decision
        and after the close only the region, with the name and phone partly hidden."""
        if not self.has_address:
            return None
        return self._address(masked=self.state not in self.ADDRESS_VISIBLE_STATES)

    def _address(self, *, masked: bool) -> dict[str, str]:
        return {
            "name": mask_name(self.ship_to_name) if masked else self.ship_to_name,
            "phone": mask_phone(self.ship_to_phone) if masked else self.ship_to_phone,
            "region": f"{self.ship_to_province} {self.ship_to_city} {self.ship_to_district}",
            "street": "" if masked else self.ship_to_street,
            "masked": masked,
        }

    @property
    def tracking_url(self) -> str:
        """The carrier's own tracking page for this parcel (a link; the site calls nobody)."""
        template = TRACKING_URLS.get(self.carrier)
        return template.format(number=quote(self.tracking_number)) if template and self.tracking_number else ""

    # -------------------------------------------------------------------------------
    # S3: the graph. Services set the clocks and fields; methods say what may happen.

    # One clock: the instant the clock conditions below compare against. A sweep moves a row
    # at its own `now` and sets it here (samples.services.sweeps), so every row it selects as
    # due is one its conditions let it move; a person's action leaves it unset: the real clock.
    as_of: datetime | None = None

    # The clock conditions (core.clocks.Deadline): each is the transition's condition and its
    # SQL form in one object; the services ask the same object whether a person is too late
    # (`sample.decide_passed()`). The clocks themselves are declared in samples.clocks.
    decide_passed = Deadline("decide_by")  # S4
    ship_cancel_passed = Deadline("ship_cancel_at")  # S5
    auto_receive_passed = Deadline("auto_receive_at")  # S6

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.APPROVED)
    def approve(self, **kwargs) -> None:
        pass

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.REJECTED)
    def reject(self, **kwargs) -> None:
        pass

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.WITHDRAWN)
    def withdraw(self, **kwargs) -> None:
        pass

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.EXPIRED, conditions=[decide_passed])
    def expire(self, **kwargs) -> None:
        """S4: no decision within 48 h."""

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.CANCELLED)
    def close_alliance_removed(self, **kwargs) -> None:
        """D4 (ours): the product left the alliance while the request awaited a decision.
        Approved and shipped requests go on: this transition starts only from REQUESTED."""

    @logged
    @transition(field=state, source=State.APPROVED, target=State.SHIPPED)
    def ship(self, **kwargs) -> None:
        pass

    @logged
    @transition(field=state, source=State.APPROVED, target=State.CANCELLED, conditions=[ship_cancel_passed])
    def cancel_unshipped(self, **kwargs) -> None:
        """S5: not shipped within 120 h of the approval."""

    @logged
    @transition(field=state, source=[State.SHIPPED, State.NOT_ARRIVED], target=State.RECEIVED)
    def receive(self, **kwargs) -> None:
        """S6: the creator confirms receipt (V9, ours: also a parcel reported not arrived that turned up)."""

    @logged
    @transition(field=state, source=State.SHIPPED, target=State.NOT_ARRIVED)
    def report_not_arrived(self, **kwargs) -> None:
        """V9: reported not arrived before the 168 h auto-receipt (the service checks the clock):
        no auto-receipt and no 360 h clock while held."""

    @logged
    @transition(field=state, source=State.NOT_ARRIVED, target=State.SHIPPED)
    def reship(self, **kwargs) -> None:
        """V9: the merchant sent it again with a new tracking number; a new 168 h clock starts."""

    @logged
    @transition(
        field=state, source=State.NOT_ARRIVED, target=State.RECEIVED, permission="samples.override_samplerequest",
    )
    def resolve_received(self, **kwargs) -> None:
        """V9: a reviewer decides a not-arrived report: treated as received (the 360 h clock starts now)."""

    @logged
    @transition(field=state, source=State.SHIPPED, target=State.RECEIVED, conditions=[auto_receive_passed])
    def auto_receive(self, **kwargs) -> None:
        """S6: 168 h after shipping the system confirms receipt."""

    @logged
    @transition(field=state, source=State.RECEIVED, target=State.FULFILLED)
    def fulfil(self, **kwargs) -> None:
        """S7: the promotion held (video 7 days, live 3 minutes with an explanation)."""

    @logged
    @transition(field=state, source=State.RECEIVED, target=State.BREACHED)
    def breach(self, **kwargs) -> None:
        """S7 (ours): no qualifying promotion in 360 h, or the video did not hold."""

    @logged
    @transition(field=state, source=State.BREACHED, target=State.EXCUSED, permission="samples.decide_sampleappeal")
    def excuse(self, **kwargs) -> None:
        """AP3: a reviewer upheld the creator's appeal against the breach."""

    @logged
    @transition(
        field=state, source=[State.REQUESTED, State.APPROVED, State.SHIPPED, State.NOT_ARRIVED, State.RECEIVED],
        target=State.CANCELLED,
        permission="samples.override_samplerequest",
    )
    def override_cancel(self, **kwargs) -> None:
        """Staff override: cancel an open request, with a recorded reason."""

    @logged
    @transition(
        field=state, source=[State.RECEIVED, State.BREACHED], target=State.FULFILLED,
        permission="samples.override_samplerequest",
    )
    def override_fulfil(self, **kwargs) -> None:
        """Staff override: count a promotion checked by hand as fulfilled, with a recorded reason."""
