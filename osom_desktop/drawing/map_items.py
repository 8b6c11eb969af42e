"""The graphics items that draw a Wardley map: one item per map element.

Every item knows only an element id (``element_id``) and geometry it caches from the
last ``refresh``; it looks its element up through the scene whenever it refreshes or
paints, so there is one copy of the map (the Document's) and nothing to keep in step
beyond "refresh the items a change names". Items draw themselves in ``paint`` with
plain ``QPainter`` calls (no child items): fewer items make a 5,000-component map
open and paint fast, and ``drawText`` comes out as real ``<text>`` in SVG exports.

Positions: the scene maps OWM coordinates to scene units (``MapScene.to_scene``); a
map is ``MAP_WIDTH`` x ``MAP_HEIGHT`` units, and OWM's label offsets (screen pixels in
OWM) are used as scene units unchanged, so maps look as they did in OWM.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    DEFAULT_STAGE_LABELS,
    STAGE_BOUNDARIES,
    AcceleratorKind,
    AreaKind,
    Component,
    ComponentKind,
    FlowDirection,
    Method,
)
from osom_desktop.drawing.themes import AreaColours, Theme

if TYPE_CHECKING:
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
# may say 1e300; anything beyond one map-size past an edge is drawn at that limit so
# the scene (and an export's image) stays a sane size. The model keeps the value.
DRAW_MIN, DRAW_MAX = -1.0, 2.0
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


def qcolor(css: str) -> QColor:
    """A QColor from ``#rgb``/``#rrggbb``/``#rrggbbaa`` (CSS order: Qt reads 8 hex
    digits as ``#aarrggbb``, which would turn OWM's translucent colours inside out)."""
    if len(css) == 9 and css.startswith("#"):
        r, g, b, a = (int(css[i : i + 2], 16) for i in (1, 3, 5, 7))
        return QColor(r, g, b, a)
    return QColor(css)


def _pick_family(theme: Theme) -> tuple[str | None, bool]:
    """The first installed family the theme prefers, and whether to italicise."""
    installed = set(QFontDatabase.families())
    for family in theme.font_families:
        if family in installed:
            return family, False
    return None, theme.italic_fallback


def _font(family: str | None, italic: bool, px: float, bold: bool = False, it: bool = False) -> QFont:
    f = QFont(family) if family else QFont()
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    f.setItalic(italic or it)
    return f


class Paints:
    """Pens, brushes, fonts and metrics made once from a Theme.

    Building QPen/QFont objects in every ``paint`` call would dominate the cost of
    drawing thousands of items; items read them from here instead.
    """

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        t = theme
        family, italic = _pick_family(t)
        self.family = family
        self.italic = italic
        px = t.font_size
        self.font = _font(family, italic, px)
        self.anchor_font = _font(family, italic, px + 1, bold=True)
        self.note_font = _font(family, italic, px - 1, bold=True)
        self.small_font = _font(family, italic, px - 3, it=True)
        self.context_font = _font(family, italic, px - 2, it=True)
        self.grid_font = _font(family, italic, px, it=True)
        self.grid_bold = _font(family, italic, px, bold=True)
        self.caption_font = _font(family, italic, px - 2, bold=True)
        self.title_font = _font(family, italic, px + 7, bold=True)
        self.number_font = _font(family, italic, px - 1, bold=True)
        self.legend_title_font = _font(family, italic, px - 1, bold=True)
        self.legend_title_font.setUnderline(True)
        self.legend_font = _font(family, italic, px - 1)
        self.fm = QFontMetricsF(self.font)
        self.anchor_fm = QFontMetricsF(self.anchor_font)
        self.note_fm = QFontMetricsF(self.note_font)
        self.small_fm = QFontMetricsF(self.small_font)
        self.context_fm = QFontMetricsF(self.context_font)
        self.grid_fm = QFontMetricsF(self.grid_font)
        self.grid_bold_fm = QFontMetricsF(self.grid_bold)
        self.caption_fm = QFontMetricsF(self.caption_font)
        self.title_fm = QFontMetricsF(self.title_font)
        self.number_fm = QFontMetricsF(self.number_font)
        self.legend_fm = QFontMetricsF(self.legend_font)
        self.legend_title_fm = QFontMetricsF(self.legend_title_font)

        def pen(css: str, width: float = 1.0) -> QPen:
            p = QPen(qcolor(css), width)
            p.setCosmetic(False)
            return p

        self.pen = pen
        self.no_pen = QPen(Qt.PenStyle.NoPen)
        self.no_brush = QBrush(Qt.BrushStyle.NoBrush)
        self.background = QBrush(qcolor(t.background))
        backdrop = qcolor(t.background)
        backdrop.setAlphaF(0.78)
        self.backdrop = QBrush(backdrop)
        self.axis_pen = pen(t.axis, t.axis_width)
        self.stage_pen = pen(t.stage_line, 1.0)
        self.stage_pen.setDashPattern([3.0, 3.0])
        self.grid_text_pen = pen(t.grid_text)
        corner = qcolor(t.grid_text)
        corner.setAlphaF(corner.alphaF() * 0.55)
        self.corner_pen = QPen(corner)
        self.title_pen = pen(t.title_text)
        self.component_pen = pen(t.component_stroke, t.component_width)
        self.component_brush = QBrush(qcolor(t.component_fill))
        self.component_text_pen = pen(t.component_text)
        self.anchor_text_pen = pen(t.anchor_text)
        self.submap_brush = QBrush(qcolor(t.submap_fill))
        self.evolved_pen = pen(t.evolved, t.component_width)
        self.evolved_brush = QBrush(qcolor(t.evolved_fill))
        self.evolved_text_pen = pen(t.evolved_text)
        self.evolve_arrow_pen = pen(t.evolved, 1.0)
        self.evolve_arrow_pen.setDashPattern([5.0, 4.0])
        self.evolved_head_brush = QBrush(qcolor(t.evolved))
        self.inertia_brush = QBrush(qcolor(t.inertia))
        self.method = {
            Method.BUILD: (QBrush(qcolor(t.build[0])), pen(t.build[1])),
            Method.BUY: (QBrush(qcolor(t.buy[0])), pen(t.buy[1])),
            Method.OUTSOURCE: (QBrush(qcolor(t.outsource[0])), pen(t.outsource[1])),
        }
        self.market_pen = pen(t.market_stroke, 1.0)
        self.market_dot_pen = pen(t.market_stroke, 2.0)
        self.market_brush = QBrush(qcolor(t.market_fill))
        self.market_motif_pen = pen(t.market_motif, 1.5)
        self.ecosystem_brush = QBrush(qcolor(t.ecosystem_fill))
        self.ecosystem_ring_pen = pen(t.ecosystem_ring)
        self.ecosystem_hatch_pen = pen(t.ecosystem_hatch)
        self.link_pen = pen(t.link, t.link_width)
        self.evolved_link_pen = pen(t.evolved, t.link_width)
        self.flow_pen = pen(t.flow, t.flow_width)
        self.flow_pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.flow_head_brush = QBrush(qcolor(t.flow_text))
        self.flow_text_pen = pen(t.flow_text)
        self.context_text_pen = pen(t.context_text)
        self.pipeline_pen = pen(t.pipeline_stroke, 1.5)
        self.pipeline_brush = QBrush(qcolor(t.pipeline_fill))
        self.note_pen = pen(t.note_text)
        self.annotation_pen = pen(t.annotation_stroke, 2.0)
        self.annotation_brush = QBrush(qcolor(t.annotation_fill))
        self.annotation_text_pen = pen(t.annotation_text)
        self.legend_pen = pen(t.legend_stroke)
        self.legend_brush = QBrush(qcolor(t.legend_fill))
        self.legend_text_pen = pen(t.legend_text)
        self.areas = {kind: self._area(getattr(t, kind.value)) for kind in AreaKind}
        self.accelerator_pen = pen(t.accelerator_stroke, 1.5)
        self.accelerator_text_pen = pen(t.accelerator_text)
        self.provided_pen = pen(t.provided, 2.0)
        self.provided_text_pen = pen(t.provided)
        self.selection_pen = pen(t.selection, 2.0)
        self.selection_pen.setDashPattern([3.0, 2.0])

    def _area(self, colours: AreaColours) -> tuple[QPen, QBrush]:
        stroke = qcolor(colours.stroke)
        stroke.setAlphaF(colours.stroke_opacity)
        fill = qcolor(colours.fill)
        fill.setAlphaF(colours.fill_opacity)
        p = QPen(stroke, 5.0)
        p.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return p, QBrush(fill)

    def accelerator_brush(self, rect: QRectF) -> QBrush:
        g = QLinearGradient(rect.bottomLeft(), rect.topRight())
        g.setColorAt(0.0, qcolor(self.theme.accelerator_light))
        g.setColorAt(1.0, qcolor(self.theme.accelerator_dark))
        return QBrush(g)


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


def _text_block(lines: list[str], fm: QFontMetricsF, left: float, first_baseline: float, centre: bool = False) -> tuple[Texts, QRectF]:
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


def _draw_texts(painter: QPainter, texts: Texts) -> None:
    for x, y, text in texts:
        painter.drawText(QPointF(x, y), text)


def _arrow_head(tip: QPointF, tail: QPointF, size: float = 9.0) -> QPolygonF:
    """A filled triangle at ``tip`` pointing away from ``tail``."""
    dx, dy = tip.x() - tail.x(), tip.y() - tail.y()
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip.x() - ux * size, tip.y() - uy * size
    half = size * 0.45
    return QPolygonF([tip, QPointF(bx - uy * half, by + ux * half), QPointF(bx + uy * half, by - ux * half)])


def _shorten(line: QLineF, start: float, end: float) -> QLineF:
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


class MapItem(QGraphicsItem):
    """Base of every map item: an element id and a cached bounding rect."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self._rect = QRectF()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def refresh(self, scene: MapScene) -> bool:
        """Recompute cached geometry from the element; False if it cannot be drawn."""
        raise NotImplementedError

    def texts(self) -> list[str]:
        """The lines of text this item draws, in order (for tests and tooltips)."""
        return [t for attr in ("_title", "_texts", "_flow_texts", "_small") for _, _, t in getattr(self, attr, ())]

    def _set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def _map_scene(self) -> MapScene:
        return self.scene()  # type: ignore[return-value]


# -- components -------------------------------------------------------------------------


class _PointItem(MapItem):
    """Shared drawing of a component-like point: symbol, label, extras."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self._texts: Texts = []
        self._small: Texts = []
        self._inertia: QRectF | None = None
        self._backdrop: QRectF | None = None
        self._label_rect = QRectF()
        self._radius = 6.0
        self._owns_pipeline = False

    def _layout_label(
        self,
        scene: MapScene,
        key: str,
        point: QPointF,
        c: Component,
        name: str,
        explicit: tuple[float, float] | None,
        anchor: bool,
        radius: float,
        inertia: QRectF | None,
    ) -> QRectF:
        """Lay out the label block; returns the union of everything the item draws."""
        p = scene.paints
        fm = p.anchor_fm if anchor else p.fm
        lines = wrap_text(name, fm, LABEL_MAX_WIDTH, LABEL_MAX_LINES)
        provided = c.provided_by.name if c.provided_by is not None and key == c.id else None
        small_lines = [f"provided by {provided}"] if provided else []
        step = fm.lineSpacing()
        if anchor:
            # OWM centres an anchor's bold name on its point.
            dx, dy = explicit if explicit is not None else (0.0, 0.0)
            first = (fm.ascent() - fm.descent()) / 2 + dy - (len(lines) - 1) * step / 2
            texts, rect = _text_block(lines, fm, dx, first, centre=True)
            hits = scene.label_hits(key, rect.translated(point))
            scene.note_box(key, rect.translated(point))
        else:
            width = max(fm.horizontalAdvance(line) for line in lines)
            height = fm.ascent() + fm.descent() + step * (len(lines) - 1)
            extra = p.small_fm.lineSpacing() * len(small_lines)
            if explicit is None and c.pipeline_id is not None and key == c.id:
                # A pipeline child's own circle sits inside the box: its name goes
                # centred under the box, where OWM's examples put theirs.
                explicit = (-width / 2, PIPELINE_HEIGHT / 2 + 3 + fm.ascent())
            if explicit is not None:
                dx, baseline = explicit
                if small_lines and baseline < 0:
                    baseline -= extra  # a label above the symbol grows upwards
            else:
                # Placed as one block with the "provided by" line under the name.
                dx, baseline, hits = scene.place_label(key, point, radius, width, height + extra, fm.ascent())
                if small_lines and baseline < 0:
                    baseline -= extra
            texts, rect = _text_block(lines, fm, dx, baseline)
            if explicit is not None:
                hits = scene.label_hits(key, rect.translated(point))
                scene.note_box(key, rect.translated(point))
        self._texts = texts
        self._small = []
        if small_lines:
            small, srect = _text_block(small_lines, p.small_fm, rect.left(), rect.bottom() + p.small_fm.ascent())
            self._small = small
            rect = rect.united(srect)
        # Text that still covers a line or a symbol gets a translucent backdrop.
        self._backdrop = rect.adjusted(-2, 0, 2, 0) if hits else None
        self._label_rect = QRectF(rect)
        bounds = QRectF(-radius, -radius, 2 * radius, 2 * radius).adjusted(-4, -4, 4, 4).united(rect)
        if inertia is not None:
            bounds = bounds.united(inertia)
        return bounds.adjusted(-2, -2, 2, 2)

    def _paint_symbol(
        self,
        painter: QPainter,
        p: Paints,
        c: Component,
        evolved: bool,
        method: Method | None,
        market: bool,
        ecosystem: bool,
    ) -> None:
        t = p.theme
        if method is not None:
            brush, pen = p.method[method]
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawEllipse(QPointF(0, 0), METHOD_RADIUS, METHOD_RADIUS)
        if ecosystem:
            _paint_ecosystem(painter, p, evolved)
            return
        if market:
            _paint_market(painter, p, evolved)
            return
        r = t.component_radius
        if c.kind is ComponentKind.SUBMAP and not evolved:
            painter.setPen(p.component_pen)
            painter.setBrush(p.submap_brush)
            painter.drawEllipse(QPointF(0, 0), r, r)
            _paint_submap_mark(painter, p, r)
            return
        painter.setPen(p.evolved_pen if evolved else p.component_pen)
        painter.setBrush(p.evolved_brush if evolved else p.component_brush)
        painter.drawEllipse(QPointF(0, 0), r, r)

    def label_rect(self) -> QRectF:
        """Where the label is, in scene coordinates."""
        return self._label_rect.translated(self.pos())

    def _paint_backdrop(self, painter: QPainter, p: Paints) -> None:
        if self._backdrop is not None:
            painter.setPen(p.no_pen)
            painter.setBrush(p.backdrop)
            painter.drawRoundedRect(self._backdrop, 3, 3)

    def _paint_selection(self, painter: QPainter, p: Paints) -> None:
        if self.isSelected():
            painter.setPen(p.selection_pen)
            painter.setBrush(p.no_brush)
            r = self._radius + 4
            painter.drawEllipse(QPointF(0, 0), r, r)


def _paint_market(painter: QPainter, p: Paints, evolved: bool) -> None:
    painter.setPen(p.evolved_pen if evolved else p.market_pen)
    painter.setBrush(p.market_brush)
    painter.drawEllipse(QPointF(0, 0), MARKET_RADIUS, MARKET_RADIUS)
    pts = [QPointF(10 * math.cos(math.radians(a)), 10 * math.sin(math.radians(a))) for a in (30, 150, 270)]
    painter.setPen(p.market_motif_pen)
    painter.setBrush(p.no_brush)
    painter.drawPolygon(QPolygonF(pts))
    painter.setPen(p.evolved_pen if evolved else p.market_dot_pen)
    painter.setBrush(p.market_brush)
    for pt in pts:
        painter.drawEllipse(pt, 4.0, 4.0)


def _paint_ecosystem(painter: QPainter, p: Paints, evolved: bool) -> None:
    painter.setPen(p.evolved_pen if evolved else p.component_pen)
    painter.setBrush(p.ecosystem_brush)
    painter.drawEllipse(QPointF(0, 0), ECOSYSTEM_RADIUS, ECOSYSTEM_RADIUS)
    painter.setPen(p.ecosystem_ring_pen)
    painter.setBrush(p.component_brush)
    painter.drawEllipse(QPointF(0, 0), 25.0, 25.0)
    # Diagonal hatching as chords of the ring (pattern brushes do not survive SVG).
    painter.setPen(p.ecosystem_hatch_pen)
    r = 25.0
    for k in range(-8, 9):
        c = k * 5.0 / math.sqrt(2)
        half = math.sqrt(max(0.0, r * r - c * c))
        # chord of the line x - y = c*sqrt(2), perpendicular distance c from centre
        mx, my = c / math.sqrt(2), -c / math.sqrt(2)
        ux, uy = 1 / math.sqrt(2), 1 / math.sqrt(2)
        painter.drawLine(QPointF(mx - ux * half, my - uy * half), QPointF(mx + ux * half, my + uy * half))
    painter.setPen(p.ecosystem_ring_pen)
    painter.setBrush(p.component_brush)
    painter.drawEllipse(QPointF(0, 0), 10.0, 10.0)


def _paint_submap_mark(painter: QPainter, p: Paints, r: float) -> None:
    """Two interlocked links left of the circle: "this opens another map"."""
    painter.save()
    painter.setPen(p.component_pen)
    painter.setBrush(p.no_brush)
    painter.translate(-r - 10, -r - 3)
    painter.rotate(-45)
    painter.drawRoundedRect(QRectF(-7, -2.5, 8, 5), 2.5, 2.5)
    painter.drawRoundedRect(QRectF(-1, -2.5, 8, 5), 2.5, 2.5)
    painter.restore()


class ComponentItem(_PointItem):
    """A component, anchor or submap at its point, with label, method, inertia and
    the ring of a component provided by another service."""

    def refresh(self, scene: MapScene) -> bool:
        c = scene.element(self.element_id)
        point = scene.component_point(self.element_id)
        if not isinstance(c, Component) or point is None:
            return False
        anchor = c.kind is ComponentKind.ANCHOR
        self._owns_pipeline = any(p.component_id == c.id for p in scene.document.map.pipelines)
        radius = symbol_radius(c)
        if c.provided_by is not None:
            radius = max(radius, scene.theme.component_radius + 5)
        self._radius = radius
        inertia = None
        if c.inertia and not anchor:
            inertia = inertia_rect(c, radius)
        self._inertia = inertia
        explicit = clamp_offset(c.label.dx, c.label.dy) if c.label is not None else None
        self.setPos(point)
        bounds = self._layout_label(scene, c.id, point, c, c.name, explicit, anchor, radius, inertia)
        if c.kind is ComponentKind.SUBMAP:
            r = scene.theme.component_radius
            bounds = bounds.united(QRectF(-r - 20, -r - 11, 18, 16))  # the link mark
        self._set_rect(bounds)
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self._map_scene()
        c = scene.element(self.element_id)
        if c is None:
            return
        p = scene.paints
        self._paint_backdrop(painter, p)
        if c.kind is ComponentKind.ANCHOR:
            painter.setFont(p.anchor_font)
            painter.setPen(p.anchor_text_pen)
            _draw_texts(painter, self._texts)
            self._paint_selection(painter, p)
            return
        self._paint_symbol(painter, p, c, False, c.method, c.market, c.ecosystem)
        if self._owns_pipeline and c.kind is ComponentKind.COMPONENT and not (c.market or c.ecosystem):
            # OWM draws a pipeline's owner as a square (PipelineComponentSymbol).
            r = p.theme.component_radius
            painter.setPen(p.component_pen)
            painter.setBrush(p.component_brush)
            painter.drawRect(QRectF(-r, -r, 2 * r, 2 * r))
        if c.provided_by is not None:
            painter.setPen(p.provided_pen)
            painter.setBrush(p.no_brush)
            r = p.theme.component_radius + 3.5
            if c.market or c.ecosystem or c.method is not None:
                r = symbol_radius(c) + 3.5
            painter.drawEllipse(QPointF(0, 0), r, r)
        if self._inertia is not None:
            painter.setPen(p.no_pen)
            painter.setBrush(p.inertia_brush)
            painter.drawRect(self._inertia)
        painter.setFont(p.font)
        painter.setPen(p.component_text_pen)
        _draw_texts(painter, self._texts)
        if self._small:
            painter.setFont(p.small_font)
            painter.setPen(p.provided_text_pen)
            _draw_texts(painter, self._small)
        self._paint_selection(painter, p)


def inertia_rect(c: Component, radius: float) -> QRectF:
    """OWM's thick bar just past the component, on the side it is evolving towards."""
    w, h = INERTIA_SIZE
    towards_left = c.evolve is not None and c.evolution is not None and c.evolve.evolution < c.evolution
    x = -(radius + 8 + w) if towards_left else radius + 8
    return QRectF(x, -h / 2, w, h)


class EvolveItem(_PointItem):
    """An ``evolve`` line: the dashed arrow from a component to its evolved copy, and
    the copy itself in the evolved colour under its (new) name. Its id is
    ``"<component id>#evolve"``, the same slot name the map's layout uses."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.component_id = element_id.removesuffix("#evolve")
        self._arrow = QLineF()
        self._head = QPolygonF()
        self._shape: QPainterPath | None = None

    def refresh(self, scene: MapScene) -> bool:
        c = scene.element(self.component_id)
        if not isinstance(c, Component) or c.evolve is None:
            return False
        start = scene.component_point(c.id)
        end = scene.component_point(c.id, evolved=True)
        if start is None or end is None:
            return False
        e = c.evolve
        radius = symbol_radius(c, evolved=True)
        self._radius = radius
        self.setPos(end)
        line = QLineF(start - end, QPointF(0, 0))
        self._arrow = _shorten(line, symbol_radius(c) + 2, radius + 3)
        self._head = _arrow_head(self._arrow.p2(), self._arrow.p1())
        explicit = clamp_offset(e.label.dx, e.label.dy) if e.label is not None else None
        name = e.name or c.name
        bounds = self._layout_label(scene, self.element_id, end, c, name, explicit, False, radius, None)
        bounds = bounds.united(QRectF(self._arrow.p1(), self._arrow.p2()).normalized().adjusted(-6, -6, 6, 6))
        self._set_rect(bounds)
        self._shape = None
        return True

    def shape(self) -> QPainterPath:  # noqa: N802 (Qt override)
        """What a click can grab: the evolved copy's symbol, its label and a thin band
        along the arrow. Not the arrow's whole bounding box, which covers the original
        component's circle: pressing that circle must move the component, not
        silently rewrite where it is evolving to."""
        if getattr(self, "_shape", None) is None:
            path = QPainterPath()
            r = self._radius + 3
            path.addEllipse(QPointF(0, 0), r, r)
            path.addRect(self._label_rect)
            line = QPainterPath(self._arrow.p1())
            line.lineTo(self._arrow.p2())
            stroker = QPainterPathStroker()
            stroker.setWidth(6)
            stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
            path.addPath(stroker.createStroke(line))
            self._shape = path.simplified()
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self._map_scene()
        c = scene.element(self.component_id)
        if c is None or c.evolve is None:
            return
        p = scene.paints
        e = c.evolve
        painter.setPen(p.evolve_arrow_pen)
        painter.drawLine(self._arrow)
        painter.setPen(p.no_pen)
        painter.setBrush(p.evolved_head_brush)
        painter.drawPolygon(self._head)
        self._paint_backdrop(painter, p)
        self._paint_symbol(painter, p, c, True, e.method, e.market, e.ecosystem)
        painter.setFont(p.font)
        painter.setPen(p.evolved_text_pen)
        _draw_texts(painter, self._texts)
        self._paint_selection(painter, p)


# -- links ------------------------------------------------------------------------------


class LinkItem(MapItem):
    """A dependency line or a flow between two components (or their evolved copies).

    Geometry is kept in scene coordinates (the item stays at the origin), so moving
    an end only means recomputing this line.
    """

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(-1)
        self._line = QLineF()
        self._heads: list[QPolygonF] = []
        self._texts: Texts = []
        self._flow_texts: Texts = []

    def refresh(self, scene: MapScene) -> bool:
        link = scene.element(self.element_id)
        if link is None:
            return False
        a = scene.component_point(link.source, link.source_evolved)
        b = scene.component_point(link.target, link.target_evolved)
        if a is None or b is None:
            return False
        line = QLineF(a, b)
        self._line = line
        self._heads = []
        rect = QRectF(a, b).normalized()
        pad = 3.0
        if link.flow is not None:
            pad = scene.theme.flow_width / 2 + 2
            src, dst = scene.element(link.source), scene.element(link.target)
            ra = symbol_radius(src, link.source_evolved) + 2 if src else 8
            rb = symbol_radius(dst, link.target_evolved) + 2 if dst else 8
            inner = _shorten(line, ra, rb)
            if link.flow in (FlowDirection.FORWARD, FlowDirection.BOTH):
                self._heads.append(_arrow_head(inner.p2(), inner.p1(), 11))
            if link.flow in (FlowDirection.BACKWARD, FlowDirection.BOTH):
                self._heads.append(_arrow_head(inner.p1(), inner.p2(), 11))
        rect = rect.adjusted(-pad, -pad, pad, pad)
        p = scene.paints
        fm = p.context_fm
        self._texts = []
        self._flow_texts = []
        if link.context and link.context.strip():
            lines = wrap_text(link.context.strip(), fm, 160, 2)
            width = max(fm.horizontalAdvance(t) for t in lines)
            height = fm.ascent() + fm.descent() + fm.lineSpacing() * (len(lines) - 1)
            clearance = scene.theme.flow_width / 2 if link.flow is not None else 0.0
            top_left = scene.place_on_line(self.element_id, "c", a, b, width, height, clearance)
            self._texts, r = _text_block(lines, fm, top_left.x(), top_left.y() + fm.ascent())
            rect = rect.united(r)
        else:
            scene.forget_part(self.element_id, "c")
        if link.flow_value:
            width = fm.horizontalAdvance(link.flow_value)
            top_left = scene.place_on_line(
                self.element_id, "f", a, b, width, fm.ascent() + fm.descent(), scene.theme.flow_width / 2
            )
            self._flow_texts, r = _text_block([link.flow_value], fm, top_left.x(), top_left.y() + fm.ascent())
            rect = rect.united(r)
        else:
            scene.forget_part(self.element_id, "f")
        self._set_rect(rect.adjusted(-1, -1, 1, 1))
        return True

    def line(self) -> QLineF:
        """The link's line in scene coordinates, centre to centre."""
        return QLineF(self._line)

    def shape(self) -> QPainterPath:
        # Clicks select a link only near its line, not anywhere in its bounding box.
        path = QPainterPath(self._line.p1())
        path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self._map_scene()
        link = scene.element(self.element_id)
        if link is None:
            return
        p = scene.paints
        if link.flow is not None:
            painter.setPen(p.flow_pen)
            painter.drawLine(self._line)
        evolved = link.source_evolved or link.target_evolved
        painter.setPen(p.selection_pen if self.isSelected() else (p.evolved_link_pen if evolved else p.link_pen))
        painter.drawLine(self._line)
        if self._heads:
            painter.setPen(p.no_pen)
            painter.setBrush(p.flow_head_brush)
            for head in self._heads:
                painter.drawPolygon(head)
        if self._texts:
            painter.setFont(p.context_font)
            painter.setPen(p.context_text_pen)
            _draw_texts(painter, self._texts)
        if self._flow_texts:
            painter.setFont(p.context_font)
            painter.setPen(p.flow_text_pen)
            _draw_texts(painter, self._flow_texts)


# -- pipelines --------------------------------------------------------------------------


class PipelineItem(MapItem):
    """A pipeline box under its component, spanning its children (block form) or
    ``[start, end]`` (legacy form). Its children are ComponentItems on its line."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(-2)
        self._box = QRectF()

    def refresh(self, scene: MapScene) -> bool:
        pipe = scene.element(self.element_id)
        if pipe is None:
            return False
        owner = scene.component_point(pipe.component_id)
        if owner is None:
            return False
        xs = [pt.x() for pt in (scene.component_point(cid) for cid in scene.pipeline_children(pipe.id)) if pt is not None]
        if xs:
            x1, x2 = min(xs) - 15, max(xs) + 15
        elif pipe.start is not None and pipe.end is not None:
            x1, x2 = sorted((clamp_unit(pipe.start, 0.0) * MAP_WIDTH, clamp_unit(pipe.end, 1.0) * MAP_WIDTH))
        else:
            return False
        self._box = QRectF(x1, owner.y() + PIPELINE_GAP, max(x2 - x1, 4.0), PIPELINE_HEIGHT)
        scene.note_box(self.element_id, self._box, "o")
        self._set_rect(self._box.adjusted(-3, -3, 3, 3))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setPen(p.selection_pen if self.isSelected() else p.pipeline_pen)
        painter.setBrush(p.pipeline_brush)
        painter.drawRect(self._box)


# -- notes, annotations, areas, accelerators ----------------------------------------------


class NoteItem(MapItem):
    """Free text at a point (OWM: bold, baseline at the point)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(1)
        self._texts: Texts = []

    def refresh(self, scene: MapScene) -> bool:
        note = scene.element(self.element_id)
        if note is None:
            return False
        p = scene.paints
        self.setPos(scene.draw_point(note.visibility, note.evolution))
        lines = wrap_text(note.text, p.note_fm, NOTE_MAX_WIDTH, 6)
        self._texts, rect = _text_block(lines, p.note_fm, 0.0, 0.0)
        scene.note_box(self.element_id, rect.translated(self.pos()))
        self._set_rect(rect.adjusted(-3, -3, 3, 3))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setFont(p.note_font)
        painter.setPen(p.note_pen)
        _draw_texts(painter, self._texts)
        if self.isSelected():
            painter.setPen(p.selection_pen)
            painter.setBrush(p.no_brush)
            painter.drawRect(self._rect.adjusted(1, 1, -1, -1))


class AnnotationItem(MapItem):
    """A numbered circle at each point of an annotation, joined when there are several."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(3)
        self._points: list[QPointF] = []

    def refresh(self, scene: MapScene) -> bool:
        a = scene.element(self.element_id)
        if a is None or not a.points:
            return False
        self._points = [scene.draw_point(v, e) for v, e in a.points]
        scene.forget(self.element_id)
        r = ANNOTATION_RADIUS
        for i, pt in enumerate(self._points):
            scene.note_box(self.element_id, QRectF(pt.x() - r, pt.y() - r, 2 * r, 2 * r), f"p{i}")
            if i:
                scene.note_segment(self.element_id, self._points[i - 1], pt, f"s{i}")
        xs = [pt.x() for pt in self._points]
        ys = [pt.y() for pt in self._points]
        r = ANNOTATION_RADIUS + 3
        self._set_rect(QRectF(min(xs) - r, min(ys) - r, max(xs) - min(xs) + 2 * r, max(ys) - min(ys) + 2 * r))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self._map_scene()
        a = scene.element(self.element_id)
        if a is None:
            return
        p = scene.paints
        painter.setPen(p.selection_pen if self.isSelected() else p.annotation_pen)
        for i in range(1, len(self._points)):
            painter.drawLine(QLineF(self._points[i - 1], self._points[i]))
        painter.setBrush(p.annotation_brush)
        painter.setFont(p.number_font)
        label = str(a.number)
        w = p.number_fm.horizontalAdvance(label)
        h = (p.number_fm.ascent() - p.number_fm.descent()) / 2
        for pt in self._points:
            painter.setPen(p.selection_pen if self.isSelected() else p.annotation_pen)
            painter.drawEllipse(pt, ANNOTATION_RADIUS, ANNOTATION_RADIUS)
            painter.setPen(p.annotation_text_pen)
            painter.drawText(QPointF(pt.x() - w / 2, pt.y() + h), label)


class LegendItem(MapItem):
    """The annotations box (``annotations [v, e]``) listing each number and its text.
    Its id is ``"annotations"``, the layout slot of the ``annotations`` line."""

    ID = "annotations"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.setFlags(SELECTABLE)
        self.setZValue(4)
        self._title: Texts = []
        self._texts: Texts = []
        self._box = QRectF()

    def refresh(self, scene: MapScene) -> bool:
        m = scene.document.map
        if not m.annotations:
            return False
        p = scene.paints
        v, e = m.annotations_legend if m.annotations_legend is not None else (0.15, 0.02)
        self.setPos(scene.draw_point(v, e))
        pad = 8.0
        title, trect = _text_block(["Annotations:"], p.legend_title_fm, pad, pad + p.legend_title_fm.ascent())
        y = trect.bottom() + 4 + p.legend_fm.ascent()
        texts: Texts = []
        right = trect.right()
        for a in sorted(m.annotations, key=lambda a: a.number):
            lines = wrap_text(f"{a.number}. {a.text}", p.legend_fm, LEGEND_MAX_WIDTH, 4)
            block, r = _text_block(lines, p.legend_fm, pad, y)
            texts.extend(block)
            right = max(right, r.right())
            y = r.bottom() + 3 + p.legend_fm.ascent()
        self._title, self._texts = title, texts
        self._box = QRectF(0, 0, right + pad, y - p.legend_fm.ascent() + pad - 3)
        scene.note_box(self.ID, self._box.translated(self.pos()))
        self._set_rect(self._box.adjusted(-2, -2, 2, 2))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setPen(p.selection_pen if self.isSelected() else p.legend_pen)
        painter.setBrush(p.legend_brush)
        painter.drawRect(self._box)
        painter.setPen(p.legend_text_pen)
        painter.setFont(p.legend_title_font)
        _draw_texts(painter, self._title)
        painter.setFont(p.legend_font)
        _draw_texts(painter, self._texts)


class AreaItem(MapItem):
    """A pioneers / settlers / town-planners box (``[top, left, bottom, right]``)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(-5)
        self._box = QRectF()

    def refresh(self, scene: MapScene) -> bool:
        a = scene.element(self.element_id)
        if a is None:
            return False
        self._box = QRectF(scene.draw_point(a.top, a.left), scene.draw_point(a.bottom, a.right)).normalized()
        self._set_rect(self._box.adjusted(-4, -4, 4, 4))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self._map_scene()
        a = scene.element(self.element_id)
        if a is None:
            return
        p = scene.paints
        pen, brush = p.areas[a.kind]
        painter.setPen(p.selection_pen if self.isSelected() else pen)
        painter.setBrush(brush)
        painter.drawRoundedRect(self._box, 6, 6)


_ARROW = [(-19, -9), (0, -9), (0, -19), (20, 0), (0, 19), (0, 9), (-19, 9)]


class AcceleratorItem(MapItem):
    """An accelerator (arrow pointing right, towards commodity) or deaccelerator
    (pointing left), with its name underneath."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(-0.5)  # under components, so their labels stay readable
        self._shape = QPolygonF()
        self._texts: Texts = []

    def refresh(self, scene: MapScene) -> bool:
        a = scene.element(self.element_id)
        if a is None:
            return False
        p = scene.paints
        self.setPos(scene.draw_point(a.visibility, a.evolution))
        sign = -1.0 if a.kind is AcceleratorKind.DEACCELERATOR else 1.0
        self._shape = QPolygonF([QPointF(sign * x, y) for x, y in _ARROW])
        lines = wrap_text(a.name, p.fm, LABEL_MAX_WIDTH, 2)
        fm = p.fm
        width = max(fm.horizontalAdvance(t) for t in lines)
        height = fm.ascent() + fm.descent() + fm.lineSpacing() * (len(lines) - 1)
        scene.note_box(self.element_id, QRectF(-20, -20, 40, 40).translated(self.pos()), "o")
        # Name under the arrow, or above it when something is already there (an
        # accelerator and a deaccelerator often share a point).
        below, above = 22 + fm.ascent(), -22 - height + fm.ascent()
        first = below
        for baseline in (below, above):
            box = QRectF(-width / 2, baseline - fm.ascent(), width, height).translated(self.pos())
            if scene.label_hits(self.element_id, box) == 0:
                first = baseline
                break
        self._texts, rect = _text_block(lines, fm, 0.0, first, centre=True)
        scene.note_box(self.element_id, rect.translated(self.pos()))
        self._set_rect(QRectF(-22, -22, 44, 44).united(rect).adjusted(-2, -2, 2, 2))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setPen(p.selection_pen if self.isSelected() else p.accelerator_pen)
        painter.setBrush(p.accelerator_brush(QRectF(-20, -20, 40, 40)))
        painter.drawPolygon(self._shape)
        painter.setFont(p.font)
        painter.setPen(p.accelerator_text_pen)
        _draw_texts(painter, self._texts)


# -- the frame: axes, stages, title ------------------------------------------------------


class GridItem(MapItem):
    """Axes, stage boundaries and labels, the wardley gradient, and the caption of the
    tray of components that have no coordinates yet. Not an element: id ``"grid"``."""

    ID = "grid"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.setZValue(-10)
        self._texts: list[tuple[QFont, QPen, Texts]] = []
        self._rotated: list[tuple[float, str, bool]] = []
        self._evolution_axis = True
        self._value_chain_axis = True

    def refresh(self, scene: MapScene) -> bool:
        p = scene.paints
        m = scene.document.map
        # OWM's ``evolution --hide`` / ``valuechain --hide``: that axis, its captions and
        # (for evolution) the stage lines are not drawn.
        self._evolution_axis = not m.evolution_axis_hidden
        self._value_chain_axis = not m.value_chain_hidden
        labels = list(m.evolution_labels or [])
        if len(labels) != 4:
            labels = list(DEFAULT_STAGE_LABELS)
        fm = p.grid_fm
        stage_x = [0.0] + [b * MAP_WIDTH + 5 for b in STAGE_BOUNDARIES]
        texts: Texts = []
        for x, label in zip(stage_x, labels):
            lines = wrap_text(label, fm, 150, 3)
            block, _ = _text_block(lines, fm, x, MAP_HEIGHT + 4 + fm.ascent())
            texts.extend(block)
        bold: Texts = []
        w = p.grid_bold_fm.horizontalAdvance("Evolution")
        bold.append((MAP_WIDTH - w, MAP_HEIGHT + 4 + p.grid_bold_fm.ascent() + fm.lineSpacing(), "Evolution"))
        captions: Texts = []
        corner: Texts = []
        if p.theme.show_uncharted:
            cfm = p.caption_fm
            cw = cfm.horizontalAdvance("Industrialised")
            corner.append((6.0, 4 + cfm.ascent(), "Uncharted"))
            corner.append((MAP_WIDTH - 6 - cw, 4 + cfm.ascent(), "Industrialised"))
            # A corner caption gives way to anything the map itself puts there (OWM
            # prints over it; the map's own text matters more).
            kept: Texts = []
            for i, (x, y, text) in enumerate(corner):
                box = QRectF(x, y - cfm.ascent(), cfm.horizontalAdvance(text), cfm.height())
                if scene.label_hits(self.ID, box) == 0:
                    kept.append((x, y, text))
                    scene.note_box(self.ID, box, f"c{i}")
                else:
                    scene.forget_part(self.ID, f"c{i}")
            corner = kept
        tray = scene.tray_top()
        if tray is not None:
            captions.append((0.0, tray + p.caption_fm.ascent(), "Not placed yet (no coordinates):"))
        if not self._evolution_axis:
            texts, bold, corner = [], [], []
        self._texts = [
            (p.grid_font, p.grid_text_pen, texts),
            (p.grid_bold, p.grid_text_pen, bold),
            (p.caption_font, p.grid_text_pen, captions),
            (p.caption_font, p.corner_pen, corner),
        ]
        self._rotated = [(0.0, "Visible", False), (MAP_HEIGHT, "Invisible", False), (MAP_HEIGHT / 2, "Value Chain", True)]
        if not self._value_chain_axis:
            self._rotated = []
        bottom = MAP_HEIGHT + 8 + fm.lineSpacing() * 3
        if tray is not None:
            bottom = max(bottom, tray + 20)
        self._set_rect(QRectF(-12 - fm.height() - 10, -4, MAP_WIDTH + 24 + fm.height() + 12, bottom + 8))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        t = p.theme
        if t.map_gradient:
            g = QLinearGradient(QPointF(0, 0), QPointF(MAP_WIDTH, 0))
            for offset, css in t.map_gradient:
                g.setColorAt(offset, qcolor(css))
            painter.setPen(p.no_pen)
            painter.setBrush(QBrush(g))
            painter.drawRect(QRectF(0, 0, MAP_WIDTH, MAP_HEIGHT))
        painter.setPen(p.stage_pen)
        if self._evolution_axis:
            for b in STAGE_BOUNDARIES:
                painter.drawLine(QPointF(b * MAP_WIDTH, 0), QPointF(b * MAP_WIDTH, MAP_HEIGHT))
        painter.setPen(p.axis_pen)
        painter.setBrush(QBrush(p.axis_pen.color()))
        if self._evolution_axis:
            painter.drawLine(QPointF(0, MAP_HEIGHT), QPointF(MAP_WIDTH - 2, MAP_HEIGHT))
            painter.drawPolygon(_arrow_head(QPointF(MAP_WIDTH + 4, MAP_HEIGHT), QPointF(0, MAP_HEIGHT), 10))
        if self._value_chain_axis:
            painter.drawLine(QPointF(0, MAP_HEIGHT), QPointF(0, 2))
            painter.drawPolygon(_arrow_head(QPointF(0, -4), QPointF(0, MAP_HEIGHT), 10))
        for font, pen, texts in self._texts:
            painter.setFont(font)
            painter.setPen(pen)
            _draw_texts(painter, texts)
        # Value-chain captions run up the left edge, as in OWM.
        fm = p.grid_fm
        for y, text, bold in self._rotated:
            painter.save()
            painter.setFont(p.grid_bold if bold else p.grid_font)
            painter.setPen(p.grid_text_pen)
            painter.translate(-8, y)
            painter.rotate(-90)
            w = (p.grid_bold_fm if bold else fm).horizontalAdvance(text)
            if text == "Visible":
                x = -w
            elif text == "Invisible":
                x = 0.0
            else:
                x = -w / 2
            painter.drawText(QPointF(x, 0), text)
            painter.restore()


class TitleItem(MapItem):
    """The map's title above the top-left corner (id ``"title"``, its layout slot)."""

    ID = "title"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self._texts: Texts = []

    def refresh(self, scene: MapScene) -> bool:
        title = scene.document.map.title
        if not title:
            return False
        p = scene.paints
        lines = wrap_text(title, p.title_fm, MAP_WIDTH, 2)
        fm = p.title_fm
        first = -14 - fm.descent() - fm.lineSpacing() * (len(lines) - 1)
        self._texts, rect = _text_block(lines, fm, 0.0, first)
        scene.note_box(self.ID, rect)
        self._set_rect(rect.adjusted(-2, -2, 2, 2))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setFont(p.title_font)
        painter.setPen(p.title_pen)
        _draw_texts(painter, self._texts)


__all__ = [
    "MAP_HEIGHT",
    "MAP_WIDTH",
    "AcceleratorItem",
    "AnnotationItem",
    "AreaItem",
    "ComponentItem",
    "EvolveItem",
    "GridItem",
    "LegendItem",
    "LinkItem",
    "MapItem",
    "NoteItem",
    "Paints",
    "PipelineItem",
    "TitleItem",
    "qcolor",
    "clamp_offset",
    "clamp_unit",
    "inertia_rect",
    "symbol_radius",
    "wrap_text",
]

