"""申诉 on a filing's page (AP1–AP5): the merchant files (once per rejection, in the window)
or withdraws; evidence is served only to the merchant and to reviewers."""

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
from core.roles import merchant_required
from core.submissions import once
from core.uploads import file_response
from filings import selectors
from filings.appeals import services as appeals
from filings.models import Filing, FilingAppeal, FilingAppealEvidence


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


@merchant_required
@require_POST
def merchant_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP1: appeal the rejection, with a reason and evidence."""
    from filings.views import render_detail

    filing = selectors.get_filing_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = AppealForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            once(key=data["submission"], user=request.user, create=partial(
                appeals.filing_appeal_file, filing=filing, merchant=request.merchant, by=request.user,
                reason=data["reason"], files=data["evidence"]))
        except ValidationError as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("Appeal filed. A reviewer other than the one who decided answers within 3 working days."))
            return redirect("filings:merchant_detail", pk=filing.pk)
    return render_detail(request, filing, status=400, appeal_form=form)


@merchant_required
@require_POST
def merchant_appeal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.get_filing_for_merchant_or_404(merchant=request.merchant, pk=pk)
    appeal = get_object_or_404(FilingAppeal, filing_id=filing.pk, state=FilingAppeal.State.OPEN)
    try:
        run_action(request, partial(appeals.filing_appeal_withdraw, appeal=appeal, by=request.user), _("Appeal withdrawn."))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("filings:merchant_detail", pk=filing.pk)


@login_required
def appeal_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FilingAppealEvidence.objects.select_related("appeal__filing__product__shop__merchant"), pk=pk)
    user = request.user
    owner = item.appeal.filing.product.shop.merchant.user_id == user.pk
    if not (owner or (user.is_staff and user.has_perm("filings.view_filingappeal"))):
        raise Http404
    ext = item.file.name.rsplit(".", 1)[-1]
    return file_response(item.file, download_name=f"evidence-{item.pk}.{ext}")
