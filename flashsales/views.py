"""HTTP only: parse, call a service or a selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from core import throttle
from core.forms import form_errors_text, posted
from core.http import IdsFirst, error_text, page_of, run_action
from core.roles import creator_required, merchant_required
from core.rules import rules
from core.submissions import once
from core.uploads import file_response
from flashsales import selectors, services
from flashsales.filters import FlashSaleFilter
from flashsales.forms import BuyForm, CommentForm, EndForm, FlashSaleForm, JoinForm, ProblemReportForm
from flashsales.models import FlashSale, ProblemReport
from shops import teams
from shops.models import LiveSession

# The live room and the creator's console update in place: every few seconds htmx asks
# the page's own URL again (hx-get, with the HX-Request header) and the view answers with
# the part that changes, rendered by the same template the full page includes. Once the
# session is no longer live the answer carries htmx's "stop polling" status (286).
POLL_DONE = HttpResponseStopPolling.status_code


def _poll_status(session: LiveSession) -> int:
    return 200 if session.status == LiveSession.Status.LIVE else POLL_DONE


# ---------------------------------------------------------------------------------------
# FS7: the flash-sale lists


def _list(request: HttpRequest, queryset, template: str, extra: dict | None = None) -> HttpResponse:
    filterset = FlashSaleFilter(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        qs = queryset.none()
    params = request.GET.copy()
    params.pop("page", None)
    # the page's ids first, then those rows with their products, sessions and creators
    context = {"filter": filterset, "page": page_of(request, IdsFirst(qs)), "querystring": params.urlencode(), **(extra or {})}
    return render(request, template, context)


@creator_required
def creator_list(request: HttpRequest) -> HttpResponse:
    live = LiveSession.objects.filter(creator=request.creator, status=LiveSession.Status.LIVE).order_by("-went_live_at")
    return _list(
        request, selectors.flash_sales_for_creator(creator=request.creator), "flashsales/creator/list.html",
        {"live_sessions": live},
    )


@merchant_required(can=teams.VIEW)
def merchant_list(request: HttpRequest) -> HttpResponse:
    return _list(request, selectors.flash_sales_for_merchant(merchant=request.merchant), "flashsales/merchant/list.html")


# ---------------------------------------------------------------------------------------
# FS3/FS4/FS6: the creator's console during a live session


def _console_context(request: HttpRequest, session: LiveSession, form: FlashSaleForm) -> dict:
    return {
        "session": session,
        "form": form,
        "flash_sales": selectors.flash_sales_of_session(session=session),
        "comments": selectors.comments_of_session(session=session)[:30],
        "products": form.fields["product"].queryset,
        "full_cap": rules.count("fs_full_cap"),
        "targeted_cap": rules.count("fs_targeted_cap"),
        "creator": request.creator,
    }


@creator_required
@vary_on_headers("HX-Request")
def console(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_live_session_for_creator_or_404(creator=request.creator, pk=pk)
    if request.htmx and request.method == "GET":
        # The sold counts, polled by the board (FS6).
        context = {"session": session, "flash_sales": selectors.flash_sales_of_session(session=session)}
        return render(request, "flashsales/creator/_board.html", context, status=_poll_status(session))
    initial = {}
    if request.method == "GET" and request.GET.get("viewer"):
        initial = {"mode": FlashSale.Mode.TARGETED, "target_viewer": request.GET["viewer"]}
    form = FlashSaleForm(request.POST or None, request.FILES or None, creator=request.creator, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            flash_sale = once(key=d.get("submission"), user=request.user, create=lambda: services.flash_sale_create(
                session=session, creator=request.creator, product=d["product"], mode=d["mode"], title=d["title"],
                price=d["price"], quantity=d["quantity"], picture=d["picture_file"], picture_source=d["picture_source"],
                shipping_template=d.get("shipping_template"), new_template=form.new_template(),
                target_viewer=d.get("target_viewer") if d["mode"] == FlashSale.Mode.TARGETED else None, by=request.user,
            ))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Flash sale “%(title)s” is open in your live room.") % {"title": flash_sale.title})
            return redirect("flashsales:console", pk=session.pk)
    status = 200 if not form.errors else 422
    return render(request, "flashsales/creator/console.html", _console_context(request, session, form), status=status)


@creator_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    flash_sale = selectors.get_flash_sale_for_creator_or_404(creator=request.creator, pk=pk)
    reason = posted(request, EndForm)["reason"]
    run_action(request, lambda: services.flash_sale_end(flash_sale=flash_sale, by=request.user, reason=reason), _("Flash sale “%(title)s” ended.") % {"title": flash_sale.title})
    if request.POST.get("next") == "list":
        return redirect("flashsales:creator_list")
    return redirect("flashsales:console", pk=flash_sale.session_id)


# ---------------------------------------------------------------------------------------
# FS8: problem reports


def _report(request: HttpRequest, *, desk: str, template: str, form_kwargs: dict) -> HttpResponse:
    form = ProblemReportForm(request.POST or None, request.FILES or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            report = once(key=form.cleaned_data.get("submission"), user=request.user,
                          create=lambda: services.problem_report_create(reporter=request.user, desk=desk, **form.service_data()))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Report #%(id)s sent to %(desk)s.") % {"id": report.pk, "desk": report.get_desk_display()}
            )
            return redirect(request.path)
    context = {
        "form": form,
        "desk": ProblemReport.Desk(desk),
        "reports": page_of(request, selectors.reports_for_user(user=request.user, desk=desk)),
        "full_cap": rules.count("fs_full_cap"),
        "targeted_cap": rules.count("fs_targeted_cap"),
        "categories": selectors.non_standard_categories(),
    }
    return render(request, template, context, status=422 if form.errors else 200)


@creator_required
def creator_report(request: HttpRequest) -> HttpResponse:
    return _report(
        request, desk=ProblemReport.Desk.CREATOR_SUPPORT, template="flashsales/creator/report.html",
        form_kwargs={"creator": request.creator},
    )


@merchant_required(can=teams.VIEW)
def merchant_report(request: HttpRequest) -> HttpResponse:
    return _report(
        request, desk=ProblemReport.Desk.MERCHANT_SERVICE, template="flashsales/merchant/report.html",
        form_kwargs={"merchant": request.merchant},
    )


def report_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Private: the reporter and platform staff only (anyone else gets a 404)."""
    if not request.user.is_authenticated:
        raise Http404
    report = selectors.get_report_for_user_or_404(user=request.user, pk=pk)
    response = file_response(report.attachment, download_name=f"report-{report.pk}.{report.attachment.name.rsplit('.', 1)[-1]}")
    response["Cache-Control"] = "private, no-store"
    return response


def picture(request: HttpRequest, pk: int) -> HttpResponse:
    """A full flash sale's picture is shown in the public live room; a targeted one only to
    its viewer (?viewer=<token>), its creator and platform staff."""
    sale = selectors.get_flash_sale_picture_or_404(pk=pk, user=request.user, viewer_token=request.GET.get("viewer"))
    response = file_response(sale.picture)
    if sale.mode == FlashSale.Mode.TARGETED:
        response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------
# The live room: a viewer's flash-sale panel (FS3, FS6)


INBOX_PAGE_SIZE = 5  # messages per page in the live room's side column (layout, not a rule)


def _viewer(request: HttpRequest):
    return selectors.get_viewer_by_token(token=request.GET.get("viewer") or request.POST.get("viewer"))


def _room_url(session_pk: int, viewer) -> str:
    url = reverse("flashsales:live_room", args=[session_pk])
    return f"{url}?{urlencode({'viewer': viewer.token})}" if viewer else url


@vary_on_headers("HX-Request")
def live_room(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_live_room_or_404(pk=pk)
    viewer = _viewer(request)
    panel = selectors.panel_for_viewer(session=session, viewer=viewer)
    if request.htmx:
        # FS6: what is left of each flash sale, polled by the bag; sold-out and ended ones leave it.
        context = {"session": session, "viewer": viewer, "panel": panel}
        return render(request, "flashsales/live/_panel.html", context, status=_poll_status(session))
    context = {
        "session": session,
        "viewer": viewer,
        "panel": panel,
        "orders": selectors.orders_of_viewer(session=session, viewer=viewer),
        "comments": selectors.comments_of_session(session=session)[:20],
        "buy_form": BuyForm(),
        "join_form": JoinForm(),
        "comment_form": CommentForm(),
    }
    if viewer is not None:
        # D3: the viewer's inbox (announcements about products they bought), paginated.
        inbox = selectors.messages_of_viewer(viewer=viewer)
        context.update({
            "inbox": page_of(request, inbox, size=INBOX_PAGE_SIZE),
            "unread": inbox.filter(read_at__isnull=True).count(),
            "querystring": urlencode({"viewer": viewer.token}),
        })
    return render(request, "flashsales/live/room.html", context)


@require_POST
def live_inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    """D3: the viewer marks their inbox as read."""
    session = selectors.get_live_room_or_404(pk=pk)
    viewer = _viewer(request)
    if viewer is None:
        raise Http404
    services.viewer_messages_mark_read(viewer=viewer)
    return redirect(_room_url(session.pk, viewer))


# V8: joining a room is anonymous, so it is bounded per client address: at most this many
# joins per room per address in the window (a family behind one router still fits; a
# script posting joins in a loop does not). Settings may change it.
JOIN_LIMIT, JOIN_WINDOW = 5, 3600
VIEWER_KEY = "live_viewer"  # the browser's viewer token, kept in its session


@require_POST
def live_join(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_live_room_or_404(pk=pk)
    limit = getattr(settings, "LIVE_JOIN_LIMIT", JOIN_LIMIT)
    if not throttle.allow(f"join:{session.pk}:{throttle.client_address(request)}", limit=limit, seconds=JOIN_WINDOW):
        return render(request, "429.html", {"reason": _("Too many joins from your network in a short time. Try again later.")}, status=429)
    form = JoinForm(request.POST)
    if not form.is_valid():  # empty, too long, or a NUL byte: said, nothing stored
        messages.error(request, form_errors_text(form))
        return redirect("flashsales:live_room", pk=session.pk)
    known = selectors.get_viewer_by_token(token=request.session.get(VIEWER_KEY))
    try:
        viewer = services.viewer_join(session=session, nickname=form.cleaned_data["nickname"], viewer=known)  # V8: counted once
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("flashsales:live_room", pk=session.pk)
    request.session[VIEWER_KEY] = viewer.token
    messages.success(request, _("Welcome, %(name)s. Keep this page's link: it is your identity in the room.") % {"name": viewer.nickname})
    return redirect(_room_url(session.pk, viewer))


@require_POST
def live_comment(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_live_room_or_404(pk=pk)
    viewer = _viewer(request)
    if viewer is None:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_room_url(session.pk, viewer))
    try:
        services.comment_post(session=session, viewer=viewer, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(_room_url(session.pk, viewer))


@require_POST
def live_buy(request: HttpRequest, pk: int, sale_pk: int) -> HttpResponse:
    session = selectors.get_live_room_or_404(pk=pk)
    viewer = _viewer(request)
    if viewer is None:
        raise Http404
    flash_sale = selectors.get_panel_flash_sale_or_404(session=session, viewer=viewer, pk=sale_pk)
    form = BuyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a quantity of at least 1."))
        return redirect(_room_url(session.pk, viewer))
    try:
        order = once(
            key=form.cleaned_data["submission"], user=None,
            create=lambda: services.flash_sale_buy(flash_sale=flash_sale, viewer=viewer, quantity=form.cleaned_data["quantity"]),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Bought %(n)s × “%(title)s”: ¥%(amount)s including ¥%(fee)s shipping.")
            % {"n": order.quantity, "title": flash_sale.title, "amount": order.amount, "fee": order.shipping_fee},
        )
    return redirect(_room_url(session.pk, viewer))
