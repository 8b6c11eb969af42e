"""One assessment report on its own, as HTML or PDF (OSOM publishes each report to the
whole network after the assessment).

The same report body the governance pack shows (templates ``report_body*.html.j2``),
from the same scrubbed ``ServiceSection``; written atomically and checked like the pack.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from markupsafe import Markup

from osom_desktop.export.output import ExportError, buffer_bytes, qt_buffer, write_export
from osom_desktop.export.pack import ServiceSection, build_section
from osom_desktop.export.pack_html import TEMPLATES, _para, environment
from osom_desktop.model.service import Assessment, ServiceDocument
from osom_desktop.model.text_safety import for_document


def _section_and_report(doc: ServiceDocument, assessment_id: str, source_path: str | os.PathLike[str] | None,
                        today: dt.date) -> tuple[ServiceSection, Assessment]:
    section = build_section(doc, source_path=source_path, today=today)
    found = next((a for a in section.assessments if a.id == assessment_id), None)
    if found is None:
        raise ExportError(Path(str(source_path or "(not saved)")), f"no assessment with the id {assessment_id!r}")
    return section, found


def render_report_html(doc: ServiceDocument, assessment_id: str, *, source_path: str | os.PathLike[str] | None = None,
                       today: dt.date | None = None) -> str:
    today = dt.date.today() if today is None else today
    s, a = _section_and_report(doc, assessment_id, source_path, today)
    html = environment().get_template("assessment_report.html.j2").render(
        s=s, a=a, para=_para, generated_on=today, css=Markup((TEMPLATES / "pack.css").read_text(encoding="utf-8")),
    )
    return for_document(html)


def write_report_html(doc: ServiceDocument, assessment_id: str, path: str | os.PathLike[str], *,
                      source_path: str | os.PathLike[str] | None = None, today: dt.date | None = None) -> Path:
    return write_export(path, render_report_html(doc, assessment_id, source_path=source_path, today=today).encode("utf-8"), "html")


def report_pdf_bytes(doc: ServiceDocument, assessment_id: str, *, source_path: str | os.PathLike[str] | None = None,
                     today: dt.date | None = None) -> memoryview:
    from osom_desktop.export.image import ensure_qt_app
    from osom_desktop.export.pack_pdf import DPI, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, _draw_pages, _text_document

    ensure_qt_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    today = dt.date.today() if today is None else today
    s, a = _section_and_report(doc, assessment_id, source_path, today)
    html = (f"<h1>{Markup.escape(s.name)}</h1><p>Service assessment report, made {today.isoformat()} "
            f"from {Markup.escape(s.source_name)}.</p>")
    html += environment().get_template("report_body_qt.html.j2").render(s=s, a=a)
    buf = qt_buffer()
    writer = QPdfWriter(buf)
    writer.setResolution(DPI)
    writer.setTitle(for_document(f"{s.name} — assessment report {a.date.isoformat()}"))
    writer.setCreator("OSOM Desktop")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    page_w, page_h = writer.width(), writer.height()
    body = _text_document(html, writer, page_w - 2 * MARGIN_X, page_h - MARGIN_TOP - MARGIN_BOTTOM)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("could not start drawing the PDF")
    try:
        footer = f"{s.source_name} · revision {s.revision.number if s.revision else 'unsaved'} · {s.short_fingerprint}"
        _draw_pages(painter, body, page_w, 1, body.pageCount(), s.name, footer, writer, "assessment report")
    finally:
        painter.end()
    del writer
    buf.close()
    return buffer_bytes(buf)


def write_report_pdf(doc: ServiceDocument, assessment_id: str, path: str | os.PathLike[str], *,
                     source_path: str | os.PathLike[str] | None = None, today: dt.date | None = None) -> Path:
    out = Path(path)
    try:
        data = report_pdf_bytes(doc, assessment_id, source_path=source_path, today=today)
    except OSError as exc:
        raise ExportError(out, f"not written: {exc}") from None
    return write_export(out, data, "pdf")
