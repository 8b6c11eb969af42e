"""Assessments recorded through their dialog, and the three service docks in the real
window: menus, shortcuts, read-only files, and what is typed being saved."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from osom_desktop.model import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    Document,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.assessments import AssessmentsWidget
from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.record_dialogs import AssessmentDialog, ContractChangeDialog
from tests.views.forms import answer_form, pick, type_into


def saved_sample(folder: Path) -> tuple[Path, ServiceDocument]:
    path = folder / "notifications.osom"
    save_document(sample_document(), path)
    return path, open_document(path)


@pytest.fixture
def panel(qtbot, tmp_path: Path) -> AssessmentsWidget:
    _path, data = saved_sample(tmp_path)
    widget = AssessmentsWidget(Document(data), QUndoStack())
    widget._test_stack = widget.stack
    qtbot.addWidget(widget)
    widget.resize(460, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
    return widget


def test_record_an_assessment_save_reopen_and_undo(qtbot, panel: AssessmentsWidget, tmp_path: Path) -> None:
    doc = panel.document
    before = copy.deepcopy(doc.data)

    def fill(d: AssessmentDialog) -> None:
        assert d.kind.value() is AssessmentKind.PERIODIC  # a live service: periodic by default
        d.date.setDate(d.date.date().fromString("2026-11-20", "yyyy-MM-dd"))
        pick(d.outcome, "Met with conditions")
        type_into(qtbot, d.assessors, "Executive team,  Grace Hopper , ")
        type_into(qtbot, d.notes, "Letters to move by spring.")

    seen = answer_form(AssessmentDialog, fill)
    panel.record_button.click()
    assert seen
    new = doc.data.assessments[-1]
    assert new.date == dt.date(2026, 11, 20) and new.kind is AssessmentKind.PERIODIC
    assert new.from_stage is None and new.to_stage is None
    assert new.outcome is AssessmentOutcome.MET_WITH_CONDITIONS
    assert new.assessors == ["Executive team", "Grace Hopper"] and new.notes == "Letters to move by spring."
    assert new.map_revision == doc.data.revisions[-1].number == 1
    # The map as it was is kept with the record: equal, but a copy later edits cannot reach.
    assert doc.data.map.components and new.map_snapshot == doc.data.map
    assert new.map_snapshot is not doc.data.map
    assert new.map_snapshot.components[0] is not doc.data.map.components[0]
    assert panel.table.topLevelItem(0).text(0) == "2026-11-20"  # newest first
    assert "map revision 1" in panel.detail.text()

    after = copy.deepcopy(doc.data)
    panel.stack.undo()
    assert doc.data == before and panel.table.topLevelItemCount() == 1
    panel.stack.redo()
    assert doc.data == after

    path = tmp_path / "again.osom"
    save_document(doc.data, path)
    reopened = open_document(path)
    assert reopened.assessments == after.assessments
    assert reopened.assessments[-1].map_snapshot == doc.data.map


def test_a_transition_needs_the_stage_it_moves_to(qtbot, panel: AssessmentsWidget) -> None:
    messages: list[str | None] = []

    def fill(d: AssessmentDialog) -> None:
        pick(d.kind, "Transition")
        pick(d.to_stage, "—")
        d.ok_button.click()
        messages.append(d.errors.message(d.to_stage))

    answer_form(AssessmentDialog, fill)
    panel.record_dialog()
    assert messages[0] is not None and "stage it moves to" in messages[0]
    assert len(panel.document.data.assessments) == 1


def test_a_met_transition_recorded_here_offers_to_move_the_service(qtbot, answer_dialog) -> None:
    data = ServiceDocument()
    data.service.lifecycle = LifecycleStage.BETA
    widget = AssessmentsWidget(Document(data), QUndoStack())
    widget._test_stack = widget.stack
    qtbot.addWidget(widget)
    before = copy.deepcopy(data)

    def fill(d: AssessmentDialog) -> None:
        assert (d.kind.value(), d.from_stage.value(), d.to_stage.value()) == (
            AssessmentKind.TRANSITION, LifecycleStage.BETA, LifecycleStage.LIVE)

    answer_form(AssessmentDialog, fill)
    asked = answer_dialog("Yes")
    assert widget.record_dialog()
    assert asked and widget.document.data.service.lifecycle is LifecycleStage.LIVE
    assert widget.document.data.assessments[-1].map_snapshot == data.map
    assert widget.stack.count() == 1  # the assessment and the move: one step
    widget.stack.undo()
    assert widget.document.data == before


def test_edit_and_remove_are_undoable(qtbot, panel: AssessmentsWidget) -> None:
    doc = panel.document
    doc.data.assessments[0].map_snapshot = copy.deepcopy(doc.data.map)
    before = copy.deepcopy(doc.data)

    def fill(d: AssessmentDialog) -> None:
        type_into(qtbot, d.notes, "Rewritten notes")

    answer_form(AssessmentDialog, fill)
    panel.edit_button.click()
    assert doc.data.assessments[0].notes == "Rewritten notes"
    assert doc.data.assessments[0].map_revision == before.assessments[0].map_revision
    assert doc.data.assessments[0].map_snapshot == before.assessments[0].map_snapshot is not None  # editing keeps it
    panel.remove_button.click()
    assert doc.data.assessments == []
    panel.stack.undo()
    panel.stack.undo()
    assert doc.data == before


# -- the docks in the window ------------------------------------------------------------


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path, _data = saved_sample(tmp_path)
    w = MainWindow()
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()
    w.deleteLater()


def test_window_has_the_service_docks_menu_and_shortcuts(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Service" in titles
    assert window.contract.document is window.document  # rewired on open
    assert window.contract.name.text() == "Notifications"
    assert window.assessments.table.topLevelItemCount() == 1
    for action, dock, key in ((window.act_show_contract, window.contract_dock, "Ctrl+Shift+C"),
                              (window.act_show_guidance, window.guidance_dock, "Ctrl+Shift+G"),
                              (window.act_show_assessments, window.assessments_dock, "Ctrl+Shift+E")):
        assert action.shortcut().toString() == key
        action.trigger()  # behind the inspector's tab: brought to the front and focused, not hidden
        qtbot.waitUntil(lambda dock=dock: not dock.visibleRegion().isEmpty(), timeout=2000)
        assert not dock.isHidden() and dock.isAncestorOf(QApplication.focusWidget())
        action.trigger()  # in front with the focus: hidden
        assert dock.isHidden() and not action.isChecked()
        action.trigger()
        assert not dock.isHidden() and action.isChecked()


def test_saving_takes_the_field_still_being_typed_in(qtbot, window: MainWindow, answer_dialog) -> None:
    window.act_show_contract.trigger()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.contract.manager.setFocus()
    qtbot.waitUntil(window.contract.manager.hasFocus, timeout=2000)
    window.contract.manager.selectAll()
    qtbot.keyClicks(window.contract.manager, "Sam Lee")
    # The sample service is live: a new manager is a contract change, asked for its reason.
    asked = answer_form(ContractChangeDialog, lambda d: d.reason.setPlainText("Ann moved to payments"))
    assert window.save()
    assert len(asked) == 1
    saved = open_document(window.path)
    assert saved.service.manager == "Sam Lee"
    assert saved.contract_changes[-1].reason == "Ann moved to payments"
    assert "Service manager" in saved.contract_changes[-1].summary


def test_tab_into_a_dock_behind_another_brings_it_to_the_front(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.act_show_contract.trigger()
    assert window.guidance_dock.visibleRegion().isEmpty()
    window.guidance.load_button.setFocus(Qt.FocusReason.TabFocusReason)  # where Tab goes after the contract
    qtbot.waitUntil(lambda: not window.guidance_dock.visibleRegion().isEmpty(), timeout=2000)


def test_read_only_window_edits_nothing_in_the_docks(qtbot, window: MainWindow) -> None:
    window.set_read_only(True)
    assert window.contract.name.isReadOnly() and not window.contract.add_measure.isEnabled()
    assert not window.assessments.record_button.isEnabled() and not window.act_record_assessment.isEnabled()
    assert not window.guidance.remove_button.isEnabled()
    assert not window.assessments.record_dialog()
    window.set_read_only(False)
    assert not window.contract.name.isReadOnly() and window.assessments.record_button.isEnabled()


def test_lifecycle_move_from_the_window_is_one_undo_step(qtbot, window: MainWindow) -> None:
    before = copy.deepcopy(window.document.data)
    answer_form(AssessmentDialog)
    pick(window.contract.lifecycle, "Retired")
    assert window.document.data.service.lifecycle is LifecycleStage.RETIRED
    assert window.assessments.table.topLevelItemCount() == 2
    window.act_undo.trigger()
    assert window.document.data == before
    assert window.contract.lifecycle.currentText() == "Live"


def test_a_layout_saved_before_the_service_docks_does_not_squeeze_them(qtbot) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

    old = QMainWindow()
    old.setObjectName("MainWindow")
    for name, area in (("textDock", Qt.DockWidgetArea.LeftDockWidgetArea),
                       ("inspectorDock", Qt.DockWidgetArea.RightDockWidgetArea)):
        dock = QDockWidget(name, old)
        dock.setObjectName(name)
        dock.setWidget(QLabel(name))
        old.addDockWidget(area, dock)
    QSettings().setValue("window/state", old.saveState())  # as the app saved it before
    old.deleteLater()
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.inspector_dock in w.tabifiedDockWidgets(w.contract_dock)  # still tabbed with the inspector
    assert len(w.tabifiedDockWidgets(w.contract_dock)) == 6  # and the text, guidance, assessments, governance, findings
    w.guidance_dock.hide()
    w.close()  # saves this version's layout
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.guidance_dock.isHidden()  # this version's layout is restored


def test_the_dock_and_the_findings_agree_on_when_the_service_was_last_assessed(qtbot, tmp_path: Path) -> None:
    """A future-dated assessment has not happened: the dock used to say "last assessed"
    on it while the Findings counted from the one before. Both now use one rule."""
    from osom_desktop.views.findings_panel import FindingsPanel

    data = sample_document()  # live
    today = dt.date.today()
    past, future = today - dt.timedelta(days=800), today + dt.timedelta(days=30)
    data.assessments = [
        Assessment(date=past, kind="periodic", outcome="met"),
        Assessment(date=future, kind="periodic", outcome="met"),
    ]
    path = tmp_path / "notifications.osom"
    save_document(data, path)
    doc = Document(open_document(path))
    dock = AssessmentsWidget(doc, QUndoStack())
    findings = FindingsPanel(doc)
    qtbot.addWidget(dock)
    qtbot.addWidget(findings)
    summary = dock.summary.text()
    assert f"Last assessed {past.isoformat()}" in summary and "800 days" in summary
    assert "a periodic assessment is due" in summary
    assert future.isoformat() not in summary
    assert dock.table.topLevelItem(0).text(0) == f"{future.isoformat()}\n(not held yet)"
    assert any(f"last assessed on {past.isoformat()}, 800 days ago" in f.message for f in findings.findings)


def test_the_dock_counts_scores_as_scores(qtbot, panel: AssessmentsWidget) -> None:
    """A set scored 1 to 5 next to a red/amber/green one: the dock's summary says "40
    scored 5", not "40 5"."""
    from osom_desktop.commands import PlanCommand, run
    from osom_desktop.model.service import CriterionResult
    from osom_desktop.operations.lifecycle import record_assessment

    results = [CriterionResult(criterion_id=f"g{k}", decision="green") for k in range(2)]
    results += [CriterionResult(criterion_id=f"s{k}", decision="5") for k in range(3)]
    results += [CriterionResult(criterion_id="s9", decision="2")]
    assessment = Assessment(date=dt.date(2026, 11, 30), kind=AssessmentKind.PERIODIC,
                            outcome=AssessmentOutcome.MET, assessors=["Board"], results=results)
    run(panel.stack, PlanCommand(record_assessment(panel.document, assessment, move=False)))
    QApplication.processEvents()
    panel.table.setCurrentItem(panel.table.topLevelItem(0))
    assert "6 criteria: 2 green, 3 scored 5, 1 scored 2." in panel.detail.text()
