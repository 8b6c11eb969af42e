"""A group of services depending on each other is one finding in the network window,
naming every one of them; double-clicking it still opens the map whose dependency
closes the loop, with that component selected, and double-clicking a service under it
opens that service with its own link in the group selected (issue 13/14)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.views.network_findings import IDS_ROLE
from tests.analysis.services import component, dependency, document, saved
from tests.views.network_app import open_from_app, open_kind

# Ann <-> Bea, Bea <-> Cal: one group of three, whose shortest loop (Ann -> Bea -> Ann)
# leaves Cal off it. Each link is also a component provided by the service depended on.
LINKS = {"Ann": ["Bea"], "Bea": ["Ann", "Cal"], "Cal": ["Bea"]}


def group_folder(folder: Path) -> None:
    for name, deps in LINKS.items():
        saved(document(name,
                       deps=[dependency(d, f"svc-{d.lower()}") for d in deps],
                       components=[component(f"{d} API", by=d, by_id=f"svc-{d.lower()}") for d in deps]), folder)


def opened(qtbot, tmp_path: Path):
    group_folder(tmp_path)
    desktop, w = open_from_app(qtbot, tmp_path)
    w.tabs.setCurrentWidget(w.findings)
    return desktop, w, w.findings, open_kind(qtbot, w, "Dependency cycles")


def double_click(qtbot, tree, item) -> None:
    tree.scrollToItem(item)
    at = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_one_finding_names_the_whole_group_and_opens_where_its_loop_closes(qtbot, tmp_path: Path) -> None:
    desktop, w, tree, head = opened(qtbot, tmp_path)
    assert head.text(0) == "Dependency cycles (1)"  # was 2: Ann-Bea and Bea-Cal, Bea counted twice
    [finding] = [head.child(i) for i in range(head.childCount())]
    assert finding.text(0) == ("dependency cycle: Ann -> Bea -> Ann, in a group of 3 services depending on each "
                               "other: Ann, Bea, Cal")
    assert sorted(w.result.network.name(s) for s in finding.data(0, IDS_ROLE)) == ["Ann", "Bea", "Cal"]
    assert {r["name"]: r["findings"] for r in w.result.rows} == {"Ann": 1, "Bea": 1, "Cal": 1}
    double_click(qtbot, tree, finding)
    for mw in desktop.windows:
        qtbot.addWidget(mw)
    assert [mw.path.name for mw in desktop.windows] == ["bea.osom"]  # Bea's dependency on Ann closes the loop
    assert desktop.windows[0].view.selected_component_ids() == ["c-ann-api"]


def test_a_service_off_the_loop_opens_with_its_link_in_the_group_selected(qtbot, tmp_path: Path) -> None:
    desktop, w, tree, head = opened(qtbot, tmp_path)
    finding = head.child(0)
    tree.setCurrentItem(finding)
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # open the finding: its services
    cal = next(finding.child(i) for i in range(finding.childCount()) if finding.child(i).text(0) == "Cal")
    double_click(qtbot, tree, cal)
    for mw in desktop.windows:
        qtbot.addWidget(mw)
    assert [mw.path.name for mw in desktop.windows] == ["cal.osom"]
    assert desktop.windows[0].view.selected_component_ids() == ["c-bea-api"]
