"""The network window's Services table sorts names as a person reads them: "service-2"
before "service-10", case ignored (Qt compared the text: "Service-2" after
"service-10", "Zed" before "alpha"); lifecycle stages in a service's life's order;
the counts still as numbers (issue 13/14)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from osom_desktop.model.service import LifecycleStage
from osom_desktop.views.network_table import GUIDANCE_COLUMNS
from osom_desktop.views.network_window import TABLE_COLUMNS, NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved

# (name, manager, lifecycle, dependencies)
SERVICES = [
    ("service-10", "lead 10", LifecycleStage.LIVE, 3),
    ("Service-2", "Lead 2", LifecycleStage.RETIRED, 10),
    ("service-1", "lead 1", LifecycleStage.ALPHA, 2),
    ("Zed", "Lead 9", LifecycleStage.DISCOVERY, 0),
    ("alpha", "lead 11", LifecycleStage.BETA, 1),
]


def loaded(qtbot, folder: Path) -> NetworkWindow:
    for name, manager, life, n in SERVICES:
        saved(document(name, manager=manager, lifecycle=life,
                       deps=[dependency(f"Vendor {v}") for v in range(n)]), folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)
    w.tabs.setCurrentWidget(w.table)
    return w


def click_header(qtbot, table, col: int) -> None:
    header = table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(col) + header.sectionSize(col) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_service_names_sort_naturally_and_ignore_case_both_ways(qtbot, tmp_path: Path) -> None:
    w = loaded(qtbot, tmp_path)
    expected = ["alpha", "service-1", "Service-2", "service-10", "Zed"]
    assert column(w.table, 0) == expected  # the table opens sorted by name
    click_header(qtbot, w.table, 0)
    assert column(w.table, 0) == expected[::-1]
    click_header(qtbot, w.table, 0)
    assert column(w.table, 0) == expected


def test_managers_naturally_lifecycles_in_order_counts_as_numbers(qtbot, tmp_path: Path) -> None:
    w = loaded(qtbot, tmp_path)
    keys = [k for k, _, _ in TABLE_COLUMNS]
    manager, life, deps = keys.index("manager"), keys.index("lifecycle"), keys.index("dependencies")
    click_header(qtbot, w.table, manager)
    assert column(w.table, manager) in (["lead 1", "Lead 2", "Lead 9", "lead 10", "lead 11"],
                                        ["lead 11", "lead 10", "Lead 9", "Lead 2", "lead 1"])
    click_header(qtbot, w.table, life)
    assert column(w.table, life) in (["discovery", "alpha", "beta", "live", "retired"],
                                     ["retired", "live", "beta", "alpha", "discovery"])
    click_header(qtbot, w.table, deps)
    got = [int(t) for t in column(w.table, deps)]
    # The Manager filter offers them in the same order.
    filt = w.manager_filter
    assert [filt.itemText(i) for i in range(1, filt.count())] == ["lead 1", "Lead 2", "Lead 9", "lead 10", "lead 11"]
    assert got in ([0, 1, 2, 3, 10], [10, 3, 2, 1, 0])
    # Whole rows move: each name still beside its own count.
    counts = {name: n for name, _, _, n in SERVICES}
    assert [counts[name] for name in column(w.table, 0)] == got


def test_the_guidance_table_sorts_services_naturally(qtbot, tmp_path: Path) -> None:
    import datetime as dt

    from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem

    for name in ("service-10", "Service-2", "service-1"):
        doc = document(name)
        doc.decisions = [GuidanceDecision(id=f"g-{name}", guidance=GuidanceItem(id="G-1", title="Use the cloud"),
                                          status=DecisionStatus.REJECTED, reason="no", decided_on=dt.date(2026, 1, 1))]
        saved(doc, tmp_path)
    w = NetworkWindow(tmp_path, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading() and w.guidance.rowCount() == 3, timeout=30000)
    w.tabs.setCurrentWidget(w.guidance)
    col = [k for k, _ in GUIDANCE_COLUMNS].index("service")
    click_header(qtbot, w.guidance, col)
    assert column(w.guidance, col) in (["service-1", "Service-2", "service-10"], ["service-10", "Service-2", "service-1"])
