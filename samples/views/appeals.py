"""申诉 on a sample request's pages (AP1–AP5): the creator files (once, in the window) or
withdraws; both parties see the appeal, its evidence and its decision; evidence is served
only to them and to reviewers, with an explicit type (core.uploads.file_response)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.appeal_forms import AppealForm
from core.uploads import file_response
from samples.models import SampleAppeal, SampleAppealEvidence, SampleRequest
from samples.services import appeals
from shops import teams


def appeal_context(sample: SampleRequest, *, is_appellant: bool, form: AppealForm | None = None) -> dict:
    """What the request's page shows of an appeal: the appeal, or until when one is possible."""
    appeal = SampleAppeal.objects.filter(sample_id=sample.pk).prefetch_related("evidence").first()
    return {
        "appeal": appeal,
        "appeal_until": appeals.appeal_window_ends(sample),
        "can_appeal": appeal is None and appeals.can_appeal(sample),
        "is_appellant": is_appellant,
        "appeal_form": form or AppealForm(),
        "appeal_url": reverse("samples:creator_appeal", args=[sample.pk]),
        "withdraw_url": reverse("samples:creator_appeal_withdraw", args=[sample.pk]),
        "evidence_url_name": "samples:appeal_evidence",
    }


@login_required
def appeal_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to the creator, the merchant of the request or a reviewer; else 404."""
    item = get_object_or_404(SampleAppealEvidence.objects.select_related("appeal__sample__creator", "appeal__sample__merchant", "appeal__sample__product"), pk=pk)
    sample = item.appeal.sample
    user = request.user
    allowed = (user.pk == sample.creator.user_id or teams.sees(user, sample.merchant_id, sample.product.shop_id)
               or (user.is_staff and user.has_perm("samples.view_sampleappeal")))
    if not allowed:
        raise Http404
    ext = item.file.name.rsplit(".", 1)[-1]
    return file_response(item.file, download_name=f"evidence-{item.pk}.{ext}")
