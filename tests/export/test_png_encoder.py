"""The PNG export's own encoder (export.image.encode_png, PngWriter): what Qt and
other readers decode is the rendered map, pixel for pixel, whether it was given the
rows in one piece or in bands."""

from __future__ import annotations

import struct
import zlib

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from osom_desktop.export import image as export_image
from osom_desktop.export.image import PngWriter, encode_png, map_image
from osom_desktop.model.wardley import Component, Link, WardleyMap


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        tag, payload = data[i + 4 : i + 8], data[i + 8 : i + 8 + n]
        (crc,) = struct.unpack(">I", data[i + 8 + n : i + 12 + n])
        assert crc == zlib.crc32(tag + payload) & 0xFFFFFFFF, tag
        out.append((tag, payload))
        i += 12 + n
    return out


def picture(w: int, h: int) -> QImage:
    """Flat colour, antialiased lines and text: what a map is made of."""
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("#fdfdfd"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i in range(0, w, 37):
        p.setPen(QColor(i % 256, (3 * i) % 256, 90))
        p.drawLine(QPointF(i, 0), QPointF(w - i, h))
        p.drawText(QPointF(i, (i * 7) % h), f"Kettle {i}")
    p.setBrush(QColor("#ff000080"))
    p.drawEllipse(QPointF(w / 2, h / 2), w / 5, h / 5)
    p.end()
    return image


@pytest.mark.parametrize("bands", [[(0, 387)], [(0, 100), (100, 101), (101, 387)]])
def test_what_is_decoded_is_the_picture_pixel_for_pixel(qapp, bands: list[tuple[int, int]]) -> None:  # noqa: ANN001
    image = picture(641, 387)  # an odd width: rows not a multiple of 4 bytes
    png = PngWriter(641, 387, image.dotsPerMeterX(), image.dotsPerMeterY())
    for top, bottom in bands:
        png.add(image.copy(0, top, 641, bottom - top))
    data = png.finish()
    # The same rows as from the image in one piece (isal's bytes depend on how the
    # rows were handed over; the stream they decode to does not).
    whole = encode_png(image)
    assert zlib.decompress(dict(chunks(data))[b"IDAT"]) == zlib.decompress(dict(chunks(whole))[b"IDAT"])
    assert chunks(data)[:2] == chunks(whole)[:2]  # IHDR and pHYs
    tags = [tag for tag, _ in chunks(data)]
    assert tags == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    ihdr = dict(chunks(data))[b"IHDR"]
    assert struct.unpack(">IIBBBBB", ihdr) == (641, 387, 8, 2, 0, 0, 0)  # 8-bit RGB, not interlaced
    stream = dict(chunks(data))[b"IDAT"]
    raw = zlib.decompress(stream)  # checks the Adler-32 of the whole image too
    assert len(raw) == 387 * (1 + 3 * 641)
    decoded = QImage.fromData(data, "PNG")
    assert decoded.convertToFormat(QImage.Format.Format_RGB32) == image
    assert decoded.dotsPerMeterX() == image.dotsPerMeterX()


def test_a_map_exports_as_it_renders(qapp) -> None:  # noqa: ANN001
    m = WardleyMap(
        title="Tea",
        components=[Component(id="a", name="Cup of Tea", visibility=0.9, evolution=0.5),
                    Component(id="b", name="Kettle", visibility=0.4, evolution=0.7)],
        links=[Link(id="l", source="a", target="b")],
    )
    image = map_image(m, 1.5)
    decoded = QImage.fromData(export_image.png_bytes(m, 1.5), "PNG")
    assert decoded.convertToFormat(QImage.Format.Format_RGB32) == image
    assert image.pixelColor(image.width() // 2, image.height() // 2) != QColor(Qt.GlobalColor.black)
