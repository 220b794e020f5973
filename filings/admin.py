"""The reviewers' workspace for filings (报备): the review queue, decisions (single and
bulk, through an intermediate page that asks for the reason and states the F12 notice),
documents inline, the transition history, and the 0元购 offline approval (F11).
Every decision calls the same service as any other caller."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import claims
from core.admin_base import EstimatedCountPaginator, HistoryInline, RecordInline, run_bulk, time_column, time_left
from core.admin_decisions import Decision, DecisionsAdmin
from core.admin_lists import QuickRows
from core.previews import PREVIEW_PAGES, pdf_page_count
from filings import services
from filings.forms import DecisionForm
from filings.models import Filing, FilingReason, LotteryProduct, PKDeclaration, QualificationDocument, Reason
from filings.timing import attach_deadlines
from shops import services as shop_services
from shops.models import LiveSession

DECISIONS = {
    "approve": {
        "service": services.filing_approve, "reason_required": False,
        "title": gettext_lazy("Approve filings (审核通过)"), "button": gettext_lazy("Approve"),
        "done": gettext_lazy("%(n)d filing(s) approved."),
    },
    "reject": {
        "service": services.filing_reject, "reason_required": True,
        "title": gettext_lazy("Not approve filings (审核未通过)"), "button": gettext_lazy("Not approve"),
        "done": gettext_lazy("%(n)d filing(s) not approved."),
    },
    "revoke": {
        "service": services.filing_revoke, "reason_required": True,
        "title": gettext_lazy("Revoke approvals"), "button": gettext_lazy("Revoke"),
        "done": gettext_lazy("%(n)d approval(s) revoked; the products left the carts of sessions not yet ended."),
    },
}


def _decision(kind: str) -> Decision:
    spec = DECISIONS[kind]
    return Decision(
        kind, spec["button"], kind, lambda obj, by, reason: spec["service"](filing=obj, by=by, reason=reason),
        reason_required=spec["reason_required"], permission="filings.review_filing", done=spec["done"],
    )


class ReasonFilter(admin.SimpleListFilter):
    title = gettext_lazy("reason (进审原因)")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return Reason.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reason_rows__code=self.value()).distinct()
        return queryset


class QueueStateFilter(admin.SimpleListFilter):
    """The queue opens on what waits (审核中); "All" is a choice of its own, so clearing the
    filter does not fall back to the default."""

    title = gettext_lazy("state")
    parameter_name = "state"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, _("All")), *Filing.State.choices]

    def value(self):
        return super().value() or Filing.State.UNDER_REVIEW

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(state=self.value())

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


def upcoming_sessions(now):
    """Sessions a filing's F9 date can still be for: live, or scheduled to start from `now` on."""
    return LiveSession.objects.exclude(status=LiveSession.Status.ENDED).filter(
        Q(status=LiveSession.Status.LIVE) | Q(scheduled_start__gte=now)
    )


def declared_session_ahead(now) -> Q:
    """The PK session the filing names (F10) is still ahead (on the filing's joined session)."""
    return Q(session__status=LiveSession.Status.LIVE) | Q(session__status=LiveSession.Status.SCHEDULED, session__scheduled_start__gte=now)


def next_session_start():
    """When the session a filing's F9 date is for starts (the PK session it names while that
    is ahead, else the linked creator's next one): the latest date follows it, so the queue
    sorts by its deadline in SQL."""
    now = timezone.now()
    upcoming = upcoming_sessions(now).filter(creator=OuterRef("creator")).order_by("scheduled_start", "id").values("scheduled_start")[:1]
    declared_ahead = Case(When(declared_session_ahead(now), then=F("session__scheduled_start")), default=None)
    return Coalesce(declared_ahead, Subquery(upcoming))


def review_due():
    """F9 as the reviewer's deadline: a filing under review is decided before the session its
    latest date is for starts (`next_session_start`, the column the latest date sorts by);
    None for the rest, and for filings with no session ahead.

    The queue sorts every filing under review by it, so the per-row look-up runs only where a
    session is ahead: the linked creators with one are one hashed set for the whole query (at
    25,000 filings under review the list took 570 ms with the look-up on every row)."""
    now = timezone.now()
    session_ahead = Q(creator__in=upcoming_sessions(now).values("creator_id")) | declared_session_ahead(now)
    return Case(When(Q(state=Filing.State.UNDER_REVIEW) & session_ahead, then=next_session_start()), default=None)


# The review queue's order, in the list and for "next": the soonest F9 deadline first, then
# (no session ahead) the longest waiting (F2). Other views of the list: by submission (its index).
QUEUE_ORDER = [F("review_due").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "id"]
LIST_ORDER = [F("submitted_at").asc(nulls_last=True), "id"]


def review_queue():
    """The filings waiting for a decision, annotated with their F9 deadline."""
    return Filing.objects.filter(state=Filing.State.UNDER_REVIEW).annotate(review_due=review_due())


class DocumentInline(admin.StackedInline):
    """资质 in view (#22.4): each document previews on the filing's page, an image as itself and
    a PDF as pictures of its pages (core.previews: no download, no PDF in the reviewer's
    browser, the site's framing policy unchanged); the original stays a download."""

    model = QualificationDocument
    fields = ["doc_type", "original_name", "uploaded_at", "preview"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("qualification documents")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("document"))
    def preview(self, doc):
        url = reverse("filings:document", args=[doc.pk])
        name = doc.original_name or _("document")
        if doc.content_type.startswith("image/"):
            return format_html(
                '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" data-testid="document-image" '
                'style="max-width:100%;max-height:80vh;border:1px solid var(--hairline-color)"></a>',
                url, url, name,
            )
        download = format_html(
            '<p><a class="button" href="{}" data-testid="document-download">{}</a> <span class="help">{}</span></p>',
            url, _("Download the original PDF"), filesizeformat(doc.size),
        )
        count = pdf_page_count(doc.file)
        if not count:
            return format_html('<p class="errornote" data-testid="document-unreadable">{}</p>{}', _(
                "This PDF cannot be shown here (it is damaged or encrypted): download the original to read it."), download)
        shown = min(count, PREVIEW_PAGES)
        pages = format_html_join(
            # Each page opens full size in a tab of its own (to zoom into small print on a phone).
            "", '<figure style="margin:0 0 1em"><a href="{0}" target="_blank" rel="noopener"><img src="{0}" loading="lazy" alt="{1}" '
            'data-testid="document-page" style="display:block;max-width:100%;height:auto;border:1px solid var(--hairline-color);'
            'background:#fff"></a><figcaption class="help">{2}</figcaption></figure>',
            (
                (reverse("filings:document_preview", args=[doc.pk, n]), f"{name} · {page_label(n, count)}", page_label(n, count))
                for n in range(1, shown + 1)
            ),
        )
        more = format_html('<p class="help">{}</p>', _("%(n)s pages: the first %(shown)s are shown here; the download has them all.") % {
            "n": count, "shown": shown}) if count > shown else ""
        # A scrolling box keyboards can reach too (tabindex), named for screen readers.
        return format_html(
            '{}<div data-testid="document-pages" role="region" aria-label="{}" tabindex="0" style="max-height:90vh;overflow-y:auto">{}</div>{}',
            download, name, pages, more,
        )


def page_label(number: int, count: int) -> str:
    return _("page %(n)s of %(count)s") % {"n": number, "count": count}


class ReasonInline(RecordInline):
    model = FilingReason
    fields = ["code", "added_at"]


@admin.register(Filing)
class FilingAdmin(DecisionsAdmin, QuickRows, admin.ModelAdmin):
    """The review queue: filings under review first, the longest waiting at the top. Each
    filing's page carries the decisions its state allows; after one, the next filing waiting
    opens."""

    list_display = [
        # The submission time shows how long a filing has waited (F2); the time left how soon it is due (F9).
        "product_title", "shop", "linked_creator", "reasons", "state", time_column(Filing, "submitted_at"), "time_left",
        "latest_date", "claimed", "category",
    ]
    list_filter = [
        # Creators and shops are found by the search box: a list of every linked one grows with the data.
        QueueStateFilter, ReasonFilter, ("product__category", admin.RelatedFieldListFilter),
    ]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["product__title", "product__shop__name", "creator__nickname", "creator__platform_id"]
    list_select_related = ["product", "product__shop", "product__category", "creator"]
    readonly_fields = [
        "product", "creator", "session", "latest_date", "state", "submitted_at", "decided_at", "decided_by", "review_reason",
        "created_at", "updated_at",
    ]
    fields = readonly_fields
    inlines = [ReasonInline, DocumentInline, HistoryInline]
    actions = ["approve_selected", "reject_selected", "revoke_selected"]
    change_form_template = "admin/filings/filing/change_form.html"
    list_per_page = 50
    decisions = tuple(_decision(kind) for kind in DECISIONS)

    def get_ordering(self, request):
        # #22: the queue (审核中, the list's default view) by the soonest F9 deadline, filings with
        # no session ahead by waiting time (F2); any other state by submission. Here, not in
        # `ordering`: the admin's checks accept only model fields there.
        state = request.GET.get(QueueStateFilter.parameter_name) or Filing.State.UNDER_REVIEW
        return QUEUE_ORDER if state == Filing.State.UNDER_REVIEW else LIST_ORDER

    def get_queryset(self, request) -> QuerySet[Filing]:
        return claims.annotate_claims(
            super().get_queryset(request).prefetch_related("reason_rows").annotate(deadline_start=next_session_start(), review_due=review_due())
        )

    @admin.display(description=gettext_lazy("time left"), ordering=F("review_due").asc(nulls_last=True))
    def time_left(self, obj):
        return time_left(getattr(obj, "review_due", None))

    @admin.display(description=gettext_lazy("held by"))
    def claimed(self, obj):
        # 领取 (#22): who has the filing open, and until when.
        if not obj.claim_holder:
            return "—"
        return f"{obj.claim_holder} · {timezone.localtime(obj.claim_until).strftime('%H:%M')}"

    def get_changelist_instance(self, request):
        # F9: the page's latest dates in one go (one calendar, one sessions query).
        changelist = super().get_changelist_instance(request)
        attach_deadlines(list(changelist.result_list))
        return changelist

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a filing changes only through decisions (the services), never by form

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("filings.review_filing")

    def next_in_queue(self, request, obj):
        """The queue's own order (QUEUE_ORDER): the filing under review due soonest."""
        return self.unclaimed(request, review_queue().exclude(pk=obj.pk)).order_by(*QUEUE_ORDER).first()

    @admin.display(description=gettext_lazy("product"), ordering="product__title")
    def product_title(self, obj):
        return obj.product.title

    @admin.display(description=gettext_lazy("shop"), ordering="product__shop__name")
    def shop(self, obj):
        return obj.product.shop.name

    @admin.display(description=gettext_lazy("category"))
    def category(self, obj):
        return obj.product.category.name

    @admin.display(description=gettext_lazy("linked creator"), ordering="creator__nickname")
    def linked_creator(self, obj):
        return obj.creator.display_name

    @admin.display(description=gettext_lazy("reasons"))
    def reasons(self, obj):
        return format_html_join("", "<div>{}</div>", ((label,) for label in obj.reason_labels))

    @admin.display(description=gettext_lazy("next session · latest submit date"), ordering=F("deadline_start").asc(nulls_last=True))
    def latest_date(self, obj):
        if not hasattr(obj, "deadline"):
            attach_deadlines([obj])
        deadline = obj.deadline
        if deadline is None:
            return "—"
        start = timezone.localtime(deadline.session.scheduled_start).strftime("%Y-%m-%d %H:%M")
        text = format_html("{} · {}<br><strong>{}</strong>", deadline.session.title, start, deadline.latest.date.isoformat())
        if deadline.latest.estimated:
            text = format_html(
                '{} <strong style="color:#ba2121">{}</strong><div class="help" data-testid="estimate-note">{}</div>',
                text, _("estimate"), deadline.latest.estimate_note,
            )
        return text

    # -- decisions -----------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Approve selected filings (审核通过)"), permissions=["review"])
    def approve_selected(self, request, queryset):
        """F2: approve; the merchant is told (F12 notice on the intermediate page)."""
        return self._decide(request, queryset, "approve")

    @admin.action(description=gettext_lazy("Not approve selected filings (审核未通过)…"), permissions=["review"])
    def reject_selected(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description=gettext_lazy("Revoke selected approvals…"), permissions=["review"])
    def revoke_selected(self, request, queryset):
        """F12: an approval found wrong after a formal check is revoked; the products leave
        the carts of sessions not yet ended."""
        return self._decide(request, queryset, "revoke")

    def _decide(self, request, queryset, kind: str, *, single: Filing | None = None):
        """The intermediate page: the F12 notice, the filings, the reason; on "apply" run the
        service per filing and report each refusal (e.g. another reviewer acted first)."""
        spec = DECISIONS[kind]
        form = DecisionForm(request.POST if "apply" in request.POST else None, reason_required=spec["reason_required"])
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            run_bulk(
                self, request, queryset.select_related("product", "creator"),
                lambda filing: spec["service"](filing=filing, by=request.user, reason=reason), spec["done"],
            )
            if single is not None:
                following = self.next_in_queue(request, single)
                return HttpResponseRedirect(reverse("admin:filings_filing_change", args=[(following or single).pk]))
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": spec["title"],
            "kind": kind,
            "button": spec["button"],
            "filings": queryset.select_related("product", "product__shop", "creator"),
            "form": form,
            "notice": services.FORMAL_CHECK_NOTICE,
            "single": single,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action_name": f"{kind}_selected" if kind != "reject" else "reject_selected",
        }
        return TemplateResponse(request, "admin/filings/filing/decision.html", context)

    def get_urls(self):
        urls = super().get_urls()
        return [
            path("<int:object_id>/decide/<str:kind>/", self.admin_site.admin_view(self.decide_view), name="filings_filing_decide"),
            *urls,
        ]

    def decide_view(self, request, object_id: int, kind: str):
        if kind not in DECISIONS or not self.has_review_permission(request):
            raise PermissionDenied
        filing = self.get_object(request, str(object_id))
        if filing is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, str(object_id))
        held = claims.held_by_other(filing, request.user)
        if held is not None:  # 领取 (#22): another reviewer has it open
            self.message_user(request, claims.claim_text(held), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:filings_filing_change", args=[filing.pk]))
        return self._decide(request, Filing.objects.filter(pk=filing.pk), kind, single=filing)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_review": self.has_review_permission(request), "notice": services.FORMAL_CHECK_NOTICE}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PKDeclaration)
class PKDeclarationAdmin(admin.ModelAdmin):
    list_display = ["merchant", "session", "reason", "declared_at", "declared_by"]
    list_select_related = ["merchant", "session", "declared_by"]
    search_fields = ["merchant__name", "session__title"]
    readonly_fields = ["merchant", "reason", "session", "creators", "products", "declared_by", "declared_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)

    def has_delete_permission(self, request, obj=None):
        return False


class LotteryApprovalFilter(admin.SimpleListFilter):
    title = gettext_lazy("offline approval")
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting")), ("yes", _("Approved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(lottery_approved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(lottery_approved_at__isnull=False)
        return queryset


@admin.register(LotteryProduct)
class LotteryProductAdmin(admin.ModelAdmin):
    """F11: zero-price lottery (0元购) products waiting for the offline approval."""

    list_display = ["title", "shop", "price", "sale_status", "lottery_approved_at", "lottery_approved_by", "created_at"]
    list_filter = [LotteryApprovalFilter]
    search_fields = ["title", "shop__name"]
    list_select_related = ["shop", "lottery_approved_by"]
    readonly_fields = ["title", "shop", "category", "price", "sale_status", "lottery_approved_at", "lottery_approved_by"]
    fields = readonly_fields
    actions = ["approve_offline"]
    ordering = [F("lottery_approved_at").asc(nulls_first=True), "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_zero_price_lottery=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("filings.review_filing")

    @admin.action(description=gettext_lazy("Approve offline (0元购 线下审核通过)"), permissions=["review"])
    def approve_offline(self, request, queryset):
        run_bulk(
            self, request, queryset,
            lambda product: shop_services.product_lottery_approve(product=product, by=request.user),
            _("%(n)d zero-price lottery product(s) approved offline."), label=lambda product: product.title,
        )


from filings.appeals import admin as appeals_admin  # noqa: E402, F401  (AP2: the appeals queue, its own module)

# F9: the working-day calendar staff keep, and the promised dates it moved.
from filings.workdays import admin as workdays_admin  # noqa: E402, F401
