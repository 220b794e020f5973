"""闪购 Flash sales: invited creators selling non-standard goods during a live session.

Ownership choices (documented in the README):
- A shipping template (运费模板) belongs to the creator: they pick or create it on the way
  while creating a flash sale in their live room, as the seed's 百应 flow does.
- A viewer (买家 / 用户) is a light identity with a secret token (a token link opens
  their live room), not a Django user: viewers have no back office.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.forms import MAX_PRICE, MAX_QUANTITY
from core.fsm import logged
from core.uploads import RandomName
from shops.models import Creator, LiveSession, Product, Shop


def _new_token() -> str:
    return secrets.token_urlsafe(16)


# Random names with the extension of the type sniffed from the bytes (core.uploads),
# never the client's: a PNG named poly.html is stored as <random>.png.
PICTURES = RandomName("flashsales/pictures")
ATTACHMENTS = RandomName("flashsales/reports")


def picture_path(instance: models.Model, filename: str) -> str:
    """Kept for the migrations that name it; the field uses PICTURES."""
    return PICTURES(instance, filename)


def attachment_path(instance: models.Model, filename: str) -> str:
    """Kept for the migrations that name it; the field uses ATTACHMENTS."""
    return ATTACHMENTS(instance, filename)


class Viewer(models.Model):
    """买家 / 用户: a person watching a live room, known by the secret token of their link."""

    nickname = models.CharField(_("nickname"), max_length=60)
    token = models.CharField(_("token"), max_length=40, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("viewer")
        verbose_name_plural = _("viewers")
        ordering = ["nickname", "id"]

    def __str__(self) -> str:
        return self.nickname


class ViewerMessage(models.Model):
    """A message in a viewer's inbox, shown in their live room: e.g. a merchant's announcement that a
    product they bought in a flash sale leaves the alliance (D3). Viewers are not users, so this
    is their in-site message; the dedupe key makes a repeated delivery a no-op."""

    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="messages", verbose_name=_("viewer"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("viewer message")
        verbose_name_plural = _("viewer messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["viewer", "-created_at"], name="fs_viewer_message_inbox")]

    def __str__(self) -> str:
        return self.title


class RoomVisit(models.Model):
    """V8: a viewer's presence in a live room, once per (session, viewer): the distinct
    viewers a session's figure counts."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+", verbose_name=_("live session"))
    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="visits", verbose_name=_("viewer"))
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("room visit")
        verbose_name_plural = _("room visits")
        constraints = [models.UniqueConstraint(fields=["session", "viewer"], name="room_visit_once")]

    def __str__(self) -> str:
        return f"{self.viewer_id} @ {self.session_id}"


class LiveComment(models.Model):
    """评论: a viewer's comment in a live room; a targeted flash sale is created from one (FS3)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="flash_comments", verbose_name=_("live session"))
    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="comments", verbose_name=_("viewer"))
    text = models.CharField(_("comment"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("live comment")
        verbose_name_plural = _("live comments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["session", "viewer"])]

    def __str__(self) -> str:
        return f"{self.viewer}: {self.text}"


class ShippingTemplate(models.Model):
    """运费模板: a creator's shipping fee, added to each flash-sale order (FS4)."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="shipping_templates", verbose_name=_("creator"))
    name = models.CharField(_("name"), max_length=60)
    fee = models.DecimalField(_("shipping fee"), max_digits=8, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipping template")
        verbose_name_plural = _("shipping templates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["creator", "name"], name="fs_template_name_unique_per_creator"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="fs_template_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (¥{self.fee})"


class FlashSale(models.Model):
    """闪购: one flash sale of a non-standard goods product in a live session.

    States: open → sold_out (automatically, when the last unit sells; FS6) or
    open → ended (by the creator's hand; FS6).
    """

    class Mode(models.TextChoices):
        FULL = "full", _("Full (全量)")
        TARGETED = "targeted", _("Targeted (定向)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SOLD_OUT = "sold_out", _("Sold out")
        ENDED = "ended", _("Ended")

    class PictureSource(models.TextChoices):
        CAPTURED = "captured", _("Captured from the live stream")
        UPLOADED = "uploaded", _("Uploaded")

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="flash_sales", verbose_name=_("live session"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="flash_sales", verbose_name=_("product"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    target_viewer = models.ForeignKey(
        Viewer, null=True, blank=True, on_delete=models.PROTECT, related_name="targeted_flash_sales", verbose_name=_("targeted viewer")
    )
    title = models.CharField(_("title"), max_length=100)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    sold_count = models.PositiveIntegerField(_("sold"), default=0)
    picture = models.ImageField(_("picture"), upload_to=PICTURES)
    picture_source = models.CharField(_("picture source"), max_length=10, choices=PictureSource.choices)
    shipping_template = models.ForeignKey(
        ShippingTemplate, on_delete=models.PROTECT, related_name="flash_sales", verbose_name=_("shipping template")
    )
    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("sold out or ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        ordering = ["-created_at", "-id"]
        indexes = [
            # FS5 counts every flash sale ever created per product and mode.
            models.Index(fields=["product", "mode"]),
            # The live room's panel reads the open ones of a session (FS6).
            models.Index(fields=["session"], condition=Q(status="open"), name="fs_open_per_session"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="fs_price_positive"),
            models.CheckConstraint(condition=Q(price__lte=MAX_PRICE) & Q(quantity__lte=MAX_QUANTITY), name="fs_price_quantity_sane"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fs_quantity_positive"),
            # Stock holds in the database too: never more sold than offered.
            models.CheckConstraint(condition=Q(sold_count__lte=F("quantity")), name="fs_sold_within_quantity"),
            models.CheckConstraint(
                condition=(Q(mode="full") & Q(target_viewer__isnull=True)) | (Q(mode="targeted") & Q(target_viewer__isnull=False)),
                name="fs_targeted_has_viewer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.quantity - self.sold_count

    def is_all_sold(self) -> bool:
        return self.sold_count >= self.quantity

    @logged
    @transition(field=status, source=Status.OPEN, target=Status.SOLD_OUT, conditions=[is_all_sold])
    def sell_out(self, **kwargs) -> None:
        """FS6: the last unit sold; the live room hides it."""
        self.closed_at = timezone.now()

    @logged
    @transition(field=status, source=Status.OPEN, target=Status.ENDED)
    def end(self, **kwargs) -> None:
        """FS6: the creator ends it by hand."""
        self.closed_at = timezone.now()


class FlashSaleOrder(models.Model):
    """A viewer's purchase in a flash sale: units at the flash-sale price plus the template's shipping fee."""

    flash_sale = models.ForeignKey(FlashSale, on_delete=models.PROTECT, related_name="orders", verbose_name=_("flash sale"))
    viewer = models.ForeignKey(Viewer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("viewer"))
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    shipping_fee = models.DecimalField(_("shipping fee"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("flash-sale order")
        verbose_name_plural = _("flash-sale orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fs_order_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.flash_sale} × {self.quantity}"


class ProblemReport(models.Model):
    """闪购问题反馈 (FS8): routed to merchant service (商服) or creator support (达人客服) by who reports."""

    class Desk(models.TextChoices):
        MERCHANT_SERVICE = "merchant_service", _("Merchant service (商服)")
        CREATOR_SUPPORT = "creator_support", _("Creator support (达人客服)")

    class AttachmentKind(models.TextChoices):
        IMAGE = "image", _("Screenshot")
        VIDEO = "video", _("Video")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting reply")
        ANSWERED = "answered", _("Answered")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flash_sale_reports", verbose_name=_("reporter"))
    desk = models.CharField(_("routed to"), max_length=20, choices=Desk.choices)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="flash_sale_reports", verbose_name=_("shop"))
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="flash_sale_reports", verbose_name=_("creator"))
    flash_sale = models.ForeignKey(
        FlashSale, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", verbose_name=_("flash sale")
    )
    description = models.TextField(_("what went wrong"))
    attachment = models.FileField(_("screenshot or video"), upload_to=ATTACHMENTS)
    attachment_kind = models.CharField(_("attachment type"), max_length=10, choices=AttachmentKind.choices)
    used_app = models.BooleanField(_("happened in the app"), default=False)
    phone_model = models.CharField(_("phone model"), max_length=60, blank=True)
    os_version = models.CharField(_("operating system"), max_length=60, blank=True)
    app_version = models.CharField(_("Douyin app version"), max_length=30, blank=True)
    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices, protected=True)
    reply = models.TextField(_("reply"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("flash-sale problem report")
        verbose_name_plural = _("flash-sale problem reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["desk"], condition=Q(status="open"), name="fs_report_open_per_desk")]
        constraints = [
            # FS8: a report made in the app names the phone model, OS and app version.
            models.CheckConstraint(
                condition=Q(used_app=False) | (~Q(phone_model="") & ~Q(os_version="") & ~Q(app_version="")),
                name="fs_report_app_details",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_desk_display()}"

    @logged
    @transition(field=status, source=Status.OPEN, target=Status.ANSWERED)
    def answer(self, **kwargs) -> None:
        self.answered_at = timezone.now()


class ProblemReportReply(models.Model):
    """One reply a reviewer gave to a problem report (FS8): the answer and each later
    correction, with who wrote it and when. The report's `reply` is the latest one."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="replies", verbose_name=_("problem report"))
    reply = models.TextField(_("reply"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("replied by")
    )
    created_at = models.DateTimeField(_("replied at"), default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.created_at:%Y-%m-%d %H:%M}"
