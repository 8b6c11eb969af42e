"""An edit that changes no finding leaves the Findings list as it is: the finding a
person clicked stays picked, and the list is not rebuilt (after every burst of edits
it was cleared and filled again, the pick lost and the dock laid out anew)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.commands import AddElementCommand, UpdateElementCommand, run
from osom_desktop.model import Component
from tests.views.conftest import close_discarding, open_map_window

OWM = """title Findings kept
component Customer [0.9, 0.3]
component Payments [0.5, 0.6]
Customer->Payments
"""


def test_a_finding_clicked_stays_picked_after_an_edit_that_changes_no_finding(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Kept", OWM)
    try:
        w.act_show_findings.trigger()
        panel = w.findings
        qtbot.waitUntil(panel.list.isVisible, timeout=2000)
        assert panel.list.count() >= 1  # the new service's contract is empty
        before = [panel.list.item(i).text() for i in range(panel.list.count())]
        first = panel.list.item(0)
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(first).center())
        assert panel.list.currentRow() == 0

        payments = next(c for c in w.document.map.components if c.name == "Payments")
        run(w.stack, UpdateElementCommand(w.document, payments.id, evolution=0.65))
        qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=3000)  # noqa: SLF001 - the recheck ran

        assert [panel.list.item(i).text() for i in range(panel.list.count())] == before
        assert panel.list.currentRow() == 0
        assert panel.list.item(0) is first  # the same row, not a new one with the same words

        # An edit that does change the findings still shows them.
        run(w.stack, AddElementCommand(w.document, Component(id="unplaced", name="Unplaced")))  # no position
        qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=3000)  # noqa: SLF001
        shown = [panel.list.item(i).text() for i in range(panel.list.count())]
        assert shown != before
    finally:
        close_discarding(w)
