"""The inspector: every field of the selected component, editable, each edit undoable.

It reads the Document and writes only through operations (``edit_component``,
``link_to_service``) recorded by ``run``. When the Document changes it refreshes with
its widgets' signals blocked, so a refresh never turns into an edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import ServiceSummary
from osom_desktop.commands import run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.wardley import Component, ComponentKind, Evolve, Method, ServiceRef
from osom_desktop.operations import edit_component, link_to_service
from osom_desktop.operations.contract import find_service
from osom_desktop.views.answers import Answers
from osom_desktop.views.document_panel import DocumentPanel
from osom_desktop.views.widgets import is_history_key  # not contract_widgets: built after the first paint


class _CoordinateBox(QDoubleSpinBox):
    """A map coordinate shown as the OWM text writes it: 0.59, not 0.590."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        text = f"{value:.{self.decimals()}f}".rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text


def _spin(minimum: float = -1.0, maximum: float = 2.0) -> QDoubleSpinBox:
    box = _CoordinateBox()
    box.setRange(minimum, maximum)
    box.setDecimals(3)
    box.setSingleStep(0.01)
    box.setKeyboardTracking(False)  # one edit when the user is done typing, not per key
    return box


class _HistoryKeys(QObject):
    """Undo and Redo keys in a field go to the window's Undo and Redo (the document's
    one history) unless the field has typing of its own to undo or redo: Qt offers the
    key to the focused field first, and one with nothing of its own swallowed it (a
    name typed, Tab to Description, Ctrl+Z did nothing). Description commits every
    keystroke, so its keys are always the document's: its own undo would have pushed
    the text it put back as a new edit and emptied Redo."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent) or not is_history_key(event):
            return False
        if isinstance(obj, QLineEdit):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            if obj.isUndoAvailable() if undo else obj.isRedoAvailable():
                return False  # the field's own typing, not committed yet
        event.ignore()  # left unaccepted and kept from the field: the window's shortcut runs
        return True


class InspectorWidget(DocumentPanel, QWidget):
    """Shows one component; ``error_raised`` carries a refused edit's one-line reason."""

    error_raised = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.stack = stack
        self.component_id: str | None = None
        self.answers = Answers(self)

        self._pages = QStackedWidget()
        self._empty = QLabel("Select a component on the map to see its details.")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._empty.setTextFormat(Qt.TextFormat.PlainText)
        self._pages.addWidget(self._empty)

        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.kind = QLabel()
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What this component is, in a sentence or two")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        self.visibility = _spin()
        self.evolution = _spin()
        self.method = QComboBox()
        self.method.addItem("—", None)
        for m in Method:
            self.method.addItem(m.value.capitalize(), m)
        self.market = QCheckBox("Market")
        self.ecosystem = QCheckBox("Ecosystem")
        self.inertia = QCheckBox("Inertia")
        marks = QHBoxLayout()
        for w in (self.market, self.ecosystem, self.inertia):
            marks.addWidget(w)
        marks.addStretch(1)
        self.evolves = QCheckBox("Evolves to")
        self.evolve_to = _spin()
        self.evolve_name = QLineEdit()
        self.evolve_name.setPlaceholderText("new name (optional)")
        evolve_row = QHBoxLayout()
        evolve_row.addWidget(self.evolves)
        evolve_row.addWidget(self.evolve_to)
        evolve_row.addWidget(self.evolve_name, 1)
        # Editable: pick a service the app knows (files beside this one, recent files)
        # or type one not yet in the network.
        self.provider = QComboBox()
        self.provider.setEditable(True)
        self.provider.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.provider.lineEdit().setPlaceholderText("service that provides this component")
        self.provider.setToolTip("The service in the network that provides this component")
        self._services: list[ServiceSummary] = []  # the services the app knows
        self._provider_handled: tuple[str, str] | None = None

        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Description", self.description)
        form.addRow("Visibility", self.visibility)
        form.addRow("Evolution", self.evolution)
        form.addRow("Method", self.method)
        form.addRow("", marks)
        form.addRow("Evolve", evolve_row)
        form.addRow("Provided by", self.provider)
        self._pages.addWidget(form_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._pages)
        layout.addStretch(1)

        self._editors: list[QWidget] = [
            self.name, self.description, self.visibility, self.evolution, self.method,
            self.market, self.ecosystem, self.inertia, self.evolves, self.evolve_to,
            self.evolve_name, self.provider,
        ]
        self._history_keys = _HistoryKeys(self)
        for field in (self.name, self.description, self.evolve_name, self.provider.lineEdit()):
            field.installEventFilter(self._history_keys)
        self.name.editingFinished.connect(lambda: self._edit("Rename", name=self.name.text().strip()))
        self.description.textChanged.connect(self._on_description_changed)
        self.visibility.valueChanged.connect(lambda v: self._move(visibility=v))
        self.evolution.valueChanged.connect(lambda v: self._move(evolution=v))
        self.method.currentIndexChanged.connect(lambda _i: self._edit("Set method", method=self.method.currentData()))
        self.market.toggled.connect(lambda on: self._edit("Market", market=on))
        self.ecosystem.toggled.connect(lambda on: self._edit("Ecosystem", ecosystem=on))
        self.inertia.toggled.connect(lambda on: self._edit("Inertia", inertia=on))
        self.evolves.toggled.connect(lambda _on: self._edit_evolve())
        self.evolve_to.valueChanged.connect(lambda _v: self._edit_evolve())
        self.evolve_name.editingFinished.connect(self._edit_evolve)
        self.provider.lineEdit().editingFinished.connect(self._edit_provider)
        self.provider.activated.connect(lambda _i: self._edit_provider())
        self._follow(document, stack)
        self.refresh()

    # -- showing ---------------------------------------------------------------------

    def _document_replaced(self) -> None:
        self.answers.forget()
        self.show_component(None)

    def show_component(self, component_id: str | None) -> None:
        self.component_id = component_id
        self.refresh()

    def pending_edits(self) -> dict[str, dict[str, str]]:
        """The name typed but not committed yet (it commits when the field is left):
        {component id: {"name": ...}}, for autosave."""
        c = self._component()
        name = self.name.text().strip()
        if c is None or not name or name == c.name or not self.isEnabled():
            return {}
        return {c.id: {"name": name}}

    def _component(self) -> Component | None:
        return self.document.map.component(self.component_id) if self.component_id else None

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("components", "map") and (not change.ids or self.component_id in change.ids):
            self.refresh()

    def refresh(self) -> None:
        c = self._component()
        if c is None:
            self.component_id = None
            self._pages.setCurrentIndex(0)
            return
        self._pages.setCurrentIndex(1)
        for w in self._editors:
            w.blockSignals(True)
        try:
            self.name.setText(c.name)
            self.kind.setText({ComponentKind.ANCHOR: "Anchor (user)", ComponentKind.SUBMAP: "Submap"}.get(c.kind, "Component"))
            if self.description.toPlainText() != c.description:
                self.description.setPlainText(c.description)
            self.visibility.setValue(c.visibility if c.visibility is not None else 0.0)
            self.evolution.setValue(c.evolution if c.evolution is not None else 0.0)
            self.method.setCurrentIndex(self.method.findData(c.method) if c.method else 0)
            self.market.setChecked(c.market)
            self.ecosystem.setChecked(c.ecosystem)
            self.inertia.setChecked(c.inertia)
            self.evolves.setChecked(c.evolve is not None)
            self.evolve_to.setEnabled(c.evolve is not None)
            self.evolve_name.setEnabled(c.evolve is not None)
            self.evolve_to.setValue(c.evolve.evolution if c.evolve else min(1.0, (c.evolution or 0) + 0.2))
            self.evolve_name.setText(c.evolve.name or "" if c.evolve else "")
            self.provider.setEditText(c.provided_by.name if c.provided_by else "")
        finally:
            for w in self._editors:
                w.blockSignals(False)

    # -- editing ---------------------------------------------------------------------

    def _edit(self, text: str, **values: Any) -> None:
        c = self._component()
        if c is None:
            return
        try:
            run(self.stack, edit_component(self.document, c.id, f"{text} {c.name}", **values))
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            self.refresh()

    def _move(self, **values: float) -> None:
        c = self._component()
        if c is not None:
            self._edit("Move", **values)

    def _on_description_changed(self) -> None:
        self._edit("Describe", description=self.description.toPlainText())

    def _edit_evolve(self) -> None:
        c = self._component()
        if c is None:
            return
        if not self.evolves.isChecked():
            self._edit("Stop evolving", evolve=None)
            return
        old = c.evolve
        evolve = Evolve(
            evolution=self.evolve_to.value(),
            name=self.evolve_name.text().strip() or None,
            label=old.label if old else None,
            method=old.method if old else None,
            market=old.market if old else False,
            ecosystem=old.ecosystem if old else False,
        )
        self._edit("Evolve", evolve=evolve)

    def set_services(self, services: list[ServiceSummary]) -> None:
        """The services a component can be linked to (ServiceSummary list)."""
        own = self.document.data.service.id
        self._services = [s for s in services if s.service_id != own]
        self.provider.blockSignals(True)
        current = self.provider.currentText()
        self.provider.clear()
        self.provider.addItems(sorted({s.name for s in self._services}, key=str.casefold))
        self.provider.setEditText(current)
        self.provider.blockSignals(False)

    def _edit_provider(self) -> None:
        name = self.provider.currentText().strip()
        c = self._component()
        if c is None:
            return
        # Enter in the combo is both "editing finished" and "activated": one answer
        # per typing, not the same question twice.
        if self._provider_handled == (c.id, name) or self.answers.busy:
            return
        self._provider_handled = (c.id, name)
        QTimer.singleShot(0, self._forget_provider_handled)
        if not name:
            if c.provided_by is not None:
                self.link_to_service(c.id, None)
            return
        if c.provided_by is not None and c.provided_by.name == name:
            return
        known = find_service(self._services, name)
        if known is None:
            known = self._confirm_unknown_service(name)
            if known is False:
                self.refresh()  # the field shows the map again
                return
        ref = ServiceRef(name=known.name, service_id=known.service_id) if known else ServiceRef(name=name)
        if c.provided_by != ref:
            self.link_to_service(c.id, ref)

    def _forget_provider_handled(self) -> None:
        self._provider_handled = None

    def _confirm_unknown_service(self, name: str):
        """A name no known service has: the nearest known one (a ServiceSummary), None
        to link to a service not in the folder yet, False to link nothing."""
        from osom_desktop.views.service_picker import confirm_service_name

        self.answers.busy = True  # the field losing focus to the question is not an edit
        try:
            chosen = confirm_service_name(self, "Provided by", name, [s.name for s in self._services], verb="Link to")
        finally:
            self.answers.busy = False
        if chosen is None:
            return False
        return find_service(self._services, chosen)

    def link_to_service(self, component_id: str, ref: ServiceRef | None) -> bool:
        """Link a component to the service providing it (None: unlink). The operation
        offers the contract dependency too (the map and the contract are two views of
        one truth); on a live service adding it asks for the reason and is logged."""
        if self.answers.busy:
            return False
        try:
            plan = self.answers.plan(
                self.document, lambda **answers: link_to_service(self.document, component_id, ref, **answers))
            done = plan is not None and run(self.stack, plan)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            done = False
        self.refresh()
        return done
