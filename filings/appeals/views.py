"""申诉 on a filing's page (AP1–AP5): the merchant files (once per rejection, in the window)
or withdraws; evidence is served only to the merchant and to reviewers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.appeal_forms import AppealForm
from core.uploads import file_response
from filings.appeals import services as appeals
from filings.models import Filing, FilingAppeal, FilingAppealEvidence
from shops import teams


def appeal_context(filing: Filing, *, form: AppealForm | None = None) -> dict:
    appeal = appeals.current_appeal(filing) or FilingAppeal.objects.filter(filing_id=filing.pk).order_by("-filed_at").first()
    return {
        "appeal": appeal,
        "appeal_until": appeals.appeal_window_ends(filing),
        "can_appeal": appeals.can_appeal(filing),
        "is_appellant": True,
        "appeal_form": form or AppealForm(),
        "appeal_url": reverse("filings:merchant_appeal", args=[filing.pk]),
        "withdraw_url": reverse("filings:merchant_appeal_withdraw", args=[filing.pk]),
        "evidence_url_name": "filings:appeal_evidence",
    }


@login_required
def appeal_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FilingAppealEvidence.objects.select_related("appeal__filing__product__shop__merchant"), pk=pk)
    user = request.user
    product = item.appeal.filing.product
    owner = teams.sees(user, product.shop.merchant_id, product.shop_id, can=teams.VIEW)  # the owner or a member of its team (T1)
    if not (owner or (user.is_staff and user.has_perm("filings.view_filingappeal"))):
        raise Http404
    ext = item.file.name.rsplit(".", 1)[-1]
    return file_response(item.file, download_name=f"evidence-{item.pk}.{ext}")
