"""Ctrl+Z and Ctrl+Y in the inspector's fields walk the document's one undo history.

Found by tester T4 driving the real window: a component renamed in the inspector, Tab
to Description, Ctrl+Z there did nothing (the focused field took the key and had
nothing of its own to undo). Driven here with real mouse and keys on a real window
over a real service file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import close_discarding, open_map_window, scene_point

CTRL = Qt.KeyboardModifier.ControlModifier

TEA = """title Tea Shop
component Cup of Tea [0.79, 0.61]
component Kettle [0.43, 0.35]
Cup of Tea->Kettle
"""


def _kettle_named_in_the_inspector(qtbot, w: MainWindow):  # noqa: ANN202 - the Inspector
    """Kettle clicked on the map, the Inspector shown (Ctrl+Shift+I), its Name focused."""
    w.activateWindow()
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(w, 0.43, 0.35))
    inspector = w.inspector
    qtbot.keyClick(w, Qt.Key.Key_I, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: inspector.isVisible() and inspector.name.text() == "Kettle")
    inspector.name.setFocus()
    qtbot.waitUntil(inspector.name.hasFocus)
    return inspector


def _names(w: MainWindow) -> set[str]:
    return {c.name for c in w.document.map.components}


def test_ctrl_z_in_description_undoes_the_rename_just_made(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        inspector = _kettle_named_in_the_inspector(qtbot, w)
        inspector.name.selectAll()
        qtbot.keyClicks(inspector.name, "Boiler")
        qtbot.keyClick(inspector.name, Qt.Key.Key_Tab)
        assert "Boiler" in _names(w)
        assert inspector.description.hasFocus()

        qtbot.keyClick(inspector.description, Qt.Key.Key_Z, CTRL)
        assert "Kettle" in _names(w) and "Boiler" not in _names(w)
        assert inspector.name.text() == "Kettle"

        qtbot.keyClick(inspector.description, Qt.Key.Key_Y, CTRL)
        assert "Boiler" in _names(w)

        # Typing in Description is committed as it goes: Ctrl+Z there is the
        # document's, and Redo stays for what it took away.
        qtbot.keyClicks(inspector.description, "x")
        assert w.document.map.component_by_name("Boiler").description == "x"
        qtbot.keyClick(inspector.description, Qt.Key.Key_Z, CTRL)
        assert w.document.map.component_by_name("Boiler").description == ""
        assert w.stack.canRedo()
    finally:
        close_discarding(w)


def test_a_name_still_being_typed_is_the_fields_own_to_undo(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        inspector = _kettle_named_in_the_inspector(qtbot, w)
        index = w.stack.index()
        qtbot.keyClicks(inspector.name, "s")
        qtbot.keyClick(inspector.name, Qt.Key.Key_Z, CTRL)
        assert w.stack.index() == index
        assert inspector.name.text() == "Kettle"
    finally:
        close_discarding(w)
