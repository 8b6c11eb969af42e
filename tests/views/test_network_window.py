"""The network window on real folders of .osom files: loads in the background,
cancels, lists unreadable files, and opens a service on double-click."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved


def small_network(folder: Path) -> dict[str, Path]:
    docs = [
        document("Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
                 deps=[dependency("Payments", "svc-pay"), dependency("Identity", "svc-id")]),
        document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA, stage=EvolutionStage.COMMODITY,
                 deps=[dependency("Card Gateway")]),
        document("Identity", sid="svc-id", lifecycle=LifecycleStage.BETA, stage=EvolutionStage.CUSTOM),
        document("Old Records", sid="svc-old", lifecycle=LifecycleStage.RETIRED),
    ]
    return {d.service.id: saved(d, folder) for d in docs}


def open_window(qtbot, folder: Path) -> NetworkWindow:
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    return w


def wait_loaded(qtbot, w: NetworkWindow) -> None:
    qtbot.waitUntil(lambda: w.result is not None and not w.scene.drawing, timeout=15000)


def finding_items(w: NetworkWindow) -> list:
    """Every finding (second level of the grouped tree)."""
    out = []
    for g in range(w.findings.topLevelItemCount()):
        head = w.findings.topLevelItem(g)
        w.findings.expandItem(head)  # a kind's findings are made when it is opened
        out += [head.child(i) for i in range(head.childCount())]
    return out


def table_ids(w: NetworkWindow) -> list[str]:
    return [w.service_id_at(r) for r in range(w.table.rowCount())]


def test_folder_of_services_shows_in_table_and_graph(qtbot, tmp_path: Path) -> None:
    paths = small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    assert sorted(table_ids(w)) == sorted(paths)
    names = [w.table.item(r, 0).text() for r in range(w.table.rowCount())]
    assert names == ["Apply Online", "Identity", "Old Records", "Payments"]
    # Graph: the four services plus the external card gateway, and the dependency arrows.
    assert set(w.scene.nodes) == {*paths, "external:card gateway"}
    # Layered left to right: a service, then what it depends on.
    assert w.scene.nodes["svc-apply"].x() < w.scene.nodes["svc-pay"].x() < w.scene.nodes["external:card gateway"].x()
    assert "4 services" in w.status.text()
    assert not w.progress.isVisible()
    # The live service resting on an alpha one is a finding.
    texts = [i.text(0) for i in finding_items(w)]
    assert any("Apply Online is live but depends on Payments" in t for t in texts)


def test_table_sorts_and_selection_highlights_graph(qtbot, tmp_path: Path) -> None:
    small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    w.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # "Depends on"
    assert w.service_id_at(0) == "svc-apply"
    w.table.selectRow(2)
    sid = w.service_id_at(2)
    assert w.scene.selected_node() == sid
    assert w.scene.nodes[sid].isSelected()
    # And back: selecting in the graph selects the table row.
    w.scene.select_node("svc-old")
    assert {w.service_id_at(i.row()) for i in w.table.selectedItems()} == {"svc-old"}


def test_choosing_a_finding_selects_its_service(qtbot, tmp_path: Path) -> None:
    small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    w.tabs.setCurrentIndex(1)
    item = next(i for i in finding_items(w) if "is live but depends on Payments" in i.text(0))
    w.findings.setCurrentItem(item)
    assert w.scene.selected_node() == "svc-apply"
    assert {w.service_id_at(i.row()) for i in w.table.selectedItems()} == {"svc-apply"}


def test_double_click_table_row_opens_that_service(qtbot, tmp_path: Path) -> None:
    paths = small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    qtbot.waitExposed(w)
    row = table_ids(w).index("svc-id")
    rect = w.table.visualItemRect(w.table.item(row, 0))
    # A person's double-click: the first click selects the row, the second opens it.
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.scene.selected_node() == "svc-id"
    with qtbot.waitSignal(w.open_service_requested, timeout=2000) as blocker:
        qtbot.mouseDClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [paths["svc-id"]]


def test_double_click_graph_node_opens_that_service(qtbot, tmp_path: Path) -> None:
    paths = small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    qtbot.waitExposed(w)
    item = w.scene.nodes["svc-pay"]
    w.view.ensureVisible(item)
    pos = w.view.mapFromScene(item.sceneBoundingRect().center())
    with qtbot.waitSignal(w.open_service_requested, timeout=2000) as blocker:
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [paths["svc-pay"]]


def test_enter_on_table_row_opens_that_service(qtbot, tmp_path: Path) -> None:
    paths = small_network(tmp_path)
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    row = table_ids(w).index("svc-old")
    w.table.setCurrentCell(row, 0)
    w.table.setFocus()
    with qtbot.waitSignal(w.open_service_requested, timeout=2000) as blocker:
        qtbot.keyClick(w.table, Qt.Key.Key_Return)
    assert blocker.args == [paths["svc-old"]]


def test_unreadable_file_listed_with_reason(qtbot, tmp_path: Path) -> None:
    small_network(tmp_path)
    (tmp_path / "broken.osom").write_bytes(b"this is not a service file")
    w = open_window(qtbot, tmp_path)
    wait_loaded(qtbot, w)
    assert w.unreadable.count() == 1
    assert "broken.osom" in w.unreadable.item(0).text()
    assert w.tabs.tabText(3) == "Unreadable files (1)"
    assert "could not be read" in w.status.text()
    assert w.table.rowCount() == 4


def test_cancel_right_after_start_shows_cancelled_and_nothing_partial(qtbot, tmp_path: Path) -> None:
    for i in range(60):
        saved(document(f"Service {i:02d}", lifecycle=LifecycleStage.LIVE), tmp_path)
    w = open_window(qtbot, tmp_path)
    qtbot.mouseClick(w.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in w.status.text(), timeout=15000)
    assert w.result is None
    assert w.table.rowCount() == 0
    assert w.scene.nodes == {}
    assert not w.is_loading()
    assert w.tabs.tabText(1) == "Findings"
    # Reload reads it all.
    qtbot.mouseClick(w.reload_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, w)
    assert w.table.rowCount() == 60


def test_missing_folder_says_so(qtbot, tmp_path: Path) -> None:
    w = open_window(qtbot, tmp_path / "nowhere")
    wait_loaded(qtbot, w)
    assert w.table.rowCount() == 0
    assert "no such folder" in w.unreadable.item(0).text()


def test_closing_while_loading_stops_the_thread(qtbot, tmp_path: Path) -> None:
    for i in range(30):
        saved(document(f"Service {i:02d}"), tmp_path)
    w = open_window(qtbot, tmp_path)
    loader = w.loader
    w.close()
    assert loader is not None and not loader.isRunning()


def test_app_opens_network_and_a_service_from_it(qtbot, tmp_path: Path) -> None:
    from osom_desktop.app import DesktopApp

    paths = small_network(tmp_path)
    desktop = DesktopApp()
    w = desktop.open_network(tmp_path)
    qtbot.addWidget(w)
    wait_loaded(qtbot, w)
    w.open_service_requested.emit(paths["svc-pay"])
    assert [mw.path.resolve() for mw in desktop.windows] == [paths["svc-pay"].resolve()]
    assert desktop.windows[0].isVisible()
    for mw in desktop.windows:
        qtbot.addWidget(mw)


def test_load_network_progress_reports_each_file_and_cancels(tmp_path: Path) -> None:
    from osom_desktop.analysis.network import LoadCancelled, load_network

    small_network(tmp_path)
    seen: list[tuple[int, int]] = []
    net = load_network(tmp_path, lambda done, total: seen.append((done, total)) is None)
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(net.documents) == 4
    with pytest.raises(LoadCancelled):
        load_network(tmp_path, lambda done, total: done < 2)


def test_governance_tab_is_filled_when_shown_and_follows_a_refresh(qtbot, tmp_path: Path) -> None:
    """The governance summary reads every document: worked out when its tab is shown
    (0.5 s of GUI thread at 2,000 services on every load before), and shown right."""
    import datetime as dt

    from tests.governance.network_folder import governed_folder

    governed_folder(tmp_path / "net", dt.date.today())
    w = NetworkWindow(tmp_path / "net")
    qtbot.addWidget(w)
    w.show()
    wait_loaded(qtbot, w)
    assert "CoE(s) awaiting review" not in w.governance_tab.summary.text()  # not worked out yet
    w.tabs.setCurrentWidget(w.governance_tab)
    assert "2 CoE(s) awaiting review" in w.governance_tab.summary.text()
    # A new answer while the tab is on screen is shown at once.
    w.reload()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=15000)
    assert "2 CoE(s) awaiting review" in w.governance_tab.summary.text()
