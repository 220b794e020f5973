"""#22.4, documents in view: a filing's qualification documents preview on its admin page, an
image as itself and a PDF as pictures of its pages (the first 10; the original stays a
download), without any change to how the site may be framed: the page keeps `object-src
'none'` and `frame-ancestors 'none'`, and each rendered page is an image served like every
upload (its type stated, nosniff, sandboxed, X-Frame-Options DENY, private). Still only for
reviewers and the owning merchant: anyone else gets a 404, as for the file itself."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.previews import PAGE_WIDTH_PX, PREVIEW_PAGES
from filings import services
from filings.models import QualificationDocument
from tests import factories
from tests.conftest import pdf_with_pages, png_bytes
from tests.filings.conftest import pdf_bytes
from tests.filings.factories import FilingFactory

pytestmark = pytest.mark.django_db


def submitted_with(merchant, files: dict[str, tuple[str, bytes, str]]):
    """A filing under review whose category asks for one document per entry of `files`."""
    category = factories.CategoryFactory()
    uploads = {}
    for name, (filename, content, mime) in files.items():
        doc_type = factories.DocumentTypeFactory(name=name)
        category.required_documents.add(doc_type)
        uploads[doc_type.pk] = SimpleUploadedFile(filename, content, content_type=mime)
    filing = FilingFactory(product__shop__merchant=merchant, product__category=category, creator=factories.CreatorFactory(is_specific=True))
    services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads=uploads)
    docs = {d.doc_type.name: d for d in QualificationDocument.objects.filter(filing=filing).select_related("doc_type")}
    return filing, docs


@pytest.fixture
def filing_and_docs(merchant):
    return submitted_with(merchant, {
        "质检报告": ("report.pdf", pdf_with_pages(12), "application/pdf"),
        "营业执照": ("licence.png", png_bytes((300, 200)), "image/png"),
    })


def page_url(doc, n: int) -> str:
    return reverse("filings:document_preview", args=[doc.pk, n])


def test_22_4_the_reviewer_reads_every_document_on_the_filings_page(client, staff, filing_and_docs):
    filing, docs = filing_and_docs
    client.force_login(staff)
    resp = client.get(f"/admin/filings/filing/{filing.pk}/change/")
    html = resp.content.decode()
    pdf, image = docs["质检报告"], docs["营业执照"]
    # the PDF: its first 10 pages as pictures, where the reviewer decides, and the download beside them
    assert html.count('data-testid="document-page"') == PREVIEW_PAGES
    for n in range(1, PREVIEW_PAGES + 1):
        assert f'src="{page_url(pdf, n)}"' in html
    assert f'src="{page_url(pdf, PREVIEW_PAGES + 1)}"' not in html
    assert "第 1 页 / 共 12 页" in html and "共 12 页，此处显示前 10 页" in html
    assert f'href="{reverse("filings:document", args=[pdf.pk])}" data-testid="document-download"' in html
    # the image: itself, inline
    assert f'src="{reverse("filings:document", args=[image.pk])}" alt="licence.png" data-testid="document-image"' in html
    # nothing framed or embedded: the page's own policy is unchanged
    assert "<iframe" not in html and "<object" not in html and "<embed" not in html
    csp = resp["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp and resp["X-Frame-Options"] == "DENY"


def test_22_4_a_page_is_a_png_served_like_an_upload_and_framed_nowhere(client, staff, filing_and_docs):
    _filing, docs = filing_and_docs
    client.force_login(staff)
    resp = client.get(page_url(docs["质检报告"], 12))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"
    assert resp["X-Content-Type-Options"] == "nosniff" and "Content-Disposition" not in resp  # shown, not downloaded
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox"
    assert resp["Cache-Control"] == "private, no-store"
    picture = Image.open(io.BytesIO(resp.content))
    assert picture.format == "PNG" and picture.width == PAGE_WIDTH_PX and picture.height > picture.width  # an A4 page, readable
    # the original is still a download (the preview changed nothing about it)
    original = client.get(reverse("filings:document", args=[docs["质检报告"].pk]))
    assert original["Content-Type"] == "application/pdf" and original["Content-Disposition"].startswith("attachment")


def test_22_4_pages_are_served_to_the_owning_merchant_and_reviewers_only(client, merchant, filing_and_docs):
    _filing, docs = filing_and_docs
    url = page_url(docs["质检报告"], 1)
    assert client.get(url)["Location"].startswith("/accounts/login/")  # anonymous
    client.force_login(factories.MerchantFactory().user)
    assert client.get(url).status_code == 404  # another merchant
    client.force_login(factories.CreatorFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(factories.UserFactory(username="staff_without_filings", is_staff=True))
    assert client.get(url).status_code == 404  # staff who may not view filings
    client.force_login(merchant.user)
    assert client.get(url).status_code == 200  # the owner


@pytest.mark.parametrize("page", [0, 13, 10**30])
def test_22_4_a_page_the_document_does_not_have_is_a_404(client, staff, filing_and_docs, page):
    _filing, docs = filing_and_docs
    client.force_login(staff)
    assert client.get(f"/filings/documents/{docs['质检报告'].pk}/pages/{page}/").status_code == 404


def test_22_4_an_image_has_no_pages_and_an_unreadable_pdf_says_so_with_the_download(client, staff, merchant, filing_and_docs):
    _filing, docs = filing_and_docs
    client.force_login(staff)
    assert client.get(page_url(docs["营业执照"], 1)).status_code == 404
    broken_filing, broken = submitted_with(merchant, {"授权书": ("auth.pdf", pdf_bytes(), "application/pdf")})
    html = client.get(f"/admin/filings/filing/{broken_filing.pk}/change/").content.decode()
    assert 'data-testid="document-unreadable"' in html and "此 PDF 无法在此预览" in html
    assert 'data-testid="document-download"' in html and 'data-testid="document-page"' not in html
    assert client.get(page_url(broken["授权书"], 1)).status_code == 404


def test_22_4_the_demos_documents_are_real_pdfs_the_preview_draws(tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from core.previews import pdf_page_count, pdf_page_png
    from filings.demo import demo_pdf

    storage = FileSystemStorage(location=str(tmp_path))
    name = storage.save("demo.pdf", ContentFile(demo_pdf("brand-authorisation")))
    stored = storage.open(name)  # a File: open() reopens it, as a FieldFile's does
    assert pdf_page_count(stored) == 1
    assert Image.open(io.BytesIO(pdf_page_png(stored, 1))).width == PAGE_WIDTH_PX
