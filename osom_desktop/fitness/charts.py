"""Charts of fitness data, drawn by matplotlib without Qt and without pyplot.

One drawing per chart serves the app (PNG through Agg), the HTML pack (inline SVG) and
the PDF pack (the same SVG, drawn as vector by Qt's SVG renderer onto the page), so the
three look alike. ``Figure`` objects are made directly, never through pyplot: pyplot
keeps global state and picks a GUI backend; these are plain objects any thread can draw.

The SVG is inert: matplotlib's SVG holds paths only (glyphs as paths, no fonts to
fetch), and ``svg_text`` drops the XML prolog and the DOCTYPE, whose DTD is a remote
address, so nothing in a pack refers outside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from osom_desktop.fitness.budget import BudgetBar

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType
from osom_desktop.model.service import Measure, MeasureDirection

# The pack's colours (pack.css): ink, blue headings, and a good/bad pair that stays
# distinguishable to the colour-blind (blue/orange rather than green/red).
INK = "#1b1b1b"
LINE = "#1d4f7c"
GOOD = "#2c7bb6"
BAD = "#d7601c"
GOOD_FILL = "#e3eef8"
BAD_FILL = "#fbe8dc"
GRID = "#dddddd"
TARGET = "#555555"

WIDTH_IN, HEIGHT_IN = 5.6, 2.3
# text.parse_math off: a measure named "$ per user" is text, not TeX to parse (or fail on).
_RC: dict[RcKeyType, Any] = {"font.family": "DejaVu Sans", "font.size": 8, "svg.fonttype": "path", "svg.hashsalt": "osom",
       "text.parse_math": False}
# ON_TARGET: within 1% of the target counts as on it (as the pack's status column).
ON_TARGET_TOLERANCE = 0.01


@dataclass(frozen=True, slots=True)
class Series:
    """What one measure chart shows (plain values, so a chart can be drawn from anywhere)."""

    name: str
    unit: str
    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    target: float | None = None
    direction: MeasureDirection = MeasureDirection.HIGHER_IS_BETTER

    @classmethod
    def of(cls, m: Measure) -> Series:
        vals = sorted(m.values, key=lambda v: v.date)
        return cls(m.name, m.unit, tuple(v.date for v in vals), tuple(v.value for v in vals), m.target, m.direction)


def meets(value: float, target: float | None, direction: MeasureDirection) -> bool | None:
    if target is None:
        return None
    if direction is MeasureDirection.HIGHER_IS_BETTER:
        return value >= target
    if direction is MeasureDirection.LOWER_IS_BETTER:
        return value <= target
    return abs(value - target) <= max(abs(target) * ON_TARGET_TOLERANCE, 1e-9)


def _figure(width: float = WIDTH_IN, height: float = HEIGHT_IN) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def _x(dates: Sequence[dt.date]) -> Any:
    """Dates as x values: matplotlib plots them through its date converter, though its
    type annotations accept only numbers."""
    return list(dates)


def _style(ax: Axes, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=9, color=INK, fontweight="bold")
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=7)


def measure_figure(s: Series) -> Figure:
    """Values over time, the target as a dashed line, the good side shaded; each point
    coloured by whether it met the target."""
    with _rc():
        fig = _figure()
        ax = fig.add_subplot()
        direction = {MeasureDirection.HIGHER_IS_BETTER: "higher is better",
                     MeasureDirection.LOWER_IS_BETTER: "lower is better",
                     MeasureDirection.ON_TARGET: "on target is best"}[s.direction]
        _style(ax, f"{s.name}" + (f" ({s.unit})" if s.unit else "") + f" — {direction}")
        if not s.values:
            ax.text(0.5, 0.5, "no values recorded", transform=ax.transAxes, ha="center", va="center", color=TARGET)
            ax.set_xticks([])
            ax.set_yticks([])
            return fig
        ax.plot(_x(s.dates), s.values, color=LINE, linewidth=1.4, zorder=2)
        colours = [{True: GOOD, False: BAD, None: LINE}[meets(v, s.target, s.direction)] for v in s.values]
        ax.scatter(_x(s.dates), s.values, c=colours, s=16, zorder=3, edgecolors="white", linewidths=0.5)
        if s.target is not None:
            ax.axhline(s.target, color=TARGET, linestyle="--", linewidth=1, zorder=1)
            lo, hi = min(*s.values, s.target), max(*s.values, s.target)
            pad = (hi - lo) * 0.12 or abs(s.target) * 0.1 or 1.0
            ax.set_ylim(lo - pad, hi + pad)
            bottom, top = ax.get_ylim()
            if s.direction is MeasureDirection.HIGHER_IS_BETTER:
                ax.axhspan(s.target, top, color=GOOD_FILL, zorder=0)
                ax.axhspan(bottom, s.target, color=BAD_FILL, zorder=0)
            elif s.direction is MeasureDirection.LOWER_IS_BETTER:
                ax.axhspan(bottom, s.target, color=GOOD_FILL, zorder=0)
                ax.axhspan(s.target, top, color=BAD_FILL, zorder=0)
            ax.annotate(f"target {s.target:g}", xy=(1, s.target), xycoords=("axes fraction", "data"),
                        xytext=(-2, 3), textcoords="offset points", ha="right", fontsize=7, color=TARGET)
        _dates(ax, s.dates)
        return fig


def _dates(ax: Axes, dates: Sequence[dt.date]) -> None:
    loc = AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(loc))
    if len(set(dates)) == 1:
        only = dates[0]
        ax.set_xlim(*_x([only - dt.timedelta(days=15), only + dt.timedelta(days=15)]))


def budget_figure(bars: Sequence[BudgetBar]) -> Figure:
    """Spend against budget per period: the budget as an outline, spend filled (orange past it)."""
    with _rc():
        fig = _figure(height=max(1.2, 0.45 * len(bars) + 0.7))
        ax = fig.add_subplot()
        _style(ax, "Spend against budget" + _unit_suffix(bars))
        ys = list(range(len(bars)))[::-1]
        ax.barh(ys, [b.allocated for b in bars], color="white", edgecolor=LINE, linewidth=1, height=0.6)
        ax.barh(ys, [b.spent for b in bars], color=[BAD if b.spent > b.allocated else GOOD for b in bars],
                height=0.36)
        for y, b in zip(ys, bars, strict=True):
            ax.annotate(_spent_text(b), xy=(max(b.spent, b.allocated), y),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=7, color=INK)
        ax.set_yticks(ys, [b.label for b in bars])
        ax.set_xlim(0, _widest(bars) * 1.45 or 1)
        ax.grid(True, axis="x", color=GRID, linewidth=0.6)
        ax.grid(False, axis="y")
        return fig


def _unit_suffix(bars: Sequence[BudgetBar]) -> str:
    unit = next((b.unit for b in bars if b.unit), "")
    return f" ({unit})" if unit else ""


def _widest(bars: Sequence[BudgetBar]) -> float:
    return max((max(b.spent, b.allocated) for b in bars), default=1)


def _spent_text(b: BudgetBar) -> str:
    pct = f"{100 * b.spent / b.allocated:.0f}%" if b.allocated else "no budget"
    return f"{b.spent:,.0f} of {b.allocated:,.0f} ({pct})"


@contextlib.contextmanager
def _rc() -> Iterator[None]:
    """matplotlib's settings for our charts, for the drawing only (rc_context is global)."""
    import warnings

    import matplotlib

    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # A character DejaVu Sans lacks (CJK) is drawn as a box; a warning per glyph helps nobody.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        yield




_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_REMOTE = re.compile(r'(?:href|src)\s*=|<script|<foreignObject|\bon[a-z]+\s*=|xlink', re.I)


def _inline_uses(root: ET.Element) -> None:
    """Replace each ``<use>`` (glyphs, markers) by a copy of what it points at.

    A pack allows no ``href`` outside links, so the chart holds its drawing itself; the
    copies cost size (a 12-point chart is ~60 KB) but nothing refers anywhere.
    """
    defs = {el.get("id"): el for el in root.iter() if el.get("id")}
    parents = {child: parent for parent in root.iter() for child in parent}
    for use in [el for el in root.iter(f"{{{_SVG_NS}}}use")]:
        target = defs.get((use.get(_XLINK) or use.get("href") or "").lstrip("#"))
        parent = parents[use]
        parent.insert(list(parent).index(use), _copy_of(use, target))
        parent.remove(use)
    _drop_defs(root)


def _drop_defs(root: ET.Element) -> None:
    """``<defs>`` nothing refers to any more (clip paths still are)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{_SVG_NS}}}defs" and not any(c.tag.endswith("clipPath") for c in child):
                parent.remove(child)


def _copy_of(use: ET.Element, target: ET.Element | None) -> ET.Element:
    """A group holding a copy of what ``use`` points at, placed and styled as it was."""
    g = ET.Element(f"{{{_SVG_NS}}}g")
    # SVG: a use's own transform applies first, then its x and y as a translation.
    x, y = use.get("x", "0"), use.get("y", "0")
    g.set("transform", f"{use.get('transform', '')} translate({x} {y})".strip())
    for attr in ("style", "fill", "stroke", "clip-path"):
        value = use.get(attr)
        if value is not None:
            g.set(attr, value)
    if target is not None and not (target.tag.endswith("path") and not target.get("d")):  # a space: nothing
        copy = ET.fromstring(ET.tostring(target))
        copy.attrib.pop("id", None)
        g.append(copy)
    return g


def svg_text(fig: Figure, prefix: str = "c-") -> str:
    """Inline SVG: no prolog, no DOCTYPE (a remote DTD), no metadata, no references but
    clip paths (ids prefixed so several charts share a page). Raises ValueError if
    anything in it could load or run."""
    buf = io.StringIO()
    with _rc():
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    root = ET.fromstring(buf.getvalue().encode("utf-8"))  # ElementTree expands no external entities
    for meta in root.findall(f"{{{_SVG_NS}}}metadata"):
        root.remove(meta)
    _inline_uses(root)
    for el in root.iter():
        el_id = el.get("id")
        if el_id:
            el.set("id", prefix + el_id)
        cp = el.get("clip-path")
        if cp:
            el.set("clip-path", re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", cp))
    # Width and height go: CSS sizes the chart in a pack, the viewBox keeps its shape.
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("role", "img")
    ET.register_namespace("", _SVG_NS)
    text = ET.tostring(root, encoding="unicode")
    if _REMOTE.search(text):  # matplotlib writes none of these once uses are inlined: a check
        raise ValueError("chart SVG holds a reference or a script")
    return text


def png_bytes(fig: Figure, dpi: float = 100) -> bytes:
    buf = io.BytesIO()
    with _rc():
        FigureCanvasAgg(fig)
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
