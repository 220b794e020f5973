"""HTTP only: parse, call a service or a selector, render."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.appeal_forms import AppealForm, refusal_on_form
from core.http import IdsFirst, page_of, run_action
from core.previews import Unreadable, pdf_page_png, png_response
from core.roles import creator_required, merchant_required
from core.submissions import once
from core.uploads import file_response, kind_of_name
from filings import selectors, services
from filings.appeals import services as appeals
from filings.appeals.views import appeal_context
from filings.filters import MerchantFilingFilter
from filings.forms import DeclarationForm, SubmitForm
from filings.models import Filing, FilingAppeal
from filings.timing import attach_deadlines
from shops import teams

EMPTY_TASKS = gettext_lazy(
    "No filing tasks. Tasks appear when a specific creator sells your products, or when you declare products for a PK."
)


def _refusal_on_form(form, exc: ValidationError) -> None:
    """Show a service's refusal next to the fields it names (the rest above the form), so
    the form keeps what was typed."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@merchant_required(can=teams.VIEW)
def merchant_list(request: HttpRequest) -> HttpResponse:
    """商品资质管理: the merchant's filing tasks, filterable by state, reason and creator."""
    merchant = request.merchant
    base = selectors.filings_for_merchant(merchant=merchant)
    filterset = MerchantFilingFilter(request.GET, queryset=base)
    qs = filterset.qs if filterset.is_valid() else base.none()
    page = page_of(request, IdsFirst(qs))  # the page's ids first, then those filings with their related rows
    attach_deadlines(list(page.object_list))
    return render(request, "filings/merchant/list.html", {"filter": filterset, "page": page, "querystring": _querystring(request), "empty_text": EMPTY_TASKS})


def _submit_form(request: HttpRequest, filing: Filing) -> SubmitForm:
    doc_types = services.required_document_types(filing)
    on_file = set(filing.documents.values_list("doc_type_id", flat=True))
    return SubmitForm(request.POST or None, request.FILES or None, doc_types=doc_types, on_file=on_file)


@merchant_required(can=teams.FILINGS, read=teams.VIEW)
def merchant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: the product, reasons, linked creator, state and review result, documents,
    history, the submit form (F4) under the formal-check notice (F12), and the appeal (AP1)."""
    filing = selectors.get_filing_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = _submit_form(request, filing)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.filing_submit(filing=filing, merchant=request.merchant, by=request.user, uploads=form.uploads())
            except ValidationError as exc:
                _refusal_on_form(form, exc)
            else:
                messages.success(request, _("Qualifications submitted: the filing is under review."))
                if result.warning:
                    messages.warning(request, result.warning)
                return redirect("filings:merchant_detail", pk=filing.pk)
    return render_detail(request, filing, form=form)


def render_detail(request: HttpRequest, filing: Filing, *, form: SubmitForm | None = None, status: int = 200, appeal_form=None) -> HttpResponse:
    attach_deadlines([filing])
    context = {
        "filing": filing,
        "form": form or _submit_form(request, filing),
        "can_submit": filing.state in (Filing.State.PENDING, Filing.State.NOT_APPROVED),
        "documents": selectors.documents_for_filing(filing=filing),
        "history": selectors.history_for_filing(filing=filing),
        "notice": services.FORMAL_CHECK_NOTICE,
        **appeal_context(filing, form=appeal_form),  # AP1–AP5
    }
    return render(request, "filings/merchant/detail.html", context, status=status)


@merchant_required(can=teams.FILINGS)
@require_POST
def merchant_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """F7: withdraw a filing under review."""
    filing = selectors.get_filing_for_merchant_or_404(merchant=request.merchant, pk=pk)
    run_action(request, lambda: services.filing_withdraw(filing=filing, merchant=request.merchant, by=request.user), _("Withdrawn: the filing is pending again and needs a new submission."))
    return redirect("filings:merchant_detail", pk=filing.pk)


@merchant_required(can=teams.FILINGS)
def declare(request: HttpRequest) -> HttpResponse:
    """主动申报 (F5)."""
    form = DeclarationForm(
        request.POST or None,
        products=selectors.products_for_declaration(merchant=request.merchant),
        sessions=selectors.pk_sessions_for_declaration(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            declaration = once(key=form.cleaned_data["submission"], user=request.user, create=lambda: services.pk_declare(
                merchant=request.merchant, creators=form.cleaned_data["creators"], products=list(form.cleaned_data["products"]),
                session=form.cleaned_data["session"], by=request.user, reason=form.cleaned_data["reason"],
            ))
        except ValidationError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Declared: %(n)s filing task(s) are pending. Submit the qualifications for each.") % {"n": declaration.products.count() * declaration.creators.count()},
            )
            return redirect("filings:merchant_list")
    return render(request, "filings/merchant/declare.html", {"form": form})


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a qualification document to its merchant or a reviewer, never as public media."""
    doc = selectors.get_document_for_user_or_404(user=request.user, pk=pk)
    ext = doc.file.name.rsplit(".", 1)[-1]
    # The type of the stored kind, nosniff; a PDF is a download, an image shows inline.
    response = file_response(doc.file, download_name=f"document-{doc.pk}.{ext}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_preview(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """#22.4: page `page` of a PDF qualification document as a picture, so a reviewer reads it
    on the filing's page without downloading it; to the same people as the file (the owning
    merchant, reviewers), a 404 to anyone else and for a page the file does not have."""
    doc = selectors.get_document_for_user_or_404(user=request.user, pk=pk)
    kind = kind_of_name(doc.file.name)
    if kind is None or kind.image:
        raise Http404  # an image previews as itself (filings:document); only PDFs have pages
    try:
        return png_response(pdf_page_png(doc.file, page))
    except (Unreadable, OSError) as exc:
        raise Http404 from exc


@creator_required
def creator_list(request: HttpRequest) -> HttpResponse:
    """The creator's on-sale list with each product's filing state (F1, F6, F7)."""
    creator = request.creator
    linked = ([creator] if creator.is_specific else []) + selectors.specific_partners_for_creator(creator=creator)
    page = page_of(request, selectors.on_sale_list_for_creator(creator=creator))
    by_product = selectors.filings_for_products_with(product_ids=[p.pk for p in page.object_list], creators=linked)
    rows = [(p, by_product.get(p.pk, [])) for p in page.object_list]
    return render(request, "filings/creator/list.html", {"page": page, "rows": rows, "linked": linked, "creator": creator})


# AP1, AP2: the merchant appeals a rejection, or withdraws the appeal (filings.appeals.views shows it).


@merchant_required(can=teams.FILINGS)
@require_POST
def merchant_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP1: appeal the rejection, with a reason and evidence."""
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


@merchant_required(can=teams.FILINGS)
@require_POST
def merchant_appeal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.get_filing_for_merchant_or_404(merchant=request.merchant, pk=pk)
    appeal = get_object_or_404(FilingAppeal, filing_id=filing.pk, state=FilingAppeal.State.OPEN)
    try:
        run_action(request, partial(appeals.filing_appeal_withdraw, appeal=appeal, by=request.user), _("Appeal withdrawn."))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("filings:merchant_detail", pk=filing.pk)
