"""The contract editor: the service and its eight-point contract, every field editable.

Like the inspector it reads the Document and writes only through commands; when the
Document changes it refreshes with its widgets' signals blocked, so a refresh is never
taken for an edit. Text fields commit when the person is done with them (focus leaves
the field, or Return), never per keystroke, and each commit is one undo step.

Two OSOM rules shape the edits:
- a live service's contract changes sparingly: each change asks for a reason and is
  recorded as a ContractChange in the same undo step as the change itself;
- a service moves forward through its lifecycle only through an assessment: the move
  and the assessment are one undo step, and "not met" keeps the service where it is.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import ServiceSummary, normalise_name
from osom_desktop.commands import (
    AddElementCommand,
    AddRecordCommand,
    UpdateContractCommand,
    UpdateElementCommand,
    UpdateServiceCommand,
)
from osom_desktop.commands.macro import push_all
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import ModelValidationError, OsomError
from osom_desktop.model.ids import new_id
from osom_desktop.model.service import (
    AssessmentKind,
    AssessmentOutcome,
    Contract,
    ContractChange,
    Dependency,
    EvolutionStage,
    LifecycleStage,
    Measure,
    Service,
)
from osom_desktop.model.validation import validate_model_update
from osom_desktop.model.wardley import Component, ServiceRef
from osom_desktop.views.record_dialogs import (
    DIRECTION_LABELS,
    ERROR_COLOUR,
    LIFECYCLE_LABELS,
    AssessmentDialog,
    ContractChangeDialog,
    DependencyDialog,
    FieldErrors,
    MeasureDialog,
    RecordedValueDialog,
    ask,
    current_user,
    enum_combo,
    latest_revision,
    plain_label,
    text_box,
    tip,
)

EVOLUTION_LABELS = {
    EvolutionStage.GENESIS: "Genesis",
    EvolutionStage.CUSTOM: "Custom-built",
    EvolutionStage.PRODUCT: "Product (+rental)",
    EvolutionStage.COMMODITY: "Commodity (+utility)",
}
# Where a component provided by a service at that stage sits on the evolution axis:
# the middle of the stage (boundaries 0.175, 0.40, 0.70).
EVOLUTION_POSITION = {
    EvolutionStage.GENESIS: 0.09,
    EvolutionStage.CUSTOM: 0.29,
    EvolutionStage.PRODUCT: 0.55,
    EvolutionStage.COMMODITY: 0.85,
}
TEXT_FIELDS = {
    "purpose": "Purpose",
    "usage": "How the service is used",
    "expectations_success": "Expectations of success",
    "expectations_failure": "Expectations of failure",
    "help": "How to get help",
}


# -- what a contract change says it changed -------------------------------------------


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:g}"


def describe_contract_change(old: Contract, new: Contract) -> str:
    """One line per change of the contract's terms, for the ContractChange summary.

    Recorded values of a measure are performance data, not terms of the contract: a
    change that only records values describes as "" (and needs no reason).
    """
    lines: list[str] = []
    for field, label in TEXT_FIELDS.items():
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            lines.append(f"{label}: '{_short(a)}' → '{_short(b)}'" if a else f"{label} set: '{_short(b)}'")
    if old.user_needs != new.user_needs:
        removed = [n for n in old.user_needs if n not in new.user_needs]
        added = [n for n in new.user_needs if n not in old.user_needs]
        if len(removed) == 1 and len(added) == 1:
            lines.append(f"User need reworded: '{_short(removed[0])}' → '{_short(added[0])}'")
        else:
            lines += [f"User need added: '{_short(n)}'" for n in added]
            lines += [f"User need removed: '{_short(n)}'" for n in removed]
            if not added and not removed:
                lines.append("User needs reordered")
    if old.evolution_stage != new.evolution_stage:
        a = EVOLUTION_LABELS.get(old.evolution_stage, "not set")
        b = EVOLUTION_LABELS.get(new.evolution_stage, "not set")
        lines.append(f"Evolution stage: {a} → {b}")
    lines += _describe_measures(old.measures, new.measures)
    lines += _describe_dependencies(old.dependencies, new.dependencies)
    return "\n".join(lines)


def _describe_measures(old: Sequence[Measure], new: Sequence[Measure]) -> list[str]:
    lines: list[str] = []
    before = {m.id: m for m in old}
    after = {m.id: m for m in new}
    for m in new:
        if m.id not in before:
            unit = f" {m.unit}" if m.unit else ""
            lines.append(f"Measure added: '{m.name}' (target {_num(m.target)}{unit}, {DIRECTION_LABELS[m.direction].lower()})")
            continue
        o = before[m.id]
        if o.name != m.name:
            lines.append(f"Measure renamed: '{o.name}' → '{m.name}'")
        if o.unit != m.unit:
            lines.append(f"Measure '{m.name}' unit: '{o.unit}' → '{m.unit}'")
        if o.target != m.target:
            lines.append(f"Measure '{m.name}' target: {_num(o.target)} → {_num(m.target)}")
        if o.direction != m.direction:
            lines.append(f"Measure '{m.name}': {DIRECTION_LABELS[o.direction].lower()} → {DIRECTION_LABELS[m.direction].lower()}")
    lines += [f"Measure removed: '{m.name}'" for m in old if m.id not in after]
    return lines


def _describe_dependencies(old: Sequence[Dependency], new: Sequence[Dependency]) -> list[str]:
    lines: list[str] = []
    before = {d.id: d for d in old}
    after = {d.id: d for d in new}
    for d in new:
        if d.id not in before:
            lines.append(f"Dependency added: {d.service_name}")
            continue
        o = before[d.id]
        if o.service_name != d.service_name:
            lines.append(f"Dependency renamed: {o.service_name} → {d.service_name}")
        if o.description != d.description:
            lines.append(f"Dependency on {d.service_name}: '{_short(o.description)}' → '{_short(d.description)}'")
    lines += [f"Dependency removed: {d.service_name}" for d in old if d.id not in after]
    return lines


# -- committing text fields when the person is done with them --------------------------


class _CommitFilter(QObject):
    """Commit on focus-out (Tab, click elsewhere) and Return / Ctrl+Return; Escape reverts.

    Losing focus because another window became active (or a menu popped up) is not the
    person being done with the field, so it does not commit: a live service's reason
    prompt must not appear because someone switched to their email. Saving and closing
    flush what is still being typed.
    """

    def __init__(self, parent: QObject, commit: Callable[[QWidget], None], revert: Callable[[QWidget], None]) -> None:
        super().__init__(parent)
        self._commit = commit
        self._revert = revert

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            if event.reason() not in (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason):
                self._commit(obj)
        elif kind == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self._revert(obj)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                multi_line = isinstance(obj, QPlainTextEdit)
                if not multi_line or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self._commit(obj)
                    return multi_line  # a line edit still sees its Return
        return False


def _text_of(widget: QWidget) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def _set_text(widget: QWidget, text: str) -> None:
    if _text_of(widget) != text:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
            widget.setCursorPosition(0)


class _ComboDelegate(QStyledItemDelegate):
    """Edits a table cell with a combo box of the labels of some values.

    Only the label is written back (one ``itemChanged``, so one commit); the edit
    handler turns it back into the value.
    """

    def __init__(self, labels: dict[Any, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.labels = labels

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        combo = QComboBox(parent)
        for label in self.labels.values():
            combo.addItem(label)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        editor.setCurrentIndex(max(editor.findText(index.data(Qt.ItemDataRole.DisplayRole) or ""), 0))

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def _table(headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move, F2 edits
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


def _fit_height(table: QTableWidget, min_rows: int = 2, max_rows: int = 8) -> None:
    """A table in a scrolling form is as tall as its rows (within limits), not a fixed box."""
    rows = min(max(table.rowCount(), min_rows), max_rows)
    row_h = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows * row_h + 2 * table.frameWidth() + 6)


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class ContractEditor(QWidget):
    """The service and its contract. ``error_raised`` carries a refused edit's reason;
    ``message_shown`` a note for the status bar (e.g. an assessment that was not met)."""

    error_raised = Signal(str)
    message_shown = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.stack = stack
        # The other services the window knows (beside this file, recent ones): offered
        # as dependencies, and the source of a dependency's id and declared stage.
        self.services: list[ServiceSummary] = []
        self.errors = FieldErrors()
        self._busy = False  # a commit is asking the person something; ignore re-entry
        self._last_reason = ""
        self._last_author = ""
        self._build()
        document.changed.connect(self._on_document_changed)
        self.refresh()

    # -- construction ------------------------------------------------------------------

    def _build(self) -> None:
        # Labels above their fields: a dock is narrow, and a label column would take
        # the width the tables and text need.
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 4, 8, 8)
        column.setSpacing(4)
        self._filter = _CommitFilter(self, self._commit_field, self._revert_field)

        def heading(text: str, buddy: QWidget | None = None) -> QLabel:
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            label.setContentsMargins(0, 10, 0, 0)
            if buddy is not None:
                label.setBuddy(buddy)
            column.addWidget(label)
            return label

        def caption(text: str, buddy: QWidget) -> None:
            label = QLabel(text)
            label.setBuddy(buddy)
            column.addWidget(label)

        def text_field(widget: QWidget) -> QWidget:
            widget.installEventFilter(self._filter)
            return self.errors.wrap(widget)

        def short_form(rows: list[tuple[str, QWidget, QWidget]]) -> None:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            for text, widget, buddy in rows:
                label = QLabel(text)
                label.setBuddy(buddy)
                form.addRow(label, widget)
            column.addLayout(form)

        heading("Service")
        self.name = QLineEdit()
        self.manager = QLineEdit()
        self.manager.setPlaceholderText("who is accountable for the service")
        short_form([("&Name", text_field(self.name), self.name), ("&Manager", text_field(self.manager), self.manager)])

        heading("1. What it is and the user needs it meets")
        self.purpose = text_box(3)
        self.purpose.setPlaceholderText("What the service is, in a sentence or two")
        caption("P&urpose", self.purpose)
        column.addWidget(text_field(self.purpose))
        self.user_needs = QListWidget()
        self.user_needs.setObjectName("userNeeds")
        self.user_needs.setWordWrap(True)
        self.user_needs.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.user_needs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.user_needs.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.user_needs.setAlternatingRowColors(True)
        self.user_needs.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap when the dock is resized
        self.add_need = QPushButton("Add need")
        self.remove_need = QPushButton("Remove need")
        caption("User nee&ds (double-click or F2 to edit)", self.user_needs)
        column.addWidget(self.user_needs)
        column.addWidget(self.errors.label_for(self.user_needs))
        column.addLayout(_buttons(self.add_need, self.remove_need))

        self.lifecycle = enum_combo(LIFECYCLE_LABELS)
        self.evolution = enum_combo(EVOLUTION_LABELS, "Not stated")
        heading("2. Lifecycle stage and 3. evolution stage")
        short_form([("&Lifecycle", self.lifecycle, self.lifecycle), ("Evolu&tion", self.evolution, self.evolution)])
        hint = plain_label("Moving the lifecycle forward records an assessment; moving back asks first.")
        hint.setObjectName("hint")
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        column.addWidget(hint)

        self.usage = text_box(3)
        self.usage.setPlaceholderText("Channels, interfaces, who may consume it")
        heading("4. Ho&w the service is used", self.usage)
        column.addWidget(text_field(self.usage))

        heading("5. Expectations of success and failure")
        self.success = text_box(3)
        self.success.setPlaceholderText("Service levels a customer can expect")
        self.failure = text_box(3)
        self.failure.setPlaceholderText("What happens when it fails")
        caption("Su&ccess", self.success)
        column.addWidget(text_field(self.success))
        caption("Fa&ilure", self.failure)
        column.addWidget(text_field(self.failure))

        self.measures = _table(["Measure", "Unit", "Target", "Direction"], 0)
        self.measures.setObjectName("measures")
        self.measures.setItemDelegateForColumn(3, _ComboDelegate(DIRECTION_LABELS, self.measures))
        heading("6. How performance is measu&red", self.measures)
        self.add_measure = QPushButton("Add measure…")
        self.remove_measure = QPushButton("Remove measure")
        self.record_value = QPushButton("Record value…")
        self.remove_value = QPushButton("Remove value")
        self.values = _table(["Date", "Value", "Note"], 2)
        self.values.setObjectName("recordedValues")
        self.values_title = plain_label("Recorded values")
        column.addWidget(self.measures)
        column.addWidget(self.errors.label_for(self.measures))
        column.addLayout(_buttons(self.add_measure, self.remove_measure))
        column.addWidget(self.values_title)
        column.addWidget(self.values)
        column.addWidget(self.errors.label_for(self.values))
        column.addLayout(_buttons(self.record_value, self.remove_value))

        self.help = text_box(3)
        self.help.setPlaceholderText("Who to contact when it is not performing, and how")
        heading("7. How to &get help", self.help)
        column.addWidget(text_field(self.help))

        self.dependencies = _table(["Service", "What for"], 1)
        self.dependencies.setObjectName("dependencies")
        heading("8. Services it de&pends on", self.dependencies)
        self.add_dependency_button = QPushButton("Add dependency…")
        self.remove_dependency = QPushButton("Remove dependency")
        column.addWidget(self.dependencies)
        column.addWidget(self.errors.label_for(self.dependencies))
        column.addLayout(_buttons(self.add_dependency_button, self.remove_dependency))

        heading("Changes to this contract")
        self.changes = QTreeWidget()
        self.changes.setObjectName("contractChanges")
        self.changes.setHeaderLabels(["Date", "Reason", "What changed", "By"])
        self.changes.setRootIsDecorated(False)
        self.changes.setWordWrap(True)
        self.changes.setUniformRowHeights(False)
        self.changes.header().setStretchLastSection(False)
        self.changes.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.changes.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.changes.setMinimumHeight(120)
        self.no_changes = plain_label("Changes made while the service is live are recorded here, with their reasons.")
        column.addWidget(self.no_changes)
        column.addWidget(self.changes)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self._signal_widgets: list[QObject] = [
            self.name, self.manager, self.purpose, self.user_needs, self.lifecycle, self.evolution,
            self.usage, self.success, self.failure, self.measures, self.values, self.help,
            self.dependencies,
        ]
        self._text_fields: dict[QWidget, tuple[str, str]] = {
            self.name: ("service", "name"),
            self.manager: ("service", "manager"),
            self.purpose: ("contract", "purpose"),
            self.usage: ("contract", "usage"),
            self.success: ("contract", "expectations_success"),
            self.failure: ("contract", "expectations_failure"),
            self.help: ("contract", "help"),
        }

        self.add_need.clicked.connect(self.start_new_need)
        self.remove_need.clicked.connect(self.remove_selected_need)
        self.user_needs.itemChanged.connect(self._on_need_edited)
        self.user_needs.itemDelegate().closeEditor.connect(lambda *_: QTimer.singleShot(0, self._drop_blank_needs))
        self.lifecycle.activated.connect(lambda _i: self._on_lifecycle_chosen())
        self.evolution.activated.connect(lambda _i: self._on_evolution_chosen())
        self.add_measure.clicked.connect(self.add_measure_dialog)
        self.remove_measure.clicked.connect(self.remove_selected_measure)
        self.measures.itemChanged.connect(self._on_measure_edited)
        self.measures.itemSelectionChanged.connect(self._refresh_values)
        self.record_value.clicked.connect(self.record_value_dialog)
        self.remove_value.clicked.connect(self.remove_selected_value)
        self.values.itemChanged.connect(self._on_value_edited)
        self.add_dependency_button.clicked.connect(self.add_dependency_dialog)
        self.remove_dependency.clicked.connect(self.remove_selected_dependency)
        self.dependencies.itemChanged.connect(self._on_dependency_edited)
        for view in (self.user_needs, self.values, self.dependencies):
            view.itemSelectionChanged.connect(self._update_buttons)

    # -- showing -----------------------------------------------------------------------

    def set_document(self, document: Document, stack: QUndoStack) -> None:
        self.document.changed.disconnect(self._on_document_changed)
        self.document, self.stack = document, stack
        document.changed.connect(self._on_document_changed)
        self.errors.clear()
        self._last_reason = self._last_author = ""  # a reason belongs to its own service
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("service", "contract", "contract_changes"):
            self.refresh()

    def refresh(self) -> None:
        data = self.document.data
        service, contract = data.service, data.contract
        blocked = [w.blockSignals(True) for w in self._signal_widgets]
        try:
            for widget, (part, field) in self._text_fields.items():
                if self.errors.message(widget) is None:  # a refused value stays until fixed or Escape
                    _set_text(widget, getattr(service if part == "service" else contract, field))
            self.lifecycle.set_value(service.lifecycle)
            self.evolution.set_value(contract.evolution_stage)
            self._refresh_needs(contract.user_needs)
            self._fill(self.measures, [
                (m.id, [m.name, m.unit, _num(m.target) if m.target is not None else "", DIRECTION_LABELS[m.direction]])
                for m in contract.measures
            ])
            if self.measures.currentRow() < 0 and self.measures.rowCount():
                self.measures.selectRow(0)
            self._fill(self.dependencies, [(d.id, [d.service_name, d.description]) for d in contract.dependencies])
        finally:
            for w, was in zip(self._signal_widgets, blocked):
                w.blockSignals(was)
        self._refresh_values()
        self._refresh_changes()
        self._update_buttons()

    def _refresh_needs(self, needs: list[str]) -> None:
        current = [self.user_needs.item(i).text() for i in range(self.user_needs.count())]
        if current != needs:
            row = self.user_needs.currentRow()
            self.user_needs.clear()
            for need in needs:
                item = QListWidgetItem(need)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.user_needs.addItem(item)
            if needs:
                self.user_needs.setCurrentRow(min(max(row, 0), len(needs) - 1))
        self.errors.clear(self.user_needs)
        self._fit_needs()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_needs)  # wrapped needs take more or fewer lines now

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_needs)

    def _fit_needs(self) -> None:
        """As tall as the wrapped needs (two empty lines at least, a scroll bar past 220px)."""
        view = self.user_needs
        metrics = view.fontMetrics()
        width = max(view.viewport().width() - 10, 80)
        height = 0
        for i in range(view.count()):
            text = view.item(i).text() or " "
            height += metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height() + 6
        height = max(height, 2 * (metrics.lineSpacing() + 6))
        view.setFixedHeight(min(height + 2 * view.frameWidth() + 4, 220))

    def _fill(self, table: QTableWidget, rows: list[tuple[str, list[str]]]) -> None:
        """Show rows (id, cell texts); in place when the ids are the same, so an edit's
        refresh does not rebuild the table under the cell editor."""
        ids = [self._row_id(table, r) for r in range(table.rowCount())]
        selected = self._row_id(table, table.currentRow()) if table.currentRow() >= 0 else None
        if ids != [r[0] for r in rows]:
            table.setRowCount(0)
            table.setRowCount(len(rows))
        for r, (row_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(r, c, item)
                item.setText(text)
                item.setBackground(QBrush())
                item.setToolTip(tip(text) if len(text) > 30 else "")
            table.item(r, 0).setData(Qt.ItemDataRole.UserRole, row_id)
        if selected is not None:
            for r, (row_id, _cells) in enumerate(rows):
                if row_id == selected:
                    table.selectRow(r)
        self.errors.clear(table)
        _fit_height(table)

    @staticmethod
    def _row_id(table: QTableWidget, row: int) -> str | None:
        item = table.item(row, 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_measure(self) -> Measure | None:
        mid = self._row_id(self.measures, self.measures.currentRow()) if self.measures.currentRow() >= 0 else None
        return next((m for m in self.document.data.contract.measures if m.id == mid), None)

    def _refresh_values(self) -> None:
        m = self.selected_measure()
        was = self.values.blockSignals(True)
        try:
            rows = [(str(i), [v.date.isoformat(), _num(v.value), v.note]) for i, v in enumerate(m.values)] if m else []
            self._fill(self.values, rows)
        finally:
            self.values.blockSignals(was)
        if m is None:
            self.values_title.setText("Recorded values (select a measure)")
        else:
            unit = f" ({m.unit})" if m.unit else ""
            self.values_title.setText(f"Recorded values of {m.name}{unit}")
        self._update_buttons()

    def _refresh_changes(self) -> None:
        changes = sorted(enumerate(self.document.data.contract_changes), key=lambda p: (p[1].date, p[0]), reverse=True)
        self.changes.clear()
        for _i, ch in changes:
            item = QTreeWidgetItem([ch.date.isoformat(), ch.reason, ch.summary, ch.author])
            for col in range(4):
                item.setToolTip(col, tip(item.text(col)))
            self.changes.addTopLevelItem(item)
        self.changes.setVisible(bool(changes))
        self.no_changes.setVisible(not changes)

    def _update_buttons(self) -> None:
        ro = getattr(self, "_read_only", False)
        self.add_need.setEnabled(not ro)
        self.remove_need.setEnabled(not ro and self.user_needs.currentRow() >= 0)
        self.add_measure.setEnabled(not ro)
        self.remove_measure.setEnabled(not ro and self.selected_measure() is not None)
        self.record_value.setEnabled(not ro and self.selected_measure() is not None)
        self.remove_value.setEnabled(not ro and self.values.currentRow() >= 0)
        self.add_dependency_button.setEnabled(not ro)
        self.remove_dependency.setEnabled(not ro and self.dependencies.currentRow() >= 0)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for w in self._text_fields:
            w.setReadOnly(read_only)
        for combo in (self.lifecycle, self.evolution):
            combo.setEnabled(not read_only)
        for view in (self.user_needs, self.measures, self.values, self.dependencies):
            if read_only:
                view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if not read_only:
            self.user_needs.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            )
            triggers = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                        | QAbstractItemView.EditTrigger.AnyKeyPressed)
            for table in (self.measures, self.values, self.dependencies):
                table.setEditTriggers(triggers)
        self._update_buttons()

    # -- committing ----------------------------------------------------------------------

    def flush(self) -> None:
        """Commit a text field still being typed in (before saving or closing)."""
        for widget, (part, field) in self._text_fields.items():
            model = self.document.data.service if part == "service" else self.document.data.contract
            text = _text_of(widget)
            if (text.strip() if field == "name" else text) != getattr(model, field) and self.errors.message(widget) is None:
                self._commit_field(widget)

    def pending_edits(self) -> dict[str, dict[str, str]]:
        """Text typed into fields but not committed yet, {"service"|"contract": {field: text}}:
        autosave keeps it without committing it (which could ask for a reason)."""
        pending: dict[str, dict[str, str]] = {}
        if getattr(self, "_read_only", False):
            return pending
        for widget, (part, field) in self._text_fields.items():
            model = self.document.data.service if part == "service" else self.document.data.contract
            text = _text_of(widget)
            if field in ("name", "manager"):
                text = text.strip()
            if text != getattr(model, field):
                pending.setdefault(part, {})[field] = text
        return pending

    def pending_edits(self) -> dict[str, dict[str, str]]:
        """Text typed into fields but not committed yet, {"service"|"contract": {field: text}}:
        autosave keeps it without committing it (which could ask for a reason)."""
        pending: dict[str, dict[str, str]] = {}
        if getattr(self, "_read_only", False):
            return pending
        for widget, (part, field) in self._text_fields.items():
            model = self.document.data.service if part == "service" else self.document.data.contract
            text = _text_of(widget)
            if field in ("name", "manager"):
                text = text.strip()
            if text != getattr(model, field):
                pending.setdefault(part, {})[field] = text
        return pending

    def _commit_field(self, widget: QObject) -> None:
        if self._busy or widget not in self._text_fields or getattr(self, "_read_only", False):
            return
        part, field = self._text_fields[widget]
        text = _text_of(widget)
        if field in ("name", "manager"):
            text = text.strip()
        if part == "service":
            label = {"name": "Rename service", "manager": "Set service manager"}[field]
            self.change_service(label, {field: text}, widget=widget)
        else:
            self.change_contract(f"Edit {TEXT_FIELDS[field].lower()}", {field: text}, widget=widget)

    def _revert_field(self, widget: QObject) -> None:
        if widget in self._text_fields:
            self.errors.clear(widget)
            part, field = self._text_fields[widget]
            model = self.document.data.service if part == "service" else self.document.data.contract
            _set_text(widget, getattr(model, field))

    def _refuse(self, where: QWidget | tuple[QTableWidget, int, int] | None, exc: OsomError) -> None:
        """Show a refused value's message on its field (or table cell) and change nothing."""
        message = str(exc)
        if isinstance(where, tuple):
            table, r, c = where
            item = table.item(r, c)
            if item is not None:
                was = table.blockSignals(True)
                item.setBackground(QBrush(QColor(ERROR_COLOUR).lighter(185)))
                item.setToolTip(tip(message))
                table.blockSignals(was)
            self.errors.show(table, message)
        elif where is not None:
            self.errors.show(where, message)
        self.error_raised.emit(message)

    def _accepted(self, where: QWidget | tuple[QTableWidget, int, int] | None) -> None:
        widget = where[0] if isinstance(where, tuple) else where
        if widget is not None:
            self.errors.clear(widget)

    def change_service(self, text: str, values: dict[str, Any], widget: QWidget | None = None) -> bool:
        service = self.document.data.service
        try:
            new = validate_model_update(service, values)
        except ModelValidationError as exc:
            self._refuse(widget, exc)
            return False
        if new == service:
            self._accepted(widget)
            return False
        return self._run(text, [UpdateServiceCommand(self.document, text=text, **values)], widget)

    def change_contract(
        self,
        text: str,
        values: dict[str, Any],
        widget: QWidget | tuple[QTableWidget, int, int] | None = None,
        extra: Iterable[QUndoCommand] = (),
    ) -> bool:
        """One contract edit (plus ``extra`` commands) as one undo step; on a live service
        with the reason for it, recorded as a ContractChange. False if nothing changed."""
        old = self.document.data.contract
        try:
            new = validate_model_update(old, values)
        except ModelValidationError as exc:
            self._refuse(widget, exc)
            return False
        if new == old:
            self._accepted(widget)
            return False
        commands: list[QUndoCommand] = [UpdateContractCommand(self.document, text=text, **values)]
        commands.extend(extra)
        if self.document.data.service.lifecycle is LifecycleStage.LIVE:
            summary = describe_contract_change(old, new)
            if summary:
                change = self._ask_reason(summary)
                if change is None:
                    self._revert_all()
                    return False
                commands.append(AddRecordCommand(self.document, "contract_changes", change))
        return self._run(text, commands, widget)

    def _ask_reason(self, summary: str) -> ContractChange | None:
        author = self._last_author or self.document.data.service.manager or current_user()
        dialog = ContractChangeDialog(summary, author=author, reason=self._last_reason, parent=self)
        self._busy = True
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        finally:
            self._busy = False
            dialog.deleteLater()
        change = dialog.record
        self._last_reason, self._last_author = change.reason, change.author
        return change

    def _run(self, text: str, commands: list[QUndoCommand], where=None) -> bool:
        try:
            push_all(self.stack, text, commands)
        except OsomError as exc:
            self._refuse(where, exc)
            self.refresh()
            return False
        self._accepted(where)
        return True

    def _revert_all(self) -> None:
        """The person cancelled: every widget shows the Document again."""
        for widget in self._text_fields:
            self.errors.clear(widget)
        self.refresh()

    # -- lifecycle ------------------------------------------------------------------------

    def _on_lifecycle_chosen(self) -> None:
        target = self.lifecycle.value()
        if target is not None:
            self.move_lifecycle(target)

    def move_lifecycle(self, target: LifecycleStage) -> bool:
        """Forward asks for the assessment; back asks for confirmation. Cancel: no change."""
        service = self.document.data.service
        current = service.lifecycle
        if target is current or self._busy:
            self.refresh()  # the combo shows the stage the service is in
            return False
        self._busy = True
        try:
            if target.rank > current.rank:
                return self._move_forward(service, current, target)
            agreed = ask(
                self, "Move the service back",
                f"Move {service.name} back from {LIFECYCLE_LABELS[current]} to {LIFECYCLE_LABELS[target]}?\n\n"
                "Moving back needs no assessment, but the executive will want to know why.",
                default_yes=False,
            )
            if not agreed:
                self.refresh()
                return False
            return self._run(f"Move back to {target.value}", [UpdateServiceCommand(self.document, lifecycle=target)])
        finally:
            self._busy = False

    def _move_forward(self, service: Service, current: LifecycleStage, target: LifecycleStage) -> bool:
        dialog = AssessmentDialog(
            self, kind=AssessmentKind.TRANSITION, from_stage=current, to_stage=target,
            map_revision=latest_revision(self.document.data), fixed_transition=True,
        )
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if not accepted:
            self.refresh()
            return False
        assessment = dialog.record
        # The map as it is now, kept with the record (a copy: later edits must not reach it).
        assessment.map_snapshot = copy.deepcopy(self.document.data.map)
        commands: list[QUndoCommand] = [AddRecordCommand(self.document, "assessments", assessment)]
        if assessment.outcome is AssessmentOutcome.NOT_MET:
            done = self._run(f"Assessment {current.value} → {target.value} (not met)", commands)
            self.refresh()
            self.message_shown.emit(
                f"Assessment recorded as not met: {service.name} stays in {LIFECYCLE_LABELS[current].lower()}"
            )
            return done
        commands.append(UpdateServiceCommand(self.document, lifecycle=target))
        return self._run(f"Move to {target.value} (assessed)", commands)

    def _on_evolution_chosen(self) -> None:
        self.change_contract("Set evolution stage", {"evolution_stage": self.evolution.value()})

    # -- user needs ----------------------------------------------------------------------

    def start_new_need(self) -> None:
        """A blank row to type the need into; it is added when the typing is committed."""
        item = QListWidgetItem("")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        was = self.user_needs.blockSignals(True)
        self.user_needs.addItem(item)
        self.user_needs.blockSignals(was)
        self._fit_needs()
        self.user_needs.setCurrentItem(item)
        self.user_needs.setFocus()
        self.user_needs.editItem(item)

    def _needs_in_list(self) -> list[str]:
        texts = [self.user_needs.item(i).text().strip() for i in range(self.user_needs.count())]
        return [t for t in texts if t]

    def _on_need_edited(self, _item: QListWidgetItem) -> None:
        needs = self._needs_in_list()
        QTimer.singleShot(0, lambda: self.change_contract("Edit user needs", {"user_needs": needs}, widget=self.user_needs)
                          or self._drop_blank_needs())

    def _drop_blank_needs(self) -> None:
        if self.user_needs.state() == QAbstractItemView.State.EditingState or self._busy:
            return
        self._refresh_needs(self.document.data.contract.user_needs)

    def remove_selected_need(self) -> None:
        row = self.user_needs.currentRow()
        needs = list(self.document.data.contract.user_needs)
        if 0 <= row < len(needs):
            del needs[row]
            self.change_contract("Remove user need", {"user_needs": needs}, widget=self.user_needs)

    # -- measures and recorded values --------------------------------------------------------

    def _measures_data(self) -> list[dict[str, Any]]:
        return [m.model_dump() for m in self.document.data.contract.measures]

    def add_measure_dialog(self) -> None:
        dialog = MeasureDialog(self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        finally:
            dialog.deleteLater()
        measure = dialog.record
        if self.change_contract(f"Add measure {measure.name}", {"measures": [*self._measures_data(), measure.model_dump()]}):
            self._select_row(self.measures, measure.id)

    def remove_selected_measure(self) -> None:
        m = self.selected_measure()
        if m is not None:
            measures = [d for d in self._measures_data() if d["id"] != m.id]
            self.change_contract(f"Remove measure {m.name}", {"measures": measures}, widget=self.measures)

    def _on_measure_edited(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        mid = self._row_id(self.measures, r)
        field = ("name", "unit", "target", "direction")[c]
        if field == "direction":
            by_label = {label: value for value, label in DIRECTION_LABELS.items()}
            value: Any = by_label.get(item.text(), item.text())
        else:
            value = item.text().strip()
            if field == "target" and value == "":
                value = None
        measures = self._measures_data()
        for d in measures:
            if d["id"] == mid:
                d[field] = value
        name = next((d["name"] for d in measures if d["id"] == mid), "")
        QTimer.singleShot(0, lambda: self.change_contract(f"Edit measure {name}", {"measures": measures},
                                                          widget=(self.measures, r, c)))

    def record_value_dialog(self) -> None:
        m = self.selected_measure()
        if m is None:
            return
        dialog = RecordedValueDialog(m, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        finally:
            dialog.deleteLater()
        value = dialog.record
        measures = self._measures_data()
        for d in measures:
            if d["id"] == m.id:
                values = d["values"]
                # Kept in date order; a value for a day already recorded goes after it.
                i = next((k for k, v in enumerate(values) if v["date"] > value.date), len(values))
                values.insert(i, value.model_dump())
        self.change_contract(f"Record {m.name}", {"measures": measures}, widget=self.values)

    def remove_selected_value(self) -> None:
        m, r = self.selected_measure(), self.values.currentRow()
        if m is None or not (0 <= r < len(m.values)):
            return
        measures = self._measures_data()
        for d in measures:
            if d["id"] == m.id:
                del d["values"][r]
        self.change_contract(f"Remove value of {m.name}", {"measures": measures}, widget=self.values)

    def _on_value_edited(self, item: QTableWidgetItem) -> None:
        m = self.selected_measure()
        if m is None:
            return
        r, c = item.row(), item.column()
        field = ("date", "value", "note")[c]
        measures = self._measures_data()
        for d in measures:
            if d["id"] == m.id and r < len(d["values"]):
                d["values"][r][field] = item.text().strip()
        QTimer.singleShot(0, lambda: self.change_contract(f"Edit value of {m.name}", {"measures": measures},
                                                          widget=(self.values, r, c)))

    # -- dependencies ---------------------------------------------------------------------

    def set_services(self, services: Iterable[ServiceSummary]) -> None:
        self.services = [s for s in services if s.service_id != self.document.data.service.id]

    def _service(self, name: str) -> ServiceSummary | None:
        wanted = normalise_name(name)
        return next((s for s in self.services if normalise_name(s.name) == wanted), None)

    def _known_services(self) -> list[str]:
        names = [s.name for s in self.services]
        return names + [c.provided_by.name for c in self.document.map.components if c.provided_by is not None]

    def add_dependency_dialog(self) -> None:
        existing = [d.service_name for d in self.document.data.contract.dependencies]
        dialog = DependencyDialog(self._known_services(), existing, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        finally:
            dialog.deleteLater()
        self.add_dependency(dialog.record)

    def add_dependency(self, dependency: Dependency) -> bool:
        """Add the dependency; offer the map a component provided by that service."""
        known = self._service(dependency.service_name)
        if known is not None and dependency.service_id is None:
            dependency = dependency.model_copy(update={"service_id": known.service_id})  # a stable reference
        extra = self._offer_map_component(dependency)
        deps = [d.model_dump() for d in self.document.data.contract.dependencies] + [dependency.model_dump()]
        done = self.change_contract(f"Add dependency on {dependency.service_name}", {"dependencies": deps},
                                    widget=self.dependencies, extra=extra)
        if done:
            self._select_row(self.dependencies, dependency.id)
        return done

    def _offer_map_component(self, dependency: Dependency) -> list[QUndoCommand]:
        m = self.document.map
        name = dependency.service_name
        if any(c.provided_by is not None and c.provided_by.name.casefold() == name.casefold() for c in m.components):
            return []  # the map already shows what that service provides
        ref = ServiceRef(name=name, service_id=dependency.service_id)
        same_name = m.component_by_name(name)
        if same_name is not None:
            question = f"The map has a component called {name}. Mark it as provided by the {name} service?"
        else:
            question = f"Add a component {name} to the map, provided by the {name} service?"
        self._busy = True
        try:
            agreed = ask(self, "Show the dependency on the map", question)
        finally:
            self._busy = False
        if not agreed:
            return []
        if same_name is not None:
            return [UpdateElementCommand(self.document, same_name.id, text=f"Link {name} to its service", provided_by=ref)]
        known = self._service(name)
        stage = known.evolution_stage if known is not None else None
        evolution = EVOLUTION_POSITION.get(stage, 0.5) if stage is not None else 0.5
        visibility = self._free_visibility(0.3, evolution)
        component = Component(id=new_id(), name=name, visibility=visibility, evolution=evolution, provided_by=ref,
                              description=dependency.description)
        return [AddElementCommand(self.document, component)]

    def _free_visibility(self, visibility: float, evolution: float) -> float:
        """A spot near ``visibility`` with no component drawn on top of it."""
        taken = [(c.visibility, c.evolution) for c in self.document.map.components
                 if c.visibility is not None and c.evolution is not None]
        candidates = [visibility - 0.06 * k for k in range(5)] + [visibility + 0.06 * k for k in range(1, 5)]
        for v in candidates:
            if all(abs(v - tv) > 0.04 or abs(evolution - te) > 0.06 for tv, te in taken):
                return round(v, 3)
        return visibility

    def remove_selected_dependency(self) -> None:
        r = self.dependencies.currentRow()
        deps = self.document.data.contract.dependencies
        if 0 <= r < len(deps):
            gone = deps[r]
            rest = [d.model_dump() for d in deps if d.id != gone.id]
            self.change_contract(f"Remove dependency on {gone.service_name}", {"dependencies": rest},
                                 widget=self.dependencies)

    def _on_dependency_edited(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        did = self._row_id(self.dependencies, r)
        field = ("service_name", "description")[c]
        deps = [d.model_dump() for d in self.document.data.contract.dependencies]
        for d in deps:
            if d["id"] == did:
                d[field] = item.text().strip()
        QTimer.singleShot(0, lambda: self.change_contract("Edit dependency", {"dependencies": deps},
                                                          widget=(self.dependencies, r, c)))

    # -- helpers --------------------------------------------------------------------------

    def _select_row(self, table: QTableWidget, row_id: str) -> None:
        for r in range(table.rowCount()):
            if self._row_id(table, r) == row_id:
                table.selectRow(r)
                return
