"""A press or a band takes what it is on (issue 14, a person-like tester): a press about
20 px from a component, on one of its links, grabbed the component (its box spans the
empty corner between its circle and its label); a band brushing only the last letter
of a label selected the component.

Real mouse events on the real MainWindow's map."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from osom_desktop.drawing.items import ComponentItem
from osom_desktop.model.wardley import Link
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, press_drag_release, scene_point
from tests.views.test_band_select import names
from tests.views.test_canvas_manners import TEA_MAP, position


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def along_link(w: MainWindow, source: str, target: str, pixels: float) -> QPoint:
    """The point ``pixels`` along the drawn link from ``source``'s centre towards ``target``'s."""
    a, b = scene_point(w, *position(w, source)), scene_point(w, *position(w, target))
    d = QPointF(b - a)
    length = math.hypot(d.x(), d.y())
    p = QPointF(a) + d * (pixels / length)
    return QPoint(round(p.x()), round(p.y()))


def test_a_press_on_a_link_20_px_from_a_component_does_not_grab_the_component(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    cup = window.scene.item_for_id(window.document.map.component_by_name("Cup of tea").id)
    assert isinstance(cup, ComponentItem)
    # On the link, inside the box, off what it draws (about 20 px out at 1280x800;
    # the exact distance depends on the map's scale, i.e. on the docks' width).
    press = next(p for px in range(12, 40) if (p := along_link(window, "Cup of tea", "Tea", px))
                 and not cup.on_symbol(s := window.view.mapToScene(p)) and cup.sceneBoundingRect().contains(s))
    press_drag_release(qtbot, vp, press, press + QPoint(60, 40))
    assert position(window, "Cup of tea") == (0.79, 0.61)
    assert window.stack.count() == 0
    # A click there takes the link (or nothing), not the component.
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=press)
    picked = [window.scene.element(i) for i in window.view.selected_ids()]
    assert all(isinstance(e, Link) for e in picked), picked


def test_a_press_on_the_circle_or_the_label_still_grabs_the_component(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    start = scene_point(window, *position(window, "Cup of tea"))
    press_drag_release(qtbot, vp, start + QPoint(2, 1), start + QPoint(-60, 0))
    assert position(window, "Cup of tea") != (0.79, 0.61)


def test_a_band_brushing_only_the_last_letter_of_a_label_leaves_the_component(qtbot, window: MainWindow) -> None:
    cup = window.scene.item_for_id(window.document.map.component_by_name("Customer").id)
    assert isinstance(cup, ComponentItem)
    label = window.view.mapFromScene(cup.label_rect()).boundingRect()
    # From empty canvas right of the label, leftwards over its last letter only.
    start = QPoint(label.right() + 30, label.bottom() + 12)
    end = QPoint(label.right() - 3, label.top() - 8)
    press_drag_release(qtbot, window.view.viewport(), start, end)
    assert names(window) == set()
