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


def network_svg(layout: NetworkLayout, colours: dict[str, str], anchors: dict[str, str]) -> Markup:
    """``colours``: node -> PALETTE key; ``anchors``: node -> id of its section (no link when absent)."""
    pad = 6.0
    w, h = layout.width + 2 * pad, layout.height + 2 * pad
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network-drawing" viewBox="{_f(-pad)} {_f(-pad)} {_f(w)} {_f(h)}" '
           f'role="img" aria-label="The service network">',
           '<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           f'<path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/></marker>'
           '<marker id="arrc" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           f'<path d="M0,0 L10,5 L0,10 z" fill="{CYCLE_COLOUR}"/></marker></defs>']
    for e in layout.edges:
        pts = e.points
        if len(pts) < 2:
            continue
        d = [f"M{_f(pts[0][0])},{_f(pts[0][1])}"]
        i = 1
        while i + 2 <= len(pts) - 1:
            d.append("C" + " ".join(f"{_f(x)},{_f(y)}" for x, y in pts[i:i + 3]))
            i += 3
        if e.head:
            d.append(f"L{_f(e.head[0])},{_f(e.head[1])}")
        colour, marker, width = (CYCLE_COLOUR, "arrc", 1.8) if e.in_cycle else (EDGE_COLOUR, "arr", 0.9)
        out.append(f'<path d="{" ".join(d)}" fill="none" stroke="{colour}" stroke-width="{width}" '
                   f'marker-end="url(#{marker})"/>')
    for node, box in layout.nodes.items():
        key = colours.get(node, "")
        fill = PALETTE.get(key, ("#eeeeee", ""))[0]
        dash = ' stroke-dasharray="4 3"' if key in ("external", "unreadable") else ""
        shape = (f'<rect x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(box.w)}" height="{_f(box.h)}" rx="5" '
                 f'fill="{fill}" stroke="#333" stroke-width="1"{dash}/>'
                 f'<text x="{_f(box.x + box.w / 2)}" y="{_f(box.y + box.h / 2 + FONT_PX * 0.35)}" '
                 f'font-size="{_f(FONT_PX)}" text-anchor="middle" font-family="DejaVu Sans, sans-serif">'
                 f"{escape(box.label)}</text>")
        anchor = anchors.get(node)
        out.append(f'<a href="#{escape(anchor)}">{shape}</a>' if anchor else shape)
    out.append("</svg>")
    return Markup("".join(out))
