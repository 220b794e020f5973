"""One upload module: typed from the bytes, random names, explicit types when served."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import uploads


def png_bytes(size=(4, 4), text: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    data = buf.getvalue()
    if text is not None:  # a tEXt chunk after IHDR: a valid PNG that also carries markup
        chunk = b"tEXt" + b"Comment\x00" + text
        blob = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
        data = data[:33] + blob + data[33:]
    return data


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (the decompression-bomb shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "JPEG")
    return buf.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_png_polyglot_named_html_is_stored_as_a_png_under_a_random_name():
    f = upload("poly.html", png_bytes(text=b"<script>alert(1)</script>"), "text/html")
    assert uploads.validate_upload(f, uploads.IMAGES) == "png"
    assert f.name.endswith(".png") and "poly" not in f.name and len(f.name) == 36


@pytest.mark.parametrize("name,data", [
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("x.html", b"<!doctype html><script>alert(1)</script>"),
    ("x.png", b"GIF89a" + b"\x00" * 64),
    ("x.jpg", b"\xff\xd8\xff" + b"\x00" * 10),  # a JPEG's first bytes and nothing readable
])
def test_markup_and_wrong_or_broken_bytes_are_refused(name, data):
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload(name, data), uploads.IMAGES)


def test_the_refusal_names_the_kinds_accepted():
    with pytest.raises(ValidationError, match="JPEG、PNG"):
        uploads.validate_upload(upload("a.svg", b"<svg/>"), uploads.IMAGES)


@pytest.mark.parametrize("width,height", [(20000, 20000), (65535, 65535)])
def test_a_decompression_bomb_is_refused_with_a_message_not_an_error(width, height):
    data = png_header_claiming(width, height)
    assert len(data) < 50_000
    with pytest.raises(ValidationError, match="像素"):
        uploads.validate_upload(upload("bomb.png", data), uploads.IMAGES)


def test_the_pixel_limit_is_a_setting(settings):
    settings.MAX_IMAGE_PIXELS = 15
    with pytest.raises(ValidationError, match="4 × 4"):
        uploads.validate_upload(upload("a.png", png_bytes()), uploads.IMAGES)
    settings.MAX_IMAGE_PIXELS = 16
    assert uploads.validate_upload(upload("a.png", png_bytes()), uploads.IMAGES) == "png"


def test_an_mp4_needs_a_real_file_type_box_not_just_the_word_ftyp():
    assert uploads.validate_upload(upload("v.bin", MP4), uploads.SCREEN_MEDIA) == "mp4"
    fake = b"\x00\x00\x00\x18ftyp<scr" + b"ipt>" * 8
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload("v.mp4", fake), uploads.SCREEN_MEDIA)


def test_documents_are_pdf_or_images_and_a_truncated_pdf_is_refused():
    assert uploads.validate_upload(upload("d", PDF), uploads.DOCUMENTS) == "pdf"
    assert uploads.validate_upload(upload("d", jpeg_bytes()), uploads.DOCUMENTS) == "jpg"
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload("d.pdf", PDF[:-7]), uploads.DOCUMENTS)
    with pytest.raises(ValidationError):  # a PDF where only images are allowed
        uploads.validate_upload(upload("d.png", PDF), uploads.IMAGES)


def test_empty_and_oversized_files_are_refused(settings):
    with pytest.raises(ValidationError, match="文件是空的"):
        uploads.validate_upload(upload("a.png", b""), uploads.IMAGES)
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="MB"):
        uploads.validate_upload(upload("a.png", png_bytes()), uploads.IMAGES)


@pytest.mark.parametrize("name,stored_ext", [("photo.png", "png"), ("photo.jpeg", "jpg"),  # names no hex digest can contain
                                             ("poly.html", "bin"), ("x.svg", "bin"), ("noext", "bin")])
def test_random_names_keep_only_known_extensions(name, stored_ext):
    path = uploads.RandomName("pics")(None, name)
    assert path.startswith("pics/") and path.endswith(f".{stored_ext}") and name.split(".")[0] not in path


def test_files_are_served_with_an_explicit_type_nosniff_and_attachment_unless_an_image(tmp_path, settings):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)

    class FieldFile:
        def __init__(self, name):
            self.name = name

        def open(self, mode):
            return storage.open(self.name, mode)

    for name, data in [("a.png", png_bytes()), ("b.mp4", MP4), ("c.bin", b"<script>")]:
        storage.save(name, io.BytesIO(data))
    img = uploads.file_response(FieldFile("a.png"))
    assert img["Content-Type"] == "image/png" and img["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in img.get("Content-Disposition", "") and "sandbox" in img["Content-Security-Policy"]
    video = uploads.file_response(FieldFile("b.mp4"))
    assert video["Content-Type"] == "video/mp4" and video["Content-Disposition"].startswith("attachment")
    unknown = uploads.file_response(FieldFile("c.bin"))
    assert unknown["Content-Type"] == "application/octet-stream" and unknown["Content-Disposition"].startswith("attachment")
