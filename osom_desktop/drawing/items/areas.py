"""Pioneer / settler / town-planner areas and (de)accelerators.

An area says which it is ("Pioneers", "Settlers", "Town planners") in its top-left
corner, as OWM writes the attitude's name: three boxes told apart by a shade of blue
alone meant nothing to a reader of the printed pack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QPainter,
    QPolygonF,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    AcceleratorKind,
    AreaKind,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.items.base import (
    LABEL_MAX_WIDTH,
    SELECTABLE,
    MapItem,
    Texts,
    draw_texts,
    text_block,
    wrap_text,
)

AREA_NAMES = {AreaKind.PIONEERS: "Pioneers", AreaKind.SETTLERS: "Settlers", AreaKind.TOWNPLANNERS: "Town planners"}
AREA_INSET = 6.0  # the name's distance from the box's corner, inside the 5 px outline


class AreaItem(MapItem):
    """A pioneers / settlers / town-planners box (``[top, left, bottom, right]``)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.setFlags(SELECTABLE)
        self.setZValue(-5)
        self._box = QRectF()
        self._texts: Texts = []

    def refresh(self, scene: MapScene) -> bool:
        a = scene.element(self.element_id)
        if a is None:
            return False
        self._box = QRectF(scene.draw_point(a.top, a.left), scene.draw_point(a.bottom, a.right)).normalized()
        self._texts = []
        fm = scene.paints.caption_fm
        name = AREA_NAMES.get(a.kind, "")
        inner = self._box.adjusted(AREA_INSET, AREA_INSET, -AREA_INSET, -AREA_INSET)
        # The name only where it fits whole inside the box: a sliver of an area
        # with a name running out of it would read as a label of what is beside it.
        if name and fm.horizontalAdvance(name) <= inner.width() and fm.height() <= inner.height():
            self._texts, rect = text_block([name], fm, inner.left(), inner.top() + fm.ascent())
            scene.note_box(self.element_id, rect)  # component labels keep off it
        else:
            scene.forget_part(self.element_id, "l")  # shrunk past its name: nothing to keep off
        self._set_rect(self._box.adjusted(-4, -4, 4, 4))
        return True

    def name_rect(self) -> QRectF:
        """Where the area's name is drawn (scene coordinates; empty when not drawn)."""
        if not self._texts:
            return QRectF()
        fm = self._map_scene().paints.caption_fm
        x, y, text = self._texts[0]
        return QRectF(x, y - fm.ascent(), fm.horizontalAdvance(text), fm.height())

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
        if self._texts:
            # The outline's colour, opaque: the translucent stroke is too pale for text.
            # Darker on a light page; lighter on a dark one, where darker was dark blue
            # on the blue fill ("Pioneers" could not be read in the dark theme).
            colour = pen.color()
            colour.setAlphaF(1.0)
            painter.setPen(colour.lighter(170) if p.background.color().lightness() < 128 else colour.darker(130))
            painter.setFont(p.caption_font)
            draw_texts(painter, self._texts)


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
        self._texts, rect = text_block(lines, fm, 0.0, first, centre=True)
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
        draw_texts(painter, self._texts)


