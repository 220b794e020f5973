"""批量发货 (issue 24): one spreadsheet of shipments uploaded by a merchant, and what became
of each row. The rows themselves ship through the ship form's service (S5); this record is
what the result page and the file of refused rows are read from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shops.models import Merchant


class ShipSheetUpload(models.Model):
    """批量发货表: an uploaded shipping spreadsheet and its per-row outcome (shipped, skipped,
    refused with the reason). Kept so the merchant can reopen the result and download the
    refused rows to fix them; the sample requests and their transition history stay the
    record of what shipped."""

    class Kind(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="ship_sheets", verbose_name=_("merchant"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    kind = models.CharField(_("file type"), max_length=8, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)  # as the browser sent it: shown, never used as a path
    shipped = models.PositiveIntegerField(_("shipped"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    # One object per row: {"line", "id", "carrier", "tracking_number", "outcome", "reason"}
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        verbose_name = _("shipping spreadsheet")
        verbose_name_plural = _("shipping spreadsheets")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["merchant", "-uploaded_at", "-id"], name="ship_sheet_merchant_newest")]

    def __str__(self) -> str:
        return f"{self.file_name or self.kind} · {self.uploaded_at:%Y-%m-%d %H:%M}"
