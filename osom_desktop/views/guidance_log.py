"""The guidance log: decide on the executive's published guidance, and keep the
record of what this service rejected, and why.

The catalogue a person loads is kept for this session only; the document stores the
decisions, each with a snapshot of the guidance as it was when decided. A later
catalogue version therefore never rewrites what was rejected: the log shows the text
that was rejected, and says that a newer version is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.review_dates import review_overdue
from osom_desktop.commands import run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem
from osom_desktop.operations import Plan, decide_guidance, default_author, latest_decisions, record_decision, remove_decision
from osom_desktop.operations.guidance import can_decide
from osom_desktop.views.document_panel import DocumentPanel
from osom_desktop.views.record_dialogs import RejectGuidanceDialog
from osom_desktop.views.widgets import ERROR_COLOUR, plain_label, tip

CATALOGUE_FILTER = "Guidance catalogues (*.toml);;All files (*)"
CATALOGUE_SETTING = "guidance/catalogue"  # the file this person loaded last


def _is_newer(candidate: str, than: str) -> bool:
    from osom_desktop.guidance import is_newer

    return is_newer(candidate, than)


def rejected_newest_first(decisions: list[GuidanceDecision]) -> list[GuidanceDecision]:
    rejected = [(d.decided_on, i, d) for i, d in enumerate(decisions) if d.status is DecisionStatus.REJECTED]
    return [d for _day, _i, d in sorted(rejected, key=lambda t: (t[0], t[1]), reverse=True)]


def _two_line_list(tree: QTreeWidget, stretch: int = 0) -> None:
    """A list of two-line rows (title, then id and version) for a narrow dock.

    Lines are cut short with an ellipsis rather than wrapped: a tree view does not
    re-measure wrapped rows when its columns resize, and would hide the second line.
    The full text is in each row's tooltip.
    """
    tree.setRootIsDecorated(False)
    tree.setAllColumnsShowFocus(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setWordWrap(False)
    tree.setUniformRowHeights(False)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class GuidanceLogWidget(DocumentPanel, QWidget):
    """Catalogue items with their decisions; the rejected-guidance log under them."""

    error_raised = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.stack = stack
        self.catalogue_items: list[GuidanceItem] = []
        self.catalogue_source: Path | None = None
        self._read_only = False
        self._build()
        self._follow(document, stack)
        self.refresh()
        # After the window has drawn: the file may sit on a slow shared drive.
        QTimer.singleShot(0, self, self.load_remembered_catalogue)

    # -- construction ------------------------------------------------------------------

    def _build(self) -> None:
        top = QWidget()
        box = QVBoxLayout(top)
        box.setContentsMargins(6, 6, 6, 0)
        head = QHBoxLayout()
        head.addWidget(_section_title("Published guidance"))
        head.addStretch(1)
        self.load_button = QPushButton("&Load catalogue…")
        head.addWidget(self.load_button)
        box.addLayout(head)
        self.source_label = plain_label()
        box.addWidget(self.source_label)
        self.load_error = plain_label()
        self.load_error.setObjectName("fieldError")
        self.load_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.load_error.hide()
        box.addWidget(self.load_error)

        self.items = QTreeWidget()
        self.items.setObjectName("catalogueItems")
        self.items.setHeaderLabels(["Guidance", "Decision"])
        _two_line_list(self.items)
        box.addWidget(self.items, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accept")
        self.reject_button = QPushButton("Re&ject…")
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        box.addLayout(buttons)

        bottom = QWidget()
        box = QVBoxLayout(bottom)
        box.setContentsMargins(6, 6, 6, 6)
        head = QHBoxLayout()
        head.addWidget(_section_title("Rejected guidance"))
        head.addStretch(1)
        self.remove_button = QPushButton("Re&move decision")
        head.addWidget(self.remove_button)
        box.addLayout(head)
        self.log = QTreeWidget()
        self.log.setObjectName("rejectedLog")
        self.log.setHeaderLabels(["Decided", "Guidance", "Review by"])
        _two_line_list(self.log, stretch=1)
        box.addWidget(self.log, 1)
        self.empty_log = plain_label("No guidance rejected. Rejections are listed here, newest first, "
                                     "with the guidance as it read when it was rejected.")
        box.addWidget(self.empty_log)

        details = QWidget()
        form = QFormLayout(details)
        form.setContentsMargins(0, 4, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.detail_title = plain_label()
        font = self.detail_title.font()
        font.setBold(True)
        self.detail_title.setFont(font)
        self.detail_newer = plain_label()
        self.detail_newer.setObjectName("newerVersion")
        self.detail_newer.setStyleSheet("color: #8a5300;")
        self.detail_text = plain_label()
        self.detail_reason = plain_label()
        self.detail_alternative = plain_label()
        self.detail_risk = plain_label()
        self.detail_decided = plain_label()
        self.detail_review = plain_label()
        form.addRow(self.detail_title)
        form.addRow(self.detail_newer)
        form.addRow("Guidance as rejected", self.detail_text)
        form.addRow("Reason", self.detail_reason)
        form.addRow("Alternative", self.detail_alternative)
        form.addRow("Risk accepted", self.detail_risk)
        form.addRow("Decided", self.detail_decided)
        form.addRow("Review by", self.detail_review)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_scroll.setWidget(details)
        box.addWidget(self.details_scroll, 2)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.load_button.clicked.connect(self.load_catalogue_dialog)
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.remove_button.clicked.connect(self.remove_selected_decision)
        self.items.itemSelectionChanged.connect(self._update_buttons)
        self.log.itemSelectionChanged.connect(self._show_details)

    # -- the catalogue (remembered for the person, reloaded at the next start) ---------------

    def load_remembered_catalogue(self) -> bool:
        """Load the catalogue this person loaded last (any window, any session): the
        executive publishes one, and loading it again every session was a chore. A
        file that has gone is said so, on the dock, in one line."""
        remembered = QSettings().value(CATALOGUE_SETTING)
        if not remembered or self.catalogue_source is not None:
            return False
        path = Path(str(remembered))
        if not path.is_file():
            message = (f"The guidance catalogue loaded last time is no longer at {path}: "
                       "load it again (Service > Load Guidance Catalogue…).")
            self.load_error.setText(message)
            self.load_error.show()
            self.error_raised.emit(message)
            return False
        return self.load_catalogue_file(path)

    def load_catalogue_dialog(self) -> None:
        start = str(self.catalogue_source.parent if self.catalogue_source else Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Load guidance catalogue", start, CATALOGUE_FILTER)
        if name:
            self.load_catalogue_file(Path(name))

    def load_catalogue_file(self, path: Path) -> bool:
        """Load a catalogue; a bad file shows its one-line error and changes nothing."""
        from osom_desktop.guidance import load_catalogue

        try:
            catalogue = load_catalogue(path)
        except OsomError as exc:
            self.load_error.setText(str(exc))
            self.load_error.show()
            self.error_raised.emit(str(exc))
            return False
        self.set_catalogue(catalogue.items, Path(path), title=catalogue.title)
        QSettings().setValue(CATALOGUE_SETTING, str(Path(path).resolve()))
        return True

    def set_catalogue(self, items: list[GuidanceItem], source: Path | None = None, title: str = "") -> None:
        self.catalogue_items = [it.model_copy(deep=True) for it in items]
        self.catalogue_source = source
        self._catalogue_title = title
        self.load_error.hide()
        self.load_error.clear()
        self.refresh()
        if self.items.topLevelItemCount() and not self.items.selectedItems():
            self.items.setCurrentItem(self.items.topLevelItem(0))

    def _catalogue_item(self, guidance_id: str) -> GuidanceItem | None:
        return next((it for it in self.catalogue_items if it.id == guidance_id), None)

    def newer_version(self, decision: GuidanceDecision) -> str | None:
        """The catalogue's version of the decided guidance if it is newer than the snapshot."""
        current = self._catalogue_item(decision.guidance.id)
        if current is not None and _is_newer(current.version, decision.guidance.version):
            return current.version
        return None

    # -- showing -----------------------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if change.what in ("decisions", "service"):
            self.refresh()

    def refresh(self) -> None:
        self._refresh_items()
        self._refresh_log()
        self._update_buttons()

    def decision_label(self, item: GuidanceItem) -> str:
        decision = latest_decisions(self.document.data.decisions).get(item.id)
        if decision is None:
            return "Undecided"
        text = f"{decision.status.value.capitalize()} {decision.decided_on.isoformat()}"
        if decision.guidance.version != item.version:
            text += f" (version {decision.guidance.version})"
        newer = self.newer_version(decision)
        if newer is not None:
            text += f"\na newer version {newer} is published"
        return text

    def _refresh_items(self) -> None:
        selected = self.selected_item()
        was = self.items.blockSignals(True)
        try:
            self.items.clear()
            for it in self.catalogue_items:
                row = QTreeWidgetItem([f"{it.title}\n{it.id} · version {it.version}", self.decision_label(it)])
                row.setData(0, Qt.ItemDataRole.UserRole, it.id)
                row.setToolTip(0, tip(f"{it.title}\n\n{it.text}".strip()))
                row.setToolTip(1, tip(row.text(1).replace("\n", " ")))
                if row.text(1).startswith("Rejected"):
                    row.setForeground(1, QBrush(QColor(ERROR_COLOUR)))
                self.items.addTopLevelItem(row)
                if selected is not None and it.id == selected.id:
                    self.items.setCurrentItem(row)
        finally:
            self.items.blockSignals(was)
        if self.catalogue_items:
            title = getattr(self, "_catalogue_title", "") or "Catalogue"
            where = f" from {self.catalogue_source.name}" if self.catalogue_source else ""
            self.source_label.setText(f"{title}{where}: {len(self.catalogue_items)} items (for this session; "
                                      "the decisions are saved with the service)")
        else:
            self.source_label.setText("Load the executive's guidance catalogue to accept or reject its items.")

    def _refresh_log(self) -> None:
        selected = self.selected_decision()
        today = dt.date.today()
        was = self.log.blockSignals(True)
        try:
            self.log.clear()
            for d in rejected_newest_first(self.document.data.decisions):
                review = d.review_by.isoformat() if d.review_by else "—"
                overdue = review_overdue(d, today)
                if overdue:
                    review += " (overdue)"
                newer = self.newer_version(d)
                version = f"{d.guidance.id} · version {d.guidance.version}"
                if newer:
                    version += f" (a newer version {newer} is published)"
                row = QTreeWidgetItem([d.decided_on.isoformat(), f"{d.guidance.title}\n{version}", review])
                row.setData(0, Qt.ItemDataRole.UserRole, d.id)
                row.setToolTip(1, tip(f"{d.guidance.title}\n\nReason: {d.reason}"))
                if overdue:
                    row.setForeground(2, QBrush(QColor(ERROR_COLOUR)))
                    row.setToolTip(2, "The review date has passed: review this decision")
                self.log.addTopLevelItem(row)
                if selected is not None and d.id == selected.id:
                    self.log.setCurrentItem(row)
            if self.log.topLevelItemCount() and self.log.currentItem() is None:
                self.log.setCurrentItem(self.log.topLevelItem(0))
        finally:
            self.log.blockSignals(was)
        empty = self.log.topLevelItemCount() == 0
        self.log.setVisible(not empty)
        self.details_scroll.setVisible(not empty)
        self.empty_log.setVisible(empty)
        self._show_details()

    def _show_details(self) -> None:
        d = self.selected_decision()
        if d is None:
            for label in (self.detail_title, self.detail_newer, self.detail_text, self.detail_reason,
                          self.detail_alternative, self.detail_risk, self.detail_decided, self.detail_review):
                label.clear()
            self.detail_newer.hide()
            self._update_buttons()
            return
        g = d.guidance
        self.detail_title.setText(f"{g.id} version {g.version}: {g.title}")
        notes = self._newer_notes(d)
        self.detail_newer.setText(" ".join(notes))
        self.detail_newer.setVisible(bool(notes))
        source = f"\n(Source: {g.source})" if g.source else ""
        self.detail_text.setText((g.text or "(no text)") + source)
        self.detail_reason.setText(d.reason or "—")
        self.detail_alternative.setText(d.alternative or "—")
        self.detail_risk.setText(d.accepted_risk or "—")
        self.detail_decided.setText(f"{d.decided_on.isoformat()} by {d.decided_by or 'unknown'}")
        self._show_review(d)
        self._update_buttons()

    def _newer_notes(self, d: GuidanceDecision) -> list[str]:
        """A newer version of the guidance, or a later decision about it."""
        notes = []
        newer = self.newer_version(d)
        if newer is not None:
            notes.append(f"A newer version {newer} is published; this decision is about version {d.guidance.version}.")
        later = latest_decisions(self.document.data.decisions).get(d.guidance.id)
        if later is not None and later.id != d.id:
            notes.append(f"Superseded: {later.status.value} on {later.decided_on.isoformat()}.")
        return notes

    def _show_review(self, d: GuidanceDecision) -> None:
        if d.review_by is None:
            self.detail_review.setText("no review date")
            self.detail_review.setStyleSheet("")
        elif review_overdue(d):
            self.detail_review.setText(f"{d.review_by.isoformat()} — overdue: review this decision")
            self.detail_review.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        else:
            self.detail_review.setText(d.review_by.isoformat())
            self.detail_review.setStyleSheet("")

    def selected_item(self) -> GuidanceItem | None:
        row = self.items.currentItem()
        return self._catalogue_item(row.data(0, Qt.ItemDataRole.UserRole)) if row is not None else None

    def selected_decision(self) -> GuidanceDecision | None:
        row = self.log.currentItem()
        if row is None:
            return None
        did = row.data(0, Qt.ItemDataRole.UserRole)
        return next((d for d in self.document.data.decisions if d.id == did), None)

    def _update_buttons(self) -> None:
        item = self.selected_item()
        ro = self._read_only
        self.accept_button.setEnabled(not ro and item is not None and can_decide(self.document, item, DecisionStatus.ACCEPTED))
        self.reject_button.setEnabled(not ro and item is not None and can_decide(self.document, item, DecisionStatus.REJECTED))
        self.remove_button.setEnabled(not ro and self.selected_decision() is not None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    # -- deciding ------------------------------------------------------------------------

    def accept_selected(self) -> bool:
        item = self.selected_item()
        if item is None or not self.accept_button.isEnabled():
            return False
        return self._run(lambda: decide_guidance(self.document, item, DecisionStatus.ACCEPTED))

    def reject_selected(self) -> bool:
        """Ask why (required), what instead, what risk; record the rejection."""
        item = self.selected_item()
        if item is None or not self.reject_button.isEnabled():
            return False
        dialog = RejectGuidanceDialog(item, decided_by=default_author(self.document), parent=self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        decision = dialog.record
        done = self._run(lambda: record_decision(self.document, decision))
        if done:
            self._select_decision(decision.id)
        return done

    def remove_selected_decision(self) -> bool:
        d = self.selected_decision()
        if d is None or self._read_only:
            return False
        return self._run(lambda: remove_decision(self.document, d.id))

    def _run(self, operation: Callable[[], Plan]) -> bool:
        """Record the operation's plan; a refusal goes to ``error_raised``."""
        try:
            return run(self.stack, operation())
        except OsomError as exc:
            self.error_raised.emit(user_message(exc))  # the field as the dialog names it
            return False

    def _select_decision(self, decision_id: str) -> None:
        for i in range(self.log.topLevelItemCount()):
            row = self.log.topLevelItem(i)
            if row.data(0, Qt.ItemDataRole.UserRole) == decision_id:
                self.log.setCurrentItem(row)
                return

