"""Driving the service docks' fields and modal record dialogs like a person does."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QPlainTextEdit, QWidget

DIALOG_WAIT_S = 5.0
# After answering, a second dialog of the same type within this time is cancelled and
# counted, so "asked once" is checked without a stray dialog blocking the test.
GRACE_S = 0.3
_armed = [0]


def answer_form(dialog_type: type[QDialog], fill: Callable[[Any], None] | None = None, accept: bool = True) -> list[Any]:
    """When the next modal ``dialog_type`` opens: ``fill(dialog)``, then press OK (or
    Cancel). Returns a list that receives each dialog seen, so a test can assert that
    it opened (and opened once).

    Gives up after a few seconds, so a dialog that never opens fails the test's
    asserts instead of leaving a timer to answer some later test's dialog; arming
    another answer retires this one.
    """
    _armed[0] += 1
    me = _armed[0]
    seen: list[Any] = []
    deadline = [time.monotonic() + DIALOG_WAIT_S]

    def poll() -> None:
        if _armed[0] != me:  # a newer answer is armed: this one is done
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, dialog_type) and box not in seen:
            seen.append(box)
            if len(seen) > 1:
                box.reject()  # asked twice: cancel the extra one, the test sees len(seen)
            else:
                if fill is not None:
                    fill(box)
                if accept:
                    box.ok_button.click()
                    if box.isVisible():  # the dialog refused a value: let the test see that
                        box.reject()
                else:
                    box.buttons.rejected.emit()
                deadline[0] = time.monotonic() + GRACE_S
        if time.monotonic() < deadline[0]:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def type_into(qtbot, widget: QWidget, text: str, commit_key: Qt.Key = Qt.Key.Key_Tab) -> None:
    """Focus the field, replace its text by typing, then Tab out (which commits)."""
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    if isinstance(widget, QPlainTextEdit):
        widget.selectAll()
    else:
        widget.selectAll()
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClick(widget, commit_key)


def choose(qtbot, combo: QComboBox, label: str) -> None:
    """Pick an item of a combo box with the keyboard, as a person would (emits activated)."""
    index = combo.findText(label)
    assert index >= 0, f"{label!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus()
    steps = index - combo.currentIndex()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        qtbot.keyClick(combo, key)


def pick(combo: QComboBox, label: str) -> None:
    """Choose an item as from the combo's popup: one ``activated``, however far it is."""
    index = combo.findText(label)
    assert index >= 0, f"{label!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
