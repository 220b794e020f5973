"""申诉 on a sample request's pages (AP1–AP5): the creator files (once, in the window) or
withdraws; both parties see the appeal, its evidence and its decision; evidence is served
only to them and to reviewers, with an explicit type (core.uploads.file_response)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.appeal_forms import AppealForm, refusal_on_form
from core.http import run_action
from core.roles import creator_required
from core.submissions import once
from core.uploads import file_response
from samples import selectors
from samples.models import SampleAppeal, SampleAppealEvidence, SampleRequest
from samples.services import appeals


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


@creator_required
@require_POST
def creator_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP1: appeal the breach, with a reason and evidence."""
    from samples.views.creator import _detail_page

    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    form = AppealForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            once(key=data["submission"], user=request.user, create=partial(
                appeals.sample_appeal_file, sample=sample, by=request.user, reason=data["reason"], files=data["evidence"]))
        except ValidationError as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("Appeal filed. Both sides are told; a reviewer decides within 3 working days."))
            return redirect("samples:creator_detail", pk=sample.pk)
    return _detail_page(request, sample, status=400, appeal_form=form)


@creator_required
@require_POST
def creator_appeal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    appeal = get_object_or_404(SampleAppeal, sample_id=sample.pk)
    try:
        run_action(request, partial(appeals.sample_appeal_withdraw, appeal=appeal, by=request.user), _("Appeal withdrawn."))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("samples:creator_detail", pk=sample.pk)


@login_required
def appeal_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to the creator, the merchant of the request or a reviewer; else 404."""
    item = get_object_or_404(SampleAppealEvidence.objects.select_related("appeal__sample__creator", "appeal__sample__merchant"), pk=pk)
    sample = item.appeal.sample
    user = request.user
    allowed = user.pk in (sample.creator.user_id, sample.merchant.user_id) or (user.is_staff and user.has_perm("samples.view_sampleappeal"))
    if not allowed:
        raise Http404
    ext = item.file.name.rsplit(".", 1)[-1]
    return file_response(item.file, download_name=f"evidence-{item.pk}.{ext}")
