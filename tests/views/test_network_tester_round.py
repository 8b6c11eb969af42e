"""What a person-like tester found in the executive's network window, each checked as
they met it: real .osom files, the real window, mouse clicks and key presses.

A filter hiding the selected service left its outline and its blast-radius line behind;
the window was taller than a 1280x800 screen and opened on the drawing's top-left
corner; a cycle's finding opened a map with nothing selected; the lifecycle filter was
alphabetical; the executive pack's export said where it went but offered no Open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFrame, QPushButton

from osom_desktop.analysis.network_layout import FONT_PX
from osom_desktop.model.service import LifecycleStage
from osom_desktop.views.network_window import SELECT_HINT, TABLE_COLUMNS, NetworkWindow
from tests.analysis.services import TODAY, component, dependency, document, saved

LIVE, ALPHA = LifecycleStage.LIVE, LifecycleStage.ALPHA


def chain(folder: Path) -> None:
    """Portal -> Payments -> Print -> Hosting; Benefits -> Print; Library alone; Hosting <-> Backup."""
    for name, deps, life in (
        ("Portal", ["Payments"], LIVE), ("Payments", ["Print"], LIVE), ("Print", ["Hosting"], LIVE),
        ("Benefits", ["Print"], LIVE), ("Hosting", ["Backup"], LIVE), ("Backup", ["Hosting"], ALPHA),
        ("Library", [], ALPHA),
    ):
        saved(document(name, lifecycle=life, deps=[dependency(d) for d in deps], manager=f"{name} lead"), folder)


def loaded(qtbot, folder: Path, size: tuple[int, int] | None = (1280, 800)) -> NetworkWindow:
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    if size is not None:
        w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.result is not None and not w.scene.drawing and not w.is_loading(), timeout=30000)
    return w


def sid(w: NetworkWindow, name: str) -> str:
    return next(r["service_id"] for r in w.result.rows if r["name"] == name)


def lit(w: NetworkWindow) -> dict[str, str]:
    """Services outlined on the graph, by name, with how."""
    net = w.result.network
    return {net.name(n): item.role for n, item in w.scene.nodes.items() if item.role}


def click_node(qtbot, w: NetworkWindow, name: str) -> None:
    item = w.scene.nodes[sid(w, name)]
    w.view.centerOn(item)
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=w.view.mapFromScene(item.sceneBoundingRect().center()))


def empty_spot(w: NetworkWindow) -> QPoint:
    """A point of the graph's viewport with nothing drawn under it."""
    vp = w.view.viewport().rect()
    for y in range(5, vp.height() - 5, 7):
        for x in range(5, vp.width() - 5, 7):
            if not w.view.items(QPoint(x, y)):
                return QPoint(x, y)
    raise AssertionError("no empty spot on the graph")


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick ``text`` in a filter from the keyboard (Down from "(all)", as a person would)."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, [combo.itemText(i) for i in range(combo.count())]


def assert_nothing_selected(w: NetworkWindow) -> None:
    assert w.selected_services() == []
    assert lit(w) == {}  # no outline, no blast radius left on the graph
    assert w.selection_label.text() == SELECT_HINT
    assert w.table.selectedItems() == []
    assert not w.open_button.isEnabled()


@pytest.mark.parametrize(("filter_name", "choice"), [
    ("lifecycle_filter", "alpha"),  # Print is live
    ("kind_filter", "Dependency cycles"),  # names Hosting and Backup, not Print
    ("manager_filter", "Library lead"),
])
def test_a_filter_hiding_the_selected_service_clears_the_selection(qtbot, tmp_path: Path, filter_name, choice) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    click_node(qtbot, w, "Print")
    assert lit(w)["Print"] == "selected" and "affected if it fails" in w.selection_label.text()
    choose(qtbot, getattr(w, filter_name), choice)
    assert_nothing_selected(w)
    assert w.scene.nodes[sid(w, "Print")].opacity() < 0.5  # still dimmed by the filter


def test_a_filter_that_keeps_the_selected_service_keeps_it(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    click_node(qtbot, w, "Backup")
    choose(qtbot, w.lifecycle_filter, "alpha")
    assert lit(w)["Backup"] == "selected" and "Backup" in w.selection_label.text()


def test_a_search_naming_no_service_lets_go_of_the_one_found_before(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(w.search_edit, "bene")
    assert lit(w).get("Benefits") == "selected"
    qtbot.keyClicks(w.search_edit, "zz")
    assert "No service named like" in w.status.text()
    assert_nothing_selected(w)
    # Back to a name that matches: the status line says what the network is again
    # (it kept saying "No service named like 'benezz'" beside the found service).
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Backspace)
    assert lit(w).get("Benefits") == "selected"
    assert "No service named" not in w.status.text() and " services" in w.status.text()
    qtbot.keyClicks(w.search_edit, "zz")
    assert "No service named" in w.status.text()
    qtbot.keyClick(w.search_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Delete)  # the search emptied: no message about it
    assert w.search_edit.text() == "" and "No service named" not in w.status.text()


def test_clicking_the_empty_graph_or_escape_clears_the_selection_line(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    click_node(qtbot, w, "Print")
    assert "affected if it fails" in w.selection_label.text()
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=empty_spot(w))
    assert_nothing_selected(w)
    click_node(qtbot, w, "Hosting")
    assert "Hosting" in w.selection_label.text()
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)
    assert_nothing_selected(w)


def forty(folder: Path) -> None:
    """40 services in the shape of the bench's folders: each depends on 1-3 earlier ones,
    so the first few are depended on by most; "Service 00" by the most."""
    import random

    rnd = random.Random(7)
    for i in range(40):
        deps = sorted({rnd.randrange(i) if rnd.random() < 0.7 else rnd.randrange(min(i, 3))
                       for _ in range(rnd.randint(1, 3))}) if i else []
        saved(document(f"Service {i:02d}", sid=f"svc-{i}", lifecycle=list(LifecycleStage)[i % 5],
                       deps=[dependency(f"Service {j:02d}", f"svc-{j}") for j in deps], manager=f"Manager {i % 7}"),
              folder)


def test_the_window_fits_the_screen_and_opens_readable_on_the_most_depended_on(qtbot, tmp_path: Path) -> None:
    forty(tmp_path)
    w = loaded(qtbot, tmp_path, size=None)  # the window's own size, as the app opens it
    room = w.screen().availableGeometry()
    assert w.frameGeometry().width() <= room.width() and w.frameGeometry().height() <= room.height(), \
        (w.frameGeometry(), room)
    # Labels of 9 pt (12 px) or more at the default zoom, however many services.
    assert w.view.zoom() * FONT_PX >= 12 - 1e-6
    hub = max(w.result.network.documents, key=lambda n: len(w.result.answers.affected[n]))
    box = w.view.mapFromScene(w.scene.nodes[hub].sceneBoundingRect()).boundingRect()
    assert w.view.viewport().rect().contains(box), (box, w.view.viewport().rect())
    # Fit (Ctrl+0) still shows everything, however small.
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.view.viewport().rect().adjusted(-2, -2, 2, 2).contains(  # once the scroll bars go
        w.view.mapFromScene(w.scene.sceneRect()).boundingRect()), timeout=2000)


def test_a_small_network_that_fits_readable_is_shown_whole(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    assert w.view.zoom() * FONT_PX >= 12 - 1e-6
    for item in w.scene.nodes.values():
        assert w.view.viewport().rect().contains(w.view.mapFromScene(item.sceneBoundingRect()).boundingRect())


def cycle_folder(folder: Path) -> None:
    """Portal -> Payments -> Ledger -> Portal, each link a component provided by the next."""
    ring = ["Portal", "Payments", "Ledger"]
    for i, name in enumerate(ring):
        nxt = ring[(i + 1) % 3]
        saved(document(name, lifecycle=LIVE, deps=[dependency(nxt, f"svc-{nxt.lower()}")],
                       components=[component(f"{name} screens"),
                                   component(f"{nxt} API", by=nxt, by_id=f"svc-{nxt.lower()}")]), folder)


def test_double_clicking_a_cycle_opens_where_it_closes_with_that_component_selected(qtbot, tmp_path: Path) -> None:
    from tests.views.network_app import open_from_app, open_kind

    cycle_folder(tmp_path)
    desktop, w = open_from_app(qtbot, tmp_path)
    w.tabs.setCurrentWidget(w.findings)
    tree = w.findings
    head = open_kind(qtbot, w, "Dependency cycles")
    finding = head.child(0)
    names = finding.text(0).removeprefix("dependency cycle: ").split(" -> ")  # A -> B -> C -> A
    closing, closed = names[-2], names[0]
    tree.scrollToItem(finding)
    # A person's double-click: the first click chooses the finding, the second opens it.
    at = tree.visualItemRect(finding).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    for mw in desktop.windows:
        qtbot.addWidget(mw)
    assert [mw.path.name for mw in desktop.windows] == [f"{closing.lower()}.osom"]
    view = desktop.windows[0].view
    assert view.selected_component_ids() == [f"c-{closed.lower()}-api"]


def test_lifecycle_filter_lists_stages_in_lifecycle_order(qtbot, tmp_path: Path) -> None:
    for name, life in (("Old", LifecycleStage.RETIRED), ("Main", LIVE), ("New", ALPHA),
                       ("Idea", LifecycleStage.DISCOVERY), ("Trial", LifecycleStage.BETA)):
        saved(document(name, lifecycle=life), tmp_path)
    w = loaded(qtbot, tmp_path)
    combo = w.lifecycle_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "(all)", "discovery", "alpha", "beta", "live", "retired"]


def click_header(qtbot, table, col: int) -> None:
    header = table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(col) + header.sectionSize(col) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_numeric_columns_sort_as_numbers_when_the_header_is_clicked(qtbot, tmp_path: Path) -> None:
    """The Services tab's counts, and the Fitness tab's budgets (whose cells show text
    such as "10.00 GBP": they sorted as text, 1, 10, 11, 2)."""
    import datetime as dt

    from osom_desktop.model.service import Budget

    for n in (1, 2, 10, 11, 3):
        doc = document(f"Needs {n}", deps=[dependency(f"Vendor {v}") for v in range(n)])
        doc.budgets = [Budget(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=n, unit="GBP")]
        saved(doc, tmp_path)
    w = NetworkWindow(tmp_path, today=dt.date(2026, 8, 1))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)

    def number(table, row: int, col: int) -> int:
        return int(float(table.item(row, col).text().split()[0]))

    fitness = w.fitness_tab
    for tab, table, col in ((w.table, w.table, [k for k, _, _ in TABLE_COLUMNS].index("dependencies")),
                            (fitness, fitness.services, 2)):  # Budget (current)
        w.tabs.setCurrentWidget(tab)
        assert table.rowCount() == 5
        for _ in range(2):  # one way, then the other
            click_header(qtbot, table, col)
            values = [number(table, r, col) for r in range(table.rowCount())]
            assert values in (sorted(values), sorted(values, reverse=True)), values
            # Whole rows move: each service's name still matches its number.
            assert [int(table.item(r, 0).text().split()[1]) for r in range(table.rowCount())] == values


def test_the_executive_pack_offers_open_and_show_in_folder(qtbot, tmp_path: Path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    folder = tmp_path / "estate"
    chain(folder)
    w = loaded(qtbot, folder)
    out = tmp_path / "packs" / "board.html"
    out.parent.mkdir()
    job = w.export_pack(out)
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    notices = [f for f in w.findChildren(QFrame, "exportNotice") if f.isVisible()]
    assert len(notices) == 1
    buttons = {b.text(): b for b in notices[0].findChildren(QPushButton)}
    qtbot.mouseClick(buttons["Show in Folder"], Qt.MouseButton.LeftButton)
    assert opened == [str(out.parent.resolve())]
    job = w.export_pack(out)
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    notice = next(f for f in w.findChildren(QFrame, "exportNotice") if f.isVisible())
    qtbot.mouseClick({b.text(): b for b in notice.findChildren(QPushButton)}["Open"], Qt.MouseButton.LeftButton)
    assert opened[-1] == str(out.resolve())


def test_a_deep_folder_path_does_not_widen_the_window_past_the_screen(qtbot, tmp_path: Path) -> None:
    # "Loading /a/deep/folder …" in the status line asked for its whole width, so under a
    # long path the window grew wider than the screen (seen under pytest's own long paths).
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / ("and-deeper-still-" * 4)
    deep.mkdir(parents=True)
    forty(deep)
    w = loaded(qtbot, deep, size=None)
    room = w.screen().availableGeometry()
    w.status.setText(f"{deep} changed on disk — updating …")
    qtbot.wait(50)
    assert w.frameGeometry().width() <= room.width(), (w.frameGeometry(), room)
    assert str(deep) in w.status.toolTip()  # the whole path is still there to read
