"""The governance pack as one self-contained HTML file.

No scripts, nothing fetched: styles inline, the map as sanitised inline SVG, a
Content-Security-Policy that forbids scripts and remote loads even if something slipped
through. Every piece of user text is escaped by jinja2 (autoescape on); the only links
are http, https and mailto addresses found in user text.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from osom_desktop.export.pack import CONTRACT_HEADINGS, Pack, link_parts
from osom_desktop.export.pack_fitness import html_charts
from osom_desktop.export.pack_svg import (
    LEGEND,
    changes_svg,
    legend_symbol_svg,
    neighbourhood_svg,
    sanitise_svg,
)
from osom_desktop.model.text_safety import for_document
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.paths import RESOURCES

TEMPLATES = RESOURCES / "pack"


def linkify(text: str) -> Markup:
    """Escaped ``text`` with http/https/mailto addresses as links; nothing else linked."""
    out = []
    for piece, is_link in link_parts(text):
        if is_link:
            out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(piece))
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def _para(text: str, default: str) -> Markup:
    if not text.strip():
        return Markup('<p class="none">{}</p>').format(default)
    return Markup("<p>{}</p>").format(linkify(text))


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,  # every template, whatever its extension
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return _ENV


def map_svg_bytes(m: WardleyMap) -> bytes:
    """The map drawn by the canvas's own code, as SVG bytes (drawn in memory)."""
    from osom_desktop.export.image import svg_bytes

    return svg_bytes(m)


def render_pack_html(pack: Pack) -> str:
    map_svgs = []
    neighbourhoods = []
    change_svgs = []
    fitness = []  # per service: measure charts and spend against budget (matplotlib SVG)
    for i, s in enumerate(pack.services):
        fitness.append(html_charts(s.doc, f"f{i}-"))
        map_svgs.append(sanitise_svg(map_svg_bytes(s.doc.map), prefix=f"m{i}-") if s.doc.map.components else Markup(""))
        neighbourhoods.append(neighbourhood_svg(s.name, s.doc.service.lifecycle, s.neighbours))
        change_svgs.append(changes_svg(s.changes) if s.changes and s.changes.moved else Markup(""))
    html = environment().get_template("pack.html.j2").render(
        pack=pack,
        css=Markup((TEMPLATES / "pack.css").read_text(encoding="utf-8")),
        headings=CONTRACT_HEADINGS,
        legend=LEGEND,
        symbol=legend_symbol_svg,
        para=_para,
        num=_num,
        map_svgs=map_svgs,
        neighbourhoods=neighbourhoods,
        change_svgs=change_svgs,
        fitness=fitness,
    )
    # The pack's texts were made safe when it was built; this backstop covers any
    # text that reaches the page another way.
    return for_document(html)


def write_pack_html(pack: Pack, path: str | os.PathLike[str], *, replace_read_only: bool = False) -> Path:
    """Write the pack atomically, checked complete; raises WriteError/ExportError
    (one line naming the file), never leaves a partial file."""
    from osom_desktop.export.output import write_export

    return write_export(path, render_pack_html(pack).encode("utf-8"), "html", replace_read_only=replace_read_only)
