"""The graphics items that draw a Wardley map: one item per map element.

Every item knows only an element id (``element_id``) and geometry it caches from the
last ``refresh``; it looks its element up through the scene whenever it refreshes or
paints, so there is one copy of the map (the Document's) and nothing to keep in step
beyond "refresh the items a change names". Items draw themselves in ``paint`` with
plain ``QPainter`` calls (no child items): fewer items make a 5,000-component map
open and paint fast, and ``drawText`` comes out as real ``<text>`` in SVG exports.

Positions: the scene maps OWM coordinates to scene units (``MapScene.to_scene``); a
map is ``MAP_WIDTH`` x ``MAP_HEIGHT`` units, and OWM's label offsets (screen pixels in
OWM) are used as scene units unchanged, so maps look as they did in OWM."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from osom_desktop.model.wardley import (
    Component,
    ComponentKind,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.items.paints import ShapedTexts
    from osom_desktop.drawing.map_scene import MapScene


# The map area in scene units; OWM's default canvas is of this order, so OWM label
# offsets (pixels) keep their look.
MAP_WIDTH = 1000.0
MAP_HEIGHT = 700.0

# Where OWM puts a component's label when the map text gives none.
DEFAULT_LABEL = (5.0, -10.0)
LABEL_MAX_WIDTH = 170.0  # wrap component names wider than this...
LABEL_MAX_LINES = 3  # ...onto at most this many lines, then elide
NOTE_MAX_WIDTH = 420.0
LEGEND_MAX_WIDTH = 300.0

# Symbol radii (OWM's sizes).
METHOD_RADIUS = 15.0
MARKET_RADIUS = 18.0
ECOSYSTEM_RADIUS = 30.0
ANNOTATION_RADIUS = 11.0
INERTIA_SIZE = (6.0, 22.0)
PIPELINE_GAP = 12.0  # from the owner's centre to the top of its pipeline box
PIPELINE_HEIGHT = 22.0

# Drawing range in map units: OWM does not clamp coordinates, and a file from email
# may say 1e300; anything beyond a tenth of the map past an edge is drawn at that limit
# so the scene (and an export's image) stays a sane size. The model keeps the value (the
# text pane flags it). A whole map-size (-1..2) let one typo, ``anchor X [2, -5]``,
# shrink the fitted map to a third with unreadable labels; at the edge it stays in
# sight and can be dragged back.
DRAW_MIN, DRAW_MAX = -0.1, 1.1
MAX_LABEL_OFFSET = 1000.0


def clamp_unit(value: float | None, default: float) -> float:
    """A coordinate made drawable: missing or NaN -> ``default``, else clamped."""
    if value is None or value != value:
        return default
    return min(DRAW_MAX, max(DRAW_MIN, value))


def clamp_offset(dx: float, dy: float) -> tuple[float, float]:
    """A label offset made drawable (OWM offsets are a few tens of pixels)."""
    m = MAX_LABEL_OFFSET
    return (min(m, max(-m, dx if dx == dx else 0.0)), min(m, max(-m, dy if dy == dy else 0.0)))


SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable


# -- text layout ------------------------------------------------------------------------


def wrap_text(text: str, fm: QFontMetricsF, max_width: float, max_lines: int) -> list[str]:
    """Lines of ``text`` no wider than ``max_width`` (words kept whole), at most
    ``max_lines`` of them, the last elided with an ellipsis if text is left over.

    Names are wrapped rather than elided where they fit in a few lines, because the
    full name is what the reader needs; a single unbroken word (a URL) may run past
    ``max_width`` up to twice as far before it is elided.
    """
    if "\n" not in text and fm.horizontalAdvance(text) <= max_width:
        return [text]
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            lines.append("")
            continue
        current = words[0]
        for word in words[1:]:
            candidate = f"{current} {word}"
            if fm.horizontalAdvance(candidate) <= max_width:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [fm.elidedText(rest, Qt.TextElideMode.ElideRight, max_width)]
    limit = max_width * 2
    return [
        fm.elidedText(line, Qt.TextElideMode.ElideRight, limit) if fm.horizontalAdvance(line) > limit else line
        for line in lines
    ]


Texts = list[tuple[float, float, str]]  # (x, baseline y, text) in item coordinates


def text_block(lines: list[str], fm: QFontMetricsF, left: float, first_baseline: float, centre: bool = False) -> tuple[Texts, QRectF]:
    """Place lines one under another; returns the texts and the rect they cover."""
    step = fm.lineSpacing()
    texts: Texts = []
    width = 0.0
    for i, line in enumerate(lines):
        w = fm.horizontalAdvance(line)
        width = max(width, w)
        x = left - w / 2 if centre else left
        texts.append((x, first_baseline + i * step, line))
    x0 = left - width / 2 if centre else left
    rect = QRectF(x0, first_baseline - fm.ascent(), width, fm.ascent() + fm.descent() + step * (len(lines) - 1))
    return texts, rect


def draw_texts(painter: QPainter, texts: Texts) -> None:
    for x, y, text in texts:
        painter.drawText(QPointF(x, y), text)


def draw_in(painter: QPainter, shaped: ShapedTexts | None, font: QFont, texts: Texts) -> None:
    """``texts`` in ``font``: on the canvas from glyph runs shaped once (``shaped``, the
    font's ``ShapedTexts``); in an export (``shaped`` None) by ``drawText``, so a PDF or
    SVG keeps its text as text."""
    if shaped is not None:
        shaped.draw(painter, texts)
    else:
        painter.setFont(font)
        draw_texts(painter, texts)


Box = tuple[float, float, float, float]  # (left, top, right, bottom) in scene units
NOWHERE: Box = (0.0, 0.0, -1.0, -1.0)  # a box that meets no area


def texts_box(texts: Texts, fm: QFontMetricsF, margin: float) -> Box:
    """Where ``texts`` (x, baseline y, text) lie together, ``margin`` wider all round
    (a glyph may ink a little past its advance); ``NOWHERE`` for no text."""
    if not texts:
        return NOWHERE
    left = min(x for x, _, _ in texts)
    right = max(x + fm.horizontalAdvance(t) for x, _, t in texts)
    top = min(y for _, y, _ in texts) - fm.ascent()
    bottom = max(y for _, y, _ in texts) + fm.descent()
    return (left - margin, top - margin, right + margin, bottom + margin)


def overlaps(box: tuple[float, float, float, float], area: tuple[float, float, float, float]) -> bool:
    """Whether two (left, top, right, bottom) boxes meet."""
    return box[0] <= area[2] and box[2] >= area[0] and box[1] <= area[3] and box[3] >= area[1]


def arrow_head(tip: QPointF, tail: QPointF, size: float = 9.0) -> QPolygonF:
    """A filled triangle at ``tip`` pointing away from ``tail``."""
    dx, dy = tip.x() - tail.x(), tip.y() - tail.y()
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip.x() - ux * size, tip.y() - uy * size
    half = size * 0.45
    return QPolygonF([tip, QPointF(bx - uy * half, by + ux * half), QPointF(bx + uy * half, by - ux * half)])


def shorten(line: QLineF, start: float, end: float) -> QLineF:
    """The line with ``start`` units cut from its start and ``end`` from its end."""
    length = line.length()
    if length <= start + end + 1:
        return QLineF(line.pointAt(0.5), line.pointAt(0.5))
    return QLineF(line.pointAt(start / length), line.pointAt(1 - end / length))


def symbol_radius(c: Component, evolved: bool = False) -> float:
    """How far from a component's centre its symbol reaches (links stop there)."""
    if c.kind is ComponentKind.ANCHOR and not evolved:
        return 9.0
    e = c.evolve if evolved else None
    market = e.market if e else c.market
    ecosystem = e.ecosystem if e else c.ecosystem
    method = e.method if e else c.method
    if ecosystem:
        return ECOSYSTEM_RADIUS
    if market:
        return MARKET_RADIUS
    if method is not None:
        return METHOD_RADIUS
    return 6.0


# -- base -------------------------------------------------------------------------------


class MapItem(QGraphicsRectItem):
    """Base of every map item: an element id and a cached bounding rect.

    A QGraphicsRectItem with no pen whose rect is the bounding rect, rather than a
    Python ``boundingRect``: Qt asks every item for it on every paint and hit test
    (15,000 items at 5,000 components, no index), and a call into Python each time
    cost ~10 ms a frame; the C++ one costs next to nothing."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.element_id = element_id
        self._rect = QRectF()

    def refresh(self, scene: MapScene) -> bool:
        """Recompute cached geometry from the element; False if it cannot be drawn."""
        raise NotImplementedError

    def texts(self) -> list[str]:
        """The lines of text this item draws, in order (for tests and tooltips)."""
        return [t for attr in ("_title", "_texts", "_flow_texts", "_small") for _, _, t in getattr(self, attr, ())]

    def _set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.setRect(rect)  # prepareGeometryChange and the C++ bounding rect
            self._rect = rect
        if not self.quiet:
            self.update()

    # The scene area the canvas is repainting now, (left, top, right, bottom), set by
    # the view for the length of its paint event (``MapViewBase.drawBackground``);
    # None otherwise (exports, pixmap caches, drag layers). An item may leave out a
    # part of itself that lies wholly outside it: none of its pixels would be written.
    paint_area: tuple[float, float, float, float] | None = None

    # While True, a refresh that keeps the bounding rect does not ask for a repaint:
    # the scene sets it when it places labels again and repaints only the items
    # whose drawing changed (``drawn_state``).
    quiet = False

    def drawn_state(self) -> tuple[object, ...]:
        """What a refresh decides about this item's look: place, bounds, its texts
        where they go, and a label's backdrop."""
        texts = tuple(tuple(getattr(self, a, ())) for a in ("_title", "_texts", "_flow_texts", "_small"))
        return (self.pos(), self._rect, texts, getattr(self, "_backdrop", None))

    def _map_scene(self) -> MapScene:
        return self.scene()  # type: ignore[return-value]

