"""The network window's Fitness tab on a real folder: roll-ups, capital flow, overdue and budgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osom_desktop.model.service import Budget, Measure, RecordingFrequency
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.network_window import NetworkWindow
from tests.fitness.services import monthly
from tests.fitness.test_rollups import ROLLUPS, network  # noqa: F401 - the fixture

TODAY = dt.date(2026, 8, 1)


def cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_fitness_tab_shows_rollups_flow_overdue_and_spend(qtbot, network: Path) -> None:  # noqa: F811
    (network / "rollups.toml").write_text(ROLLUPS.format(share="equal"), encoding="utf-8")
    # Identity promises monthly values; its last is from February: overdue by August.
    path = network / "Identity.osom"
    doc = open_document(path)
    doc.contract.measures[0].frequency = RecordingFrequency.MONTHLY
    doc.budgets = [Budget(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=300, unit="GBP")]
    doc.contract.measures[0].cost = True
    save_document(doc, path)
    w = NetworkWindow(network, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None, timeout=15000)
    tab = w.fitness_tab
    assert w.tabs.tabText(w.tabs.indexOf(tab)) == "Fitness"
    assert tab.rollups.rowCount() == 0  # filled when first shown, not while another tab is in front
    w.tabs.setCurrentWidget(tab)
    assert cells(tab.rollups, 0) == ["Transactions", "Cost", "Worst uptime", "Cost per transaction"]
    assert cells(tab.rollups, 2)[:2] == ["4,000", "1,300"]
    assert len(tab.rollups.cellWidget(1, 3).values) == 2  # January and February
    flow = dict(zip(cells(tab.flow, 0), cells(tab.flow, 4), strict=True))
    assert flow["App"] == "850.00" and flow["Web"] == "450.00" and flow["Hosting"] == "0.00"
    services = {tab.services.item(r, 0).text(): [tab.services.item(r, c).text() for c in range(1, 5)]
                for r in range(tab.services.rowCount())}
    assert services["Identity"] == ["Cost", "300.00 GBP", "400.00", "-100.00"]
    assert services["Web"] == ["—", "—", "—", "—"]
    assert [tab.problems.item(i).text() for i in range(tab.problems.count())] == [
        "Legacy: 'cost' is measured in 'EUR', not 'GBP'; left out of 'Cost'"]


def test_without_rollups_the_tab_says_where_they_go(qtbot, tmp_path: Path) -> None:
    from tests.fitness.services import service_file

    service_file(tmp_path, "Web", [Measure(name="Cost", unit="GBP", values=monthly([1.0]))])
    w = NetworkWindow(tmp_path, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None, timeout=15000)
    w.tabs.setCurrentWidget(w.fitness_tab)
    assert "rollups.toml" in w.fitness_tab.summary.text() and w.fitness_tab.rollups.rowCount() == 0
