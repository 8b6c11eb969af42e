"""What a service manager ran into during a day's work on the canvas (issue 14's
tester): each test drives the real window with mouse and keys and checks what the
person sees (names, dialog text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import scene_point
from tests.views.test_main_window import discard_changes, names, tea_file


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def test_duplicating_a_copy_numbers_on_instead_of_stacking_numbers(qtbot, window: MainWindow) -> None:
    """Ctrl+D on Kettle gives "Kettle (2)"; Ctrl+D on that copy gave "Kettle (2) (2)",
    which reads as a typo. The next free number on the same stem reads as a person would
    number copies."""
    vp = window.view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=scene_point(window, 0.43, 0.35))
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "Kettle (2)" in names(window)
    # The copy is selected after Ctrl+D: duplicate it again, then copy and paste it.
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    kettles = sorted(n for n in names(window) if n.startswith("Kettle"))
    assert kettles == ["Kettle", "Kettle (2)", "Kettle (3)", "Kettle (4)"]
