"""An edit does not lay the window out again: Undo's tooltip names every edit ("Undo
Rename ..."), and a toolbar button that saw its action change took the whole action
again and had the toolbar, and the window with all its docks, lay out anew. The
buttons still say what Undo and Redo would do, and are greyed out when there is
nothing to do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QToolBar

from osom_desktop.commands import UpdateElementCommand, run
from tests.views.conftest import close_discarding, open_map_window, settled

OWM = """title Quiet toolbar
component Customer [0.9, 0.3]
component Payments [0.5, 0.6]
Customer->Payments
"""


class LayoutCount(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LayoutRequest:
            self.seen.append(type(watched).__name__)
        return False


def test_edits_leave_the_window_s_layout_alone_and_the_buttons_say_what_undo_does(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Quiet", OWM)
    settled(qtbot, w)  # the docks have their widths: the window's own layout is done
    try:
        toolbar = w.findChild(QToolBar, "mainToolbar")
        undo, redo = toolbar.widgetForAction(w.act_undo), toolbar.widgetForAction(w.act_redo)
        assert not undo.isEnabled() and not redo.isEnabled()
        payments = w.document.map.component_by_name("Payments")
        run(w.stack, UpdateElementCommand(w.document, payments.id, name="Payments 1"))
        QApplication.processEvents()
        assert undo.isEnabled() and not redo.isEnabled()

        count = LayoutCount()
        for watched in (w, toolbar):
            watched.installEventFilter(count)
        try:
            for i in range(2, 5):
                what = f"Rename Payments {i - 1}"
                run(w.stack, UpdateElementCommand(w.document, payments.id, what, name=f"Payments {i}"))
                QApplication.processEvents()
                assert undo.toolTip() == w.act_undo.toolTip() == f"Undo {what} (Ctrl+Z)"
        finally:
            for watched in (w, toolbar):
                watched.removeEventFilter(count)
        assert count.seen == []

        for _ in range(4):
            w.stack.undo()
        QApplication.processEvents()
        assert not undo.isEnabled() and redo.isEnabled()
        assert redo.toolTip() == w.act_redo.toolTip() and redo.toolTip().startswith("Redo Edit")
        assert w.document.map.component_by_name("Payments") is not None
    finally:
        close_discarding(w)
