"""The contract editor driven as a person drives it: keys into fields, Tab out, dialogs
filled and confirmed; the Document, the undo stack and the saved file checked after."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from osom_desktop.analysis.directory import ServiceSummary
from osom_desktop.model import (
    AssessmentKind,
    AssessmentOutcome,
    Dependency,
    Document,
    EvolutionStage,
    LifecycleStage,
    MeasureDirection,
    ServiceDocument,
)
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.contract_editor import ContractEditor
from osom_desktop.views.record_dialogs import (
    AssessmentDialog,
    ContractChangeDialog,
    DependencyDialog,
    MeasureDialog,
    RecordedValueDialog,
)
from osom_desktop.views.widgets import tip
from tests.views.forms import answer_form, pick, type_into
from tests.views.test_inspector_services import answer_boxes


def make_editor(qtbot, data: ServiceDocument) -> ContractEditor:
    doc = Document(data)
    stack = QUndoStack()
    editor = ContractEditor(doc, stack)
    editor._test_stack = stack  # keep the stack alive as long as the editor
    qtbot.addWidget(editor)
    editor.resize(460, 900)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    return editor


@pytest.fixture
def editor(qtbot) -> ContractEditor:
    return make_editor(qtbot, ServiceDocument())


@pytest.fixture
def live_editor(qtbot) -> ContractEditor:
    return make_editor(qtbot, sample_document())


def undo_all(stack: QUndoStack) -> None:
    while stack.canUndo():
        stack.undo()


def redo_all(stack: QUndoStack) -> None:
    while stack.canRedo():
        stack.redo()


def edit_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Open a table cell's editor (F2), type, press Return: as a person edits a cell."""
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert editors, "no cell editor opened"
    editors[0].selectAll()
    qtbot.keyClicks(editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)


# -- filling in a contract ---------------------------------------------------------------


def test_fill_in_a_contract_save_reopen_and_undo_everything(qtbot, editor: ContractEditor, tmp_path: Path,
                                                             answer_dialog) -> None:
    doc, stack = editor.document, editor.stack
    empty = copy.deepcopy(doc.data)

    type_into(qtbot, editor.name, "Payments")
    type_into(qtbot, editor.manager, "Joan Kay")
    type_into(qtbot, editor.purpose, "Takes payments for other services.")
    editor.add_need.click()
    need_editor = [w for w in editor.user_needs.viewport().findChildren(QLineEdit) if w.isVisible()][0]
    qtbot.keyClicks(need_editor, "As a citizen I need to pay online")
    qtbot.keyClick(need_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.data.contract.user_needs == ["As a citizen I need to pay online"], timeout=2000)
    pick(editor.evolution, "Product (+rental)")
    type_into(qtbot, editor.usage, "REST API for services in the network.")
    type_into(qtbot, editor.success, "99.9% of payments taken within 2 seconds.")
    type_into(qtbot, editor.failure, "Failed payments are refunded within a day.")
    type_into(qtbot, editor.help, "Page the on-call engineer.")

    def fill_measure(d: MeasureDialog) -> None:
        type_into(qtbot, d.name, "Payments taken")
        type_into(qtbot, d.unit, "%")
        type_into(qtbot, d.target, "99.5")

    seen = answer_form(MeasureDialog, fill_measure)
    editor.add_measure.click()
    assert seen

    def fill_value(d: RecordedValueDialog) -> None:
        d.date.setDate(d.date.date().fromString("2026-10-31", "yyyy-MM-dd"))
        type_into(qtbot, d.value, "99.7")
        type_into(qtbot, d.note, "first month")

    seen = answer_form(RecordedValueDialog, fill_value)
    editor.record_value.click()
    assert seen

    def fill_dependency(d: DependencyDialog) -> None:
        type_into(qtbot, d.service_name, "Identity")
        type_into(qtbot, d.description, "Checks who may pay")

    # No other service files here: the name is used only when the person says so,
    # then the map offer: add a component provided by Identity.
    asked = answer_boxes(["Use \u201cIdentity\u201d anyway", "Yes"])
    seen = answer_form(DependencyDialog, fill_dependency)
    editor.add_dependency_button.click()
    assert seen and len(asked) == 2 and "No service" in asked[0]

    data = doc.data
    assert data.service.name == "Payments" and data.service.manager == "Joan Kay"
    c = data.contract
    assert c.purpose == "Takes payments for other services."
    assert c.user_needs == ["As a citizen I need to pay online"]
    assert c.evolution_stage is EvolutionStage.PRODUCT
    assert c.usage.startswith("REST API") and c.expectations_success.startswith("99.9%")
    assert c.expectations_failure.startswith("Failed") and c.help == "Page the on-call engineer."
    [m] = c.measures
    assert (m.name, m.unit, m.target, m.direction) == ("Payments taken", "%", 99.5, MeasureDirection.HIGHER_IS_BETTER)
    assert [(v.date, v.value, v.note) for v in m.values] == [(dt.date(2026, 10, 31), 99.7, "first month")]
    [dep] = c.dependencies
    assert (dep.service_name, dep.description) == ("Identity", "Checks who may pay")
    [component] = data.map.components
    assert component.name == "Identity" and component.provided_by.name == "Identity"
    assert data.contract_changes == []  # in discovery: no reasons asked, none recorded
    # One undo step per edit: 2 service fields, purpose, need, evolution, 4 texts, measure,
    # value, dependency with its map component.
    assert stack.count() == 12

    filled = copy.deepcopy(doc.data)
    undo_all(stack)
    assert doc.data == empty
    assert editor.name.text() == "Untitled service" and editor.measures.rowCount() == 0
    redo_all(stack)
    assert doc.data == filled
    assert editor.purpose.toPlainText() == "Takes payments for other services."

    path = tmp_path / "payments.osom"
    save_document(doc.data, path)
    reopened = open_document(path)
    assert reopened.service == filled.service and reopened.contract == filled.contract
    assert reopened.map.components[0].provided_by.name == "Identity"


def test_undo_and_redo_update_the_fields(qtbot, editor: ContractEditor) -> None:
    type_into(qtbot, editor.purpose, "First purpose")
    type_into(qtbot, editor.purpose, "Second purpose")
    editor.stack.undo()
    assert editor.purpose.toPlainText() == "First purpose"
    editor.stack.redo()
    assert editor.purpose.toPlainText() == "Second purpose"


def test_typing_alone_commits_nothing_escape_reverts(qtbot, editor: ContractEditor) -> None:
    editor.usage.setFocus()
    qtbot.waitUntil(editor.usage.hasFocus, timeout=2000)
    qtbot.keyClicks(editor.usage, "half typed")
    assert editor.document.data.contract.usage == "" and editor.stack.count() == 0
    qtbot.keyClick(editor.usage, Qt.Key.Key_Escape)
    assert editor.usage.toPlainText() == ""
    qtbot.keyClick(editor.usage, Qt.Key.Key_Tab)
    assert editor.stack.count() == 0


def test_flush_commits_the_field_being_typed_in(qtbot, editor: ContractEditor) -> None:
    editor.help.setFocus()
    qtbot.waitUntil(editor.help.hasFocus, timeout=2000)
    qtbot.keyClicks(editor.help, "Ring 555")
    editor.flush()  # what the window does before saving
    assert editor.document.data.contract.help == "Ring 555"


# -- refused values ------------------------------------------------------------------


def test_empty_service_name_is_shown_on_the_field_and_changes_nothing(qtbot, editor: ContractEditor) -> None:
    before = copy.deepcopy(editor.document.data)
    type_into(qtbot, editor.name, "")
    message = editor.errors.message(editor.name)
    assert message == "Service name: must not be empty"  # the form's words, not the model's path
    assert editor.errors.label_for(editor.name).isVisible()
    assert editor.name.toolTip() == tip(message)
    assert editor.document.data == before and editor.stack.count() == 0
    type_into(qtbot, editor.name, "Payments")  # fixing it clears the message
    assert editor.errors.message(editor.name) is None
    assert not editor.errors.label_for(editor.name).isVisible()
    assert editor.document.data.service.name == "Payments"


def test_measure_target_abc_in_the_table_is_refused_on_the_cell(qtbot, live_editor: ContractEditor) -> None:
    editor = live_editor
    before = copy.deepcopy(editor.document.data)
    edit_cell(qtbot, editor.measures, 0, 2, "abc")
    qtbot.waitUntil(lambda: editor.errors.message(editor.measures) is not None, timeout=2000)
    message = editor.errors.message(editor.measures)
    assert "target" in message and "abc" in message
    assert editor.measures.item(0, 2).toolTip() == tip(message)
    assert editor.document.data == before and editor.stack.count() == 0


def test_measure_dialog_refuses_target_abc_on_its_field(qtbot, editor: ContractEditor) -> None:
    messages: list[str | None] = []

    def fill(d: MeasureDialog) -> None:
        type_into(qtbot, d.name, "Latency")
        type_into(qtbot, d.target, "abc")
        d.ok_button.click()
        messages.append(d.errors.message(d.target))
        assert d.isVisible()  # still open: nothing recorded yet

    seen = answer_form(MeasureDialog, fill)
    editor.add_measure_dialog()
    assert seen and messages[0] is not None and "target" in messages[0]
    assert editor.document.data.contract.measures == [] and editor.stack.count() == 0


# -- a live service's contract changes sparingly -----------------------------------------


def test_live_contract_change_records_reason_in_the_same_undo_step(qtbot, live_editor: ContractEditor) -> None:
    editor, doc = live_editor, live_editor.document
    before = copy.deepcopy(doc.data)

    def fill(d: ContractChangeDialog) -> None:
        assert "Purpose" in d.changes.text()
        type_into(qtbot, d.reason, "Letters move to the print service", commit_key=Qt.Key.Key_Tab)
        type_into(qtbot, d.author, "Executive")

    seen = answer_form(ContractChangeDialog, fill)
    type_into(qtbot, editor.purpose, "Sends emails and text messages to citizens.")
    assert seen
    assert doc.data.contract.purpose == "Sends emails and text messages to citizens."
    [change] = doc.data.contract_changes
    assert change.reason == "Letters move to the print service" and change.author == "Executive"
    assert change.date == dt.date.today() and change.summary.startswith("Purpose:")
    assert editor.stack.count() == 1
    assert editor.changes.topLevelItemCount() == 1
    after = copy.deepcopy(doc.data)
    editor.stack.undo()
    assert doc.data == before
    editor.stack.redo()
    assert doc.data == after


def test_live_contract_change_cancelled_changes_nothing(qtbot, live_editor: ContractEditor) -> None:
    editor, doc = live_editor, live_editor.document
    before = copy.deepcopy(doc.data)
    seen = answer_form(ContractChangeDialog, accept=False)
    type_into(qtbot, editor.help, "Email us.")
    assert seen
    assert doc.data == before and editor.stack.count() == 0
    assert editor.help.toPlainText() == before.contract.help  # the field shows the contract again


def test_direction_chosen_in_the_table_asks_one_reason(qtbot, live_editor: ContractEditor) -> None:
    from PySide6.QtWidgets import QComboBox

    editor = live_editor
    seen = answer_form(ContractChangeDialog, lambda d: type_into(qtbot, d.reason, "Target is a ceiling now"))
    editor.measures.setFocus()
    editor.measures.setCurrentCell(0, 3)
    qtbot.keyClick(editor.measures, Qt.Key.Key_F2)
    [combo] = [w for w in editor.measures.viewport().findChildren(QComboBox) if w.isVisible()]
    combo.setCurrentIndex(combo.findText("Lower is better"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.document.data.contract_changes != [], timeout=2000)
    qtbot.wait(50)  # a second prompt would have opened by now
    assert len(seen) == 1
    assert editor.document.data.contract.measures[0].direction is MeasureDirection.LOWER_IS_BETTER
    assert editor.measures.item(0, 3).text() == "Lower is better"
    [change] = editor.document.data.contract_changes
    assert change.summary == "Measure 'Delivered within 10 minutes': higher is better → lower is better"


def test_the_reason_is_required(qtbot, live_editor: ContractEditor) -> None:
    messages: list[str | None] = []

    def fill(d: ContractChangeDialog) -> None:
        d.ok_button.click()
        messages.append(d.errors.message(d.reason))
        type_into(qtbot, d.reason, "Agreed at the March review")

    seen = answer_form(ContractChangeDialog, fill)
    pick(live_editor.evolution, "Commodity (+utility)")
    assert seen and messages[0] == "Reason for the change: must not be empty"  # the form's words
    [change] = live_editor.document.data.contract_changes
    assert change.summary == "Evolution stage: Product (+rental) → Commodity (+utility)"


def test_recording_a_measure_value_on_a_live_service_asks_no_reason(qtbot, live_editor: ContractEditor) -> None:
    def fill(d: RecordedValueDialog) -> None:
        type_into(qtbot, d.value, "98.2")

    seen = answer_form(RecordedValueDialog, fill)
    live_editor.record_value.click()
    assert seen
    assert live_editor.document.data.contract.measures[0].values[-1].value == 98.2
    assert live_editor.document.data.contract_changes == []


# -- lifecycle -----------------------------------------------------------------------


def test_moving_forward_with_the_assessment_cancelled_leaves_the_stage(qtbot, editor: ContractEditor) -> None:
    before = copy.deepcopy(editor.document.data)
    seen = answer_form(AssessmentDialog, accept=False)
    pick(editor.lifecycle, "Alpha")
    assert seen
    assert editor.document.data == before and editor.stack.count() == 0
    assert editor.lifecycle.currentText() == "Discovery"


def test_moving_forward_records_the_assessment_and_the_stage_as_one_step(qtbot, editor: ContractEditor,
                                                                         tmp_path: Path) -> None:
    doc = editor.document
    revision = save_document(doc.data, tmp_path / "s.osom")  # the map as assessed is revision 1
    doc.data.revisions = open_document(tmp_path / "s.osom").revisions
    before = copy.deepcopy(doc.data)

    def fill(d: AssessmentDialog) -> None:
        assert not d.to_stage.isEnabled()  # the move decides from and to
        type_into(qtbot, d.assessors, "Executive team, Ada Lovelace")

    seen = answer_form(AssessmentDialog, fill)
    pick(editor.lifecycle, "Alpha")
    assert seen
    [a] = doc.data.assessments
    assert (a.kind, a.from_stage, a.to_stage) == (AssessmentKind.TRANSITION, LifecycleStage.DISCOVERY, LifecycleStage.ALPHA)
    assert a.assessors == ["Executive team", "Ada Lovelace"] and a.outcome is AssessmentOutcome.MET
    assert a.map_revision == revision.number == 1
    assert a.map_snapshot == doc.data.map and a.map_snapshot is not doc.data.map
    assert doc.data.service.lifecycle is LifecycleStage.ALPHA
    assert editor.stack.count() == 1
    editor.stack.undo()
    assert doc.data == before and editor.lifecycle.currentText() == "Discovery"


def test_an_assessment_not_met_keeps_the_stage(qtbot, editor: ContractEditor) -> None:
    def fill(d: AssessmentDialog) -> None:
        pick(d.outcome, "Not met")

    messages: list[str] = []
    editor.message_shown.connect(messages.append)
    answer_form(AssessmentDialog, fill)
    pick(editor.lifecycle, "Alpha")
    [a] = editor.document.data.assessments
    assert a.outcome is AssessmentOutcome.NOT_MET
    assert editor.document.data.service.lifecycle is LifecycleStage.DISCOVERY
    assert editor.lifecycle.currentText() == "Discovery"
    assert messages and "stays in discovery" in messages[0]


def test_moving_back_asks_for_confirmation(qtbot, live_editor: ContractEditor, answer_dialog) -> None:
    doc = live_editor.document
    seen = answer_dialog("No")
    pick(live_editor.lifecycle, "Beta")
    assert seen and doc.data.service.lifecycle is LifecycleStage.LIVE
    assert live_editor.lifecycle.currentText() == "Live"
    seen = answer_dialog("Yes")
    pick(live_editor.lifecycle, "Beta")
    assert seen and doc.data.service.lifecycle is LifecycleStage.BETA
    assert doc.data.assessments == sample_document().assessments  # no assessment needed


# -- dependencies and the map ---------------------------------------------------------


def test_declining_the_map_offer_adds_only_the_dependency(qtbot, editor: ContractEditor, answer_dialog) -> None:
    answer_dialog("No")
    editor.add_dependency(Dependency(service_name="Hosting", description="Runs it"))
    assert [d.service_name for d in editor.document.data.contract.dependencies] == ["Hosting"]
    assert editor.document.map.components == []


def test_accepted_map_component_is_undone_with_the_dependency(qtbot, editor: ContractEditor, answer_dialog) -> None:
    before = copy.deepcopy(editor.document.data)
    hosting = ServiceDocument()
    hosting.service.name = "Hosting"
    hosting.contract.evolution_stage = EvolutionStage.COMMODITY
    editor.set_services([ServiceSummary.of(hosting, "hosting.osom")])
    answer_dialog("Yes")
    editor.add_dependency(Dependency(service_name="hosting"))
    [c] = editor.document.map.components
    assert c.provided_by.name == "hosting" and c.provided_by.service_id == hosting.service.id
    assert c.evolution == 0.85 and c.visibility == 0.3  # mid-commodity: the stage Hosting declares
    assert editor.document.data.contract.dependencies[0].service_id == hosting.service.id
    assert editor.stack.count() == 1
    editor.stack.undo()
    assert editor.document.data == before


def test_a_second_dependency_on_the_same_service_is_refused_in_the_dialog(qtbot, live_editor: ContractEditor) -> None:
    messages: list[str | None] = []

    def fill(d: DependencyDialog) -> None:
        type_into(qtbot, d.service_name, "identity")
        d.ok_button.click()
        messages.append(d.errors.message(d.service_name))

    answer_form(DependencyDialog, fill)
    live_editor.add_dependency_dialog()
    assert messages[0] is not None and "already depends" in messages[0]
    assert len(live_editor.document.data.contract.dependencies) == 2
