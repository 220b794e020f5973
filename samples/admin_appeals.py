"""The reviewers' queue of appeals against breaches (AP2–AP5), on core.admin_appeals."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_appeals import AppealAdminBase
from samples.models import SampleAppeal
from samples.services.appeals import sample_appeal_dismiss, sample_appeal_uphold


@admin.register(SampleAppeal)
class SampleAppealAdmin(AppealAdminBase):
    subject_field = "sample"
    uphold = staticmethod(sample_appeal_uphold)
    dismiss = staticmethod(sample_appeal_dismiss)
    list_select_related = ["sample__product", "sample__creator", "appealed_by"]
    search_fields = ["sample__product__title", "sample__creator__nickname", "sample__creator__platform_id"]

    def evidence_url(self, item) -> str:
        return reverse("samples:appeal_evidence", args=[item.pk])

    @admin.display(description=_("appealed decision"))
    def appealed_decision(self, obj: SampleAppeal):
        sample = obj.sample
        return format_html(
            '<a href="{}">#{}</a> {} · {} — {} ({})', reverse("admin:samples_samplerequest_change", args=[sample.pk]),
            sample.pk, sample.product.title, sample.creator.display_name, sample.state_label, sample.close_reason or "—",
        )
