"""Everything OWM draws, made and moved on the canvas with real mouse and keys (issue 14
items 2 and 5): the OWM text and the undo stack are what a person would check."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from osom_desktop.owm import write_owm
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import press_drag_release, scene_point
from tests.views.test_main_window import comp, discard_changes, tea_file


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.6, 0.6))
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def owm(w: MainWindow) -> str:
    return write_owm(w.document.map)


def lines(w: MainWindow) -> list[str]:
    return owm(w).splitlines()


def right_click_and_pick(qtbot, w: MainWindow, pos: QPoint, *path: str) -> None:
    """Right-click the canvas at ``pos`` and click the menu entries ``path`` (a submenu
    and then its entry), as a person would."""
    vp = w.view.viewport()
    picked: list[str] = []

    def click(menu: QMenu, depth: int, tries: int = 40) -> None:
        if not isinstance(menu, QMenu) or (tries and path[depth] not in [a.text().split("\t")[0] for a in menu.actions()]):
            # The submenu is not open yet: look again shortly.
            QTimer.singleShot(50, lambda: click(QApplication.activePopupWidget(), depth, tries - 1))
            return
        for action in menu.actions():
            if action.text().split("\t")[0] == path[depth]:
                picked.append(action.text())
                qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
                if depth + 1 < len(path):
                    QTimer.singleShot(50, lambda: click(QApplication.activePopupWidget(), depth + 1))
                return
        menu.close()
        raise AssertionError(f"no {path[depth]!r} in {[a.text() for a in menu.actions()]}")

    def first() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, first)
            return
        click(menu, 0)

    QTimer.singleShot(30, first)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, vp.mapToGlobal(pos))
    QApplication.sendEvent(vp, event)
    qtbot.waitUntil(lambda: len(picked) == len(path), timeout=3000)


def type_in_place(qtbot, w: MainWindow, text: str) -> None:
    qtbot.waitUntil(w.view.rename_box_open, timeout=3000)
    box = next(b for b in w.view.viewport().findChildren(QLineEdit, "renameBox") if b.isVisible())
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


# -- making things ------------------------------------------------------------------------


@pytest.mark.parametrize(("entry", "expected"), [
    ("Add anchor (user, need) here", "anchor New anchor 1 [0.3, 0.6]"),
    ("Add market here", "component New market 1 [0.3, 0.6] (market)"),
    ("Add ecosystem here", "component New ecosystem 1 [0.3, 0.6] (ecosystem)"),
])
def test_right_click_on_empty_canvas_makes_anchors_markets_and_ecosystems(qtbot, window, entry, expected) -> None:
    right_click_and_pick(qtbot, window, scene_point(window, 0.3, 0.6), entry)
    assert expected in lines(window)
    qtbot.waitUntil(window.view.rename_box_open, timeout=3000)
    qtbot.keyClick(next(b for b in window.view.viewport().findChildren(QLineEdit, "renameBox") if b.isVisible()),
                   Qt.Key.Key_Escape)
    window.stack.undo()
    assert expected not in lines(window)


def test_a_note_is_typed_in_place_and_dragged(qtbot, window) -> None:
    right_click_and_pick(qtbot, window, scene_point(window, 0.2, 0.2), "Add note here")
    type_in_place(qtbot, window, "Water is metered")
    assert "note Water is metered [0.2, 0.2]" in lines(window)
    start = window.view.mapFromScene(window.scene.item_for_id(window.document.map.notes[0].id).sceneBoundingRect().center())
    press_drag_release(qtbot, window.view.viewport(), start, start + (scene_point(window, 0.3, 0.3) - scene_point(window, 0.2, 0.2)))
    assert "note Water is metered [0.3, 0.3]" in lines(window)
    assert window.stack.undoText() == "Move Water is metered"
    window.stack.undo()
    assert "note Water is metered [0.2, 0.2]" in lines(window)
    # F2 edits it again, then double-click does.
    window.view.select_ids([window.document.map.notes[0].id])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    type_in_place(qtbot, window, "Water is metered monthly")
    assert "note Water is metered monthly [0.2, 0.2]" in lines(window)


def test_annotations_are_numbered_typed_and_dragged(qtbot, window) -> None:
    window.view.centerOn(window.scene.to_scene(0.3, 0.5))
    window.view.setFocus()
    qtbot.mouseMove(window.view.viewport(), scene_point(window, 0.3, 0.5))
    qtbot.keyClick(window.view, Qt.Key.Key_U)
    type_in_place(qtbot, window, "Kettles fail often")
    right_click_and_pick(qtbot, window, scene_point(window, 0.15, 0.7), "Add annotation here")
    type_in_place(qtbot, window, "Buy, do not build")
    text = lines(window)
    assert any(line.startswith("annotation 1 [") and line.endswith("Kettles fail often") for line in text)
    assert "annotation 2 [0.15, 0.7] Buy, do not build" in text
    press_drag_release(qtbot, window.view.viewport(), scene_point(window, 0.15, 0.7), scene_point(window, 0.25, 0.75))
    assert "annotation 2 [0.25, 0.75] Buy, do not build" in lines(window)
    window.stack.undo()
    assert "annotation 2 [0.15, 0.7] Buy, do not build" in lines(window)


def test_a_pipeline_is_made_and_a_component_dropped_into_it(qtbot, window) -> None:
    kettle = comp(window, "Kettle")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(window, 0.43, 0.35))
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert "pipeline Kettle [0.2, 0.5]" in lines(window)
    right_click_and_pick(qtbot, window, scene_point(window, 0.2, 0.75), "Add component here")
    type_in_place(qtbot, window, "Electric Kettle")
    steps = len([window.stack.text(i) for i in range(window.stack.count())])
    # Drop it on the pipeline's box, just under Kettle.
    box = window.scene.item_for_id(window.document.map.pipelines[0].id).box()
    target = window.view.mapFromScene(box.center().x() + 40, box.center().y())
    press_drag_release(qtbot, window.view.viewport(), scene_point(window, 0.2, 0.75), target, steps=10)
    text = owm(window)
    assert "pipeline Kettle [0.2, 0.5]\n{\n  component Electric Kettle [0." in text or (
        "pipeline Kettle [0.2, 0.5]\n{\ncomponent Electric Kettle [0." in text), text
    child = comp(window, "Electric Kettle")
    assert child.pipeline_id == window.document.map.pipelines[0].id and child.visibility is None
    assert window.stack.count() == steps + 1  # moved and joined: one step
    assert "Put Electric Kettle into Kettle's pipeline" in window.statusBar().currentMessage()
    window.stack.undo()
    assert comp(window, "Electric Kettle").pipeline_id is None
    assert (comp(window, "Electric Kettle").visibility, comp(window, "Electric Kettle").evolution) == (0.2, 0.75)
    assert kettle.id == window.document.map.pipelines[0].component_id


def test_double_click_on_a_pipeline_adds_a_component_into_it(qtbot, window) -> None:
    window.view.select_ids([comp(window, "Kettle").id])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    box = window.scene.item_for_id(window.document.map.pipelines[0].id).box()
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=window.view.mapFromScene(box.left() + 30, box.center().y()))
    type_in_place(qtbot, window, "Campfire Kettle")
    assert "pipeline Kettle [0.2, 0.5]" in owm(window)
    assert comp(window, "Campfire Kettle").pipeline_id == window.document.map.pipelines[0].id


def test_a_labelled_link_and_a_flow_from_the_menu(qtbot, window) -> None:
    def pick(name: str) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "componentPicker":
            QTimer.singleShot(50, lambda: pick(name))  # not open yet (a loaded machine)
            return
        qtbot.keyClicks(QApplication.focusWidget(), name)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    QTimer.singleShot(200, lambda: pick("Tea"))
    right_click_and_pick(qtbot, window, scene_point(window, 0.43, 0.35), "Link to… with a label")
    qtbot.waitUntil(lambda: window.view.rename_box_open(), timeout=3000)
    type_in_place(qtbot, window, "limited by supply")
    assert "Kettle->Tea; limited by supply" in lines(window)
    QTimer.singleShot(200, lambda: pick("Cup of Tea"))
    right_click_and_pick(qtbot, window, scene_point(window, 0.52, 0.80), "Flow to…")
    qtbot.waitUntil(lambda: window.view.rename_box_open(), timeout=3000)
    type_in_place(qtbot, window, "hot")
    assert "Hot Water+>Cup of Tea; hot" in lines(window)
    # The label is changed from the link's own menu, by its middle.
    link = next(lk for lk in window.document.map.links if lk.context == "limited by supply")
    middle = window.view.mapFromScene(window.scene.item_for_id(link.id).line().center())
    right_click_and_pick(qtbot, window, middle, "Label…")
    type_in_place(qtbot, window, "capacity")
    assert "Kettle->Tea; capacity" in lines(window)


def test_method_and_inertia_from_the_component_menu(qtbot, window) -> None:
    right_click_and_pick(qtbot, window, scene_point(window, 0.43, 0.35), "Method (build, buy, outsource)", "Buy")
    right_click_and_pick(qtbot, window, scene_point(window, 0.43, 0.35), "Inertia")
    assert "component Kettle [0.43, 0.35] (buy) inertia" in lines(window)


# -- moving things --------------------------------------------------------------------------


def test_dragging_a_label_writes_owm_label_and_keeps_the_position(qtbot, window) -> None:
    item = window.scene.item_for_id(comp(window, "Kettle").id)
    x0, y0 = item.label_offset()  # where the label is drawn now
    label = item.label_rect()
    start = window.view.mapFromScene(label.center())
    end = start + QPoint(40, 30)
    press_drag_release(qtbot, window.view.viewport(), start, end)
    line = next(x for x in lines(window) if x.startswith("component Kettle"))
    assert line.startswith("component Kettle [0.43, 0.35] label [")  # the user's numbers stay
    dx, dy = (float(x) for x in line.split("label [")[1].rstrip("]").split(","))
    scale = window.view.transform().m11()
    assert dx == pytest.approx(x0 + 40 / scale, abs=2) and dy == pytest.approx(y0 + 30 / scale, abs=2)
    assert window.stack.undoText() == "Move label of Kettle"
    window.stack.undo()
    assert "component Kettle [0.43, 0.35]" in lines(window)


def test_rubber_band_selection_moves_together_as_one_undo_step(qtbot, window) -> None:
    right_click_and_pick(qtbot, window, scene_point(window, 0.47, 0.9), "Add note here")
    type_in_place(qtbot, window, "Hot")
    before = owm(window)
    vp = window.view.viewport()
    window.view.map_scene.clearSelection()
    # Band from empty space round Tea, Hot Water and the note (not Cup of Tea at 0.79).
    press_drag_release(qtbot, vp, scene_point(window, 0.70, 0.97), scene_point(window, 0.44, 0.74))
    picked = {window.scene.element(i).__class__.__name__ + ":" + getattr(window.scene.element(i), "name", "note")
              for i in window.view.selected_ids()}
    assert picked >= {"Component:Tea", "Component:Hot Water", "Note:note"}, picked
    assert "Component:Cup of Tea" not in picked
    count = window.stack.count()
    press_drag_release(qtbot, vp, scene_point(window, 0.52, 0.80), scene_point(window, 0.42, 0.75))
    text = lines(window)
    assert "component Tea [0.53, 0.76]" in text and "component Hot Water [0.42, 0.75]" in text
    assert "note Hot [0.37, 0.85]" in text
    assert "component Cup of Tea [0.79, 0.61]" in text  # not selected, not moved
    assert window.stack.count() == count + 1
    window.stack.undo()
    assert owm(window) == before


def test_ctrl_d_duplicates_beside_with_a_new_name_and_paste_does_too(qtbot, window) -> None:
    vp = window.view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=scene_point(window, 0.52, 0.80))
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos=scene_point(window, 0.43, 0.35))
    count = window.stack.count()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    text = lines(window)
    assert "component Hot Water (2) [0.49, 0.83]" in text and "component Kettle (2) [0.4, 0.38]" in text
    assert "Hot Water (2)->Kettle (2)" in text
    assert window.stack.count() == count + 1
    assert {window.scene.element(i).name for i in window.view.selected_component_ids()} == {"Hot Water (2)", "Kettle (2)"}
    qtbot.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    text = lines(window)
    assert "component Hot Water (3) [0.46, 0.86]" in text  # beside the copy it pasted from, numbered on
    window.stack.undo()
    window.stack.undo()
    assert "Kettle (2)" not in owm(window)


# -- the user's numbers (item 5) ---------------------------------------------------------------


def test_numbers_stay_as_written_unless_moved_and_moves_write_two_decimals(qtbot, tmp_path: Path) -> None:
    from osom_desktop.model.service import ServiceDocument
    from osom_desktop.owm import parse_owm
    from osom_desktop.storage import save_document
    from tests.views.test_main_window import TEA

    doc = ServiceDocument()
    doc.service.name = "Tea"
    doc.map = parse_owm(TEA.replace("[0.63, 0.81]", "[0.630, 0.810]")).map
    save_document(doc, tmp_path / "written.osom")
    w = MainWindow()
    assert w.open_path(tmp_path / "written.osom")
    w.show()
    qtbot.waitExposed(w)
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.5, 0.5))
    try:
        assert "component Tea [0.630, 0.810]" in w.text.editor.toPlainText()
        press_drag_release(qtbot, w.view.viewport(), scene_point(w, 0.43, 0.35), scene_point(w, 0.4567, 0.3333))
        qtbot.waitUntil(lambda: "component Kettle [0.46, 0.33]" in w.text.editor.toPlainText(), timeout=3000)
        assert "component Tea [0.630, 0.810]" in w.text.editor.toPlainText()  # not moved: as written
    finally:
        discard_changes(w)
        w.close()


def test_a_drag_off_the_map_stops_at_the_edge_and_says_so(qtbot, window) -> None:
    window.view.zoom_fit()
    qtbot.wait(20)
    start = scene_point(window, 0.43, 0.35)
    press_drag_release(qtbot, window.view.viewport(), start, QPoint(start.x() - 2000, start.y()), steps=4)
    assert "component Kettle [0.43, 0] " in owm(window) + " " or "component Kettle [0.43, 0]" in lines(window)
    assert "edge" in window.statusBar().currentMessage()


def test_nudging_off_the_map_stops_at_the_edge(qtbot, window) -> None:
    window.view.select_ids([comp(window, "Business").id])
    window.view.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert "anchor Business [1, 0.63]" in lines(window)
    assert "0 to 1" in window.statusBar().currentMessage()


def test_a_position_typed_off_the_map_is_flagged_in_the_text_pane(qtbot, window) -> None:
    text = window.text
    if window.text_dock.visibleRegion().isEmpty():
        window.act_show_text.trigger()
    text.editor.setFocus()
    text.editor.moveCursor(text.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(text.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(text.editor, "anchor X [2, -5]")
    text.flush()
    assert [d.message for d in text.diagnostics] == [
        "anchor X: visibility 2, evolution -5 is off the map (positions run from 0 to 1)"]
    assert comp(window, "X").visibility == 2  # read and kept, as OWM keeps it


def test_a_component_given_a_pipeline_is_drawn_as_its_owner_at_once(qtbot, window) -> None:
    kettle = comp(window, "Kettle")
    item = window.scene.item_for_id(kettle.id)
    assert not item._owns_pipeline
    window.view.select_ids([kettle.id])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert window.scene.item_for_id(kettle.id)._owns_pipeline  # OWM's square, not a circle
    window.stack.undo()
    assert not window.scene.item_for_id(kettle.id)._owns_pipeline


def test_pressing_a_circle_under_another_components_label_moves_that_component(qtbot, window) -> None:
    from osom_desktop.commands import UpdateElementCommand
    from osom_desktop.model.wardley import Offset

    hot, tea = comp(window, "Hot Water"), comp(window, "Tea")
    # Hot Water's label put right across Tea's circle.
    window.view.run(UpdateElementCommand(window.document, hot.id, label=Offset(dx=-5, dy=-73)))
    hot_item = window.scene.item_for_id(hot.id)
    assert hot_item.label_rect().contains(window.scene.component_point(tea.id))
    press_drag_release(qtbot, window.view.viewport(), scene_point(window, 0.63, 0.81), scene_point(window, 0.6, 0.7))
    assert "component Tea [0.6, 0.7]" in lines(window)
    assert "component Hot Water [0.52, 0.80] label [-5, -73]" in lines(window)  # its label stayed


def test_dragging_an_evolved_copys_label_writes_its_label(qtbot, window) -> None:
    from osom_desktop.commands import UpdateElementCommand
    from osom_desktop.model import Evolve

    kettle = comp(window, "Kettle")
    window.view.run(UpdateElementCommand(window.document, kettle.id, evolve=Evolve(evolution=0.6)))
    item = window.scene.item_for_id(kettle.id + "#evolve")
    x0, y0 = item.label_offset()
    start = window.view.mapFromScene(item.label_rect().center())
    press_drag_release(qtbot, window.view.viewport(), start, start + QPoint(20, 25))
    line = next(x for x in lines(window) if x.startswith("evolve Kettle"))
    assert line == f"evolve Kettle 0.6 label [{x0 + 20:g}, {y0 + 25:g}]"
    assert comp(window, "Kettle").evolve.evolution == 0.6  # the target stays where it was


def test_double_click_beside_the_axis_adds_at_the_edge_and_says_so(qtbot, window) -> None:
    window.view.zoom_fit()
    qtbot.wait(20)
    spot = window.view.mapFromScene(window.scene.to_scene(0.5, -0.03))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert "component New component 1 [0.5, 0]" in lines(window)
    assert "edge" in window.statusBar().currentMessage()


def test_the_annotations_box_drags_to_a_new_place_in_one_step(qtbot, window) -> None:
    window.view.setFocus()
    qtbot.mouseMove(window.view.viewport(), scene_point(window, 0.5, 0.5))
    qtbot.keyClick(window.view, Qt.Key.Key_U)
    type_in_place(qtbot, window, "Kettles fail often")
    window.view.centerOn(window.scene.to_scene(0.15, 0.1))
    legend = window.scene.item_for_id("annotations")
    start = window.view.mapFromScene(legend.sceneBoundingRect().center())
    press_drag_release(qtbot, window.view.viewport(), start,
                       start + scene_point(window, 0.3, 0.2) - scene_point(window, 0.15, 0.02))
    line = next(x for x in lines(window) if x.startswith("annotations ["))
    v, e = (float(x) for x in line[len("annotations ["):-1].split(","))
    assert v == pytest.approx(0.30, abs=0.011) and e == pytest.approx(0.20, abs=0.011)
    assert len(line[len("annotations ["):-1].split(",")[0].split(".")[-1]) <= 2  # two decimals at most
    assert window.stack.undoText() == "Move the annotations box"
    window.stack.undo()
    assert not any(x.startswith("annotations [") for x in lines(window))


def test_accelerators_and_areas_from_the_menu_and_an_area_dragged_once_selected(qtbot, window) -> None:
    right_click_and_pick(qtbot, window, scene_point(window, 0.3, 0.6), "More", "Accelerator here")
    type_in_place(qtbot, window, "Open standards")
    assert "accelerator Open standards [0.3, 0.6]" in lines(window)
    right_click_and_pick(qtbot, window, scene_point(window, 0.25, 0.1), "More", "Pioneers area here")
    assert "pioneers [0.25, 0.1, 0.05, 0.3]" in lines(window)
    vp = window.view.viewport()
    inside = scene_point(window, 0.15, 0.2)
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=inside)  # a click selects it...
    press_drag_release(qtbot, vp, inside, scene_point(window, 0.2, 0.25))  # ...then it drags
    assert "pioneers [0.3, 0.15, 0.1, 0.35]" in lines(window)


def test_pressing_a_circle_inside_a_neighbours_build_ring_moves_the_circle_pressed(qtbot, window) -> None:
    from osom_desktop.commands import AddElementCommand
    from osom_desktop.model import Component
    from osom_desktop.model.wardley import Method

    # Gas's build ring (15 units) reaches over Kettle's centre 12 units away, and Gas is on top.
    gas = Component(id="gas", name="Gas", visibility=0.43, evolution=0.362, method=Method.BUILD)
    window.view.run(AddElementCommand(window.document, gas))
    press_drag_release(qtbot, window.view.viewport(), scene_point(window, 0.43, 0.35), scene_point(window, 0.3, 0.3))
    assert "component Kettle [0.3, 0.3]" in lines(window)
    assert comp(window, "Gas").evolution == 0.362


def test_a_child_dragged_well_off_its_pipeline_leaves_it_in_one_step(qtbot, window) -> None:
    window.view.select_ids([comp(window, "Kettle").id])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    box = window.scene.item_for_id(window.document.map.pipelines[0].id).box()
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=window.view.mapFromScene(box.left() + 30, box.center().y()))
    type_in_place(qtbot, window, "Campfire Kettle")
    child = comp(window, "Campfire Kettle")
    start = window.view.mapFromScene(window.scene.component_point(child.id))
    inside = start + QPoint(20, 3)  # along the pipeline: stays in it
    press_drag_release(qtbot, window.view.viewport(), start, inside)
    assert comp(window, "Campfire Kettle").pipeline_id is not None
    count = window.stack.count()
    press_drag_release(qtbot, window.view.viewport(), inside, scene_point(window, 0.2, 0.3))
    moved = comp(window, "Campfire Kettle")
    assert moved.pipeline_id is None and moved.visibility == 0.2
    assert any(x.startswith("component Campfire Kettle [0.2, ") for x in lines(window))
    assert window.stack.count() == count + 1
    window.stack.undo()
    assert comp(window, "Campfire Kettle").pipeline_id is not None


def test_the_annotations_box_dragged_past_the_bottom_right_stays_whole_on_the_map(qtbot, window) -> None:
    """Only its top-left corner was kept on the map: dragged down it wrote
    ``annotations [0, 0.39]`` and hung below the x axis over the stage names."""
    window.view.setFocus()
    qtbot.mouseMove(window.view.viewport(), scene_point(window, 0.5, 0.5))
    qtbot.keyClick(window.view, Qt.Key.Key_U)
    type_in_place(qtbot, window, "Kettles fail often")
    legend = window.scene.item_for_id("annotations")
    start = window.view.mapFromScene(legend.sceneBoundingRect().center())
    end = scene_point(window, -0.3, 1.3)  # well below and right of the map
    end.setX(min(end.x(), window.view.viewport().width() - 2))
    end.setY(min(end.y(), window.view.viewport().height() - 2))
    press_drag_release(qtbot, window.view.viewport(), start, end)
    assert window.stack.undoText() == "Move the annotations box"
    box = window.scene.item_for_id("annotations").sceneBoundingRect()
    frame = window.scene.to_scene(0.0, 1.0)  # bottom-right corner of the map
    assert box.bottom() <= frame.y() + 1 and box.right() <= frame.x() + 1
