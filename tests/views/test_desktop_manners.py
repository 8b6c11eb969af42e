"""Desktop manners (issue 14 item 8): remembered export folders with "open it now",
the guidance catalogue remembered between sessions, Copy Map as Image and Print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QFrame

from osom_desktop.guidance import EXAMPLE_CATALOGUE, load_catalogue
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.map_output import print_to


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path = tmp_path / "service" / "notifications.osom"
    path.parent.mkdir()
    save_document(sample_document(), path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()


def test_export_dialogs_open_where_the_last_export_went_and_offer_to_open_it(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    exports = tmp_path / "Exports"
    exports.mkdir()
    starts: list[str] = []
    answers = iter([str(exports / "first.png"), ""])

    def save_file_name(parent, title, start, filters):
        starts.append(start)
        return next(answers), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file_name))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))

    window.act_export_png.trigger()
    assert (exports / "first.png").stat().st_size > 0
    assert Path(starts[0]).parent == window.path.parent  # the first time: beside the service
    # The window's notice offers the file and its folder (tests/views/test_export_notice).
    offer = window.findChild(QFrame, "exportNotice")
    assert offer is not None and offer.isVisible()
    offer.folder_button.click()
    assert opened == [str(exports)]

    window.act_export_png.trigger()  # the second time: where the first went
    assert Path(starts[1]).parent == exports and Path(starts[1]).name == "notifications.png"

    # Remembered for the next window (and the next session: the same settings).
    other = MainWindow()
    qtbot.addWidget(other)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file_name))
    answers = iter([""])
    other.act_export_svg.trigger()
    assert Path(starts[2]).parent == exports
    other.close()


def test_the_guidance_catalogue_is_loaded_again_in_the_next_window(qtbot, window: MainWindow, tmp_path: Path) -> None:
    catalogue = tmp_path / "guidance.toml"
    shutil.copy(EXAMPLE_CATALOGUE, catalogue)
    assert window.guidance.load_catalogue_file(catalogue)
    count = len(load_catalogue(catalogue).items)

    later = MainWindow()  # a new window, as at the next start
    qtbot.addWidget(later)
    qtbot.waitUntil(lambda: later.guidance.items.topLevelItemCount() == count, timeout=3000)
    assert later.guidance.catalogue_source == catalogue.resolve()
    later.close()

    catalogue.unlink()  # the file has gone (a drive not mounted, a renamed folder)
    gone = MainWindow()
    qtbot.addWidget(gone)
    qtbot.waitUntil(lambda: gone.guidance.load_error.text() != "", timeout=3000)
    message = gone.guidance.load_error.text()
    assert "no longer at" in message and str(catalogue.resolve()) in message and "\n" not in message
    assert gone.guidance.items.topLevelItemCount() == 0
    gone.close()


def test_copy_map_as_image_puts_the_exported_picture_on_the_clipboard(qtbot, window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    window.act_copy_image.trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() > 1000  # the PNG export's 2x scale
    from osom_desktop.export.image import png_bytes

    exported = QImage.fromData(png_bytes(window.document), "PNG")
    assert (image.width(), image.height()) == (exported.width(), exported.height())
    assert "Copied the map as an image" in window.statusBar().currentMessage()
    assert window.act_copy_image in window.menuBar().actions()[1].menu().actions()  # in the Edit menu


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_print_to_a_pdf_printer_prints_the_components_names(qtbot, window: MainWindow, tmp_path: Path) -> None:
    pdf = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    assert print_to(printer, window.document)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    named = [c.name for c in window.document.map.components if c.visibility is not None]
    assert named and all(name in flat for name in named), (named, flat[:500])
    assert window.act_print in window.menuBar().actions()[0].menu().actions()  # File > Print


def test_the_map_stays_drawn_behind_a_modal_dialog(qtbot, window: MainWindow) -> None:
    """Issue 14 saw the canvas blank behind modal dialogs. Not reproduced under Xvfb and
    openbox (find, link-to picker, About, open file, provider question, contract reason,
    record assessment, unsaved changes); this keeps it so: while a modal question is up,
    the canvas still paints the map's components."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    window.resize(1280, 800)
    qtbot.wait(100)
    compute = window.document.map.component_by_name("Compute")
    at = window.view.mapFromScene(window.scene.component_point(compute.id))
    before = window.view.viewport().grab().toImage()
    grabbed: list[QImage] = []

    def during() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, during)
            return
        window.view.viewport().repaint()
        grabbed.append(window.view.viewport().grab().toImage())
        box.reject()

    QTimer.singleShot(20, during)
    QMessageBox.question(window, "A question", "Is the map still there?")
    assert grabbed
    ring = [(at.x() + dx, at.y() + dy) for dx in range(-6, 7) for dy in range(-6, 7)]
    dark_before = sum(before.pixelColor(x, y).valueF() < 0.4 for x, y in ring)
    dark_during = sum(grabbed[0].pixelColor(x, y).valueF() < 0.4 for x, y in ring)
    assert dark_before > 10 and dark_during == dark_before  # Compute's dark circle, both times


def test_dark_theme_darkens_the_docks_and_menus_too(qtbot, window: MainWindow) -> None:
    """Where the platform ignores the colour scheme (X11 without a desktop's theme
    plugin, offscreen) the map went dark and the rest of the window stayed light."""
    from PySide6.QtGui import QGuiApplication, QPalette

    def lightness(widget) -> float:
        return widget.palette().color(QPalette.ColorRole.Base).lightnessF()

    try:
        assert lightness(window.text.editor) > 0.8
        window._theme_actions["dark"].trigger()
        assert window.scene.theme.name == "dark"
        qtbot.waitUntil(lambda: lightness(window.text.editor) < 0.3, timeout=2000)
        assert window.menuBar().palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
        window._theme_actions["light"].trigger()
        qtbot.waitUntil(lambda: lightness(window.text.editor) > 0.8, timeout=2000)
    finally:
        window.set_theme_choice("system")
        QGuiApplication.styleHints().unsetColorScheme()
