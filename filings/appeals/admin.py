"""The reviewers' queue of appeals against filing rejections (AP2–AP5), on core.admin_appeals."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_appeals import AppealAdminBase
from filings.appeals.services import filing_appeal_dismiss, filing_appeal_uphold
from filings.models import FilingAppeal


@admin.register(FilingAppeal)
class FilingAppealAdmin(AppealAdminBase):
    subject_field = "filing"
    uphold = staticmethod(filing_appeal_uphold)
    dismiss = staticmethod(filing_appeal_dismiss)
    list_select_related = ["filing__product", "filing__creator", "appealed_by"]
    search_fields = ["filing__product__title", "filing__creator__nickname", "filing__creator__platform_id"]

    def evidence_url(self, item) -> str:
        return reverse("filings:appeal_evidence", args=[item.pk])

    @admin.display(description=_("appealed decision"))
    def appealed_decision(self, obj: FilingAppeal):
        filing = obj.filing
        return format_html(
            '<a href="{}">#{}</a> {} — {}: {}', reverse("admin:filings_filing_change", args=[filing.pk]),
            filing.pk, filing, filing.get_state_display(), filing.review_reason or "—",
        )
