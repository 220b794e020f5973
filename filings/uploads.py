"""Qualification document checks: PDF, JPEG or PNG by content, within the size limit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import IMAGE_FORMATS, check_size, sniff_image

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _looks_like_pdf(upload) -> bool:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        # A PDF starts with %PDF- (within the first KiB, per the spec's leniency) and ends with %%EOF.
        if b"%PDF-" not in head:
            return False
        size = upload.size
        upload.seek(max(0, size - 2048))
        tail = upload.read()
        return b"%%EOF" in tail
    finally:
        upload.seek(pos)


def sniff_document(upload) -> str | None:
    """'pdf', 'jpg' or 'png' from the bytes, or None."""
    if _looks_like_pdf(upload):
        return "pdf"
    fmt = sniff_image(upload)
    return IMAGE_FORMATS.get(fmt) if fmt else None


def validate_document_upload(upload) -> str:
    """Raise ValidationError unless the upload is a PDF, JPEG or PNG within the limit;
    return the extension that its content says."""
    check_size(upload)
    ext = sniff_document(upload)
    if ext is None:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file: this file is none of them, whatever its name says."))
    return ext
