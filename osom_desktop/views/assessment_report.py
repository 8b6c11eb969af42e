"""The assessment report dialog: OSOM's report format on top of the assessment form.

Per criterion of every loaded set that applies to the move (or to a periodic
assessment): the decision on the set's scale, what the team did well, what it must
improve. Then the overall result, the stage-specific outcome, the actions (owner and
due date; an amber criterion gets one due in three months by default), and the
actions still open from earlier assessments, which come back here. The rules are the
operations' (``operations.assessments.check_report``); a refusal is shown in the
dialog, which stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from osom_desktop.governance.criteria import CriteriaSet, check_unique_sets, load_criteria, occasion_of, shipped_sets
from osom_desktop.governance.scales import SCALES
from osom_desktop.model.errors import ModelValidationError, OsomError
from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    AssessmentKind,
    CriterionResult,
    MandateRecord,
    MandateStatus,
    UnmetNeed,
)
from osom_desktop.operations.assessments import STAGE_OUTCOMES, add_months, check_report, open_actions, template_results
from osom_desktop.operations.refusals import OperationRefused
from osom_desktop.views.record_dialogs import AssessmentDialog
from osom_desktop.views.widgets import ERROR_COLOUR, plain_label

CRITERIA_COLUMNS = ["Criterion", "Decision", "Done well", "To improve"]
ACTION_COLUMNS = ["Action", "Owner", "Due", "Criterion"]
# Cell backgrounds by decision, as the packs colour them (1-5: only the failing end).
DECISION_COLOURS = {"green": "#e6f4ea", "met": "#e6f4ea", "5": "#e6f4ea", "4": "#e6f4ea", "amber": "#fff4e0",
                    "3": "#fff4e0", "red": "#fde7e9", "not met": "#fde7e9", "2": "#fde7e9", "1": "#fde7e9"}

_loaded: list[CriteriaSet] = []


def loaded_criteria() -> list[CriteriaSet]:
    """The criteria sets in force in this session: the shipped examples, replaced by a
    loaded file with the same set id (the executive's own version wins)."""
    sets = {s.id: s for s in shipped_sets()}
    for s in _loaded:
        sets[s.id] = s
    return list(sets.values())


def load_criteria_file(path: str) -> CriteriaSet:
    """Load a set for this session (CatalogueError: FILE:LINE: problem)."""
    s = load_criteria(path)
    others = [o for o in _loaded if o.id != s.id]
    check_unique_sets([*others, s])
    _loaded[:] = [*others, s]
    return s


def _criteria_table() -> QTableWidget:
    table = QTableWidget(0, len(CRITERIA_COLUMNS))
    table.setObjectName("criteria")
    table.setHorizontalHeaderLabels(CRITERIA_COLUMNS)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, 260)
    table.setMinimumHeight(200)
    return table


def _actions_table() -> QTableWidget:
    table = QTableWidget(0, len(ACTION_COLUMNS))
    table.setObjectName("actions")
    table.setHorizontalHeaderLabels(ACTION_COLUMNS)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setMaximumHeight(100)
    return table


def _what_comes_back(earlier: Sequence[Assessment], mandates: Sequence[MandateRecord],
                     unmet_needs: Sequence[UnmetNeed]) -> str:
    """What comes back at this assessment: open actions, open mandates, unmet needs."""
    lines = _open_action_lines(earlier)
    open_mandates = [m for m in mandates if m.status is not MandateStatus.DONE]
    if open_mandates:
        lines.append("Open mandates:")
        lines += [_mandate_line(m) for m in open_mandates]
    if unmet_needs:
        lines.append("Needs the contract does not meet:")
        lines += [f"• {u.need}" for u in unmet_needs]
    return "\n".join(" ".join(line.split()) for line in lines)


def _open_action_lines(earlier: Sequence[Assessment]) -> list[str]:
    still_open = open_actions(earlier)
    lines = ["Open actions from earlier assessments:" if still_open else "No actions are open from earlier assessments."]
    return lines + [f"• {x.text} (from {a.date}, {x.owner or 'no owner'}, due {x.due})" for a, x in still_open]


def _mandate_line(m: MandateRecord) -> str:
    due = f", due {m.due}" if m.due else ""
    return f"• {m.id} {m.title} ({m.status.value}{due})"


class AssessmentReportDialog(AssessmentDialog):
    def __init__(self, parent: QWidget | None = None, *, sets: Sequence[CriteriaSet] | None = None,
                 earlier: Sequence[Assessment] = (), manager: str = "", mandates: Sequence[MandateRecord] = (),
                 unmet_needs: Sequence[UnmetNeed] = (), **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.setObjectName("assessmentReportDialog")
        self.setWindowTitle(("Edit" if self.existing else "Record") + " assessment report")
        self.sets = list(loaded_criteria() if sets is None else sets)
        self.manager = manager
        self.stage_outcome = QComboBox()
        self.stage_outcome.setObjectName("stageOutcome")
        self.add_field("Stage &outcome", "stage_outcome", self.stage_outcome)

        self.criteria = _criteria_table()
        self.actions = _actions_table()
        # The report is the criteria: the free notes need less room than the base form gives.
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 2 + 14)
        host = self._action_buttons()

        self.earlier = plain_label(_what_comes_back(earlier, mandates, unmet_needs))
        self.earlier.setObjectName("earlierActions")
        self.problem = QLabel()
        self.problem.setObjectName("reportProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.problem.hide()

        at = self._layout.count() - 1  # before the OK/Cancel buttons
        for i, w in enumerate((QLabel("<b>Criteria</b>"), self.criteria, QLabel("<b>Actions</b>"), self.actions, host,
                               self.earlier, self.problem)):
            self._layout.insertWidget(at + i, w, 1 if w is self.criteria else 0)
        self.setMinimumSize(900, 740)
        self.resize(1000, 780)

        self._fill(self.existing)
        for combo in (self.kind, self.from_stage, self.to_stage):
            combo.currentIndexChanged.connect(self._on_occasion_changed)

    def _action_buttons(self) -> QWidget:
        add = QPushButton("Add action")
        add.setObjectName("addAction")
        remove = QPushButton("Remove action")
        add.clicked.connect(lambda: self.add_action_row())
        remove.clicked.connect(self._remove_action)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        host = QWidget()
        host.setLayout(buttons)
        return host

    def _fill(self, existing: Assessment | None) -> None:
        """The report being edited, or the criteria of a new one to decide."""
        if existing is not None and existing.results:
            self.show_results(existing.results)
        else:
            self.show_results(template_results(self.sets, self._draft()))
        for x in (existing.actions if existing is not None else []):
            self.add_action_row(x)
        self._fill_stage_outcomes(existing.stage_outcome if existing else "")

    # -- criteria ----------------------------------------------------------------------

    def _draft(self) -> Assessment:
        kind = self.kind.value()
        transition = kind is AssessmentKind.TRANSITION
        return Assessment(date=dt.date.today(), kind=kind, outcome=self.outcome.value(),
                          from_stage=self.from_stage.value() if transition else None,
                          to_stage=self.to_stage.value() if transition else None)

    def _on_occasion_changed(self) -> None:
        kept = {(r.criteria_set, r.criterion_id): r for r in self.results()}
        rows = [kept.get((r.criteria_set, r.criterion_id), r) for r in template_results(self.sets, self._draft())]
        self.show_results(rows)
        self._fill_stage_outcomes(self.stage_outcome.currentText())

    def _fill_stage_outcomes(self, current: str) -> None:
        self.stage_outcome.clear()
        self.stage_outcome.addItem("—", "")
        for o in STAGE_OUTCOMES.get(occasion_of(self._draft()), ()):
            self.stage_outcome.addItem(o, o)
        i = self.stage_outcome.findData(current)
        self.stage_outcome.setCurrentIndex(max(0, i))

    def show_results(self, results: Sequence[CriterionResult]) -> None:
        titles = {s.id: s.title for s in self.sets}
        scales = {s.id: s.scale for s in self.sets}
        self.criteria.setRowCount(0)
        for r in results:
            row = self.criteria.rowCount()
            self.criteria.insertRow(row)
            name = QTableWidgetItem(f"{r.title or r.criterion_id}\n{titles.get(r.criteria_set, r.criteria_set)}")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, r)
            self.criteria.setItem(row, 0, name)
            combo = QComboBox()
            scale = SCALES.get(scales.get(r.criteria_set, ""))
            values = list(scale.values) if scale else []
            if r.decision not in values:
                values.append(r.decision)  # a recorded decision is shown as it was, never changed
            combo.addItems(values)
            combo.setCurrentText(r.decision)
            combo.currentTextChanged.connect(lambda text, c=combo: self._colour(c, text))
            self._colour(combo, r.decision)
            combo.setAccessibleName(f"Decision on {r.title or r.criterion_id}")
            self.criteria.setCellWidget(row, 1, combo)
            self.criteria.setItem(row, 2, QTableWidgetItem(r.done_well))
            self.criteria.setItem(row, 3, QTableWidgetItem(r.to_improve))
        self.criteria.resizeRowsToContents()

    @staticmethod
    def _colour(combo: QComboBox, decision: str) -> None:
        colour = DECISION_COLOURS.get(decision)
        combo.setStyleSheet(f"QComboBox {{ background-color: {colour}; color: #1b1b1b; }}" if colour else "")

    def results(self) -> list[CriterionResult]:
        out = []
        for row in range(self.criteria.rowCount()):
            base: CriterionResult = self.criteria.item(row, 0).data(Qt.ItemDataRole.UserRole)
            combo = self.criteria.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            out.append(base.model_copy(update={
                "decision": combo.currentText(),
                "done_well": (self.criteria.item(row, 2).text() if self.criteria.item(row, 2) else "").strip(),
                "to_improve": (self.criteria.item(row, 3).text() if self.criteria.item(row, 3) else "").strip(),
            }))
        return out

    def set_decision(self, criterion_id: str, decision: str, to_improve: str = "") -> None:
        """Set one row (tests and scripted screenshots use it as a person would)."""
        for row in range(self.criteria.rowCount()):
            if self.criteria.item(row, 0).data(Qt.ItemDataRole.UserRole).criterion_id == criterion_id:
                combo = self.criteria.cellWidget(row, 1)
                assert isinstance(combo, QComboBox)
                combo.setCurrentText(decision)
                if to_improve:
                    self.criteria.setItem(row, 3, QTableWidgetItem(to_improve))
                return
        raise KeyError(criterion_id)

    # -- actions -----------------------------------------------------------------------

    def add_action_row(self, action: AssessmentAction | None = None) -> None:
        due = action.due if action else add_months(dt.date.today(), 3)
        row = self.actions.rowCount()
        self.actions.insertRow(row)
        values = (action.text if action else "", action.owner if action else self.manager, due.isoformat(),
                  action.criterion_id if action else "")
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, action)
            self.actions.setItem(row, col, item)

    def _remove_action(self) -> None:
        row = self.actions.currentRow()
        if row >= 0:
            self.actions.removeRow(row)

    def action_records(self) -> list[AssessmentAction]:
        out = []
        for row in range(self.actions.rowCount()):
            text = [self.actions.item(row, c).text().strip() if self.actions.item(row, c) else "" for c in range(4)]
            if not text[0]:
                continue
            try:
                due = dt.date.fromisoformat(text[2])
            except ValueError:
                raise ModelValidationError("Assessment.actions", text[2],
                                           f"action {row + 1}: the due date must be written 2026-06-30") from None
            base: AssessmentAction | None = self.actions.item(row, 0).data(Qt.ItemDataRole.UserRole)
            values = {"text": text[0], "owner": text[1], "due": due, "criterion_id": text[3]}
            out.append(base.model_copy(update=values) if base else AssessmentAction(**values))
        return out

    # -- the record --------------------------------------------------------------------

    def build(self) -> Assessment:
        # Each result and action is a validated model already; the form's own fields
        # are validated by the base dialog.
        return super().build().model_copy(update={
            "results": self.results(),
            "actions": self.action_records(),
            "stage_outcome": self.stage_outcome.currentData() or "",
        })

    def accept(self) -> None:
        self.problem.hide()
        try:
            record = self.build()
            check_report(record, self.sets)
        except OperationRefused as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        except ModelValidationError:
            super().accept()  # shows it on the field
            return
        except OsomError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()
