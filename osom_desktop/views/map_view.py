"""The canvas: direct manipulation of the map drawn by MapScene.

Every edit goes through a command that calls the Document; the scene redraws from the
Document's change signal. A drag moves components live through the Document (so the
text and inspector follow the mouse) and pushes one MoveComponentsCommand on release,
so a drag is one undo step, not one per mouse move.

Everything OWM draws can be made here (right-click on empty canvas, on a component, on
a pipeline; or a key) and everything drawn can be dragged: a selection of components,
notes, annotations and pipelines moves together (``map_drag``), a component's label
moves on its own and writes OWM's ``label [x, y]``. New coordinates are kept on the map
and written with two decimals; the map's edge stops a drag with a word in the status bar.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from enum import Enum, auto
from pathlib import Path

import shiboken6

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPen, QUndoStack, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsView,
    QLineEdit,
    QMenu,
    QWidget,
)

from osom_desktop.commands import (
    AddElementCommand,
    MoveComponentsCommand,
    RemoveElementsCommand,
    UpdateElementCommand,
    UpdateMapSettingsCommand,
)
from osom_desktop.commands import run as run_on_stack
from osom_desktop.model.document import Document
from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import (
    DEFAULT_STAGE_LABELS,
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    Pipeline,
    ServiceRef,
    stage_of,
)
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.items import ComponentItem, EvolveItem, LegendItem, PipelineItem
from osom_desktop.operations.edits import UpdateElement
from osom_desktop.operations.plan import Plan
from osom_desktop.views.map_drag import SelectionDrag, on_map

NUDGE = 0.01
BIG_NUDGE = 0.05
ZOOM_STEP = 1.15
MIN_ZOOM, MAX_ZOOM = 0.1, 12.0
HANDLE_RADIUS = 5.0
# How far (scene units) above or below its pipeline a child must be dropped to leave it.
PIPELINE_LEAVE = 30.0
# Above this many components the pixmap caches would cost more memory and idle time
# than they save (drags on such maps are not expected to hit 60 frames a second).
CACHE_MAX_COMPONENTS = 3000
# (keys, what) the canvas handles itself (keyPressEvent below); Help > Keyboard
# Shortcuts lists these beside the window's actions.
CANVAS_KEYS: tuple[tuple[str, str], ...] = (
    ("N", "New component in the middle of the view, named in place"),
    ("A", "New anchor (a user or need) in the middle of the view"),
    ("T", "New note in the middle of the view, typed in place"),
    ("U", "New numbered annotation in the middle of the view"),
    ("P", "New pipeline under the selected component"),
    ("L", "Link: the selected component depends on one you pick by typing (two selected: in the order picked)"),
    ("F2", "Rename the selected component; edit the text of a note, annotation or link label"),
    ("Arrows", "Nudge the selection by 0.01 (Shift: 0.05)"),
    ("Delete, Backspace", "Delete the selection"),
    ("Escape", "Clear the selection"),
    ("Space + drag, middle drag", "Pan"),
    ("Wheel, pinch", "Zoom"),
    ("Double-click", "Add a component (on empty canvas or into a pipeline), rename, or edit a note's text"),
    ("Drag a label", "Move a component's label (OWM label [x, y]); drag the annotations box to move it"),
    ("Drag on empty canvas", "Select with a rubber band; drag the selection to move it all as one step"),
    ("Drop on a pipeline", "Put a component into the pipeline; drag a child well off it to take it out"),
    ("Ctrl/Shift + click", "Add to the selection"),
)
EMPTY_HINT = ("This map is empty.\n\n"
              "Double-click anywhere to add a component (type its name, Enter).\n"
              "Select a component and drag its small handle onto another to link them.\n"
              "Or type OWM lines in the Map text pane, e.g.  component Tea [0.6, 0.8]")


class _Gesture(Enum):
    NONE = auto()
    MOVE = auto()
    EVOLVE = auto()  # dragging an evolved copy sideways: where the component is heading
    LINK = auto()
    PAN = auto()
    LABEL = auto()  # dragging a component's label: its OWM ``label [x, y]`` offset
    LEGEND = auto()  # dragging the annotations box: OWM's ``annotations [v, e]``


class MapView(QGraphicsView):
    """Signals: ``cursor_moved(visibility, evolution, stage)``, ``error_raised(message)``,
    ``selection_changed(ids)``, ``open_service_requested(name)``."""

    cursor_moved = Signal(float, float, str)
    error_raised = Signal(str)
    message_shown = Signal(str)  # what an edit did, for the status bar
    selection_changed = Signal(list)
    open_service_requested = Signal(Path)  # double-click on a component another service provides

    def __init__(self, scene: MapScene, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stack = stack
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self._gesture = _Gesture.NONE
        self._press_scene = QPointF()
        self._drag: SelectionDrag | None = None
        self._drag_moved = False
        # Label drag: (component id, evolved copy?, offset at the press).
        self._label_drag: tuple[str, bool, tuple[float, float]] | None = None
        self._label_before: Offset | None = None
        # The annotations box's place before a drag, and its top-left when it started.
        self._legend_before: tuple[float, float] | None = None
        self._legend_start = QPointF()
        self._evolving: tuple[str, Evolve] | None = None  # component id, evolve before the drag
        self._pan_last = QPointF()
        self._space_down = False
        self._link_source: str | None = None
        self._link_line: QGraphicsLineItem | None = None
        self._handle: QGraphicsEllipseItem | None = None
        self._handle_for: str | None = None
        self._rename_box: QLineEdit | None = None
        self._rename_id: str | None = None
        self._rename_field = "name"
        self._in_menu = False
        self._rename_after_menu: str | None = None
        self._fit_pending = True  # fit the map to the view once it has its real size
        # The map follows the window's size (open, resize, maximise) until the person
        # zooms or pans; Fit Map (Ctrl+0) hands it back to the window.
        self.auto_fit = True
        # Selected element ids in the order the person picked them: Link uses it
        # (the first picked depends on the second), selectedItems() has no order.
        self._picked: list[str] = []
        # Read-only: look, select, pan and zoom; nothing that changes the map.
        self.read_only = False
        # Finds the file of the service providing a component (set by the window, which
        # knows the folder and recent files); None: linked services cannot be opened.
        self.service_file: Callable[[ServiceRef], Path | None] | None = None
        self._attach(scene)

    # -- scene / document --------------------------------------------------------------

    @property
    def map_scene(self) -> MapScene:
        # Our own reference, not self.scene(): Qt hands back a plain QGraphicsScene
        # wrapper if Python's MapScene wrapper was ever dropped.
        return self._map_scene

    @property
    def document(self) -> Document:
        return self.map_scene.document

    def set_map_scene(self, scene: MapScene, stack: QUndoStack) -> None:
        self._cancel_rename()
        self._handle = None
        self.setScene(scene)
        self.stack = stack
        self._attach(scene)
        self.auto_fit = True
        self.fit_when_shown()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if read_only:
            self._cancel_rename()
        self._place_handle()  # no link handle on a map that cannot change

    def fit_when_shown(self) -> None:
        """Fit the whole map now if the view is on screen, else when it first is."""
        if self.isVisible() and self.viewport().width() > 50:
            self.zoom_fit()
        else:
            self._fit_pending = True

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if (self._fit_pending or self.auto_fit) and self.isVisible() and self.viewport().width() > 50:
            self._fit_pending = False
            self.zoom_fit()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        super().drawForeground(painter, rect)
        if self.read_only or not self.map_is_empty():
            return
        # An empty map says how to start, in the middle of the view whatever the zoom.
        painter.save()
        painter.resetTransform()
        font = painter.font()
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.15))
        painter.setFont(font)
        box = QRectF(self.viewport().rect()).adjusted(40, 40, -40, -40)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        backdrop = painter.boundingRect(box, flags, EMPTY_HINT).adjusted(-16, -12, 16, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().base())  # the stage lines do not run through the words
        painter.drawRoundedRect(backdrop, 8, 8)
        painter.setPen(self.palette().placeholderText().color())
        painter.drawText(box, flags, EMPTY_HINT)
        painter.restore()

    def map_is_empty(self) -> bool:
        m = self.document.map
        return not (m.components or m.notes or m.annotations or m.pipelines)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._cache_after_paint:
            self._cache_after_paint = False
            QTimer.singleShot(0, self._fill_item_caches)

    def _fill_item_caches(self) -> None:
        if shiboken6.isValid(self.map_scene):
            self.map_scene.set_item_caching(True)
            self.viewport().update()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._fit_pending and self.viewport().width() > 50:
            self._fit_pending = False
            self.zoom_fit()

    def _attach(self, scene: MapScene) -> None:
        old = getattr(self, "_map_scene", None)
        if old is not None and old is not scene:
            old.selectionChanged.disconnect(self._on_selection_changed)
            old.document.changed.disconnect(self._on_document_changed)
        self._map_scene = scene
        self._hint_shown = self.map_is_empty()
        # Item caching makes drags cheaper but the paint that fills the caches dearer:
        # the first paint goes without it, then caches fill in one idle repaint.
        self._cache_after_paint = len(scene.document.map.components) <= CACHE_MAX_COMPONENTS
        scene.selectionChanged.connect(self._on_selection_changed)
        scene.document.changed.connect(self._on_document_changed)

    def _on_document_changed(self, _change) -> None:
        self._place_handle()
        if self._hint_shown != self.map_is_empty():
            self._hint_shown = self.map_is_empty()
            self.viewport().update()  # the empty-map hint comes or goes

    def selected_ids(self) -> list[str]:
        """The selected elements, in the order they were picked."""
        ids = []
        for item in self.map_scene.selectedItems():
            element_id = self._element_of(item)
            if element_id is not None and element_id not in ids:
                ids.append(element_id)
        order = {element_id: i for i, element_id in enumerate(self._picked)}
        return sorted(ids, key=lambda element_id: order.get(element_id, len(order)))

    def selected_component_ids(self) -> list[str]:
        return [i for i in self.selected_ids() if self.document.map.component(i) is not None]

    def select_ids(self, ids: list[str]) -> None:
        scene = self.map_scene
        scene.clearSelection()
        for element_id in ids:
            item = scene.item_for_id(element_id)
            if item is not None:
                item.setSelected(True)
        if ids and (item := scene.item_for_id(ids[0])) is not None:
            self.ensureVisible(item)

    def _on_selection_changed(self) -> None:
        if not shiboken6.isValid(self._map_scene):
            return  # the scene is being destroyed with its window
        now = set()
        for item in self.map_scene.selectedItems():
            element_id = self._element_of(item)
            if element_id is not None:
                now.add(element_id)
        self._picked = [i for i in self._picked if i in now]
        self._picked += [i for i in now if i not in self._picked]
        self._place_handle()
        self.selection_changed.emit(self.selected_ids())

    def _component_at(self, view_pos) -> str | None:
        """The component under the mouse; one whose circle is there wins over one whose
        label is drawn across it."""
        scene_pos = self.mapToScene(view_pos)
        found = None
        for item in self.items(view_pos):
            if item is self._handle or item is self._link_line:
                continue
            element_id = self._element_of(item)
            if element_id is not None and self.document.map.component(element_id) is not None:
                found = found or element_id
        return self._nearest_symbol(view_pos, scene_pos) or found

    def _nearest_symbol(self, view_pos, scene_pos: QPointF) -> str | None:
        """The component whose symbol is under the mouse, the nearest centre first:
        symbols overlap on a crowded map (a build ring reaches 15 units round its
        centre), and a press on a circle means that circle."""
        best, best_distance = None, None
        for item in self.items(view_pos):
            if isinstance(item, ComponentItem) and item.on_symbol(scene_pos):
                distance = QLineF(item.pos(), scene_pos).length()
                if best_distance is None or distance < best_distance:
                    best, best_distance = item.element_id, distance
        return best

    def _evolved_copy_at(self, view_pos) -> str | None:
        """The component whose evolved copy (drawn in red) is under the mouse."""
        for item in self.items(view_pos):
            element_id = getattr(item, "element_id", None)
            if isinstance(element_id, str) and element_id.endswith("#evolve"):
                cid = element_id[: -len("#evolve")]
                c = self.document.map.component(cid)
                if c is not None and c.evolve is not None:
                    return cid
        return None

    def _element_of(self, item: QGraphicsItem | None) -> str | None:
        """The map element an item draws; None for the grid, axes and other decoration."""
        while item is not None:
            element_id = self.map_scene.id_for_item(item)
            if element_id is not None and self.map_scene.element(element_id) is not None:
                return element_id
            item = item.parentItem()
        return None

    # -- the link handle ---------------------------------------------------------------

    def _place_handle(self) -> None:
        """A small circle beside the one selected component: drag it to another to link."""
        ids = self.selected_component_ids()
        component = self.document.map.component(ids[0]) if len(ids) == 1 else None
        if component is None or component.visibility is None or component.evolution is None or self.read_only:
            if self._handle is not None and shiboken6.isValid(self._handle):
                self._handle.hide()
            self._handle_for = None
            return
        if self._handle is not None and not shiboken6.isValid(self._handle):
            self._handle = None  # a full rebuild of the scene deleted it
        if self._handle is None or self._handle.scene() is not self.map_scene:
            self._handle = QGraphicsEllipseItem(QRectF(-HANDLE_RADIUS, -HANDLE_RADIUS, 2 * HANDLE_RADIUS, 2 * HANDLE_RADIUS))
            self._handle.setBrush(Qt.GlobalColor.white)
            self._handle.setPen(QPen(Qt.GlobalColor.darkBlue, 1.5))
            self._handle.setZValue(1000)
            self._handle.setToolTip("Drag to another component to link them")
            self._handle.setCursor(Qt.CursorShape.CrossCursor)
            self.map_scene.addItem(self._handle)
        centre = self.map_scene.component_point(component.id) or self.map_scene.to_scene(component.visibility, component.evolution)
        self._handle.setPos(centre + QPointF(14, 10))
        self._handle.show()
        self._handle_for = component.id

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._cancel_rename()
        pos = event.position().toPoint()
        scene_pos = self.mapToScene(pos)
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._gesture = _Gesture.PAN
            self._pan_last = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        if self.read_only:
            super().mousePressEvent(event)  # select only
            return
        if self._handle is not None and shiboken6.isValid(self._handle) and self._handle.isVisible() and self._handle in self.items(pos):
            self._begin_link(self._handle_for, scene_pos)
            event.accept()
            return
        evolved_of = self._evolved_copy_at(pos)
        symbol = self._nearest_symbol(pos, scene_pos)
        if evolved_of is not None and symbol is not None:
            # A component's circle under the mouse wins over another's evolve arrow or
            # evolved label across it; the evolved copy's own circle wins if nearer.
            copy = self.map_scene.item_for_id(evolved_of + "#evolve")
            mine = self.map_scene.item_for_id(symbol)
            if not (isinstance(copy, EvolveItem) and copy.on_symbol(scene_pos)
                    and QLineF(copy.pos(), scene_pos).length() < QLineF(mine.pos(), scene_pos).length()):
                evolved_of = None
        if evolved_of is not None:
            item = self.map_scene.item_for_id(evolved_of + "#evolve")
            if isinstance(item, EvolveItem) and item.on_label(scene_pos):
                self._begin_label_drag(evolved_of, True, scene_pos)
                event.accept()
                return
            self._gesture = _Gesture.EVOLVE
            self._evolving = (evolved_of, self.document.map.component(evolved_of).evolve)
            self._drag_moved = False
            event.accept()
            return
        element_id = self._draggable_at(pos)
        if element_id is None and self._legend_at(pos):
            self._gesture = _Gesture.LEGEND
            self._press_scene = scene_pos
            self._drag_moved = False
            self._legend_before = self.document.map.annotations_legend
            event.accept()
            return
        if element_id is None:
            super().mousePressEvent(event)  # rubber band / click on empty canvas or a link
            return
        item = self.map_scene.item_for_id(element_id)
        additive = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if additive:
            item.setSelected(not item.isSelected())
        elif not item.isSelected():
            self.map_scene.clearSelection()
            item.setSelected(True)
        if not additive and isinstance(item, ComponentItem) and item.on_label(scene_pos):
            self._begin_label_drag(element_id, False, scene_pos)
            event.accept()
            return
        self._gesture = _Gesture.MOVE
        self._press_scene = scene_pos
        self._drag_moved = False
        self._drag = SelectionDrag(self.document, self.selected_ids())
        event.accept()

    def _legend_at(self, view_pos) -> bool:
        return any(isinstance(item, LegendItem) for item in self.items(view_pos))

    def _legend_value(self, scene_pos: QPointF) -> tuple[float, float]:
        """Where the annotations box goes: its top-left moved by the mouse, on the map."""
        item = self.map_scene.item_for_id(LegendItem.ID)
        start = self._legend_start if self._drag_moved else item.pos()
        v, e = self.map_scene.to_map(start + (scene_pos - self._press_scene))
        return on_map(v, 4)[0], on_map(e, 4)[0]

    def _draggable_at(self, view_pos) -> str | None:
        """The top-most element under the mouse that a press drags: a component, note,
        annotation, pipeline or accelerator. Areas are not: they cover so much of the
        map that a rubber band could hardly start (they move with a selection)."""
        scene_pos = self.mapToScene(view_pos)
        # A symbol wins over another component's label drawn across it: on a crowded
        # map, pressing a circle must move that component.
        if (symbol := self._nearest_symbol(view_pos, scene_pos)) is not None:
            return symbol
        found = None
        for item in self.items(view_pos):
            if item is self._handle or item is self._link_line:
                continue
            element_id = self._element_of(item)
            if element_id is None:
                continue
            element = self.map_scene.element(element_id)
            if found is None and (isinstance(element, (Component, Note, Annotation, Pipeline, Accelerator))
                                  or (isinstance(element, Area) and item.isSelected())):
                found = element_id  # an area drags once selected (a click selects it)
        return found

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        scene_pos = self.mapToScene(event.position().toPoint())
        vis, evo = self.map_scene.to_map(scene_pos)
        self.cursor_moved.emit(vis, evo, self.stage_name(evo))
        if self._gesture is _Gesture.PAN:
            self.auto_fit = False
            delta = event.position() - self._pan_last
            self._pan_last = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            return
        if self._gesture is _Gesture.LINK and self._link_line is not None:
            line = self._link_line.line()
            line.setP2(scene_pos)
            self._link_line.setLine(line)
            return
        if self._gesture is _Gesture.MOVE and self._drag:
            self._drag_to(scene_pos)
            return
        if self._gesture is _Gesture.LABEL and self._label_drag is not None:
            self._label_to(scene_pos)
            return
        if self._gesture is _Gesture.LEGEND:
            if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
                return
            if not self._drag_moved:
                self._legend_start = self.map_scene.item_for_id(LegendItem.ID).pos()
            self._drag_moved = True
            self.document.update_map_settings(annotations_legend=self._legend_value(scene_pos))
            return
        if self._gesture is _Gesture.EVOLVE and self._evolving is not None:
            cid, before = self._evolving
            self._drag_moved = True
            self.document.update_element(cid, evolve=dataclasses.replace(before, evolution=on_map(evo, 4)[0]))
            return
        super().mouseMoveEvent(event)

    def _drag_to(self, scene_pos: QPointF) -> None:
        v0, e0 = self.map_scene.to_map(self._press_scene)
        v1, e1 = self.map_scene.to_map(scene_pos)
        if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
            return  # a click, not a drag
        self._drag_moved = True
        self._drag.move_by(v1 - v0, e1 - e0)

    # -- dragging a label ------------------------------------------------------------------

    def _begin_label_drag(self, cid: str, evolved: bool, scene_pos: QPointF) -> None:
        c = self.document.map.component(cid)
        item = self.map_scene.item_for_id(cid + "#evolve" if evolved else cid)
        label = (c.evolve.label if evolved else c.label) if c is not None else None
        if c is None or item is None:
            return
        # Where the label is now, as an OWM offset: its own, or where it is drawn.
        start = (label.dx, label.dy) if label is not None else item.label_offset()
        self._label_drag = (cid, evolved, start)
        self._gesture = _Gesture.LABEL
        self._press_scene = scene_pos
        self._drag_moved = False
        self._label_before = label

    def _label_value(self, scene_pos: QPointF) -> Offset:
        _cid, _evolved, (dx, dy) = self._label_drag
        delta = scene_pos - self._press_scene
        return Offset(dx=float(round(dx + delta.x())), dy=float(round(dy + delta.y())))

    def _set_label(self, cid: str, evolved: bool, label: Offset | None, command: bool = False) -> None:
        c = self.document.map.component(cid)
        values = {"evolve": dataclasses.replace(c.evolve, label=label)} if evolved else {"label": label}
        if command:
            self.run(UpdateElementCommand(self.document, cid, text=f"Move label of {c.name}", **values))
        else:
            self.document.update_element(cid, **values)

    def _label_to(self, scene_pos: QPointF) -> None:
        if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
            return
        self._drag_moved = True
        cid, evolved, _start = self._label_drag
        self._set_label(cid, evolved, self._label_value(scene_pos))

    def _finish_label_drag(self, scene_pos: QPointF) -> None:
        if self._label_drag is None:
            return
        cid, evolved, _start = self._label_drag
        label = self._label_value(scene_pos)
        self._label_drag = None
        if not self._drag_moved:
            return
        self._set_label(cid, evolved, self._label_before)  # the command records the drag as one step
        self._set_label(cid, evolved, label, command=True)
        self.message_shown.emit(f"Label moved: label [{label.dx:g}, {label.dy:g}]")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        gesture, self._gesture = self._gesture, _Gesture.NONE
        if gesture is _Gesture.PAN:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_down else Qt.CursorShape.ArrowCursor)
            return
        if gesture is _Gesture.LINK:
            self._finish_link(event.position().toPoint())
            return
        if gesture is _Gesture.LABEL:
            self._finish_label_drag(self.mapToScene(event.position().toPoint()))
            return
        if gesture is _Gesture.LEGEND:
            if self._drag_moved:
                v, e = self._legend_value(self.mapToScene(event.position().toPoint()))
                self.document.update_map_settings(annotations_legend=self._legend_before)  # one undo step
                self.run(UpdateMapSettingsCommand(self.document, text="Move the annotations box",
                                                  annotations_legend=(on_map(v)[0], on_map(e)[0])))
            return
        if gesture is _Gesture.EVOLVE and self._evolving is not None:
            cid, before = self._evolving
            self._evolving = None
            after = self.document.map.component(cid).evolve
            after = dataclasses.replace(after, evolution=on_map(after.evolution)[0])  # two decimals, as written
            if self._drag_moved and after != before:
                # Put the live value back so the command records the drag as one step.
                self.document.update_element(cid, evolve=before)
                self.run(UpdateElementCommand(self.document, cid, text="Move evolve target", evolve=after))
            return
        if gesture is _Gesture.MOVE:
            drag, self._drag = self._drag, None
            if drag is not None and self._drag_moved:
                self._finish_move(drag, self.mapToScene(event.position().toPoint()))
            return
        super().mouseReleaseEvent(event)

    def _finish_move(self, drag: SelectionDrag, release: QPointF | None = None) -> None:
        left = self._pipeline_leave(drag, release) if release is not None else None
        plan = drag.finish(drag.title())
        if plan is None and left is None:
            return
        if plan is None:
            plan = Plan.of(self.document, "")
        if left is not None:
            child, visibility = left
            plan.edits.append(UpdateElement(child.id, {"pipeline_id": None, "visibility": visibility}))
            plan.text = f"Take {child.name} out of its pipeline"
            if self.read_only or not run_on_stack(self.stack, plan, report=self.error_raised.emit):
                return
            self.message_shown.emit(f"{child.name} is out of its pipeline, at its own height")
            return
        joined = self._pipeline_drop(drag)
        if joined is not None:
            pipe, child = joined
            plan.edits.append(UpdateElement(child.id, {"pipeline_id": pipe.id, "visibility": None}))
            if not pipe.block:
                plan.edits.append(UpdateElement(pipe.id, {"block": True}))  # children need OWM's block form
            owner = self.document.map.component(pipe.component_id)
            plan.text = f"Put {child.name} into {owner.name}'s pipeline"
        if self.read_only or not run_on_stack(self.stack, plan, report=self.error_raised.emit):
            return
        if joined is not None:
            self.message_shown.emit(plan.text)
        elif drag.clamped:
            self.message_shown.emit("Kept on the map: positions run from 0 to 1, so the edge stopped the move")

    def _pipeline_leave(self, drag: SelectionDrag, release: QPointF) -> tuple[Component, float] | None:
        """A pipeline child dragged well above or below its pipeline leaves it, at the
        height it was dropped (inside, a child only slides along its pipeline)."""
        if len(drag.components) != 1 or drag.others or not drag.children:
            return None
        c = self.document.map.component(next(iter(drag.children)))
        item = self.map_scene.item_for_id(c.pipeline_id) if c is not None and c.pipeline_id else None
        if not isinstance(item, PipelineItem):
            return None
        box = item.box()
        if box.top() - PIPELINE_LEAVE <= release.y() <= box.bottom() + PIPELINE_LEAVE:
            return None
        return c, on_map(self.map_scene.to_map(release)[0])[0]

    def _pipeline_drop(self, drag: SelectionDrag) -> tuple[Pipeline, Component] | None:
        """The pipeline a single component was dropped on, if it may join it."""
        if len(drag.components) != 1 or drag.others:
            return None
        m = self.document.map
        c = m.component(next(iter(drag.components)))
        if c is None or c.kind is not ComponentKind.COMPONENT or c.pipeline_id is not None:
            return None
        if any(p.component_id == c.id for p in m.pipelines):
            return None  # an owner cannot sit in a pipeline, least of all its own
        point = self.map_scene.component_point(c.id)
        for pipe in m.pipelines:
            item = self.map_scene.item_for_id(pipe.id)
            if isinstance(item, PipelineItem) and item.box().adjusted(-4, -6, 4, 6).contains(point):
                return pipe, c
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        component_id = self._component_at(pos)
        if component_id is not None:
            c = self.document.map.component(component_id)
            path = self.service_file(c.provided_by) if (c.provided_by and self.service_file) else None
            if path is not None:
                self.open_service_requested.emit(path)  # F2 still renames it
            else:
                self.start_rename(component_id)
            return
        element_id = self._element_of(self.itemAt(pos))
        element = self.map_scene.element(element_id) if element_id else None
        if self.read_only:
            return
        if isinstance(element, (Note, Annotation, Link)):
            self.start_rename(element_id)
            return
        if isinstance(element, Pipeline):
            _vis, evo = self.map_scene.to_map(self.mapToScene(pos))
            self.add_into_pipeline(element_id, evo)
            return
        if element_id is None:
            vis, evo = self.map_scene.to_map(self.mapToScene(pos))
            self.add_component_at(vis, evo, rename=True)

    # -- linking ---------------------------------------------------------------------

    def _begin_link(self, source_id: str | None, scene_pos: QPointF) -> None:
        if source_id is None:
            return
        c = self.document.map.component(source_id)
        start = self.map_scene.to_scene(c.visibility, c.evolution)
        self._link_source = source_id
        self._link_line = QGraphicsLineItem(start.x(), start.y(), scene_pos.x(), scene_pos.y())
        pen = QPen(Qt.GlobalColor.darkBlue, 1.2, Qt.PenStyle.DashLine)
        self._link_line.setPen(pen)
        self._link_line.setZValue(999)
        self.map_scene.addItem(self._link_line)
        self._gesture = _Gesture.LINK

    def _finish_link(self, view_pos) -> None:
        if self._link_line is not None:
            self.map_scene.removeItem(self._link_line)
            self._link_line = None
        source, self._link_source = self._link_source, None
        target = self._component_at(view_pos)
        if source is None or target is None or target == source:
            return
        # The component dragged from depends on the one dropped on, whatever their
        # heights: guessing by height reversed links drawn upwards without a word.
        self.link_components(source, target)

    def link_components(self, source: str, target: str, flow: FlowDirection | None = None) -> str | None:
        """Source depends on target (handle drag, Edit > Link); the status bar says so.
        ``flow``: a flow link (``A+>B``) instead. Returns the new link's id."""
        m = self.document.map
        a, b = m.component(source), m.component(target)
        if a is None or b is None or source == target:
            return None
        if any(lk.source == source and lk.target == target for lk in m.links):
            self.error_raised.emit(f"{a.name} already depends on {b.name}")
            return None
        link = Link(id=new_id(), source=source, target=target, flow=flow)
        verb = "Flow" if flow else "Link"
        if not self.run(AddElementCommand(self.document, link, text=f"{verb} {a.name} to {b.name}")):
            return None
        reverse = " (to link the other way, undo and pick them in the other order)"
        what = "now flows to" if flow else "now depends on"
        self.message_shown.emit(f"{a.name} {what} {b.name}{reverse}")
        return link.id

    def link_by_keyboard(self, label: bool = False, flow: FlowDirection | None = None) -> None:
        """L: two selected components are linked in the order they were picked; one
        selected asks which component it depends on, picked by typing its name.
        ``label``: then type the link's label in place; ``flow``: a flow link."""
        ids = self.selected_component_ids()
        m = self.document.map
        link_id = None
        if len(ids) == 2:
            link_id = self.link_components(ids[0], ids[1], flow)
        elif len(ids) != 1:
            self.error_raised.emit("Select a component, press L and type the name of what it depends on")
            return
        else:
            from osom_desktop.views.component_picker import pick_component

            source = m.component(ids[0])
            names = sorted(c.name for c in m.components if c.id != source.id)
            name = pick_component(self, f"Link {source.name} to…", f"{source.name} depends on:", names)
            target = m.component_by_name(name) if name else None
            if target is not None:
                link_id = self.link_components(source.id, target.id, flow)
                self.setFocus()
        if link_id is not None and (label or flow):
            self.select_ids([link_id])
            self.start_rename(link_id)

    def _free_spot(self) -> tuple[float, float]:
        """Where N puts a new component: the middle of what is on screen."""
        vis, evo = self.map_scene.to_map(self.mapToScene(self.viewport().rect().center()))
        return min(1.0, max(0.0, vis)), min(1.0, max(0.0, evo))

    # -- commands from the view ----------------------------------------------------------

    def run(self, command) -> bool:
        if self.read_only:
            return False
        return run_on_stack(self.stack, command, report=self.error_raised.emit)

    def _placed(self, visibility: float, evolution: float) -> tuple[float, float]:
        """A spot the person picked, kept on the map (said so when it was off it) and
        written with two decimals."""
        (v, v_hit), (e, e_hit) = on_map(visibility), on_map(evolution)
        if v_hit or e_hit:
            self.message_shown.emit(f"Placed at the map's edge [{v:g}, {e:g}]: positions run from 0 to 1")
        return v, e

    def _free_name(self, base: str) -> str:
        names = {c.name for c in self.document.map.components}
        return next(f"{base} {n}" for n in itertools.count(1) if f"{base} {n}" not in names)

    def add_component_at(self, visibility: float, evolution: float, rename: bool = False,
                         kind: ComponentKind = ComponentKind.COMPONENT, **flags) -> str | None:
        """A new component (anchor with ``kind``; ``market=True``, ``ecosystem=True``)."""
        base = {ComponentKind.ANCHOR: "New anchor"}.get(kind, "New market" if flags.get("market") else
                                                       "New ecosystem" if flags.get("ecosystem") else "New component")
        v, e = self._placed(visibility, evolution)
        component = Component(id=new_id(), name=self._free_name(base), kind=kind, visibility=v, evolution=e, **flags)
        if not self.run(AddElementCommand(self.document, component)):
            return None
        self.select_ids([component.id])
        if rename:
            self.start_rename(component.id)
        return component.id

    def add_note_at(self, visibility: float, evolution: float, edit: bool = True) -> str | None:
        v, e = self._placed(visibility, evolution)
        note = Note(id=new_id(), text="New note", visibility=v, evolution=e)
        if not self.run(AddElementCommand(self.document, note, text="Add note")):
            return None
        self.select_ids([note.id])
        if edit:
            self.start_rename(note.id)
        return note.id

    def add_annotation_at(self, visibility: float, evolution: float, edit: bool = True) -> str | None:
        """A numbered annotation, numbered one past the highest; its text goes in the legend."""
        v, e = self._placed(visibility, evolution)
        number = max((a.number for a in self.document.map.annotations), default=0) + 1
        annotation = Annotation(id=new_id(), number=number, points=[(v, e)], text="New annotation")
        if not self.run(AddElementCommand(self.document, annotation, text=f"Add annotation {number}")):
            return None
        self.select_ids([annotation.id])
        if edit:
            self.start_rename(annotation.id)
        return annotation.id

    def add_accelerator_at(self, visibility: float, evolution: float,
                           kind: AcceleratorKind = AcceleratorKind.ACCELERATOR) -> str | None:
        v, e = self._placed(visibility, evolution)
        word = "Accelerator" if kind is AcceleratorKind.ACCELERATOR else "Deaccelerator"
        acc = Accelerator(id=new_id(), kind=kind, name=f"New {word.lower()}", visibility=v, evolution=e)
        if not self.run(AddElementCommand(self.document, acc, text=f"Add {word.lower()}")):
            return None
        self.select_ids([acc.id])
        self.start_rename(acc.id)
        return acc.id

    def add_area_at(self, visibility: float, evolution: float, kind: AreaKind) -> str | None:
        """A pioneers / settlers / town planners box, 0.2 by 0.2, its top-left here."""
        v, e = self._placed(visibility, evolution)
        bottom, right = on_map(v - 0.2)[0], on_map(e + 0.2)[0]
        area = Area(id=new_id(), kind=kind, top=v, left=e, bottom=bottom, right=right)
        if not self.run(AddElementCommand(self.document, area, text=f"Add {kind.value} area")):
            return None
        self.select_ids([area.id])
        return area.id

    def add_pipeline(self, component_id: str) -> str | None:
        """A pipeline under a component, spanning a stage either side of it."""
        m = self.document.map
        c = m.component(component_id)
        if c is None or c.evolution is None or c.pipeline_id is not None:
            self.error_raised.emit("A pipeline goes under a placed component that is not itself in a pipeline")
            return None
        if any(p.component_id == component_id for p in m.pipelines):
            self.error_raised.emit(f"{c.name} already has a pipeline")
            return None
        pipe = Pipeline(id=new_id(), component_id=component_id,
                        start=on_map(c.evolution - 0.15)[0], end=on_map(c.evolution + 0.15)[0])
        if not self.run(AddElementCommand(self.document, pipe, text=f"Add pipeline under {c.name}")):
            return None
        self.message_shown.emit(f"Pipeline under {c.name}: drop components on it to put them in it")
        return pipe.id

    def add_into_pipeline(self, pipeline_id: str, evolution: float) -> str | None:
        """A new component inside a pipeline, at ``evolution`` along it."""
        m = self.document.map
        pipe = next((p for p in m.pipelines if p.id == pipeline_id), None)
        if pipe is None:
            return None
        e, _ = on_map(evolution)
        component = Component(id=new_id(), name=self._free_name("New component"), evolution=e, pipeline_id=pipeline_id)
        plan = AddElementCommand(self.document, component, text="Add component to pipeline").plan
        if not pipe.block:
            plan.edits.append(UpdateElement(pipeline_id, {"block": True}))
        if not self.run(plan):
            return None
        self.select_ids([component.id])
        self.start_rename(component.id)
        return component.id

    def take_out_of_pipeline(self, component_id: str) -> None:
        c = self.document.map.component(component_id)
        if c is None or c.pipeline_id is None:
            return
        point = self.map_scene.component_point(component_id)
        v = on_map(self.map_scene.to_map(point)[0] - 0.05)[0] if point is not None else 0.5
        self._set(component_id, f"Take {c.name} out of its pipeline", pipeline_id=None, visibility=v)

    def delete_selection(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.run(RemoveElementsCommand(self.document, ids, text=f"Delete {len(ids)} item(s)"))

    def nudge(self, dv: float, de: float) -> None:
        """Arrow keys: the selection moves a step; a run of steps is one undo step."""
        if self.read_only:
            return
        ids = self.selected_ids()
        m = self.document.map
        if any(m.component(i) is None for i in ids):
            # Notes, annotations, pipelines: the same one-step move a drag makes.
            drag = SelectionDrag(self.document, ids)
            if drag:
                drag.move_by(dv, de)
                plan = drag.finish("Nudge")
                if plan is not None:
                    self.run(plan)
                if drag.clamped:
                    self.message_shown.emit("Kept on the map: positions run from 0 to 1")
            return
        old = {cid: (c.visibility, c.evolution) for cid in ids
               if (c := m.component(cid)) is not None and c.visibility is not None and c.evolution is not None}
        if not old:
            return
        new = {}
        clamped = False
        for cid, (v, e) in old.items():
            (nv, hv), (ne, he) = on_map(v + dv), on_map(e + de)
            clamped |= hv or he
            new[cid] = (nv, ne)
        if clamped:
            self.message_shown.emit("Kept on the map: positions run from 0 to 1")
        self.run(MoveComponentsCommand(self.document, new, old, text="Nudge", merge=True))

    # -- copy, paste, duplicate -------------------------------------------------------------

    def paste_owm(self, text: str) -> list[str]:
        """Paste OWM text (from this map, another, or OWM itself): what collides with
        the map gets a numbered name and sits a step down and right of the original.
        The pasted elements end up selected, as one undo step. Returns their ids."""
        from osom_desktop.commands import ReplaceMapCommand
        from osom_desktop.owm.clipboard import paste_into

        pasted = paste_into(self.document.map, text)
        if not pasted.ids:
            self.message_shown.emit("The clipboard holds no OWM elements to paste")
            return []
        n = len(pasted.ids)
        if not self.run(ReplaceMapCommand(self.document, pasted.map, text=f"Paste {n} element(s)")):
            return []
        self.select_ids(pasted.ids)
        self.message_shown.emit(pasted.summary)
        return pasted.ids

    def copy_text(self) -> str:
        """The selection as OWM text (components, their links, notes, annotations, pipelines)."""
        from osom_desktop.owm.clipboard import copy_as_owm

        return copy_as_owm(self.document.map, self.selected_ids()) if self.selected_ids() else ""

    def duplicate_selection(self) -> list[str]:
        """Edit > Duplicate (Ctrl+D): copies of the selection beside it, selected."""
        text = self.copy_text()
        if not text.strip():
            self.error_raised.emit("Select what to duplicate first")
            return []
        return self.paste_owm(text)

    # -- rename in place -------------------------------------------------------------------

    def pending_edits(self) -> dict[str, dict[str, str]]:
        """A name typed into the in-place rename box, not committed yet: {id: {"name": ...}}."""
        box, cid = self._rename_box, self._rename_id
        c = self.document.map.component(cid) if cid else None
        if box is None or c is None or not shiboken6.isValid(box) or box.text().strip() in ("", c.name):
            return {}
        return {cid: {"name": box.text().strip()}}

    def rename_box_open(self) -> bool:
        """Whether a name or text is being typed in place on the canvas."""
        box = self._rename_box
        return box is not None and shiboken6.isValid(box) and box.isVisible()

    def _editable(self, element_id: str) -> tuple[str, str] | None:
        """(field, current text) of what F2 or a double-click edits in place."""
        element = self.map_scene.element(element_id) if element_id else None
        if isinstance(element, (Component, Accelerator)):
            return "name", element.name
        if isinstance(element, (Note, Annotation)):
            return "text", element.text
        if isinstance(element, Link):
            return "context", element.context or ""
        return None

    def _edit_anchor(self, element_id: str) -> QPointF:
        element = self.map_scene.element(element_id)
        if isinstance(element, Component):
            point = self.map_scene.component_point(element_id)
            return point if point is not None else self.map_scene.to_scene(0.5, 0.5)
        item = self.map_scene.item_for_id(element_id)
        if isinstance(element, Link) and item is not None:
            return item.line().center()
        if isinstance(element, Annotation):
            return self.map_scene.draw_point(*element.points[0])
        return item.sceneBoundingRect().bottomLeft() if item is not None else self.map_scene.to_scene(0.5, 0.5)

    def start_rename(self, element_id: str) -> None:
        """Edit in place: a component's name, a note's or annotation's text, a link's label."""
        editable = self._editable(element_id)
        if editable is None or self.read_only:
            return
        if self._in_menu:
            self._rename_after_menu = element_id
            return
        self._cancel_rename()
        field, text = editable
        box = QLineEdit(self.viewport())
        box.setObjectName("renameBox")
        box.setText(text)
        box.selectAll()
        if field == "context":
            box.setPlaceholderText("Label of the link (empty: none)")
        anchor = self.mapFromScene(self._edit_anchor(element_id))
        box.setMinimumWidth(220 if field != "name" else 180)
        box.move(anchor.x() + 8, anchor.y() - box.sizeHint().height() - 4)
        box.returnPressed.connect(self._commit_rename)
        box.installEventFilter(self)
        box.show()
        box.setFocus()
        self._rename_box, self._rename_id, self._rename_field = box, element_id, field

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self._rename_box:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self._cancel_rename()
                return True
            if event.type() == QEvent.Type.FocusOut:
                self._commit_rename()
                return False
        return super().eventFilter(watched, event)

    def _commit_rename(self) -> None:
        box, eid, field = self._rename_box, self._rename_id, self._rename_field
        if box is None or eid is None:
            return
        self._rename_box = self._rename_id = None
        value = box.text().strip()
        box.hide()
        box.deleteLater()
        self.setFocus()
        editable = self._editable(eid)
        if editable is None or value == editable[1]:
            return
        if field == "name":
            if value:
                self.run(UpdateElementCommand(self.document, eid, text=f"Rename {editable[1]}", name=value))
        elif field == "context":
            self.run(UpdateElementCommand(self.document, eid, text="Label link", context=value or None))
        elif value:
            # Not UpdateElementCommand: its ``text`` is the undo step's name.
            self.run(Plan.of(self.document, "Edit text", UpdateElement(eid, {"text": value})))

    def _cancel_rename(self) -> None:
        box = self._rename_box
        if box is not None:
            self._rename_box = self._rename_id = None
            box.removeEventFilter(self)
            box.hide()
            box.deleteLater()

    # -- keyboard -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        step = BIG_NUDGE if mods & Qt.KeyboardModifier.ShiftModifier else NUDGE
        arrows = {
            Qt.Key.Key_Up: (step, 0.0),
            Qt.Key.Key_Down: (-step, 0.0),
            Qt.Key.Key_Left: (0.0, -step),
            Qt.Key.Key_Right: (0.0, step),
        }
        if key in arrows and self.selected_ids():
            self.nudge(*arrows[key])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
            return
        if key == Qt.Key.Key_F2 and (ids := [i for i in self.selected_ids() if self._editable(i)]):
            self.start_rename(ids[0])
            return
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if plain and not self.read_only and not event.isAutoRepeat():
            if key == Qt.Key.Key_L:
                self.link_by_keyboard()
                return
            if key == Qt.Key.Key_N:
                self.add_component_at(*self._free_spot(), rename=True)
                return
            if key == Qt.Key.Key_A:
                self.add_component_at(*self._free_spot(), rename=True, kind=ComponentKind.ANCHOR)
                return
            if key == Qt.Key.Key_T:
                self.add_note_at(*self._free_spot())
                return
            if key == Qt.Key.Key_U:
                self.add_annotation_at(*self._free_spot())
                return
            if key == Qt.Key.Key_P:
                ids = self.selected_component_ids()
                if len(ids) == 1:
                    self.add_pipeline(ids[0])
                else:
                    self.error_raised.emit("Select one component, then press P to put a pipeline under it")
                return
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if key == Qt.Key.Key_Escape:
            self.map_scene.clearSelection()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            return
        super().keyReleaseEvent(event)

    # -- zoom ---------------------------------------------------------------------------

    def zoom_by(self, factor: float) -> None:
        self.auto_fit = False  # the person chose a zoom: resizing the window keeps it
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_actual(self) -> None:
        self._fit_pending = False
        self.auto_fit = False
        self.resetTransform()

    def zoom_fit(self) -> None:
        """The whole map in the view; it then follows the window's size again."""
        self.auto_fit = True
        # Exactly the scene rect: fitting inside it would bring scroll bars, which
        # shrink the view, which refits it.
        self.fitInView(self.map_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # shift+wheel scrolls sideways
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    def event(self, event) -> bool:  # noqa: A003
        if event.type() == QEvent.Type.NativeGesture and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value())
            return True
        if event.type() == QEvent.Type.Gesture and (pinch := event.gesture(Qt.GestureType.PinchGesture)) is not None:
            self.zoom_by(pinch.scaleFactor())
            return True
        return super().event(event)

    # -- context menu -------------------------------------------------------------------

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        if self.read_only:
            return  # every entry changes the map
        menu = self.context_menu(event.pos())
        self._in_menu, self._rename_after_menu = True, None
        try:
            menu.exec(event.globalPos())
        finally:
            self._in_menu = False
        if (element_id := self._rename_after_menu) is not None:
            # Typing in place starts once the menu has gone and focus has come back
            # here: a box opened before that would lose focus at once and close.
            self._rename_after_menu = None
            QTimer.singleShot(0, lambda: self.start_rename(element_id))

    def context_menu(self, pos) -> QMenu:
        """The right-click menu for what is at ``pos`` (viewport coordinates)."""
        component_id = self._component_at(pos)
        menu = QMenu(self)
        menu.setObjectName("canvasMenu")
        vis, evo = self.map_scene.to_map(self.mapToScene(pos))
        if component_id is not None:
            item = self.map_scene.item_for_id(component_id)
            if not item.isSelected():
                self.map_scene.clearSelection()
                item.setSelected(True)
            self._component_menu(menu, component_id)
            return menu
        element_id = self._element_of(self.itemAt(pos))
        element = self.map_scene.element(element_id) if element_id else None
        if element is None:
            menu.addAction("Add component here\tN", lambda: self.add_component_at(vis, evo, rename=True))
            menu.addAction("Add anchor (user, need) here\tA",
                           lambda: self.add_component_at(vis, evo, rename=True, kind=ComponentKind.ANCHOR))
            menu.addAction("Add market here", lambda: self.add_component_at(vis, evo, rename=True, market=True))
            menu.addAction("Add ecosystem here", lambda: self.add_component_at(vis, evo, rename=True, ecosystem=True))
            menu.addSeparator()
            menu.addAction("Add note here\tT", lambda: self.add_note_at(vis, evo))
            menu.addAction("Add annotation here\tU", lambda: self.add_annotation_at(vis, evo))
            more = menu.addMenu("More")
            more.addAction("Accelerator here", lambda: self.add_accelerator_at(vis, evo))
            more.addAction("Deaccelerator here",
                           lambda: self.add_accelerator_at(vis, evo, AcceleratorKind.DEACCELERATOR))
            for kind, label in ((AreaKind.PIONEERS, "Pioneers area here"), (AreaKind.SETTLERS, "Settlers area here"),
                                (AreaKind.TOWNPLANNERS, "Town planners area here")):
                more.addAction(label, lambda k=kind: self.add_area_at(vis, evo, k))
            return menu
        self.map_scene.clearSelection()
        self.map_scene.item_for_id(element_id).setSelected(True)
        if isinstance(element, Pipeline):
            menu.addAction("Add component into the pipeline here", lambda: self.add_into_pipeline(element_id, evo))
        elif isinstance(element, (Note, Annotation)):
            menu.addAction("Edit text\tF2", lambda: self.start_rename(element_id))
        elif isinstance(element, Accelerator):
            menu.addAction("Rename\tF2", lambda: self.start_rename(element_id))
        elif isinstance(element, Link):
            menu.addAction("Label…\tF2", lambda: self.start_rename(element_id))
            flow = menu.addMenu("Flow")
            for label, value in (("None (dependency)", None), ("Forward  +>", FlowDirection.FORWARD),
                                 ("Backward  +<", FlowDirection.BACKWARD), ("Both ways  +<>", FlowDirection.BOTH)):
                action = flow.addAction(label, lambda v=value: self._set(element_id, "Set flow", flow=v))
                action.setCheckable(True)
                action.setChecked(element.flow == value)
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.run(RemoveElementsCommand(self.document, [element_id])))
        return menu

    def _component_menu(self, menu: QMenu, cid: str) -> None:
        c = self.document.map.component(cid)
        menu.addAction("Rename\tF2", lambda: self.start_rename(cid))
        menu.addAction("Link to…\tL", lambda: self.link_by_keyboard())
        menu.addAction("Link to… with a label", lambda: self.link_by_keyboard(label=True))
        menu.addAction("Flow to…", lambda: self.link_by_keyboard(flow=FlowDirection.FORWARD))
        menu.addSeparator()
        method_menu = menu.addMenu("Method (build, buy, outsource)")
        for label, value in (("None", None), ("Build", Method.BUILD), ("Buy", Method.BUY), ("Outsource", Method.OUTSOURCE)):
            action = method_menu.addAction(label, lambda v=value: self._set(cid, "Set method", method=v))
            action.setCheckable(True)
            action.setChecked(c.method == value)
        for label, field in (("Market", "market"), ("Ecosystem", "ecosystem"), ("Inertia", "inertia")):
            action = menu.addAction(label, lambda f=field: self._toggle(cid, f))
            action.setCheckable(True)
            action.setChecked(bool(getattr(c, field)))
        if c.evolve is None:
            target = on_map((c.evolution or 0.0) + 0.2)[0]
            menu.addAction("Evolve", lambda: self._set(cid, "Evolve", evolve=Evolve(evolution=target)))
        else:
            menu.addAction("Stop evolving", lambda: self._set(cid, "Stop evolving", evolve=None))
        if c.kind is ComponentKind.COMPONENT:
            menu.addAction("Make anchor (user)", lambda: self._set(cid, "Make anchor", kind=ComponentKind.ANCHOR))
        elif c.kind is ComponentKind.ANCHOR:
            menu.addAction("Make component", lambda: self._set(cid, "Make component", kind=ComponentKind.COMPONENT))
        if c.pipeline_id is not None:
            menu.addAction("Take out of the pipeline", lambda: self.take_out_of_pipeline(cid))
        elif c.kind is ComponentKind.COMPONENT and not any(p.component_id == cid for p in self.document.map.pipelines):
            menu.addAction("Add pipeline under it\tP", lambda: self.add_pipeline(cid))
        if c.label is not None:
            menu.addAction("Put the label back", lambda: self._set(cid, "Reset label", label=None))
        menu.addSeparator()
        delete = QAction("Delete", menu)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.triggered.connect(self.delete_selection)
        menu.addAction(delete)

    def _set(self, cid: str, text: str, **values) -> None:
        self.run(UpdateElementCommand(self.document, cid, text=text, **values))

    def _toggle(self, cid: str, field: str) -> None:
        c = self.document.map.component(cid)
        self._set(cid, field.capitalize(), **{field: not getattr(c, field)})

    # -- status ---------------------------------------------------------------------------

    def stage_name(self, evolution: float) -> str:
        labels = self.document.map.evolution_labels or list(DEFAULT_STAGE_LABELS)
        i = stage_of(evolution)
        return labels[i].replace("\n", " ") if i < len(labels) else ""
