"""The main window. (Placeholder until the map editor lands: shows the service and its
map as OWM text, read-only.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPlainTextEdit, QSplitter
from PySide6.QtCore import Qt

from osom_desktop.model.document import Document
from osom_desktop.model.errors import OsomError


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.document = Document()
        self.path: Path | None = None
        self._summary = QLabel()
        self._summary.setTextFormat(Qt.TextFormat.PlainText)
        self._summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._summary.setMargin(12)
        self._text = QPlainTextEdit()
        self._text.setReadOnly(True)
        split = QSplitter()
        split.addWidget(self._summary)
        split.addWidget(self._text)
        self.setCentralWidget(split)
        self.resize(1100, 720)
        self._refresh()

    def open_path(self, path: Path) -> bool:
        from osom_desktop.storage import open_document

        try:
            self.document = Document(open_document(path))
        except OsomError as exc:
            QMessageBox.warning(self, "Cannot open", str(exc))
            return False
        self.path = path
        self._refresh()
        return True

    def _refresh(self) -> None:
        from osom_desktop.owm import write_owm

        d = self.document.data
        self.setWindowTitle(f"{self.path.name if self.path else 'Untitled'} — OSOM Desktop")
        self._summary.setText(
            f"{d.service.name}\nManager: {d.service.manager or '—'}\nLifecycle: {d.service.lifecycle}\n"
            f"Components: {len(d.map.components)}"
        )
        self._text.setPlainText(write_owm(d.map))
