"""Every upload, one way: typed from its bytes, stored under a random name with the
extension of the sniffed type, served with that type stated explicitly.

- `validate_upload(upload, allowed)` checks the size, sniffs the type from the bytes with
  the `filetype` library (never the client's name or Content-Type), verifies images with
  Pillow under a deliberate pixel limit (decompression bombs are refused with a message,
  not a 500), and renames the upload `<random>.<sniffed ext>`.
- `RandomName(prefix)` is the `upload_to` of every file field: a random name whose
  extension is one of the known kinds (anything else is stored as `.bin`).
- `file_response(fieldfile)` serves a stored file with the content type of its kind,
  `X-Content-Type-Options: nosniff`, a sandboxing CSP, and `Content-Disposition:
  attachment` for anything that is not an image.

SVG, HTML and every other type are never accepted: only the kinds below exist.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    ext: str
    mime: str
    label: str
    image: bool = False


KINDS: dict[str, Kind] = {
    k.ext: k
    for k in [
        Kind("jpg", "image/jpeg", "JPEG", image=True),
        Kind("png", "image/png", "PNG", image=True),
        Kind("pdf", "application/pdf", "PDF"),
        Kind("mp4", "video/mp4", "MP4"),
        Kind("webm", "video/webm", "WebM"),
    ]
}
IMAGES = frozenset({"jpg", "png"})
DOCUMENTS = IMAGES | {"pdf"}
SCREEN_MEDIA = IMAGES | {"mp4", "webm"}

# filetype's answers mapped onto our kinds (it says "jpg" for JPEG, "mp4" for ISO media with
# an MP4 brand, "webm" for a Matroska file whose doctype is webm).
_FROM_FILETYPE = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf", "video/mp4": "mp4", "video/webm": "webm"}

# Images are decoded for thumbnails and checks: a 48 KB PNG can claim 20000×20000 pixels.
# Anything above this many pixels is refused (40 MP: a 8000×5000 photo still passes).
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000


def max_image_pixels() -> int:
    return int(getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def check_size(upload) -> None:
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": settings.MAX_UPLOAD_BYTES // 1048576}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))


def _head(upload, size: int = 8192) -> bytes:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        return upload.read(size)
    finally:
        upload.seek(pos)


def _tail(upload, size: int = 2048) -> bytes:
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(max(0, upload.size - size))
        return upload.read()
    finally:
        upload.seek(pos)


def _verify_image(upload, ext: str) -> None:
    """Pillow must read the image whole-heartedly, within the pixel limit."""
    from PIL import Image, UnidentifiedImageError

    limit = max_image_pixels()
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(upload) as img:
                    width, height = img.size
                    if width * height > limit:
                        raise ValidationError(_too_many_pixels(width, height, limit))
                    if img.format != KINDS[ext].label:
                        raise ValidationError(unknown_type_message(IMAGES))
                    img.verify()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise ValidationError(_("This image has too many pixels to be a real picture (at most %(mp)s million).") % {"mp": limit // 1_000_000}) from exc
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                raise ValidationError(_("This image is damaged or incomplete: it cannot be read.")) from exc
    finally:
        upload.seek(pos)


def _too_many_pixels(width: int, height: int, limit: int) -> str:
    return _("This image is %(w)s × %(h)s pixels; at most %(mp)s million pixels are accepted.") % {
        "w": width, "h": height, "mp": limit // 1_000_000,
    }


def unknown_type_message(allowed) -> str:
    names = "、".join(KINDS[e].label for e in sorted(allowed, key=list(KINDS).index))
    return _("Upload a %(kinds)s file: this file is none of them, whatever its name says.") % {"kinds": names}


def sniff(upload) -> str | None:
    """The kind the bytes say (a key of KINDS), or None. Images are not verified here."""
    guess = filetype.guess(_head(upload))
    if guess is None:
        return None
    ext = _FROM_FILETYPE.get(guess.mime)
    if ext == "pdf" and b"%%EOF" not in _tail(upload):
        return None  # a PDF ends with %%EOF; a truncated one is refused
    return ext


def validate_upload(upload, allowed=IMAGES) -> str:
    """Check an uploaded file against the kinds allowed; rename it `<random>.<ext>`.

    Returns the sniffed extension; raises ValidationError with the reason otherwise.
    """
    check_size(upload)
    ext = sniff(upload)
    if ext is None or ext not in allowed:
        raise ValidationError(unknown_type_message(allowed))
    if ext in IMAGES:
        _verify_image(upload, ext)
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    upload.sniffed_ext = ext
    return ext


def validate_image_upload(upload):
    """A form field validator: a JPEG or PNG image (renamed by its content)."""
    validate_upload(upload, IMAGES)
    return upload


class UploadField(forms.FileField):
    """A form field for an upload of the kinds `allowed`: checked and renamed by its bytes
    before any other validator sees it (a model ImageField's extension check would
    otherwise judge the client's name)."""

    def __init__(self, *, allowed=IMAGES, **kwargs) -> None:
        self.allowed = frozenset(allowed)
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            validate_upload(upload, self.allowed)
        return upload


@deconstructible
class RandomName:
    """`upload_to` for every file field: `<prefix>/<random>.<ext>`, where ext is a known
    kind taken from the validated upload's name (validate_upload set it from the bytes)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext == "jpeg":
            ext = "jpg"
        if ext not in KINDS:
            ext = "bin"
        return f"{self.prefix}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix


def kind_of_name(name: str) -> Kind | None:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS.get(ext)


def file_response(fieldfile, *, download_name: str | None = None) -> FileResponse:
    """Serve a stored upload with an explicit type; never let a browser guess one."""
    kind = kind_of_name(fieldfile.name)
    mime = kind.mime if kind else "application/octet-stream"
    attachment = not (kind and kind.image)
    name = download_name or fieldfile.name.rsplit("/", 1)[-1]
    response = FileResponse(fieldfile.open("rb"), content_type=mime, as_attachment=attachment, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it as a page, it could run nothing and reach nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    return response
