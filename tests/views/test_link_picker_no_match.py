"""L on the canvas with a name that matches no component: the picker says so and stays
open (it closed without a word and nothing was linked). Real keys, real window, real file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from osom_desktop.views.component_picker import ComponentPicker
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window

TEA = """title Tea Shop
component Cup of Tea [0.79, 0.61]
component Hot Water [0.52, 0.80]
component Kettle [0.43, 0.35]
Cup of Tea->Hot Water
"""


def _close(w: MainWindow) -> None:
    w.text._timer.stop()  # typing still waiting would make it unsaved again
    w.stack.setClean()
    w._force_modified = False
    w.close()
    w.deleteLater()


def _when_picker_opens(qtbot, then, tries: int = 250) -> None:
    """Run ``then(picker)`` once the picker is the active modal (closed if another is)."""
    dialog = QApplication.activeModalWidget()
    if dialog is None and tries:
        QTimer.singleShot(20, lambda: _when_picker_opens(qtbot, then, tries - 1))
        return
    if not isinstance(dialog, ComponentPicker):
        if dialog is not None:
            dialog.close()
        return
    # Whatever happens in ``then`` (an assert failing inside it), the picker goes: a
    # modal left open would hold the run for a minute.
    QTimer.singleShot(3000, dialog, dialog.close)
    then(dialog)


def test_a_name_matching_nothing_is_said_and_the_picker_stays_open(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        w.activateWindow()
        tea = w.document.map.component_by_name("Cup of Tea")
        kettle = w.document.map.component_by_name("Kettle")
        assert tea is not None and kettle is not None
        w.view.select_ids([tea.id])
        w.view.setFocus()
        qtbot.waitUntil(w.view.hasFocus)
        seen: dict[str, object] = {}

        def answer(picker: ComponentPicker) -> None:
            field = picker.findChild(QLineEdit, "pickerFilter")
            note = picker.findChild(QLabel, "pickerNoMatch")
            assert field is not None and note is not None
            qtbot.keyClicks(field, "Foo")
            # Said while typing, before Enter.
            seen["typing"] = note.text() if note.isVisible() else None
            qtbot.keyClick(field, Qt.Key.Key_Return)
            seen["open_after_enter"] = picker.isVisible()
            seen["after_enter"] = note.text() if note.isVisible() else None
            # Corrected: the message goes, Enter links.
            field.selectAll()
            qtbot.keyClicks(field, "kett")
            seen["corrected"] = note.isVisible()
            qtbot.keyClick(field, Qt.Key.Key_Return)

        QTimer.singleShot(50, lambda: _when_picker_opens(qtbot, answer))
        qtbot.keyClick(w.view, Qt.Key.Key_L)
        assert seen["typing"] is not None and "No component matches 'Foo'" in str(seen["typing"])
        assert seen["open_after_enter"] is True
        assert "No component matches 'Foo'" in str(seen["after_enter"]) and "Escape" in str(seen["after_enter"])
        assert seen["corrected"] is False
        assert any(lk.source == tea.id and lk.target == kettle.id for lk in w.document.map.links)
        assert "Cup of Tea now depends on Kettle" in w.statusBar().currentMessage()
    finally:
        _close(w)


def test_escape_after_a_name_matching_nothing_links_nothing(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        w.activateWindow()
        tea = w.document.map.component_by_name("Cup of Tea")
        assert tea is not None
        w.view.select_ids([tea.id])
        w.view.setFocus()
        qtbot.waitUntil(w.view.hasFocus)
        links = list(w.document.map.links)
        open_after_enter: list[bool] = []

        def answer(picker: ComponentPicker) -> None:
            field = picker.findChild(QLineEdit, "pickerFilter")
            assert field is not None
            qtbot.keyClicks(field, "Foo")
            qtbot.keyClick(field, Qt.Key.Key_Return)
            open_after_enter.append(picker.isVisible())
            qtbot.keyClick(field, Qt.Key.Key_Escape)

        QTimer.singleShot(50, lambda: _when_picker_opens(qtbot, answer))
        qtbot.keyClick(w.view, Qt.Key.Key_L)
        assert open_after_enter == [True]  # Enter on "Foo" did not close it ...
        assert w.document.map.links == links and w.stack.count() == 0  # ... Escape did, linking nothing
    finally:
        _close(w)


def test_l_with_nothing_else_on_the_map_says_why_nothing_happens(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Solo", "title Solo\ncomponent Kettle [0.43, 0.35]\n")
    try:
        w.activateWindow()
        kettle = w.document.map.component_by_name("Kettle")
        assert kettle is not None
        w.view.select_ids([kettle.id])
        w.view.setFocus()
        qtbot.waitUntil(w.view.hasFocus)
        qtbot.keyClick(w.view, Qt.Key.Key_L)
        assert "Nothing to link Kettle to" in w.statusBar().currentMessage()
    finally:
        _close(w)
