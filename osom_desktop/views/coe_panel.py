"""The service's side of the governance loop: Correction of Error documents, the
executive's mandates and the service's answers, and needs the contract does not meet.

One dock, three tabs. Every change is an operation (``operations.coe``,
``operations.mandates``) recorded as one undo step; a refusal (a CoE reviewed by its
author, a dispute without a reason) goes to ``error_raised`` as one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.commands import run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.service import CoEStatus, CorrectionOfError, MandateStatus
from osom_desktop.operations import Plan
from osom_desktop.operations.coe import edit_coe, propose_guidance, publish_coe, remove_coe, review_coe, write_coe
from osom_desktop.operations.contract import default_author
from osom_desktop.operations.mandates import note_unmet_need, remove_unmet_need, respond_to_mandate, take_mandates
from osom_desktop.views.answers import Answers
from osom_desktop.views.coe_dialog import CoEDialog
from osom_desktop.views.document_panel import DocumentPanel
from osom_desktop.views.widgets import plain_label

STATUS_WORDS = {CoEStatus.DRAFT: "draft", CoEStatus.PUBLISHED: "published, awaiting review", CoEStatus.REVIEWED: "reviewed"}


def _tree(columns: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(columns)
    tree.setRootIsDecorated(False)
    tree.setAllColumnsShowFocus(True)
    tree.setWordWrap(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class GovernanceRecordsWidget(DocumentPanel, QWidget):
    error_raised = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_only = False
        self.answers = Answers(self)
        self.tabs = QTabWidget()

        # -- CoEs
        self.coes = _tree(["Written", "Title", "Status", "Author"], "coes")
        self.coe_detail = plain_label()
        self.coe_detail.setObjectName("coeDetail")
        self.new_coe = QPushButton("&Write CoE…")
        self.edit_coe_button = QPushButton("&Edit…")
        self.publish_button = QPushButton("&Publish")
        self.review_button = QPushButton("Re&view…")
        self.propose_button = QPushButton("Propose &guidance…")
        self.remove_coe_button = QPushButton("Remove")
        coe_tab = QWidget()
        box = QVBoxLayout(coe_tab)
        box.addWidget(self.coes, 1)
        box.addLayout(_buttons(self.new_coe, self.edit_coe_button, self.publish_button))
        box.addLayout(_buttons(self.review_button, self.propose_button, self.remove_coe_button))
        box.addWidget(self.coe_detail)
        self.tabs.addTab(coe_tab, "Corrections of Error")

        # -- mandates
        self.mandates = _tree(["Mandate", "Due", "Response"], "mandates")
        self.load_mandates_button = QPushButton("&Load mandates…")
        self.respond_button = QPushButton("&Respond…")
        mandate_tab = QWidget()
        box = QVBoxLayout(mandate_tab)
        box.addWidget(self.mandates, 1)
        box.addLayout(_buttons(self.load_mandates_button, self.respond_button))
        self.tabs.addTab(mandate_tab, "Mandates")

        # -- unmet needs
        self.needs = _tree(["Need", "Asked by", "Noted"], "unmetNeeds")
        self.add_need_button = QPushButton("&Add need…")
        self.remove_need_button = QPushButton("Remove")
        need_tab = QWidget()
        box = QVBoxLayout(need_tab)
        box.addWidget(plain_label("Needs users asked for that the contract does not meet: shown to the "
                                  "executive in the pack and at the next assessment, not decided alone."))
        box.addWidget(self.needs, 1)
        box.addLayout(_buttons(self.add_need_button, self.remove_need_button))
        self.tabs.addTab(need_tab, "Unmet needs")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

        self.new_coe.clicked.connect(lambda: self.write_dialog())
        self.edit_coe_button.clicked.connect(lambda: self.edit_dialog())
        self.publish_button.clicked.connect(lambda: self.publish_selected())
        self.review_button.clicked.connect(lambda: self.review_dialog())
        self.propose_button.clicked.connect(lambda: self.propose_dialog())
        self.remove_coe_button.clicked.connect(lambda: self._coe_op(lambda c: remove_coe(self.document, c.id)))
        self.load_mandates_button.clicked.connect(lambda: self.load_mandates_dialog())
        self.respond_button.clicked.connect(lambda: self.respond_dialog())
        self.add_need_button.clicked.connect(lambda: self.add_need_dialog())
        self.remove_need_button.clicked.connect(self._remove_need)
        self.coes.itemSelectionChanged.connect(self._update)
        self.coes.itemActivated.connect(lambda *_: self.edit_dialog())
        self.mandates.itemSelectionChanged.connect(self._update)
        self.needs.itemSelectionChanged.connect(self._update)
        self._follow(document, stack)
        self.refresh()

    # -- showing -------------------------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("coes", "mandates", "unmet_needs", "service"):
            self.refresh()

    def refresh(self) -> None:
        data = self.document.data
        self._fill(self.coes, [
            (c.id, [c.written_on.isoformat(), c.title, STATUS_WORDS[c.status], c.author]) for c in data.coes])
        self._fill(self.mandates, [
            (m.id, [f"{m.id}: {m.title}", m.due.isoformat() if m.due else "—",
                    m.status.value + (f": {m.response}" if m.response else "")]) for m in data.mandates])
        self._fill(self.needs, [(u.id, [u.need, u.asked_by, u.noted_on.isoformat()]) for u in data.unmet_needs])
        self._update()

    @staticmethod
    def _fill(tree: QTreeWidget, rows: list[tuple[str, list[str]]]) -> None:
        current = tree.currentItem().data(0, Qt.ItemDataRole.UserRole) if tree.currentItem() else None
        was = tree.blockSignals(True)
        try:
            tree.clear()
            for key, texts in rows:
                item = QTreeWidgetItem([" ".join(t.split()) for t in texts])
                item.setData(0, Qt.ItemDataRole.UserRole, key)
                tree.addTopLevelItem(item)
                if key == current:
                    tree.setCurrentItem(item)
            if tree.currentItem() is None and tree.topLevelItemCount():
                tree.setCurrentItem(tree.topLevelItem(0))
        finally:
            tree.blockSignals(was)

    def selected_coe(self) -> CorrectionOfError | None:
        item = self.coes.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return next((c for c in self.document.data.coes if c.id == key), None)

    def _selected_key(self, tree: QTreeWidget) -> str | None:
        item = tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _update(self) -> None:
        c = self.selected_coe()
        editable = not self._read_only
        status = None if c is None else c.status
        self.new_coe.setEnabled(editable)
        self.edit_coe_button.setEnabled(editable and status not in (None, CoEStatus.REVIEWED))
        self.publish_button.setEnabled(editable and status is CoEStatus.DRAFT)
        self.review_button.setEnabled(editable and status is CoEStatus.PUBLISHED)
        self.propose_button.setEnabled(status not in (None, CoEStatus.DRAFT))
        self.remove_coe_button.setEnabled(editable and status is CoEStatus.DRAFT)
        self.load_mandates_button.setEnabled(editable)
        self.respond_button.setEnabled(editable and self._selected_key(self.mandates) is not None)
        self.add_need_button.setEnabled(editable)
        self.remove_need_button.setEnabled(editable and self._selected_key(self.needs) is not None)
        self.coe_detail.setText(self._coe_detail(c))

    def _coe_detail(self, c: CorrectionOfError | None) -> str:
        if c is None:
            return "No Correction of Error documents yet." if not self.document.data.coes else ""
        if c.reviewed_on:
            review = f"Reviewed by {c.reviewed_by} on {c.reviewed_on}: {c.review_outcome}"
        elif c.status is CoEStatus.PUBLISHED:
            review = "Awaiting the executive's review."
        else:
            review = "Draft: not published."
        return f"Root cause: {c.root_cause or 'not stated'}\n{review}"

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update()

    # -- CoEs ----------------------------------------------------------------------------

    def write_dialog(self) -> bool:
        if self._read_only:
            return False
        dialog = CoEDialog(self, author=default_author(self.document))
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            coe = dialog.record
        finally:
            dialog.deleteLater()
        return self._run(lambda **_a: write_coe(self.document, coe))

    def edit_dialog(self) -> bool:
        c = self.selected_coe()
        if c is None or self._read_only:
            return False
        dialog = CoEDialog(self, coe=c)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            coe = dialog.record
        finally:
            dialog.deleteLater()
        return self._run(lambda **_a: edit_coe(self.document, coe))

    def publish_selected(self) -> bool:
        return self._coe_op(lambda c: publish_coe(self.document, c.id))

    def review_dialog(self, reviewer: str | None = None, outcome: str | None = None) -> bool:
        """The executive's review; ``reviewer``/``outcome`` skip asking."""
        c = self.selected_coe()
        if c is None:
            return False
        if reviewer is None:
            reviewer, ok = QInputDialog.getText(self, "Review CoE", "Reviewed by (for the executive):")
            if not ok:
                return False
        if outcome is None:
            outcome, ok = QInputDialog.getMultiLineText(self, "Review CoE", "What the executive concluded:")
            if not ok:
                return False
        return self._coe_op(lambda c: review_coe(self.document, c.id, reviewer=reviewer, outcome=outcome))

    def propose_dialog(self, path: str | None = None) -> bool:
        """Add a draft guidance item citing the CoE to a catalogue file (made if new)."""
        from osom_desktop.guidance import Catalogue, load_catalogue, write_catalogue
        from osom_desktop.storage.atomic import atomic_write_bytes

        c = self.selected_coe()
        if c is None:
            return False
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, "Propose guidance into catalogue", "guidance.toml",
                                                   "Guidance catalogue (*.toml)",
                                                   options=QFileDialog.Option.DontConfirmOverwrite)
            if not path:
                return False
        try:
            catalogue = load_catalogue(path) if Path(path).exists() else Catalogue(title="Proposed guidance")
            item = propose_guidance(c, self.document.data.service.name, [i.id for i in catalogue.items])
            catalogue.items.append(item)
            atomic_write_bytes(path, write_catalogue(catalogue).encode("utf-8"))
        except (OsomError, OSError) as exc:
            self.error_raised.emit(user_message(exc))
            return False
        return True

    def _coe_op(self, op: Callable[[CorrectionOfError], Plan]) -> bool:
        c = self.selected_coe()
        if c is None or self._read_only:
            return False
        return self._run(lambda **_a: op(c))

    # -- mandates and needs ------------------------------------------------------------------

    def load_mandates_dialog(self, path: str | None = None) -> bool:
        from osom_desktop.governance import load_mandates

        if self._read_only:
            return False
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, "Load mandates", "", "Mandates (*.toml)")
            if not path:
                return False
        try:
            mandates = load_mandates(path)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            return False
        return self._run(lambda **_a: take_mandates(self.document, mandates))

    def respond_dialog(self, status: MandateStatus | None = None, response: str | None = None) -> bool:
        key = self._selected_key(self.mandates)
        if key is None or self._read_only:
            return False
        if status is None:
            words = [s.value for s in MandateStatus if s is not MandateStatus.OPEN]
            word, ok = QInputDialog.getItem(self, "Respond to mandate", "Response:", words, 0, False)
            if not ok:
                return False
            status = MandateStatus(word)
        if response is None:
            response, ok = QInputDialog.getMultiLineText(self, "Respond to mandate", "Say what was done, or why not:")
            if not ok:
                return False
        return self._run(lambda **_a: respond_to_mandate(self.document, key, status, response))

    def add_need_dialog(self, need: str | None = None, asked_by: str = "") -> bool:
        if self._read_only:
            return False
        if need is None:
            need, ok = QInputDialog.getText(self, "Unmet need", "What did users ask for?")
            if not ok:
                return False
            asked_by, _ok = QInputDialog.getText(self, "Unmet need", "Who asked (optional)?")
        return self._run(lambda **_a: note_unmet_need(self.document, need, asked_by=asked_by, on=dt.date.today()))

    def _remove_need(self) -> None:
        key = self._selected_key(self.needs)
        if key is not None and not self._read_only:
            self._run(lambda **_a: remove_unmet_need(self.document, key))

    def _run(self, operation: Callable[..., Plan]) -> bool:
        try:
            plan = self.answers.plan(self.document, operation)
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))
            return False
        if plan is not None and not plan and plan.notice:
            self.error_raised.emit(plan.notice)
            return False
        return plan is not None and bool(plan) and run(self.stack, plan, report=self.error_raised.emit)
