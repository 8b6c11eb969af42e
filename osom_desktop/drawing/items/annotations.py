"""Notes, numbered annotations and the annotations legend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import (
    QPainter,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.items.base import (
    ANNOTATION_RADIUS,
    LEGEND_MAX_WIDTH,
    NOTE_MAX_WIDTH,
    SELECTABLE,
    MapItem,
    Texts,
    draw_texts,
    text_block,
    wrap_text,
)


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
        self._texts, rect = text_block(lines, p.note_fm, 0.0, 0.0)
        scene.note_box(self.element_id, rect.translated(self.pos()))
        self._set_rect(rect.adjusted(-3, -3, 3, 3))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setFont(p.note_font)
        painter.setPen(p.note_pen)
        draw_texts(painter, self._texts)
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
        # Over the links (its text stays readable), under components, notes and the
        # annotations' numbers: in its default corner it hid whatever was placed there.
        self.setZValue(-0.25)
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
        title, trect = text_block(["Annotations:"], p.legend_title_fm, pad, pad + p.legend_title_fm.ascent())
        y = trect.bottom() + 4 + p.legend_fm.ascent()
        texts: Texts = []
        right = trect.right()
        for a in sorted(m.annotations, key=lambda a: a.number):
            lines = wrap_text(f"{a.number}. {a.text}", p.legend_fm, LEGEND_MAX_WIDTH, 4)
            block, r = text_block(lines, p.legend_fm, pad, y)
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
        draw_texts(painter, self._title)
        painter.setFont(p.legend_font)
        draw_texts(painter, self._texts)


