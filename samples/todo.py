"""The samples domain's part of the to-do boards (core.todo): what waits for the merchant
(待审核, 待发货, 即将超时) and for the creator (待确认收货, 待推广), with the nearest deadlines."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clocks import next_deadline
from core.rules import rules
from core.todo import TodoBoard, TodoCount, TodoDeadline
from samples import selectors
from samples.clocks import about_to_expire
from samples.models import SampleRequest

State = SampleRequest.State


def _deadline(sample: SampleRequest, title: str, url: str, now) -> TodoDeadline:
    """The row's clock that matters now, as every page shows it (core.clocks.next_deadline):
    S5's 48 h "ship by" first, then, once late, the 120 h cancellation marked late."""
    found = next_deadline(sample, now)
    return TodoDeadline(label=found.label, title=title, at=found.at, url=url, marks=tuple(found.passed_labels))


def merchant_board(merchant) -> TodoBoard:
    now = timezone.now()
    soon = now + rules.duration("sample_due_soon")
    qs = selectors.inbox_requests(merchant=merchant)  # the member's shops only (T1)
    counts = qs.aggregate(
        requested=Count("pk", filter=Q(state=State.REQUESTED)),
        approved=Count("pk", filter=Q(state=State.APPROVED)),
        # The inbox's 「即将超时」 filter (samples.filters): the same two clocks, the same window.
        soon=Count("pk", filter=about_to_expire(now, soon)),
    )
    inbox = reverse("samples:merchant_inbox")
    # One indexed range per clock (sample_wait_decide, sample_wait_ship), merged by time below.
    nearest = [
        *qs.filter(state=State.REQUESTED).select_related("product", "creator").order_by("decide_by")[:5],
        *qs.filter(state=State.APPROVED).select_related("product", "creator").order_by("ship_cancel_at")[:5],
    ]
    deadlines = [
        _deadline(s, f"{s.product.title} · {s.creator.display_name}", reverse("samples:merchant_detail", args=[s.pk]), now)
        for s in nearest
    ]
    return TodoBoard(
        counts=[
            TodoCount(_("Samples to decide"), counts["requested"], f"{inbox}?state=requested", order=10),
            TodoCount(_("Samples to ship"), counts["approved"], f"{inbox}?state=approved", order=20),
            TodoCount(_("About to expire"), counts["soon"], f"{inbox}?attention=soon", urgent=True, order=40),
        ],
        deadlines=deadlines,
    )


def creator_board(creator) -> TodoBoard:
    qs = SampleRequest.objects.filter(creator=creator)
    counts = qs.aggregate(
        shipped=Count("pk", filter=Q(state=State.SHIPPED)),
        to_promote=Count("pk", filter=Q(state=State.RECEIVED, promotion="")),
    )
    mine = reverse("samples:creator_list")
    nearest = [
        *qs.filter(state=State.SHIPPED).select_related("product").order_by("auto_receive_at")[:5],
        *qs.filter(state=State.RECEIVED, promotion="").select_related("product").order_by("fulfil_by")[:5],
    ]
    now = timezone.now()
    deadlines = [_deadline(s, s.product.title, reverse("samples:creator_detail", args=[s.pk]), now) for s in nearest]
    return TodoBoard(
        counts=[
            TodoCount(_("Samples to confirm as received"), counts["shipped"], f"{mine}?state=shipped", order=10),
            TodoCount(_("Samples to promote"), counts["to_promote"], f"{mine}?state=received", urgent=True, order=20),
        ],
        deadlines=deadlines,
    )
