"""The contract editor: the service and its eight-point contract, every field editable.

Like the inspector it reads the Document and writes only through operations
(``osom_desktop.operations``) recorded by ``run``; when the Document changes it
refreshes with its widgets' signals blocked, so a refresh is never taken for an edit.
Text fields commit when the person is done with them (focus leaves the field, or
Return), never per keystroke, and each commit is one undo step.

The OSOM rules that shape the edits (a live contract changes only with a recorded
reason; the lifecycle moves forward only through an assessment) live in the
operations; this view asks the person what a refused operation needs (``Answers``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import ServiceSummary
from osom_desktop.commands import run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.service import Contract, Dependency, LifecycleStage, Measure
from osom_desktop.operations import (
    Plan,
    add_dependency,
    change_contract,
    change_service,
    record_value,
)
from osom_desktop.operations.assessments import move_with_report
from osom_desktop.operations.contract import find_service
from osom_desktop.operations.wording import EVOLUTION_LABELS, TEXT_FIELDS
from osom_desktop.operations.wording import number as _num
from osom_desktop.views.answers import Answers
from osom_desktop.views.assessment_report import loaded_criteria
from osom_desktop.views.contract_widgets import (  # the editor's parts, split off (issue 12)
    ComboDelegate,
    CommitFilter,
    ServiceDelegate,
    button_row,
    fill_rows,
    fit_height,
    id_of_row,
    record_table,
    set_text,
    text_of,
)
from osom_desktop.views.document_panel import DocumentPanel
from osom_desktop.views.measure_chart import MeasureFitness
from osom_desktop.views.record_dialogs import (
    DIRECTION_LABELS,
    LIFECYCLE_LABELS,
    DependencyDialog,
    MeasureDialog,
    RecordedValueDialog,
)
from osom_desktop.views.widgets import ERROR_COLOUR, FieldErrors, enum_combo, plain_label, text_box, tip


class ContractEditor(DocumentPanel, QWidget):
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
        # Asks what a refused operation needs; busy while it does (a field losing focus
        # to its dialog is not an edit), and remembers the last reason given.
        self.answers = Answers(self)
        self._build()
        self._follow(document, stack)
        self.refresh()

    # -- construction ------------------------------------------------------------------

    def _build(self) -> None:
        # Labels above their fields: a dock is narrow, and a label column would take
        # the width the tables and text need.
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 4, 8, 8)
        column.setSpacing(4)
        self._filter = CommitFilter(self, self._commit_field, self._revert_field, self._field_pending)

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
        column.addLayout(button_row(self.add_need, self.remove_need))

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

        self.measures = record_table(["Measure", "Unit", "Target", "Direction"], 0)
        self.measures.setObjectName("measures")
        self.measures.setItemDelegateForColumn(3, ComboDelegate(DIRECTION_LABELS, self.measures))
        heading("6. How performance is measu&red", self.measures)
        self.add_measure = QPushButton("Add measure…")
        self.remove_measure = QPushButton("Remove measure")
        self.record_value = QPushButton("Record value…")
        self.remove_value = QPushButton("Remove value")
        self.values = record_table(["Date", "Value", "Note"], 2)
        self.values.setObjectName("recordedValues")
        self.values_title = plain_label("Recorded values")
        column.addWidget(self.measures)
        column.addWidget(self.errors.label_for(self.measures))
        column.addLayout(button_row(self.add_measure, self.remove_measure))
        column.addWidget(self.values_title)
        column.addWidget(self.values)
        column.addWidget(self.errors.label_for(self.values))
        column.addLayout(button_row(self.record_value, self.remove_value))
        # The measure's chart, recording frequency, paste/import, spend against budget.
        self.fitness = MeasureFitness(self)
        column.addWidget(self.fitness)

        self.help = text_box(3)
        self.help.setPlaceholderText("Who to contact when it is not performing, and how")
        heading("7. How to &get help", self.help)
        column.addWidget(text_field(self.help))

        self.dependencies = record_table(["Service", "What for"], 1)
        self.dependencies.setObjectName("dependencies")
        self.dependencies.setItemDelegateForColumn(0, ServiceDelegate(self._known_services, self.dependencies))
        heading("8. Services it de&pends on", self.dependencies)
        self.add_dependency_button = QPushButton("Add dependency…")
        self.remove_dependency = QPushButton("Remove dependency")
        column.addWidget(self.dependencies)
        column.addWidget(self.errors.label_for(self.dependencies))
        column.addLayout(button_row(self.add_dependency_button, self.remove_dependency))

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

    def focus_first_empty(self) -> bool:
        """Put the focus on the first required part left empty (the contract-incomplete
        finding's "go there"), scrolled into view; False if every part is filled."""
        from osom_desktop.analysis.service_checks import CONTRACT_PARTS, empty_contract_parts

        # In the order of CONTRACT_PARTS. An empty list shows no focus, so the needs'
        # "Add need" button takes it (a person saw nothing happen); the others are the
        # fields themselves.
        in_order: list[QWidget] = [self.manager, self.purpose, self.add_need, self.evolution, self.usage,
                                   self.success, self.failure, self.add_measure, self.help]
        widgets = dict(zip((words for words, _where in CONTRACT_PARTS), in_order, strict=True))
        empty = empty_contract_parts(self.document.data)
        if not empty:
            return False
        widget = widgets[empty[0]]
        widget.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab would: the style draws its focus
        # Whole, with its caption: now, and again once the dock brought to the front has
        # its final size (a field half in view was left half in view).
        self._show_whole(widget)
        QTimer.singleShot(0, self, lambda: self._show_whole(widget))
        return True

    def _show_whole(self, widget: QWidget) -> None:
        # Not ``ensureWidgetVisible``: for a text box it shows only the cursor's line.
        content = self._scroll.widget()
        if content is None:
            return
        centre = widget.mapTo(content, widget.rect().center())
        self._scroll.ensureVisible(centre.x(), centre.y(), widget.width() // 2, widget.height() // 2 + 30)

    def _document_replaced(self) -> None:
        self.errors.clear()
        self.answers.forget()  # a reason belongs to its own service
        self.refresh()

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("service", "contract", "contract_changes"):
            self.refresh()
        elif change.what == "budgets":
            self.fitness.refresh()

    def refresh(self) -> None:
        data = self.document.data
        service, contract = data.service, data.contract
        blocked = [w.blockSignals(True) for w in self._signal_widgets]
        try:
            for widget, (part, field) in self._text_fields.items():
                if self.errors.message(widget) is None:  # a refused value stays until fixed or Escape
                    set_text(widget, getattr(service if part == "service" else contract, field))
            self.lifecycle.set_value(service.lifecycle)
            self.evolution.set_value(contract.evolution_stage)
            self._refresh_needs(contract.user_needs)
            self._refresh_tables(contract)
        finally:
            for w, was in zip(self._signal_widgets, blocked, strict=True):
                w.blockSignals(was)
        self._refresh_values()
        self._refresh_changes()
        self._update_buttons()

    def _refresh_tables(self, contract: Contract) -> None:
        """The measures (the first selected when none is) and the dependencies."""
        self._fill(self.measures, [
            (m.id, [m.name, m.unit, _num(m.target) if m.target is not None else "", DIRECTION_LABELS[m.direction]])
            for m in contract.measures
        ])
        if self.measures.currentRow() < 0 and self.measures.rowCount():
            self.measures.selectRow(0)
        self._fill(self.dependencies, [(d.id, [d.service_name, d.description]) for d in contract.dependencies])

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
        fill_rows(table, rows)  # in place when the ids are the same (see contract_widgets)
        self.errors.clear(table)
        fit_height(table)

    @staticmethod
    def _row_id(table: QTableWidget, row: int) -> str | None:
        return id_of_row(table, row)

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
        self.fitness.refresh()
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
            cast("QLineEdit | QPlainTextEdit", w).setReadOnly(read_only)  # the text fields are one or the other
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
            text = text_of(widget)
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
            text = text_of(widget)
            if field in ("name", "manager"):
                text = text.strip()
            if text != getattr(model, field):
                pending.setdefault(part, {})[field] = text
        return pending

    def _field_pending(self, widget: QWidget) -> bool:
        """Whether ``widget`` holds text not committed yet (its Ctrl+Z is its own)."""
        if widget not in self._text_fields:
            return True
        part, field = self._text_fields[widget]
        model = self.document.data.service if part == "service" else self.document.data.contract
        text = text_of(widget)
        if field in ("name", "manager"):
            text = text.strip()
        return bool(text != getattr(model, field))

    def _commit_field(self, widget: QObject) -> None:
        if self.answers.busy or widget not in self._text_fields or getattr(self, "_read_only", False):
            return
        part, field = self._text_fields[widget]
        text = text_of(widget)
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
            set_text(widget, getattr(model, field))

    def _refuse(self, where: QWidget | tuple[QTableWidget, int, int] | None, exc: OsomError) -> None:
        """Show a refused value's message on its field (or table cell) and change nothing."""
        message = user_message(exc)
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
        """Rename the service or set its manager; on a live service, with a reason."""
        return self._perform(lambda **answers: change_service(self.document, text, values, **answers), widget)

    def change_contract(
        self,
        text: str,
        values: dict[str, Any],
        widget: QWidget | tuple[QTableWidget, int, int] | None = None,
    ) -> bool:
        """One contract edit as one undo step; on a live service with the reason for it,
        recorded as a ContractChange. False if nothing changed."""
        return self._perform(lambda **answers: change_contract(self.document, text, values, **answers), widget)

    def _perform(self, operation: Callable[..., Plan],
                 where: QWidget | tuple[QTableWidget, int, int] | None = None) -> bool:
        """Ask for what ``operation`` needs, then record its plan. False when nothing was
        recorded: refused (shown on ``where``), cancelled, or nothing to change."""
        try:
            plan = self.answers.plan(self.document, operation)
        except OsomError as exc:
            self._refuse(where, exc)
            return False
        if plan is None:  # the person cancelled a question
            self._revert_all()
            return False
        if not plan:
            self._accepted(where)
            return False
        assert self.stack is not None  # the editor is always given the window's stack
        try:
            run(self.stack, plan)
        except OsomError as exc:
            self._refuse(where, exc)
            self.refresh()
            return False
        self._accepted(where)
        if plan.notice:
            self.message_shown.emit(plan.notice)
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
        if target is self.document.data.service.lifecycle or self.answers.busy:
            self.refresh()  # the combo shows the stage the service is in
            return False
        # The move's assessment is a report on every criterion that applies to it.
        sets = loaded_criteria()
        done = self._perform(lambda **answers: move_with_report(self.document, target, sets, **answers))
        self.refresh()  # "not met" leaves the stage: the combo shows it again
        return done

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
        # The new row is the last one: scroll it (and the list) into sight before the
        # editor opens, or the person types into an editor they cannot see.
        self.user_needs.scrollToItem(item)
        self._scroll.ensureWidgetVisible(self.user_needs)
        self.user_needs.editItem(item)

    def _needs_in_list(self) -> list[str]:
        texts = [self.user_needs.item(i).text().strip() for i in range(self.user_needs.count())]
        return [t for t in texts if t]

    def _on_need_edited(self, _item: QListWidgetItem) -> None:
        needs = self._needs_in_list()

        def commit() -> None:
            if not self.change_contract("Edit user needs", {"user_needs": needs}, widget=self.user_needs):
                self._drop_blank_needs()

        QTimer.singleShot(0, commit)

    def _drop_blank_needs(self) -> None:
        if self.user_needs.state() == QAbstractItemView.State.EditingState or self.answers.busy:
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
        self._perform(lambda **_answers: record_value(self.document, m.id, value), self.values)

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

    def _known_services(self) -> list[str]:
        names = [s.name for s in self.services]
        return names + [c.provided_by.name for c in self.document.map.components if c.provided_by is not None]

    def _confirmed_service_name(self, name: str) -> str | None:
        """``name`` if a known service has it, else what the person chose when told none
        does (the nearest name, or theirs anyway); None if they cancelled."""
        from osom_desktop.views.service_picker import confirm_service_name, is_known

        known = self._known_services()
        if not name or is_known(name, known):
            return name
        self.answers.busy = True  # the cell losing focus to the question is not an edit
        try:
            return confirm_service_name(self, "Dependency", name, known)
        finally:
            self.answers.busy = False

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
        """Add the dependency; the operation offers the map a component provided by that
        service, and on a live service asks for the reason."""
        done = self._perform(
            lambda **answers: add_dependency(self.document, dependency, services=self.services, **answers),
            self.dependencies,
        )
        if done:
            self._select_row(self.dependencies, dependency.id)
        return done

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
        value = item.text().strip()
        before = next((d[field] for d in deps if d["id"] == did), None)

        def commit() -> None:
            chosen = value
            if field == "service_name" and value != before:
                confirmed = self._confirmed_service_name(value)
                if confirmed is None:  # cancelled: the cell shows the contract again
                    self.refresh()
                    return
                chosen = confirmed
            for d in deps:
                if d["id"] == did:
                    d[field] = chosen
                    if field == "service_name" and chosen != before:
                        # Another service now: the old one's id no longer names it.
                        known = find_service(self.services, chosen)
                        d["service_id"] = known.service_id if known else None
            self.change_contract("Edit dependency", {"dependencies": deps}, widget=(self.dependencies, r, c))

        QTimer.singleShot(0, commit)

    # -- helpers --------------------------------------------------------------------------

    def _select_row(self, table: QTableWidget, row_id: str) -> None:
        for r in range(table.rowCount()):
            if self._row_id(table, r) == row_id:
                table.selectRow(r)
                return
