"""The map onto the clipboard and onto paper, drawn as the exports draw it.

Edit > Copy Map as Image puts the PNG export's picture on the clipboard (for a slide
or an email, without a file in between); File > Print prints it, fitted to the page
in landscape. Both draw the map as exported (the map's own style, no selection, no
screen-only label boost), not a grab of the canvas.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPainter
from PySide6.QtWidgets import QDialog, QWidget

from osom_desktop.model.document import Document

COPY_SCALE = 2.0  # as the PNG export: crisp on high-density screens and projectors


def copy_map_image(document: Document) -> QImage:
    """Put the map on the clipboard as an image. Returns the image."""
    from osom_desktop.export.image import map_image

    # The PNG export's picture itself: no PNG encoded only to be decoded again.
    image: QImage = map_image(document, COPY_SCALE)
    # setImage, not a QMimeData made here: one made in Python and handed to the
    # clipboard crashed the process at exit (PySide6 6.11, offscreen).
    QGuiApplication.clipboard().setImage(image)
    return image


def print_to(printer, document: Document) -> bool:
    """Draw the map on ``printer``'s page (one page, fitted, landscape). False if the
    printer could not be started (no such printer, a PDF that cannot be written)."""
    from osom_desktop.export.image import paint_map

    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        area = QRectF(0, 0, page.width(), page.height())
        paint_map(document, painter, area.width(), area.height())
    finally:
        painter.end()
    return True


def print_dialog(parent: QWidget, document: Document, name: str) -> str | None:
    """Ask which printer (or PDF) and print. A message for the status bar, or None
    when the person cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

    from osom_desktop.views.export_guard import export_start, remember_export

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)  # maps are wide
    printer.setDocName(name)
    if not QPrinterInfo.availablePrinterNames():
        # Only "Print to File (PDF)": offer the folder the exports went to, as the export
        # dialogs do (it offered the home folder). Not with real printers: a file name
        # makes Qt's dialog pick the PDF entry instead of the default printer.
        printer.setOutputFileName(export_start("print", f"{name}.pdf"))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print map")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if not print_to(printer, document):
        target = printer.outputFileName() or printer.printerName() or "the printer"
        return f"Not printed — could not start {Path(target).name if printer.outputFileName() else target}"
    if printer.outputFileName():
        remember_export("print", Path(printer.outputFileName()))
    return f"Sent {name} to {printer.printerName() or printer.outputFileName()}"
