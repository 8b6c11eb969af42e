"""What tester T3 met in the network window, each checked as met: real .osom files, the
real window and app, mouse clicks and key presses.

Double-clicking a finding opens its map; the app put its lock file beside the service
file, the folder's watch saw it and the window refreshed (as it still does for a
service saved there meanwhile). The refresh rebuilt the findings tree closed, so the
person who came back for the next finding found every kind folded and their place lost, and a finding's services (several selected) came
back as one of them, chosen by the scene's order, with that one's blast radius.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.views.network_app import drawn, kind_row, open_from_app, open_kind
from tests.views.test_network_tester_round import cycle_folder


def watched(w) -> bool:  # noqa: ANN001 - a NetworkWindow
    """Drawn, and every file watched (the watching goes a slice a turn)."""
    return drawn(w) and not w._to_watch


def test_opening_a_findings_map_keeps_the_findings_tree_and_the_selection(qtbot, tmp_path: Path) -> None:
    from tests.analysis.services import document, saved

    folder = tmp_path / "estate"  # not tmp_path: the tests' settings are written there
    folder.mkdir()
    cycle_folder(folder)
    desktop, w = open_from_app(qtbot, folder, watched)
    w.tabs.setCurrentWidget(w.findings)
    tree = w.findings
    head = open_kind(qtbot, w, "Dependency cycles")
    finding = head.child(0)
    text = finding.text(0)
    tree.scrollToItem(finding)
    at = tree.visualItemRect(finding).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    named = sorted(w.selected_services())
    assert len(named) == 3
    before = w.result
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)  # opens the map
    for mw in desktop.windows:
        qtbot.addWidget(mw)
    assert len(desktop.windows) == 1
    # While the map is open a colleague saves a service into the folder: the window refreshes.
    saved(document("Library", sid="svc-library"), folder)
    qtbot.waitUntil(lambda: w.result is not before and not w.is_loading() and not w.scene.drawing, timeout=30000)
    qtbot.wait(50)

    head = kind_row(tree, "Dependency cycles")
    assert head.isExpanded()
    assert tree.currentItem() is not None and tree.currentItem().text(0) == text
    assert sorted(w.selected_services()) == named
    assert w.selection_label.text().startswith("3 services named")
    # Down from the finding goes on to the next row, as before the refresh.
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem() is not None and tree.currentItem() is not head
    assert tree.currentItem().parent() is head.child(0) or tree.currentItem().parent() is None


def test_enter_in_the_search_steps_through_services_as_a_person_counts(qtbot, tmp_path: Path) -> None:
    """Typing "service 1" and pressing Enter stepped Service 1, 10, 100, 101, ..., 109,
    11: the order of the letters, not the one the Services table shows."""
    from tests.analysis.services import document, saved
    from tests.views.test_network_tester_round import loaded

    for n in (1, 2, 10, 11, 12, 100, 101):
        saved(document(f"Service {n}", sid=f"svc-{n}"), tmp_path)
    w = loaded(qtbot, tmp_path)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search_edit.hasFocus()
    qtbot.keyClicks(w.search_edit, "service 1")
    seen = [w.result.network.name(w.selected_services()[0])]
    for _ in range(4):
        qtbot.keyClick(w.search_edit, Qt.Key.Key_Return)
        seen.append(w.result.network.name(w.selected_services()[0]))
    assert seen == ["Service 1", "Service 10", "Service 11", "Service 12", "Service 100"]


def test_the_guidance_table_opens_in_item_order_as_a_person_counts(qtbot, tmp_path: Path) -> None:
    """The guidance table opened sorted by item, descending (G-39, G-38, ..., Qt's
    default), under a header whose arrow the person reads as ascending."""
    import datetime as dt

    from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem
    from tests.analysis.services import document, saved
    from tests.views.test_network_tester_round import loaded

    for n, items in ((1, (5, 39)), (2, (10, 2, 5)), (10, (5,))):
        doc = document(f"Service {n}", sid=f"svc-{n}")
        for i in items:
            doc.decisions.append(GuidanceDecision(
                guidance=GuidanceItem(id=f"G-{i}", title=f"Guidance {i}", text="Do it."),
                status=DecisionStatus.REJECTED, reason="does not fit our users", decided_by="Ada",
                decided_on=dt.date(2026, 1, 1)))
        saved(doc, tmp_path)
    w = loaded(qtbot, tmp_path)
    at = w.tabs.tabBar().tabRect(w.tabs.indexOf(w.guidance)).center()
    qtbot.mouseClick(w.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=at)
    assert w.tabs.currentWidget() is w.guidance
    rows = [(w.guidance.item(r, 0).text(), w.guidance.item(r, 3).text()) for r in range(w.guidance.rowCount())]
    # An item's rejections by service as a person counts too (Service 10 came before Service 2).
    assert rows == [("G-2", "Service 2"), ("G-5", "Service 1"), ("G-5", "Service 2"), ("G-5", "Service 10"),
                    ("G-10", "Service 2"), ("G-39", "Service 1")]
    assert w.guidance.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_opening_and_closing_a_map_does_not_reload_the_network(qtbot, tmp_path: Path) -> None:
    """The map's lock file (hidden, ``.~lock.NAME#``) beside the service files is nothing
    the network reads; its coming and going reloaded the whole window (the graph drawn
    again) twice per map opened. A service file saved there still does (last check)."""
    from osom_desktop.views.network_window import REFRESH_DELAY_MS
    from tests.analysis.services import document, saved
    from tests.views.test_network_tester_round import click_node

    folder = tmp_path / "estate"  # not tmp_path: the tests' settings are written there
    folder.mkdir()
    cycle_folder(folder)
    desktop, w = open_from_app(qtbot, folder, watched)
    before = w.result
    click_node(qtbot, w, "Payments")
    qtbot.mouseClick(w.open_button, Qt.MouseButton.LeftButton)
    assert len(desktop.windows) == 1
    mw = desktop.windows[0]  # closed below (it deletes itself), so not given to qtbot
    assert list(folder.glob(".~lock.*#"))  # the map holds its lock file
    qtbot.wait(REFRESH_DELAY_MS + 700)
    assert w.result is before and not w.is_loading()
    mw.close()
    qtbot.waitUntil(lambda: not list(folder.glob(".~lock.*#")), timeout=10000)
    qtbot.wait(REFRESH_DELAY_MS + 700)
    assert w.result is before and not w.is_loading()
    saved(document("Library", sid="svc-library"), folder)  # a real change is still seen
    qtbot.waitUntil(lambda: w.result is not before and "Library" in [r["name"] for r in w.result.rows]
                    and not w.is_loading(), timeout=30000)


def test_double_click_or_enter_on_a_kind_of_finding_opens_it_not_a_map(qtbot, tmp_path: Path) -> None:
    """Double-clicking "Dependency cycles (1)" (or Enter on it) opened the map of its
    first service, a map the person had not asked for; it opens the row, as a tree does."""
    folder = tmp_path / "estate"
    folder.mkdir()
    cycle_folder(folder)
    desktop, w = open_from_app(qtbot, folder)
    w.tabs.setCurrentWidget(w.findings)
    tree = w.findings
    head = kind_row(tree, "Dependency cycles")
    at = tree.visualItemRect(head).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert desktop.windows == []
    assert head.isExpanded()
    tree.setFocus()
    tree.setCurrentItem(head)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert desktop.windows == []
    assert not head.isExpanded()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert head.isExpanded() and head.childCount() == 1
    # A finding's row still opens its map with Enter.
    tree.setCurrentItem(head.child(0))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    for mw in desktop.windows:
        qtbot.addWidget(mw)
    assert len(desktop.windows) == 1
