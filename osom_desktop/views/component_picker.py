"""Pick a component by typing part of its name: Find, and linking without the mouse.

A line to type in over a list that narrows as you type; Enter takes the highlighted
name, Up/Down move through the list, Escape cancels. When what is typed matches no
name the picker says so under the field, and Enter (or OK) keeps it open saying so
again: it used to close with nothing picked, and the link or find silently did nothing.
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
        # Said while typing and again on Enter; hidden while something matches.
        self.no_match = QLabel()
        self.no_match.setObjectName("pickerNoMatch")
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (label, self.filter, self.no_match, self.list, buttons):
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
        self._say_no_match(first is None)

    def _say_no_match(self, none: bool, tried: bool = False) -> None:
        typed = self.filter.text().strip()
        if not none:
            self.no_match.hide()
            return
        ending = " Change what you typed, or press Escape to cancel." if tried else ""
        self.no_match.setText(f"No component matches '{typed}'.{ending}")
        self.no_match.show()

    def accept(self) -> None:
        """Enter or OK: only with a name picked. Nothing matching keeps the picker open
        and says so, so the person can correct the name."""
        if self.chosen() is None:
            self._say_no_match(True, tried=True)
            self.filter.setFocus()
            return
        super().accept()

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
    """The name picked, or None (cancelled: a name matching nothing is refused in the
    picker itself, which stays open saying so)."""
    if not names:
        return None
    dialog = ComponentPicker(parent, title, prompt, names)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
