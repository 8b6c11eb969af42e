"""The Governance tab's "By service" table and the Fitness tab's "Per service" table sort
names as a person counts them, as the Services tab does: they gave "Service 9, 8 … 4,
39, 38" (text order) where the Services tab gave 0, 1, 2 … (tester T5, 1280x800)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, document, saved

NAMES = [f"Service {i}" for i in (10, 2, 1, 30, 9, 3)]
IN_ORDER = [f"Service {i}" for i in (1, 2, 3, 9, 10, 30)]


def test_the_governance_and_fitness_tables_sort_names_as_counted(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    for i, name in enumerate(NAMES):
        saved(document(name, sid=f"s{i}"), folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)
    for page, table in ((w.governance_tab, w.governance_tab.accounts), (w.fitness_tab, w.fitness_tab.services)):
        w.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda table=table: table.rowCount() == len(NAMES), timeout=5000)
        table.sortItems(0, Qt.SortOrder.AscendingOrder)
        assert [table.item(r, 0).text() for r in range(table.rowCount())] == IN_ORDER, page.objectName()
        table.sortItems(0, Qt.SortOrder.DescendingOrder)
        assert [table.item(r, 0).text() for r in range(table.rowCount())] == IN_ORDER[::-1]
