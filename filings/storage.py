"""Private storage for qualification documents: the kernel's (core.storage), never under
MEDIA_ROOT, never served as public media. Files are read only through
`filings.views.document_download`, which checks that the person is the owning merchant's
team or a platform reviewer.

`PrivateStorage` is named here too because the filings migrations refer to
`filings.storage.PrivateStorage`; it is the kernel's class, so both deconstruct alike.
"""

from __future__ import annotations

from core.storage import PrivateStorage, private_root, private_storage
from core.uploads import RandomName

__all__ = ["DOCUMENTS", "PrivateStorage", "document_path", "private_root", "private_storage"]

# A random name; the extension is the one core.uploads.validate_upload sniffed from the bytes.
DOCUMENTS = RandomName("filings")


def document_path(instance, filename: str) -> str:
    """Kept for the migration that names it; the field uses DOCUMENTS."""
    return DOCUMENTS(instance, filename)
