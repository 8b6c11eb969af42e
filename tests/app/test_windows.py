"""The app's windows in this process: reopening a closed file, read-only canvases, and a
recovery copy that goes when the work is undone back to what is saved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from osom_desktop.app import DesktopApp
from osom_desktop.model.service import ServiceDocument
from osom_desktop.owm import parse_owm
from osom_desktop.storage import open_document, save_document
from tests.views.conftest import answer_dialog, press_drag_release, scene_point  # noqa: F401 - fixture

MAP = """title Tea
component Cup of Tea [0.79, 0.61]
component Kettle [0.43, 0.35]
Cup of Tea->Kettle
"""


def tea_file(folder: Path) -> Path:
    doc = ServiceDocument()
    doc.service.name = "Tea"
    doc.map = parse_owm(MAP).map
    path = folder / "tea.osom"
    save_document(doc, path)
    return path


def test_a_closed_file_opens_again_in_the_same_session(qtbot, tmp_path: Path) -> None:
    path = tea_file(tmp_path)
    app = DesktopApp()
    app.open(path)
    (first,) = app.windows
    qtbot.waitExposed(first)
    first.close()
    assert app.windows == []  # the closed window left the list
    app.open(path)  # File > Open, or Open Recent, of the same file
    (second,) = app.windows
    qtbot.addWidget(second)
    assert second is not first and second.isVisible() and second.path == path


@pytest.fixture
def read_only_window(qtbot, tmp_path: Path, answer_dialog):  # noqa: F811 - fixture
    path = tea_file(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from osom_desktop.session.lock import DocumentLock;"
         "DocumentLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        app = DesktopApp()
        answer_dialog("Open Read-Only")
        app.open(path)
        (w,) = app.windows
        qtbot.addWidget(w)
        qtbot.waitExposed(w)
        w.view.zoom_actual()
        w.view.centerOn(w.scene.to_scene(0.6, 0.6))
        assert w.read_only
        yield w
    finally:
        holder.kill()
        holder.wait()


def test_a_read_only_canvas_changes_nothing(qtbot, read_only_window) -> None:
    w = read_only_window
    before = w.document.data.model_copy(deep=True)
    viewport = w.view.viewport()
    # Double-click on empty canvas (adds a component when editable).
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=scene_point(w, 0.2, 0.8))
    # Drag a component.
    kettle = w.document.map.component_by_name("Kettle")
    start = scene_point(w, kettle.visibility, kettle.evolution)
    press_drag_release(qtbot, viewport, start, start + QPoint(80, -60), steps=10)
    # Double-click a component (renames in place when editable), then Delete and arrows.
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=start)
    w.view.select_ids([kettle.id])
    w.view.setFocus()
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_Up, Qt.Key.Key_F2):
        qtbot.keyClick(w.view, key)
    assert w.document.data == before
    assert w.stack.count() == 0
    assert not w.isWindowModified()  # the title never gains its "*"
    assert not w.view.selected_ids() or w.view.selected_ids() == [kettle.id]  # looking still works


def test_undoing_back_to_the_saved_state_removes_the_recovery_copy(qtbot, tmp_path: Path) -> None:
    path = tea_file(tmp_path)
    app = DesktopApp()
    app.open(path)
    (w,) = app.windows
    qtbot.addWidget(w)
    try:
        recovery = tmp_path / "recovery"

        def copies() -> int:
            return len(list(recovery.glob("*.osom"))) + len(list(recovery.glob("*.json")))

        w.view.add_component_at(0.2, 0.2)
        w.autosave()  # as the timer does
        qtbot.waitUntil(lambda: copies() == 2, timeout=5000)
        w.stack.undo()  # back to the saved file
        w.autosave()
        qtbot.waitUntil(lambda: copies() == 0, timeout=5000)  # a crash now offers nothing stale
        # ... and a copy is written again on the next change.
        w.view.add_component_at(0.3, 0.3)
        w.autosave()
        qtbot.waitUntil(lambda: copies() == 2, timeout=5000)
    finally:  # so closing at the end does not stop at the unsaved-changes prompt
        w.stack.setClean()
        w._force_modified = False


def test_a_same_size_copy_over_the_file_is_not_silently_overwritten(qtbot, tmp_path: Path, answer_dialog) -> None:  # noqa: F811
    import os
    import shutil

    path = tea_file(tmp_path)
    app = DesktopApp()
    app.open(path)
    (w,) = app.windows
    qtbot.addWidget(w)
    try:
        # A colleague copies their version over it with cp -p: same size, and (copied
        # the same second as ours was saved) the very same modification time.
        theirs = tmp_path / "theirs"
        theirs.mkdir()
        doc = ServiceDocument()
        doc.service.name = "Tee"
        doc.map = parse_owm(MAP).map
        save_document(doc, theirs / "tea.osom")
        st = path.stat()
        shutil.copy2(theirs / "tea.osom", path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
        w.view.add_component_at(0.2, 0.2)
        seen = answer_dialog("Cancel")
        assert not w.save()
        assert seen and "changed by someone else" in seen[0]
        assert open_document(path).service.name == "Tee"  # their version is still there
    finally:
        w.stack.setClean()
        w._force_modified = False


def test_a_name_still_being_typed_on_the_canvas_is_in_the_recovery_copy(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLineEdit

    path = tea_file(tmp_path)
    app = DesktopApp()
    app.open(path)
    (w,) = app.windows
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    try:
        kettle = w.document.map.component_by_name("Kettle")
        w.view.select_ids([kettle.id])
        w.view.setFocus()
        qtbot.keyClick(w.view, Qt.Key.Key_F2)  # rename in place
        box = w.view.viewport().findChild(QLineEdit, "renameBox")
        box.selectAll()
        qtbot.keyClicks(box, "Electric Kettle")  # typed, Return not pressed yet
        assert w.document.map.component_by_name("Kettle") is not None
        w.autosave()
        recovery = tmp_path / "recovery"
        qtbot.waitUntil(lambda: any(recovery.glob("*.json")), timeout=5000)
        w.session.wait()
        (copy,) = recovery.glob("*.osom")
        assert "Electric Kettle" in [c.name for c in open_document(copy).map.components]
    finally:
        if box := w.view.viewport().findChild(QLineEdit, "renameBox"):
            qtbot.keyClick(box, Qt.Key.Key_Escape)
        w.stack.setClean()
        w._force_modified = False


def test_a_further_window_is_cascaded_and_stays_on_the_screen(qtbot, tmp_path: Path) -> None:
    """File > New beside an open window: the window manager's cascade put the second
    full-size window's status bar under the edge of a 1280x800 screen."""
    from osom_desktop.app import CASCADE

    app = DesktopApp()
    app.open(tea_file(tmp_path))
    (first,) = app.windows
    qtbot.addWidget(first)
    qtbot.waitExposed(first)
    room = first.screen().availableGeometry()
    first.move(room.topLeft())
    first.resize(room.size())  # as large as the screen allows, as on a small laptop

    second = app.new_service("Parking Permits")
    qtbot.addWidget(second)
    qtbot.waitExposed(second)
    third = app.new_service("Bins")
    qtbot.addWidget(third)
    qtbot.waitExposed(third)

    assert second.frameGeometry().topLeft() - first.frameGeometry().topLeft() == QPoint(CASCADE, CASCADE)
    for window in (second, third):
        assert room.contains(window.frameGeometry()), (window.frameGeometry(), room)
    for window in app.windows:
        window.stack.setClean()  # nothing to ask about when the test closes them
