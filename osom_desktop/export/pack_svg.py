"""Small drawings for the pack, written as SVG text by hand (no Qt).

The neighbourhood (this service in the middle, its dependencies around it coloured by
lifecycle), the map-change strips and the legend. Every piece of user text goes
through ``markupsafe.escape``; the results are ``Markup`` so the templates embed them
as they are. Also ``sanitise_svg``: the map's SVG comes from our renderer, but holds
user text, so it is rebuilt from an allow-list before it goes into a pack.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

from osom_desktop.analysis.map_diff import MapChanges
from osom_desktop.model.service import LifecycleStage
from osom_desktop.model.wardley import STAGE_BOUNDARIES, STAGE_EDGES

LIFECYCLE_COLOURS: dict[LifecycleStage | None, str] = {
    LifecycleStage.DISCOVERY: "#e07b39",
    LifecycleStage.ALPHA: "#e0b000",
    LifecycleStage.BETA: "#3c8dcb",
    LifecycleStage.LIVE: "#2e8b57",
    LifecycleStage.RETIRED: "#8a8a8a",
    None: "#ffffff",
}
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def neighbourhood_svg(name: str, lifecycle: LifecycleStage, neighbours: list) -> Markup:
    """This service in the middle, each dependency on a circle around it."""
    w, h = 640, 360 if len(neighbours) <= 8 else 460
    cx, cy = w / 2, h / 2
    rx, ry = w / 2 - 110, h / 2 - 40
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'role="img" font-family="{FONT}" font-size="12">'
        ),
        f"<title>{escape(name)} and the services it depends on</title>",
    ]
    n = len(neighbours)
    boxes = []
    for i, nb in enumerate(neighbours):
        a = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#555" stroke-width="1.5" '
            f'marker-end="url(#nb-arrow)"/>'
        )
        boxes.append((x, y, nb))
    parts.insert(
        2,
        '<defs><marker id="nb-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    )
    for x, y, nb in boxes:
        fill = LIFECYCLE_COLOURS.get(nb.lifecycle, "#ffffff")
        text_fill = "#000" if nb.lifecycle in (None, LifecycleStage.ALPHA) else "#fff"
        dash = ' stroke-dasharray="4 3"' if not nb.known else ""
        stage = nb.lifecycle.value if nb.lifecycle else "not in folder"
        parts.append(
            f'<rect x="{x - 90:.1f}" y="{y - 20:.1f}" width="180" height="40" rx="6" fill="{fill}" '
            f'stroke="#333"{dash}/>'
            f'<text x="{x:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="{text_fill}" font-weight="bold">'
            f"{escape(_short(nb.name))}</text>"
            f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle" fill="{text_fill}" font-size="10">'
            f"{escape(stage)}</text>"
        )
    fill = LIFECYCLE_COLOURS[lifecycle]
    parts.append(
        f'<rect x="{cx - 100:.1f}" y="{cy - 24:.1f}" width="200" height="48" rx="8" fill="{fill}" '
        f'stroke="#000" stroke-width="2.5"/>'
        f'<text x="{cx:.1f}" y="{cy - 4:.1f}" text-anchor="middle" fill="#fff" font-weight="bold" font-size="14">'
        f"{escape(_short(name, 24))}</text>"
        f'<text x="{cx:.1f}" y="{cy + 13:.1f}" text-anchor="middle" fill="#fff" font-size="10">'
        f"{escape(lifecycle.value)}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def changes_svg(changes: MapChanges) -> Markup:
    """One strip per moved component: the evolution axis, an arrow from old to new."""
    moves = changes.moved
    row, left, width = 34, 190, 420
    h = 30 + row * len(moves)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {h}" width="640" height="{h}" role="img" '
            f'font-family="{FONT}" font-size="11"><title>Components moved along evolution</title>'
        ),
        (
            '<defs><marker id="mv-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
            'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c00"/></marker></defs>'
        ),
    ]
    for i, label in enumerate(("Genesis", "Custom", "Product", "Commodity")):
        x = left + width * (STAGE_EDGES[i] + STAGE_EDGES[i + 1]) / 2
        parts.append(f'<text x="{x:.1f}" y="14" text-anchor="middle" fill="#555">{label}</text>')
    for i, mv in enumerate(moves):
        y = 30 + row * i + row / 2
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(_short(mv.name, 28))}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#bbb"/>'
        )
        for edge in STAGE_BOUNDARIES:
            x = left + width * edge
            parts.append(f'<line x1="{x:.1f}" y1="{y - 8:.1f}" x2="{x:.1f}" y2="{y + 8:.1f}" stroke="#bbb"/>')
        x0 = left + width * min(max(mv.old_evolution, 0.0), 1.0)
        x1 = left + width * min(max(mv.new_evolution, 0.0), 1.0)
        parts.append(
            f'<circle cx="{x0:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="#777"/>'
            f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="#c00" stroke-width="2" '
            f'marker-end="url(#mv-arrow)"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# One legend symbol per kind, in a 28 x 20 box, drawn like the map draws it.
_SYMBOLS = {
    "component": '<circle cx="14" cy="10" r="5" fill="#fff" stroke="#000"/>',
    "anchor": '<text x="14" y="14" text-anchor="middle" font-weight="bold" font-size="11">User</text>',
    "build": '<circle cx="14" cy="10" r="9" fill="#d6d6d6" stroke="#000"/><circle cx="14" cy="10" r="4" fill="#fff" stroke="#000"/>',
    "buy": '<circle cx="14" cy="10" r="9" fill="#aaa5a9" stroke="#d6d6d6"/><circle cx="14" cy="10" r="4" fill="#fff" stroke="#000"/>',
    "outsource": '<circle cx="14" cy="10" r="9" fill="#444" stroke="#444"/><circle cx="14" cy="10" r="4" fill="#fff" stroke="#000"/>',
    "market": (
        '<circle cx="14" cy="10" r="9" fill="#fff" stroke="#f00"/><circle cx="14" cy="5" r="2.5" fill="#fff" stroke="#000"/>'
        '<circle cx="10" cy="13" r="2.5" fill="#fff" stroke="#000"/><circle cx="18" cy="13" r="2.5" fill="#fff" stroke="#000"/>'
    ),
    "ecosystem": (
        '<circle cx="14" cy="10" r="9" fill="#fff" stroke="#000"/><circle cx="14" cy="10" r="6" fill="#fff" stroke="#000"/>'
        '<circle cx="14" cy="10" r="3" fill="#000"/>'
    ),
    "inertia": '<circle cx="8" cy="10" r="5" fill="#fff" stroke="#000"/><rect x="17" y="2" width="4" height="16" fill="#000"/>',
    "evolve": (
        '<circle cx="5" cy="10" r="4" fill="#fff" stroke="#000"/><line x1="9" y1="10" x2="20" y2="10" stroke="#f00" '
        'stroke-dasharray="3 2"/><circle cx="23" cy="10" r="4" fill="#fff" stroke="#f00"/>'
    ),
    "link": '<line x1="2" y1="10" x2="26" y2="10" stroke="#000"/>',
    "flow": '<line x1="2" y1="10" x2="26" y2="10" stroke="#ccc" stroke-width="5"/>'
            '<line x1="2" y1="10" x2="26" y2="10" stroke="#000"/>',
    "service": '<circle cx="14" cy="10" r="5" fill="#fff" stroke="#000"/>'
               '<rect x="3" y="1" width="22" height="18" rx="3" fill="none" stroke="#2e6fb0" stroke-width="1.5"/>',
}


def _sym(kind: str) -> str:
    """One legend symbol in a 28 x 20 box, drawn like the map draws it."""
    return _SYMBOLS.get(kind, "")


LEGEND = (
    ("component", "Component"),
    ("anchor", "Anchor (user)"),
    ("build", "Build"),
    ("buy", "Buy"),
    ("outsource", "Outsource"),
    ("market", "Market"),
    ("ecosystem", "Ecosystem"),
    ("inertia", "Inertia"),
    ("evolve", "Evolves to"),
    ("link", "Dependency link"),
    ("flow", "Flow"),
    ("service", "Provided by another service"),
)


def legend_symbol_svg(kind: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 20" width="28" height="20" aria-hidden="true" '
        f'font-family="{FONT}">{_sym(kind)}</svg>'
    )


# -- sanitising the map's SVG ---------------------------------------------------------

_ALLOWED_TAGS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "title", "desc", "defs", "linearGradient", "radialGradient", "stop", "clipPath",
}
_ALLOWED_ATTRS = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d", "points",
    "viewBox", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit",
    "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor", "xml:space",
    "id", "gradientUnits", "offset", "stop-color", "stop-opacity", "clip-path", "clipPathUnits",
    "vector-effect", "version", "baseProfile", "dominant-baseline", "fx", "fy", "spreadMethod",
}
# url(...) in a presentation attribute may only point inside the document.
_URL = re.compile(r"url\(\s*([^)]*)\)", re.IGNORECASE)
_SVG_NS = "{http://www.w3.org/2000/svg}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _safe_value(value: str, prefix: str) -> str | None:
    low = value.lower()
    if "javascript:" in low or "expression(" in low:
        return None
    for m in _URL.finditer(value):
        if not m.group(1).strip().strip("'\"").startswith("#"):
            return None
    return _URL.sub(lambda m: f"url(#{prefix}{m.group(1).strip().strip(chr(39) + chr(34))[1:]})", value)


def _clean(el: ET.Element, prefix: str) -> ET.Element | None:
    tag = _local(el.tag)
    if el.tag.startswith("{") and not el.tag.startswith(_SVG_NS):
        return None  # foreign namespaces: nothing of ours lives there
    if tag not in _ALLOWED_TAGS:
        return None
    out = ET.Element(tag)
    for name, value in el.attrib.items():
        local, safe = _clean_attribute(name, value, prefix)
        if safe is not None:
            out.set(local, safe)
    out.text, out.tail = el.text, el.tail
    for child in el:
        c = _clean(child, prefix)
        if c is not None:
            out.append(c)
        elif child.tail:  # keep the text that followed a dropped element
            _keep_tail(out, child.tail)
    return out


def _clean_attribute(name: str, value: str, prefix: str) -> tuple[str, str | None]:
    """The attribute's local name and its value made safe, or None to drop it."""
    local = "xml:space" if name == "{http://www.w3.org/XML/1998/namespace}space" else _local(name)
    if local not in _ALLOWED_ATTRS or name.startswith("{http://www.w3.org/1999/xlink}"):
        return local, None
    if local == "id":
        return local, prefix + re.sub(r"[^A-Za-z0-9_-]", "", value)
    return local, _safe_value(value, prefix)


def _keep_tail(out: ET.Element, tail: str) -> None:
    if len(out):
        out[-1].tail = (out[-1].tail or "") + tail
    else:
        out.text = (out.text or "") + tail


def sanitise_svg(data: bytes, prefix: str = "m-") -> Markup:
    """The SVG rebuilt from an allow-list of elements and attributes, ready to inline.

    No scripts, no event attributes, no links, no foreign content; ids are prefixed so
    several maps can share one HTML page. ElementTree expands no external entities.
    """
    root = ET.fromstring(data)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    clean = _clean(root, prefix)
    assert clean is not None
    clean.set("xmlns", "http://www.w3.org/2000/svg")
    clean.set("role", "img")
    for dim in ("width", "height"):  # let CSS size it; the viewBox keeps its shape
        clean.attrib.pop(dim, None)
    return Markup(ET.tostring(clean, encoding="unicode", short_empty_elements=True))
