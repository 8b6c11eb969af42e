"""The network window's findings tree: one row per kind of finding, its findings under
it, and under each finding the services it names.

Only the kinds are made when an answer is shown; a kind's findings, and a finding's
services, are made the first time the row is opened (tens of thousands of rows at 200
services froze the window for a second). Every row carries the ids of the services it
names (``IDS_ROLE``), so choosing any row selects them; ``open_target`` says which map
a row opens and which of its components to select there.

A new answer for the same folder (a refresh after a change on disk: opening a
finding's map is one, its lock file lands beside the service files) opens again the
rows that were open and makes the row that was current current again
(``tree_state``/``restore_tree_state``): the tree came back folded, the person's place
lost each time they opened a map from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from osom_desktop.analysis.findings import Finding
from osom_desktop.analysis.network import Network, closing_loop
from osom_desktop.views.network_table import one_line

IDS_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
KEY_ROLE = Qt.ItemDataRole.UserRole + 4  # a kind's title, without its count (which a refresh may change)

Path = tuple[str, ...]  # a row's place: its key, and its parents' before it

Group = Mapping[str, Any]  # ``analysis.network.finding_groups``: title, items, service_ids


def make_findings_tree() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderHidden(True)
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    return tree


def fill_findings(tree: QTreeWidget, groups: Sequence[Group], network: Network) -> None:
    """One closed row per kind of finding. The row keeps its kind's index in ``groups``,
    not the kind itself: a dict in item data is copied into Qt (slow, and lossy)."""
    tree.clear()
    for index, g in enumerate(groups):
        head = QTreeWidgetItem([f"{g['title']} ({len(g['items'])})"])
        head.setData(0, IDS_ROLE, [s for s in g["service_ids"] if s in network.graph])
        head.setData(0, GROUP_ROLE, index)
        head.setData(0, KEY_ROLE, g["title"])
        head.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        tree.addTopLevelItem(head)


def _tops(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return [i for i in map(tree.topLevelItem, range(tree.topLevelItemCount())) if i is not None]


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for c in map(item.child, range(item.childCount())) if c is not None]


def _key(item: QTreeWidgetItem) -> str:
    """What names a row across answers: a kind's title, a finding's text, a service's id."""
    key = item.data(0, KEY_ROLE)
    parent = item.parent()
    if key is None and parent is not None and parent.parent() is not None:
        key = "\0".join(named_ids(item))
    return str(key if key is not None else item.text(0))


def _path(item: QTreeWidgetItem) -> Path:
    keys = []
    at: QTreeWidgetItem | None = item
    while at is not None:
        keys.append(_key(at))
        at = at.parent()
    return tuple(reversed(keys))


def tree_state(tree: QTreeWidget) -> tuple[set[Path], Path | None, int]:
    """The open rows, the current row and the scroll position, by what the rows say."""
    opened: set[Path] = set()
    todo = _tops(tree)
    while todo:
        item = todo.pop()
        if item.isExpanded():
            opened.add(_path(item))
            todo.extend(_children(item))
    current = tree.currentItem()
    return opened, (_path(current) if current is not None else None), tree.verticalScrollBar().value()


def restore_tree_state(tree: QTreeWidget, state: tuple[set[Path], Path | None, int],
                       groups: Sequence[Group], network: Network) -> None:
    """Open again the rows still there that were open, and make the current row current
    again, without choosing it: the selection is the window's to restore (the person
    may have clicked a service on the graph since choosing the finding)."""
    opened, current, scroll = state
    if not opened and current is None:
        return
    blocker = QSignalBlocker(tree)  # the window hears neither the rows opening nor the current row
    try:
        found: QTreeWidgetItem | None = None
        level = _tops(tree)
        while level:
            below: list[QTreeWidgetItem] = []
            for item in level:
                path = _path(item)
                if current is not None and path == current[:len(path)] and len(path) == len(current):
                    found = found or item
                if path in opened:
                    expand_finding(item, groups, network)
                    item.setExpanded(True)
                    below.extend(_children(item))
            level = below
        if found is not None:
            tree.setCurrentItem(found)
        tree.verticalScrollBar().setValue(scroll)
    finally:
        blocker.unblock()


def named_ids(item: QTreeWidgetItem | None) -> list[str]:
    """The services a row of the tree names (none for no row)."""
    return list(item.data(0, IDS_ROLE) or []) if item is not None else []


def expand_finding(item: QTreeWidgetItem, groups: Sequence[Group], network: Network) -> None:
    """Fill a kind's findings, or a finding's services, the first time it is opened."""
    if item.childCount():
        return
    index = item.data(0, GROUP_ROLE)
    if index is not None:
        _add_findings(item, groups[index], network)
    else:
        _add_services(item, network)


def _finding_ids(entry: Mapping[str, Any], network: Network) -> list[str]:
    """The services a finding names that are in the graph; a finding that names none but
    is about a service (its element) names that one."""
    ids = [s for s in entry["service_ids"] if s in network.graph]
    if not ids and entry["finding"].element_id in network.graph:
        ids = [entry["finding"].element_id]
    return ids


def _add_findings(head: QTreeWidgetItem, group: Group, network: Network) -> None:
    for entry in group["items"]:
        message = one_line(entry["finding"].message)
        child = QTreeWidgetItem([message])
        child.setToolTip(0, message)
        ids = _finding_ids(entry, network)
        child.setData(0, IDS_ROLE, ids)
        if ids:
            child.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        head.addChild(child)


def _add_services(finding: QTreeWidgetItem, network: Network) -> None:
    for sid in finding.data(0, IDS_ROLE) or []:  # every service the finding names, each one clickable
        grand = QTreeWidgetItem([one_line(network.name(sid))])
        grand.setData(0, IDS_ROLE, [sid])
        grand.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)
        finding.addChild(grand)


def _finding_at(finding: QTreeWidgetItem, groups: Sequence[Group]) -> Finding | None:
    """The ``Finding`` a finding's row shows (its place under its kind is its place in
    the kind's items); None for a row that is not a finding."""
    head = finding.parent()
    index = head.data(0, GROUP_ROLE) if head is not None else None
    if head is None or index is None or not 0 <= index < len(groups):
        return None
    items = groups[index]["items"]
    at = head.indexOfChild(finding)
    found = items[at]["finding"] if 0 <= at < len(items) else None
    return found if isinstance(found, Finding) else None


def dependency_element(network: Network, source: str, target: str) -> str | None:
    """The component on ``source``'s map that makes it depend on ``target`` (provided
    by it); None when only the contract names the dependency."""
    doc = network.documents.get(source)
    if doc is None or not network.graph.has_edge(source, target):
        return None
    for element_id in network.graph.edges[source, target].get("elements", ()):
        if doc.map.component(element_id) is not None:
            return str(element_id)
    return None


def open_target(item: QTreeWidgetItem | None, groups: Sequence[Group], network: Network) -> tuple[str, str | None] | None:
    """Which service's map a row opens, and the component to select on it.

    A dependency cycle (services A, B, C ... depending on each other, one loop A -> B ->
    C -> A) opens C, whose dependency closes the loop, with the component C takes from A
    selected: it opened A's map with nothing selected, and the person had to hunt for
    what made the cycle. A service under a cycle opens with its own link in the cycle
    selected (its next on the loop, or for a service off the loop its first dependency in
    the group); a finding naming a chain (A rests on B through X) opens A with its
    component from X; otherwise the first service named, with the finding's element
    selected when it is a component of that map. A kind of finding opens no map (None):
    it opened its first service's, which the person had not asked for; the tree opens
    the row instead."""
    ids = named_ids(item)
    if item is None or not ids:
        return None
    parent = item.parent()
    if parent is not None and parent.data(0, GROUP_ROLE) is not None:
        finding, chain = _finding_at(item, groups), ids  # a finding
    elif parent is not None and parent.parent() is not None:
        finding, chain = _finding_at(parent, groups), named_ids(parent)  # a service a finding names
    else:
        return None  # a kind of finding
    if finding is not None and finding.code == "dependency-cycle" and len(chain) >= 2:
        return _cycle_target(network, chain, None if chain is ids else ids[0])
    node = ids[0]
    doc = network.documents.get(node)
    element = finding.element_id if finding is not None else None
    if doc is not None and element and doc.map.component(element) is not None:
        return node, str(element)
    if chain is ids and len(chain) >= 2:
        return node, dependency_element(network, node, chain[1])
    return node, None


def _cycle_target(network: Network, group: list[str], service: str | None) -> tuple[str, str | None]:
    """The map a cycle finding (``service`` None) or one of its services opens, and the
    link in the cycle to select there. The loop is worked out again from the group by
    the rule that wrote the finding (``closing_loop``), so the two agree."""
    loop = closing_loop(network, group)
    if not loop:  # the folder changed under the finding: its first service
        return service or group[0], None
    if service is None:
        return loop[-1], dependency_element(network, loop[-1], loop[0])
    if service in loop:
        return service, dependency_element(network, service, loop[(loop.index(service) + 1) % len(loop)])
    within = [n for n in group if n != service and network.graph.has_edge(service, n)]
    links = (dependency_element(network, service, n) for n in within)
    return service, next((e for e in links if e is not None), None)
