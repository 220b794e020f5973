"""The creator's workspace: 选品广场-我的-样品申请 (S8) — ask for a sample, follow it, confirm
receipt, record the promotion (S7), ask for more time (V7), report a parcel not arrived
(V9), and see one's own fulfilment score (V1)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.appeal_forms import AppealForm, refusal_on_form
from core.forms import posted
from core.http import back, confirm_page, error_text, page_of, run_action
from core.roles import creator_required
from core.submissions import once
from samples import charts, selectors
from samples import messages as msg
from samples.forms import ExtensionForm, NewVideoForm, NotArrivedForm, PickForm, SampleAskForm
from samples.models import SampleAppeal, SampleRequest
from samples.policy import score as scoring
from samples.services import appeals
from samples.services.extensions import sample_extension_request
from samples.services.promotion import sample_request_publish_video, sample_request_record_live, sample_request_record_video
from samples.services.requests import sample_request_create, sample_request_withdraw
from samples.services.shipping import sample_request_confirm_receipt, sample_request_report_not_arrived
from samples.views.appeals import appeal_context
from samples.views.common import clock_context
from shops import selectors as shop_selectors

State = SampleRequest.State


@creator_required
@require_POST
def creator_request(request: HttpRequest, product_pk: int) -> HttpResponse:
    listing = get_object_or_404(shop_selectors.marketplace_listings(), product_id=product_pk)
    form = SampleAskForm(request.POST, creator=request.creator)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back(request, "creator:marketplace_detail", pk=listing.pk)
    # Not run_action: the success goes to the new request's page and names its deadline.
    try:
        sample = sample_request_create(
            creator=request.creator, product=listing.product, by=request.user, note=form.cleaned_data["note"],
            address=form.cleaned_data["address"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return back(request, "creator:marketplace_detail", pk=listing.pk)
    # V4: a triage rule may have decided at once; say what happened, not "requested".
    if sample.state == State.APPROVED:
        messages.success(request, _("Sample approved at once by the merchant's rule. The merchant ships it by %(deadline)s.") % {
            "deadline": msg.local_time(sample.ship_by)})
    elif sample.state == State.REJECTED:
        messages.info(request, _("The merchant's rule declined this request at once; the reason is on the request's page."))
    else:
        messages.success(request, _("Sample requested. The merchant decides by %(deadline)s.") % {
            "deadline": msg.local_time(sample.decide_by)})
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
def creator_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.sample_requests_for_creator(creator=request.creator)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    context = {
        "page": page_of(request, qs),
        "state": state,
        "states": State.choices,
        "counts": selectors.creator_sample_counts(creator=request.creator),
        "score": scoring.creator_score(request.creator),  # V1
        "querystring": f"state={state}" if state else "",
        **clock_context(),
    }
    return render(request, "samples/creator/list.html", context)


def _detail_page(
    request: HttpRequest, sample: SampleRequest, *, status: int = 200, video_form: NewVideoForm | None = None,
    extension_form: ExtensionForm | None = None, not_arrived_form: NotArrivedForm | None = None, appeal_form=None,
) -> HttpResponse:
    """A request's page; a POST whose form did not validate shows it again with its errors."""
    context = {
        "sample": sample,
        "timeline": selectors.timeline(sample=sample),
        "extension": selectors.extension_of(sample=sample),  # V7
        "video_form": video_form or NewVideoForm(),
        "extension_form": extension_form or ExtensionForm(),
        "not_arrived_form": not_arrived_form or NotArrivedForm(),
        **appeal_context(sample, is_appellant=True, form=appeal_form),  # AP1–AP5
        **clock_context(),
    }
    if sample.state == State.RECEIVED and not sample.promotion:
        videos = list(selectors.videos_for_promotion(sample=sample))
        live_items = list(selectors.live_items_for_promotion(sample=sample))
        context["video_pick"] = PickForm.of_videos(videos) if videos else None
        context["live_pick"] = PickForm.of_live_items(live_items) if live_items else None
    return render(request, "samples/creator/detail.html", context, status=status)


@creator_required
def creator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk))


@creator_required
@require_POST
def creator_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    run_action(request, partial(sample_request_withdraw, sample=sample, by=request.user), _("Request withdrawn."))
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_receive(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    run_action(
        request, partial(sample_request_confirm_receipt, sample=sample, by=request.user),
        _("Receipt confirmed. Start promoting the product within the time shown."),
    )
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
def creator_receive_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step before 确认收货: it starts the promotion clock (S7)."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    if sample.state != State.SHIPPED:
        return redirect("samples:creator_detail", pk=sample.pk)
    return confirm_page(
        request, title=_("Confirm that the sample arrived?"), subject=sample.product.title, label=_("Confirm receipt"),
        action=reverse("samples:creator_receive", args=[sample.pk]), cancel=reverse("samples:creator_detail", args=[sample.pk]),
        danger=False,
        consequences=[
            _("The request becomes received: the parcel can no longer be reported as not arrived.") ,
            _("Your time to start promoting the product begins now: %(period)s.") % {"period": msg.rule_period("sample_fulfil")},
            _("A sample not promoted in time counts as breached and lowers your fulfilment score."),
        ],
    )


@creator_required
@require_POST
def creator_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """S7: record the promotion — an existing video, a new video, or a live session's cart item."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    kind = request.POST.get("kind")
    if kind == "video":
        video = get_object_or_404(selectors.videos_for_promotion(sample=sample), pk=posted(request, PickForm)["video"])
        action = partial(sample_request_record_video, sample=sample, by=request.user, video=video)
    elif kind == "new_video":
        form = NewVideoForm(request.POST)
        if not form.is_valid():
            return _detail_page(request, sample, video_form=form)
        action = partial(
            sample_request_publish_video, sample=sample, by=request.user, title=form.cleaned_data["title"], url=form.cleaned_data["url"]
        )
    elif kind == "live":
        item = get_object_or_404(selectors.live_items_for_promotion(sample=sample), pk=posted(request, PickForm)["item"])
        action = partial(sample_request_record_live, sample=sample, by=request.user, item=item)
    else:
        messages.error(request, _("Choose a video or a live session."))
        return redirect("samples:creator_detail", pk=sample.pk)
    run_action(request, action, _("Promotion recorded."))
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """V7: ask once for more time, with a reason."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sample, status=400, extension_form=form)
    # Not run_action: the success names the moment until which the merchant may refuse.
    try:
        extension = sample_extension_request(sample=sample, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Extension asked for. The merchant may refuse it until %(deadline)s; otherwise it is granted.") % {
            "deadline": msg.local_time(extension.refuse_by)})
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_not_arrived(request: HttpRequest, pk: int) -> HttpResponse:
    """V9: report the parcel as not arrived before the automatic receipt."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    form = NotArrivedForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sample, status=400, not_arrived_form=form)
    run_action(
        request, partial(sample_request_report_not_arrived, sample=sample, by=request.user, note=form.cleaned_data["note"]),
        _("Reported as not arrived. The request is on hold until the merchant re-ships it or the platform decides."),
    )
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
def creator_score(request: HttpRequest) -> HttpResponse:
    """V1: the creator's own fulfilment score and its inputs."""
    score = scoring.creator_score(request.creator)
    context = {
        "score": score,
        "events": list(reversed(score.events)),
        "past_sales": scoring.past_sales_for([request.creator.pk])[request.creator.pk],
        "window_days": score.params.window.days,
        "penalty": score.params.penalty,
        "credit": score.params.credit,
        "chart": charts.score_history(creator=request.creator),
        # AP3: breaches in the window excused on appeal, each saying why it no longer counts.
        "excused": selectors.excused_in_window(creator=request.creator, since=score.now - score.params.window),
        "excused_note": msg.APPEAL_EXCUSED_NOTE,
    }
    return render(request, "samples/creator/score.html", context)


# AP1, AP2: the creator appeals a breach, or withdraws the appeal (samples.views.appeals shows it).


@creator_required
@require_POST
def creator_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """AP1: appeal the breach, with a reason and evidence."""
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
