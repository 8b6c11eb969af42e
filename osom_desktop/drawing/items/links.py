"""Dependency lines and flows between components."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import (
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    FlowDirection,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
    from osom_desktop.model.wardley import Link
from osom_desktop.drawing.items.base import (
    SELECTABLE,
    MapItem,
    Texts,
    arrow_head,
    draw_texts,
    shorten,
    symbol_radius,
    text_block,
    wrap_text,
)


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
        self._placed = False  # whether it ever placed a text (then it has some to forget)
        # Decided at refresh, not at every paint: the repaint after one edit at 5,000
        # components paints ~300 links whose boxes reach the edited spot, and looking
        # the link up again in each cost about a third of their Python time.
        self._pen: QPen | None = None
        self._plain = True  # a bare line: no flow, no text
        # A bare line's pen and line in one attribute (None for any other link): each
        # attribute read on the item costs a lookup through the binding (~2-3 k
        # instructions), and a repaint at 5,000 components paints ~500 links.
        self._bare: tuple[QPen, QLineF] | None = None

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
        # Most links are a bare line: its box by hand, and nothing to place or forget
        # (2,000 of them are built for every export of a 1,000-component map).
        pad = 4.0  # 3 round the line, 1 round everything
        if link.flow is not None:
            pad = scene.theme.flow_width / 2 + 3
            self._heads = _flow_heads(scene, link, line)
        elif self._heads:
            self._heads = []
        p = scene.paints  # a new theme builds new items, so these pens stay the scene's
        self._pen = p.evolved_link_pen if (link.source_evolved or link.target_evolved) else p.link_pen
        ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
        rect = QRectF(min(ax, bx) - pad, min(ay, by) - pad, abs(bx - ax) + 2 * pad, abs(by - ay) + 2 * pad)
        if link.context or link.flow_value or self._placed:
            rect = self._place_texts(scene, link, a, b, rect.adjusted(1, 1, -1, -1)).adjusted(-1, -1, 1, 1)
        self._plain = link.flow is None and not self._heads and not self._texts and not self._flow_texts
        self._bare = (self._pen, line) if self._plain else None
        self._set_rect(rect)
        return True

    def _place_texts(self, scene: MapScene, link: Link, a: QPointF, b: QPointF, rect: QRectF) -> QRectF:
        """The link's label and flow value beside its line; ``rect`` grown to cover them."""
        p = scene.paints
        fm = p.context_fm
        self._texts = []
        self._flow_texts = []
        self._placed = bool(link.context or link.flow_value)
        if link.context and link.context.strip():
            lines = wrap_text(link.context.strip(), fm, 160, 2)
            width = max(fm.horizontalAdvance(t) for t in lines)
            height = fm.ascent() + fm.descent() + fm.lineSpacing() * (len(lines) - 1)
            clearance = scene.theme.flow_width / 2 if link.flow is not None else 0.0
            top_left = scene.place_on_line(self.element_id, "c", a, b, width, height, clearance)
            self._texts, r = text_block(lines, fm, top_left.x(), top_left.y() + fm.ascent())
            rect = rect.united(r)
        else:
            scene.forget_part(self.element_id, "c")
        if link.flow_value:
            width = fm.horizontalAdvance(link.flow_value)
            top_left = scene.place_on_line(
                self.element_id, "f", a, b, width, fm.ascent() + fm.descent(), scene.theme.flow_width / 2
            )
            self._flow_texts, r = text_block([link.flow_value], fm, top_left.x(), top_left.y() + fm.ascent())
            rect = rect.united(r)
        else:
            scene.forget_part(self.element_id, "f")
        return rect

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
        bare = self._bare
        if bare is not None:
            painter.setPen(self._map_scene().paints.selection_pen if self.isSelected() else bare[0])
            painter.drawLine(bare[1])
            return
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
            draw_texts(painter, self._texts)
        if self._flow_texts:
            painter.setFont(p.context_font)
            painter.setPen(p.flow_text_pen)
            draw_texts(painter, self._flow_texts)


def _flow_heads(scene: MapScene, link: Link, line: QLineF) -> list[QPolygonF]:
    """A flow's arrow heads, at the edges of the two symbols, not their centres."""
    src, dst = scene.element(link.source), scene.element(link.target)
    ra = symbol_radius(src, link.source_evolved) + 2 if src else 8
    rb = symbol_radius(dst, link.target_evolved) + 2 if dst else 8
    inner = shorten(line, ra, rb)
    heads = []
    if link.flow in (FlowDirection.FORWARD, FlowDirection.BOTH):
        heads.append(arrow_head(inner.p2(), inner.p1(), 11))
    if link.flow in (FlowDirection.BACKWARD, FlowDirection.BOTH):
        heads.append(arrow_head(inner.p1(), inner.p2(), 11))
    return heads
