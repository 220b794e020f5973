"""Private storage for qualification documents: never under MEDIA_ROOT, never served as
public media. Files are read only through `filings.views.document_download`, which
checks that the person is the owning merchant or a platform reviewer.

The location is settings.FILINGS_PRIVATE_ROOT when set (tests point it at a temporary
directory), else `var/private/` next to the project (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from core.uploads import RandomName


def private_root() -> str:
    root = getattr(settings, "FILINGS_PRIVATE_ROOT", None) or Path(settings.BASE_DIR) / "var" / "private"
    return os.path.abspath(root)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage whose root is read from the settings on every use and
    that has no URL (there is no public address for these files)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):  # type: ignore[override]
        return private_root()

    @property
    def location(self):  # type: ignore[override]
        return private_root()

    @property
    def base_url(self):  # type: ignore[override]
        return None

    def url(self, name):
        raise ValueError("Qualification documents have no public URL; use the download view.")


private_storage = PrivateStorage()


# A random name; the extension is the one core.uploads.validate_upload sniffed from the bytes.
DOCUMENTS = RandomName("filings")


def document_path(instance, filename: str) -> str:
    """Kept for the migration that names it; the field uses DOCUMENTS."""
    return DOCUMENTS(instance, filename)
