"""Exploring the network window as an executive would: select a service and see its
blast radius, choose a finding and see every service it names, zoom and search from
the keyboard, filter, sort by "affected if it fails". Real files, real widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem, LifecycleStage
from osom_desktop.views.network_window import TABLE_COLUMNS, NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved

LIVE, ALPHA = LifecycleStage.LIVE, LifecycleStage.ALPHA


def chain(folder: Path) -> None:
    """Portal -> Payments -> Print -> Hosting; Benefits -> Print; Library alone; Hosting <-> Backup."""
    for name, deps, life in (
        ("Portal", ["Payments"], LIVE), ("Payments", ["Print"], LIVE), ("Print", ["Hosting"], LIVE),
        ("Benefits", ["Print"], LIVE), ("Hosting", ["Backup"], LIVE), ("Backup", ["Hosting"], ALPHA),
        ("Library", [], ALPHA),
    ):
        doc = document(name, lifecycle=life, deps=[dependency(d) for d in deps], manager=f"{name} lead")
        if name == "Library":
            doc.decisions.append(GuidanceDecision(
                guidance=GuidanceItem(id="G-9", title="Use the cloud"), status=DecisionStatus.REJECTED,
                reason="cost", decided_on=dt.date(2026, 1, 1), review_by=dt.date(2026, 3, 1)))
        saved(doc, folder)


def loaded(qtbot, folder: Path) -> NetworkWindow:
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.scene.drawing, timeout=20000)
    return w


def sid(w: NetworkWindow, name: str) -> str:
    return next(r["service_id"] for r in w.result.rows if r["name"] == name)


def roles(w: NetworkWindow) -> dict[str, str]:
    net = w.result.network
    return {net.name(n): item.role for n, item in w.scene.nodes.items() if item.role}


def test_selecting_a_service_lights_exactly_its_upstream_and_downstream(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    w.select_service(sid(w, "Print"))
    assert roles(w) == {"Print": "selected", "Hosting": "upstream", "Backup": "upstream",
                        "Payments": "downstream", "Portal": "downstream", "Benefits": "downstream"}
    assert w.scene.nodes[sid(w, "Library")].opacity() < 0.5  # unrelated: dimmed
    assert "3 service(s) affected if it fails" in w.selection_label.text()
    assert "depends on 2 service(s)" in w.selection_label.text()


def test_a_finding_selects_every_service_it_names(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    cycles = next(w.findings.topLevelItem(i) for i in range(w.findings.topLevelItemCount())
                  if w.findings.topLevelItem(i).text(0).startswith("Dependency cycles"))
    w.findings.expandItem(cycles)  # findings, and the services each names, are made when opened
    w.findings.setCurrentItem(cycles.child(0))
    assert sorted(w.result.network.name(n) for n in w.selected_services()) == ["Backup", "Hosting"]
    assert roles(w) == {"Backup": "named", "Hosting": "named"}
    # Each named service is a child of the finding; choosing one selects it alone, Enter opens its map.
    w.findings.expandItem(cycles.child(0))
    one = next(cycles.child(0).child(i) for i in range(cycles.child(0).childCount())
               if cycles.child(0).child(i).text(0) == "Backup")
    w.findings.setCurrentItem(one)
    assert [w.result.network.name(n) for n in w.selected_services()] == ["Backup"]
    w.findings.setFocus()
    with qtbot.waitSignal(w.open_service_requested, timeout=2000) as blocker:
        qtbot.keyClick(w.findings, Qt.Key.Key_Return)
    assert blocker.args[0].name == "backup.osom"


def test_zoom_and_search_from_the_keyboard(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    qtbot.waitExposed(w)
    start = w.view.zoom()
    assert start >= 12 / 13 - 1e-6  # default: labels at 9 pt or more
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert w.view.zoom() > start
    qtbot.keyClick(w.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert w.view.zoom() < start
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search_edit.hasFocus()
    qtbot.keyClicks(w.search_edit, "bene")
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Return)
    assert [w.result.network.name(n) for n in w.selected_services()] == ["Benefits"]


def test_affected_column_sorts_and_filters_dim_the_rest(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    col = [h for _, h, _ in TABLE_COLUMNS].index("Affected if it fails")
    w.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    top = w.table.item(0, 0).text()
    assert top in ("Hosting", "Backup") and w.table.item(0, col).data(Qt.ItemDataRole.DisplayRole) == 5
    w.lifecycle_filter.setCurrentText("alpha")
    shown = {w.table.item(r, 0).text() for r in range(w.table.rowCount()) if not w.table.isRowHidden(r)}
    assert shown == {"Backup", "Library"}
    assert w.scene.nodes[sid(w, "Portal")].opacity() < 0.5
    assert w.scene.nodes[sid(w, "Library")].opacity() == 1.0


def test_guidance_tab_lists_single_rejection_with_overdue_review(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    assert w.guidance.rowCount() == 1
    cells = [w.guidance.item(0, c).text() for c in range(w.guidance.columnCount())]
    assert "G-9" in cells and "Library" in cells and any("review overdue since 2026-03-01" in c for c in cells)
