"""The filings domain's part of the merchant's to-do board (core.todo): 待报备 — the filings
waiting for the merchant's qualifications — and their latest submission dates (F9)."""

from __future__ import annotations

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.todo import TodoBoard, TodoCount, TodoDeadline
from filings import selectors
from filings.models import Filing
from filings.timing import attach_deadlines


def merchant_board(merchant) -> TodoBoard:
    pending = selectors.filings_for_merchant(merchant=merchant).filter(state=Filing.State.PENDING)
    count = pending.count()
    deadlines = []
    if count:
        # F9: the nearest latest submission dates; a page of the oldest waiting is enough to find them.
        filings = attach_deadlines(list(pending.order_by("created_at", "id")[:20]))
        for f in filings:
            if f.deadline is None:
                continue
            end_of_day = timezone.make_aware(datetime.combine(f.deadline.latest.date, time(23, 59)))
            deadlines.append(TodoDeadline(
                label=_("Submit the filing by"), title=f"{f.product.title} · {f.creator.display_name}",
                at=end_of_day, url=reverse("filings:merchant_detail", args=[f.pk]),
            ))
    url = reverse("filings:merchant_list") + "?state=pending"
    return TodoBoard(counts=[TodoCount(_("Filings to submit"), count, url, order=30)], deadlines=deadlines)
