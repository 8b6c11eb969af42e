"""Components, anchors, submaps and their evolved copies: symbol, label, extras."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QFontMetricsF,
    QGlyphRun,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    Component,
    ComponentKind,
    Method,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.items.base import (
    ECOSYSTEM_RADIUS,
    INERTIA_SIZE,
    LABEL_MAX_LINES,
    LABEL_MAX_WIDTH,
    MARKET_RADIUS,
    METHOD_RADIUS,
    PIPELINE_HEIGHT,
    SELECTABLE,
    MapItem,
    Texts,
    arrow_head,
    clamp_offset,
    draw_in,
    draw_texts,
    overlaps,
    shorten,
    symbol_radius,
    text_block,
    wrap_text,
)
from osom_desktop.drawing.items.paints import Paints

# A component's symbol as shapes to fill in order (pen, brush, QPainter's draw call,
# shape), its name's pen and its name's glyph runs, placed (``_plain_look``).
PlainLook = tuple[
    tuple[tuple[QPen, QBrush, Callable[[QPainter, QRectF], None], QRectF], ...],
    QPen,
    list[tuple[QPointF, QGlyphRun, tuple[float, float, float, float]]],
]


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
        # Scene boxes (left, top, right, bottom) of the label (with its backdrop) and
        # of the symbol (with its rings, marks and inertia bar), for leaving out what
        # a repaint does not reach; one attribute, as each read costs the binding.
        self._boxes = ((0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0))
        # A plain component's whole look on the canvas, made at refresh (see
        # ``ComponentItem._plain_look``); None for anything else, which paints the long way.
        self._plain: PlainLook | None = None

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
        if anchor:
            # OWM centres an anchor's bold name on its point.
            dx, dy = explicit if explicit is not None else (0.0, 0.0)
            first = (fm.ascent() - fm.descent()) / 2 + dy - (len(lines) - 1) * fm.lineSpacing() / 2
            texts, rect = text_block(lines, fm, dx, first, centre=True)
            hits = scene.label_hits(key, rect.translated(point))
            scene.note_box(key, rect.translated(point))
        else:
            texts, rect, hits = _name_block(scene, key, point, c, lines, fm, explicit, radius, len(small_lines))
        self._texts = texts
        self._small = []
        if small_lines:
            small, srect = text_block(small_lines, p.small_fm, rect.left(), rect.bottom() + p.small_fm.ascent())
            self._small = small
            rect = rect.united(srect)
        # Text that still covers a line or a symbol gets a translucent backdrop.
        self._backdrop = rect.adjusted(-2, 0, 2, 0) if hits else None
        self._label_rect = QRectF(rect)
        bounds = QRectF(-radius, -radius, 2 * radius, 2 * radius).adjusted(-4, -4, 4, 4).united(rect)
        if inertia is not None:
            bounds = bounds.united(inertia)
        return bounds.adjusted(-2, -2, 2, 2)

    def _note_boxes(self, point: QPointF, symbol: QRectF, fm: QFontMetricsF) -> None:
        """Where the label and the symbol are in the scene (``_boxes``): ``symbol`` is
        everything but the label, around the point. The label's box reaches a third
        of a line further each way (a glyph may ink a little past its advance), the
        symbol's two units (its pen)."""
        x, y = point.x(), point.y()
        label = self._label_rect if self._backdrop is None else self._label_rect.united(self._backdrop)
        m = fm.height() / 3
        self._boxes = (
            (x + label.left() - m, y + label.top() - m, x + label.right() + m, y + label.bottom() + m),
            (x + symbol.left() - 2, y + symbol.top() - 2, x + symbol.right() + 2, y + symbol.bottom() + 2),
        )

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

    def label_offset(self) -> tuple[float, float]:
        """Where the label is drawn, as OWM's ``label [x, y]`` would say it: the left
        end and baseline of its first line, from the symbol's centre."""
        if not self._texts:
            return (0.0, 0.0)
        x, y, _ = self._texts[0]
        return (round(x), round(y))

    def on_symbol(self, scene_pos: QPointF) -> bool:
        """Whether ``scene_pos`` is on the symbol (a press there moves the component)."""
        return QLineF(self.pos(), scene_pos).length() <= self._radius + 2

    def on_label(self, scene_pos: QPointF) -> bool:
        """Whether a press at ``scene_pos`` is on the label rather than the symbol:
        a press on the symbol moves the component, one on its name moves the name."""
        if self.on_symbol(scene_pos):
            return False
        return self._label_rect.adjusted(-2, -2, 2, 2).contains(scene_pos - self.pos())

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
        # The symbol with the inertia bar and a submap's link mark.
        symbol = _ring_box(radius)
        if inertia is not None:
            symbol = symbol.united(inertia)
        if c.kind is ComponentKind.SUBMAP:
            r = scene.theme.component_radius
            mark = QRectF(-r - 20, -r - 11, 18, 16)  # the link mark
            bounds = bounds.united(mark)
            symbol = symbol.united(mark)
        self._note_boxes(point, symbol, scene.paints.anchor_fm if anchor else scene.paints.fm)
        self._plain = self._plain_look(scene.paints, c, anchor)
        self._set_rect(bounds)
        return True

    def _plain_look(self, p: Paints, c: Component, anchor: bool) -> PlainLook | None:
        """How a component with a one-font name draws on the canvas (most of a big map),
        worked out once: its symbol as shapes to fill in order (the method's disc, the
        circle, a pipeline owner's square, the inertia bar), the name's pen and its
        glyph runs already placed. None for an anchor, a market or an ecosystem, a
        submap, a component another service provides (its "provided by" line), or in
        an export: those draw the long way.

        At 5,000 components a label-sized repaint calls ``paint`` on ~700 components;
        the long way looks up the element, the theme and each extra at every call."""
        if (
            p.shaped is None
            or anchor
            or c.kind is not ComponentKind.COMPONENT
            or c.market
            or c.ecosystem
            or c.provided_by is not None
            or self._small
        ):
            return None
        r = p.theme.component_radius
        shapes: list[tuple[QPen, QBrush, Callable[[QPainter, QRectF], None], QRectF]] = []
        if c.method is not None:  # as ``_paint_symbol`` draws it
            brush, pen = p.method[c.method]
            m = METHOD_RADIUS
            shapes.append((pen, brush, QPainter.drawEllipse, QRectF(-m, -m, 2 * m, 2 * m)))
        shapes.append((p.component_pen, p.component_brush, QPainter.drawEllipse, QRectF(-r, -r, 2 * r, 2 * r)))
        if self._owns_pipeline:  # as ``_paint_marks`` draws it
            shapes.append((p.component_pen, p.component_brush, QPainter.drawRect, QRectF(-r, -r, 2 * r, 2 * r)))
        if self._inertia is not None:
            shapes.append((p.no_pen, p.inertia_brush, QPainter.drawRect, QRectF(self._inertia)))
        # Each line's run with its box in the scene, a third of a line round its glyphs
        # (as the label's box): a repaint leaves out the lines it does not reach, and
        # a glyph costs its look-up in the glyph cache even where it is clipped away.
        x, y, m = self.pos().x(), self.pos().y(), p.fm.height() / 3
        runs = []
        for at, run in p.shaped.placed(self._texts):
            box = run.boundingRect().translated(at)
            runs.append((at, run, (x + box.left() - m, y + box.top() - m, x + box.right() + m, y + box.bottom() + m)))
        return (tuple(shapes), p.component_text_pen, runs)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # On the canvas, the symbol or the label that lies wholly outside the area
        # being repainted is left out: at 5,000 components a label-sized repaint holds
        # ~250 components, and most reach it with one of the two only (~12 us a
        # label's text, ~4 us a symbol), some with neither (the corner between them).
        # Not into a pixmap cache (no widget): the cache keeps the whole item.
        area = MapItem.paint_area if widget is not None else None
        if area is None:
            label = symbol = True
        else:
            # ``overlaps``, written out: this runs ~700 times a repaint.
            (l0, l1, l2, l3), (s0, s1, s2, s3) = self._boxes
            a0, a1, a2, a3 = area
            label = l0 <= a2 and l2 >= a0 and l1 <= a3 and l3 >= a1
            symbol = s0 <= a2 and s2 >= a0 and s1 <= a3 and s3 >= a1
            if not (label or symbol):
                return
        plain = self._plain
        if plain is not None:
            # The same drawing as the long way below, in the same order, with what
            # refresh worked out.
            shapes, text_pen, runs = plain
            if label and self._backdrop is not None:
                self._paint_backdrop(painter, self._map_scene().paints)
            if symbol:
                for pen, brush, draw, shape in shapes:
                    painter.setPen(pen)
                    painter.setBrush(brush)
                    draw(painter, shape)
            if label:
                painter.setPen(text_pen)
                if area is None:
                    for at, run, _ in runs:
                        painter.drawGlyphRun(at, run)
                else:
                    for at, run, (r0, r1, r2, r3) in runs:
                        if r0 <= a2 and r2 >= a0 and r1 <= a3 and r3 >= a1:
                            painter.drawGlyphRun(at, run)
            if symbol and self.isSelected():
                self._paint_selection(painter, self._map_scene().paints)
            return
        scene = self._map_scene()
        c = scene.element(self.element_id)
        if c is None:
            return
        p = scene.paints
        if label:
            self._paint_backdrop(painter, p)
        if c.kind is ComponentKind.ANCHOR:
            if label:
                painter.setPen(p.anchor_text_pen)
                draw_in(painter, p.anchor_shaped, p.anchor_font, self._texts)
            if symbol:
                self._paint_selection(painter, p)
            return
        if symbol:
            self._paint_symbol(painter, p, c, False, c.method, c.market, c.ecosystem)
            self._paint_marks(painter, p, c)
            if self._inertia is not None:
                painter.setPen(p.no_pen)
                painter.setBrush(p.inertia_brush)
                painter.drawRect(self._inertia)
        if label:
            painter.setPen(p.component_text_pen)
            draw_in(painter, p.shaped, p.font, self._texts)
            if self._small:
                painter.setFont(p.small_font)
                painter.setPen(p.provided_text_pen)
                draw_texts(painter, self._small)
        if symbol:
            self._paint_selection(painter, p)

    def _paint_marks(self, painter: QPainter, p: Paints, c: Component) -> None:
        """Over the symbol: a pipeline owner's square, the ring of a component another
        service provides."""
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


def _ring_box(radius: float) -> QRectF:
    """Round a symbol of ``radius``: its widest ring, the selection's (4 out, with a
    2-wide pen)."""
    return QRectF(-radius - 6, -radius - 6, 2 * radius + 12, 2 * radius + 12)


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
        self._arrow_box = (0.0, 0.0, 0.0, 0.0)  # the arrow and its head in the scene, for leaving out

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
        self._arrow = shorten(line, symbol_radius(c) + 2, radius + 3)
        self._head = arrow_head(self._arrow.p2(), self._arrow.p1())
        explicit = clamp_offset(e.label.dx, e.label.dy) if e.label is not None else None
        name = e.name or c.name
        bounds = self._layout_label(scene, self.element_id, end, c, name, explicit, False, radius, None)
        arrow = QRectF(self._arrow.p1(), self._arrow.p2()).normalized().adjusted(-6, -6, 6, 6)
        bounds = bounds.united(arrow)
        arrow = arrow.united(self._head.boundingRect()).translated(end).adjusted(-2, -2, 2, 2)
        self._arrow_box = (arrow.left(), arrow.top(), arrow.right(), arrow.bottom())
        self._note_boxes(end, _ring_box(radius), scene.paints.fm)
        self._set_rect(bounds)
        self._shape = None
        return True

    def shape(self) -> QPainterPath:  # noqa: N802 (Qt override)
        """What a click can grab: the evolved copy's symbol, its label and a thin band
        along the arrow. Not the arrow's whole bounding box, which covers the original
        component's circle: pressing that circle must move the component, not
        silently rewrite where it is evolving to."""
        shape = getattr(self, "_shape", None)
        if shape is None:
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
            self._shape = shape = path.simplified()
        return shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # On the canvas the arrow, the symbol or the label wholly outside the area being
        # repainted is left out, as a component's symbol and label are.
        area = MapItem.paint_area if widget is not None else None
        if area is None:
            arrow = label = symbol = True
        else:
            label_box, symbol_box = self._boxes
            arrow = overlaps(self._arrow_box, area)
            label = overlaps(label_box, area)
            symbol = overlaps(symbol_box, area)
            if not (arrow or label or symbol):
                return
        scene = self._map_scene()
        c = scene.element(self.component_id)
        if c is None or c.evolve is None:
            return
        p = scene.paints
        e = c.evolve
        if arrow:
            painter.setPen(p.evolve_arrow_pen)
            painter.drawLine(self._arrow)
            painter.setPen(p.no_pen)
            painter.setBrush(p.evolved_head_brush)
            painter.drawPolygon(self._head)
        if label:
            self._paint_backdrop(painter, p)
        if symbol:
            self._paint_symbol(painter, p, c, True, e.method, e.market, e.ecosystem)
        if label:
            painter.setPen(p.evolved_text_pen)
            draw_in(painter, p.shaped, p.font, self._texts)
        if symbol:
            self._paint_selection(painter, p)





def _name_block(
    scene: MapScene,
    key: str,
    point: QPointF,
    c: Component,
    lines: list[str],
    fm: QFontMetricsF,
    explicit: tuple[float, float] | None,
    radius: float,
    small_lines: int,
) -> tuple[Texts, QRectF, int]:
    """A component's name (not an anchor's): at its own offset, centred under the box
    for a pipeline child, or where the scene finds room. Returns the texts, their
    rect (relative to ``point``) and how much they cover."""
    p = scene.paints
    width = max(fm.horizontalAdvance(line) for line in lines)
    height = fm.ascent() + fm.descent() + fm.lineSpacing() * (len(lines) - 1)
    extra = p.small_fm.lineSpacing() * small_lines
    if explicit is None and c.pipeline_id is not None and key == c.id:
        return _pipeline_child_name(scene, key, point, lines, fm, (width, height + extra), radius, small_lines)
    if explicit is None:
        # Placed as one block with the "provided by" line under the name.
        dx, baseline, hits = scene.place_label(key, point, radius, width, height + extra, fm.ascent())
        if small_lines and baseline < 0:
            baseline -= extra
        texts, rect = text_block(lines, fm, dx, baseline)
        return texts, rect, hits
    dx, baseline = explicit
    if small_lines and baseline < 0:
        baseline -= extra  # a label above the symbol grows upwards
    texts, rect = text_block(lines, fm, dx, baseline)
    hits = scene.label_hits(key, rect.translated(point))
    scene.note_box(key, rect.translated(point))
    return texts, rect, hits


def _pipeline_child_name(
    scene: MapScene, key: str, point: QPointF, lines: list[str], fm: QFontMetricsF, size: tuple[float, float],
    radius: float, small_lines: int,
) -> tuple[Texts, QRectF, int]:
    """A pipeline child's name, centred under the box where OWM's examples put it;
    where that covers something (children a few hundredths apart along one pipeline
    printed their names over each other under it), over the box, then a row lower
    under it, staggered as a timeline's labels are. If all of those cover something,
    the side of the circle that covers least (OWM's default place first)."""
    from osom_desktop.drawing.label_placement import LabelGrid

    p = scene.paints
    width, height = size
    below = PIPELINE_HEIGHT / 2 + 3 + fm.ascent()
    above = -PIPELINE_HEIGHT / 2 - 3 - height + fm.ascent()
    lower = below + height + 1
    gap = fm.horizontalAdvance(" ") * 2
    best: tuple[int, Texts, QRectF] | None = None
    for baseline in (below, above, lower):
        texts, rect = text_block(lines, fm, -width / 2, baseline)
        # A word's space either side: two names side by side read as one long name.
        hits = scene.label_hits(key, rect.translated(point).adjusted(-gap, 0, gap, 0))
        if best is None or hits < best[0]:
            best = (hits, texts, rect)
        if hits == 0:
            break
    assert best is not None  # three places were tried
    # Crossing a line or two is fine (the name gets a backdrop); covering a symbol or
    # text is not: then a place beside the circle, wherever covers least.
    if best[0] >= LabelGrid.BOX_WEIGHT:
        dx, baseline, hits = scene.place_label(key, point, radius, width, height, fm.ascent())
        if hits < best[0]:
            if small_lines and baseline < 0:
                baseline -= p.small_fm.lineSpacing() * small_lines
            texts, rect = text_block(lines, fm, dx, baseline)
            best = (hits, texts, rect)
    hits, texts, rect = best
    scene.note_box(key, rect.translated(point))
    return texts, rect, hits

