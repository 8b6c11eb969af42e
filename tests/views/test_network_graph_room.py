"""At 1280x800 the graph takes most of the network window: the Governance and Fitness
pages' own minimum heights held every tab, and so the graph above them, to ~315 px
(the tables had 245), and the load's status had a row of its own above the graph."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QStatusBar

from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, document, saved


def test_the_graph_gets_most_of_a_1280x800_window(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    for i in range(12):
        saved(document(f"Service {i}", sid=f"s{i}"), folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 770)  # a 1280x800 screen less a title bar
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)
    assert w.view.height() >= 380, w.view.height()
    assert w.view.height() > 2 * w.tabs.height()
    # Every tab still usable: the tall pages scroll inside their tab rather than clip.
    for page in (w.governance_tab, w.fitness_tab):
        w.tabs.setCurrentWidget(page)
        qtbot.waitUntil(page.isVisible, timeout=2000)
        assert page.height() < page.layout().itemAt(0).widget().widget().minimumSizeHint().height()
    # The network's one-line summary is in the status bar, under the tables.
    assert isinstance(w.status.parent(), QStatusBar) and "12 services" in w.status.text()


def test_zooming_does_not_shift_the_tool_row(qtbot, tmp_path: Path) -> None:
    """The zoom figure's label grew with its text ("59 %" -> "100 %"), moving the filters
    and buttons beside it a few pixels at each zoom step (tester T5)."""
    folder = tmp_path / "estate"
    for i in range(5):
        saved(document(f"Service {i}", sid=f"s{i}"), folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 770)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)
    where = []
    for text in ("5 %", "59 %", "100 %", "1600 %"):
        w.zoom_label.setText(text)
        w.centralWidget().layout().activate()
        where.append((w.manager_filter.geometry(), w.zoom_label.geometry()))
    assert len(set((a.x(), a.width(), b.x()) for a, b in where)) == 1, where
