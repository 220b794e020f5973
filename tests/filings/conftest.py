import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Qualification documents go to a private directory of the test, never MEDIA_ROOT."""
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path / "private")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def pdf_upload():
    def make(name="licence.pdf"):
        return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")

    return make


def refusal(text, **params) -> str:
    """The `pytest.raises(match=…)` pattern of exactly this refusal, in the tests' language."""
    return re.escape(str(text) % params if params else str(text))
