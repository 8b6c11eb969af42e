"""The contract editor's parts (split from contract_editor, issue 12): text fields
that commit when the person is done with them, the table cells' editors, and the
tables that show measures, recorded values and dependencies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from osom_desktop.views.widgets import is_history_key, tip

# -- committing text fields when the person is done with them --------------------------


class CommitFilter(QObject):
    """Commit on focus-out (Tab, click elsewhere) and Return / Ctrl+Return; Escape reverts.

    Losing focus because another window became active (or a menu popped up) is not the
    person being done with the field, so it does not commit: a live service's reason
    prompt must not appear because someone switched to their email. Saving and closing
    flush what is still being typed.

    Undo and Redo keys (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) in a field holding nothing
    uncommitted (``pending`` says False) go to the window's Undo and Redo, the
    document's one history: Qt offers the key to the focused field first, and a field
    with nothing of its own to undo swallowed it (a manager typed, Tab to the next
    field, Ctrl+Z there did nothing). Typing still in the field is the field's own.
    """

    def __init__(self, parent: QObject, commit: Callable[[QWidget], None], revert: Callable[[QWidget], None],
                 pending: Callable[[QWidget], bool] | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self._revert = revert
        self._pending = pending

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Installed on text fields only: ``obj`` is the field.
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            if cast(QFocusEvent, event).reason() not in (Qt.FocusReason.ActiveWindowFocusReason,
                                                         Qt.FocusReason.PopupFocusReason):
                self._commit(cast(QWidget, obj))
        elif kind == QEvent.Type.KeyPress:
            return self._key(cast(QWidget, obj), cast(QKeyEvent, event))
        elif kind == QEvent.Type.ShortcutOverride and self._pending is not None:
            if is_history_key(cast(QKeyEvent, event)) and not self._pending(cast(QWidget, obj)):
                # Left unaccepted and kept from the field: the window's shortcut runs.
                event.ignore()
                return True
        return False

    def _key(self, field: QWidget, event: QKeyEvent) -> bool:
        """Escape reverts; Return commits (Ctrl+Return in a multi-line field)."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._revert(field)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            multi_line = isinstance(field, QPlainTextEdit)
            if not multi_line or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._commit(field)
                return multi_line  # a line edit still sees its Return
        return False


def text_of(widget: QWidget) -> str:
    """A text field's text: a multi-line field, or a line edit (a service picker is one)."""
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else cast(QLineEdit, widget).text()


def set_text(widget: QWidget, text: str) -> None:
    if text_of(widget) != text:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            line = cast(QLineEdit, widget)
            line.setText(text)
            line.setCursorPosition(0)


class ComboDelegate(QStyledItemDelegate):
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


class ServiceDelegate(QStyledItemDelegate):
    """Edits a dependency's service cell with the list of services the app knows."""

    def __init__(self, names: Callable[[], list[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        from osom_desktop.views.service_picker import ServicePicker

        return ServicePicker(self.names(), parent)

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        editor.setText(index.data(Qt.ItemDataRole.DisplayRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


def record_table(headers: Sequence[str], stretch: int) -> QTableWidget:
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


def fit_height(table: QTableWidget, min_rows: int = 2, max_rows: int = 8) -> None:
    """A table in a scrolling form is as tall as its rows (within limits), not a fixed box."""
    rows = min(max(table.rowCount(), min_rows), max_rows)
    row_h = table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows * row_h + 2 * table.frameWidth() + 6)


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


# -- showing rows -----------------------------------------------------------------------


def id_of_row(table: QTableWidget, row: int) -> str | None:
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def fill_rows(table: QTableWidget, rows: list[tuple[str, list[str]]]) -> None:
    """Show rows (id, cell texts); in place when the ids are the same, so an edit's
    refresh does not rebuild the table under the cell editor."""
    ids = [id_of_row(table, r) for r in range(table.rowCount())]
    selected = id_of_row(table, table.currentRow()) if table.currentRow() >= 0 else None
    if ids != [r[0] for r in rows]:
        table.setRowCount(0)
        table.setRowCount(len(rows))
    for r, (rid, cells) in enumerate(rows):
        _set_cells(table, r, rid, cells)
    if selected is not None:
        _reselect(table, rows, selected)


def _set_cells(table: QTableWidget, r: int, rid: str, cells: list[str]) -> None:
    for c, text in enumerate(cells):
        item = table.item(r, c)
        if item is None:
            item = QTableWidgetItem()
            table.setItem(r, c, item)
        item.setText(text)
        item.setBackground(QBrush())  # a refused value's colour goes with the refresh
        item.setToolTip(tip(text) if len(text) > 30 else "")
        if c == 0:
            item.setData(Qt.ItemDataRole.UserRole, rid)  # the row's id, whatever its cells say


def _reselect(table: QTableWidget, rows: list[tuple[str, list[str]]], selected: str) -> None:
    """The row that was selected stays selected, wherever it is now."""
    for r, (rid, _cells) in enumerate(rows):
        if rid == selected:
            table.selectRow(r)
