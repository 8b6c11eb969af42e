"""The PNG export draws the whole map in one piece and encodes it with isal's deflate
where the package is installed, zlib's where it is not (export.image). What a reader
gets is the map exactly as the scene renders it, whichever compressor made the file."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.export import image as export_image
from osom_desktop.export.image import PngWriter, render_png
from osom_desktop.model import Component, Document, Link, Note, ServiceDocument, WardleyMap
from osom_desktop.storage import open_document, save_document
from tests.export.test_png_encoder import chunks


def saved_map(tmp_path: Path, extra: int = 0) -> tuple[Path, ServiceDocument]:
    """A service saved to disk and opened again: a chain of components from the top
    left to the bottom right (its links cross the whole image), one long link across
    the map, wide and thin lines, names and a note; ``extra`` more components, each
    linked to the next, spread over the map."""
    comps = [
        Component(id=f"c{i}", name=f"Component {i}", visibility=round(0.97 - i * 0.05, 3), evolution=round(0.03 + i * 0.05, 3))
        for i in range(19)
    ]
    links = [Link(id=f"l{i}", source=f"c{i}", target=f"c{i + 1}") for i in range(18)]
    links.append(Link(id="long", source="c0", target="c18"))
    comps += [Component(id=f"x{i}", name=f"Extra {i}", visibility=round((i % 97) / 97, 3),
                        evolution=round((i % 89) / 89, 3)) for i in range(extra)]
    links += [Link(id=f"y{i}", source=f"x{i}", target=f"x{i + 1}") for i in range(extra - 1)]
    m = WardleyMap(title="Seams", components=comps, links=links,
                   notes=[Note(id="n", text="a note in the middle", visibility=0.5, evolution=0.3)])
    path = tmp_path / "seams.osom"
    save_document(ServiceDocument(map=m), path)
    return path, open_document(path)


def rendered(service: ServiceDocument, scale: float) -> QImage:
    """The map as the plain ``QGraphicsScene.render`` of the whole scene draws it,
    ``scale`` pixels a scene unit: the picture the export must give."""
    scene = MapScene(Document(service))
    try:
        rect = scene.sceneRect()
        image = QImage(round(rect.width() * scale), round(rect.height() * scale), QImage.Format.Format_RGB32)
        image.fill(scene.backgroundBrush().color())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        return image
    finally:
        scene.close()


def test_the_exported_png_is_the_rendered_map_pixel_for_pixel(tmp_path: Path, qapp) -> None:  # noqa: ANN001
    _, service = saved_map(tmp_path)
    png = QImage(str(render_png(service.map, tmp_path / "seams.png")))
    assert not png.isNull()
    want = rendered(service, 2.0)
    assert png.size() == want.size()
    assert png.width() * png.height() > 2_000_000  # large enough that session 6 drew it in bands
    # Exactly: drawn in bands, a wide line crossing a seam came out a few levels off.
    assert png.convertToFormat(QImage.Format.Format_RGB32) == want


def test_isal_compresses_the_export_when_installed(tmp_path: Path, qapp) -> None:  # noqa: ANN001
    pytest.importorskip("isal")  # a dependency: installed wherever it has a wheel
    _, service = saved_map(tmp_path)
    data = export_image.png_bytes(service.map)
    stream = b"".join(payload for tag, payload in chunks(data) if tag == b"IDAT")
    raw = zlib.decompress(stream)  # a standard zlib stream, Adler-32 checked
    image = export_image.map_image(service.map)
    zlib_png = PngWriter(image.width(), image.height(), image.dotsPerMeterX(), image.dotsPerMeterY(), level=1)
    zlib_png.add(image)
    by_zlib = zlib_png.finish()
    assert data != by_zlib, "the export was not compressed by isal"
    assert raw == zlib.decompress(b"".join(p for tag, p in chunks(by_zlib) if tag == b"IDAT"))


def test_without_isal_osom_writes_the_same_picture_with_zlib(tmp_path: Path, qapp) -> None:  # noqa: ANN001
    """A platform with no isal wheel: ``osom export`` still writes the PNG (zlib), and
    it reads back as the same picture."""
    path, service = saved_map(tmp_path)
    out = tmp_path / "no-isal.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    # ``import isal`` raises ImportError in that process, as when it is not installed.
    code = ("import sys, runpy; sys.modules['isal'] = None; sys.argv[0] = 'osom'; "
            "runpy.run_module('osom_desktop.cli', run_name='__main__')")
    run = subprocess.run(
        [sys.executable, "-c", code, "export", str(path), "--format", "png", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    data = out.read_bytes()
    for tag, _ in chunks(data):  # chunks() checks every CRC
        assert tag in (b"IHDR", b"pHYs", b"IDAT", b"IEND")
    decoded = QImage.fromData(data, "PNG")
    assert not decoded.isNull()
    assert decoded.convertToFormat(QImage.Format.Format_RGB32) == rendered(service, 2.0)
    with_isal = export_image.png_bytes(service.map)
    if export_image._isal is not None:
        assert data != with_isal  # another compressor made it...
    assert decoded == QImage.fromData(with_isal, "PNG")  # ...and the same picture


def test_the_writer_refuses_what_does_not_fit(qapp) -> None:  # noqa: ANN001
    png = PngWriter(10, 4)
    with pytest.raises(ValueError, match="does not fit"):
        png.add(QImage(11, 2, QImage.Format.Format_RGB32))
    png.add(QImage(10, 3, QImage.Format.Format_RGB32))
    with pytest.raises(ValueError, match="does not fit"):
        png.add(QImage(10, 2, QImage.Format.Format_RGB32))  # 5 rows of 4
    with pytest.raises(ValueError, match="3 of its 4 rows"):
        png.finish()


def test_no_garbage_collection_while_the_map_is_built_and_drawn(tmp_path: Path, qapp) -> None:  # noqa: ANN001
    """A scene's thousands of items set off collections that walked the whole heap
    (~18 ms an export at 1,000 components) and found nothing: none runs during the
    export now, and collections are on again afterwards, even after an error."""
    import gc

    _, service = saved_map(tmp_path, extra=600)
    big = service.map
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    assert gc.isenabled()
    gc.collect()  # counts from zero: no collection falls due before the export starts
    gc.callbacks.append(seen)
    try:
        image = export_image.map_image(big)
    finally:
        gc.callbacks.remove(seen)
    assert not image.isNull()
    # Before: ~20 at this size. Now at most the one that may come as collections
    # resume, of the youngest generation: what was made since and is still alive.
    assert collections in ([], [0]), collections
    assert gc.isenabled()
    with pytest.raises(ValueError, match="scale"):
        export_image.map_image(big, scale=100)
    assert gc.isenabled()
    gc.disable()
    try:
        export_image.png_bytes(service.map)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
