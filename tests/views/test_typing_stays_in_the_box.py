"""Keys typed for a name go to the name (issue 14, a person-like tester): while the
in-place name box was open, keys it does not take (Up, Down) nudged the map, and a
dialog opening over the window committed the name and put the keyboard on the canvas,
so the rest of the name typed became canvas keys (T added a note, N a component).

Real key and mouse events on the real MainWindow; the keys go where the keyboard is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, scene_point
from tests.views.test_canvas_manners import TEA_MAP, position
from tests.views.test_new_service_name import answer_name


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def type_keys(qtbot, text: str) -> None:
    """Type as a person does: each key to whatever has the keyboard now."""
    for ch in text:
        qtbot.keyClicks(QApplication.focusWidget(), ch)


def rename_box(w: MainWindow) -> QLineEdit | None:
    box = w.view.viewport().findChild(QLineEdit, "renameBox")
    return box if box is not None and box.isVisible() else None


def start_renaming_tea(qtbot, w: MainWindow) -> None:
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(w, *position(w, "Tea")))
    qtbot.keyClick(w.view, Qt.Key.Key_F2)
    assert rename_box(w) is not None and QApplication.focusWidget() is rename_box(w)


def names(w: MainWindow) -> list[str]:
    return sorted(c.name for c in w.document.map.components)


def test_up_and_down_in_the_name_box_do_not_move_the_component(qtbot, window: MainWindow) -> None:
    start_renaming_tea(qtbot, window)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp):
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert position(window, "Tea") == (0.63, 0.81)
    assert window.stack.count() == 0


def test_a_dialog_over_the_window_leaves_the_name_being_typed_open(qtbot, window: MainWindow) -> None:
    start_renaming_tea(qtbot, window)
    type_keys(qtbot, "Lemon")
    seen: list = []
    answer_name(qtbot, [Qt.Key.Key_Escape], seen)
    window.act_new.trigger()  # File > New's question comes up, and is dismissed
    assert seen
    window.activateWindow()  # as the window manager does when the dialog goes
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window)
    type_keys(qtbot, " tea")
    assert window.document.map.notes == []  # T did not add a note
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert names(window) == sorted(["Customer", "Cup of tea", "Lemon tea", "Hot water", "Power"])


def test_clicking_another_pane_keeps_the_name_and_the_keyboard_there(qtbot, window: MainWindow) -> None:
    start_renaming_tea(qtbot, window)
    type_keys(qtbot, "Lemon")
    editor = window.text.editor
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.viewport().rect().bottomLeft())
    assert "Lemon" in names(window)  # the name typed is kept
    assert QApplication.focusWidget() is editor  # not taken back by the canvas
    count = len(window.document.map.components)
    type_keys(qtbot, "n")
    assert len(window.document.map.components) == count  # N went to the text, not the canvas
    assert editor.toPlainText().endswith("n")
    window.text.flush()  # the text typed is applied now, not at the window's close
