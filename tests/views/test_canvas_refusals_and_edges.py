"""What a person-like tester driving the editor with xdotool found on the canvas:

- a rename the model refused (an empty name, another component's name) closed the
  box and kept the old name without a word; the box now stays (or opens again) with
  what was typed and says why, in the words of the app ("Component name: ...");
- a double-click in a component's empty corner (its box between circle and label,
  where nothing is drawn) renames that component, as on its circle or label: for a
  while it added a new component stacked 13 px from it, with the name box drawn over
  the old one's label. A press there still goes past it, to a link
  (test_press_and_band_hit);
- the in-place box of a new anchor (at the top) or of a component at the right edge
  was cut off by the viewport's edge;
- the status bar showed positions above 1 or below 0 with the mouse off the map.

Real mouse and key events on the real MainWindow, opened on a real .osom file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from osom_desktop.drawing.items import ComponentItem
from osom_desktop.model.wardley import ComponentKind
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, scene_point
from tests.views.test_canvas_drawing import right_click_and_pick
from tests.views.test_canvas_manners import TEA_MAP, position


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def rename_box(w: MainWindow) -> QLineEdit | None:
    box = w.view.viewport().findChild(QLineEdit, "renameBox")
    return box if box is not None and box.isVisible() else None


def start_renaming(qtbot, w: MainWindow, name: str) -> QLineEdit:
    """Click the component's circle, press F2: the name box opens with its name."""
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(w, *position(w, name)))
    qtbot.keyClick(w.view, Qt.Key.Key_F2)
    box = rename_box(w)
    assert box is not None and box.text() == name
    return box


def retype(qtbot, box: QLineEdit, text: str) -> None:
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)


@pytest.mark.parametrize(("typed", "why"), [
    ("Tea", "Component name: another component already has this name ('Tea')"),
    ("", "Component name: must not be empty"),
])
def test_a_refused_rename_keeps_the_box_and_the_typed_name_and_says_why(qtbot, window: MainWindow, typed, why) -> None:
    box = start_renaming(qtbot, window, "Cup of tea")
    retype(qtbot, box, typed)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    box = rename_box(window)
    assert box is not None and box.text() == typed and box.hasFocus()
    assert window.view.rename_refusal() == why
    assert window.statusBar().currentMessage() == why
    assert "Component.name" not in window.statusBar().currentMessage()
    assert window.document.map.component_by_name("Cup of tea") is not None and window.stack.count() == 0
    # Fixing it is typing on: the new name is kept and the message goes.
    retype(qtbot, box, "Cup of green tea")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert rename_box(window) is None and window.view.rename_refusal() == ""
    assert window.document.map.component_by_name("Cup of green tea") is not None


def test_a_rename_refused_by_a_click_elsewhere_opens_again_with_what_was_typed(qtbot, window: MainWindow) -> None:
    box = start_renaming(qtbot, window, "Cup of tea")
    retype(qtbot, box, "Tea")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(window, 0.3, 0.3))
    qtbot.waitUntil(lambda: rename_box(window) is not None, timeout=2000)
    box = rename_box(window)
    assert box is not None and box.text() == "Tea"
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    assert window.view.rename_refusal().startswith("Component name: another component already has this name")
    # Escape gives up: the old name stays, and nothing opens again.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert rename_box(window) is None
    assert window.document.map.component_by_name("Cup of tea") is not None and window.stack.count() == 0


def empty_corner(w: MainWindow, name: str) -> QPoint:
    """A viewport point inside the component's box where it draws nothing and nothing
    else is under the mouse: the corner between its circle and its label."""
    item = w.scene.item_for_id(w.document.map.component_by_name(name).id)
    assert isinstance(item, ComponentItem)
    rect = w.view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    for y in range(rect.top() + 1, rect.bottom()):
        for x in range(rect.left() + 1, rect.right()):
            p = QPoint(x, y)
            s = w.view.mapToScene(p)
            if item.on_symbol(s) or item.on_label(s):
                continue
            if [i for i in w.view.items(p) if w.scene.element(w.view._element_of(i) or "") is not None] == [item]:
                return p
    raise AssertionError(f"{name} has no empty corner")


def test_a_double_click_in_a_components_empty_corner_renames_it(qtbot, window: MainWindow) -> None:
    corner = empty_corner(window, "Customer")
    before = len(window.document.map.components)
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert len(window.document.map.components) == before  # nothing stacked on it
    box = rename_box(window)
    assert box is not None and box.text() == "Customer"
    qtbot.keyClicks(box, "Patron")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.document.map.component_by_name("Patron") is not None
    assert window.document.map.component_by_name("Customer") is None
    assert len(window.document.map.components) == before


def test_a_double_click_on_a_link_in_the_corner_renames_the_component(qtbot, window: MainWindow) -> None:
    """Where a link runs through the corner, a press takes the link; a double-click,
    with no drag to tell apart, still means the component whose box it is."""
    from tests.views.test_press_and_band_hit import along_link

    cup = window.scene.item_for_id(window.document.map.component_by_name("Cup of tea").id)
    assert isinstance(cup, ComponentItem)
    spot = next(p for px in range(12, 40) if (p := along_link(window, "Cup of tea", "Tea", px))
                and not cup.on_symbol(s := window.view.mapToScene(p)) and not cup.on_label(s)
                and cup.sceneBoundingRect().contains(s))
    before = len(window.document.map.components)
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    box = rename_box(window)
    assert box is not None and box.text() == "Cup of tea"
    assert len(window.document.map.components) == before
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert window.stack.count() == 0


def test_a_new_anchors_name_box_is_whole_inside_the_view(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    right_click_and_pick(qtbot, window, scene_point(window, 0.99, 0.5), "Add anchor (user, need) here")
    qtbot.waitUntil(window.view.rename_box_open, timeout=3000)
    anchor = window.document.map.components[-1]
    assert anchor.kind is ComponentKind.ANCHOR and anchor.visibility == pytest.approx(0.99, abs=0.01)
    box = rename_box(window)
    assert box is not None and vp.rect().contains(box.geometry()), (box.geometry(), vp.rect())
    qtbot.keyClick(box, Qt.Key.Key_Escape)


def test_a_name_box_at_the_right_edge_is_whole_inside_the_view(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=scene_point(window, 0.5, 0.99))
    box = rename_box(window)
    assert box is not None and vp.rect().contains(box.geometry()), (box.geometry(), vp.rect())


def test_the_status_bar_shows_no_position_off_the_map(qtbot, window: MainWindow) -> None:
    vp = window.view.viewport()
    qtbot.mouseMove(vp, pos=scene_point(window, 0.5, 0.5))
    assert window._coords.text().startswith("visibility 0.50, evolution 0.50")
    map_rect = QRect(scene_point(window, 1.0, 0.0), scene_point(window, 0.0, 1.0))
    assert map_rect.left() > 5  # room left of the axis, where the tester saw evolution -0.04
    qtbot.mouseMove(vp, pos=QPoint(map_rect.left() - 4, map_rect.center().y()))
    assert window._coords.text() == ""
    qtbot.mouseMove(vp, pos=QPoint(map_rect.center().x(), map_rect.top() - 4))
    assert window._coords.text() == ""
    QApplication.processEvents()


def test_a_right_click_in_a_components_empty_corner_offers_its_menu_not_add_here(qtbot, window: MainWindow) -> None:
    """The canvas menu's 'Add component here' in the corner put a new component on top of
    this one; the corner is the component's, for a right-click as for a double-click."""
    corner = empty_corner(window, "Customer")
    menu = window.view.context_menu(corner)
    entries = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert "Add component here" not in entries, entries
    customer = window.scene.item_for_id(window.document.map.component_by_name("Customer").id)
    assert customer is not None and customer.isSelected()  # its menu, for it
    menu.deleteLater()
