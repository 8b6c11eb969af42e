"""A refresh shows the new answer in small steps without leaving anything of the old one.

The window fills a new answer over the old table rows and drops the extra rows a
slice at a time, and takes the old drawing off the scene a slice at a time (emptying
either at once held the GUI thread 70-170 ms at 2,000 services). Here the slices are
made tiny so a dozen real service files take many steps: after the refresh exactly
the new services are listed, each row's cells belong to one service, the scene holds
only the new drawing, the selection survives, and the view is repainted once the
drawing is complete, not after each slice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from osom_desktop.views import network_graph, network_table
from osom_desktop.views.network_graph import EdgeItem, NodeItem
from osom_desktop.views.network_table import ID_ROLE
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved

NAMES = [f"Service {chr(ord('A') + i)}" for i in range(12)]


@pytest.fixture(autouse=True)
def tiny_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network_table, "TABLE_SLICE", 3)
    monkeypatch.setattr(network_graph, "SLICE_MS", 0.0)  # one item per event-loop turn


def folder_of(folder: Path, names: list[str]) -> dict[str, Path]:
    """Services each depending on the one before (a chain: edges to draw)."""
    paths = {}
    for i, name in enumerate(names):
        sid = f"svc-{name[-1].lower()}"
        deps = [dependency(names[i - 1], f"svc-{names[i - 1][-1].lower()}")] if i else []
        paths[sid] = saved(document(name, sid=sid, deps=deps), folder)
    return paths


def open_loaded(qtbot, folder: Path) -> NetworkWindow:
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading() and not w.scene.drawing, timeout=20000)
    return w


def rows(w: NetworkWindow) -> list[tuple[str, str]]:
    """(id, name) of each row, checking every cell of the row carries the same id."""
    out = []
    for r in range(w.table.rowCount()):
        ids = {w.table.item(r, c).data(ID_ROLE) for c in range(w.table.columnCount())}
        assert len(ids) == 1, f"row {r} mixes services {ids}"
        out.append((ids.pop(), w.table.item(r, 0).text()))
    return out


def only_the_new_drawing(w: NetworkWindow) -> None:
    items = w.scene.items()
    nodes = [i for i in items if isinstance(i, NodeItem)]
    edges = [i for i in items if isinstance(i, EdgeItem)]
    assert sorted(n.node for n in nodes) == sorted(w.scene.nodes) == sorted(w.result.network.graph.nodes)
    assert len(edges) == len(w.scene.edges) == w.result.network.graph.number_of_edges()
    assert len(items) == 2 * len(nodes) + len(edges)  # each node's label is its only child


def wait_refreshed(qtbot, w: NetworkWindow, count: int) -> None:
    qtbot.waitUntil(lambda: w.result is not None and len(w.result.network.documents) == count
                    and not w.is_loading() and not w.scene.drawing, timeout=30000)


def test_fewer_then_more_services_after_refreshes(qtbot, tmp_path: Path) -> None:
    paths = folder_of(tmp_path, NAMES)
    w = open_loaded(qtbot, tmp_path)
    assert [name for _, name in rows(w)] == NAMES
    only_the_new_drawing(w)
    w.select_service("svc-b")

    for sid in ("svc-c", "svc-e", "svc-f", "svc-g", "svc-h", "svc-i", "svc-j", "svc-k"):
        paths[sid].unlink()
    wait_refreshed(qtbot, w, 4)
    assert rows(w) == [("svc-a", "Service A"), ("svc-b", "Service B"), ("svc-d", "Service D"), ("svc-l", "Service L")]
    assert not any(w.table.isRowHidden(r) for r in range(w.table.rowCount()))
    only_the_new_drawing(w)
    assert w.scene.selected_node() == "svc-b" and w.selected_services() == ["svc-b"]
    assert [w.service_id_at(r) for r in {i.row() for i in w.table.selectedItems()}] == ["svc-b"]

    folder_of(tmp_path / "more", [f"Extra {i:02d}" for i in range(9)])
    wait_refreshed(qtbot, w, 13)
    assert len(rows(w)) == 13 and len({sid for sid, _ in rows(w)}) == 13
    assert [name for _, name in rows(w)] == sorted(name for _, name in rows(w))
    only_the_new_drawing(w)


def test_the_view_is_repainted_once_the_drawing_is_complete(qtbot, tmp_path: Path) -> None:
    folder_of(tmp_path, NAMES[:6])
    w = open_loaded(qtbot, tmp_path)
    viewport = w.view.viewport()
    assert viewport.updatesEnabled()
    seen: list[tuple[str, bool, bool]] = []
    show = w.scene.show_layout

    def observed(*args) -> None:  # the real show_layout, then a look at the view
        show(*args)
        seen.append(("started", w.scene.drawing, viewport.updatesEnabled()))

    w.scene.show_layout = observed
    w.scene.drawn.connect(lambda: seen.append(("drawn", w.scene.drawing, viewport.updatesEnabled())))
    w.refresh()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "drawn", timeout=20000)
    # The half-made drawing is not painted; the whole one is.
    assert seen == [("started", True, False), ("drawn", False, True)]
    qtbot.waitUntil(lambda: not w.is_loading(), timeout=20000)
    only_the_new_drawing(w)


def test_reload_empties_the_scene_a_slice_at_a_time(qtbot, tmp_path: Path) -> None:
    folder_of(tmp_path, NAMES[:6])
    w = open_loaded(qtbot, tmp_path)
    w.reload()
    assert w.scene.nodes == {} and w.scene.edges == []  # nothing of the old answer is current
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading() and not w.scene.drawing, timeout=20000)
    only_the_new_drawing(w)


def test_reload_empties_the_tables_a_few_rows_a_turn(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder_of(tmp_path, NAMES)
    w = open_loaded(qtbot, tmp_path)
    monkeypatch.setattr(network_table, "TABLE_SLICE", 1)  # 4 rows a turn
    w.reload()
    assert w.table.rowCount() == 8  # not all at once
    w.cancel()
    qtbot.waitUntil(lambda: "cancelled" in w.status.text(), timeout=20000)
    qtbot.waitUntil(lambda: w.table.rowCount() == 0 and w.guidance.rowCount() == 0, timeout=5000)
    assert w.result is None and w.scene.nodes == {}
    w.reload()  # and a load finishing while rows are still being dropped fills over them
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading() and not w.scene.drawing, timeout=20000)
    assert [name for _, name in rows(w)] == NAMES


def test_files_are_watched_a_slice_at_a_time_and_a_save_is_seen(qtbot, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from osom_desktop.storage import open_document, save_document
    from osom_desktop.views import network_window
    from osom_desktop.views.network_loader import watched_paths

    monkeypatch.setattr(network_window, "WATCH_SLICE", 2)
    paths = folder_of(tmp_path / "a", NAMES[:3])
    paths.update(folder_of(tmp_path / "b", NAMES[3:6]))
    w = open_loaded(qtbot, tmp_path)
    expected = watched_paths(tmp_path)
    assert len(expected) == 9  # the folder, two subfolders, six files
    qtbot.waitUntil(lambda: set(w.watcher.files()) | set(w.watcher.directories()) == expected, timeout=5000)
    first = w.result
    qtbot.wait(1200)  # more than the refresh delay: watching everything asked for no refresh
    assert w.result is first and not w.refresh_timer.isActive()
    doc = open_document(paths["svc-e"])
    doc.service.name = "Renamed E"
    save_document(doc, paths["svc-e"], author="tests")
    qtbot.waitUntil(lambda: "Renamed E" in [name for _, name in rows(w)], timeout=20000)
