"""Bugs a day of drawing found on the canvas, each driven with real mouse and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from osom_desktop.commands import UpdateElementCommand
from osom_desktop.model import Evolve
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import press_drag_release, scene_point
from tests.views.test_main_window import comp, discard_changes, tea_file


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.show()
    qtbot.waitExposed(w)
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.6, 0.6))
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


@pytest.mark.parametrize("offset", [QPoint(0, 0), QPoint(4, 0), QPoint(3, 3)])
def test_a_component_that_gains_an_evolve_arrow_still_drags(qtbot, window: MainWindow, offset: QPoint) -> None:
    kettle = comp(window, "Kettle")
    window.view.run(UpdateElementCommand(window.document, kettle.id, evolve=Evolve(evolution=0.6)))
    start = scene_point(window, 0.43, 0.35) + offset
    end = scene_point(window, 0.53, 0.45) + offset
    press_drag_release(qtbot, window.view.viewport(), start, end, steps=8)
    moved = comp(window, "Kettle")
    assert moved.evolve.evolution == 0.6  # the evolve target is not rewritten
    assert moved.visibility == pytest.approx(0.53, abs=0.01)
    assert moved.evolution == pytest.approx(0.45, abs=0.01)


def test_ctrl_l_links_in_the_order_the_person_clicked(qtbot, window: MainWindow) -> None:
    kettle, cup = comp(window, "Kettle"), comp(window, "Cup of Tea")
    vp = window.view.viewport()
    # Kettle first, then Cup of Tea: Kettle depends on Cup of Tea, whatever their heights.
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=scene_point(window, kettle.visibility, kettle.evolution))
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=scene_point(window, cup.visibility, cup.evolution))
    assert set(window.view.selected_component_ids()) == {kettle.id, cup.id}
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    new = [lk for lk in window.document.map.links if {lk.source, lk.target} == {kettle.id, cup.id}]
    assert [(lk.source, lk.target) for lk in new] == [(kettle.id, cup.id)]
    assert "Kettle now depends on Cup of Tea" in window.statusBar().currentMessage()


def test_handle_drag_links_from_the_dragged_component_even_upwards(qtbot, window: MainWindow) -> None:
    kettle, tea = comp(window, "Kettle"), comp(window, "Tea")
    window.view.select_ids([kettle.id])  # the lower one, dragged up to the higher one
    start = window.view.mapFromScene(window.view._handle.scenePos())
    press_drag_release(qtbot, window.view.viewport(), start, scene_point(window, tea.visibility, tea.evolution))
    new = [lk for lk in window.document.map.links if {lk.source, lk.target} == {kettle.id, tea.id}]
    assert [(lk.source, lk.target) for lk in new] == [(kettle.id, tea.id)]
    assert "Kettle now depends on Tea" in window.statusBar().currentMessage()


def test_undo_and_redo_keep_their_place_and_look_disabled_when_empty(qtbot, window: MainWindow) -> None:
    toolbar = window.findChild(type(window.addToolBar("probe")), "mainToolbar")
    undo_button = toolbar.widgetForAction(window.act_undo)
    redo_button = toolbar.widgetForAction(window.act_redo)
    assert not window.act_undo.isEnabled() and not window.act_redo.isEnabled()
    x_before, width_before = redo_button.x(), undo_button.width()
    kettle = comp(window, "Kettle")
    press_drag_release(qtbot, window.view.viewport(), scene_point(window, 0.43, 0.35), scene_point(window, 0.5, 0.5))
    qtbot.wait(10)
    assert window.act_undo.isEnabled()
    assert redo_button.x() == x_before and undo_button.width() == width_before
    assert "Move Kettle" in window.act_undo.toolTip() and "Ctrl+Z" in window.act_undo.toolTip()
    qtbot.mouseClick(undo_button, Qt.MouseButton.LeftButton)
    assert (comp(window, "Kettle").visibility, comp(window, "Kettle").evolution) == (kettle.visibility, kettle.evolution)
    assert not window.act_undo.isEnabled() and window.act_redo.isEnabled()


def test_an_edit_changes_each_undo_action_at_most_once_and_says_what_it_undoes(qtbot, window: MainWindow) -> None:
    """Each change of an action makes its toolbar button and menu item take it whole
    again and lay out: an edit used to change Undo and Redo up to a dozen times (the
    stack's four signals each set both actions' state and tooltip, twice), a tenth of
    an edit's time on a 5,000-component map."""
    changes = {"undo": 0, "redo": 0}
    window.act_undo.changed.connect(lambda: changes.__setitem__("undo", changes["undo"] + 1))
    window.act_redo.changed.connect(lambda: changes.__setitem__("redo", changes["redo"] + 1))
    kettle = comp(window, "Kettle")
    window.view.run(UpdateElementCommand(window.document, kettle.id, name="Big kettle"))
    assert changes["undo"] <= 2 and changes["redo"] <= 1, changes  # enabled, and what it undoes
    assert window.act_undo.toolTip() == f"Undo {window.stack.undoText()} (Ctrl+Z)"
    assert window.act_undo.isEnabled() and not window.act_redo.isEnabled()
    changes.update(undo=0, redo=0)
    window.stack.undo()
    assert changes["undo"] <= 2 and changes["redo"] <= 2, changes
    assert window.act_redo.isEnabled() and window.act_redo.toolTip().startswith(f"Redo {window.stack.redoText()} (")
    assert not window.act_undo.isEnabled() and window.act_undo.toolTip().startswith("Nothing to undo")


def _front(window: MainWindow):
    docks = (window.inspector_dock, window.contract_dock, window.guidance_dock, window.assessments_dock)
    return [d.objectName() for d in docks if not d.visibleRegion().isEmpty()]


def test_remove_dependency_keeps_the_contract_tab_in_front(qtbot, window: MainWindow, answer_dialog) -> None:
    from osom_desktop.model.service import Dependency

    window.act_show_contract.trigger()
    answer_dialog("No")  # no component for it on the map
    window.contract.add_dependency(Dependency(service_name="Hosting"))
    qtbot.wait(50)
    assert _front(window) == ["contractDock"]
    table = window.contract.dependencies
    table.selectRow(0)
    button = window.contract.remove_dependency
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    button.setFocus()
    assert button.hasFocus()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert window.document.data.contract.dependencies == []
    assert _front(window) == ["contractDock"]


def test_a_problem_goes_from_the_list_when_the_edit_that_made_it_is_undone(qtbot, window: MainWindow) -> None:
    text = window.text
    window.act_show_text.trigger() if window.text_dock.visibleRegion().isEmpty() else None
    text.editor.setFocus()
    text.editor.moveCursor(text.editor.textCursor().MoveOperation.End)
    for line in ("component Milk [0.5, 0.5]", "this is not owm"):
        qtbot.keyClick(text.editor, Qt.Key.Key_Return)
        qtbot.keyClicks(text.editor, line)
    text.flush()
    assert len(text.diagnostics) == 1 and text.problems.isVisible()
    toolbar_undo = window.findChild(type(window.addToolBar("probe")), "mainToolbar").widgetForAction(window.act_undo)
    qtbot.mouseClick(toolbar_undo, Qt.MouseButton.LeftButton)
    assert comp_names(window) == ["Business", "Cup of Tea", "Tea", "Hot Water", "Kettle"]
    qtbot.waitUntil(lambda: text.diagnostics == [], timeout=2000)
    assert not text.problems.isVisible()
    assert window._problems.text() == ""


def comp_names(w: MainWindow) -> list[str]:
    return [c.name for c in w.document.map.components]


def test_link_without_the_mouse_select_press_l_type_the_name(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer

    kettle, hot = comp(window, "Kettle"), comp(window, "Hot Water")
    window.view.select_ids([hot.id])
    window.view.setFocus()

    def type_into_picker(expected_title: str, tries: int = 250) -> None:
        # Wait for the picker to be the active modal (a loaded machine may take a while),
        # then type; if it never shows or is another dialog, close it rather than leave a
        # modal loop that no Python timeout can interrupt.
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries:
            QTimer.singleShot(20, lambda: type_into_picker(expected_title, tries - 1))
            return
        seen.append(dialog.windowTitle() if dialog is not None else None)
        if dialog is None or dialog.windowTitle() != expected_title:
            if dialog is not None:
                dialog.close()
            return
        # Into the picker's own field: on a loaded machine the application's focus may
        # not have moved to the dialog yet (typing into the dialog then missed the field,
        # and Return took the first name: a link the test did not ask for).
        field = dialog.findChild(QLineEdit, "pickerFilter")
        if field is None:  # not the picker: close it, the asserts below fail
            dialog.close()
            return
        qtbot.keyClicks(field, "ket")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        # Still up after Return (the typing went elsewhere): close it; the asserts fail.
        # (The dialog as context: the timer goes with it once it is closed and deleted.)
        QTimer.singleShot(3000, dialog, dialog.close)

    seen: list[str | None] = []
    links = len(window.document.map.links)
    QTimer.singleShot(50, lambda: type_into_picker("Link Hot Water to…"))
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert seen == ["Link Hot Water to…"]
    assert len(window.document.map.links) == links  # Hot Water already depends on Kettle: refused
    assert "already depends on" in window.statusBar().currentMessage()
    window.view.select_ids([comp(window, "Tea").id])
    QTimer.singleShot(50, lambda: type_into_picker("Link Tea to…"))
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert seen == ["Link Hot Water to…", "Link Tea to…"]
    tea = comp(window, "Tea")
    assert any(lk.source == tea.id and lk.target == kettle.id for lk in window.document.map.links)
    assert "Tea now depends on Kettle" in window.statusBar().currentMessage()


def test_n_adds_a_component_and_names_it_from_the_keyboard(qtbot, window: MainWindow) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    box = QApplication.focusWidget()
    assert box is not None and box.objectName() == "renameBox"
    box.selectAll()
    qtbot.keyClicks(box, "Milk")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert comp(window, "Milk") is not None


def test_add_need_opens_an_editor_the_person_can_see(qtbot, window: MainWindow) -> None:
    window.act_show_contract.trigger()
    needs = [f"Need number {i} that is written out at some length" for i in range(12)]
    window.contract.change_contract("Needs", {"user_needs": needs})
    qtbot.wait(20)
    window.contract._scroll.verticalScrollBar().setValue(window.contract._scroll.verticalScrollBar().maximum())
    qtbot.mouseClick(window.contract.add_need, Qt.MouseButton.LeftButton)
    qtbot.wait(20)
    editor = QApplication.focusWidget()
    assert editor is not None and window.contract.user_needs.isAncestorOf(editor)
    viewport = window.contract.user_needs.viewport()
    assert viewport.rect().contains(editor.geometry().center())
    # ...and that part of the list is on screen in the dock's scroll area
    scroll_view = window.contract._scroll.viewport()
    centre = editor.mapTo(scroll_view, editor.rect().center())
    assert scroll_view.rect().contains(centre)
