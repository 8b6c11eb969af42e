"""Ctrl+Shift+T brings the Map text to the front, as every other dock's shortcut does.

Found by tester T4 driving the real window: with the Inspector's tab in front of the
Map text's, Ctrl+Shift+T closed the Map text (Qt's own show/hide action took it as
shown) and what was typed next went to the canvas as its one-key commands. Driven
here with real keys on a real window over a real service file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.views.conftest import open_map_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

TEA = """title Tea Shop
component Cup of Tea [0.79, 0.61]
component Kettle [0.43, 0.35]
Cup of Tea->Kettle
"""


def test_ctrl_shift_t_raises_the_map_text_from_behind_another_tab(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea", TEA)
    try:
        w.activateWindow()
        assert w.inspector_dock in w.tabifiedDockWidgets(w.text_dock)
        w.view.setFocus()
        qtbot.waitUntil(w.view.hasFocus)
        qtbot.keyClick(w.view, Qt.Key.Key_I, CTRL_SHIFT)
        qtbot.waitUntil(lambda: w.text_dock.visibleRegion().isEmpty())

        qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_T, CTRL_SHIFT)
        qtbot.waitUntil(lambda: not w.text_dock.visibleRegion().isEmpty())
        assert not w.text_dock.isHidden()
        assert w.act_show_text.isChecked()
        assert w.text.editor.hasFocus()  # ready to type in, as the other docks' keys do

        # Pressed again with the Map text in front and focused: it hides, as before.
        qtbot.keyClick(w.text.editor, Qt.Key.Key_T, CTRL_SHIFT)
        assert w.text_dock.isHidden()
    finally:
        w.stack.setClean()
        w._force_modified = False
        w.close()
        w.deleteLater()
