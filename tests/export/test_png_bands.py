"""The PNG export draws the map in bands of rows and compresses each on a second
thread while the next is drawn (export.image.png_bytes). What a reader gets is still
the whole map: the right size, every band drawn, nothing lost or doubled at a seam,
and the same file whatever the number of cores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPainter

from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.export import image as export_image
from osom_desktop.export.image import PngWriter, map_image, render_png
from osom_desktop.model import Component, Document, Link, Note, ServiceDocument, WardleyMap
from osom_desktop.storage import open_document, save_document


def saved_map(tmp_path: Path) -> ServiceDocument:
    """A service saved to disk and opened again: a chain of components from the top
    left to the bottom right (its links cross every seam), one long link across the
    whole map, wide and thin lines, names and a note."""
    comps = [
        Component(id=f"c{i}", name=f"Component {i}", visibility=round(0.97 - i * 0.05, 3), evolution=round(0.03 + i * 0.05, 3))
        for i in range(19)
    ]
    links = [Link(id=f"l{i}", source=f"c{i}", target=f"c{i + 1}") for i in range(18)]
    links.append(Link(id="long", source="c0", target="c18"))
    m = WardleyMap(title="Seams", components=comps, links=links,
                   notes=[Note(id="n", text="a note in the middle", visibility=0.5, evolution=0.3)])
    path = tmp_path / "seams.osom"
    save_document(ServiceDocument(map=m), path)
    return open_document(path)


def rgb32_bytes(image: QImage, top: int = 0, bottom: int | None = None) -> bytes:
    """The rows' pixels as B, G, R, 255 bytes (RGB32 rows have no padding)."""
    band = image.convertToFormat(QImage.Format.Format_RGB32)
    bottom = band.height() if bottom is None else bottom
    return bytes(band.constBits())[top * band.bytesPerLine() : bottom * band.bytesPerLine()]


def difference(a: QImage, b: QImage) -> bytes:
    """Each channel's |a - b| (Qt's difference mode, on opaque images)."""
    out = a.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(out)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
    painter.drawImage(0, 0, b.convertToFormat(QImage.Format.Format_RGB32))
    painter.end()
    data = rgb32_bytes(out)
    return data[0::4] + data[1::4] + data[2::4]  # without the alpha bytes


def test_the_exported_png_is_the_whole_map_in_one_piece(tmp_path: Path, qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    service = saved_map(tmp_path)
    png = QImage(str(render_png(service.map, tmp_path / "seams.png")))
    assert not png.isNull()
    scene = MapScene(Document(service))
    rect = scene.sceneRect()
    scene.close()
    assert (png.width(), png.height()) == (round(rect.width() * 2), round(rect.height() * 2))
    bands = export_image._bands(png.width(), png.height())
    assert len(bands) > 1, "a map at scale 2 is drawn in bands"

    monkeypatch.setattr(export_image, "PNG_BAND_MIN_PIXELS", 10**12)  # now in one piece
    whole = map_image(service.map)
    assert whole.size() == png.size()
    diff = difference(png, whole)
    # Nothing missing or drawn twice at a seam (that would differ by tens of levels):
    # only a wide line's antialiased edge, a few levels where Qt clipped it.
    assert max(diff) <= 8
    assert len(diff) - diff.count(0) < len(diff) // 100
    # And there is a map in every band, not just background.
    background = rgb32_bytes(png, 0, 1)[:4]
    for top, bottom in bands:
        rows = rgb32_bytes(png, top, bottom)
        drawn = len(rows) // 4 - rows.count(background)
        assert drawn > png.width(), (top, bottom)


def test_one_core_or_two_the_same_file(tmp_path: Path, qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    service = saved_map(tmp_path)
    two = export_image.png_bytes(service.map)
    monkeypatch.setattr(export_image.os, "cpu_count", lambda: 1)  # no second thread
    assert export_image.png_bytes(service.map) == two


def test_the_writer_refuses_what_does_not_fit(qapp) -> None:  # noqa: ANN001
    png = PngWriter(10, 4)
    with pytest.raises(ValueError, match="does not fit"):
        png.add(QImage(11, 2, QImage.Format.Format_RGB32))
    png.add(QImage(10, 3, QImage.Format.Format_RGB32))
    with pytest.raises(ValueError, match="does not fit"):
        png.add(QImage(10, 2, QImage.Format.Format_RGB32))  # 5 rows of 4
    with pytest.raises(ValueError, match="3 of its 4 rows"):
        png.finish()
