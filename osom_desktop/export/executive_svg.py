"""The network drawing of the executive pack: the window's ``NetworkLayout`` as SVG.

Same layout, palette and arrows as the window (``analysis.network_layout``); each box
links to its service's section of the pack. Texts are escaped here and made safe for
documents (``text_safety.for_document``) by the caller's backstop.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from osom_desktop.analysis.network_layout import CYCLE_COLOUR, EDGE_COLOUR, FONT_PX, PALETTE, NetworkLayout


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _head(end: tuple[float, float], towards: tuple[float, float], width: float) -> str:
    """The arrow head at ``end`` of a line coming from ``towards``: the triangle an SVG
    marker of viewBox 10x10, 7 stroke widths wide, tip at (10, 5), reference point (9, 5),
    ``orient="auto"`` draws there."""
    dx, dy = end[0] - towards[0], end[1] - towards[1]
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = (dx / length, dy / length) if length else (1.0, 0.0)
    s = 0.7 * width

    def at(mx: float, my: float) -> str:
        x, y = (mx - 9) * s, (my - 5) * s
        return f"{_f(end[0] + ux * x - uy * y)},{_f(end[1] + uy * x + ux * y)}"

    return f"M{at(0, 0)} L{at(10, 5)} L{at(0, 10)} z"


def network_svg(layout: NetworkLayout, colours: dict[str, str], anchors: dict[str, str]) -> Markup:
    """``colours``: node -> PALETTE key; ``anchors``: node -> id of its section (no link when absent).

    The lines are one path per colour (each edge a subpath) and their heads one filled
    path per colour, not a path with a marker per edge; the boxes' and labels' shared
    attributes are on their groups. The same picture, but WeasyPrint lays out and draws
    the PDF's drawing in about half the time (it draws each marker as a shape of its
    own, and parses every attribute of the ~1,400 elements of 200 services).
    """
    pad = 6.0
    w, h = layout.width + 2 * pad, layout.height + 2 * pad
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network-drawing" viewBox="{_f(-pad)} {_f(-pad)} {_f(w)} {_f(h)}" '
           f'role="img" aria-label="The service network">']
    lines: dict[bool, list[str]] = {False: [], True: []}
    heads: dict[bool, list[str]] = {False: [], True: []}
    for e in layout.edges:
        pts = e.points
        if len(pts) < 2:
            continue
        d = [f"M{_f(pts[0][0])},{_f(pts[0][1])}"]
        last, before = pts[0], pts[0]
        i = 1
        while i + 2 <= len(pts) - 1:
            d.append("C" + " ".join(f"{_f(x)},{_f(y)}" for x, y in pts[i:i + 3]))
            before = next((p for p in reversed(pts[i - 1:i + 2]) if p != pts[i + 2]), before)
            last = pts[i + 2]
            i += 3
        if e.head:
            d.append(f"L{_f(e.head[0])},{_f(e.head[1])}")
            if e.head != last:
                last, before = e.head, last
        lines[e.in_cycle].append(" ".join(d))
        heads[e.in_cycle].append(_head(last, before, 1.8 if e.in_cycle else 0.9))
    for cycle, colour, width in ((False, EDGE_COLOUR, 0.9), (True, CYCLE_COLOUR, 1.8)):  # cycles drawn over the rest
        if lines[cycle]:
            out.append(f'<path d="{" ".join(lines[cycle])}" fill="none" stroke="{colour}" stroke-width="{width}"/>'
                       f'<path d="{" ".join(heads[cycle])}" fill="{colour}"/>')
    # Boxes, then labels: WeasyPrint takes an SVG <a> for text, so a label inside the
    # box's link was laid out twice and each link drawn as a group of its own; the
    # labels let clicks through to the box's link on screen (pointer-events).
    out.append('<g stroke="#333" stroke-width="1">')
    for node, box in layout.nodes.items():
        key = colours.get(node, "")
        fill = PALETTE.get(key, ("#eeeeee", ""))[0]
        dash = ' stroke-dasharray="4 3"' if key in ("external", "unreadable") else ""
        shape = (f'<rect x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(box.w)}" height="{_f(box.h)}" rx="5" '
                 f'fill="{fill}"{dash}/>')
        anchor = anchors.get(node)
        out.append(f'<a href="#{escape(anchor)}">{shape}</a>' if anchor else shape)
    out.append(f'</g><g font-size="{_f(FONT_PX)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" '
               'pointer-events="none">')
    out += [f'<text x="{_f(box.x + box.w / 2)}" y="{_f(box.y + box.h / 2 + FONT_PX * 0.35)}">{escape(box.label)}</text>'
            for box in layout.nodes.values()]
    out.append("</g></svg>")
    return Markup("".join(out))
