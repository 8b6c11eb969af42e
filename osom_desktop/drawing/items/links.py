"""Dependency lines and flows between components."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    FlowDirection,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
    from osom_desktop.model.wardley import Link
from osom_desktop.drawing.items.base import (
    NOWHERE,
    SELECTABLE,
    Box,
    MapItem,
    Texts,
    arrow_head,
    draw_in,
    overlaps,
    shorten,
    symbol_radius,
    text_block,
    texts_box,
    wrap_text,
)

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
# The layer's grid: a bare line is listed in every cell its box meets (scene units).
CELL = 64.0


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
        self._layered = False  # drawn by the scene's LinkLayer, not by its own paint
        # A link with more than a line (``_bare`` None): whether it is a flow, and the
        # scene boxes (left, top, right, bottom) of its line with the flow's band and
        # heads, of its label and of its flow value, so a repaint that reaches one
        # part leaves the others out.
        self._flow = False
        self._parts: tuple[Box, Box, Box] = (NOWHERE, NOWHERE, NOWHERE)

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
        self._flow = link.flow is not None
        m = p.context_fm.height() / 3  # a glyph may ink a little past its advance
        self._parts = (
            (min(ax, bx) - pad, min(ay, by) - pad, max(ax, bx) + pad, max(ay, by) + pad),
            texts_box(self._texts, p.context_fm, m),
            texts_box(self._flow_texts, p.context_fm, m),
        )
        self._bare = (self._pen, line) if self._plain else None
        self._set_rect(rect)
        layered = scene.link_layer.put(self.element_id, self._bare, rect)
        if layered != self._layered:  # the layer draws it: Qt need not call paint here
            self._layered = layered
            self.setFlag(NO_CONTENTS, layered)
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
        # On the canvas, a part wholly outside the area being repainted is left out
        # (a repaint after one edit at 5,000 components reaches ~150 such links,
        # mostly by one part), and the texts are drawn from glyph runs shaped once.
        area = MapItem.paint_area if widget is not None else None
        line_box, texts_box, flow_box = self._parts
        p = self._map_scene().paints
        if area is None or overlaps(line_box, area):
            if self._flow:
                painter.setPen(p.flow_pen)
                painter.drawLine(self._line)
            painter.setPen(p.selection_pen if self.isSelected() else self._pen)
            painter.drawLine(self._line)
            if self._heads:
                painter.setPen(p.no_pen)
                painter.setBrush(p.flow_head_brush)
                for head in self._heads:
                    painter.drawPolygon(head)
        if self._texts and (area is None or overlaps(texts_box, area)):
            painter.setPen(p.context_text_pen)
            draw_in(painter, p.context_shaped, p.context_font, self._texts)
        if self._flow_texts and (area is None or overlaps(flow_box, area)):
            painter.setPen(p.flow_text_pen)
            draw_in(painter, p.context_shaped, p.context_font, self._flow_texts)



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


class LinkLayer(MapItem):
    """Draws every bare link line (no flow, no text, not selected) in one item.

    A repaint calls one Python ``paint`` per item whose box reaches the area: at
    5,000 components a label-sized repaint holds ~500 links, and the call alone, not
    the line it draws, was half of an edit's ~20 ms. Here one call draws the lines that
    reach the area, found in a grid. A bare link keeps its own ``LinkItem`` (selection,
    hit tests, menus, its place in the map's items) with no contents of its own; one
    that gains a flow or a label, or is selected, or moves in a drag (``release``)
    paints itself again. Lines are drawn one by one, in the order they came, as their
    items drew them.
    """

    ID = "#links"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)  # exposedRect
        self._lines: dict[str, tuple[int, QPen, QLineF, QRectF]] = {}
        self._boxes: dict[str, tuple[float, float, float, float]] = {}  # each line's box as numbers
        self._cells: dict[tuple[int, int], set[str]] = {}
        self._out: dict[str, set[str]] = {}  # why a line is drawn by its item: id -> reasons
        self._order = 0
        self._batch = 0  # > 0 while a build adds lines: no repaint asked, bounds set once

    def refresh(self, scene: MapScene) -> bool:
        return True

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: clicks go to the links' own items

    def begin_batch(self) -> None:
        self._batch += 1

    def end_batch(self) -> None:
        self._batch -= 1
        if self._batch == 0:
            bounds = QRectF()
            for _, _, _, box in self._lines.values():
                bounds = bounds.united(box)
            self._set_rect(bounds)

    def put(self, link_id: str, bare: tuple[QPen, QLineF] | None, box: QRectF) -> bool:
        """Take (or drop, for None) the line of a link whose box is ``box``; whether
        the layer draws it now (else the link's item paints itself)."""
        old = self._lines.get(link_id)
        if old is not None and bare is not None and old[1] is bare[0] and old[2] == bare[1] and old[3] == box:
            return link_id not in self._out  # refreshed, not changed: nothing to repaint
        if old is not None:
            del self._lines[link_id]
            del self._boxes[link_id]
            self._file(link_id, old[3], add=False)
            self._changed(old[3])
        if bare is None:
            return False
        order = old[0] if old is not None else self._next()
        self._lines[link_id] = (order, bare[0], bare[1], box)
        self._boxes[link_id] = (box.left(), box.top(), box.right(), box.bottom())
        self._file(link_id, box, add=True)
        if not self._batch and not self._rect.contains(box):
            self._set_rect(self._rect.united(box))
        self._changed(box)
        return link_id not in self._out

    def drop(self, link_id: str) -> None:
        """The link is gone from the map."""
        self.put(link_id, None, QRectF())
        self._out.pop(link_id, None)

    def release(self, link_ids: set[str], why: str, scene: MapScene) -> None:
        """These links paint themselves (``why``: "selected", "dragged"), the layer
        leaves them out; ``take_back`` ends it."""
        for link_id in link_ids:
            reasons = self._out.setdefault(link_id, set())
            if why in reasons:
                continue
            reasons.add(why)
            self._own(link_id, scene, False)

    def take_back(self, link_ids: set[str], why: str, scene: MapScene) -> None:
        for link_id in link_ids:
            reasons = self._out.get(link_id)
            if reasons is None or why not in reasons:
                continue
            reasons.discard(why)
            if not reasons:
                del self._out[link_id]
                self._own(link_id, scene, True)

    def released(self, why: str) -> set[str]:
        """The links left out for ``why``."""
        return {link_id for link_id, reasons in self._out.items() if why in reasons}

    def _own(self, link_id: str, scene: MapScene, layered: bool) -> None:
        entry = self._lines.get(link_id)
        item = scene.item_for_id(link_id)
        if entry is None or not isinstance(item, LinkItem):
            return
        item._layered = layered  # noqa: SLF001 - the layer and its items keep this together
        item.setFlag(NO_CONTENTS, layered)
        item.update()
        self._changed(entry[3])

    def _next(self) -> int:
        self._order += 1
        return self._order

    def _file(self, link_id: str, box: QRectF, add: bool) -> None:
        cells = self._cells
        for cx in range(int(box.left() // CELL), int(box.right() // CELL) + 1):
            for cy in range(int(box.top() // CELL), int(box.bottom() // CELL) + 1):
                if add:
                    cells.setdefault((cx, cy), set()).add(link_id)
                else:
                    cell = cells.get((cx, cy))
                    if cell is not None:
                        cell.discard(link_id)

    def _changed(self, box: QRectF) -> None:
        if not self._batch and self.scene() is not None:
            self.update(box)

    def lines_in(self, area: QRectF) -> list[tuple[int, QPen, QLineF, QRectF]]:
        """The lines the layer draws whose boxes meet ``area``, in their order."""
        cells, lines, out = self._cells, self._lines, self._out
        ids: set[str] = set()
        for cx in range(int(area.left() // CELL), int(area.right() // CELL) + 1):
            for cy in range(int(area.top() // CELL), int(area.bottom() // CELL) + 1):
                cell = cells.get((cx, cy))
                if cell:
                    ids |= cell
        if out:
            ids.difference_update(out)
        # The boxes compared in Python, not by QRectF.intersects: a call through the
        # binding each, for ~1,500 candidates a repaint at 5,000 components.
        a0, a1, a2, a3 = area.left(), area.top(), area.right(), area.bottom()
        boxes = self._boxes
        found = []
        for i in ids:
            b0, b1, b2, b3 = boxes[i]
            if b0 <= a2 and b2 >= a0 and b1 <= a3 and b3 >= a1:
                found.append(lines[i])
        found.sort(key=_first)
        return found

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # One drawLines call a run of lines in one pen: a repaint after one edit at
        # 5,000 components draws ~1,200 lines, and each call through the binding cost
        # more than the clipped line it drew.
        pen = None
        run: list[QLineF] = []
        for _, line_pen, line, _ in self.lines_in(option.exposedRect):
            if line_pen is not pen:
                if run:
                    painter.drawLines(run)
                    run = []
                pen = line_pen
                painter.setPen(pen)
            run.append(line)
        if run:
            painter.drawLines(run)


def _first(entry: tuple[int, QPen, QLineF, QRectF]) -> int:
    return entry[0]
