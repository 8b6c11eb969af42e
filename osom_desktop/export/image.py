"""Headless SVG and PNG export of a Wardley map.

Both draw the very MapScene the canvas shows, so an export looks like the screen.
They run with no display (``osom`` on a server, CI): ``ensure_qt_app`` starts an
offscreen Qt application when none exists. SVG text stays text (``<text>`` elements
holding the names), so a pack reader can search and copy it and screen readers and
``grep`` can find component names.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from osom_desktop.export.output import ExportError, buffer_bytes, qt_buffer, write_export
from osom_desktop.model.document import Document
from osom_desktop.model.text_safety import for_document, scrubbed
from osom_desktop.model.wardley import WardleyMap

_APP: Any = None  # the application we created, kept alive for the process
# zlib's fastest level: a map's large flat areas come out about as small as at the
# default level, in a fraction of the time (see encode_png).
PNG_LEVEL = 1
# Above this many bytes of pixels, the two halves of the image are compressed at
# once on two threads (zlib lets go of the GIL while it works).
PNG_SPLIT_BYTES = 2_000_000
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


def map_image(source: Document | WardleyMap, scale: float = 2.0, theme: Any = None) -> Any:
    """The map drawn into a QImage, ``scale`` pixels per scene unit, as the PNG export
    draws it (Copy Map as Image uses it without encoding and decoding a PNG)."""
    from PySide6.QtGui import QImage, QPainter

    scene = _scene(source, theme)
    try:
        rect = scene.sceneRect()
        if not 0 < scale <= MAX_SCALE:
            raise ValueError(f"scale {scale!r}: expected more than 0 and at most {MAX_SCALE}")
        w, h = max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale))
        # Opaque (the page has a background): no alpha channel to compress and write.
        image = QImage(w, h, QImage.Format.Format_RGB32)
        if image.isNull():
            raise ValueError(f"a {w} x {h} pixel image is too large to make; use a smaller scale")
        image.fill(scene.backgroundBrush().color())
        painter = QPainter(image)
        try:
            _render(scene, painter, w, h)
        finally:
            painter.end()
        return image
    finally:
        scene.close()


def png_bytes(source: Document | WardleyMap, scale: float = 2.0, theme: Any = None) -> bytes:
    """The map as PNG, ``scale`` pixels per scene unit, encoded in memory."""
    return encode_png(map_image(source, scale, theme))


def encode_png(image: Any, level: int = PNG_LEVEL) -> bytes:
    """An opaque QImage as an 8-bit RGB PNG (the chunks Qt writes: IHDR, pHYs, IDAT, IEND).

    Not QImage.save: libpng tries every row filter on every row, which at 1,000
    components and scale 2 (4.3 million pixels) cost as long as the compression itself.
    Rows go unfiltered (a map is mostly flat colour, which zlib packs as well without),
    and a large image is compressed in two halves at once, joined as one zlib stream
    (each half ends on a byte boundary: a sync flush, as pigz does).
    """
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    pixels = memoryview(rgb.constBits()).cast("B")
    row = 3 * w
    rows = bytearray((row + 1) * h)  # each row: filter type 0 (none), then its pixels
    for y in range(h):
        start = y * (row + 1) + 1
        rows[start : start + row] = pixels[y * stride : y * stride + row]
    data = memoryview(rows)
    halves = [data] if len(rows) < PNG_SPLIT_BYTES or (os.cpu_count() or 1) < 2 else \
        [data[: (h // 2) * (row + 1)], data[(h // 2) * (row + 1) :]]

    def deflate(part: memoryview, last: bool) -> bytes:
        c = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate: the header is ours
        return c.compress(part) + c.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)

    if len(halves) == 1:
        body = deflate(data, True)
        adler = zlib.adler32(data)
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = pool.submit(deflate, halves[0], False)
            second = pool.submit(deflate, halves[1], True)
            adler = zlib.adler32(data)  # meanwhile
            body = first.result() + second.result()
    # zlib header (deflate, 32K window, fastest) + the deflate blocks + Adler-32.
    stream = b"\x78\x01" + body + struct.pack(">I", adler & 0xFFFFFFFF)

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF)

    dpm_x, dpm_y = max(0, image.dotsPerMeterX()), max(0, image.dotsPerMeterY())
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", dpm_x, dpm_y, 1)),
        chunk(b"IDAT", stream),
        chunk(b"IEND", b""),
    ))


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
