"""What reaches what in the service network: the executive's "what breaks if this fails?".

``affected_if_fails`` is the transitive blast radius of every node at once, computed on
the condensation (services in a cycle share one answer), so 2,000 services cost one
pass rather than 2,000 searches. ``indirect_lifecycle_risks`` finds the risks a direct
edge check misses: a live service resting on a live one that rests on an alpha one.
``near_misses`` and ``unreadable_depended_on`` explain dependencies that do not lead
to a service file. Qt-free; plain data for the window, the pack and JSON.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from osom_desktop.analysis.directory import natural_key, normalise_name
from osom_desktop.model.service import LifecycleStage

if TYPE_CHECKING:
    from osom_desktop.analysis.network import Network

_IMMATURE = (LifecycleStage.DISCOVERY, LifecycleStage.ALPHA)
# difflib ratio above which a missing name is offered a look-alike ("Payments service"
# for "Payments Gateway" is 0.69); below it suggestions were unrelated names.
NEAR_MISS_CUTOFF = 0.6


def _reach(graph: nx.DiGraph[str], reverse: bool) -> dict[str, frozenset[str]]:
    """node -> every node reachable from it (along edges, or against them), itself excluded."""
    g = graph.reverse(copy=False) if reverse else graph
    cond = nx.condensation(g)
    members: dict[int, list[str]] = {c: data["members"] for c, data in cond.nodes(data=True)}
    below = _below(cond)
    out: dict[str, frozenset[str]] = {}
    for c, inner in members.items():
        reached = [n for d in below[c] for n in members[d]]
        out.update(_group_reach(graph, inner, reached))
    return out


def _group_reach(graph: nx.DiGraph[str], inner: list[str], reached: list[str]) -> dict[str, frozenset[str]]:
    """Each node of one strongly connected group: what the group reaches, and the
    group's other nodes when they are in a cycle with it."""
    cyclic = len(inner) > 1 or any(graph.has_edge(n, n) for n in inner)
    out: dict[str, frozenset[str]] = {}
    for n in inner:
        extra = [m for m in inner if m != n] if cyclic else []
        out[n] = frozenset(reached + extra)
    return out


def _below(cond: nx.DiGraph[int]) -> dict[int, set[int]]:
    """Condensation node -> every node below it, each computed once from its successors'."""
    below: dict[int, set[int]] = {}
    for c in reversed(list(nx.topological_sort(cond))):
        acc: set[int] = set()
        for d in cond.successors(c):
            acc.add(d)
            acc |= below[d]
        below[c] = acc
    return below


def affected_if_fails(net: Network) -> dict[str, frozenset[str]]:
    """node -> the services (with files) that depend on it directly or through others."""
    up = _reach(net.graph, reverse=True)
    return {n: frozenset(m for m in reached if m in net.documents) for n, reached in up.items()}


def depends_on_all(net: Network) -> dict[str, frozenset[str]]:
    """node -> every node it depends on, directly or through others."""
    return _reach(net.graph, reverse=False)


def _shortest_paths_from(adj: dict[str, dict[str, Any]], source: str) -> dict[str, str | None]:
    """Breadth-first parents from ``source``: the path to any node follows them back.

    Visits nodes in the order ``networkx.single_source_shortest_path`` does (level by
    level, each level in the order it was reached, neighbours in adjacency order), so
    every path is the one it gives; without building a list for every reachable node
    (2,000 services in one loop: 2,000 lists of ~15 per service, 10 s).
    """
    parent: dict[str, str | None] = {source: None}
    level = [source]
    while level:
        nxt = []
        for v in level:
            for w in adj[v]:
                if w not in parent:
                    parent[w] = v
                    nxt.append(w)
        level = nxt
    return parent


def _path(parent: dict[str, str | None], target: str) -> list[str]:
    path = [target]
    while (up := parent[path[-1]]) is not None:
        path.append(up)
    path.reverse()
    return path


def indirect_lifecycle_risks(net: Network) -> list[dict[str, Any]]:
    """Lifecycle risks two or more steps away, each with the shortest path.

    ``kind`` "immature": a live service that rests, through others, on one in discovery
    or alpha; "retired": a service that is not retired resting, through others, on a
    retired one. Direct ones are ``immature_dependencies``'s.
    """
    names = {n: d["name"] for n, d in net.graph.nodes(data=True)}
    lifecycle = {n: doc.service.lifecycle for n, doc in net.documents.items()}
    immature, retired = _immature_and_retired(names, lifecycle)
    adj = net.graph._adj  # type: ignore[attr-defined]  # the plain dicts: a view per visit cost as much as the search
    # Built in the order they are reported (kind, then service by name, then steps), so
    # no sort of the whole list: sorting 440,000 rows was one C call holding the GIL.
    found: dict[str, list[dict[str, Any]]] = {"immature": [], "retired": []}
    for sid in net.services():
        targets = _risk_targets(lifecycle[sid], immature, retired)
        if not targets:
            continue
        parent = _shortest_paths_from(adj, sid)
        for kind, wanted in targets:
            rows = _risk_rows(kind, sid, wanted, parent, names, lifecycle)
            found[kind] += sorted(rows, key=lambda r: r["steps"])  # stable: targets stay in name order
    return found["immature"] + found["retired"]


def _immature_and_retired(
    names: dict[str, str], lifecycle: dict[str, LifecycleStage],
) -> tuple[list[str], list[str]]:
    """The services in discovery or alpha, and the retired ones, each in name order."""
    key = {n: natural_key(names[n]) for n in lifecycle}  # as a person counts: Service 2 before 10
    # In name order once, not once per service (ties: by id, so the order is always the same).
    immature = sorted((n for n, life in lifecycle.items() if life in _IMMATURE), key=lambda n: (key[n], n))
    retired = sorted((n for n, life in lifecycle.items() if life is LifecycleStage.RETIRED), key=lambda n: (key[n], n))
    return immature, retired


def _risk_targets(own: LifecycleStage, immature: list[str], retired: list[str]) -> list[tuple[str, list[str]]]:
    """The kinds of risk a service in lifecycle ``own`` can have, with the services that would be one."""
    targets: list[tuple[str, list[str]]] = []
    if own is LifecycleStage.LIVE and immature:
        targets.append(("immature", immature))
    if own is not LifecycleStage.RETIRED and retired:
        targets.append(("retired", retired))
    return targets


def _risk_rows(
    kind: str, sid: str, wanted: list[str], parent: dict[str, str | None], names: dict[str, str],
    lifecycle: dict[str, LifecycleStage],
) -> list[dict[str, Any]]:
    """One row per service in ``wanted`` that ``sid`` reaches two or more steps away."""
    own = lifecycle[sid]
    rows = []
    for target in wanted:
        if target not in parent or parent[target] is None or parent[target] == sid:
            continue  # unreachable, itself, or direct: reported as a direct dependency
        path = _path(parent, target)
        rows.append({
            "kind": kind, "service_id": sid, "service": names[sid], "lifecycle": str(own),
            "depends_on_id": target, "depends_on": names[target],
            "depends_on_lifecycle": str(lifecycle[target]),
            "path_ids": path, "path": [names[n] for n in path], "steps": len(path) - 1,
        })
    return rows


def _words(name: str) -> str:
    """A file stem or service name as words: "payments-gateway_v2" -> "payments gateway v2"."""
    return normalise_name(re.sub(r"[-_.]+", " ", name))


def unreadable_depended_on(net: Network) -> dict[str, dict[str, Any]]:
    """External node -> the unreadable file that probably holds it (same name as the file).

    A damaged file has no name we can read, so the match is on the file's name:
    "Payments Gateway" is "payments-gateway.osom" or "Payments Gateway.osom".
    """
    by_stem: dict[str, tuple[Path, str]] = {}
    for path, reason in net.unreadable:
        by_stem.setdefault(_words(Path(path).stem), (Path(path), reason))
    out = {}
    for n in net.graph.nodes:
        if net.is_external(n):
            hit = by_stem.get(_words(net.name(n)))
            if hit is not None:
                out[n] = {"path": str(hit[0]), "reason": hit[1]}
    return out


def near_misses(net: Network, externals: Iterable[str]) -> dict[str, str]:
    """External node -> the service (id) whose name it nearly is, for "did you mean …"."""
    names = {normalise_name(net.name(s)): s for s in net.services()}
    keys = list(names)
    out = {}
    for n in externals:
        got = difflib.get_close_matches(normalise_name(net.name(n)), keys, n=1, cutoff=NEAR_MISS_CUTOFF)
        if got:
            out[n] = names[got[0]]
    return out
