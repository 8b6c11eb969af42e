"""The status bar's word on the map text, and on a rename given up.

- ``component X [2, -5]`` was read and drawn (off the map; the text pane says "is off
  the map (positions run from 0 to 1)"), yet the status bar said "1 line(s) not
  understood". It now counts by kind: "not understood" only for a line the parser
  could not place; "off the map"; "with a problem" for other warnings.
- A refused rename's reason ("Component name: must not be empty") stayed in the status
  bar after Escape gave the rename up, and after a name that was kept.

Real keys typed into the real MainWindow's text pane and name box, on a real .osom file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window
from tests.views.test_canvas_manners import TEA_MAP
from tests.views.test_canvas_refusals_and_edges import rename_box, retype, start_renaming


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def type_at_end(qtbot, w: MainWindow, lines: str) -> None:
    editor = w.text.editor
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, lines)
    w.text.flush()  # what the pause after typing does


@pytest.mark.parametrize(("typed", "said"), [
    ("component X [2, -5]", "1 position off the map"),
    ("this is not owm", "1 line not understood"),
    ("note hello", "1 line with a problem"),
    ("this is not owm\rneither is this\rcomponent X [2, -5]\rnote hello",
     "2 lines not understood, 1 line with a problem, 1 position off the map"),
])
def test_the_status_bar_counts_problems_by_kind(qtbot, window: MainWindow, typed: str, said: str) -> None:
    assert window._problems.text() == ""
    type_at_end(qtbot, window, typed)
    qtbot.waitUntil(lambda: window._problems.text() != "", timeout=3000)
    assert window._problems.text() == said
    if "off the map" in said:  # understood: it is on the map (drawn off it)
        assert window.document.map.component_by_name("X") is not None


def test_escape_after_a_refused_rename_clears_its_reason_from_the_status_bar(qtbot, window: MainWindow) -> None:
    box = start_renaming(qtbot, window, "Cup of tea")
    retype(qtbot, box, "")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    box = rename_box(window)
    assert box is not None
    assert window.statusBar().currentMessage() == "Component name: must not be empty"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert rename_box(window) is None
    assert window.statusBar().currentMessage() == ""
    assert window.document.map.component_by_name("Cup of tea") is not None and window.stack.count() == 0


def test_a_refused_name_then_fixed_clears_its_reason_from_the_status_bar(qtbot, window: MainWindow) -> None:
    box = start_renaming(qtbot, window, "Cup of tea")
    retype(qtbot, box, "")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    box = rename_box(window)
    assert box is not None and window.statusBar().currentMessage() == "Component name: must not be empty"
    retype(qtbot, box, "Cup of green tea")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert rename_box(window) is None
    assert window.document.map.component_by_name("Cup of green tea") is not None
    assert window.statusBar().currentMessage() == ""
