"""PDF pages as pictures, for reviewers who must read a document without downloading it
(#22.4: a filing's qualification documents on its admin page).

Why pictures and not the PDF in an <iframe>: the site's policy stays as it is (`object-src
'none'`, `frame-ancestors 'none'`, X-Frame-Options DENY, every upload served with `sandbox`,
which Chromium's PDF viewer refuses to run in); the merchant's file never reaches the
reviewer's browser as a document that can carry script or forms; and a phone shows it
(Android's Chrome has no inline PDF viewer at all). The page is drawn here with PDFium (the
engine Chromium itself uses, through the pypdfium2 wheel), to a PNG of bounded size, and
served with the same explicit type, nosniff and sandbox as any upload.

PDFium is not thread-safe: one lock for the process (gunicorn's workers are processes).
"""

from __future__ import annotations

import io
import threading

from django.http import HttpResponse

# A page at most this wide (A4 at ~145 dpi: small print stays readable on a 1280 px screen
# and zooms on a phone), and never more pixels than this whatever its shape.
PAGE_WIDTH_PX = 1200
PAGE_MAX_PIXELS = 1200 * 3000
# What the admin page shows of a long document; the rest is in the download.
PREVIEW_PAGES = 10

_lock = threading.Lock()


class Unreadable(Exception):
    """The file is no PDF PDFium can open (damaged, encrypted, empty), or has no such page."""


def _open(fieldfile):
    import pypdfium2 as pdfium

    with fieldfile.open("rb") as handle:
        data = handle.read()
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Unreadable(str(exc)) from exc


def pdf_page_count(fieldfile) -> int | None:
    """How many pages the stored PDF has; None when it cannot be read."""
    with _lock:
        try:
            document = _open(fieldfile)
        except (Unreadable, OSError):
            return None
        try:
            return len(document)
        finally:
            document.close()


def pdf_page_png(fieldfile, number: int) -> bytes:
    """Page `number` (from 1) of the stored PDF as a PNG, at most PAGE_WIDTH_PX wide."""
    with _lock:
        document = _open(fieldfile)
        try:
            if not 1 <= number <= len(document):
                raise Unreadable(f"no page {number}")
            page = document[number - 1]
            width, height = page.get_size()  # points
            if width <= 0 or height <= 0:
                raise Unreadable("an empty page")
            scale = min(PAGE_WIDTH_PX / width, (PAGE_MAX_PIXELS / (width * height)) ** 0.5)
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def png_response(data: bytes) -> HttpResponse:
    """A rendered page, served as uploads are (core.uploads.file_response): its type stated,
    nosniff, a policy under which it can do nothing, and private to the one who asked."""
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
