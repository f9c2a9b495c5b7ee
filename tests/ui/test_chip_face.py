"""The chip's face on screen: JPEG as Qt reads it, JPEG 2000 through Pillow, and bytes a
hostile chip sends shown as no picture."""

from __future__ import annotations

import io

from PIL import Image

from ui.chip_panel import face_pixmap


def encoded(fmt: str, size: tuple[int, int] = (60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 150, 120)).save(out, fmt)
    return out.getvalue()


def test_jpeg_and_jpeg_2000_faces_are_shown(qapp):
    for fmt in ("JPEG", "JPEG2000"):
        pix = face_pixmap(encoded(fmt))
        assert (pix.width(), pix.height()) == (60, 80), fmt


def test_junk_and_oversized_images_are_no_picture(qapp, monkeypatch):
    assert face_pixmap(b"\x00\x00\x00\x0cjP  \r\n\x87\nrubbish").isNull()
    monkeypatch.setattr("ui.chip_panel.MAX_FACE_PIXELS", 60 * 80 - 1)
    assert face_pixmap(encoded("JPEG2000")).isNull()
