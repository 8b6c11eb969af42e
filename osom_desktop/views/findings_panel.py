"""Findings for this service, kept current as the document changes; a click goes to the
element a finding is about. The rules are the analysis's (``check_document``): the
same "last assessed" rule as the Assessments dock (``analysis.assessment_dates``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.model.document import Change, Document
from osom_desktop.views.document_panel import DocumentPanel

RECHECK_DELAY_MS = 300  # checks run after a burst of edits, not on every mouse move

_COLOURS = {Severity.PROBLEM: "#b3261e", Severity.WARNING: "#8a5a00", Severity.NOTE: "#44546a"}
_MARKS = {Severity.PROBLEM: "●", Severity.WARNING: "▲", Severity.NOTE: "○"}
_CODE = Qt.ItemDataRole.UserRole + 1  # the finding's code, beside its element's id


class FindingsPanel(DocumentPanel, QWidget):
    """``element_activated(element_id)`` when a person picks a finding."""

    element_activated = Signal(str)
    # A finding about a part of the service rather than an element (its code), e.g. an
    # incomplete contract: the window shows the dock where it is put right.
    part_activated = Signal(str)
    count_changed = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory: ServiceDirectory | None = None
        self.findings: list[Finding] = []
        self._listed = False  # the list shows ``findings`` (recheck has run once)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setObjectName("findingsList")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECHECK_DELAY_MS)
        self._timer.timeout.connect(self.recheck)
        self._follow(document)
        self.recheck()

    def _document_replaced(self) -> None:
        self.recheck()

    def set_directory(self, directory: ServiceDirectory | None) -> None:
        self.directory = directory
        self.recheck()

    def _on_document_changed(self, _change: Change) -> None:
        self._timer.start()

    def recheck(self) -> None:
        self._timer.stop()
        findings = check_document(self.document.data, self.directory)
        if self._listed and findings == self.findings:
            # Most edits change no finding: the list, its layout and the dock's title
            # stay as they are (a person scrolled or picked in it keeps their place).
            return
        self._listed = True
        self.findings = findings
        self.list.clear()
        for f in self.findings:
            item = QListWidgetItem(f"{_MARKS[f.severity]}  {f.message}")
            item.setForeground(QColor(_COLOURS[f.severity]))
            item.setToolTip(f"{f.severity}: {f.code}")
            item.setData(Qt.ItemDataRole.UserRole, f.element_id)
            item.setData(_CODE, f.code)
            self.list.addItem(item)
        n = len(self.findings)
        self.summary.setText("Nothing to report: map, contract and records agree." if n == 0 else f"{n} finding(s)")
        self.count_changed.emit(n)

    def _activate(self, item: QListWidgetItem) -> None:
        element_id = item.data(Qt.ItemDataRole.UserRole)
        if element_id:
            self.element_activated.emit(element_id)
        else:
            self.part_activated.emit(item.data(_CODE))
