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
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

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
    if not cyclic:
        return {n: frozenset(reached) for n in inner}
    # Set operations in C: a list of the others per node was quadratic in Python
    # (a cycle through 1,900 of 2,000 generated services: 3.6 million steps).
    whole = frozenset(reached).union(inner)
    return {n: whole - {n} for n in inner}


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
    services = net.documents.keys()
    return {n: reached.intersection(services) for n, reached in up.items()}  # in C: a generator per node was 1.9 million steps at 2,000


def depends_on_all(net: Network) -> dict[str, frozenset[str]]:
    """node -> every node it depends on, directly or through others."""
    return _reach(net.graph, reverse=False)


def _shortest_paths_from(adj: dict[str, dict[str, Any]], source: str) -> tuple[dict[str, str | None], dict[str, int]]:
    """Breadth-first parents and steps from ``source``: the path to any node follows
    the parents back.

    Visits nodes in the order ``networkx.single_source_shortest_path`` does (level by
    level, each level in the order it was reached, neighbours in adjacency order), so
    every path is the one it gives; without building a list for every reachable node
    (2,000 services in one loop: 2,000 lists of ~15 per service, 10 s).
    """
    parent: dict[str, str | None] = {source: None}
    steps = {source: 0}
    level = [source]
    depth = 0
    while level:
        depth += 1
        nxt = []
        for v in level:
            for w in adj[v]:
                if w not in parent:
                    parent[w] = v
                    steps[w] = depth
                    nxt.append(w)
        level = nxt
    return parent, steps


@dataclass(frozen=True, slots=True)
class RiskGroup:
    """The indirect risks of one kind of one service: each service it rests on with its
    distance (nearest first, then by name), and the part of its shortest-path tree
    those paths use, so a path is walked only when somebody reads it."""

    kind: str
    service_id: str
    targets: tuple[tuple[str, int], ...]
    parent: dict[str, str | None]

    def path_ids(self, target: str) -> tuple[str, ...]:
        path = [target]
        while (up := self.parent[path[-1]]) is not None:
            path.append(up)
        return tuple(reversed(path))

    def on_paths(self) -> list[str]:
        """Every node on the paths, in the order they first appear (the rows' order)."""
        return list(self.parent)  # filled path by path in that order (``_risk_group``)


class IndirectRisks(Sequence[dict[str, Any]]):
    """Every indirect risk, one row (a dict) per service and the service it rests on,
    in report order (kind, service by name, nearest first). The rows are built when
    read: at 2,000 generated services there are 440,000 of them, which the window never
    shows one by one (its findings are one per group: ``groups``), while
    ``osom network --format json`` writes them all."""

    def __init__(self, groups: list[RiskGroup], names: dict[str, str], lifecycle: dict[str, str]) -> None:
        self.groups = groups
        self._names = names
        self._lifecycle = lifecycle
        self._count = sum(len(g.targets) for g in groups)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for g in self.groups:
            yield from self.rows(g)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return list(itertools.islice(self, *index.indices(self._count)))
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return next(itertools.islice(self, index % self._count, None))

    def rows(self, g: RiskGroup) -> Iterator[dict[str, Any]]:
        names, lifecycle, sid = self._names, self._lifecycle, g.service_id
        for target, steps in g.targets:
            path_ids = g.path_ids(target)
            yield {
                "kind": g.kind, "service_id": sid, "service": names[sid], "lifecycle": lifecycle[sid],
                "depends_on_id": target, "depends_on": names[target], "depends_on_lifecycle": lifecycle[target],
                "path_ids": list(path_ids), "path": [names[n] for n in path_ids], "steps": steps,
            }


def indirect_lifecycle_risks(net: Network) -> IndirectRisks:
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
    found: dict[str, list[RiskGroup]] = {"immature": [], "retired": []}
    for sid in net.services():
        targets = _risk_targets(lifecycle[sid], immature, retired)
        if not targets:
            continue
        parent, steps = _shortest_paths_from(adj, sid)
        for kind, wanted in targets:
            if (group := _risk_group(kind, sid, wanted, parent, steps)) is not None:
                found[kind].append(group)
    return IndirectRisks(found["immature"] + found["retired"], names, {n: str(life) for n, life in lifecycle.items()})


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


def _risk_group(
    kind: str, sid: str, wanted: list[str], parent: dict[str, str | None], steps: dict[str, int],
) -> RiskGroup | None:
    """The services in ``wanted`` that ``sid`` reaches two or more steps away, nearest
    first (a stable sort: ties stay in name order), with the parents their paths use."""
    hits = sorted(((t, steps[t]) for t in wanted if steps.get(t, 0) >= 2), key=lambda hit: hit[1])
    if not hits:
        return None  # unreachable, itself, or direct: reported as a direct dependency
    used: dict[str, str | None] = {sid: None}
    for target, _n in hits:  # the paths are branches of one tree: each walk stops where an earlier one went
        new_part: list[str] = []
        n = target
        while n not in used:  # the source, in ``used`` from the start, ends the walk
            new_part.append(n)
            n = parent[n]  # type: ignore[assignment]  # None only for the source
        for m in reversed(new_part):
            used[m] = parent[m]
    return RiskGroup(kind, sid, tuple(hits), used)


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
