"""What a person-like tester found in the network window, second round, each checked as
they met it: real .osom files, the real window, mouse clicks and key presses.

Reload with two services selected raised "generator already executing" (a selected item
leaving the scene mid-step asked the drawing to finish from inside its own step); a
finding, or the Findings tab, selected services the filters hid; a duplicate file left
out was counted as unreadable; the header kept the whole network's count under a filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.model.service import LifecycleStage
from osom_desktop.views.network_findings import IDS_ROLE
from osom_desktop.views.network_window import SELECT_HINT
from tests.analysis.services import dependency, document, saved
from tests.views.network_app import drawn, open_from_app, open_kind
from tests.views.test_network_tester_round import choose, forty, lit, loaded


def node_point(w, sid: str):
    item = w.scene.nodes[sid]
    w.view.ensureVisible(item, 10, 10)
    return w.view.mapFromScene(item.sceneBoundingRect().center())


def test_reload_with_two_services_selected_raises_nothing(qtbot, tmp_path: Path) -> None:
    forty(tmp_path)
    w = loaded(qtbot, tmp_path)
    for sid in ("svc-24", "svc-6"):  # Ctrl+click: both selected
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                         pos=node_point(w, sid))
    assert sorted(w.selected_services()) == ["svc-24", "svc-6"]
    qtbot.keyClick(w, Qt.Key.Key_F5)  # pytest-qt fails the test on an exception in a slot
    qtbot.waitUntil(lambda: drawn(w), timeout=30000)
    assert w.selected_services() == [] and lit(w) == {}
    assert w.selection_label.text() == SELECT_HINT
    # The redrawn graph answers clicks as before.
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=node_point(w, "svc-6"))
    assert w.selected_services() == ["svc-6"] and "Service 06" in w.selection_label.text()


def cyclic_forty(folder: Path) -> Path:
    """``forty``'s 40 services (every lifecycle stage in turn) with three dependencies
    back up the chain, so dependency cycles run through live services and others."""
    import random

    rnd = random.Random(7)
    back = {0: 13, 1: 18, 2: 23}
    for i in range(40):
        deps = sorted({rnd.randrange(i) if rnd.random() < 0.7 else rnd.randrange(min(i, 3))
                       for _ in range(rnd.randint(1, 3))}) if i else []
        deps += [back[i]] if i in back else []
        saved(document(f"Service {i:02d}", sid=f"svc-{i}", lifecycle=list(LifecycleStage)[i % 5],
                       deps=[dependency(f"Service {j:02d}", f"svc-{j}") for j in deps], manager=f"Manager {i % 7}"),
              folder)
    return folder


def click_tab(qtbot, w, widget) -> None:
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(w.tabs.indexOf(widget)).center())


def assert_all_shown(w) -> None:
    """Nothing the filters hide is selected, outlined or described."""
    shown, net = w.shown_services(), w.result.network
    assert shown is not None
    assert [net.name(n) for n in w.selected_services() if n not in shown] == []
    assert {name for name, role in lit(w).items() if role in ("selected", "named")} <= {net.name(n) for n in shown}


def test_the_findings_tab_never_selects_what_the_filter_hides(qtbot, tmp_path: Path) -> None:
    w = loaded(qtbot, cyclic_forty(tmp_path))
    w.activateWindow()
    qtbot.waitActive(w)
    choose(qtbot, w.lifecycle_filter, "live")
    row = next(r for r in range(w.table.rowCount()) if not w.table.isRowHidden(r))
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=w.table.visualItemRect(w.table.item(row, 0)).center())
    click_tab(qtbot, w, w.findings)  # the focus goes into the tree, which chooses its first row
    assert w.findings.currentItem() is not None
    assert_all_shown(w)
    named = len(w.findings.currentItem().data(0, IDS_ROLE))
    kept = len(w.selected_services())
    assert 0 < kept < named
    assert w.selection_label.text().startswith(f"{named} services named, {named - kept} hidden by the filters: ")


def test_back_from_a_cycle_finding_s_map_nothing_hidden_is_selected(qtbot, tmp_path: Path) -> None:
    folder = cyclic_forty(tmp_path)
    desktop, w = open_from_app(qtbot, folder, activate=True)
    choose(qtbot, w.lifecycle_filter, "live")
    click_tab(qtbot, w, w.findings)
    tree = w.findings
    head = open_kind(qtbot, w, "Dependency cycles")
    shown = w.shown_services()
    finding = next(head.child(i) for i in range(head.childCount())
                   if set(head.child(i).data(0, IDS_ROLE)) - shown)  # names a hidden service
    tree.scrollToItem(finding)
    at = tree.visualItemRect(finding).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert_all_shown(w)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert desktop.windows, "the finding's map opened"
    for mw in list(desktop.windows):
        mw.close()
    w.activateWindow()
    qtbot.wait(50)
    assert_all_shown(w)
    assert "hidden by the filters" in w.selection_label.text()


def test_a_duplicate_file_left_out_is_not_counted_as_unreadable(qtbot, tmp_path: Path) -> None:
    import os
    import shutil

    folder = cyclic_forty(tmp_path)
    original = folder / "service-00.osom"
    copy = folder / "service-00 (copy).osom"
    shutil.copy2(original, copy)
    os.utime(copy, (original.stat().st_mtime - 3600,) * 2)  # the older copy is the one left out
    w = loaded(qtbot, folder)
    status = w.status.text()
    assert "could not be read" not in status, status
    assert "1 older copy left out — see Findings" in status, status
    assert w.tabs.tabText(3) == "Unreadable files (0)"
    texts = [w.unreadable.item(i).text() for i in range(w.unreadable.count())]
    assert len(texts) == 2 and texts[0].startswith("Older copies left out"), texts
    assert "service-00 (copy).osom: left out" in texts[1]
    assert not w.unreadable.item(0).flags() & Qt.ItemFlag.ItemIsSelectable  # a heading, not a file
    # A file that truly cannot be read is still counted and listed apart, above the copies.
    (folder / "broken.osom").write_bytes(b"not a service file")
    qtbot.keyClick(w, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: drawn(w), timeout=30000)
    status = w.status.text()
    assert "1 file(s) could not be read — see Unreadable files" in status and "1 older copy left out" in status
    assert w.tabs.tabText(3) == "Unreadable files (1)"
    texts = [w.unreadable.item(i).text() for i in range(w.unreadable.count())]
    assert texts[0].startswith("broken.osom") and texts[1].startswith("Older copies left out"), texts


def test_the_header_says_how_many_services_a_filter_shows(qtbot, tmp_path: Path) -> None:
    w = loaded(qtbot, cyclic_forty(tmp_path))
    assert ": 40 services, " in w.status.text()
    choose(qtbot, w.lifecycle_filter, "live")
    live = sum(1 for r in range(w.table.rowCount()) if not w.table.isRowHidden(r))
    assert 0 < live < 40
    assert f": {live} of 40 services shown, " in w.status.text(), w.status.text()
    w.lifecycle_filter.setFocus()
    qtbot.keyClick(w.lifecycle_filter, Qt.Key.Key_Home)  # back to "(all)"
    assert w.lifecycle_filter.currentText() == "(all)"
    assert ": 40 services, " in w.status.text(), w.status.text()


def test_a_click_while_the_old_drawing_leaves_selects_once_drawn(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A click on a node of the drawing still shown while it leaves the scene: finishing
    the drawing inside Qt's handling of that press deleted the item pressed (a crash)."""
    from osom_desktop.views import network_graph

    forty(tmp_path)
    w = loaded(qtbot, tmp_path)
    at = node_point(w, "svc-6")
    monkeypatch.setattr(network_graph, "SLICE_MS", 0.0)  # one item a turn: a slow machine's pace
    qtbot.keyClick(w, Qt.Key.Key_F5)
    assert w.scene.drawing and w.scene.itemAt(w.view.mapToScene(at), w.view.transform()) is not None
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=at)  # on the leaving Service 06
    qtbot.waitUntil(lambda: drawn(w), timeout=30000)
    assert w.selected_services() == ["svc-6"] and "Service 06" in w.selection_label.text()
    assert lit(w)["Service 06"] == "selected"
