"""After an export the window says so with Open / Show in Folder buttons (issue 14,
"desktop manners"; a person-like tester): the small links at the status bar's far end
were missed, and opening a file no program is set up for failed without a word. The
notice does not block (no modal dialog, the focus stays on the map); a failure to open
is a dialog, as every export failure is (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QFrame, QPushButton

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path = tmp_path / "service" / "notifications.osom"
    path.parent.mkdir()
    save_document(sample_document(), path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()


def export_png(window: MainWindow, monkeypatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.act_export_png.trigger()
    assert target.stat().st_size > 0


def notices(window: MainWindow) -> list[QFrame]:
    return [f for f in window.findChildren(QFrame, "exportNotice") if f.isVisible()]


def button(notice: QFrame, text: str) -> QPushButton:
    found = [b for b in notice.findChildren(QPushButton) if b.text().replace("&", "") == text]
    assert found, [b.text() for b in notice.findChildren(QPushButton)]
    return found[0]


def test_an_export_shows_a_notice_with_open_and_show_in_folder(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    window.view.setFocus()
    out = tmp_path / "Exports" / "map.png"
    out.parent.mkdir()
    export_png(window, monkeypatch, out)
    shown = notices(window)
    assert len(shown) == 1
    notice = shown[0]
    assert QApplication.activeModalWidget() is None  # nothing to dismiss before going on
    assert window.view.hasFocus()  # typing still goes to the map
    assert "map.png" in " ".join(lbl.text() for lbl in notice.findChildren(type(window._coords)))
    # Over the map's bottom-right corner, inside the window.
    view_box = window.view.geometry()
    corner = notice.geometry().bottomRight()
    assert view_box.contains(corner) and view_box.bottomRight().x() - corner.x() < 40
    qtbot.mouseClick(button(notice, "Show in Folder"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(notice, "Open"), Qt.MouseButton.LeftButton)
    assert opened == [str(out.parent.resolve()), str(out.resolve())]
    assert not notice.isVisible()  # opened: its job is done

    export_png(window, monkeypatch, tmp_path / "Exports" / "again.png")
    export_png(window, monkeypatch, tmp_path / "Exports" / "third.png")
    shown = notices(window)
    assert len(shown) == 1  # the newest replaces the last, never a pile
    qtbot.mouseClick(shown[0].findChild(QPushButton, "closeNotice"), Qt.MouseButton.LeftButton)
    assert notices(window) == []


def test_a_file_no_program_opens_is_said_in_a_dialog(qtbot, window: MainWindow, monkeypatch, tmp_path, answer_dialog) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    export_png(window, monkeypatch, tmp_path / "map.png")
    notice = notices(window)[0]
    seen = answer_dialog("OK")
    qtbot.mouseClick(button(notice, "Open"), Qt.MouseButton.LeftButton)
    assert seen and "map.png" in seen[0] and "could not be opened" in seen[0]


def test_the_notice_follows_the_window_and_the_keyboard_reaches_it(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    export_png(window, monkeypatch, tmp_path / "map.png")
    notice = notices(window)[0]
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.view.geometry().contains(notice.geometry().bottomRight()), timeout=2000)
    assert window.view.geometry().right() - notice.geometry().right() < 40
    # Escape in the notice closes it, and the map has the keyboard back.
    button(notice, "Open").setFocus()
    qtbot.keyClick(button(notice, "Open"), Qt.Key.Key_Escape)
    assert not notice.isVisible()
    assert window.view.hasFocus()


def test_a_print_that_cannot_start_is_said_in_a_dialog(qtbot, window: MainWindow, monkeypatch, tmp_path, answer_dialog) -> None:
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    missing = tmp_path / "no such folder" / "map.pdf"

    def person_picks_a_pdf_in_a_missing_folder(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(missing))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", person_picks_a_pdf_in_a_missing_folder)
    seen = answer_dialog("OK")
    window.act_print.trigger()
    assert seen and seen[0].startswith("Not printed") and "map.pdf" in seen[0]


def test_escape_on_the_map_closes_the_notice_and_then_is_the_maps_again(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    # The notice never takes the keyboard: Escape pressed with the map focused must reach it.
    export_png(window, monkeypatch, tmp_path / "map.png")
    notice = notices(window)[0]
    window.view.setFocus()
    window.view.select_ids([window.document.map.components[0].id])
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not notice.isVisible()
    assert window.view.scene().selectedItems()  # the first Escape was the notice's
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.view.scene().selectedItems()  # the next one the map's: selection cleared
