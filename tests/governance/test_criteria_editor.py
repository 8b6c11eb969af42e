"""Edit Criteria Catalogue, driven like a person: real dialog, real files, real loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from osom_desktop.governance.criteria import SHIPPED_CRITERIA, load_criteria
from osom_desktop.views.criteria_editor import CriteriaEditorDialog


@pytest.fixture
def technical(tmp_path: Path) -> Path:
    path = tmp_path / "osom-technical.toml"
    shutil.copyfile(SHIPPED_CRITERIA / "osom-technical.toml", path)
    return path


def editor(qtbot, path: Path | None = None) -> CriteriaEditorDialog:
    dialog = CriteriaEditorDialog(None, path)
    # Closing a dialog with edits asks first; the test is over, so nothing to ask.
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "modified", False))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_cell(dialog: CriteriaEditorDialog, row: int, col: int, text: str) -> None:
    dialog.table.setItem(row, col, QTableWidgetItem(text))


def test_a_shipped_set_is_edited_and_saved_and_loads_with_the_change(qtbot, technical: Path) -> None:
    dialog = editor(qtbot, technical)
    assert dialog.table.rowCount() == 3
    assert dialog.set_title.text() == "OSOM technical criteria"
    type_cell(dialog, 0, 1, "Choose tools that fit")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    type_cell(dialog, 3, 0, "security")
    type_cell(dialog, 3, 1, 'Keep "it" <b>secure</b>')
    type_cell(dialog, 3, 2, "Threats are modelled.")
    dialog.applies["live->retired"].setChecked(True)
    assert dialog.modified
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    saved = load_criteria(technical)
    assert [c.id for c in saved.criteria] == ["tools", "open-code", "open-standards", "security"]
    assert saved.criteria[0].title == "Choose tools that fit"
    assert saved.criteria[0].group == "Technical"  # a field not in view is kept
    assert saved.criteria[3].title == 'Keep "it" <b>secure</b>'
    assert "live->retired" in saved.applies_to
    assert not dialog.modified
    assert "Saved 4 criteria" in dialog.message.text()


def test_rows_move_up_and_down_and_are_saved_in_that_order(qtbot, technical: Path) -> None:
    dialog = editor(qtbot, technical)
    dialog.table.setCurrentCell(2, 0)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    dialog.table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.save()
    assert [c.id for c in load_criteria(technical).criteria] == ["open-standards", "open-code"]


def test_a_duplicate_id_is_refused_naming_the_row_and_nothing_is_written(qtbot, technical: Path) -> None:
    before = technical.read_bytes()
    dialog = editor(qtbot, technical)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    type_cell(dialog, 3, 0, "open-code")
    type_cell(dialog, 3, 1, "Again")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Row 4: id 'open-code' is already used by row 2; ids must be unique."
    assert dialog.table.currentRow() == 3
    assert technical.read_bytes() == before
    other = technical.with_name("copy.toml")
    assert not dialog.save_as(other)
    assert not other.exists()

    type_cell(dialog, 3, 0, "  ")
    assert not dialog.save()
    assert dialog.message.text() == "Row 4: the criterion needs an id."
    assert technical.read_bytes() == before


def test_a_bad_file_opens_with_its_one_line_error_and_is_never_overwritten(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[set]\nid = "x"\ntitle = "X"\nscale = "traffic-lights"\n\n[[criterion]]\nid = "1"\ntitle = "One"\n',
                   encoding="utf-8")
    before = bad.read_bytes()
    dialog = editor(qtbot, bad)
    message = dialog.message.text()
    assert message.startswith(f"{bad}:4: scale 'traffic-lights' is not one of")
    assert "\n" not in message
    assert dialog.path is None
    assert not dialog.save_button.isEnabled()  # Save cannot reach the bad file; only Save As
    dialog.set_id.setText("x")
    dialog.set_title.setText("X")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    type_cell(dialog, 0, 0, "1")
    type_cell(dialog, 0, 1, "One")
    assert dialog.save_as(tmp_path / "fixed.toml")
    assert bad.read_bytes() == before
    assert load_criteria(tmp_path / "fixed.toml").scale == "met-not-met"


def test_a_new_set_is_saved_as_a_file_the_loader_reads(qtbot, tmp_path: Path) -> None:
    dialog = editor(qtbot)
    assert not dialog.save_as(tmp_path / "empty.toml")
    assert dialog.message.text() == "The set needs an id."
    dialog.set_id.setText("ops")
    dialog.set_title.setText("Operations")
    dialog.scale.setCurrentIndex(dialog.scale.findData("one-to-five"))
    dialog.applies["periodic"].setChecked(True)
    dialog.add_criterion()
    type_cell(dialog, 0, 0, "on-call")
    type_cell(dialog, 0, 1, "Someone answers at night")
    assert dialog.save_as(tmp_path / "ops.toml")
    s = load_criteria(tmp_path / "ops.toml")
    assert (s.id, s.scale, s.applies_to, s.criteria[0].id) == ("ops", "one-to-five", ("periodic",), "on-call")
    assert not (tmp_path / "empty.toml").exists()


def test_the_assessments_dock_opens_the_editor_and_a_saved_set_is_in_force_at_once(qtbot, tmp_path: Path) -> None:
    from PySide6.QtGui import QUndoStack

    from osom_desktop.model import Document
    from osom_desktop.samples import sample_document
    from osom_desktop.storage import open_document, save_document
    from osom_desktop.views import assessment_report
    from osom_desktop.views.assessments import AssessmentsWidget

    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    dock = AssessmentsWidget(Document(open_document(path)), QUndoStack())
    qtbot.addWidget(dock)
    dock.show()
    qtbot.mouseClick(dock.edit_criteria_button, Qt.MouseButton.LeftButton)
    dialog = dock.findChild(CriteriaEditorDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.set_id.setText("editor-test-set")
    dialog.set_title.setText("Editor test")
    dialog.add_criterion()
    type_cell(dialog, 0, 0, "a")
    type_cell(dialog, 0, 1, "A")
    saved_before = list(assessment_report._loaded)
    try:
        assert dialog.save_as(tmp_path / "mine.toml")
        assert "editor-test-set" in [s.id for s in assessment_report.loaded_criteria()]
    finally:
        assessment_report._loaded[:] = saved_before  # other tests see the shipped sets only
