"""The working-day calendar in the admin (F9).

Platform staff (permission `filings.change_calendaryear`) enter a year: paste the notice
or CSV lines, or upload a CSV → a preview on twelve month grids with the difference from
what is entered and the promised dates that would move → confirm. Reviewers read the
years, their history, and the list of moved dates. Every write is
`calendar_year_enter`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_base import RecordAdmin, RecordInline
from core.http import error_text
from filings.calendar import PACKAGE, STAFF, WorkdayCalendar
from filings.workdays.csv_import import to_csv
from filings.workdays.forms import YearConfirmForm, YearEntryForm
from filings.workdays.grid import year_grid
from filings.workdays.models import CalendarChange, CalendarDay, CalendarYear, DayKind, DeadlineShift
from filings.workdays.services import (
    CalendarChangedMeanwhile,
    calendar_year_enter,
    calendar_year_preview,
    can_keep_calendar,
    describe_day,
)

SOURCE_LABELS = {
    STAFF: gettext_lazy("entered by platform staff"),
    PACKAGE: gettext_lazy("chinese-calendar package"),
    "estimate": gettext_lazy("no data: Monday–Friday estimate"),
}


class CalendarDayInline(RecordInline):
    model = CalendarDay
    fields = ["date", "kind", "name", "source_title", "source_date", "entered_by", "entered_at"]
    verbose_name_plural = gettext_lazy("days off and make-up working days")
    classes = ["collapse"]  # the month grid above shows them; open for each day's source


class CalendarChangeInline(RecordInline):
    model = CalendarChange
    fields = ["changed_at", "changed_by", "date", "old_value", "new_value", "reason"]
    verbose_name_plural = gettext_lazy("history of changes")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "label", "days_off", "makeup_days", "source", "entered_by", "updated_by", "updated_at"]
    list_select_related = ["entered_by", "updated_by"]
    readonly_fields = ["year", "label", "source_title", "source_date", "entered_by", "entered_at", "updated_by", "updated_at"]
    fields = readonly_fields
    inlines = [CalendarDayInline, CalendarChangeInline]
    change_form_template = "admin/filings/calendaryear/change_form.html"
    change_list_template = "admin/filings/calendaryear/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_off=Count("days", filter=Q(days__kind=DayKind.OFF)), n_work=Count("days", filter=Q(days__kind=DayKind.WORK))
        )

    def has_add_permission(self, request):
        return can_keep_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a year changes only through the entry page (preview, then confirm)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("label"))
    def label(self, obj):
        if obj.is_demo:
            return format_html('<strong style="color:#ba2121">{}</strong>', _("Demo data, not the official schedule"))
        return _("Official schedule")

    @admin.display(description=gettext_lazy("days off"), ordering="n_off")
    def days_off(self, obj):
        return obj.n_off

    @admin.display(description=gettext_lazy("make-up working days"), ordering="n_work")
    def makeup_days(self, obj):
        return obj.n_work

    @admin.display(description=gettext_lazy("source"))
    def source(self, obj):
        return f"{obj.source_title}（{obj.source_date.isoformat()}）"

    def get_urls(self):
        return [
            path("enter/", self.admin_site.admin_view(self.enter_view), name="filings_calendaryear_enter"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:filings_calendaryear_enter"))

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        calendar = WorkdayCalendar().preload(range(this_year - 1, this_year + 3))
        coverage = [(y, SOURCE_LABELS[calendar.source_for_year(y)]) for y in range(this_year - 1, this_year + 3)]
        extra_context = {**(extra_context or {}), "coverage": coverage, "can_keep": can_keep_calendar(request.user)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"can_keep": can_keep_calendar(request.user)}
        if obj is not None:
            days = {d: (k, n) for d, k, n in obj.days.values_list("date", "kind", "name")}
            extra["months"] = year_grid(obj.year, days)
            extra["moved_url"] = reverse("admin:filings_deadlineshift_changelist") + f"?calendar_year__id__exact={obj.pk}"
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    # -- entering a year: form → preview → confirm --------------------------------------------

    def enter_view(self, request):
        if not can_keep_calendar(request.user):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        if request.method == "POST":
            form = YearEntryForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                preview = calendar_year_preview(year=data["year"], days=data["days"], replace=data["mode"] == "replace")
                if preview.existing is not None and not data.get("reason"):
                    form.add_error("reason", _("Say why the %(year)d calendar changes: the history keeps it.") % {"year": data["year"]})
                else:
                    return self._render_preview(request, data, preview)
            return self._render_form(request, form, status=400)
        form = YearEntryForm(initial={"year": request.GET.get("year") or None, "mode": "replace"})
        return self._render_form(request, form)

    def _confirm(self, request):
        form = YearConfirmForm(request.POST)
        if not form.is_valid():
            retry = YearEntryForm(initial={"text": request.POST.get("days", ""), "year": request.POST.get("year")})
            for error in form.non_field_errors() or [_("The preview's data was incomplete. Enter the year again.")]:
                messages.error(request, error)
            return self._render_form(request, retry, status=400)
        data = form.cleaned_data
        try:
            result = calendar_year_enter(
                year=data["year"], days=data["parsed_days"], source_title=data["source_title"], source_date=data["source_date"],
                by=request.user, reason=data.get("reason", ""), replace=data["mode"] == "replace",
                expected_fingerprint=data["fingerprint"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            retry = YearEntryForm(initial={
                "text": to_csv(data["parsed_days"]), "year": data["year"], "source_title": data["source_title"],
                "source_date": data["source_date"], "mode": data["mode"], "reason": data.get("reason", ""),
            })
            return self._render_form(request, retry, status=409 if isinstance(exc, CalendarChangedMeanwhile) else 400)
        year = result.calendar_year
        messages.success(request, _("The %(year)d calendar is saved: %(n)d change(s) recorded.") % {"year": year.year, "n": result.changes})
        if result.shifts:
            messages.warning(
                request,
                _("%(n)d filing(s) have a new latest submit date; their merchants were told. The list is under “Moved latest dates”.")
                % {"n": len(result.shifts)},
            )
            return HttpResponseRedirect(reverse("admin:filings_deadlineshift_changelist") + f"?calendar_year__id__exact={year.pk}")
        return HttpResponseRedirect(reverse("admin:filings_calendaryear_change", args=[year.pk]))

    def _context(self, request, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def _render_form(self, request, form, *, status: int = 200):
        context = {**self._context(request, _("Enter or change a year of the working-day calendar")), "form": form}
        return TemplateResponse(request, "admin/filings/calendaryear/enter.html", context, status=status)

    def _render_preview(self, request, data: dict, preview):
        touched = set(preview.added) | set(preview.removed) | set(preview.changed)
        old = {d.date: (d.kind, d.name) for d in preview.existing.days.all()} if preview.existing else {}
        differences = [(d, describe_day(old.get(d)), describe_day(preview.days.get(d))) for d in sorted(touched)]
        context = {
            **self._context(request, _("Preview: the %(year)d calendar") % {"year": preview.year}),
            "preview": preview,
            "data": data,
            "months": year_grid(preview.year, preview.days, changed=touched if preview.existing else set()),
            "n_off": sum(1 for k, _n in preview.days.values() if k == DayKind.OFF),
            "n_work": sum(1 for k, _n in preview.days.values() if k == DayKind.WORK),
            "differences": differences,
            "confirm_form": YearConfirmForm.for_preview(data=data, days=data["days"], fingerprint=preview.fingerprint),
        }
        return TemplateResponse(request, "admin/filings/calendaryear/preview.html", context)


@admin.register(DeadlineShift)
class DeadlineShiftAdmin(RecordAdmin):
    """Dates already promised: the filings whose latest submit date (F9) moved when staff
    entered or changed a year, with the old and new date; their merchants were told."""

    list_display = ["filing_link", "linked_creator", "session", "old", "new", "state", "shop", "calendar_year", "changed_at"]
    list_display_links = None  # the filing link leads to the filing itself
    list_filter = ["calendar_year", ("changed_at", admin.DateFieldListFilter)]
    search_fields = ["filing__product__title", "filing__product__shop__name", "filing__creator__nickname", "filing__creator__platform_id"]
    list_select_related = ["calendar_year", "filing__product__shop", "filing__creator", "session"]
    readonly_fields = ["calendar_year", "filing", "session", "session_start", "old_date", "old_estimated", "new_date", "changed_by", "changed_at", "notified_at"]
    fields = readonly_fields


    @admin.display(description=gettext_lazy("filing"), ordering="filing__product__title")
    def filing_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:filings_filing_change", args=[obj.filing_id]), obj.filing.product.title)

    @admin.display(description=gettext_lazy("shop"))
    def shop(self, obj):
        return obj.filing.product.shop.name

    @admin.display(description=gettext_lazy("linked creator"))
    def linked_creator(self, obj):
        return obj.filing.creator.display_name

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return obj.filing.get_state_display()

    @admin.display(description=gettext_lazy("new latest date"), ordering="new_date")
    def new(self, obj):
        return format_html('<span style="white-space:nowrap">{}</span>', obj.new_date.isoformat())

    @admin.display(description=gettext_lazy("old latest date"), ordering="old_date")
    def old(self, obj):
        if obj.old_estimated:
            return format_html('<span style="white-space:nowrap">{}</span> <em>({})</em>', obj.old_date.isoformat(), _("estimate"))
        return format_html('<span style="white-space:nowrap">{}</span>', obj.old_date.isoformat())
