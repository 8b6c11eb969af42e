"""Assessments: the executive's assessments of this service, newest first.

OSOM assesses a service at every lifecycle transition and regularly once it is live.
Each assessment records the document revision it was made against (``map_revision``:
the last save), so a later view can show what changed on the map since.
"""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.commands import (
    AddRecordCommand,
    RemoveRecordCommand,
    ReplaceRecordCommand,
    UpdateServiceCommand,
    try_push,
)
from osom_desktop.commands.macro import push_all
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    LifecycleStage,
)
from osom_desktop.views.record_dialogs import (
    ERROR_COLOUR,
    KIND_LABELS,
    LIFECYCLE_LABELS,
    OUTCOME_LABELS,
    AssessmentDialog,
    ask,
    latest_revision,
    plain_label,
    tip,
)

# Once live, OSOM asks for regular assessments; a year without one is worth saying.
PERIODIC_DAYS = 365
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


class AssessmentsWidget(QWidget):
    """The list of assessments with Record / Edit / Remove; each an undoable step."""

    error_raised = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.stack = stack
        self._read_only = False

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
        buttons = QHBoxLayout()
        for b in (self.record_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.detail)

        self.record_button.clicked.connect(lambda: self.record_dialog())
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemActivated.connect(lambda *_: self.edit_selected())
        document.changed.connect(self._on_document_changed)
        self.refresh()

    # -- showing -----------------------------------------------------------------------

    def set_document(self, document: Document, stack: QUndoStack) -> None:
        self.document.changed.disconnect(self._on_document_changed)
        self.document, self.stack = document, stack
        document.changed.connect(self._on_document_changed)
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("assessments", "service"):
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_assessment()
        was = self.table.blockSignals(True)
        try:
            self.table.clear()
            for a in newest_first(self.document.data.assessments):
                row = QTreeWidgetItem([
                    a.date.isoformat(), kind_text(a), OUTCOME_LABELS[a.outcome].replace(" with ", "\nwith "),
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

    def _summary(self) -> str:
        data = self.document.data
        stage = data.service.lifecycle
        text = f"{data.service.name} {STAGE_PHRASES[stage]}."
        if not data.assessments:
            return text + " No assessments recorded yet."
        last = max(a.date for a in data.assessments)
        days = (dt.date.today() - last).days
        text += f" Last assessed {last.isoformat()}"
        if stage is LifecycleStage.LIVE and days > PERIODIC_DAYS:
            text += ", over a year ago: a periodic assessment is due."
        else:
            text += "."
        return text

    def _on_selection_changed(self) -> None:
        a = self.selected_assessment()
        if a is None:
            self.detail.setText("")
        else:
            revision = "a map never saved" if a.map_revision is None else f"map revision {a.map_revision}"
            assessors = ", ".join(a.assessors) or "assessors not recorded"
            self.detail.setText(f"{a.date.isoformat()}, {assessors}, against {revision}.\n{a.notes}".strip())
        self.edit_button.setEnabled(not self._read_only and a is not None)
        self.remove_button.setEnabled(not self._read_only and a is not None)
        self.record_button.setEnabled(not self._read_only)

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
        kind = AssessmentKind.PERIODIC if stage is LifecycleStage.LIVE else AssessmentKind.TRANSITION
        following = [s for s in LifecycleStage if s.rank == stage.rank + 1]
        dialog = AssessmentDialog(
            self, kind=kind, from_stage=stage,
            to_stage=following[0] if kind is AssessmentKind.TRANSITION and following else None,
            map_revision=latest_revision(self.document.data),
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        assessment = dialog.record
        # The map as it is now, kept with the record (a copy: later edits must not reach it).
        assessment.map_snapshot = copy.deepcopy(self.document.data.map)
        commands = [AddRecordCommand(self.document, "assessments", assessment)]
        if self._offer_move(assessment):
            commands.append(UpdateServiceCommand(self.document, lifecycle=assessment.to_stage))
        try:
            push_all(self.stack, "Record assessment" if len(commands) == 1 else
                     f"Move to {assessment.to_stage.value} (assessed)", commands)
        except OsomError as exc:
            self.error_raised.emit(str(exc))
            return False
        self._select(assessment.id)
        return True

    def _offer_move(self, a: Assessment) -> bool:
        """A transition assessment that was met, from the stage the service is in: move it?"""
        service = self.document.data.service
        if (a.kind is not AssessmentKind.TRANSITION or a.outcome is AssessmentOutcome.NOT_MET
                or a.to_stage is None or a.from_stage is not service.lifecycle or a.to_stage is service.lifecycle):
            return False
        return ask(
            self, "Move the service",
            f"The assessment was {OUTCOME_LABELS[a.outcome].lower()}. Move {service.name} from "
            f"{LIFECYCLE_LABELS[a.from_stage]} to {LIFECYCLE_LABELS[a.to_stage]} now?",
        )

    def edit_selected(self) -> bool:
        a = self.selected_assessment()
        if a is None or self._read_only:
            return False
        dialog = AssessmentDialog(self, assessment=a)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        if dialog.record == a:
            return False
        return self._run(ReplaceRecordCommand(self.document, "assessments", dialog.record, text="Edit assessment"))

    def remove_selected(self) -> bool:
        a = self.selected_assessment()
        if a is None or self._read_only:
            return False
        return self._run(RemoveRecordCommand(self.document, "assessments", a.id, text=f"Remove assessment of {a.date}"))

    def _run(self, command) -> bool:
        return try_push(self.stack, command, self.error_raised.emit)

    def _select(self, assessment_id: str) -> None:
        for i in range(self.table.topLevelItemCount()):
            row = self.table.topLevelItem(i)
            if row.data(0, Qt.ItemDataRole.UserRole) == assessment_id:
                self.table.setCurrentItem(row)
                return
