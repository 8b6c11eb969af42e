"""The panels behind a dock tab at start are built when first needed (issue 14), and a
panel built late is the same as one built at once: it shows the open document, is
read-only when the window is, offers the folder's services and reports refusals in
the status bar. The real MainWindow on real .osom files, real clicks on the dock tabs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.model import ServiceDocument
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow

LAZY = ("contract", "guidance", "assessments", "governance_records")


def _service(folder: Path, name: str, purpose: str = "") -> Path:
    doc = ServiceDocument()
    doc.service.name = name
    doc.contract.purpose = purpose
    path = folder / f"{name.lower()}.osom"
    save_document(doc, path)
    return path


def _dock_tab(w: MainWindow, title: str) -> tuple[QTabBar, int]:
    for bar in w.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.parent() is w and bar.isVisible() and bar.tabText(i).split(" (")[0] == title:
                return bar, i
    raise AssertionError(f"no visible dock tab {title!r}")


def test_the_panels_behind_tabs_wait_for_the_first_paint_then_are_all_built(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(_service(tmp_path, "Kettle", "Boils water"))
    assert all(w.built_panel(name) is None for name in LAZY)  # nothing behind a tab before the map is drawn
    w.show()
    qtbot.waitUntil(lambda: all(w.built_panel(name) is not None for name in LAZY), timeout=5000)
    assert w.contract.purpose.toPlainText() == "Boils water"
    assert w.contract_dock.widget() is w.contract
    w.stack.setClean()


def test_a_tab_clicked_before_its_panel_was_built_shows_the_panel(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(_service(tmp_path, "Kettle", "Boils water"))
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    # However far the building after the paint has got, Governance (built last) is
    # shown in full when its tab is clicked.
    bar, i = _dock_tab(w, "Governance")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: w.governance_dock.widget() is w.built_panel("governance_records"))
    panel = w.governance_records
    qtbot.waitUntil(panel.isVisible)
    assert not w.governance_dock.visibleRegion().isEmpty()
    assert panel.width() > 100 and panel.height() > 100
    bar, i = _dock_tab(w, "Contract")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: w.contract.purpose.isVisible())
    assert w.contract.purpose.toPlainText() == "Boils water"
    w.stack.setClean()


def test_a_panel_built_late_starts_from_the_window_as_it_is(qtbot, tmp_path: Path) -> None:
    """Read-only, the folder's services and refusals reach a panel made after them."""
    _service(tmp_path, "Water supply")
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(_service(tmp_path, "Kettle", "Boils water"))
    w.set_read_only(True)
    w.directory = ServiceDirectory.scan(tmp_path)
    assert w.built_panel("contract") is None and w.built_panel("guidance") is None
    assert w.contract.purpose.isReadOnly()
    assert w.assessments.record_button.isEnabled() is False  # enabled in an editable window
    assert [s.name for s in w.contract.services] == ["Water supply"]  # not itself
    w.set_read_only(False)
    assert not w.contract.purpose.isReadOnly() and w.assessments.record_button.isEnabled()
    w.governance_records.error_raised.emit("Reason for rejecting: must not be empty")
    assert w.statusBar().currentMessage() == "Reason for rejecting: must not be empty"
    w.stack.setClean()


def test_a_panel_built_before_another_file_is_opened_follows_it(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(_service(tmp_path, "Kettle", "Boils water"))
    assert w.contract.purpose.toPlainText() == "Boils water"  # built now, for the first file
    assert w.open_path(_service(tmp_path, "Toaster", "Browns bread"))
    assert w.contract.purpose.toPlainText() == "Browns bread"
    assert w.built_panel("guidance") is None or w.guidance.document is w.document
    assert w.guidance.document is w.document
    w.stack.setClean()


def test_changes_since_the_last_assessment_from_the_view_menu_before_its_panel_is_built(
        qtbot, tmp_path: Path) -> None:
    """The View menu's action exists from the first frame; used before the Assessments
    panel is built, it builds it and draws the assessed map as it did before."""
    import datetime as dt

    from osom_desktop.commands import run
    from osom_desktop.drawing.ghost import GhostRoot
    from osom_desktop.model import Assessment, AssessmentKind, AssessmentOutcome
    from osom_desktop.operations import record_assessment
    from osom_desktop.samples import sample_document

    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(path)
    assert w.built_panel("assessments") is None
    view_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
    [action] = [a for a in view_menu.actions() if a.objectName() == "showChangesSinceAssessment"]
    component = w.document.map.components[0]
    # An assessment of the map as it is, then a change: something to draw faintly.
    run(w.stack, record_assessment(w.document, Assessment(
        date=dt.date.today(), kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET, assessors=["Exec"])))
    w.view.select_ids([component.id])
    w.view.delete_selection()
    action.trigger()
    assert w.built_panel("assessments") is not None
    assert action is w.assessments.act_changes and action.isChecked()
    assert w.assessments.changes_button.isChecked()
    [root] = [i for i in w.scene.items() if isinstance(i, GhostRoot)]
    assert {e.name: e.kind for e in root.entries} == {component.name: "removed"}
    action.trigger()
    assert not [i for i in w.scene.items() if isinstance(i, GhostRoot)]
    assert not w.assessments.changes_button.isChecked()
    w.stack.setClean()
    w._force_modified = False


def test_a_dock_shortcut_before_its_panel_is_built_brings_it_with_the_focus(qtbot, tmp_path: Path) -> None:
    """Ctrl+Shift+G (View > Guidance) from the first frame: the panel is built, in front,
    and has the focus, as when it was built at start."""
    from PySide6.QtWidgets import QApplication

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(_service(tmp_path, "Kettle", "Boils water"))
    w.show()
    # A button held down (as in a drag) keeps the panels from being built after the
    # paint: the state of a window whose shortcut is pressed in its first moments.
    qtbot.mousePress(w.statusBar(), Qt.MouseButton.LeftButton)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    qtbot.wait(200)
    assert w.built_panel("guidance") is None
    assert w.act_show_guidance.shortcut().toString() == "Ctrl+Shift+G"
    w.act_show_guidance.trigger()
    qtbot.waitUntil(lambda: not w.guidance_dock.visibleRegion().isEmpty(), timeout=2000)
    assert w.guidance_dock.widget() is w.built_panel("guidance")
    assert w.guidance_dock.isAncestorOf(QApplication.focusWidget())
    qtbot.mouseRelease(w.statusBar(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.built_panel("governance_records") is not None, timeout=3000)
    w.stack.setClean()
