"""HTTP helpers every workspace uses: paging, a safe "back", and one way to run a
service for a POST and show its refusal."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 20


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE, *, count_cap: int | None = None):
    """One page of `queryset`. With `count_cap`, at most that many rows are counted (a
    list over a big table, e.g. the marketplace, then costs the same at any size)."""
    paginator = CappedPaginator(queryset, size, cap=count_cap) if count_cap else Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


class CappedPaginator(Paginator):
    """Counts `SELECT count(*) FROM (… LIMIT cap + 1)`: the pages past the cap are not offered,
    and the page count reads "N+"."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    @property
    def pages_label(self) -> str:
        pages = self.num_pages
        return f"{pages}+" if self.capped else str(pages)


class IdsFirst:
    """A list paged in two steps: the page's ids from `queryset` ordered and filtered, with
    no related table joined for display (its select_related is dropped from an id query),
    then only those rows read whole by primary key with the list's select_related and prefetches, in
    that order (annotations of `queryset` are not carried: add them to the page's rows). The joins and the
    width of the rows then cost one page, not the whole filtered set before its LIMIT.
    The paginator's count is the count of `queryset` (Django drops select_related there
    too)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("IdsFirst is sliced by the paginator only")
        ids = list(self.queryset.values_list("pk", flat=True)[key])
        if not ids:
            return []
        # by primary key alone (the ids are already scoped), with the list's related and prefetched objects
        load = self.queryset.model._base_manager.all()
        load.query.select_related = self.queryset.query.select_related
        load = load.prefetch_related(*self.queryset._prefetch_related_lookups)
        rows = {row.pk: row for row in load.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


def search_text(request: HttpRequest, name: str = "q", limit: int = 100) -> str:
    """A search box's text from the query string: trimmed, at most `limit` characters, and
    without NUL bytes (PostgreSQL refuses them in a query: a 500 otherwise)."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def back(request: HttpRequest, default: str, **kwargs) -> HttpResponse:
    """Redirect to the posted `next` when it is a local URL, else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default, **kwargs)


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def run_action(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call for a POST: its refusal becomes the person's error message and
    changes nothing; otherwise `success` is shown. Returns whether it ran."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def confirm_page(
    request: HttpRequest, *, title: str, consequences: list[str], action: str, label: str, cancel: str,
    fields: list[tuple[str, object]] = (), subject: str = "", danger: bool = True,
) -> HttpResponse:
    """The confirmation step of a one-way action (a GET page, no script: the CSP forbids
    inline JS): says what will happen, then posts `fields` to `action`, the same endpoint
    the action always had."""
    from django.shortcuts import render

    confirm = {"title": title, "consequences": consequences, "action": action, "label": label, "cancel": cancel,
               "fields": list(fields), "subject": subject, "danger": danger}
    return render(request, "core/confirm.html", {"confirm": confirm})
