"""Hostile file bodies, made from code so the repository holds no binary blobs.

The corpus (tests/hardening/corpus/*.json) names them by key (`"file": "png_polyglot"`);
`body(key)` returns the bytes. Each shape is one an attacker (or a careless client) sends.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(size=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(buf, "JPEG")
    return buf.getvalue()


def png_polyglot() -> bytes:
    """A valid PNG with an HTML page in a tEXt chunk: served as text/html it runs."""
    data = png()
    return data[:33] + _chunk(b"tEXt", b"Comment\x00<html><script>alert(document.cookie)</script></html>") + data[33:]


def png_bomb(width: int = 65535, height: int = 65535) -> bytes:
    """A few hundred bytes whose header claims width × height pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + _chunk(b"IEND", b"")


BODIES = {
    "png": png,
    "jpeg": jpeg,
    "png_polyglot": png_polyglot,
    "png_bomb": png_bomb,
    "png_truncated": lambda: png()[:40],
    "svg_script": lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    "html": lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    "gif": lambda: b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "jpeg_magic_only": lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 60,
    "ftyp_only": lambda: b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00<script>alert(1)</script>",  # MOV brand, bytes 4–8 alone
    "matroska_not_webm": lambda: b"\x1a\x45\xdf\xa3" + b"\x00" * 60 + b"<script>alert(1)</script>",
    "mp4": lambda: b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64,
    "pdf": lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "pdf_truncated": lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\n",
    "pdf_with_html_head": lambda: b"<html><script>alert(1)</script></html>\n%PDF-1.4\n%%EOF\n",
    "empty": lambda: b"",
    "text": lambda: b"just some text, not a picture",
    "exe": lambda: b"MZ\x90\x00" + b"\x00" * 60,
    "zip": lambda: b"PK\x03\x04" + b"\x00" * 60,
}


def body(key: str) -> bytes:
    return BODIES[key]()
