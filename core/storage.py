"""Private storage for uploads only their parties may read (qualification documents,
appeal evidence): never under MEDIA_ROOT, never served as public media; read only through
a view that checks who asks and serves with core.uploads.file_response.

The location is settings.FILINGS_PRIVATE_ROOT when set (its historical name; tests point it
at a temporary directory), else `var/private/` next to the project (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> str:
    root = getattr(settings, "FILINGS_PRIVATE_ROOT", None) or Path(settings.BASE_DIR) / "var" / "private"
    return os.path.abspath(root)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage whose root is read from the settings on every use and that
    has no URL (there is no public address for these files)."""

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
        raise ValueError("Private uploads have no public URL; use the download view.")


private_storage = PrivateStorage()
