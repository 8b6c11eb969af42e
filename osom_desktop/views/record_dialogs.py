"""Small dialogs that build one record: an assessment, a guidance rejection, a contract
change's reason, a measure, a recorded value, a dependency.

Each dialog builds its record through the pydantic model when OK is pressed, and
checks it with the operation's own rule (``osom_desktop.operations``: "a reason is
required", "a transition names the stage it moves to"); the dialogs hold no rule of
their own. A refused value is shown on the field it belongs to — red border, tooltip
and focus — and its one-line message, in the words of the form (``user_message``),
on a line kept for it under the fields: a message shown between the fields pushed the
ones below it down, under the pointer of a person about to click the next. The dialog
stays open with everything typed in it, so nothing is recorded until all is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.model.errors import ModelValidationError, user_message
from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    DecisionStatus,
    Dependency,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    Measure,
    RecordedValue,
    ServiceDocument,
)
from osom_desktop.model.validation import first_error
from osom_desktop.operations import Reason, check_assessment, check_new_dependency, check_reason
from osom_desktop.operations.guidance import check_decision
from osom_desktop.operations.wording import DIRECTION_LABELS, LIFECYCLE_LABELS
from osom_desktop.views.widgets import (
    FieldErrors,
    date_edit,
    enum_combo,
    from_qdate,
    plain_label,
    text_box,
    to_qdate,
)

KIND_LABELS = {AssessmentKind.TRANSITION: "Transition", AssessmentKind.PERIODIC: "Periodic"}
OUTCOME_LABELS = {
    AssessmentOutcome.MET: "Met",
    AssessmentOutcome.MET_WITH_CONDITIONS: "Met with conditions",
    AssessmentOutcome.NOT_MET: "Not met",
}


# -- helpers shared with the docks ---------------------------------------------------


def latest_revision(data: ServiceDocument) -> int | None:
    """The number of the document's last save, or None if it was never saved."""
    return data.revisions[-1].number if data.revisions else None


def error_message(exc: ModelValidationError) -> str:
    """The one-line message, naming the field as the form labels it."""
    return user_message(exc)


def build_model(cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """``cls(**values)`` with pydantic's report turned into our one-line error."""
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        raise first_error(exc, cls.__name__) from None


# -- the base dialog ---------------------------------------------------------------


class RecordDialog(QDialog):
    """A form that builds one record on OK; ``record`` holds it after ``accept``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.record: Any = None
        self.errors = FieldErrors()
        self._fields: dict[str, QWidget] = {}
        self._layout = QVBoxLayout(self)
        self.intro = plain_label()
        self.intro.hide()
        self._layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.addLayout(self.form)
        # Every field's message line, stacked in one cell over the buttons: one shows
        # at a time, in room kept for it, so a message never moves a field. Message
        # and buttons are one footer: what a dialog adds before its last item
        # (AssessmentReportDialog's tables) stays above both.
        footer = QWidget()
        below = QVBoxLayout(footer)
        below.setContentsMargins(0, 0, 0, 0)
        self.problems = QWidget()
        self.problems.setObjectName("dialogProblems")
        self._problem_cell = QGridLayout(self.problems)
        self._problem_cell.setContentsMargins(0, 0, 0, 0)
        self.problems.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 4)  # a wrapped message fits
        below.addWidget(self.problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        below.addWidget(self.buttons)
        self._layout.addWidget(footer)
        self.setMinimumWidth(460)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_field(self, label: str, name: str, widget: QWidget, error_widget: QWidget | None = None) -> QWidget:
        """Add a form row; ``name`` is the model field whose errors show on it
        (``error_widget``: on that part of the row)."""
        target = error_widget or widget
        self._fields[name] = target
        row = QLabel(label)
        row.setBuddy(target)
        self.form.addRow(row, widget)
        message = self.errors.label_for(target)
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._problem_cell.addWidget(message, 0, 0)
        return widget

    def field_widget(self, field: str) -> QWidget | None:
        """The widget for an error's field path ("Assessment.assessors.0" -> assessors)."""
        for part in field.split("."):
            if part in self._fields:
                return self._fields[part]
        return None

    def build(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.record = self.build()
        except ModelValidationError as exc:
            widget = self.field_widget(exc.field) or next(iter(self._fields.values()), None)
            if widget is not None:
                self.errors.show(widget, error_message(exc))
                widget.setFocus()
            return
        super().accept()


class _CtrlReturnAccepts(QObject):
    """Ctrl+Return in a multi-line box presses OK (Return alone starts a new line)."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self._dialog.accept()
            return True
        return False


# -- contract change reason --------------------------------------------------------------


class ContractChangeDialog(RecordDialog):
    """Asks why a live service's contract changes; builds the Reason (the operation
    makes the ContractChange from it)."""

    def __init__(self, summary: str, author: str = "", reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Change a live service's contract", parent)
        self.summary = summary
        self.set_intro(
            "This service is live. OSOM asks for contracts to be changed sparingly, "
            "so each change is recorded with its reason."
        )
        self.changes = plain_label(summary)
        self.changes.setObjectName("changeSummary")
        self.form.addRow("What changes", self.changes)
        self.reason = self.add_field("&Reason (required)", "reason", text_box(3))
        self.reason.setPlainText(reason)
        self.reason.installEventFilter(_CtrlReturnAccepts(self))
        self.author = self.add_field("Agreed &by", "author", QLineEdit(author))
        self.reason.setFocus()

    def build(self) -> Reason:
        return Reason(check_reason(self.reason.toPlainText()), self.author.text().strip())


# -- assessments -------------------------------------------------------------------


class AssessmentDialog(RecordDialog):
    """Record (or edit) an assessment. ``fixed_transition`` locks kind and stages for a
    lifecycle move, so the assessment recorded is the one for that move."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        assessment: Assessment | None = None,
        kind: AssessmentKind = AssessmentKind.PERIODIC,
        from_stage: LifecycleStage | None = None,
        to_stage: LifecycleStage | None = None,
        map_revision: int | None = None,
        fixed_transition: bool = False,
    ) -> None:
        super().__init__("Edit assessment" if assessment else "Record assessment", parent)
        self.existing = assessment
        self.map_revision = assessment.map_revision if assessment else map_revision
        self.date = self.add_field("&Date", "date", date_edit(assessment.date if assessment else None))
        self.kind = self.add_field("&Kind", "kind", enum_combo(KIND_LABELS))
        self.from_stage = self.add_field("&From stage", "from_stage", enum_combo(LIFECYCLE_LABELS, "—"))
        self.to_stage = self.add_field("&To stage", "to_stage", enum_combo(LIFECYCLE_LABELS, "—"))
        self.outcome = self.add_field("&Outcome", "outcome", enum_combo(OUTCOME_LABELS))
        self.assessors = self.add_field("&Assessors", "assessors", QLineEdit())
        self.assessors.setPlaceholderText("names, separated by commas")
        self.notes = self.add_field("&Notes", "notes", text_box(4))
        # The assessment keeps the map on screen, unsaved changes and all (with_map);
        # "as last saved" told the assessors they assessed an older map than was kept.
        saved = "not saved yet" if self.map_revision is None else f"last saved: revision {self.map_revision}"
        if assessment is None:
            self.revision_label = plain_label(f"The map as it is now ({saved})")
        else:
            self.revision_label = plain_label(f"The map as it was when assessed ({saved})")
        self.form.addRow("Map", self.revision_label)
        if assessment is not None:
            kind, from_stage, to_stage = assessment.kind, assessment.from_stage, assessment.to_stage
            self.outcome.set_value(assessment.outcome)
            self.assessors.setText(", ".join(assessment.assessors))
            self.notes.setPlainText(assessment.notes)
        self.kind.set_value(kind)
        self.from_stage.set_value(from_stage)
        self.to_stage.set_value(to_stage)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()
        if fixed_transition:
            for w in (self.kind, self.from_stage, self.to_stage):
                w.setEnabled(False)
            self.set_intro(
                f"Moving the service from {LIFECYCLE_LABELS.get(from_stage, '—')} to "
                f"{LIFECYCLE_LABELS.get(to_stage, '—')} needs an assessment. "
                "Record it here; if it is not met, the service stays where it is."
            )
            self.outcome.setFocus()

    def _on_kind_changed(self) -> None:
        periodic = self.kind.value() is AssessmentKind.PERIODIC
        self.from_stage.setEnabled(not periodic and self.kind.isEnabled())
        self.to_stage.setEnabled(not periodic and self.kind.isEnabled())

    def build(self) -> Assessment:
        kind = self.kind.value()
        from_stage = self.from_stage.value() if kind is AssessmentKind.TRANSITION else None
        to_stage = self.to_stage.value() if kind is AssessmentKind.TRANSITION else None
        values: dict[str, Any] = {
            "date": from_qdate(self.date.date()),
            "kind": kind,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "outcome": self.outcome.value(),
            "assessors": [a.strip() for a in self.assessors.text().split(",") if a.strip()],
            "notes": self.notes.toPlainText().strip(),
            "map_revision": self.map_revision,
        }
        if self.existing is not None:
            values["id"] = self.existing.id
            # Editing the record keeps the map it was made against.
            values["map_snapshot"] = self.existing.map_snapshot
        return check_assessment(build_model(Assessment, values))


# -- guidance ------------------------------------------------------------------------


class RejectGuidanceDialog(RecordDialog):
    """Why this service does not follow a guidance item; keeps a snapshot of the item."""

    def __init__(self, item: GuidanceItem, decided_by: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Reject guidance", parent)
        self.item = item.model_copy(deep=True)
        self.set_intro("You will be asked to account for this decision at the service's assessments.")
        heading = plain_label(f"{item.title} (version {item.version})")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.form.addRow("Guidance", heading)
        if item.text:
            text = plain_label(item.text)
            text.setObjectName("guidanceText")
            self.form.addRow("", text)
        self.reason = self.add_field("&Reason (required)", "reason", text_box(3))
        self.reason.installEventFilter(_CtrlReturnAccepts(self))
        self.alternative = self.add_field("A&lternative chosen", "alternative", text_box(2))
        self.accepted_risk = self.add_field("Risk acce&pted", "accepted_risk", text_box(2))
        self.decided_by = self.add_field("Decided &by", "decided_by", QLineEdit(decided_by))
        today = dt.date.today()
        self.decided_on = self.add_field("Decided &on", "decided_on", date_edit(today))
        self.has_review = QCheckBox("Re&view by")
        self.has_review.setChecked(True)
        self.review_by = date_edit()
        self.review_by.setDate(to_qdate(today).addMonths(12))
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.has_review)
        box.addWidget(self.review_by, 1)
        self.has_review.toggled.connect(self.review_by.setEnabled)
        self.add_field("", "review_by", row, error_widget=self.review_by)
        self.reason.setFocus()

    def build(self) -> GuidanceDecision:
        decided_on = from_qdate(self.decided_on.date())
        review_by = from_qdate(self.review_by.date()) if self.has_review.isChecked() else None
        return check_decision(build_model(GuidanceDecision, {
            "guidance": self.item,
            "status": DecisionStatus.REJECTED,
            "reason": self.reason.toPlainText().strip(),
            "alternative": self.alternative.toPlainText().strip(),
            "accepted_risk": self.accepted_risk.toPlainText().strip(),
            "decided_by": self.decided_by.text().strip(),
            "decided_on": decided_on,
            "review_by": review_by,
        }))


# -- contract parts --------------------------------------------------------------------


class MeasureDialog(RecordDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add measure", parent)
        self.name = self.add_field("&Name", "name", QLineEdit())
        self.name.setPlaceholderText("e.g. Delivered within 10 minutes")
        self.unit = self.add_field("&Unit", "unit", QLineEdit())
        self.unit.setPlaceholderText("e.g. %, seconds, £ per message")
        self.target = self.add_field("&Target", "target", QLineEdit())
        self.target.setPlaceholderText("a number, or empty")
        self.direction = self.add_field("&Direction", "direction", enum_combo(DIRECTION_LABELS))
        self.name.setFocus()

    def build(self) -> Measure:
        target = self.target.text().strip()
        return build_model(Measure, {
            "name": self.name.text(),
            "unit": self.unit.text().strip(),
            "target": target or None,
            "direction": self.direction.value(),
        })


class RecordedValueDialog(RecordDialog):
    def __init__(self, measure: Measure, parent: QWidget | None = None) -> None:
        super().__init__("Record a value", parent)
        unit = f" ({measure.unit})" if measure.unit else ""
        self.set_intro(f"{measure.name}{unit}")
        self.date = self.add_field("&Date", "date", date_edit())
        self.value = self.add_field("&Value", "value", QLineEdit())
        self.note = self.add_field("N&ote", "note", QLineEdit())
        self.value.setFocus()

    def build(self) -> RecordedValue:
        return build_model(RecordedValue, {
            "date": from_qdate(self.date.date()),
            "value": self.value.text().strip(),
            "note": self.note.text().strip(),
        })


class DependencyDialog(RecordDialog):
    def __init__(self, known_services: Iterable[str] = (), existing: Iterable[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__("Add dependency", parent)
        from osom_desktop.views.service_picker import ServicePicker

        self.existing = {name.casefold() for name in existing}
        # The services the app knows, in a list; a name matching none is asked about on OK.
        self.known = sorted(set(known_services), key=str.casefold)
        self.service_name = self.add_field("&Service", "service_name", ServicePicker(self.known))
        self.service_name.setPlaceholderText("the service this one depends on")
        self.description = self.add_field("&What for", "description", QLineEdit())
        self.description.setPlaceholderText("what this service relies on it for")
        self.service_name.setFocus()

    def build(self) -> Dependency:
        dependency = build_model(Dependency, {
            "service_name": self.service_name.text(),
            "description": self.description.text().strip(),
        })
        check_new_dependency(self.existing, dependency.service_name)
        return dependency

    def accept(self) -> None:
        from osom_desktop.views.service_picker import confirm_service_name, is_known

        name = self.service_name.text().strip()
        if name and not is_known(name, self.known):
            chosen = confirm_service_name(self, "Add dependency", name, self.known)
            if chosen is None:
                self.service_name.setFocus()
                return  # the dialog stays open: the person corrects the name
            self.service_name.setText(chosen)
        super().accept()
