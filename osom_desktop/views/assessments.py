"""Assessments: the executive's assessments of this service, newest first.

OSOM assesses a service at every lifecycle transition and regularly once it is live.
Each assessment records the document revision it was made against (``map_revision``:
the last save), so a later view can show what changed on the map since. The rules
(a met transition offers its move; each assessment keeps the map) are the
operations'; when a service was "last assessed" is ``analysis.assessment_dates``'s,
the same rule the Findings use.

Each assessment is an OSOM report (views/assessment_report.py): a decision per
criterion of the loaded criteria sets, the stage outcome and actions. Actions stay
open until closed here; a report exports on its own as HTML or PDF.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.assessment_dates import days_since, has_taken_place, last_assessment, periodic_overdue
from osom_desktop.commands import run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    AssessmentKind,
    AssessmentOutcome,
    LifecycleStage,
)
from osom_desktop.operations import Plan, edit_assessment, remove_assessment
from osom_desktop.operations.assessments import close_action, open_actions, prepare_report, record_report
from osom_desktop.operations.lifecycle import assessment_due_kind, next_stage
from osom_desktop.views.answers import Answers
from osom_desktop.views.assessment_report import AssessmentReportDialog, load_criteria_file, loaded_criteria
from osom_desktop.views.criteria_editor import CriteriaEditorDialog
from osom_desktop.views.document_panel import DocumentPanel
from osom_desktop.views.record_dialogs import KIND_LABELS, LIFECYCLE_LABELS, OUTCOME_LABELS, latest_revision
from osom_desktop.views.widgets import ERROR_COLOUR, plain_label, tip

COLUMNS = ["Date", "Assessment", "Outcome", "Assessors", "Notes"]
STAGE_PHRASES = {
    LifecycleStage.DISCOVERY: "is in discovery",
    LifecycleStage.ALPHA: "is in alpha",
    LifecycleStage.BETA: "is in beta",
    LifecycleStage.LIVE: "is live",
    LifecycleStage.RETIRED: "is retired",
}


def stages_text(a: Assessment) -> str:
    if a.from_stage is None and a.to_stage is None:
        return ""
    return f"{LIFECYCLE_LABELS.get(a.from_stage, '?')} → {LIFECYCLE_LABELS.get(a.to_stage, '?')}"


def kind_text(a: Assessment) -> str:
    """"Transition\nbeta → live" or "Periodic": kind and stages in one narrow column."""
    stages = stages_text(a)
    return f"{KIND_LABELS[a.kind]}\n{stages}" if stages else KIND_LABELS[a.kind]


def newest_first(assessments: list[Assessment]) -> list[Assessment]:
    order = sorted(enumerate(assessments), key=lambda p: (p[1].date, p[0]), reverse=True)
    return [a for _i, a in order]


class AssessmentsWidget(DocumentPanel, QWidget):
    """The list of assessments with Record / Edit / Remove; each an undoable step."""

    error_raised = Signal(str)
    message_shown = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None,
                 changes: QAction | None = None) -> None:
        """``changes``: the window's View > Changes Since the Last Assessment, which
        exists before this panel is built (main_docks); one of its own if None."""
        super().__init__(parent)
        self.document = document
        self.stack = stack
        self._read_only = False
        self.answers = Answers(self)
        # The map's scene (the window's, which it replaces when it opens another file):
        # where "Changes since the last assessment" draws its ghost.
        self.scene_getter: Callable[[], Any] | None = None
        self._ghost = None  # drawing.ghost.Ghost while shown
        if changes is None:
            from osom_desktop.views.main_actions import changes_action

            changes = changes_action(self)
        self.act_changes = changes
        self.act_changes.toggled.connect(self._show_changes)
        # A check box, not a tool button: whether the ghost is on must show at a glance.
        self.changes_button = QCheckBox("Show changes since the last assessment on the map")
        self.changes_button.setObjectName("showChangesSinceAssessment")
        self.changes_button.toggled.connect(self.act_changes.setChecked)
        self.act_changes.toggled.connect(self.changes_button.setChecked)

        self.summary = plain_label()
        self.summary.setObjectName("assessmentSummary")
        self.table = QTreeWidget()
        self.table.setObjectName("assessments")
        self.table.setHeaderLabels(COLUMNS)
        self.table.setRootIsDecorated(False)
        self.table.setAllColumnsShowFocus(True)
        self.table.setWordWrap(True)
        self.table.setUniformRowHeights(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.detail = plain_label()
        self.detail.setObjectName("assessmentNotes")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setMargin(6)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 4 + 12)

        self.record_button = QPushButton("&Record assessment…")
        self.edit_button = QPushButton("E&dit…")
        self.remove_button = QPushButton("Re&move")
        self.close_action_button = QPushButton("&Close action…")
        self.close_action_button.setObjectName("closeAction")
        self.export_button = QPushButton("E&xport report…")
        self.export_button.setObjectName("exportReport")
        self.criteria_button = QPushButton("Load &criteria…")
        self.criteria_button.setToolTip("Load a criteria catalogue published by the executive (TOML)")
        self.edit_criteria_button = QPushButton("Edit criteria catalo&gue…")
        self.edit_criteria_button.setToolTip("Open or start a criteria catalogue (TOML) and edit it")
        buttons = QHBoxLayout()
        for b in (self.record_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        # Three short rows rather than one long one: the dock shares a narrow column with
        # the others, and its widest row sets how much of the window the map loses.
        more = QHBoxLayout()
        for b in (self.close_action_button, self.export_button):
            more.addWidget(b)
        more.addStretch(1)
        criteria = QHBoxLayout()
        for b in (self.criteria_button, self.edit_criteria_button):
            criteria.addWidget(b)
        criteria.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.changes_button)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(more)
        layout.addLayout(criteria)
        layout.addWidget(self.detail)
        self.source_path: str | None = None  # the file, named in exported reports

        self.record_button.clicked.connect(lambda: self.record_dialog())
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_action_button.clicked.connect(lambda: self.close_action_dialog())
        self.export_button.clicked.connect(lambda: self.export_dialog())
        self.criteria_button.clicked.connect(lambda: self.load_criteria_dialog())
        self.edit_criteria_button.clicked.connect(lambda: self.edit_criteria_dialog())
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemActivated.connect(lambda *_: self.edit_selected())
        self._follow(document, stack)
        self.refresh()

    # -- showing -----------------------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("assessments", "service"):
            self.refresh()
        if self._ghost is not None:
            if change.what == "assessments":
                self._show_changes(True)  # a newer assessment: compare with its map
            elif change.what in ("components", "map"):
                self._ghost.refresh()

    def _document_replaced(self) -> None:
        self._drop_ghost()  # it belonged to the other file's map
        self.refresh()
        if self.act_changes.isChecked():
            self._show_changes(True)

    # -- changes since the last assessment ----------------------------------------------

    def _snapshot(self) -> tuple[Assessment | None, Any]:
        last = last_assessment(self.document.data.assessments)
        return last, (last.map_snapshot if last is not None else None)

    def _drop_ghost(self) -> None:
        if self._ghost is not None:
            import shiboken6

            if shiboken6.isValid(self._ghost.scene):
                self._ghost.hide()
            self._ghost = None

    def _show_changes(self, on: bool) -> None:
        """Draw (or take away) the map as it was at the last assessment."""
        self._drop_ghost()
        if not on:
            return
        last, snapshot = self._snapshot()
        scene = self.scene_getter() if self.scene_getter is not None else None
        if snapshot is None or scene is None:
            # Unchecked once this toggle has finished: unchecking the check box inside its
            # own toggled signal crashed Qt.
            QTimer.singleShot(0, self, lambda: self.act_changes.setChecked(False))
            self.message_shown.emit(self._no_snapshot_reason(last))
            return
        from osom_desktop.drawing.ghost import Ghost

        self._ghost = Ghost(scene, snapshot)
        self._ghost.show()
        what = _ghost_summary(self._ghost.root.entries)
        self.message_shown.emit(f"The map as assessed on {last.date.isoformat()}, drawn faintly: {what}")

    def refresh_ghost(self) -> None:
        """The map was redrawn (another theme): draw the ghost again to match it."""
        if self._ghost is not None:
            self._ghost.refresh()

    @staticmethod
    def _no_snapshot_reason(last: Assessment | None) -> str:
        if last is None:
            return "No assessment has taken place yet: there is no assessed map to compare with"
        return (f"The assessment of {last.date.isoformat()} was recorded without a copy of the map "
                "(an older file): changes since then cannot be drawn")

    def refresh(self) -> None:
        selected = self.selected_assessment()
        was = self.table.blockSignals(True)
        try:
            self.table.clear()
            for a in newest_first(self.document.data.assessments):
                date = a.date.isoformat() if has_taken_place(a) else f"{a.date.isoformat()}\n(not held yet)"
                row = QTreeWidgetItem([
                    date, kind_text(a), OUTCOME_LABELS[a.outcome].replace(" with ", "\nwith "),
                    "\n".join(a.assessors), " ".join(a.notes.split()),
                ])
                row.setData(0, Qt.ItemDataRole.UserRole, a.id)
                row.setToolTip(4, tip(a.notes))
                row.setToolTip(3, tip(", ".join(a.assessors)))
                if a.outcome is AssessmentOutcome.NOT_MET:
                    row.setForeground(2, QBrush(QColor(ERROR_COLOUR)))
                self.table.addTopLevelItem(row)
                if selected is not None and a.id == selected.id:
                    self.table.setCurrentItem(row)
            if self.table.currentItem() is None and self.table.topLevelItemCount():
                self.table.setCurrentItem(self.table.topLevelItem(0))
        finally:
            self.table.blockSignals(was)
        self.summary.setText(self._summary())
        self._on_selection_changed()

    def _summary(self, today: dt.date | None = None) -> str:
        data = self.document.data
        stage = data.service.lifecycle
        text = f"{data.service.name} {STAGE_PHRASES[stage]}."
        if not data.assessments:
            return text + " No assessments recorded yet."
        live = stage is LifecycleStage.LIVE
        last = last_assessment(data.assessments, today)
        if last is None:  # every assessment is dated in the future: none has taken place yet
            first = min(a.date for a in data.assessments)
            text += f" Not assessed yet: the assessment recorded is dated {first.isoformat()}."
            return text + (" A periodic assessment is due." if live else "")
        text += f" Last assessed {last.date.isoformat()}"
        if live and periodic_overdue(data.assessments, today):
            return text + f", over a year ago ({days_since(last, today)} days): a periodic assessment is due."
        return text + "."

    def _on_selection_changed(self) -> None:
        a = self.selected_assessment()
        self.detail.setText("" if a is None else _details(a))
        self.edit_button.setEnabled(not self._read_only and a is not None)
        self.remove_button.setEnabled(not self._read_only and a is not None)
        self.record_button.setEnabled(not self._read_only)
        self.close_action_button.setEnabled(not self._read_only and bool(open_actions(self.document.data.assessments)))
        self.export_button.setEnabled(a is not None)
        last, snapshot = self._snapshot()
        self.act_changes.setToolTip(
            f"Draw the map as assessed on {last.date.isoformat()} faintly under the map as it is now"
            if snapshot is not None else self._no_snapshot_reason(last))
        self.changes_button.setToolTip(self.act_changes.toolTip())

    def selected_assessment(self) -> Assessment | None:
        row = self.table.currentItem()
        if row is None:
            return None
        aid = row.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.document.data.assessments if a.id == aid), None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._on_selection_changed()

    # -- editing -----------------------------------------------------------------------

    def record_dialog(self) -> bool:
        """Record a periodic assessment (a live service) or a transition one."""
        if self._read_only:
            return False
        stage = self.document.data.service.lifecycle
        kind = assessment_due_kind(self.document)
        sets = loaded_criteria()
        dialog = AssessmentReportDialog(
            self, sets=sets, earlier=self.document.data.assessments, manager=self.document.data.service.manager,
            mandates=self.document.data.mandates, unmet_needs=self.document.data.unmet_needs,
            kind=kind, from_stage=stage,
            to_stage=next_stage(stage) if kind is AssessmentKind.TRANSITION else None,
            map_revision=latest_revision(self.document.data),
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        assessment = dialog.record
        if not self._run(lambda **answers: record_report(self.document, assessment, sets, **answers)):
            return False
        self._select(assessment.id)
        return True

    def edit_selected(self) -> bool:
        a = self.selected_assessment()
        if a is None or self._read_only:
            return False
        sets = loaded_criteria()
        dialog = AssessmentReportDialog(self, assessment=a, sets=sets, manager=self.document.data.service.manager,
                                        earlier=[e for e in self.document.data.assessments if e.id != a.id])
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        record = dialog.record
        return self._run(lambda **_answers: edit_assessment(self.document, prepare_report(self.document, record, sets)))

    def remove_selected(self) -> bool:
        a = self.selected_assessment()
        if a is None or self._read_only:
            return False
        return self._run(lambda **_answers: remove_assessment(self.document, a.id))

    def close_action_dialog(self, index: int | None = None, note: str | None = None) -> bool:
        """Close one of the open actions (all assessments'); ``index``/``note`` skip asking."""
        still_open = open_actions(self.document.data.assessments)
        if self._read_only or not still_open:
            return False
        if index is None:
            labels = [f"{x.text} — {x.owner or 'no owner'}, due {x.due} (assessment of {a.date})" for a, x in still_open]
            label, ok = QInputDialog.getItem(self, "Close action", "Action done:", labels, 0, False)
            if not ok:
                return False
            index = labels.index(label)
        if note is None:
            note, ok = QInputDialog.getText(self, "Close action", "How it was done (optional):")
            if not ok:
                return False
        a, x = still_open[index]
        return self._run(lambda **_answers: close_action(self.document, a.id, x.id, note=note))

    def export_dialog(self, path: str | None = None) -> bool:
        """Export the selected assessment's report as HTML or PDF (by the file's ending)."""
        from osom_desktop.export.assessment_report import write_report_html, write_report_pdf

        a = self.selected_assessment()
        if a is None:
            return False
        from osom_desktop.views.export_guard import export_start, offer_open, remember_export

        if path is None:
            beside = Path(self.source_path).parent if self.source_path else None
            path, _filter = QFileDialog.getSaveFileName(
                self, "Export assessment report", export_start("report", f"assessment-{a.date.isoformat()}.pdf", beside),
                "PDF (*.pdf);;HTML (*.html)")
            if not path:
                return False
        write = write_report_html if path.lower().endswith((".html", ".htm")) else write_report_pdf
        try:
            write(self.document.data, a.id, path, source_path=self.source_path)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            return False
        remember_export("report", Path(path))
        self.message_shown.emit(f"Exported {Path(path).name}")
        if isinstance(self.window(), QMainWindow):
            offer_open(self.window(), Path(path))
        return True

    def load_criteria_dialog(self, path: str | None = None) -> bool:
        """Load a criteria set for this session; its problems are one line each."""
        from osom_desktop.governance.criteria import scale_problems

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, "Load criteria catalogue", "", "Criteria (*.toml)")
            if not path:
                return False
        try:
            loaded = load_criteria_file(path)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            return False
        problems = scale_problems(loaded, self.document.data.assessments)
        if problems:  # the records are kept as they are; the person is told where they differ
            self.error_raised.emit("\n".join(problems[:10]))
        return True

    def edit_criteria_dialog(self) -> CriteriaEditorDialog:
        """Edit Criteria Catalogue; a set it saves is loaded for this session at once."""
        dialog = CriteriaEditorDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.load_criteria_dialog)
        dialog.open()
        return dialog

    def _run(self, operation: Callable[..., Plan]) -> bool:
        """Ask what the operation needs, record its plan; a refusal goes to ``error_raised``."""
        try:
            plan = self.answers.plan(self.document, operation)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            return False
        return plan is not None and run(self.stack, plan, report=self.error_raised.emit)

    def _select(self, assessment_id: str) -> None:
        for i in range(self.table.topLevelItemCount()):
            row = self.table.topLevelItem(i)
            if row.data(0, Qt.ItemDataRole.UserRole) == assessment_id:
                self.table.setCurrentItem(row)
                return


def _counted(decision: str, n: int) -> str:
    """How many criteria got one decision: "10 green", "3 met", and for a score on a
    numbered scale "40 scored 5" (not "40 5")."""
    number = decision.strip().removeprefix("-").replace(".", "", 1)
    return f"{n} scored {decision}" if number.isdigit() else f"{n} {decision}"


def _details(a: Assessment) -> str:
    """What the dock shows of the selected assessment: who, against which map, the
    outcome, the decisions counted, each action and the notes."""
    revision = "a map never saved" if a.map_revision is None else f"map revision {a.map_revision}"
    assessors = ", ".join(a.assessors) or "assessors not recorded"
    lines = [f"{a.date.isoformat()}, {assessors}, against {revision}."]
    if a.stage_outcome:
        lines.append(f"Outcome: {a.stage_outcome}.")
    if a.results:
        counts = Counter(r.decision for r in a.results)
        lines.append(f"{len(a.results)} criteria: " + ", ".join(_counted(d, n) for d, n in counts.items()) + ".")
    lines += [_action_line(x) for x in a.actions]
    if a.notes:
        lines.append(a.notes)
    return "\n".join(lines)


def _action_line(x: AssessmentAction) -> str:
    state = f"closed {x.closed_on}" if x.closed_on else f"due {x.due}"
    return f"• {x.text} ({x.owner or 'no owner'}, {state})"


def _ghost_summary(entries: Iterable[Any]) -> str:
    """How many components the faint map shows moved, added and removed."""
    kinds = Counter(e.kind for e in entries)
    what = ", ".join(f"{kinds[k]} {k}" for k in ("moved", "added", "removed") if kinds[k])
    return what or "nothing moved, added or removed"
