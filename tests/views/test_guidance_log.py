"""The guidance log driven through its widgets: load the executive's catalogue, accept
and reject items (the rejection through its dialog), and read the rejected log."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from osom_desktop.guidance import EXAMPLE_CATALOGUE, load_catalogue
from osom_desktop.model import (
    DecisionStatus,
    Document,
    GuidanceDecision,
    ServiceDocument,
)
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.guidance_log import GuidanceLogWidget
from osom_desktop.views.record_dialogs import RejectGuidanceDialog
from osom_desktop.views.widgets import ERROR_COLOUR
from tests.views.forms import answer_form, type_into


@pytest.fixture
def log(qtbot) -> GuidanceLogWidget:
    data = ServiceDocument()
    data.service.manager = "Amara Okafor"
    widget = GuidanceLogWidget(Document(data), QUndoStack())
    widget._test_stack = widget.stack
    qtbot.addWidget(widget)
    widget.resize(460, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
    assert widget.load_catalogue_file(EXAMPLE_CATALOGUE)
    return widget


def select(log: GuidanceLogWidget, guidance_id: str) -> None:
    for i in range(log.items.topLevelItemCount()):
        row = log.items.topLevelItem(i)
        if row.data(0, Qt.ItemDataRole.UserRole) == guidance_id:
            log.items.setCurrentItem(row)
            return
    raise AssertionError(f"{guidance_id} not listed")


def decision_text(log: GuidanceLogWidget, guidance_id: str) -> str:
    select(log, guidance_id)
    return log.items.currentItem().text(1)


def reject(qtbot, log: GuidanceLogWidget, guidance_id: str, reason: str, **more: str) -> list:
    def fill(d: RejectGuidanceDialog) -> None:
        assert d.decided_by.text() == "Amara Okafor"  # the service manager, by default
        type_into(qtbot, d.reason, reason)
        if "alternative" in more:
            type_into(qtbot, d.alternative, more["alternative"])
        if "risk" in more:
            type_into(qtbot, d.accepted_risk, more["risk"])

    select(log, guidance_id)
    seen = answer_form(RejectGuidanceDialog, fill)
    log.reject_button.click()
    return seen


def test_reject_through_the_dialog_then_save_reopen_and_undo(qtbot, log: GuidanceLogWidget, tmp_path: Path) -> None:
    doc, _stack = log.document, log.stack
    before = copy.deepcopy(doc.data)
    catalogue = load_catalogue(EXAMPLE_CATALOGUE)
    assert log.items.topLevelItemCount() == len(catalogue.items)
    assert decision_text(log, "G-005") == "Undecided"

    seen = reject(qtbot, log, "G-005", "We run on the supplier's platform until 2027",
                  alternative="Supplier hosting", risk="Two platforms to patch")
    assert seen
    [d] = doc.data.decisions
    assert d.status is DecisionStatus.REJECTED and d.guidance == catalogue.item("G-005")
    assert (d.reason, d.alternative, d.accepted_risk) == ("We run on the supplier's platform until 2027",
                                                          "Supplier hosting", "Two platforms to patch")
    assert d.decided_by == "Amara Okafor" and d.decided_on == dt.date.today()
    assert d.review_by is not None and (d.review_by - d.decided_on).days in (365, 366)
    assert decision_text(log, "G-005").startswith("Rejected")
    assert log.log.topLevelItemCount() == 1
    assert log.detail_reason.text() == "We run on the supplier's platform until 2027"
    assert log.detail_text.text().startswith(catalogue.item("G-005").text)
    assert not log.reject_button.isEnabled() and log.accept_button.isEnabled()

    select(log, "G-007")
    log.accept_button.click()
    assert [x.status for x in doc.data.decisions] == [DecisionStatus.REJECTED, DecisionStatus.ACCEPTED]
    assert log.log.topLevelItemCount() == 1  # the log lists rejections only

    after = copy.deepcopy(doc.data)
    log.stack.undo()
    log.stack.undo()
    assert doc.data == before and log.log.topLevelItemCount() == 0
    assert decision_text(log, "G-005") == "Undecided"
    log.stack.redo()
    log.stack.redo()
    assert doc.data == after

    path = tmp_path / "s.osom"
    save_document(doc.data, path)
    assert open_document(path).decisions == after.decisions


def test_the_reason_is_required(qtbot, log: GuidanceLogWidget) -> None:
    messages: list[str | None] = []

    def fill(d: RejectGuidanceDialog) -> None:
        d.ok_button.click()
        messages.append(d.errors.message(d.reason))
        type_into(qtbot, d.reason, "Not applicable: we send no letters")

    select(log, "G-001")
    answer_form(RejectGuidanceDialog, fill)
    log.reject_button.click()
    assert messages[0] == "Reason for rejecting: must not be empty"  # the form's words, not the model's
    assert log.document.data.decisions[0].reason == "Not applicable: we send no letters"


def test_cancelled_rejection_records_nothing(qtbot, log: GuidanceLogWidget) -> None:
    select(log, "G-001")
    seen = answer_form(RejectGuidanceDialog, accept=False)
    log.reject_button.click()
    assert seen and log.document.data.decisions == [] and log.stack.count() == 0


def test_rejected_log_is_newest_first(qtbot, log: GuidanceLogWidget) -> None:
    catalogue = load_catalogue(EXAMPLE_CATALOGUE)
    for day, gid in ((dt.date(2026, 1, 5), "G-001"), (dt.date(2026, 3, 1), "G-003"), (dt.date(2025, 12, 1), "G-005")):
        log.document.add_record("decisions", GuidanceDecision(
            guidance=catalogue.item(gid), status=DecisionStatus.REJECTED, reason=f"no {gid}", decided_on=day))
    dates = [log.log.topLevelItem(i).text(0) for i in range(log.log.topLevelItemCount())]
    assert dates == ["2026-03-01", "2026-01-05", "2025-12-01"]


def test_a_newer_catalogue_version_does_not_rewrite_the_decision(qtbot, log: GuidanceLogWidget) -> None:
    doc = log.document
    reject(qtbot, log, "G-003", "Quarterly is enough for a platform")
    snapshot = copy.deepcopy(doc.data.decisions[0])
    newer = [it.model_copy(update={"version": "3", "text": "Weekly now."}) if it.id == "G-003" else it
             for it in log.catalogue_items]
    log.set_catalogue(newer)
    assert doc.data.decisions == [snapshot]  # history unchanged
    assert "a newer version 3 is published" in decision_text(log, "G-003")
    assert "a newer version 3" in log.log.topLevelItem(0).text(1)
    assert log.detail_text.text().startswith(snapshot.guidance.text)  # the text as rejected
    assert "newer version 3" in log.detail_newer.text()
    assert log.reject_button.isEnabled()  # the new version can be decided on afresh


def test_a_bad_catalogue_shows_one_line_and_keeps_what_was_loaded(qtbot, log: GuidanceLogWidget,
                                                                  tmp_path: Path) -> None:
    reject(qtbot, log, "G-001", "We have our own sign-in")
    decisions = copy.deepcopy(log.document.data.decisions)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[guidance]]\nid = "G-1"\ntitle = "No version"\n', encoding="utf-8")
    errors: list[str] = []
    log.error_raised.connect(errors.append)
    assert not log.load_catalogue_file(bad)
    assert len(errors) == 1 and "\n" not in errors[0] and "bad.toml" in errors[0]
    assert log.load_error.isVisible() and log.load_error.text() == errors[0]
    assert log.items.topLevelItemCount() == len(load_catalogue(EXAMPLE_CATALOGUE).items)
    assert log.document.data.decisions == decisions


def test_overdue_review_is_shown_in_red(qtbot, log: GuidanceLogWidget) -> None:
    log.document.add_record("decisions", sample_document().decisions[0].model_copy(
        update={"review_by": dt.date.today() - dt.timedelta(days=1)}))
    row = log.log.topLevelItem(0)
    assert "overdue" in row.text(2)
    assert row.foreground(2).color().name() == ERROR_COLOUR
    assert "overdue" in log.detail_review.text()


def test_remove_decision_is_undoable(qtbot, log: GuidanceLogWidget) -> None:
    log.document.add_record("decisions", sample_document().decisions[0])
    before = copy.deepcopy(log.document.data)
    log.remove_button.click()
    assert log.document.data.decisions == []
    log.stack.undo()
    assert log.document.data == before
