"""Small widgets and helpers every view uses: dates, plain-text labels and tooltips,
a Yes/No question, a text box, an enum combo box, and a refused value shown on its
field. General Qt, nothing about records: the record dialogs and the docks share them.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

ERROR_COLOUR = "#b3261e"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def date_edit(day: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(to_qdate(day or dt.date.today()))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return edit


def plain_label(text: str = "", wrap: bool = True) -> QLabel:
    """A label for user text: never interpreted as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ElidedLabel(QLabel):
    """One line of plain text that never widens its window: what does not fit is cut in
    the middle with an ellipsis (a folder path keeps its start and its end), and the
    whole text is the tooltip. A plain QLabel asks for its text's full width, so a long
    message ("Loading /a/deep/folder ...") made a window wider than a 1280 px screen."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(tip(text) if text else "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), shown)


def fit_to_screen(window: QWidget, wanted: QSize | None = None) -> None:
    """Size ``window`` to ``wanted`` (default: its own size), bounded by what its screen
    has room for with the window manager's frame: a 1280x800 window on a 1280x800
    laptop put its bottom (the status bar, the tables' last rows) under the screen's edge."""
    from PySide6.QtGui import QGuiApplication

    size = wanted or window.size()
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        size = size.boundedTo(screen.availableGeometry().size() - WINDOW_FRAME)
    window.resize(size)


WINDOW_FRAME = QSize(16, 48)  # room for the window manager's borders and title bar


def scrolled_layout(page: QWidget) -> QVBoxLayout:
    """A layout for ``page``'s contents inside a scroll area filling it: laid out as usual
    when there is room, scrolled when squeezed, so a tall page in a tab does not set the
    height of every tab beside it (the network window's Governance and Fitness pages held
    its tables, and so the graph above them, at 260 px)."""
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget()
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return QVBoxLayout(body)


def tip(text: str) -> str:
    """A tooltip showing ``text`` literally.

    Qt guesses whether tooltip text is rich text, so a reason or note that looks like a
    tag would be rendered; escaped inside an explicit paragraph it is shown as typed.
    """
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def ask(parent: QWidget | None, title: str, text: str, default_yes: bool = True) -> bool:
    """A Yes/No question whose text (which names services, people) is never rich text."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def text_box(height_lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    line = box.fontMetrics().lineSpacing()
    box.setFixedHeight(line * height_lines + 14)
    return box


class EnumCombo(QComboBox):
    """A combo box of enum members (and optionally None) with labels.

    Qt would store a StrEnum as plain text in item data, so the members are kept on
    the Python side and ``value()`` gives the member itself back.
    """

    def __init__(self, labels: dict[Any, str], none_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        if none_label is not None:
            self._values.append(None)
            self.addItem(none_label)
        for value, label in labels.items():
            self._values.append(value)
            self.addItem(label)

    def value(self) -> Any:
        i = self.currentIndex()
        return self._values[i] if 0 <= i < len(self._values) else None

    def set_value(self, value: Any) -> None:
        self.setCurrentIndex(self._values.index(value) if value in self._values else 0)


def enum_combo(labels: dict[Any, str], none_label: str | None = None) -> EnumCombo:
    return EnumCombo(labels, none_label)


# -- showing a refused value on its field ------------------------------------------------


class FieldErrors:
    """Marks a field as refused: red border, the message as tooltip and under the field."""

    def __init__(self) -> None:
        self._labels: dict[QWidget, QLabel] = {}
        self._tooltips: dict[QWidget, str] = {}
        self._shown: set[QWidget] = set()

    def wrap(self, widget: QWidget) -> QWidget:
        """The widget with a (hidden) message line under it, for a form row."""
        host = QWidget()
        box = QVBoxLayout(host)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.label_for(widget))
        return host

    def label_for(self, widget: QWidget) -> QLabel:
        label = self._labels.get(widget)
        if label is None:
            label = plain_label()
            label.setStyleSheet(f"color: {ERROR_COLOUR};")
            label.setObjectName("fieldError")
            label.hide()
            self._labels[widget] = label
        return label

    def show(self, widget: QWidget, message: str) -> None:
        if widget not in self._shown:
            self._tooltips[widget] = widget.toolTip()
        self._shown.add(widget)
        widget.setProperty("invalid", True)
        widget.setStyleSheet(f"{type(widget).__name__} {{ border: 2px solid {ERROR_COLOUR}; }}")
        widget.setToolTip(tip(message))
        label = self.label_for(widget)
        label.setText(message)
        label.show()

    def clear(self, widget: QWidget | None = None) -> None:
        for w in ([widget] if widget is not None else list(self._shown)):
            if w not in self._shown:
                continue
            self._shown.discard(w)
            w.setProperty("invalid", False)
            w.setStyleSheet("")
            w.setToolTip(self._tooltips.pop(w, ""))
            label = self._labels.get(w)
            if label is not None:
                label.clear()
                label.hide()

    def message(self, widget: QWidget) -> str | None:
        """The message shown on ``widget``, or None (tests and screen readers ask this)."""
        return self._labels[widget].text() if widget in self._shown else None


def is_history_key(event: QKeyEvent) -> bool:
    """The platform's Undo or Redo keys, or Ctrl+Y (the window's Redo takes it too): what
    a field hands to the document's one history when it has nothing of its own to undo."""
    return (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
            or QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Y"))
