"""At the fitted zoom the whole of every label is in view (issue 14, a person-like
tester): a label that grew the map past its right edge (a component dragged or renamed
there) was cut off at the view's edge until Fit Map (Ctrl+0); the fitted view follows
the map's extent, as it follows the window's size.

Real mouse and key events on the real MainWindow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtWidgets import QApplication

from osom_desktop.drawing.items import ComponentItem
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, press_drag_release, scene_point
from tests.views.test_canvas_manners import TEA_MAP, position


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def shown(w: MainWindow) -> QRectF:
    """The part of the map the view shows."""
    return w.view.mapToScene(w.view.viewport().rect()).boundingRect()


def label_of(w: MainWindow, name: str) -> QRectF:
    item = w.scene.item_for_id(w.document.map.component_by_name(name).id)
    assert isinstance(item, ComponentItem)
    return item.label_rect()


def test_a_component_dragged_to_the_right_edge_shows_its_whole_label(qtbot, window: MainWindow) -> None:
    assert window.view.auto_fit
    start = scene_point(window, *position(window, "Hot water"))
    edge = scene_point(window, 0.5, 1.0) + QPoint(30, 0)  # past the axis end: kept at 1.0
    press_drag_release(qtbot, window.view.viewport(), start, edge)
    assert position(window, "Hot water")[1] == 1.0
    qtbot.waitUntil(lambda: shown(window).contains(label_of(window, "Hot water")), timeout=2000)


def test_a_name_typed_for_a_component_at_the_edge_is_shown_whole(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=scene_point(window, *position(window, "Tea")))
    for _ in range(19):  # Shift+Right: 0.05 a step, to the map's right edge
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    qtbot.keyClicks(QApplication.focusWidget(), "Tea leaves from the far hills")  # the name box has the keyboard
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.document.map.component_by_name("Tea leaves from the far hills") is not None
    qtbot.waitUntil(lambda: shown(window).contains(label_of(window, "Tea leaves from the far hills")), timeout=2000)
