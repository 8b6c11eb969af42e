"""The canvas is correct and predictable under a person's hands (issue 14, findings of
a person-like tester driving the real window): real mouse and key events on the real
MainWindow's map."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, scene_point

TEA_MAP = """title Tea shop
component Customer [0.95, 0.20]
component Cup of tea [0.79, 0.61]
component Tea [0.63, 0.81]
component Hot water [0.52, 0.50]
component Power [0.10, 0.70]
Customer->Cup of tea
Cup of tea->Tea
Cup of tea->Hot water
Hot water->Power
"""


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def position(w: MainWindow, name: str) -> tuple[float, float]:
    c = w.document.map.component_by_name(name)
    assert c is not None and c.visibility is not None and c.evolution is not None
    return c.visibility, c.evolution


def test_a_drag_held_at_the_edge_of_a_zoomed_in_view_scrolls_it_and_the_component_follows(
        qtbot, window: MainWindow) -> None:
    view, vp = window.view, window.view.viewport()
    view.zoom_by(3.0)
    view.centerOn(window.scene.to_scene(*position(window, "Hot water")))
    start = scene_point(window, *position(window, "Hot water"))
    edge = QPoint(vp.width() - 6, start.y())
    scroll_before = view.horizontalScrollBar().value()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 9):
        qtbot.mouseMove(vp, pos=start + (edge - start) * (i / 8))
    at_edge = view.map_scene.to_map(view.mapToScene(edge))[1]  # the evolution under the edge, unscrolled
    qtbot.wait(600)  # the mouse held still at the edge, button down
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=edge)
    assert view.horizontalScrollBar().value() > scroll_before + 50
    # The component went past what the view showed when the mouse reached the edge.
    assert position(window, "Hot water")[1] > at_edge + 0.02
    assert window.stack.count() == 1  # still one undo step



def test_a_drag_shows_two_decimals_at_every_step_as_the_drop_writes(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    start = scene_point(window, *position(window, "Tea"))
    end = start + QPoint(-97, -31)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 9):
        qtbot.mouseMove(vp, pos=start + (end - start) * (i / 8))
        line = next(ln for ln in window.text.editor.toPlainText().splitlines() if ln.startswith("component Tea "))
        numbers = line[line.index("[") + 1:line.index("]")].split(",")
        assert all(len(n.strip().split(".")[-1]) <= 2 for n in numbers), line  # never 0.6567 in the text
    last = position(window, "Tea")
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    assert position(window, "Tea") == last  # the drop does not nudge it to a rounded place


def coords(w: MainWindow) -> str:
    return w._coords.text()


def test_the_status_bar_shows_the_dragged_position_as_written_and_follows_an_undo(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    start = scene_point(window, *position(window, "Tea"))
    end = start + QPoint(-97, -31)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    seen = []
    for i in range(1, 9):
        qtbot.mouseMove(vp, pos=start + (end - start) * (i / 8))
        seen.append(coords(window))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    vis, evo = position(window, "Tea")
    dropped = f"Tea: visibility {vis:.2f}, evolution {evo:.2f}"
    assert coords(window).startswith(dropped)
    assert seen[-1].startswith(dropped)  # the last step of the drag showed what the drop wrote
    assert all(s.startswith("Tea: visibility ") for s in seen), seen
    # Undo, the mouse not moving: the status bar says where Tea is now, not where it was dropped.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert position(window, "Tea") == (0.63, 0.81)
    assert coords(window).startswith("Tea: visibility 0.63, evolution 0.81"), coords(window)
    QTest.keySequence(window.view, window.act_redo.shortcut())  # this platform's Redo keys
    assert position(window, "Tea") == (vis, evo)
    assert coords(window).startswith(dropped), coords(window)


def test_after_the_mouse_moved_on_an_undo_clears_the_position_it_showed(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    start = scene_point(window, *position(window, "Tea"))
    end = start + QPoint(-60, 0)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, pos=start + QPoint(-30, 0))
    qtbot.mouseMove(vp, pos=end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    qtbot.mouseMove(vp, pos=end + QPoint(0, 40))  # the pointer's own position again
    assert coords(window).startswith("visibility ")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert coords(window) == ""
