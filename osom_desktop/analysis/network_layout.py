"""One drawing of the service network, for the window and both packs.

Graphviz's ``dot`` lays the graph out in layers (left to right: a service, then what
it depends on) and routes each edge as a spline around the boxes; we only read its
answer (``-Tjson``). The window (``views.network_graph``) and the executive pack
(``export.executive_svg``) draw the same ``NetworkLayout`` with the same ``PALETTE``
and ``VOCABULARY``, so colours and words cannot drift apart.

``dot`` is run as a separate process with a time limit. Past ``DOT_MAX_NODES`` nodes,
when it is missing, fails or runs out of time, a plain layered grid is used instead
(value-chain depth in columns, straight edges): a network of 2,000 services is still
shown in seconds, only less tidily. Qt-free: runs on the loader's thread.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from osom_desktop.analysis.network import Network

# Lifecycle -> (fill, words). One palette: window legend, graph, pack drawing and pack CSS.
PALETTE: dict[str, tuple[str, str]] = {
    "discovery": ("#c9b3ff", "Discovery"),
    "alpha": ("#ffc48a", "Alpha"),
    "beta": ("#fff08a", "Beta"),
    "live": ("#9fe0a4", "Live"),
    "retired": ("#c8c8c8", "Retired"),
    "unreadable": ("#ff9b9b", "File cannot be read"),
    "external": ("#ffffff", "No service file here"),
}
# One vocabulary for the relations, in the window's table and in the pack.
VOCABULARY = {
    "dependencies": "Depends on",
    "dependents": "Depended on by",
    "affected": "Affected if it fails",
    "findings": "Network findings",
    "arrows": "Arrows point from a service to what it depends on.",
}
CYCLE_COLOUR = "#c62828"
EDGE_COLOUR = "#6b6b6b"

FONT_PX = 13.0  # label size in layout units: 1 unit is 1 px at 100 % (13 px ~ 10 pt)
NODE_H = 34.0
NODE_MIN_W, NODE_MAX_W = 90.0, 230.0
CHAR_W = 7.2  # average advance of the label font at FONT_PX, for the box width
DOT_MAX_NODES = 700  # dot on a tangled 2,000-node network ran past a minute
# dot lays out 200 services in 0.5-1 s; a tangled 500 (one loop through most of them)
# ran into a 20 s limit and then fell back anyway, 22 s before the window showed it.
# The window waits this long; the executive pack, written in the background, longer.
DOT_TIMEOUT_S = 3.0
PACK_DOT_TIMEOUT_S = 20.0
_DPI = 72.0  # dot's inches -> points; our unit is its point


@dataclass(slots=True)
class NodeBox:
    x: float  # top left, layout units
    y: float
    w: float
    h: float
    label: str


@dataclass(slots=True)
class EdgeRoute:
    source: str
    target: str
    points: list[tuple[float, float]]  # start, then (c1, c2, end) triples of a cubic spline
    in_cycle: bool = False
    head: tuple[float, float] | None = None  # where the arrow head points


@dataclass(slots=True)
class NetworkLayout:
    width: float = 0.0
    height: float = 0.0
    nodes: dict[str, NodeBox] = field(default_factory=dict)
    edges: list[EdgeRoute] = field(default_factory=list)
    engine: str = "dot"


def label_of(name: str) -> str:
    """The box label: one line, at most 30 characters (the whole name is in the tooltip/table)."""
    one = " ".join(name.split())
    return one if len(one) <= 30 else one[:29] + "…"


def _box_w(label: str) -> float:
    return max(NODE_MIN_W, min(NODE_MAX_W, len(label) * CHAR_W + 20))


def _cycle_edges(g: nx.DiGraph[str]) -> set[tuple[str, str]]:
    comp = {}
    for i, c in enumerate(nx.strongly_connected_components(g)):
        for n in c:
            comp[n] = (i, len(c))
    return {(a, b) for a, b in g.edges if comp[a][0] == comp[b][0] and (comp[a][1] > 1 or a == b)}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot_source(g: nx.DiGraph[str], ids: dict[str, str], labels: dict[str, str]) -> str:
    lines = ["digraph G {", "rankdir=LR; nodesep=0.18; ranksep=0.7; splines=true; outputorder=edgesfirst;",
             'node [shape=box, fixedsize=true, fontsize=10, label=""];']
    for n, key in ids.items():
        lines.append(f"{key} [width={_box_w(labels[n]) / _DPI:.3f}, height={NODE_H / _DPI:.3f}];")
    for a, b in g.edges:
        if a != b:
            lines.append(f"{ids[a]} -> {ids[b]};")
    lines.append("}")
    return "\n".join(lines)


def _parse_pos(pos: str, height: float) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """dot's "e,x,y x,y x,y ..." -> spline points (y flipped: dot's origin is bottom left)."""
    end = None
    pts = []
    for part in pos.split():
        if part.startswith("e,"):
            x, y = part[2:].split(",")
            end = (float(x), height - float(y))
        elif part.startswith("s,"):
            continue
        else:
            x, y = part.split(",")
            pts.append((float(x), height - float(y)))
    return pts, end


def dot_layout(net: Network, labels: dict[str, str], timeout: float = DOT_TIMEOUT_S) -> NetworkLayout | None:
    """The layered layout by Graphviz ``dot``, or None when it cannot give one in time."""
    exe = shutil.which("dot")
    if exe is None:
        return None
    g = net.graph
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    back = {v: k for k, v in ids.items()}
    data = _run_dot(exe, _dot_source(g, ids, labels), timeout)
    if data is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    height = y1
    out = NetworkLayout(width=x1 - x0, height=y1 - y0, engine="dot")
    index = _dot_nodes(data, back, labels, height, out)
    cyc = _cycle_edges(g)
    for e in data.get("edges", []):
        a, b = index[e["tail"]], index[e["head"]]
        pts, end = _parse_pos(e.get("pos", ""), height)
        if pts:
            out.edges.append(EdgeRoute(a, b, pts, (a, b) in cyc, end))
    return out


def _run_dot(exe: str, source: str, timeout: float) -> dict[str, Any] | None:
    """``dot``'s JSON for ``source``, or None when it fails, is cut off or writes no JSON."""
    try:
        done = subprocess.run([exe, "-Tjson0"], input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0:
            return None
        data: dict[str, Any] = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return data


def _dot_nodes(data: dict[str, Any], back: dict[str, str], labels: dict[str, str], height: float,
               out: NetworkLayout) -> dict[int, str]:
    """Puts each node's box in ``out``; returns dot's object number -> node, for the edges."""
    index = {}
    for obj in data.get("objects", []):
        n = back.get(obj["name"])
        if n is None:
            continue
        index[obj["_gvid"]] = n
        cx, cy = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * _DPI, float(obj["height"]) * _DPI
        out.nodes[n] = NodeBox(cx - w / 2, height - cy - h / 2, w, h, labels[n])
    return index


def grid_layout(net: Network, labels: dict[str, str]) -> NetworkLayout:
    """Columns by value-chain depth (cycles collapsed), boxes stacked in name order, straight edges."""
    g = net.graph
    cond = nx.condensation(g)
    depth: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        depth[c] = max((depth[p] + 1 for p in cond.predecessors(c)), default=0)
    mapping = cond.graph["mapping"]
    cols: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        cols[depth[mapping[n]]].append(n)
    out = NetworkLayout(engine="grid")
    col_w, gap = NODE_MAX_W + 70, 12.0
    tallest = 0.0
    for d in sorted(cols):
        members = sorted(cols[d], key=lambda n: (labels[n].casefold(), n))
        for k, n in enumerate(members):
            w = _box_w(labels[n])
            out.nodes[n] = NodeBox(d * col_w + (NODE_MAX_W - w) / 2, k * (NODE_H + gap), w, NODE_H, labels[n])
        tallest = max(tallest, len(members) * (NODE_H + gap))
    out.width, out.height = len(cols) * col_w, tallest
    cyc = _cycle_edges(g)
    for a, b in g.edges:
        if a == b:
            continue
        ra, rb = out.nodes[a], out.nodes[b]
        start = (ra.x + ra.w, ra.y + ra.h / 2) if rb.x > ra.x else (ra.x, ra.y + ra.h / 2)
        end = (rb.x, rb.y + rb.h / 2) if rb.x > ra.x else (rb.x + rb.w, rb.y + rb.h / 2)
        mid1 = (start[0] + (end[0] - start[0]) / 3, start[1] + (end[1] - start[1]) / 3)
        mid2 = (start[0] + 2 * (end[0] - start[0]) / 3, start[1] + 2 * (end[1] - start[1]) / 3)
        out.edges.append(EdgeRoute(a, b, [start, mid1, mid2, end], (a, b) in cyc, None))
    return out


def network_layout(net: Network, timeout: float = DOT_TIMEOUT_S) -> NetworkLayout:
    """The network's drawing: ``dot`` when it can, the layered grid otherwise."""
    labels = {n: label_of(net.name(n)) for n in net.graph.nodes}
    if 0 < net.graph.number_of_nodes() <= DOT_MAX_NODES:
        got = dot_layout(net, labels, timeout)
        if got is not None:
            return got
    return grid_layout(net, labels)


def node_colour_key(net: Network, node: str, unreadable: set[str]) -> str:
    """The ``PALETTE`` key a node is drawn with."""
    if node in unreadable:
        return "unreadable"
    if net.is_external(node):
        return "external"
    return str(net.lifecycle(node))
