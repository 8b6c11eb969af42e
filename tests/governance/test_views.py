"""The assessment report dialog, the CoE dock and the governance tab, driven like a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from osom_desktop.model import Document
from osom_desktop.model.service import AssessmentOutcome
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.assessment_report import AssessmentReportDialog
from osom_desktop.views.assessments import AssessmentsWidget
from tests.views.forms import answer_form, pick


@pytest.fixture
def panel(qtbot, tmp_path: Path) -> AssessmentsWidget:
    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    widget = AssessmentsWidget(Document(open_document(path)), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(500, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_periodic_report_records_decisions_and_an_amber_action_due_in_three_months(qtbot, panel, tmp_path: Path) -> None:
    day = dt.date.today()

    def fill(d: AssessmentReportDialog) -> None:
        # A live service: periodic, so OSOM common + technical + doctrine apply (10 + 3 + 40).
        assert d.criteria.rowCount() == 53
        pick(d.outcome, "Met with conditions")
        d.set_decision("reliable", "amber", "Cover nights")
        d.set_decision("know-users", "2")
        d.stage_outcome.setCurrentText("improve")

    seen = answer_form(AssessmentReportDialog, fill)
    panel.record_button.click()
    assert seen
    new = panel.document.data.assessments[-1]
    assert new.outcome is AssessmentOutcome.MET_WITH_CONDITIONS and new.stage_outcome == "improve"
    decided = {r.criterion_id: r.decision for r in new.results}
    assert decided["reliable"] == "amber" and decided["know-users"] == "2" and decided["users"] == "green"
    actions = {x.criterion_id: x for x in new.actions}
    assert actions["reliable"].text == "Cover nights" and actions["reliable"].due.month == (day.month + 2) % 12 + 1
    assert "know-users" in actions  # 2 out of 5 is below passing: an action too
    assert "Cover nights" in panel.detail.text()
    path = tmp_path / "again.osom"
    save_document(panel.document.data, path)
    assert open_document(path).assessments[-1].results == new.results


def test_met_with_a_failing_criterion_is_refused_in_the_dialog_which_stays_open(qtbot, panel) -> None:
    shown: list[str] = []

    def fill(d: AssessmentReportDialog) -> None:
        pick(d.outcome, "Met")
        d.set_decision("open-code", "not met")
        d.ok_button.click()
        assert d.isVisible()
        shown.append(d.problem.text())

    answer_form(AssessmentReportDialog, fill)
    before = list(panel.document.data.assessments)
    panel.record_button.click()
    assert shown and "cannot be met while 1 criteria are not met (open-code)" in shown[0]
    assert panel.document.data.assessments == before


def test_a_bad_criteria_file_is_one_line_and_changes_nothing(qtbot, panel, tmp_path: Path) -> None:
    errors: list[str] = []
    panel.error_raised.connect(errors.append)
    bad = tmp_path / "bad.toml"
    bad.write_text('[set]\nid = "x"\ntitle = "X"\nscale = "met-not-met"\nowner = 1\n[[criterion]]\nid = "a"\ntitle = "A"\n')
    before = panel.document.data.model_copy(deep=True)
    assert not panel.load_criteria_dialog(str(bad))
    assert errors == [f"{bad}:5: unknown field 'owner' in [set] (known fields: id, title, version, scale, applies_to, source)"]
    assert panel.document.data == before


def test_a_coe_written_in_the_dock_is_published_refused_to_its_author_reviewed_and_proposes_guidance(
        qtbot, tmp_path: Path) -> None:
    from osom_desktop.guidance import load_catalogue
    from osom_desktop.model.service import CoEStatus
    from osom_desktop.views.coe_dialog import CoEDialog
    from osom_desktop.views.coe_panel import GovernanceRecordsWidget

    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    widget = GovernanceRecordsWidget(Document(open_document(path)), QUndoStack())
    qtbot.addWidget(widget)
    widget.show()
    errors: list[str] = []
    widget.error_raised.connect(errors.append)

    def fill(d: CoEDialog) -> None:
        d.title.setText("Letters not sent")
        d.author.setText("Mo Manager")
        d.sections["problem"].setPlainText("The print queue stopped")
        d.sections["impact"].setPlainText("300 letters a day late")
        d.sections["root_cause"].setPlainText("Disk full on the print server")
        d.sections["lessons"].setPlainText("Watch disk space")
        d.actions.setPlainText("done 2026-03-05: cleared the disk\nplanned: alert at 80%")

    seen = answer_form(CoEDialog, fill)
    widget.new_coe.click()
    assert seen
    [coe] = widget.document.data.coes
    assert coe.status is CoEStatus.DRAFT and [x.status.value for x in coe.actions] == ["done", "planned"]
    assert not widget.review_button.isEnabled()
    widget.publish_button.click()
    assert widget.document.data.coes[0].status is CoEStatus.PUBLISHED
    assert not widget.review_dialog(reviewer="mo manager", outcome="fine")
    assert errors[-1] == "mo manager wrote this CoE and cannot review it: the executive reviews it"
    assert widget.review_dialog(reviewer="Executive", outcome="Agreed")
    assert widget.document.data.coes[0].reviewed_by == "Executive"
    catalogue = tmp_path / "guidance.toml"
    assert widget.propose_dialog(str(catalogue)) and widget.propose_dialog(str(catalogue))
    items = load_catalogue(catalogue).items
    assert [i.id for i in items] == ["COE-LETTERS-NOT-SENT", "COE-LETTERS-NOT-SENT-2"]
    assert "Letters not sent" in items[0].source and "Watch disk space" in items[0].text
    widget.stack.undo()  # the review
    assert widget.document.data.coes[0].status is CoEStatus.PUBLISHED


def test_open_actions_mandates_and_unmet_needs_come_back_at_the_next_assessment(qtbot, tmp_path: Path) -> None:
    from tests.governance.records import governed_document

    data = governed_document()
    panel = AssessmentsWidget(Document(data), QUndoStack())
    qtbot.addWidget(panel)
    shown: list[str] = []
    answer_form(AssessmentReportDialog, lambda d: shown.append(d.earlier.text()), accept=False)
    panel.record_button.click()
    assert shown
    text = shown[0]
    assert "• Set up on-call (from 2026-01-10, Mo, due 2026-04-10)" in text
    assert "Write runbook" not in text  # closed
    assert "• M-1 Use the shared identity service (acknowledged, due 2026-02-01)" in text
    assert "• Send by post" in text
