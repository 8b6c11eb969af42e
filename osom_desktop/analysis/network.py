"""The service network: every service in a folder, who depends on whom, and the
executive's questions about it (PRODUCT.md, "What the network view answers").

The graph is a networkx ``DiGraph`` keyed by service id, with an edge A -> B when A
depends on B, said by A's contract (point 8), by a component on A's map that B
provides, or both (the edge's ``sources``). A dependency naming a service with no
file in the folder becomes an external node, ``external:<normalised name>``.

Every answer is a function returning plain data (lists of dicts, for a table or
JSON) and ``network_findings`` turns them all into ``Finding``s, each naming the
service it is about in ``element_id`` so a view can select that node.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from osom_desktop.analysis.assessment_dates import last_assessment
from osom_desktop.analysis.directory import natural_key, normalise_name
from osom_desktop.analysis.duplication import clusters
from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.analysis.network_cache import DocumentCache, read_document
from osom_desktop.analysis.network_guidance import guidance_rejections
from osom_desktop.analysis.network_reach import (
    IndirectRisks,
    RiskGroup,
    affected_if_fails,
    indirect_lifecycle_risks,
    near_misses,
    unreadable_depended_on,
)
from osom_desktop.analysis.newest_file import describe, newness, record_json, save_record, why_used
from osom_desktop.analysis.service_checks import check_assessments, check_future_assessments
from osom_desktop.model.service import DecisionStatus, LifecycleStage, ServiceDocument
from osom_desktop.model.wardley import (
    STAGE_BOUNDARIES,
    Component,
    ComponentKind,
    Method,
    stage_of,
)
from osom_desktop.storage.folder import service_files

EXTERNAL_PREFIX = "external:"
# Commodity on the evolution axis: Wardley's last stage boundary (0.70).
COMMODITY_FROM = STAGE_BOUNDARIES[-1]

_IMMATURE = (LifecycleStage.DISCOVERY, LifecycleStage.ALPHA)


@dataclass(slots=True)
class Network:
    """The services of a folder and the dependencies between them."""

    graph: nx.DiGraph[str] = field(default_factory=nx.DiGraph)
    documents: dict[str, ServiceDocument] = field(default_factory=dict)  # service id -> document
    paths: dict[str, Path] = field(default_factory=dict)  # service id -> file
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, one-line reason)
    # Files holding a service id another, newer file holds too (a copy, an old version
    # left in the folder): not in the graph. (file left out, one line naming both files).
    duplicate_ids: list[tuple[Path, str]] = field(default_factory=list)
    # One entry per service id held by several files: which file is used and why
    # (``_settle_duplicates``); what ``osom network --format json`` lists as "duplicates".
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    # Every file read for a service id, in reading order, while some id has several.
    _claims: dict[str, list[tuple[Path, ServiceDocument]]] = field(default_factory=dict)
    _capabilities: dict[str, list[tuple[str, Component]]] | None = None

    # -- building ---------------------------------------------------------------------

    @classmethod
    def from_documents(cls, documents: Iterable[tuple[str | os.PathLike[str], ServiceDocument]]) -> Network:
        net = cls()
        for path, doc in documents:
            net._add_document(Path(path), doc)
        net._link()
        return net

    def _add_document(self, path: Path, doc: ServiceDocument) -> None:
        sid = doc.service.id
        if sid in self.documents:
            # Which of the two is kept is decided once every file is read
            # (``_settle_duplicates``): keeping the first read kept whichever name
            # sorted first, often the stale "payments (copy).osom".
            self._claims.setdefault(sid, [(self.paths[sid], self.documents[sid])]).append((path, doc))
            return
        self._use(sid, path, doc)

    def _use(self, sid: str, path: Path, doc: ServiceDocument) -> None:
        self.documents[sid] = doc
        self.paths[sid] = path
        s = doc.service
        self.graph.add_node(
            sid, name=s.name, manager=s.manager, lifecycle=str(s.lifecycle),
            evolution_stage=str(doc.contract.evolution_stage) if doc.contract.evolution_stage else None,
            path=str(path), external=False,
        )

    def _settle_duplicates(self) -> None:
        """For each service id held by several files, use the newest (``newest_file.newness``),
        and say which files hold it, which one is used and why."""
        self.duplicate_ids, self.duplicates = [], []
        for sid in sorted(self._claims):
            files = [(path, doc, save_record(path, doc.revisions)) for path, doc in self._claims[sid]]
            files.sort(key=lambda f: newness(f[0], f[2]), reverse=True)
            used_path, used_doc, used_record = files[0]
            if self.paths[sid] != used_path:
                self._use(sid, used_path, used_doc)
            why = why_used(used_record, files[1][2])
            # File names, unless two are alike (a folder's copy in another subfolder): then paths.
            names = [p.name for p, _, _ in files]
            label = (lambda p: p.name) if len(set(names)) == len(names) else str
            shown = "; ".join(f"{label(p)}: {describe(r)}" for p, _, r in files)
            message = (f"{len(files)} files hold the service {used_doc.service.name!r} (id {sid}): "
                       f"{', '.join(label(p) for p, _, _ in files)}; using {label(used_path)}, {why} ({shown}); "
                       f"the other{'s are' if len(files) > 2 else ' is'} left out: delete "
                       f"{'them' if len(files) > 2 else 'it'} if stale")
            for path, _, _ in files[1:]:
                self.duplicate_ids.append((path, f"{label(path)}: left out — {message}"))
            self.duplicates.append({
                "service_id": sid, "service": used_doc.service.name, "used": str(used_path), "why": why,
                "left_out": [str(p) for p, _, _ in files[1:]],
                "files": [{"path": str(p), **record_json(r)} for p, _, r in files],
                "message": message,
            })

    def _link(self) -> None:
        self._settle_duplicates()
        # The documents in name order as a person counts, not the order the files were
        # read: what iterates them (the governance table of the pack and the window, the
        # pack's lists) listed a folder of team folders as Service 0, 10, 20, 1, 11, ...
        order = self.services()
        self.documents = {sid: self.documents[sid] for sid in order}
        self.paths = {sid: self.paths[sid] for sid in order}
        by_name: dict[str, str] = {}
        for sid in sorted(self.documents, key=lambda i: (normalise_name(self.documents[i].service.name), str(self.paths[i]))):
            by_name.setdefault(normalise_name(self.documents[sid].service.name), sid)

        def resolve(service_id: str | None, name: str) -> str:
            if service_id and service_id in self.documents:
                return service_id
            key = normalise_name(name)
            if key in by_name:
                return by_name[key]
            node = EXTERNAL_PREFIX + key
            if node not in self.graph:
                self.graph.add_node(node, name=" ".join(name.split()), manager="", lifecycle=None,
                                    evolution_stage=None, path=None, external=True)
            return node

        for sid, doc in self.documents.items():
            refs = [(d.service_id, d.service_name, "contract", d.id) for d in doc.contract.dependencies]
            refs += [(c.provided_by.service_id, c.provided_by.name, "map", c.id)
                     for c in doc.map.components if c.provided_by is not None and c.provided_by.name.strip()]
            for ref_id, name, source, element_id in refs:
                target = resolve(ref_id, name)
                if target == sid:
                    continue  # a component the service provides itself
                if self.graph.has_edge(sid, target):
                    data = self.graph.edges[sid, target]
                    data["sources"].add(source)
                    data["elements"].append(element_id)
                else:
                    self.graph.add_edge(sid, target, sources={source}, elements=[element_id])

    # -- look-ups -----------------------------------------------------------------------

    def name(self, node: str) -> str:
        name: str = self.graph._node[node]["name"]  # type: ignore[attr-defined]  # the plain dict: NodeView's lookup doubled it (266,000 calls at 2,000 services)
        return name

    def lifecycle(self, node: str) -> LifecycleStage | None:
        doc = self.documents.get(node)
        return doc.service.lifecycle if doc is not None else None

    def is_external(self, node: str) -> bool:
        return bool(self.graph.nodes[node]["external"])

    def services(self) -> list[str]:
        """Service ids (no external nodes), by name as a person counts (Service 2 before Service 10), then file."""
        return sorted(self.documents, key=lambda i: (natural_key(self.documents[i].service.name), str(self.paths[i])))

    def capabilities(self) -> dict[str, list[tuple[str, Component]]]:
        """Map components (not anchors) grouped by capability: key -> [(service id, component)]."""
        if self._capabilities is None:
            items = (
                (c.name, (sid, c))
                for sid, doc in self.documents.items()
                for c in doc.map.components
                if c.kind is not ComponentKind.ANCHOR
            )
            self._capabilities = clusters(items)  # type: ignore[assignment]
        return self._capabilities  # type: ignore[return-value]

    def provider_of(self, service_id: str, c: Component) -> str:
        """The node that supplies a component on ``service_id``'s map: the linked service, or itself."""
        p = c.provided_by
        if p is None or not p.name.strip():
            return service_id
        if p.service_id and p.service_id in self.documents:
            return p.service_id
        for target in self.graph.successors(service_id):
            if normalise_name(self.name(target)) == normalise_name(p.name):
                return target
        return service_id


def _service_files(folder: Path, unreadable: list[tuple[Path, str]]) -> Iterator[Path]:
    """Every ``.osom`` file below ``folder``, as ``ServiceDirectory.scan(recursive=True)`` finds them.

    FIFOs, devices, sockets and symlinks leading out of the folder are listed in
    ``unreadable`` with their reason, never opened (``storage.folder``).
    """
    for entry in service_files(folder, recursive=True):
        if entry.problem is not None:
            unreadable.append((entry.path, entry.problem))
        else:
            yield entry.path


class LoadCancelled(Exception):
    """``load_network``'s ``progress`` callback returned False: the load stopped, nothing is returned."""


def load_network(
    folder: str | os.PathLike[str], progress: Callable[[int, int], bool] | None = None,
    cache: DocumentCache | None = None, *, light: bool = False,
) -> Network:
    """Read every ``.osom`` file below ``folder`` once; unreadable ones are listed, never raised.

    ``progress(done, total)`` is called before the first file and after each one; when
    it returns False the load stops and ``LoadCancelled`` is raised. With a ``cache``
    (``network_cache.DocumentCache``) only new or changed files are opened, and files
    no longer below the folder are forgotten once the load completes. ``light``: read
    only what the network uses (``storage.network_read``; a cache says for itself),
    the same answers for a fifth of the time.
    """
    net = Network()
    seen: set[str] = set()
    files = list(_service_files(Path(folder), net.unreadable)) if progress is not None else None
    total = len(files) if files is not None else 0
    if progress is not None and progress(0, total) is False:
        raise LoadCancelled(str(folder))
    for done, path in enumerate(files if files is not None else _service_files(Path(folder), net.unreadable), 1):
        _read_once(net, path, seen, cache, light)
        if progress is not None and progress(done, total) is False:
            raise LoadCancelled(str(folder))
    if cache is not None:
        cache.retain(seen)
    net._link()
    return net


def _read_once(net: Network, path: Path, seen: set[str], cache: DocumentCache | None, light: bool) -> None:
    """Adds the file to ``net`` (or to its unreadable ones), unless ``seen`` already
    holds it under another name (a link, a differently spelt path)."""
    key = os.path.normcase(os.path.realpath(path))
    if key in seen:
        return
    seen.add(key)
    got = cache.read(path) if cache is not None else read_document(path, light)
    if isinstance(got, str):
        net.unreadable.append((path, got))
    else:
        net._add_document(path, got)


# -- the answers -------------------------------------------------------------------------


def closing_loop(net: Network, members: Iterable[str]) -> list[str]:
    """One loop through a group of services that depend on each other (a strongly
    connected component): the shortest path from its first service (``natural_key``) back to
    itself, in dependency order; its last service's dependency closes it. Successors are
    tried in name order, so the window, the pack and JSON give the same loop every run.
    Computed again from the group when a view needs it (``network_findings.open_target``),
    so the finding and the map it opens always agree."""
    group = set(members)
    if not group:
        return []
    key = {n: (natural_key(net.name(n)), n) for n in group}
    start = min(group, key=key.__getitem__)
    if net.graph.has_edge(start, start):
        return [start]
    came: dict[str, str] = {start: start}
    frontier = [start]
    while frontier:
        ahead: list[str] = []
        for n in frontier:
            for m in sorted((m for m in net.graph.successors(n) if m in group), key=key.__getitem__):
                if m == start:  # back at the start: the loop is the way here
                    loop = [n]
                    while loop[-1] != start:
                        loop.append(came[loop[-1]])
                    return loop[::-1]
                if m not in came:
                    came[m] = n
                    ahead.append(m)
        frontier = ahead
    return []  # not a group that depends on itself


def _cycle_ids(net: Network) -> list[dict[str, list[str]]]:
    """One entry per group of services depending on each other in a loop (a strongly
    connected component; ``cycle_groups``' order): ``loop``, the path that closes it
    (``closing_loop``), and ``service_ids``, every member, the loop first then the rest by
    name. One per group, not one per simple cycle: a group of 44 services has thousands
    of cycles, each reported once per member, and the count said nothing an executive can act on."""
    out = []
    for g in nx.strongly_connected_components(net.graph):
        if len(g) < 2 and not net.graph.has_edge(next(iter(g)), next(iter(g))):
            continue
        loop = closing_loop(net, g)
        rest = sorted(set(g) - set(loop), key=lambda n: (natural_key(net.name(n)), n))
        out.append({"loop": loop, "service_ids": loop + rest})
    return sorted(out, key=lambda c: (-len(c["service_ids"]), sorted(natural_key(net.name(n)) for n in c["service_ids"])))


def cycles(net: Network) -> list[list[str]]:
    """The dependency cycles, one per group of services depending on each other
    (``cycle_groups``, same order): the loop that closes it, as service names in
    dependency order (A depends on B ... and the last on A)."""
    return [[net.name(n) for n in c["loop"]] for c in _cycle_ids(net)]


def cycle_groups(net: Network) -> list[list[str]]:
    """Services that depend on each other in a loop: strongly connected groups of 2+ (or a
    self-loop), each in the order a person counts ("Service 2" before "Service 10")."""
    groups = [sorted((net.name(n) for n in g), key=natural_key) for g in nx.strongly_connected_components(net.graph)
              if len(g) > 1 or net.graph.has_edge(next(iter(g)), next(iter(g)))]
    return sorted(groups, key=lambda g: (-len(g), [natural_key(n) for n in g]))


def blast_radius(net: Network, service_id: str) -> list[dict[str, Any]]:
    """Every service that depends on ``service_id``, directly or not: what breaks if it fails.

    Each with its lifecycle and ``distance`` (1 = depends on it directly). Unknown id: KeyError.
    """
    if service_id not in net.graph:
        raise KeyError(service_id)
    dist = nx.single_source_shortest_path_length(net.graph.reverse(copy=False), service_id)
    rows = [
        {"service_id": n, "service": net.name(n), "lifecycle": str(net.lifecycle(n)), "distance": d}
        for n, d in dist.items() if n != service_id
    ]
    return sorted(rows, key=lambda r: (r["distance"], natural_key(r["service"])))


def immature_dependencies(net: Network) -> list[dict[str, Any]]:
    """Direct dependencies OSOM warns about (indirect ones are not reported).

    ``kind`` "immature": a live service resting on one in discovery or alpha;
    "retired": any service that is not itself retired resting on a retired one.
    """
    out = []
    for a, b in net.graph.edges:
        la, lb = net.lifecycle(a), net.lifecycle(b)
        if la is None or lb is None:
            continue
        if lb is LifecycleStage.RETIRED and la is not LifecycleStage.RETIRED:
            kind = "retired"
        elif lb in _IMMATURE and la is LifecycleStage.LIVE:
            kind = "immature"
        else:
            continue
        out.append({"kind": kind, "service_id": a, "service": net.name(a), "lifecycle": str(la),
                    "depends_on_id": b, "depends_on": net.name(b), "depends_on_lifecycle": str(lb),
                    "direct": True, "sources": sorted(net.graph.edges[a, b]["sources"])})
    return sorted(out, key=lambda r: (r["kind"], natural_key(r["service"]), natural_key(r["depends_on"])))


def external_dependencies(net: Network) -> list[dict[str, Any]]:
    """Services depended on that have no file in the folder, with who depends on them."""
    out = []
    for n in net.graph.nodes:
        if net.is_external(n):
            users = sorted((net.name(a) for a in net.graph.predecessors(n)), key=natural_key)
            out.append({"node": n, "service": net.name(n), "used_by": users})
    return sorted(out, key=lambda r: natural_key(r["service"]))


def _capability_name(members: list[tuple[str, Component]]) -> str:
    counts = Counter(" ".join(c.name.split()) for _, c in members)
    return min(counts, key=lambda n: (-counts[n], n))


def duplication(net: Network) -> list[dict[str, Any]]:
    """The same capability supplied by several services (one shared service could provide it).

    A component supplied by another service (``provided_by``) counts for that
    service, so maps all linking "Payments" to one payments service are not
    duplication. Entries: each map's service and the component's name as drawn there.
    """
    out: list[dict[str, Any]] = []
    for members in net.capabilities().values():
        suppliers: dict[str, list[tuple[str, Component]]] = defaultdict(list)
        for sid, c in members:
            suppliers[net.provider_of(sid, c)].append((sid, c))
        if len(suppliers) < 2:
            continue
        entries = sorted({(net.name(sid), c.name) for sid, c in members}, key=lambda e: (natural_key(e[0]), e[1]))
        out.append({
            "capability": _capability_name(members),
            "entries": [list(e) for e in entries],
            "suppliers": sorted((net.name(s) for s in suppliers), key=natural_key),
            "supplier_ids": sorted((s for s in suppliers if s in net.documents), key=lambda s: natural_key(net.name(s))),
            "service_ids": sorted({sid for sid, _ in members}),
        })
    return sorted(out, key=lambda r: (-len(r["suppliers"]), natural_key(r["capability"])))


def _built_in_house(net: Network, sid: str, c: Component) -> bool:
    if net.provider_of(sid, c) != sid:
        return False
    return c.method is Method.BUILD or (c.evolution is not None and stage_of(c.evolution) <= 1)


def custom_vs_commodity(net: Network) -> list[dict[str, Any]]:
    """Capabilities one service builds (method build, or drawn in genesis/custom) that other maps place in commodity."""
    out = []
    for members in net.capabilities().values():
        built, commodity = _built_and_commodity(net, members)
        if built:
            out.append(_custom_vs_commodity_row(net, members, built, commodity))
    return sorted(out, key=lambda r: natural_key(r["capability"]))


def _built_and_commodity(
    net: Network, members: list[tuple[str, Component]],
) -> tuple[list[tuple[str, Component]], list[tuple[str, Component]]]:
    """The members built in-house while another service's map places the capability in
    commodity, and the members in commodity; no built ones when there is no such pair."""
    built = [(sid, c) for sid, c in members if _built_in_house(net, sid, c)]
    commodity = _in_commodity(members)
    if not built or not commodity:
        return [], commodity
    return [(sid, c) for sid, c in built if any(s2 != sid for s2, _ in commodity)], commodity


def _in_commodity(members: list[tuple[str, Component]]) -> list[tuple[str, Component]]:
    return [(sid, c) for sid, c in members if c.evolution is not None and c.evolution >= COMMODITY_FROM]


def _custom_vs_commodity_row(
    net: Network, members: list[tuple[str, Component]],
    built: list[tuple[str, Component]], commodity: list[tuple[str, Component]],
) -> dict[str, Any]:
    return {
        "capability": _capability_name(members),
        "built": [{"service": net.name(s), "service_id": s, "component": c.name, "evolution": c.evolution,
                   "method": str(c.method) if c.method else None} for s, c in built],
        "commodity": [{"service": net.name(s), "service_id": s, "component": c.name, "evolution": c.evolution}
                      for s, c in commodity],
    }


def guidance_rejected_by_several(net: Network, minimum: int = 2) -> list[dict[str, Any]]:
    """Guidance ids rejected by ``minimum`` or more services, the reasons side by side."""
    by_id: dict[str, dict[str, Any]] = {}
    for sid in net.services():
        for d in net.documents[sid].decisions:
            if d.status is not DecisionStatus.REJECTED:
                continue
            g = by_id.setdefault(d.guidance.id, {"guidance_id": d.guidance.id, "title": d.guidance.title, "rejections": {}})
            g["rejections"].setdefault(sid, {
                "service": net.name(sid), "service_id": sid, "reason": d.reason, "alternative": d.alternative,
                "version": d.guidance.version, "decided_on": d.decided_on.isoformat(),
            })
    out = []
    for g in by_id.values():
        rejections = list(g.pop("rejections").values())
        if len(rejections) >= minimum:
            out.append({**g, "count": len(rejections), "rejections": rejections})
    return sorted(out, key=lambda r: (-r["count"], r["guidance_id"]))


def overdue_assessments(net: Network, today: dt.date) -> list[dict[str, Any]]:
    """Services overdue an assessment, by ``service_checks.check_assessments``'s rule:
    one row per service, its reasons joined ("; "). A row per reason listed a service
    overdue for two (last assessed too long ago, and no assessment of its move into its
    stage) twice, and the pack counted rows as services ("32 services", eight twice)."""
    out = []
    for sid in net.services():
        reasons = [f.message for f in check_assessments(net.documents[sid], today)]
        if reasons:
            out.append({"service": net.name(sid), "service_id": sid, "lifecycle": str(net.lifecycle(sid)),
                        "reason": "; ".join(reasons)})
    return out


def future_assessments(net: Network, today: dt.date) -> list[dict[str, Any]]:
    """Assessments dated after ``today``, by service: not counted as held (so never the
    table's "last assessment" nor what keeps a service off the overdue list), and
    listed so the executive sees why a recorded assessment does not count."""
    out = []
    for sid in net.services():
        doc = net.documents[sid]
        ahead = {f.element_id for f in check_future_assessments(doc, today)}  # the one rule of what is "after today"
        out += [{"service": net.name(sid), "service_id": sid, "assessment_id": a.id, "date": a.date.isoformat()}
                for a in sorted(doc.assessments, key=lambda a: a.date) if a.id in ahead]
    return out


# -- findings and the table -----------------------------------------------------------------


# Finding code -> the heading its group has in the window and the pack (one vocabulary).
FINDING_KINDS: dict[str, str] = {
    "dependency-cycle": "Dependency cycles",
    "depends-on-immature": "Live services resting on discovery or alpha",
    "depends-on-retired": "Services resting on retired ones",
    "indirect-immature": "Live services resting on discovery or alpha",
    "indirect-retired": "Services resting on retired ones",
    "unreadable-dependency": "Depended on, but the file cannot be read",
    "external-dependency": "Depended on, but no service file here",
    "duplicated-capability": "Same capability supplied by several services",
    "custom-vs-commodity": "Built in-house, commodity elsewhere",
    "guidance-rejected-by-several": "Guidance rejected by several services",
    "guidance-review-overdue": "Guidance rejections past their review-by date",
    "guidance-rejected-old-version": "Rejections of a guidance version since changed",
    "assessment-overdue": "Assessments overdue",
    "assessment-in-future": "Assessments dated in the future",
    "duplicate-service-id": "One service in several files (copies, old versions)",
    "unreadable-file": "Files that cannot be shown",
}


def _answers(net: Network, today: dt.date) -> dict[str, Any]:
    """Every answer, computed once (the report, its findings and the table share them)."""
    external = external_dependencies(net)
    broken = unreadable_depended_on(net)
    for r in external:
        r["unreadable"] = broken.get(r["node"])
    misses = near_misses(net, [r["node"] for r in external if r["unreadable"] is None])
    for r in external:
        r["did_you_mean"] = net.name(misses[r["node"]]) if r["node"] in misses else None
        r["did_you_mean_id"] = misses.get(r["node"])
    return {
        "cycle_ids": _cycle_ids(net),
        "immature_dependencies": immature_dependencies(net),
        "indirect_risks": indirect_lifecycle_risks(net),
        "affected": affected_if_fails(net),
        "external": external,
        "guidance_rejections": guidance_rejections(net, today),
        "duplication": duplication(net),
        "custom_vs_commodity": custom_vs_commodity(net),
        "guidance_rejected_by_several": guidance_rejected_by_several(net),
        "overdue_assessments": overdue_assessments(net, today),
        "future_assessments": future_assessments(net, today),
    }


# A finding with the service ids it involves (for the table's count).
_Pairs = list[tuple[Finding, list[str]]]


def _findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    """Each finding with the service ids it involves (for the table's count), kind by
    kind in the order of ``_FINDING_MAKERS``."""
    out: _Pairs = []
    for make in _FINDING_MAKERS:
        out += make(net, answers)
    return out


def _cycle_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    """One finding per group of services depending on each other, naming the loop that
    closes it and every service in the group; a group its loop goes all round reads as the loop."""
    out: _Pairs = []
    for c in answers["cycle_ids"]:
        loop = [net.name(n) for n in c["loop"]]
        closes = " -> ".join([*loop, loop[0]])
        if len(c["service_ids"]) == len(c["loop"]):
            message = f"dependency cycle: {closes}"
        else:
            members = ", ".join(sorted((net.name(n) for n in c["service_ids"]), key=natural_key))
            # The loop first: a row cut to the window's width still shows where it closes.
            message = (f"dependency cycle: {closes}, in a group of {len(c['service_ids'])} services "
                       f"depending on each other: {members}")
        out.append((Finding("dependency-cycle", Severity.PROBLEM, message, c["loop"][0]), list(c["service_ids"])))
    return out


def _immature_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    out: _Pairs = []
    for r in answers["immature_dependencies"]:
        msg = (f"{r['service']} depends on {r['depends_on']}, which is retired" if r["kind"] == "retired"
               else f"{r['service']} is live but depends on {r['depends_on']}, still in {r['depends_on_lifecycle']}")
        out.append((Finding(f"depends-on-{r['kind']}", Severity.WARNING, msg, r["service_id"]), [r["service_id"]]))
    return out


def _indirect_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    """One finding per service and kind, naming every service it rests on: one per pair
    gave 969 + 923 rows at 200 generated services, a service resting on twenty retired
    ones listed twenty times. The nearest risk's path is spelled out (the rows come
    nearest first), the others with their distance."""
    risks: IndirectRisks = answers["indirect_risks"]
    out: _Pairs = []
    for group in risks.groups:  # in report order: kind, service by name
        message = _indirect_message(group.kind, group, net)
        out.append((Finding(f"indirect-{group.kind}", Severity.WARNING, message, group.service_id),
                    [n for n in group.on_paths() if n in net.documents]))
    return out


INDIRECT_NAMED = 10  # services an indirect-risk finding names; the rest it counts


def _indirect_message(kind: str, group: RiskGroup, net: Network) -> str:
    name, service = net.name, net.name(group.service_id)
    first, steps = group.targets[0]
    via = " → ".join(name(n) for n in group.path_ids(first))  # one glyph: "->" broke after its hyphen in narrow columns
    if len(group.targets) == 1:
        return (f"{service} rests on {name(first)}, which is retired, {steps} steps away: {via}"
                if kind == "retired" else
                f"{service} is live but rests on {name(first)}, still in {net.lifecycle(first)}, "
                f"{steps} steps away: {via}")
    # The nearest few by name, the rest counted: a generated service of 2,000 rested on
    # 220, a 12,000-character line nobody reads (each one is a row of the JSON, with its path).
    shown = group.targets[:INDIRECT_NAMED]
    each = ", ".join(name(t) + ("" if kind == "retired" else f" ({net.lifecycle(t)})") + f", {n} steps"
                     for t, n in shown)
    if len(group.targets) > len(shown):
        each += f" and {len(group.targets) - len(shown)} more"
    what = "retired services" if kind == "retired" else "services still in discovery or alpha"
    lead = f"{service} rests on" if kind == "retired" else f"{service} is live but rests on"
    return f"{lead} {len(group.targets)} {what}: {each}; the nearest: {via}"


def _external_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    out: _Pairs = []
    for r in answers["external"]:
        users = [s for s in net.graph.predecessors(r["node"])]
        if r["unreadable"] is not None:
            out.append((Finding("unreadable-dependency", Severity.PROBLEM,
                                f"{r['service']}: its file {Path(r['unreadable']['path']).name} cannot be read; "
                                f"depended on by {', '.join(r['used_by'])}", users[0] if users else None), users))
            continue
        hint = f" — did you mean {r['did_you_mean']}?" if r["did_you_mean"] else ""
        involved = users + ([r["did_you_mean_id"]] if r["did_you_mean_id"] else [])
        out.append((Finding("external-dependency", Severity.NOTE,
                            f"{r['service']} has no service file here; depended on by {', '.join(r['used_by'])}{hint}",
                            r["node"]), involved))
    return out


def _duplication_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    # The suppliers are the duplication; the maps merely showing it are counted, not listed.
    return [
        (Finding("duplicated-capability", Severity.WARNING,
                 f"{r['capability']!r} is supplied separately by {len(r['suppliers'])} services: "
                 f"{', '.join(r['suppliers'])} (on {len(r['service_ids'])} maps)",
                 r["supplier_ids"][0] if r["supplier_ids"] else r["service_ids"][0]),
         r["supplier_ids"] or r["service_ids"])
        for r in answers["duplication"]
    ]


def _custom_vs_commodity_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    out: _Pairs = []
    for r in answers["custom_vs_commodity"]:
        built = ", ".join(f"{b['service']} ({b['component']!r})" for b in r["built"])
        com = ", ".join(f"{b['service']}" for b in r["commodity"])
        out.append((Finding("custom-vs-commodity", Severity.WARNING,
                            f"{r['capability']!r} is built in-house by {built}, but {com} place it in commodity",
                            r["built"][0]["service_id"]), sorted({b["service_id"] for b in r["built"]})))
    return out


def _rejected_by_several_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    out: _Pairs = []
    for r in answers["guidance_rejected_by_several"]:
        why = "; ".join(f"{x['service']}: {x['reason'] or '(no reason given)'}" for x in r["rejections"])
        out.append((Finding("guidance-rejected-by-several", Severity.NOTE,
                            f"guidance {r['guidance_id']} {r['title']!r} is rejected by {r['count']} services — {why}",
                            r["rejections"][0]["service_id"]), [x["service_id"] for x in r["rejections"]]))
    return out


def _guidance_review_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    out: _Pairs = []
    for r in answers["guidance_rejections"]:
        if r["review_overdue"]:
            out.append((Finding("guidance-review-overdue", Severity.WARNING,
                                f"{r['service']}: rejection of guidance {r['guidance_id']} {r['title']!r} was due "
                                f"for review by {r['review_by']}", r["service_id"]), [r["service_id"]]))
        if r["newer_version"]:
            out.append((Finding("guidance-rejected-old-version", Severity.NOTE,
                                f"{r['service']} rejected version {r['version']} of guidance {r['guidance_id']} "
                                f"{r['title']!r}; version {r['newer_version']} is now in use", r["service_id"]),
                        [r["service_id"]]))
    return out


def _file_findings(net: Network, answers: dict[str, Any]) -> _Pairs:
    """Overdue assessments, assessments dated in the future, then the files that cannot be shown."""
    out: _Pairs = [
        (Finding("assessment-overdue", Severity.WARNING, f"{r['service']}: {r['reason']}", r["service_id"]),
         [r["service_id"]])
        for r in answers["overdue_assessments"]
    ]
    out += [(Finding("assessment-in-future", Severity.NOTE,
                     f"{r['service']}: the assessment dated {r['date']} is after today; it is not counted as "
                     "the last assessment until that day", r["service_id"]), [r["service_id"]])
            for r in answers["future_assessments"]]
    # One per service id, naming every file holding it; about the service, so a view selects it.
    out += [(Finding("duplicate-service-id", Severity.PROBLEM, d["message"], d["service_id"]), [d["service_id"]])
            for d in net.duplicates]
    out += [(Finding("unreadable-file", Severity.PROBLEM, reason, None), []) for _, reason in net.unreadable]
    return out


# The kinds of finding in the order they are listed (sorting by severity keeps it within one).
_FINDING_MAKERS: tuple[Callable[[Network, dict[str, Any]], _Pairs], ...] = (
    _cycle_findings,
    _immature_findings,
    _indirect_findings,
    _external_findings,
    _duplication_findings,
    _custom_vs_commodity_findings,
    _rejected_by_several_findings,
    _guidance_review_findings,
    _file_findings,
)


def network_findings(net: Network, today: dt.date | None = None) -> list[Finding]:
    """Every answer as findings, most serious first; ``element_id`` is a service id (node key)."""
    today = dt.date.today() if today is None else today
    return _sorted_findings(_findings(net, _answers(net, today)))


def _sorted_findings(pairs: list[tuple[Finding, list[str]]]) -> list[Finding]:
    order = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.NOTE: 2}
    return sorted((f for f, _ in pairs), key=lambda f: order[f.severity])


def service_rows(net: Network, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One sortable table row per service (external nodes excluded)."""
    today = dt.date.today() if today is None else today
    answers = _answers(net, today)
    return _rows(net, _findings(net, answers), today, answers["affected"])


def _rows(net: Network, pairs: list[tuple[Finding, list[str]]], today: dt.date,
          affected: dict[str, frozenset[str]] | None = None) -> list[dict[str, Any]]:
    affected = affected_if_fails(net) if affected is None else affected
    counts: Counter[str] = Counter()
    for _, involved in pairs:
        counts.update(set(involved))
    rows = []
    for sid in net.services():
        doc = net.documents[sid]
        held = last_assessment(doc.assessments, today)  # a future-dated one has not happened
        last = held.date if held is not None else None
        rows.append({
            "service_id": sid,
            "name": doc.service.name,
            "manager": doc.service.manager,
            "lifecycle": str(doc.service.lifecycle),
            "evolution_stage": str(doc.contract.evolution_stage) if doc.contract.evolution_stage else None,
            "dependencies": net.graph.out_degree(sid),
            "dependents": net.graph.in_degree(sid),
            "affected": len(affected[sid]),
            "rejected_guidance": sum(1 for d in doc.decisions if d.status is DecisionStatus.REJECTED),
            "last_assessment": last.isoformat() if last else None,
            "findings": counts[sid],
            "path": str(net.paths[sid]),
        })
    return rows


def finding_groups(pairs: list[tuple[Finding, list[str]]]) -> list[dict[str, Any]]:
    """Findings grouped by kind (``FINDING_KINDS``' heading), most serious group first.

    Each item: the finding and the ids of every service it names, for selecting them.
    """
    order = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.NOTE: 2}
    groups: dict[str, dict[str, Any]] = {}
    for f, involved in pairs:
        title = FINDING_KINDS.get(f.code, f.code)
        g = groups.setdefault(title, {"title": title, "codes": [], "severity": f.severity, "items": []})
        if f.code not in g["codes"]:
            g["codes"].append(f.code)
        if order[f.severity] < order[g["severity"]]:
            g["severity"] = f.severity
        g["items"].append({"finding": f, "service_ids": list(dict.fromkeys(involved))})
    for g in groups.values():  # every service the kind names (the window's filter and selection)
        g["service_ids"] = list(dict.fromkeys(s for it in g["items"] for s in it["service_ids"]))
    return sorted(groups.values(), key=lambda g: (order[g["severity"]], -len(g["items"]), g["title"]))


@dataclass(slots=True)
class NetworkAnswers:
    """Every answer about one network, computed once: the window, the pack and JSON read this."""

    today: dt.date
    answers: dict[str, Any]
    pairs: list[tuple[Finding, list[str]]]
    rows: list[dict[str, Any]]
    _groups: list[dict[str, Any]] | None = None

    @property
    def findings(self) -> list[Finding]:
        return _sorted_findings(self.pairs)

    @property
    def groups(self) -> list[dict[str, Any]]:
        """Computed once: the window asks on every filter change."""
        if self._groups is None:
            self._groups = finding_groups(self.pairs)
        return self._groups

    @property
    def affected(self) -> dict[str, frozenset[str]]:
        affected: dict[str, frozenset[str]] = self.answers["affected"]
        return affected

    def findings_of(self, service_id: str) -> list[Finding]:
        """The network findings naming ``service_id``: the same count as its table row."""
        return [f for f, involved in self.pairs if service_id in involved]


def answer(net: Network, today: dt.date | None = None) -> NetworkAnswers:
    today = dt.date.today() if today is None else today
    answers = _answers(net, today)
    pairs = _findings(net, answers)
    return NetworkAnswers(today, answers, pairs, _rows(net, pairs, today, answers["affected"]))


def network_report(net: Network, today: dt.date | None = None, answered: NetworkAnswers | None = None) -> dict[str, Any]:
    """Everything the window shows, as JSON-ready data: what ``osom network --format json`` writes."""
    a = answered or answer(net, today)
    answers = a.answers
    affected = a.affected
    services = []
    for row in a.rows:
        hit = sorted(affected[row["service_id"]], key=lambda n: natural_key(net.name(n)))
        services.append({**row, "affected_if_fails": [{"service_id": n, "service": net.name(n)} for n in hit]})
    return {
        "today": a.today.isoformat(),
        "services": services,
        "external": answers["external"],
        "edges": [{"source": x, "target": y, "sources": sorted(d["sources"])} for x, y, d in net.graph.edges(data=True)],
        # One per group (``cycle_groups``, same order): the loop that closes it, and every member.
        "cycles": [[net.name(n) for n in c["loop"]] for c in answers["cycle_ids"]],
        "cycle_groups": cycle_groups(net),
        "immature_dependencies": answers["immature_dependencies"],
        "indirect_lifecycle_risks": list(answers["indirect_risks"]),  # built here: the window never needs them
        "duplication": answers["duplication"],
        "custom_vs_commodity": answers["custom_vs_commodity"],
        "guidance_rejected_by_several": answers["guidance_rejected_by_several"],
        "guidance_rejections": answers["guidance_rejections"],
        "overdue_assessments": answers["overdue_assessments"],
        "future_assessments": answers["future_assessments"],
        "findings": [{"code": f.code, "severity": str(f.severity), "message": f.message, "service_id": f.element_id,
                      "service_ids": list(dict.fromkeys(ids))}
                     for f, ids in sorted(a.pairs, key=lambda p: {Severity.PROBLEM: 0, Severity.WARNING: 1}.get(p[0].severity, 2))],
        "finding_groups": [{"title": g["title"], "severity": str(g["severity"]), "count": len(g["items"])} for g in a.groups],
        "unreadable": [{"path": str(p), "reason": r} for p, r in [*net.unreadable, *net.duplicate_ids]],
        # Service ids held by several files: every file, the one used and why (the rest are left out).
        "duplicates": net.duplicates,
    }
