"""申诉 against a breach (AP1–AP4): a creator appeals a `breached` sample request once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.appeals import AppealBase, EvidenceBase
from core.storage import private_storage
from core.uploads import RandomName


class SampleAppeal(AppealBase):
    """申诉 (AP1): a creator's appeal against the breach (S7) of one sample request. Once per
    breach: one appeal per request, whatever became of it (AP4)."""

    sample = models.OneToOneField(
        "samples.SampleRequest", on_delete=models.PROTECT, related_name="appeal", verbose_name=_("sample request"),
    )

    class Meta:
        verbose_name = _("sample appeal")
        verbose_name_plural = _("sample appeals")
        ordering = ["decide_by", "id"]
        permissions = [("decide_sampleappeal", _("Can decide appeals against breaches (AP2)"))]
        indexes = [
            # AP2: the reviewers' queue reads the open appeals by their due date.
            models.Index(fields=["decide_by"], condition=Q(state="open"), name="sample_appeal_wait_decide"),
        ]

    def __str__(self) -> str:
        return f"申诉 #{self.pk} · {self.sample_id}"


class SampleAppealEvidence(EvidenceBase):
    appeal = models.ForeignKey(SampleAppeal, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("appeal"))
    file = models.FileField(_("file"), upload_to=RandomName("appeals/samples"), storage=private_storage, max_length=200)

    class Meta(EvidenceBase.Meta):
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")
