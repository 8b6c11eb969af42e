"""The frame: axes, stage lines and captions, the title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QBrush,
    QFont,
    QLinearGradient,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from osom_desktop.model.wardley import (
    DEFAULT_STAGE_LABELS,
    STAGE_BOUNDARIES,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.items.base import (
    MAP_HEIGHT,
    MAP_WIDTH,
    MapItem,
    Texts,
    arrow_head,
    draw_texts,
    overlaps,
    text_block,
    texts_box,
    wrap_text,
)
from osom_desktop.drawing.items.paints import Paints, qcolor


class GridItem(MapItem):
    """Axes, stage boundaries and labels, the wardley gradient, and the caption of the
    tray of components that have no coordinates yet. Not an element: id ``"grid"``."""

    ID = "grid"

    def __init__(self) -> None:
        super().__init__(self.ID)
        self.setZValue(-10)
        self._texts: list[tuple[QFont, QPen, Texts]] = []
        self._rotated: list[tuple[float, str, bool]] = []
        # Where each group of texts and each caption up the edge lies (left, top,
        # right, bottom): a repaint away from the edges leaves them out (``paint``).
        self._text_boxes: list[tuple[float, float, float, float]] = []
        self._rotated_boxes: list[tuple[float, float, float, float]] = []
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
        fixed: list[QRectF] = []  # the axes' captions: labels are placed clear of them
        for x, label in zip(stage_x, labels, strict=True):  # four stages, four labels
            lines = wrap_text(label, fm, 150, 3)
            block, rect = text_block(lines, fm, x, MAP_HEIGHT + 4 + fm.ascent())
            texts.extend(block)
            fixed.append(rect)
        bold: Texts = []
        w = p.grid_bold_fm.horizontalAdvance("Evolution")
        bold.append((MAP_WIDTH - w, MAP_HEIGHT + 4 + p.grid_bold_fm.ascent() + fm.lineSpacing(), "Evolution"))
        fixed.append(QRectF(MAP_WIDTH - w, MAP_HEIGHT + 4 + fm.lineSpacing(), w, p.grid_bold_fm.height()))
        captions: Texts = []
        corner = self._corner_captions(scene) if p.theme.show_uncharted else []
        tray = scene.tray_top()
        if tray is not None:
            captions.append((0.0, tray + p.caption_fm.ascent(), "Not placed yet (no coordinates):"))
        if not self._evolution_axis:
            texts, bold, corner, fixed = [], [], [], []
        self._texts = [
            (p.grid_font, p.grid_text_pen, texts),
            (p.grid_bold, p.grid_text_pen, bold),
            (p.caption_font, p.grid_text_pen, captions),
            (p.caption_font, p.corner_pen, corner),
        ]
        self._rotated = [(0.0, "Visible", False), (MAP_HEIGHT, "Invisible", False), (MAP_HEIGHT / 2, "Value Chain", True)]
        if not self._value_chain_axis:
            self._rotated = []
        metrics = (fm, p.grid_bold_fm, p.caption_fm, p.caption_fm)
        self._text_boxes = [texts_box(texts, m, 1.0) for (_, _, texts), m in zip(self._texts, metrics, strict=True)]
        rotated = [self._rotated_box(p, y, text, bold) for y, text, bold in self._rotated]
        self._rotated_boxes = [_edges(r.adjusted(-1, -1, 1, 1)) for r in rotated]
        fixed += rotated
        self._note_fixed(scene, fixed)
        bottom = MAP_HEIGHT + 8 + fm.lineSpacing() * 3
        if tray is not None:
            bottom = max(bottom, tray + 20)
        self._set_rect(QRectF(-12 - fm.height() - 10, -4, MAP_WIDTH + 24 + fm.height() + 12, bottom + 8))
        return True

    _FIXED_PARTS = 8  # four stage captions, "Evolution", and three up the value chain

    def _note_fixed(self, scene: MapScene, boxes: list[QRectF]) -> None:
        """The axes' captions as text every label avoids: a component near an edge had
        its name put over "Invisible", "Visible" or a stage's name (a generated map of
        60 had four such)."""
        for i in range(self._FIXED_PARTS):
            if i < len(boxes):
                scene.note_fixed_box(self.ID, boxes[i], f"a{i}")
            else:
                scene.forget_part(self.ID, f"a{i}")

    @staticmethod
    def _along(text: str, width: float) -> float:
        """Where a caption up the left edge starts along it, from its point: "Visible"
        ends at the top corner, "Invisible" starts at the bottom one, the rest centred."""
        return -width if text == "Visible" else 0.0 if text == "Invisible" else -width / 2

    def _rotated_box(self, p: Paints, y: float, text: str, bold: bool) -> QRectF:
        """Where a caption drawn up the left edge (``_paint_value_chain``) lies."""
        fm = p.grid_bold_fm if bold else p.grid_fm
        w = fm.horizontalAdvance(text)
        # Turned a quarter left at (-8, y), the text's x runs up the scene from y.
        return QRectF(-8 - fm.ascent(), y - self._along(text, w) - w, fm.ascent() + fm.descent(), w)

    def corners_changed(self, scene: MapScene) -> bool:
        """Whether the corner captions would now be drawn otherwise: something moved
        into a corner (the caption gives way) or out of it (the caption comes back).
        Cheap (two look-ups), so the scene asks after each edit instead of redrawing
        the whole grid."""
        if not (self._evolution_axis and scene.paints.theme.show_uncharted) or len(self._texts) != 4:
            return False
        return self._corner_captions(scene) != self._texts[3][2]

    def _corner_captions(self, scene: MapScene) -> Texts:
        """The "Uncharted" and "Industrialised" captions in the top corners, where the map leaves room."""
        cfm = scene.paints.caption_fm
        cw = cfm.horizontalAdvance("Industrialised")
        corner: Texts = [(6.0, 4 + cfm.ascent(), "Uncharted"), (MAP_WIDTH - 6 - cw, 4 + cfm.ascent(), "Industrialised")]
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
        return kept

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
        self._paint_axes(painter, p)
        # On the canvas, captions wholly outside the area being repainted are left
        # out: the grid is under every repaint, and a caption's text is shaped again
        # at each drawText, clipped away or not.
        area = MapItem.paint_area if widget is not None else None
        for (font, pen, texts), box in zip(self._texts, self._text_boxes, strict=True):
            if texts and (area is None or overlaps(box, area)):
                painter.setFont(font)
                painter.setPen(pen)
                draw_texts(painter, texts)
        self._paint_value_chain(painter, p, area)

    def _paint_axes(self, painter: QPainter, p: Paints) -> None:
        """Stage lines and the two axes with their arrow heads (each unless hidden)."""
        painter.setPen(p.stage_pen)
        if self._evolution_axis:
            for b in STAGE_BOUNDARIES:
                painter.drawLine(QPointF(b * MAP_WIDTH, 0), QPointF(b * MAP_WIDTH, MAP_HEIGHT))
        painter.setPen(p.axis_pen)
        painter.setBrush(QBrush(p.axis_pen.color()))
        if self._evolution_axis:
            painter.drawLine(QPointF(0, MAP_HEIGHT), QPointF(MAP_WIDTH - 2, MAP_HEIGHT))
            painter.drawPolygon(arrow_head(QPointF(MAP_WIDTH + 4, MAP_HEIGHT), QPointF(0, MAP_HEIGHT), 10))
        if self._value_chain_axis:
            painter.drawLine(QPointF(0, MAP_HEIGHT), QPointF(0, 2))
            painter.drawPolygon(arrow_head(QPointF(0, -4), QPointF(0, MAP_HEIGHT), 10))

    def _paint_value_chain(self, painter: QPainter, p: Paints,
                           area: tuple[float, float, float, float] | None = None) -> None:
        """Value-chain captions run up the left edge, as in OWM."""
        fm = p.grid_fm
        for (y, text, bold), box in zip(self._rotated, self._rotated_boxes, strict=True):
            if area is not None and not overlaps(box, area):
                continue
            painter.save()
            painter.setFont(p.grid_bold if bold else p.grid_font)
            painter.setPen(p.grid_text_pen)
            painter.translate(-8, y)
            painter.rotate(-90)
            w = (p.grid_bold_fm if bold else fm).horizontalAdvance(text)
            painter.drawText(QPointF(self._along(text, w), 0), text)
            painter.restore()


def _edges(r: QRectF) -> tuple[float, float, float, float]:
    return (r.left(), r.top(), r.right(), r.bottom())


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
        self._texts, rect = text_block(lines, fm, 0.0, first)
        scene.note_box(self.ID, rect)
        self._set_rect(rect.adjusted(-2, -2, 2, 2))
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p = self._map_scene().paints
        painter.setFont(p.title_font)
        painter.setPen(p.title_pen)
        draw_texts(painter, self._texts)


