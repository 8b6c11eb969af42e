"""Ctrl+Z and Ctrl+Y in a contract field walk the document's one undo history.

Found by tester T4 driving the real window: typing a manager, Tab to the next field
(the edit is committed, one undo step) and Ctrl+Z there did nothing: the field had the
keyboard, Qt gave it the key first, and a line edit or text box with nothing of its own
to undo swallowed it. Typing still being done in a field is still the field's own to
undo. Driven here with real keys on a real window over a real service file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.views.conftest import close_discarding, open_map_window

CTRL = Qt.KeyboardModifier.ControlModifier

TEA = """title Tea Shop
component Cup of Tea [0.79, 0.61]
component Kettle [0.43, 0.35]
Cup of Tea->Kettle
"""


def test_ctrl_z_in_the_next_field_undoes_the_committed_one(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        w.activateWindow()
        qtbot.keyClick(w, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
        contract = w.contract
        qtbot.waitUntil(lambda: contract.isVisible())
        manager = contract.manager
        manager.setFocus()
        qtbot.waitUntil(manager.hasFocus)
        qtbot.keyClicks(manager, "Bo Li")
        qtbot.keyClick(manager, Qt.Key.Key_Tab)  # done with it: committed, one step
        assert w.document.data.service.manager == "Bo Li"
        here = w.focusWidget()
        assert here is not manager and here is not None

        qtbot.keyClick(here, Qt.Key.Key_Z, CTRL)
        assert w.document.data.service.manager == ""
        assert manager.text() == ""

        qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Y, CTRL)
        assert w.document.data.service.manager == "Bo Li"
        assert manager.text() == "Bo Li"

        # Back in the field the edit was typed in, nothing pending: the document's too.
        manager.setFocus()
        qtbot.waitUntil(manager.hasFocus)
        qtbot.keyClick(manager, Qt.Key.Key_Z, CTRL)
        assert w.document.data.service.manager == ""
        assert manager.text() == ""
    finally:
        close_discarding(w)


def test_typing_still_in_a_field_is_the_fields_own_to_undo(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        w.activateWindow()
        qtbot.keyClick(w, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
        purpose = w.contract.purpose
        qtbot.waitUntil(lambda: w.contract.isVisible())
        purpose.setFocus()
        qtbot.waitUntil(purpose.hasFocus)
        index = w.stack.index()
        qtbot.keyClicks(purpose, "Brews tea")
        qtbot.keyClick(purpose, Qt.Key.Key_Z, CTRL)  # the typing, not the map's last step
        assert w.stack.index() == index
        assert "Brews tea" not in purpose.toPlainText()
    finally:
        close_discarding(w)
