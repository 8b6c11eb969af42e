"""Edit Criteria Catalogue: the executive edits a criteria set's TOML in the app.

Criteria catalogues are published like the guidance catalogue: a TOML file a person
can edit by hand or here. The dialog holds no rule of its own: what a valid set is
lives in ``governance.criteria``; the text is made by its writer (``criteria_text``),
written with the atomic writer, then read back with the real loader, so a file this
dialog saved always loads. A file that does not load opens with its one-line error
and is never overwritten (Save stays off until the person chooses Save As).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.governance.criteria import (
    OCCASIONS,
    CriteriaSet,
    Criterion,
    criteria_text,
    load_criteria,
    parse_criteria,
)
from osom_desktop.governance.scales import SCALES
from osom_desktop.governance.toml_file import shown
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.storage.atomic import atomic_write_bytes
from osom_desktop.views.widgets import ask, plain_label

# Table columns, in the order the file writes a criterion's fields.
COLUMNS = (("id", "Id"), ("title", "Title"), ("text", "Description"), ("group", "Group"))


def _criteria_table() -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS))
    table.setObjectName("criteriaRows")
    table.setHorizontalHeaderLabels([label for _k, label in COLUMNS])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table, as in every form
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    # Title and description share the width: a title cut to a word is unreadable.
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    return table


class CriteriaEditorDialog(QDialog):
    """Open (or start) one criteria set, edit it, Save / Save As."""

    saved = Signal(str)  # the path written, after it read back with the loader

    def __init__(self, parent: QWidget | None = None, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("criteriaEditorDialog")
        self.setWindowTitle("Edit Criteria Catalogue")
        self.path: Path | None = None
        self.modified = False

        self.file_label = plain_label(wrap=False)
        self.file_label.setObjectName("criteriaFile")
        self.open_button = QPushButton("&Open…")
        self.new_button = QPushButton("&New")
        self.set_id = QLineEdit()
        self.set_title = QLineEdit()
        self.version = QLineEdit()
        self.source = QLineEdit()
        self.scale = QComboBox()
        for s in SCALES.values():
            self.scale.addItem(s.label, s.id)
        self.applies: dict[str, QCheckBox] = {o: QCheckBox(o.replace("->", " → ")) for o in OCCASIONS}

        self.table = _criteria_table()
        self.add_button = QPushButton("&Add criterion")
        self.remove_button = QPushButton("&Remove")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move do&wn")

        self.message = plain_label()
        self.message.setObjectName("criteriaEditorMessage")
        self.save_button = QPushButton("&Save")
        self.save_as_button = QPushButton("Save &As…")
        self.close_button = QPushButton("Close")
        self.save_button.setDefault(True)  # Enter saves; Escape closes (asking if unsaved)
        self._lay_out()
        self._connect()
        self.show_set(CriteriaSet(id="", title="", scale="met-not-met", criteria=[]))
        if path is not None:
            self.open_file(path)
        self.resize(820, 560)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        form = QFormLayout()
        form.addRow("Set &id:", self.set_id)
        form.addRow("&Name:", self.set_title)
        form.addRow("&Version:", self.version)
        form.addRow("Sour&ce:", self.source)
        form.addRow("Sca&le:", self.scale)
        applies = QHBoxLayout()
        for box in self.applies.values():
            applies.addWidget(box)
        applies.addStretch(1)
        form.addRow("Applies to:", applies)
        rows = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setAutoDefault(False)
            rows.addWidget(b)
        rows.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        for b in (self.save_button, self.save_as_button, self.close_button):
            bottom.addWidget(b)
        for b in (self.open_button, self.new_button, self.save_as_button, self.close_button):
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(rows)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        chain: list[QWidget] = [self.open_button, self.new_button, self.set_id, self.set_title, self.version, self.source,
                 self.scale, *self.applies.values(), self.table, self.add_button, self.remove_button,
                 self.up_button, self.down_button, self.save_button, self.save_as_button, self.close_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.open_button.clicked.connect(lambda: self.open_dialog())
        self.new_button.clicked.connect(self._on_new_clicked)
        self.add_button.clicked.connect(lambda: self.add_criterion())
        self.remove_button.clicked.connect(self.remove_criterion)
        self.up_button.clicked.connect(lambda: self.move_criterion(-1))
        self.down_button.clicked.connect(lambda: self.move_criterion(1))
        self.save_button.clicked.connect(lambda: self.save())
        self.save_as_button.clicked.connect(lambda: self.save_as())
        self.close_button.clicked.connect(self.reject)
        for edit in (self.set_id, self.set_title, self.version, self.source):
            edit.textEdited.connect(self._on_edited)
        self.scale.activated.connect(self._on_edited)
        for box in self.applies.values():
            box.toggled.connect(self._on_edited)
        self.table.itemChanged.connect(self._on_edited)

    # -- showing -------------------------------------------------------------------------

    def show_set(self, s: CriteriaSet, path: Path | None = None) -> None:
        self.table.blockSignals(True)
        self.set_id.setText(s.id)
        self.set_title.setText(s.title)
        self.version.setText(s.version)
        self.source.setText(s.source)
        self.scale.setCurrentIndex(max(0, self.scale.findData(s.scale)))
        for occasion, box in self.applies.items():
            box.blockSignals(True)
            box.setChecked(occasion in s.applies_to)
            box.blockSignals(False)
        self.table.setRowCount(0)
        for c in s.criteria:
            self._append_row(c)
        self.table.blockSignals(False)
        self.path = path
        self.modified = False
        self._update_file()

    def _append_row(self, c: Criterion) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, (key, _label) in enumerate(COLUMNS):
            self.table.setItem(row, col, QTableWidgetItem(getattr(c, key)))
        return row

    def _update_file(self) -> None:
        name = str(self.path) if self.path else "New criteria set (not saved yet)"
        self.file_label.setText(name + (" — modified" if self.modified else ""))
        self.save_button.setEnabled(self.path is not None)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def _on_edited(self, *_args: object) -> None:
        if not self.modified:
            self.modified = True
            self._update_file()

    # -- opening -------------------------------------------------------------------------

    def open_dialog(self) -> bool:
        if self.modified and not ask(self, "Edit Criteria Catalogue", "Discard the changes not saved?", default_yes=False):
            return False
        path, _f = QFileDialog.getOpenFileName(self, "Open criteria catalogue", "", "Criteria (*.toml)")
        return bool(path) and self.open_file(path)

    def open_file(self, path: str | os.PathLike[str]) -> bool:
        """Show the set in ``path``; a file that does not load is shown as its one-line
        error, and is not taken as the file to save to (so it is never overwritten)."""
        try:
            loaded = load_criteria(path)
        except OsomError as exc:
            self._say(user_message(exc), error=True)
            return False
        self.show_set(loaded, Path(path))
        self._say("")
        return True

    def _on_new_clicked(self) -> None:
        if self.modified and not ask(self, "Edit Criteria Catalogue", "Discard the changes not saved?", default_yes=False):
            return
        self.show_set(CriteriaSet(id="", title="", scale="met-not-met", criteria=[]))
        self._say("")

    # -- editing rows --------------------------------------------------------------------

    def add_criterion(self, criterion: Criterion | None = None) -> int:
        row = self._append_row(criterion or Criterion(id="", title=""))
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self._on_edited()
        return row

    def remove_criterion(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._on_edited()

    def move_criterion(self, step: int) -> None:
        row = self.table.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.table.rowCount():
            return
        self.table.blockSignals(True)
        for col in range(self.table.columnCount()):
            a, b = self.table.takeItem(row, col), self.table.takeItem(other, col)
            self.table.setItem(row, col, b)
            self.table.setItem(other, col, a)
        self.table.blockSignals(False)
        self.table.setCurrentCell(other, self.table.currentColumn())
        self._on_edited()

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    # -- saving --------------------------------------------------------------------------

    def edited_set(self) -> CriteriaSet:
        """The set on screen; ValueError naming the field or row that is not right."""
        if not self.set_id.text().strip():
            raise ValueError("The set needs an id.")
        if not self.set_title.text().strip():
            raise ValueError("The set needs a name.")
        seen: dict[str, int] = {}
        criteria = [self._row_criterion(row, seen) for row in range(self.table.rowCount())]
        if not criteria:
            raise ValueError("The set needs at least one criterion.")
        return CriteriaSet(
            id=self.set_id.text().strip(), title=self.set_title.text().strip(),
            scale=str(self.scale.currentData()), version=self.version.text().strip(),
            applies_to=tuple(o for o, box in self.applies.items() if box.isChecked()),
            source=self.source.text().strip(), criteria=criteria,
        )

    def _row_criterion(self, row: int, seen: dict[str, int]) -> Criterion:
        """The criterion on ``row``; ValueError (the cell selected) when its id is missing
        or taken (``seen``: id -> row so far) or it has no title."""
        values = {key: self._cell(row, col) for col, (key, _l) in enumerate(COLUMNS)}
        cid = values["id"]
        if not cid:
            self.table.setCurrentCell(row, 0)
            raise ValueError(f"Row {row + 1}: the criterion needs an id.")
        if cid in seen:
            self.table.setCurrentCell(row, 0)
            raise ValueError(f"Row {row + 1}: id {shown(cid)} is already used by row {seen[cid] + 1}; ids must be unique.")
        if not values["title"]:
            self.table.setCurrentCell(row, 1)
            raise ValueError(f"Row {row + 1} ({shown(cid)}): the criterion needs a title.")
        seen[cid] = row
        return Criterion(**values)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.write_to(self.path)

    def save_as(self, path: str | os.PathLike[str] | None = None) -> bool:
        if path is None:
            start = str(self.path) if self.path else (self.set_id.text().strip() or "criteria") + ".toml"
            path, _f = QFileDialog.getSaveFileName(self, "Save criteria catalogue", start, "Criteria (*.toml)")
            if not path:
                return False
        return self.write_to(path)

    def write_to(self, path: str | os.PathLike[str]) -> bool:
        """Write the set to ``path`` and read it back with the loader; refusals are
        one line in the dialog and leave the file as it was."""
        name = os.fspath(path)
        try:
            edited = self.edited_set()
        except ValueError as exc:
            self._say(user_message(exc), error=True)
            self.table.setFocus()
            return False

        def loads(data: bytes) -> None:  # the temp file must be a set the loader accepts
            try:
                parse_criteria(data.decode("utf-8"), name)
            except OsomError as exc:
                raise ValueError(user_message(exc)) from None

        try:
            text = criteria_text(edited, name)
            atomic_write_bytes(name, text.encode("utf-8"), check=loads)
            back = load_criteria(name)
        except (OsomError, OSError, ValueError) as exc:
            self._say(user_message(exc), error=True)
            return False
        self.show_set(back, Path(name))
        self._say(f"Saved {len(back.criteria)} criteria to {name}.")
        self.saved.emit(name)
        return True

    def reject(self) -> None:
        # Escape or Close: edits are not thrown away without asking.
        if self.modified and not ask(self, "Edit Criteria Catalogue", "Close without saving the changes?", default_yes=False):
            return
        super().reject()
