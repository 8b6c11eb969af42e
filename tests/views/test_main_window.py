"""The map editor driven as a person drives it: real mouse and keys on the real window
(offscreen), with the Document checked afterwards."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from osom_desktop.commands import UpdateElementCommand
from osom_desktop.model import Component, Evolve
from osom_desktop.model.service import ServiceDocument
from osom_desktop.owm import parse_owm
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import discard_changes, press_drag_release, scene_point  # discard_changes: others import it from here

TEA = """title Tea Shop
anchor Business [0.95, 0.63]
component Cup of Tea [0.79, 0.61]
component Tea [0.63, 0.81]
component Hot Water [0.52, 0.80]
component Kettle [0.43, 0.35]
Business->Cup of Tea
Cup of Tea->Tea
Cup of Tea->Hot Water
Hot Water->Kettle
"""


def tea_file(folder: Path, name: str = "tea.osom") -> Path:
    doc = ServiceDocument()
    doc.service.name = "Tea"
    doc.map = parse_owm(TEA).map
    path = folder / name
    save_document(doc, path)
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = MainWindow()  # closed below, not by qtbot: its close would stop at the prompt
    assert w.open_path(tea_file(tmp_path))
    w.show()
    qtbot.waitExposed(w)
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.6, 0.6))
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def names(w: MainWindow) -> list[str]:
    return [c.name for c in w.document.map.components]


def comp(w: MainWindow, name: str) -> Component:
    c = w.document.map.component_by_name(name)
    assert c is not None, name
    return c


def test_double_click_on_empty_canvas_adds_component_and_renames_in_place(qtbot, window: MainWindow) -> None:
    before = copy.deepcopy(window.document.data)
    spot = scene_point(window, 0.3, 0.6)
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert len(window.document.map.components) == 6
    added = window.document.map.components[-1]
    assert added.visibility == pytest.approx(0.3, abs=0.01) and added.evolution == pytest.approx(0.6, abs=0.01)
    box = window.view.viewport().findChild(QLineEdit, "renameBox")
    assert box is not None and box.isVisible()
    box.selectAll()
    qtbot.keyClicks(box, "Milk")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert comp(window, "Milk").id == added.id
    window.stack.undo()  # rename
    window.stack.undo()  # add
    assert window.document.data == before


def test_drag_moves_component_in_one_undo_step(qtbot, window: MainWindow) -> None:
    before = copy.deepcopy(window.document.data)
    kettle = comp(window, "Kettle")
    start = scene_point(window, kettle.visibility, kettle.evolution)
    end = scene_point(window, kettle.visibility + 0.1, kettle.evolution + 0.2)
    press_drag_release(qtbot, window.view.viewport(), start, end, steps=10)
    moved = comp(window, "Kettle")
    assert moved.visibility == pytest.approx(0.53, abs=0.01)
    assert moved.evolution == pytest.approx(0.55, abs=0.01)
    assert window.stack.count() == 1
    line = next(ln for ln in window.text.editor.toPlainText().splitlines() if ln.startswith("component Kettle"))
    assert line.startswith(f"component Kettle [{moved.visibility:g}, {moved.evolution:g}]")
    after = copy.deepcopy(window.document.data)
    window.stack.undo()
    assert window.document.data == before
    window.stack.redo()
    assert window.document.data == after


def test_dragging_the_evolved_copy_moves_the_evolve_target(qtbot, window: MainWindow) -> None:
    kettle = comp(window, "Kettle")
    window.view.run(UpdateElementCommand(window.document, kettle.id, evolve=Evolve(evolution=0.6)))
    start = scene_point(window, kettle.visibility, 0.6)
    end = scene_point(window, kettle.visibility, 0.75)
    press_drag_release(qtbot, window.view.viewport(), start, end)
    assert comp(window, "Kettle").evolve.evolution == pytest.approx(0.75, abs=0.01)
    assert (comp(window, "Kettle").visibility, comp(window, "Kettle").evolution) == (0.43, 0.35)
    assert "evolve Kettle 0.75" in window.text.editor.toPlainText()
    window.stack.undo()
    assert comp(window, "Kettle").evolve.evolution == 0.6


def test_drag_from_handle_links_two_components(qtbot, window: MainWindow) -> None:
    kettle, tea = comp(window, "Kettle"), comp(window, "Tea")
    window.view.select_ids([tea.id])
    handle = window.view._handle
    assert handle is not None and handle.isVisible()
    start = window.view.mapFromScene(handle.scenePos())
    end = scene_point(window, kettle.visibility, kettle.evolution)
    press_drag_release(qtbot, window.view.viewport(), start, end)
    new = [lk for lk in window.document.map.links if {lk.source, lk.target} == {tea.id, kettle.id}]
    assert len(new) == 1
    assert new[0].source == tea.id  # the higher component depends on the lower one
    assert "Tea->Kettle" in window.text.editor.toPlainText()
    window.stack.undo()
    assert not [lk for lk in window.document.map.links if {lk.source, lk.target} == {tea.id, kettle.id}]


def test_delete_key_removes_component_with_its_links_and_undo_restores(qtbot, window: MainWindow) -> None:
    before = copy.deepcopy(window.document.data)
    hot = comp(window, "Hot Water")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(window, hot.visibility, hot.evolution))
    assert window.view.selected_ids() == [hot.id]
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "Hot Water" not in names(window)
    assert all(hot.id not in (lk.source, lk.target) for lk in window.document.map.links)
    assert len(window.document.map.links) == 2
    window.stack.undo()
    assert window.document.data == before


def test_arrow_keys_nudge_as_one_step(qtbot, window: MainWindow) -> None:
    tea = comp(window, "Tea")
    window.view.select_ids([tea.id])
    window.view.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert comp(window, "Tea").evolution == pytest.approx(0.84)
    assert window.stack.count() == 1
    window.stack.undo()
    assert comp(window, "Tea").evolution == pytest.approx(0.81)


def test_text_edit_redraws_map_and_canvas_edit_rewrites_text(qtbot, window: MainWindow) -> None:
    editor = window.text.editor
    text = editor.toPlainText().replace("component Tea [0.63, 0.81]", "component Tea [0.5, 0.9]")
    text += "\ncomponent Milk [0.4, 0.7]\nCup of Tea->Milk\n"
    editor.setPlainText(text)
    window.text.apply_text()
    assert (comp(window, "Tea").visibility, comp(window, "Tea").evolution) == (0.5, 0.9)
    milk = comp(window, "Milk")
    assert window.scene.item_for_id(milk.id) is not None
    old_tea_id = comp(window, "Tea").id
    # Renaming in the text keeps the component's id (and so its links and history).
    editor.setPlainText(editor.toPlainText().replace("component Kettle", "component Electric Kettle")
                        .replace("Hot Water->Kettle", "Hot Water->Electric Kettle"))
    kettle_id_before = [c.id for c in window.document.map.components if c.name == "Kettle"]
    window.text.apply_text()
    assert comp(window, "Tea").id == old_tea_id
    assert comp(window, "Electric Kettle").id == kettle_id_before[0]
    # ... and the other way: the inspector renames, the text follows.
    window.view.select_ids([milk.id])
    window.inspector.name.setText("Oat Milk")
    window.inspector.name.editingFinished.emit()
    assert "component Oat Milk [0.4, 0.7]" in editor.toPlainText()
    assert "Cup of Tea->Oat Milk" in editor.toPlainText()


def test_text_diagnostics_listed_against_their_lines(qtbot, window: MainWindow) -> None:
    window.text.editor.setPlainText("title T\ncomponent A [0.5, 0.5]\nthis is not owm\n")
    window.text.apply_text()
    assert [d.line for d in window.text.diagnostics] == [3]
    assert window.text.problems.count() == 1 and "line 3" in window.text.problems.item(0).text()


def test_save_and_reopen_gives_equal_document(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.view.add_component_at(0.2, 0.2)
    assert window.isWindowModified()
    assert window.save()
    assert not window.isWindowModified()
    reopened = open_document(window.path)
    reopened.revisions = window.document.data.revisions
    assert reopened == window.document.data
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".osom") == ["tea.osom"]


def test_closing_with_unsaved_changes_asks(qtbot, window: MainWindow, answer_dialog) -> None:
    window.view.add_component_at(0.2, 0.2)
    seen = answer_dialog("Cancel")
    window.close()
    assert seen and "Save the changes" in seen[0]
    assert window.isVisible()
    seen = answer_dialog("Discard")
    window.close()
    assert not window.isVisible()
    assert len(open_document(window.path).map.components) == 5  # nothing saved


def test_closing_a_new_service_never_saved_names_it(qtbot, answer_dialog) -> None:
    """It asked "Save the changes to Bin collection (not saved) before closing?"."""
    w = MainWindow()
    w.start_new_service("Bin collection")
    w.show()
    qtbot.waitExposed(w)
    w.view.add_component_at(0.2, 0.2)
    seen = answer_dialog("Discard")
    w.close()
    assert seen and "Save the new service \N{LEFT DOUBLE QUOTATION MARK}Bin collection\N{RIGHT DOUBLE QUOTATION MARK}" \
        " before closing?" in seen[0] and "(not saved)" not in seen[0]


def test_map_text_typed_just_before_closing_is_asked_about_and_saved(qtbot, window: MainWindow, answer_dialog) -> None:
    # Typed, then closed at once: the pane parses after a pause, so without a flush the
    # window saw no change, asked nothing, and the line was lost.
    window.text.editor.setFocus()
    window.text.editor.moveCursor(window.text.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(window.text.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.text.editor, "component Typed Late [0.4, 0.4]")
    seen = answer_dialog("Save")
    window.close()
    assert seen and "Save the changes" in seen[0]
    assert not window.isVisible()
    assert "Typed Late" in [c.name for c in open_document(window.path).map.components]


def test_saving_over_a_file_changed_on_disk_asks(qtbot, window: MainWindow, answer_dialog) -> None:
    other = open_document(window.path)
    other.service.manager = "Someone else"
    save_document(other, window.path)
    window.view.add_component_at(0.2, 0.2)
    seen = answer_dialog("Cancel")
    assert not window.save()
    assert seen and "changed by someone else" in seen[0]
    assert open_document(window.path).service.manager == "Someone else"
    answer_dialog("Overwrite")
    assert window.save()
    assert len(open_document(window.path).map.components) == 6


def test_second_copy_is_warned_and_offered_read_only(qtbot, tmp_path: Path, answer_dialog) -> None:
    path = tea_file(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from osom_desktop.session.lock import DocumentLock;"
         "DocumentLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        w = MainWindow()
        qtbot.addWidget(w)
        seen = answer_dialog("Open Read-Only")
        assert w.open_path(path)
        assert seen and "already open" in seen[0]
        assert w.read_only and "[read-only]" in w.windowTitle()
        assert not w.act_save.isEnabled()
        assert w.view.read_only  # selecting and panning still work; nothing changes the map
    finally:
        holder.kill()
        holder.wait()


CRASHING_EDITOR = """
import os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from osom_desktop.views.main_window import MainWindow
w = MainWindow()
w.open_path(Path(sys.argv[1]))
w.view.add_component_at(0.25, 0.25)
w.autosave()
w.session.wait()  # the copy is written on the autosave thread
os._exit(9)  # a crash: no close, no clean-up
"""


def test_recovery_after_a_crash(qtbot, tmp_path: Path, answer_dialog) -> None:
    import os

    from osom_desktop.app import DesktopApp

    path = tea_file(tmp_path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", CRASHING_EDITOR, str(path)], env=env, capture_output=True, text=True)
    assert run.returncode == 9, run.stderr
    assert len(open_document(path).map.components) == 5  # the crash lost the edit on disk
    app = DesktopApp()
    seen = answer_dialog("Yes")
    assert app.offer_recovery() == 1
    assert seen and "tea.osom" in seen[0]
    window = app.windows[-1]
    assert window.isWindowModified()
    discard_changes(window)
    qtbot.addWidget(window)
    assert window.path == path
    assert len(window.document.map.components) == 6 and "New component 1" in names(window)
    assert DesktopApp().offer_recovery() == 0  # offered once, not again


def test_pasting_owm_text_adds_its_components_and_links(qtbot, window: MainWindow) -> None:
    QApplication.clipboard().setText("component Milk [0.4, 0.7]\ncomponent Tea [0.3, 0.9]\nMilk->Tea\n")
    window.paste()
    assert {"Milk", "Tea (2)"} <= set(names(window))  # a name already on the map gets a number
    milk, tea2 = comp(window, "Milk"), comp(window, "Tea (2)")
    assert any(lk.source == milk.id and lk.target == tea2.id for lk in window.document.map.links)
    window.stack.undo()
    assert "Milk" not in names(window)


def test_copy_then_paste_duplicates_selection(qtbot, window: MainWindow) -> None:
    window.view.select_ids([comp(window, "Hot Water").id, comp(window, "Kettle").id])
    window.copy()
    assert "Hot Water->Kettle" in QApplication.clipboard().text()
    window.paste()
    assert {"Hot Water (2)", "Kettle (2)"} <= set(names(window))


def test_dropping_an_osom_file_opens_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    other = tea_file(tmp_path, "other.osom")
    opened: list[Path] = []
    window.open_requested.connect(opened.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)  # what Qt calls once a drag is released over the window
    assert opened == [other]  # this window holds a document: the app opens another window


def test_find_component_selects_it(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer

    from osom_desktop.views.component_picker import ComponentPicker

    seen: list[ComponentPicker] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ComponentPicker)
        seen.append(dialog)
        qtbot.keyClicks(dialog.filter, "kett")
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)

    QTimer.singleShot(50, answer)
    window.find_component()
    # The title is never cut short ("Find c… onent").
    assert seen[0].width() >= seen[0].fontMetrics().horizontalAdvance(seen[0].windowTitle()) + 120
    assert window.view.selected_ids() == [comp(window, "Kettle").id]
    assert window.inspector.name.text() == "Kettle"


def test_export_owm_svg_png_from_the_window(qtbot, window: MainWindow, tmp_path: Path) -> None:
    for fmt in ("owm", "svg", "png"):
        assert window.export_to(tmp_path / f"map.{fmt}", fmt)
    assert parse_owm((tmp_path / "map.owm").read_text()).map.counts()["components"] == 4
    assert "Cup of Tea" in (tmp_path / "map.svg").read_text()
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_governance_pack_from_the_window(qtbot, window: MainWindow, tmp_path: Path) -> None:
    import subprocess

    assert window.export_pack(tmp_path / "pack.html")
    html = (tmp_path / "pack.html").read_text()
    assert "Tea" in html and "Content-Security-Policy" in html and "<script" not in html.lower()
    assert window.export_pack(tmp_path / "pack.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Cup of Tea" in text and "Kettle" in text
