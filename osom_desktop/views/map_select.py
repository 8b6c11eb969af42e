"""The rubber band's rule: it selects what it encloses (issue 14, a person-like tester).

Qt's band picks every item its rectangle touches. For small, point-like things that is
what a person expects (a component's circle, an accelerator, an annotation's number:
covering part of one picks it; a component's label counts only when enclosed whole),
but a band that only grazes a pipeline's long box, an area, a link or a note picked
those too, and the next Delete or drag took them along. Here
such extended things are picked only when the band encloses them (what they draw, to
within a few units); the others keep Qt's rule.

A press where a component draws nothing (the corner of its box between circle and
label, where its links run) goes past it: to the link, or a band starts.

A band can also start inside an area (pioneers, settlers, town planners): areas cover
much of a map, and pressing in one selected it instead of starting a band round the
components drawn on it. A click there (no drag) still selects the area.

A layer of the canvas (see map_base): MapCreate -> MapSelect -> MapMenus.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QGraphicsItem

from osom_desktop.drawing.items import (
    ANNOTATION_RADIUS,
    AcceleratorItem,
    AnnotationItem,
    AreaItem,
    ComponentItem,
    EvolveItem,
    LinkItem,
    PipelineItem,
)
from osom_desktop.views.map_create import MapCreate

# Scene units an extended item's bounding box may pass the band: it is a few units wider
# than what it draws (a box's pen margin).
ENCLOSE_SLACK = 4.0


def band_takes(item: QGraphicsItem, band: QRectF, annotation_points: list[QPointF] | None = None) -> bool:
    """Whether a band (scene rectangle) that touches ``item`` selects it: point-like
    items when touched, extended ones only when enclosed."""
    if isinstance(item, (ComponentItem, EvolveItem)):
        # Its circle touched, or its whole label enclosed: a band brushing the last
        # letter of a label picked the component (issue 14); the box Qt tests also
        # spans the empty corner between the circle and the label.
        return touches_symbol(item, band) or band.contains(item.label_rect())
    if isinstance(item, AcceleratorItem):
        return True
    if isinstance(item, AnnotationItem) and annotation_points:
        r = ANNOTATION_RADIUS
        return any(band.intersects(QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r)) for p in annotation_points)
    if isinstance(item, LinkItem):  # its line, centre to centre (not Python's shape(): cheap on big bands)
        line = item.line()
        return band.contains(line.p1()) and band.contains(line.p2())
    if isinstance(item, PipelineItem):
        drawn = item.box()
    else:  # notes, areas, the annotations box: their bounding box is what they draw, plus a margin
        drawn = item.sceneBoundingRect()
        slack = min(ENCLOSE_SLACK, drawn.width() / 2, drawn.height() / 2)
        drawn = drawn.adjusted(slack, slack, -slack, -slack)
    return band.contains(drawn)


def touches_symbol(item: ComponentItem | EvolveItem, band: QRectF) -> bool:
    """Whether ``band`` covers any of the item's circle: the band's point nearest the
    centre is on it."""
    centre = item.pos()
    nearest = QPointF(min(max(centre.x(), band.left()), band.right()), min(max(centre.y(), band.top()), band.bottom()))
    return item.on_symbol(nearest)


def draws_at(item: ComponentItem, scene_pos: QPointF) -> bool:
    """Whether a component draws at ``scene_pos`` (its circle or its label), not only
    its box, which spans the empty corner between them where its links run."""
    return item.on_symbol(scene_pos) or item.on_label(scene_pos)


class MapSelect(MapCreate):
    """The rubber band selects what it encloses; see the module's docstring."""

    _band_kept: set[QGraphicsItem] | None = None  # selected before a Ctrl band: kept
    _band_area: AreaItem | None = None  # the area a band started in (a click selects it)
    _band_grew = False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        # Reached for presses on empty canvas, an unselected area or a link (map_view).
        self._band_area, self._band_grew = None, False
        passed: list[QGraphicsItem] = []  # items the press goes past, to what is under them
        view_pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton:
            # A component whose box only is here (a link or empty canvas under the
            # press) lets the press past it: the link is selected, or a band starts.
            scene_pos = self.mapToScene(view_pos)
            passed = [i for i in self.items(view_pos) if isinstance(i, ComponentItem) and not draws_at(i, scene_pos)]
            top = self._top_selectable(view_pos, set(passed))
            if isinstance(top, AreaItem) and not top.isSelected():
                passed += [i for i in self.items(view_pos) if isinstance(i, AreaItem)]
                self._band_area = top
        for item in passed:  # the press goes past them: to a link, or a band starts
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        try:
            super().mousePressEvent(event)
        finally:
            for item in passed:
                item.setAcceptedMouseButtons(Qt.MouseButton.AllButtons)
        self._band_kept = set(self.map_scene.selectedItems())

    def _top_selectable(self, view_pos, passed: set[QGraphicsItem] | None = None) -> QGraphicsItem | None:
        for item in self.items(view_pos):
            if passed and item in passed:
                continue
            if item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsSelectable and item.isVisible():
                return item
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._band_kept is None:  # no press of ours under way: hovering, or a gesture
            super().mouseMoveEvent(event)
            return
        # Qt's band selects everything it touches, then what it only touches of the
        # extended items is unselected: one selectionChanged for both, not two (the
        # window's panels follow each), and none if the selection ends as it was.
        scene = self.map_scene
        before = set(scene.selectedItems())
        blocked = scene.blockSignals(True)
        try:
            super().mouseMoveEvent(event)
            band = self.rubberBandRect()
            if not band.isEmpty():
                self._band_grew = True
                self._settle_band(self.mapToScene(band).boundingRect())
        finally:
            scene.blockSignals(blocked)
        if not blocked and set(scene.selectedItems()) != before:
            scene.selectionChanged.emit()

    def _settle_band(self, band: QRectF) -> None:
        """Unselect the extended items the band only touches."""
        kept = self._band_kept or set()
        for item in self.map_scene.selectedItems():
            if item not in kept and not band_takes(item, band, self._annotation_points(item)):
                item.setSelected(False)

    def _annotation_points(self, item: QGraphicsItem) -> list[QPointF] | None:
        if not isinstance(item, AnnotationItem):
            return None
        a = self.map_scene.element(item.element_id)
        return [self.map_scene.draw_point(v, e) for v, e in a.points] if a is not None else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        area, grew = self._band_area, self._band_grew
        self._band_kept, self._band_area, self._band_grew = None, None, False
        super().mouseReleaseEvent(event)
        if area is not None and not grew and event.button() == Qt.MouseButton.LeftButton:
            # A click on an area, not a band: it selects the area (Ctrl/Shift: toggles).
            additive = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            area.setSelected(not area.isSelected() if additive else True)
