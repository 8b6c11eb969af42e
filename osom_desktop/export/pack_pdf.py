"""The governance pack as PDF: the same content as the HTML, laid out by Qt.

Per service: the cover (portrait) with the contents, the map alone on a landscape
page drawn as vector by the canvas's own MapScene, then the text sections
(QTextDocument, paginated by us so every page carries the service name and "page n of
m"). Text stays text, fonts are embedded by QPdfWriter (checked with ``pdffonts`` in
the tests).

Short when there is little to say: a section with nothing recorded is one line under
its heading and starts no page of its own (a new service's pack was 7 pages, most of
them half empty), and a map with no components is such a line, not a landscape page.
The contents give each section's page, read from the laid-out text (``_contents``),
so they match the pages the reader turns to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from osom_desktop.export.output import ExportError, buffer_bytes, qt_buffer, write_export
from osom_desktop.export.pack import CONTRACT_HEADINGS, Pack, ServiceSection
from osom_desktop.export.pack_fitness import chart_pages, draw_svg, fitness_charts
from osom_desktop.export.pack_html import environment
from osom_desktop.export.pack_svg import (
    LEGEND,
    changes_svg,
    legend_symbol_svg,
    neighbourhood_svg,
)
from osom_desktop.model.text_safety import for_document

DPI = 300
MM = DPI / 25.4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 16 * MM, 20 * MM, 18 * MM
FONT_FAMILY = "DejaVu Sans"  # fonts-dejavu-core: on every Debian machine with fontconfig
BODY_PT = 10


def pack_font(point_size: float, bold: bool = False) -> Any:
    """DejaVu Sans without ligatures: a "fi" ligature glyph makes "Notifications"
    unsearchable in the PDF (pdftotext reads it as U+FB01)."""
    from PySide6.QtGui import QFont

    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@dataclass
class _Laid:
    """One service's text documents, laid out, and its page count."""

    section: ServiceSection
    cover: Any
    body: Any
    pages: int
    charts: list[list[str]] = field(default_factory=list)  # fitness charts (SVG), page by page
    map_page: bool = True  # the landscape page of the map (none when it has no components)


def map_has_page(s: ServiceSection) -> bool:
    """A map with no components is one line in the text, not a page saying so."""
    return bool(s.doc.map.components)


def body_headings(doc: Any) -> list[tuple[str, int]]:
    """Each section heading (``<h2>``) of a laid-out text and the page it is drawn on
    (0 = the text's first page), where a reader finds it."""
    layout, page_h = doc.documentLayout(), doc.pageSize().height()
    doc.pageCount()  # lays it out
    found = []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            found.append((" ".join(block.text().split()), int(_first_line_top(layout, block) // page_h)))
        block = block.next()
    return found


def _contents(s: ServiceSection, first: int, body: Any, charts: int, map_page: bool) -> list[tuple[str, str, int]]:
    """(section, count note, page) for the cover's contents, ``first`` being the page
    the text after the cover starts on (the map's page, else the body's)."""
    counts = {"Rejected guidance": len(s.rejected), "Findings": len(s.findings), "Assessments": len(s.assessments)}
    entries = [("The Wardley map", "", first)] if map_page else []
    start = first + (1 if map_page else 0)
    for title, page in body_headings(body):
        note = f"({counts[title]})" if title in counts else ""
        entries.append((title, note, start + page))
    if charts:
        entries.append(("Measures over time", "", start + body.pageCount()))
    return entries


def _svg_image(svg: str, width_px: int) -> Any:
    """A small drawing of ours (neighbourhood, change strips) as an image resource."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    h = max(1, round(width_px * size.height() / max(1, size.width())))
    image = QImage(width_px, h, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(p, QRectF(0, 0, width_px, h))
    p.end()
    return image


def _text_document(html: str, writer: Any, width: float, height: float, resources: dict[str, Any] | None = None) -> Any:
    from PySide6.QtCore import QSizeF, QUrl
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    # Without this a QTextDocument drawn on a 300-dpi writer comes out tiny.
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(pack_font(BODY_PT))
    doc.setDefaultStyleSheet(
        "h1 { color: #1b1b1b; } h2 { color: #1d4f7c; font-size: 16pt; } h3 { font-size: 12pt; } "
        "th { text-align: left; } small { color: #555; }"
    )
    for name, image in (resources or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setPageSize(QSizeF(width, height))
    doc.setHtml(for_document(html))  # backstop: the pack's texts were made safe when built
    keep_headings_with_next(doc)
    return doc


def keep_headings_with_next(doc: Any) -> None:
    """No heading ends a page: one whose next block starts on the next page starts that
    page itself (QTextDocument ignores CSS ``page-break-after: avoid``; the pack had
    "Changes to the map since the last assessment" alone at the foot of a page)."""
    from PySide6.QtGui import QTextBlockFormat, QTextCursor

    page_h = doc.pageSize().height()
    layout = doc.documentLayout()
    for _ in range(doc.blockCount()):  # each break can push later headings: settle
        doc.pageCount()  # lays the document out
        block, moved = doc.begin(), False
        while block.isValid():
            after = block.next()
            fmt = block.blockFormat()
            already = bool(fmt.pageBreakPolicy() & QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            if fmt.headingLevel() and after.isValid() and not already:  # already: its text is taller than a page
                here = int(_first_line_top(layout, block) // page_h)
                if int(_first_line_top(layout, after) // page_h) > here:
                    brk = QTextBlockFormat()
                    brk.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(block).mergeBlockFormat(brk)
                    moved = True
                    break
            block = after
        if not moved:
            return


def _first_line_top(layout: Any, block: Any) -> float:
    """Where a block's first line is drawn: a line that would cross a page's foot is
    moved to the next page inside its block, so the block's own top can be a page early."""
    top = float(layout.blockBoundingRect(block).top())
    lines = block.layout()
    return top + lines.lineAt(0).y() if lines is not None and lines.lineCount() else top


def _header_footer(
    painter: Any, page_w: float, page_h: float, name: str, page: int, pages: int, footer: str, kind: str = "governance pack"
) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPen

    font = pack_font(8.5)
    name = " ".join(name.split())  # one line: a name with line breaks (Word's VT) overflowed the band
    painter.save()
    painter.setFont(font)
    painter.setPen(QPen(QColor("#444444")))
    flags = Qt.AlignmentFlag.AlignVCenter
    top = QRectF(MARGIN_X, 8 * MM, page_w - 2 * MARGIN_X, 6 * MM)
    painter.drawText(top, flags | Qt.AlignmentFlag.AlignLeft, f"{name} — {kind}")
    painter.drawText(top, flags | Qt.AlignmentFlag.AlignRight, f"page {page} of {pages}")
    painter.setPen(QPen(QColor("#1d4f7c"), 0.4 * MM))
    painter.drawLine(int(MARGIN_X), int(14.5 * MM), int(page_w - MARGIN_X), int(14.5 * MM))
    painter.setPen(QPen(QColor("#666666")))
    bottom = QRectF(MARGIN_X, page_h - 12 * MM, page_w - 2 * MARGIN_X, 6 * MM)
    painter.drawText(bottom, flags | Qt.AlignmentFlag.AlignLeft, footer)
    painter.drawText(bottom, flags | Qt.AlignmentFlag.AlignRight, f"{name} · page {page} of {pages}")
    painter.restore()


def _draw_pages(
    painter: Any, doc: Any, page_w: float, first: int, total: int, name: str, footer: str, writer: Any,
    kind: str = "governance pack",
) -> int:
    """Draw every page of ``doc`` (new pages between them); returns pages drawn."""
    from PySide6.QtCore import QRectF

    body_h = doc.pageSize().height()
    count = doc.pageCount()
    for i in range(count):
        if i:
            writer.newPage()
        _header_footer(painter, page_w, writer.height(), name, first + i, total, footer, kind)
        painter.save()
        painter.translate(MARGIN_X, MARGIN_TOP - i * body_h)
        clip = QRectF(0, i * body_h, doc.pageSize().width(), body_h)
        painter.setClipRect(clip)
        doc.drawContents(painter, clip)
        painter.restore()
    return count


def _draw_map_page(painter: Any, section: ServiceSection, page_w: float, page_h: float) -> None:
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QColor, QPainter, QPen
    from PySide6.QtSvg import QSvgRenderer

    from osom_desktop.export.image import _scene

    title_font = pack_font(15, bold=True)
    painter.save()
    painter.setFont(title_font)
    painter.setPen(QPen(QColor("#1d4f7c")))
    title = "The Wardley map"
    if section.doc.map.title and section.doc.map.title != section.name:
        title += f": {section.doc.map.title}"
    title = " ".join(title.split())  # one line: the band is one line high
    painter.drawText(QRectF(MARGIN_X, MARGIN_TOP - 4 * MM, page_w - 2 * MARGIN_X, 9 * MM),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    per_row = (len(LEGEND) + 1) // 2
    legend_h = 14 * MM
    area = QRectF(MARGIN_X, MARGIN_TOP + 7 * MM, page_w - 2 * MARGIN_X, page_h - MARGIN_TOP - 7 * MM - MARGIN_BOTTOM - legend_h)
    if not section.doc.map.components:
        painter.setFont(pack_font(BODY_PT))
        painter.setPen(QPen(QColor("#555555")))
        painter.drawText(area, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, "The map has no components yet.")
        painter.restore()
        return
    scene = _scene(section.doc.map, None)
    try:
        source = scene.sceneRect()
        scale = min(area.width() / source.width(), area.height() / source.height())
        w, h = source.width() * scale, source.height() * scale
        target = QRectF(area.x() + (area.width() - w) / 2, area.y(), w, h)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(target, scene.backgroundBrush())
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.setPen(QPen(QColor("#bbbbbb"), 0.2 * MM))
        painter.drawRect(target)
    finally:
        scene.close()
    # Legend: one row of symbols (vector, through QSvgRenderer) and labels.
    painter.setFont(pack_font(8))
    painter.setPen(QPen(QColor("#222222")))
    metrics_w = (page_w - 2 * MARGIN_X) / per_row
    sym_w, sym_h = 7 * MM, 5 * MM
    for i, (kind, label) in enumerate(LEGEND):
        x = MARGIN_X + (i % per_row) * metrics_w
        y = page_h - MARGIN_BOTTOM - legend_h + 1.5 * MM + (i // per_row) * 6.5 * MM
        QSvgRenderer(QByteArray(str(legend_symbol_svg(kind)).encode())).render(painter, QRectF(x, y, sym_w, sym_h))
        painter.drawText(QRectF(x + sym_w + 1 * MM, y - 2 * MM, metrics_w - sym_w - 1.5 * MM, sym_h + 4 * MM),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, label)
    painter.restore()


def write_pack_pdf(pack: Pack, path: str | os.PathLike[str], *, replace_read_only: bool = False) -> Path:
    """Write the pack as PDF: drawn in memory, checked complete (``%%EOF`` and every
    object where the cross-reference table says), then written atomically. Raises
    WriteError/ExportError (one line naming the file); never leaves a partial file."""
    out = Path(path)
    try:
        data = pack_pdf_bytes(pack)
    except OSError as exc:
        raise ExportError(out, f"not written: {exc}") from None
    return write_export(out, data, "pdf", replace_read_only=replace_read_only)


def _drawings(s: ServiceSection) -> dict[str, Any]:
    """The section's drawings (its neighbourhood, the map's moves) as images the body's
    HTML names."""
    resources: dict[str, Any] = {}
    if s.neighbours:
        resources["pack:neighbourhood"] = _svg_image(neighbourhood_svg(s.name, s.doc.service.lifecycle, s.neighbours), 1600)
    if s.changes and s.changes.moved:
        resources["pack:changes"] = _svg_image(changes_svg(s.changes), 1600)
    return resources


def pack_pdf_bytes(pack: Pack) -> memoryview:
    """The pack as PDF bytes. QPdfWriter reports no failed write, so it never gets a
    file: it draws into a buffer (see export.output)."""
    from osom_desktop.export.image import ensure_qt_app

    ensure_qt_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    buf = qt_buffer()
    writer = QPdfWriter(buf)
    writer.setResolution(DPI)
    writer.setTitle(for_document(pack.title))
    writer.setCreator("OSOM Desktop")
    portrait = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    landscape = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
    writer.setPageLayout(portrait)
    page_w, page_h = writer.width(), writer.height()
    body_w, body_h = page_w - 2 * MARGIN_X, page_h - MARGIN_TOP - MARGIN_BOTTOM
    # <img width> is in CSS pixels (96 per inch) even on a 300-dpi paint device.
    image_width = round(body_w * 0.8 * 96 / DPI)
    env = environment()
    laid: list[_Laid] = []
    first_page = 1
    for s in pack.services:
        map_page = map_has_page(s)
        body_html = env.get_template("pack_qt.html.j2").render(
            s=s, headings=CONTRACT_HEADINGS, num=_num, image_width=image_width, today=pack.generated_on,
            map_in_text=not map_page,
        )
        body = _text_document(body_html, writer, body_w, body_h, _drawings(s))
        charts = chart_pages(fitness_charts(s.doc, "c-"), body_w, body_h - 8 * MM, 4 * MM)
        # The contents' page numbers depend on how many pages the cover (holding them)
        # takes: lay it out until that count holds (once, unless the contents spill over).
        cover_pages, cover = 1, cast(Any, None)
        for _ in range(4):
            contents = _contents(s, first_page + cover_pages, body, len(charts), map_page)
            cover_html = env.get_template("cover_qt.html.j2").render(s=s, generated_on=pack.generated_on,
                                                                     contents=contents)
            cover = _text_document(cover_html, writer, body_w, body_h)
            if cover.pageCount() == cover_pages:
                break
            cover_pages = cover.pageCount()
        pages = cover.pageCount() + int(map_page) + body.pageCount() + len(charts)
        laid.append(_Laid(s, cover, body, pages, charts, map_page))
        first_page += pages
    total = sum(item.pages for item in laid)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("could not start drawing the PDF")
    try:
        page = 1
        for n, item in enumerate(laid):
            s = item.section
            footer = f"{s.source_name} · revision {s.revision.number if s.revision else 'unsaved'} · {s.short_fingerprint}"
            if n:
                writer.setPageLayout(portrait)
                writer.newPage()
            page += _draw_pages(painter, item.cover, page_w, page, total, s.name, footer, writer)
            if item.map_page:
                writer.setPageLayout(landscape)
                writer.newPage()
                lw, lh = writer.width(), writer.height()
                _header_footer(painter, lw, lh, s.name, page, total, footer)
                _draw_map_page(painter, s, lw, lh)
                page += 1
                writer.setPageLayout(portrait)
            writer.newPage()
            page += _draw_pages(painter, item.body, page_w, page, total, s.name, footer, writer)
            for page_charts in item.charts:  # vector: QSvgRenderer draws the chart's paths on the page
                writer.newPage()
                _header_footer(painter, page_w, page_h, s.name, page, total, footer)
                painter.setFont(pack_font(12, bold=True))
                painter.drawText(int(MARGIN_X), int(MARGIN_TOP + 5 * MM), "Measures over time")
                y = MARGIN_TOP + 8 * MM
                for svg in page_charts:
                    y += draw_svg(painter, svg, MARGIN_X, y, body_w) + 4 * MM
                page += 1
    finally:
        painter.end()
    del writer  # the writer finishes the file (trailer, %%EOF) when it goes
    buf.close()
    return buffer_bytes(buf)
