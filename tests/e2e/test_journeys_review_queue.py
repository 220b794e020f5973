"""#22 in the browser: a reviewer decides filings from the queue, one click per decision
after the first (the next filing opens by itself), while a second reviewer holds one of them
and the first can neither decide it nor land on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def waiting(title: str, hours_ago: int) -> Filing:
    return set_state(FilingFactory(product__title=title), "under_review", submitted_at=timezone.now() - timedelta(hours=hours_ago))


def test_journey_two_reviewers_share_the_filing_queue(journey):
    from core.models import ReasonTemplate

    ReasonTemplate.objects.create(kind="filings.filing.reject", text="资质证书已过期")
    first, held, last = waiting("和田玉吊坠", 3), waiting("翡翠手镯", 2), waiting("南红手串", 1)
    bob = journey(factories.StaffFactory(username="bob_e2e"), admin=True)
    bob.open(f"/admin/filings/filing/{held.pk}/change/")  # bob opens it: he holds it
    assert "您已领取此项" in bob.text("#content")

    alice = journey(factories.StaffFactory(username="alice_e2e"), admin=True)
    alice.open("/admin/filings/filing/")
    assert "bob_e2e ·" in alice.text("#result_list")  # who holds it, until when
    alice.check("filing queue with a claim")
    alice.screens("filing-queue")
    alice.submit("#result_list a:has-text('和田玉吊坠')")  # the first click opens the first item
    alice.check("filing page with its decisions")
    clicks = 0
    alice.submit("[data-decision=approve]"); clicks += 1  # noqa: E702
    assert Filing.objects.get(pk=first.pk).state == "approved"
    # The next filing waiting opens, skipping the one bob holds.
    assert alice.page.url.endswith(f"/admin/filings/filing/{last.pk}/change/")
    alice.page.select_option("[data-reason-templates]", "资质证书已过期")  # a kept reason, editable
    assert alice.page.input_value("textarea[name=reason]") == "资质证书已过期"
    alice.submit("[data-decision=reject]"); clicks += 1  # noqa: E702
    assert Filing.objects.get(pk=last.pk).state == "not_approved"
    assert clicks <= 2 * 2
    # Bob's filing: alice sees who holds it and has no decision to take.
    alice.open(f"/admin/filings/filing/{held.pk}/change/")
    assert "bob_e2e 正在处理" in alice.text("#content")
    assert alice.page.locator("[data-decision]").count() == 0
    alice.check("filing held by another reviewer")
    alice.screens("filing-held-by-another")
    assert Filing.objects.get(pk=held.pk).state == "under_review"
    bob.open(f"/admin/filings/filing/{held.pk}/change/")
    bob.check("filing page of its holder")
    bob.screens("filing-decisions")


def test_journey_the_reviewer_reads_the_documents_on_the_filing_page(journey, settings, tmp_path):
    """#22.4: a PDF's pages and an image, readable where the reviewer decides, at 1280 and 390 px."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings import services
    from tests.conftest import pdf_with_pages, png_bytes

    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")
    category = factories.CategoryFactory()
    report, licence = factories.DocumentTypeFactory(name="质检报告"), factories.DocumentTypeFactory(name="营业执照")
    category.required_documents.add(report, licence)
    filing = FilingFactory(product__category=category, product__title="和田玉手镯", creator=factories.CreatorFactory(is_specific=True))
    merchant = filing.product.shop.merchant
    services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads={
        report.pk: SimpleUploadedFile("report.pdf", pdf_with_pages(2, "INSPECTION REPORT PAGE"), content_type="application/pdf"),
        licence.pk: SimpleUploadedFile("licence.png", png_bytes((480, 320), (40, 90, 160)), content_type="image/png"),
    })
    reviewer = journey(factories.StaffFactory(username="docs_e2e"), admin=True)
    reviewer.open(f"/admin/filings/filing/{filing.pk}/change/")
    pages = reviewer.page.locator("[data-testid=document-page]")
    assert pages.count() == 2
    for i in range(2):
        pages.nth(i).scroll_into_view_if_needed()
        reviewer.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=pages.nth(i).element_handle())
    image = reviewer.page.locator("[data-testid=document-image]")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 480
    reviewer.page.locator("[data-testid=document-pages]").evaluate("box => box.scrollTo(0, 0)")  # back to page 1
    reviewer.check("filing documents preview")
    reviewer.screens("filing-documents")


def test_journey_the_not_arrived_queue_shows_the_time_left(journey):
    """#22.3: V9's holds, the decision due soonest first, each with its time left."""
    from samples.services import shipping
    from tests.samples.factories import shipped_at

    now = timezone.now()
    for days_ago in (3, 1):
        sample = shipped_at(now - timedelta(days=days_ago + 1))
        shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)
    reviewer = journey(factories.StaffFactory(username="v9_e2e"), admin=True)
    reviewer.open("/admin/samples/samplerequest/?deadline=held")
    assert reviewer.page.locator("[data-time-left]").count() == 2
    reviewer.check("not-arrived queue")
    reviewer.screens("not-arrived-queue")
