"""Headless SVG and PNG export of a Wardley map.

Both draw the very MapScene the canvas shows, so an export looks like the screen.
They run with no display (``osom`` on a server, CI): ``ensure_qt_app`` starts an
offscreen Qt application when none exists. SVG text stays text (``<text>`` elements
holding the names), so a pack reader can search and copy it and screen readers and
``grep`` can find component names.
"""

from __future__ import annotations

import gc
import os
import struct
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from osom_desktop.export.output import ExportError, buffer_bytes, qt_buffer, write_export
from osom_desktop.model.document import Document
from osom_desktop.model.text_safety import for_document, scrubbed
from osom_desktop.model.wardley import WardleyMap

_isal: Any
try:
    # ISA-L's deflate (the ``isal`` package, a dependency): the same zlib stream, for
    # the rows of a 1,000-component map at scale 2 ~40 ms instead of zlib's ~160.
    from isal import isal_zlib as _isal
except ImportError:  # a platform with no isal wheel: zlib, slower, same picture
    _isal = None

_APP: Any = None  # the application we created, kept alive for the process
# zlib's fastest level: a map's large flat areas come out about as small as at the
# default level, in a fraction of the time (see encode_png). Used without isal.
PNG_LEVEL = 1
# isal's level 2 (of 0-3): 4.1 MB at 1,000 components against zlib level 1's 3.5 MB,
# and as fast as its level 1; level 3 takes twice as long.
ISAL_LEVEL = 2
# Scene units around the image within which items are drawn: items keep to their
# bounding boxes (a view repaints by them), so this is only for rounding.
DRAW_MARGIN = 1.0
# A map is at most ~3,500 x 2,500 scene units (see map_items.DRAW_MIN/MAX), so 8x
# is a ~28,000-pixel-wide poster: far beyond any use, still within QImage's limits.
MAX_SCALE = 8.0


def ensure_qt_app() -> Any:
    """The running QApplication, or a new one (offscreen when there is no display).

    A QApplication (not just QGuiApplication) because QGraphicsScene belongs to
    QtWidgets. Without a display Qt aborts the process unless told to draw
    offscreen, so on Linux with neither X nor Wayland we ask for offscreen first.
    """
    global _APP
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APP = QApplication([sys.argv[0] if sys.argv else "osom"])
    return _APP


def _document(source: Document | WardleyMap) -> Document:
    """What to draw: the map with its texts made safe for a file (a copy only when
    some text needed it; the canvas's own document is never changed)."""
    from osom_desktop.drawing.map_scene import document_for_map

    if isinstance(source, Document):
        safe = scrubbed(source.map)
        return source if safe is source.map else document_for_map(safe)
    if isinstance(source, WardleyMap):
        return document_for_map(scrubbed(source))
    raise TypeError(f"expected a Document or a WardleyMap, not {type(source).__name__}")


def _scene(source: Document | WardleyMap, theme: Any) -> Any:
    ensure_qt_app()
    from osom_desktop.drawing.map_scene import MapScene

    return MapScene(_document(source), theme)


def _render(scene: Any, painter: Any, width: float, height: float) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QPainter

    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    source = scene.sceneRect()
    target = QRectF(0, 0, width, height)
    painter.fillRect(target, scene.backgroundBrush())
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)


def paint_map(source: Document | WardleyMap, painter: Any, width: float, height: float, theme: Any = None) -> None:
    """Draw the map as the exports do into ``painter`` (a printer page, say), fitted
    into ``width`` x ``height`` with its proportions kept."""
    scene = _scene(source, theme)
    try:
        _render(scene, painter, width, height)
    finally:
        scene.close()


def svg_bytes(source: Document | WardleyMap, theme: Any = None) -> bytes:
    """The map as SVG, drawn in memory (see export.output for why not into a file)."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    scene = _scene(source, theme)
    try:
        rect = scene.sceneRect()
        buf = qt_buffer()
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        # 96 dpi: the width/height Qt writes (in mm) then equal the scene size in CSS
        # pixels, so a browser or the governance pack shows the map at 1:1.
        gen.setResolution(96)
        gen.setSize(QSize(round(rect.width()), round(rect.height())))
        gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        title = scene.document.map.title
        gen.setTitle(title or "Wardley map")
        gen.setDescription("Wardley map exported by OSOM Desktop")
        painter = QPainter()
        if not painter.begin(gen):
            raise OSError("could not start drawing the SVG")
        try:
            _render(scene, painter, rect.width(), rect.height())
        finally:
            painter.end()
        data = bytes(buffer_bytes(buf))
    finally:
        scene.close()
    # The texts were made safe before drawing; this is the backstop for anything
    # else that reaches the XML (a theme's font name, Qt's own output).
    return for_document(data.decode("utf-8", errors="replace")).encode("utf-8")


def render_svg(
    source: Document | WardleyMap, path: str | Path, theme: Any = None, *, replace_read_only: bool = False
) -> Path:
    """Write the map as SVG at ``path``; ``theme`` overrides the map's style.
    Raises WriteError/ExportError naming the file; never leaves a partial file."""
    return write_export(path, svg_bytes(source, theme), "svg", replace_read_only=replace_read_only)


def _fit(scene: Any, width: int, height: int) -> Any:
    """Scene to pixels as ``QGraphicsScene.render`` maps the scene rect into
    ``width`` x ``height`` with the aspect ratio kept: the same operations in the
    same order, so the doubles (and the pixels) are the same."""
    from PySide6.QtGui import QTransform

    source = scene.sceneRect()
    ratio = min(width / source.width(), height / source.height())
    return QTransform().scale(ratio, ratio).translate(-source.left(), -source.top())


def _draw(scene: Any, image: Any) -> None:
    """Draw the scene into ``image`` (an opaque QImage filled with the background),
    in one piece: with the transform ``render`` of the whole scene would use
    (``_fit``), clipped to the image, the items whose boxes reach it. Pixel for pixel
    what ``_render`` draws (the first PNG export's way).

    One piece, not bands: session 6 drew bands and compressed each on a second thread
    while the next was drawn, to hide zlib's ~160 ms; a wide line crossing a seam then
    came out up to 4 levels off. With isal the whole image compresses in ~40 ms, and
    bands saved no more than the copies and the drawing twice at the seams cost
    (PySide holds the GIL while Qt draws: only the deflate itself ran beside it).
    """
    from PySide6.QtCore import QRect, QRectF, Qt
    from PySide6.QtGui import QPainter

    w, h = image.width(), image.height()
    fit = _fit(scene, w, h)
    back, _ = fit.inverted()
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # No fillRect of the whole image first (as ``_render`` does): the image was
        # filled with the background colour and ``render`` paints the scene's
        # background brush over it.
        area = back.mapRect(QRectF(0, 0, w, h)).adjusted(-DRAW_MARGIN, -DRAW_MARGIN, DRAW_MARGIN, DRAW_MARGIN)
        painter.setClipRect(QRect(0, 0, w, h))
        painter.setWorldTransform(fit)
        # Source = target: Qt's own mapping is then exactly the identity, and the
        # world transform above is the one a whole-scene render would use.
        scene.render(painter, area, area, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()


def _blank_image(scene: Any, scale: float) -> Any:
    from PySide6.QtGui import QImage

    rect = scene.sceneRect()
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale {scale!r}: expected more than 0 and at most {MAX_SCALE}")
    w, h = max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale))
    # Opaque (the page has a background): no alpha channel to compress and write.
    image = QImage(w, h, QImage.Format.Format_RGB32)
    if image.isNull():
        raise ValueError(f"a {w} x {h} pixel image is too large to make; use a smaller scale")
    image.fill(scene.backgroundBrush().color())
    return image


def map_image(source: Document | WardleyMap, scale: float = 2.0, theme: Any = None) -> Any:
    """The map drawn into a QImage, ``scale`` pixels per scene unit, as the PNG export
    draws it (Copy Map as Image uses it without encoding and decoding a PNG)."""
    with _gc_paused():
        scene = _scene(source, theme)
        try:
            image = _blank_image(scene, scale)
            _draw(scene, image)
        finally:
            scene.close()
            del scene  # gone before collections resume: they need not look at its items
    return image


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a scene is built and drawn. Its ~3,000 items
    and their texts (at 1,000 components) are container objects whose allocation set
    off ~30 collections an export, ~18 ms walking the heap (cache misses, not work:
    0.5% of the instructions) for nothing: the scene holds no cycle, and is freed by
    its reference count when dropped (``map_image`` drops it before collections
    resume). Whoever had collections off keeps them off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def png_bytes(source: Document | WardleyMap, scale: float = 2.0, theme: Any = None) -> bytes:
    """The map as PNG, ``scale`` pixels per scene unit, encoded in memory."""
    return encode_png(map_image(source, scale, theme))


class PngWriter:
    """An opaque image as an 8-bit RGB PNG (the chunks Qt writes: IHDR, pHYs, IDAT,
    IEND), given its rows in one piece or a band at a time, top to bottom (``add``),
    then ``finish``.

    Not QImage.save: libpng tries every row filter on every row, which at 1,000
    components and scale 2 (4.3 million pixels) cost as long as the compression itself.
    Rows go unfiltered (a map is mostly flat colour, which deflate packs as well
    without) into one zlib stream: isal's (``ISAL_LEVEL``) where the package is
    installed, else zlib's fastest level; ``level`` asks for zlib at that level.
    """

    def __init__(self, width: int, height: int, dpm_x: int = 0, dpm_y: int = 0, level: int | None = None) -> None:
        self.width, self.height = width, height
        self._dpm = (max(0, dpm_x), max(0, dpm_y))
        if level is None and _isal is not None:
            self._zlib: Any = _isal.compressobj(ISAL_LEVEL)
        else:
            self._zlib = zlib.compressobj(PNG_LEVEL if level is None else level)
        self._parts: list[bytes] = []
        self._rows = 0

    def add(self, band: Any) -> None:
        """The next rows: an opaque QImage as wide as the PNG."""
        from PySide6.QtGui import QImage

        if band.width() != self.width or self._rows + band.height() > self.height:
            raise ValueError(f"a {band.width()} x {band.height()} band does not fit a {self.width} x {self.height} PNG")
        rgb = band.convertToFormat(QImage.Format.Format_RGB888)
        n, stride = rgb.height(), rgb.bytesPerLine()
        pixels = memoryview(rgb.constBits()).cast("B")
        row = 3 * self.width
        rows = bytearray((row + 1) * n)  # each row: filter type 0 (none), then its pixels
        for y in range(n):
            start = y * (row + 1) + 1
            rows[start : start + row] = pixels[y * stride : y * stride + row]
        self._parts.append(self._zlib.compress(rows))
        self._rows += n

    def finish(self) -> bytes:
        if self._rows != self.height:
            raise ValueError(f"the PNG has {self._rows} of its {self.height} rows")
        self._parts.append(self._zlib.flush())
        parts = [b"\x89PNG\r\n\x1a\n"]

        def chunk(tag: bytes, *payload: bytes) -> None:
            # The pieces are joined once, at the end: the compressed image (~3.5 MB
            # at 1,000 components) is not copied into a chunk and then again.
            crc = zlib.crc32(tag)
            for piece in payload:
                crc = zlib.crc32(piece, crc)
            parts.extend((struct.pack(">I", sum(map(len, payload))), tag, *payload, struct.pack(">I", crc & 0xFFFFFFFF)))

        chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0))
        chunk(b"pHYs", struct.pack(">IIB", *self._dpm, 1))
        chunk(b"IDAT", *self._parts)
        chunk(b"IEND")
        return b"".join(parts)


def encode_png(image: Any, level: int | None = None) -> bytes:
    """An opaque QImage as an 8-bit RGB PNG (see ``PngWriter``)."""
    png = PngWriter(image.width(), image.height(), image.dotsPerMeterX(), image.dotsPerMeterY(), level)
    png.add(image)
    return png.finish()


def render_png(
    source: Document | WardleyMap, path: str | Path, scale: float = 2.0, theme: Any = None, *,
    replace_read_only: bool = False,
) -> Path:
    """Write the map as PNG at ``path``, ``scale`` pixels per scene unit (2 = crisp
    on high-density screens and in print). Raises WriteError/ExportError naming the
    file; never leaves a partial file."""
    try:
        data = png_bytes(source, scale, theme)
    except OSError as exc:
        raise ExportError(path, f"not written: {exc}") from None
    return write_export(path, data, "png", replace_read_only=replace_read_only)
