"""Pick a component by typing part of its name: Find, and linking without the mouse.

A line to type in over a list that narrows as you type; Enter takes the highlighted
name, Up/Down move through the list, Escape cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

MIN_WIDTH = 380  # the title ("Find component", "Link Kettle to…") is never cut short


class ComponentPicker(QDialog):
    def __init__(self, parent: QWidget | None, title: str, prompt: str, names: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("componentPicker")
        self.setWindowTitle(title)
        self.setMinimumWidth(max(MIN_WIDTH, self.fontMetrics().horizontalAdvance(title) + 160))
        self._names = names
        label = QLabel(prompt)
        self.filter = QLineEdit()
        self.filter.setObjectName("pickerFilter")
        self.filter.setPlaceholderText("Type part of a name")
        self.filter.setClearButtonEnabled(True)
        label.setBuddy(self.filter)
        self.list = QListWidget()
        self.list.setObjectName("pickerList")
        self.list.addItems(names)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (label, self.filter, self.list, buttons):
            layout.addWidget(w)
        self.filter.textChanged.connect(self._narrow)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())

    def _narrow(self, text: str) -> None:
        needle = text.strip().casefold()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = i
        # A name that starts with what was typed beats one that merely contains it.
        starts = next((i for i in range(self.list.count())
                       if not self.list.item(i).isHidden() and self.list.item(i).text().casefold().startswith(needle)),
                      first)
        if starts is not None:
            self.list.setCurrentRow(starts)
        else:
            self.list.setCurrentRow(-1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = self.list.currentRow()
            while 0 <= row + step < self.list.count():
                row += step
                if not self.list.item(row).isHidden():
                    self.list.setCurrentRow(row)
                    break
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None and not item.isHidden() else None


def pick_component(parent: QWidget | None, title: str, prompt: str, names: list[str]) -> str | None:
    """The name picked, or None (cancelled, or nothing matched what was typed)."""
    if not names:
        return None
    dialog = ComponentPicker(parent, title, prompt, names)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
