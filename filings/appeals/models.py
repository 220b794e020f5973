"""申诉 against a filing rejection (AP1–AP4): a merchant appeals a `not_approved` filing."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.appeals import AppealBase, EvidenceBase
from core.uploads import RandomName
from filings.storage import private_storage


class FilingAppeal(AppealBase):
    """申诉 (AP1): the merchant's appeal against one rejection (审核未通过) of a filing. A
    filing rejected again after a new submission is a new decision, appealable once."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("filing"))

    class Meta:
        app_label = "filings"
        verbose_name = _("filing appeal")
        verbose_name_plural = _("filing appeals")
        ordering = ["decide_by", "id"]
        permissions = [("decide_filingappeal", _("Can decide appeals against filing rejections (AP2)"))]
        constraints = [
            # AP1/AP4: once per decision (the rejection is identified by when it was made).
            models.UniqueConstraint(fields=["filing", "appealed_at"], name="filing_appeal_once_per_decision"),
        ]
        indexes = [
            models.Index(fields=["decide_by"], condition=Q(state="open"), name="filing_appeal_wait_decide"),
        ]

    def __str__(self) -> str:
        return f"申诉 #{self.pk} · {self.filing_id}"


class FilingAppealEvidence(EvidenceBase):
    appeal = models.ForeignKey(FilingAppeal, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("appeal"))
    file = models.FileField(_("file"), upload_to=RandomName("appeals/filings"), storage=private_storage, max_length=200)

    class Meta(EvidenceBase.Meta):
        app_label = "filings"
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")
