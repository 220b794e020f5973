"""Upload checks: by content and size, never by the file's name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def check_size(upload) -> None:
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": settings.MAX_UPLOAD_BYTES // 1048576}
        )


def sniff_image(upload) -> str | None:
    """The image format Pillow finds in the bytes ("JPEG", "PNG"), or None."""
    from PIL import Image, UnidentifiedImageError

    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.verify()
            return img.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(pos)


def validate_image_upload(upload):
    check_size(upload)
    if sniff_image(upload) not in IMAGE_FORMATS:
        raise ValidationError(_("Upload a JPEG or PNG image: this file is not one, whatever its name says."))
    return upload
