"""Pipeline boxes under their components."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QPainter,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
    from osom_desktop.model.wardley import Pipeline
from osom_desktop.drawing.items.base import (
    MAP_WIDTH,
    PIPELINE_GAP,
    PIPELINE_HEIGHT,
    SELECTABLE,
    MapItem,
    clamp_unit,
)


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
        span = _pipeline_span(scene, pipe)
        if span is None:
            return False
        x1, x2 = span
        self._box = QRectF(x1, owner.y() + PIPELINE_GAP, max(x2 - x1, 4.0), PIPELINE_HEIGHT)
        scene.note_box(self.element_id, self._box, "o")
        self._set_rect(self._box.adjusted(-3, -3, 3, 3))
        return True

    def box(self) -> QRectF:
        """The pipeline's box in scene coordinates (the item stays at the origin)."""
        return QRectF(self._box)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setPen(p.selection_pen if self.isSelected() else p.pipeline_pen)
        painter.setBrush(p.pipeline_brush)
        painter.drawRect(self._box)


def _pipeline_span(scene: MapScene, pipe: Pipeline) -> tuple[float, float] | None:
    """Where a pipeline's box runs (scene x): round its children, and over its
    ``[start, end]`` if it has one; None when it has neither."""
    span: tuple[float, float] | None = None
    if pipe.start is not None and pipe.end is not None:
        s, e = sorted((clamp_unit(pipe.start, 0.0) * MAP_WIDTH, clamp_unit(pipe.end, 1.0) * MAP_WIDTH))
        span = (s, e)
    xs = [pt.x() for pt in (scene.component_point(cid) for cid in scene.pipeline_children(pipe.id)) if pt is not None]
    if not xs:
        return span
    x1, x2 = min(xs) - 15, max(xs) + 15
    if span is not None:
        # ``[start, end]`` as well as children (a component dropped into a
        # pipeline drawn with a span): the box keeps its span and covers them.
        x1, x2 = min(x1, span[0]), max(x2, span[1])
    return x1, x2
