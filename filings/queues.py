"""The filings domain's queues on the reviewers' admin index (core.queues): filings under
review (审核中) and 0元购 products waiting for the offline approval (F11)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.queues import Queue
from filings.models import Filing, FilingAppeal, LotteryProduct


def review_queues() -> list[Queue]:
    waiting = Filing.objects.filter(state=Filing.State.UNDER_REVIEW)
    oldest = waiting.select_related("product", "creator").order_by("submitted_at", "id").first()
    lottery = LotteryProduct.objects.filter(is_zero_price_lottery=True, lottery_approved_at__isnull=True)
    oldest_lottery = lottery.order_by("created_at", "id").first()
    return [
        Queue(
            label=_("Filings under review (审核中)"), count=waiting.count(),
            url=reverse("admin:filings_filing_changelist") + "?state=under_review",
            oldest_title=f"{oldest.product.title} · {oldest.creator.display_name}" if oldest else "",
            oldest_since=oldest.submitted_at if oldest else None, order=10, permission="filings.review_filing",
        ),
        Queue(
            label=_("0元购 products waiting for the offline approval"), count=lottery.count(),
            url=reverse("admin:filings_lotteryproduct_changelist") + "?approved=no",
            oldest_title=oldest_lottery.title if oldest_lottery else "",
            oldest_since=oldest_lottery.created_at if oldest_lottery else None, order=15, permission="filings.review_filing",
        ),
        appeal_queue(),
    ]


def appeal_queue() -> Queue:
    """AP2: open appeals against filing rejections, the one due first named."""
    waiting = FilingAppeal.objects.filter(state=FilingAppeal.State.OPEN)
    first = waiting.select_related("filing__product", "filing__creator").order_by("decide_by", "id").first()
    return Queue(
        label=_("Appeals against filing rejections (申诉)"), count=waiting.count(),
        url=reverse("admin:filings_filingappeal_changelist") + "?state__exact=open",
        oldest_title=f"{first.filing.product.title} · {first.filing.creator.display_name}" if first else "",
        oldest_since=first.filed_at if first else None, order=12, permission="filings.decide_filingappeal",
    )
