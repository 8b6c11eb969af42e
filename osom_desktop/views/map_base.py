"""The canvas's ground floor: the MapView's state, its scene and document, selection,
what is under the mouse, the link handle and zoom.

MapView is split into layers, each a module under 800 lines and each a subclass of the
one below, so every layer (and mypy) sees what the layers under it define:
map_base -> map_rename (typing in place) -> map_link (linking) -> map_create (adding,
moving, deleting, pasting) -> map_menus (right-click) -> map_keys (keyboard) ->
map_view (the mouse: selecting, dragging, double-click). Import MapView from map_view.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPen, QUndoStack, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QWidget,
)

from osom_desktop.commands import UpdateElementCommand
from osom_desktop.commands import run as run_on_stack
from osom_desktop.drawing.items import ComponentItem
from osom_desktop.drawing.items.base import MapItem
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.model.document import Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.model.wardley import DEFAULT_STAGE_LABELS, Component, Evolve, Offset, ServiceRef, stage_of
from osom_desktop.views.map_drag import SelectionDrag

ZOOM_STEP = 1.15
MIN_ZOOM, MAX_ZOOM = 0.1, 12.0
HANDLE_RADIUS = 5.0
# Above this many components the pixmap caches would cost more memory and idle time
# than they save (drags on such maps are not expected to hit 60 frames a second).
CACHE_MAX_COMPONENTS = 3000
EMPTY_HINT = ("This map is empty.\n\n"
              "Double-click anywhere to add a component (type its name, Enter).\n"
              "Select a component and drag its small handle onto another to link them.\n"
              "Or type OWM lines in the Map text pane, e.g.  component Tea [0.6, 0.8]")


class Gesture(Enum):
    NONE = auto()
    MOVE = auto()
    EVOLVE = auto()  # dragging an evolved copy sideways: where the component is heading
    LINK = auto()
    PAN = auto()
    LABEL = auto()  # dragging a component's label: its OWM ``label [x, y]`` offset
    LEGEND = auto()  # dragging the annotations box: OWM's ``annotations [v, e]``


class MapViewBase(QGraphicsView):
    """State and plumbing shared by the canvas's layers; see MapView."""

    _map_scene: MapScene
    _hint_shown: bool
    _after_first_paint: bool

    cursor_moved = Signal(float, float, str)
    error_raised = Signal(str)
    message_shown = Signal(str)  # what an edit did, for the status bar
    selection_changed = Signal(list)
    open_service_requested = Signal(Path)  # double-click on a component another service provides

    @property
    def auto_fit(self) -> bool:
        """Whether the map follows the window's size (open, resize, maximise): True until
        the person zooms or pans; Fit Map (Ctrl+0) hands it back to the window."""
        return self._auto_fit

    @auto_fit.setter
    def auto_fit(self, on: bool) -> None:
        self._auto_fit = on
        # While fitted, no scroll bars: a label drawn past the axis end grows the scene,
        # scroll bars would come, shrink the viewport and refit it, and the map would
        # rescale under the pointer mid-drawing (the next double-click ~40 px off).
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if on else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def __init__(self, scene: MapScene, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stack = stack
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # Every map item sets the pen, brush and font it draws with, so Qt need not
        # save and restore the painter round each item; and so the clip that
        # ``drawBackground`` sets holds for the items (see there).
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self._gesture = Gesture.NONE
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
        self._pointer: QPoint | None = None  # the mouse's last place over the viewport
        self._space_down = False
        self._link_source: str | None = None
        self._link_line: QGraphicsLineItem | None = None
        self._handle: QGraphicsEllipseItem | None = None
        self._handle_for: str | None = None
        self._rename_box: QLineEdit | None = None
        self._rename_id: str | None = None
        self._rename_field = "name"
        self._rename_error: QLabel | None = None  # why a typed name was refused (map_rename)
        self._reopen: tuple[str, str, str] | None = None  # a refused name to type again
        self._in_menu = False
        self._in_paint = False  # inside paintEvent (see drawBackground)
        self._rename_after_menu: str | None = None
        self._fit_pending = True  # fit the map to the view once it has its real size
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
        self._reopen = None  # a name refused on the map that was shown is not typed again
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
            self._reopen = None
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

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt override
        super().drawBackground(painter, rect)
        # A clip round the area being repainted, for the items drawn next. Without a
        # clip of its own the painter strokes each line over its whole length (the
        # paint event only limits which pixels are written), and at 5,000 components
        # a label-sized repaint holds ~500 links whose boxes reach it: a long one
        # cost ~20-30 us, most of it outside the area. Two pixels wider than the
        # area: edge pixels come out as before, and nothing outside it is written.
        scale = max(abs(painter.worldTransform().m11()), 1e-6)
        margin = 2.0 / scale
        area = QRectF(rect).adjusted(-margin, -margin, margin, margin)
        painter.setClipRect(area)
        if self._in_paint:  # not for QGraphicsView.render, which has no paint event
            # What the items may leave out (MapItem.paint_area), until the paint is over.
            MapItem.paint_area = (area.left(), area.top(), area.right(), area.bottom())

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt override
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
        self._in_paint = True
        try:
            super().paintEvent(event)
        finally:
            self._in_paint = False
            MapItem.paint_area = None
        if self._after_first_paint:
            self._after_first_paint = False
            QTimer.singleShot(0, self._after_painted)

    def _after_painted(self) -> None:
        # After the first paint, not before: it would pay for both. The scene's item
        # index makes each later paint and hit test visit only the items there, not
        # every item (see MapScene.index_items).
        scene = self.map_scene
        if not shiboken6.isValid(scene):
            return
        scene.index_items()
        # The scene may have been replaced since the paint that asked (a file opened
        # in a window that had just drawn an empty map): a 5,000-component map's
        # 15,000 pixmaps do not fit the pixmap cache, and every repaint after an
        # edit re-rendered the ones it had dropped (~45 ms a rename instead of ~20).
        if len(scene.document.map.components) <= CACHE_MAX_COMPONENTS:
            scene.set_item_caching(True)
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
        self._after_first_paint = True
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

    def _component_at(self, view_pos, whole_box: bool = False) -> str | None:
        """The component under the mouse: its circle, or its label. One whose circle is
        there wins over one whose label is drawn across it. The rest of its box (the
        empty corner between circle and label, where its links run) is not it: a
        press or right-click there goes past it (map_select), to a link under it.

        ``whole_box``, for a double-click: the corner is the component too (after any
        circle or label there). A double-click has no drag to tell apart from, and in
        the corner it had added a new component stacked 13 px from this one, with the
        name box over this one's label; a person meant this one."""
        scene_pos = self.mapToScene(view_pos)
        found = boxed = None
        for item in self.items(view_pos):
            if item is self._handle or item is self._link_line:
                continue
            element_id = self._element_of(item)
            if element_id is None or self.document.map.component(element_id) is None:
                continue
            if self._box_only(item, scene_pos):
                boxed = boxed or element_id
            else:
                found = found or element_id
        return self._nearest_symbol(view_pos, scene_pos) or found or (boxed if whole_box else None)

    @staticmethod
    def _box_only(item: QGraphicsItem, scene_pos: QPointF) -> bool:
        """Whether ``item`` is a component that draws nothing at ``scene_pos``: only its
        bounding box is there."""
        return isinstance(item, ComponentItem) and not (item.on_symbol(scene_pos) or item.on_label(scene_pos))

    def itemAt(self, *args) -> QGraphicsItem | None:  # noqa: N802 - Qt override
        """The top-most item under a viewport point, going past a component's empty
        corner (``_box_only``): what a right-click there is about is what lies under
        it (a link, a pipeline) or the empty map. A double-click asks ``_component_at``
        with ``whole_box`` first, so it reaches here only off every component's box."""
        pos = QPoint(*args) if len(args) == 2 else QPoint(args[0].x(), args[0].y())
        scene_pos = self.mapToScene(pos)
        return next((item for item in self.items(pos) if not self._box_only(item, scene_pos)), None)

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

    def _cancel_rename(self) -> None:
        """Drop a name being typed in place (map_rename has the editor)."""

    # -- the link handle ---------------------------------------------------------------

    def _place_handle(self) -> None:
        """A small circle beside the one selected component: drag it to another to link."""
        component = self._handle_component()
        if component is None or component.visibility is None or component.evolution is None:
            if self._handle is not None and shiboken6.isValid(self._handle):
                self._handle.hide()
            self._handle_for = None
            return
        handle = self._live_handle()
        centre = self.map_scene.component_point(component.id) or self.map_scene.to_scene(component.visibility, component.evolution)
        handle.setPos(centre + QPointF(14, 10))
        handle.show()
        self._handle_for = component.id

    def _handle_component(self) -> Component | None:
        """The one selected component, on a map that can change: the handle's place."""
        ids = self.selected_component_ids()
        if len(ids) != 1 or self.read_only:
            return None
        return self.document.map.component(ids[0])

    def _live_handle(self) -> QGraphicsEllipseItem:
        """The handle item, made again if the scene changed or a rebuild deleted it."""
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
        return self._handle

    # -- commands from the view ----------------------------------------------------------

    def run(self, command) -> bool:
        """Record an edit as one undo step; True when recorded. A refusal goes to
        ``error_raised``, in the words the app uses for its fields (``user_message``)."""
        recorded, refused = self._record(command)
        if refused:
            self.error_raised.emit(refused)
        return recorded

    def run_or_refusal(self, command) -> str:
        """Record an edit; why the model refused it, or "" (recorded, or nothing to do)."""
        return self._record(command)[1]

    def _record(self, command) -> tuple[bool, str]:
        if self.read_only:
            return False, ""
        try:
            return run_on_stack(self.stack, command), ""
        except OsomError as exc:
            return False, user_message(exc)

    def _set(self, cid: str, text: str, **values) -> None:
        self.run(UpdateElementCommand(self.document, cid, text=text, **values))

    def _toggle(self, cid: str, field: str) -> None:
        c = self.document.map.component(cid)
        self._set(cid, field.capitalize(), **{field: not getattr(c, field)})

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

    # -- status ---------------------------------------------------------------------------

    def stage_name(self, evolution: float) -> str:
        labels = self.document.map.evolution_labels or list(DEFAULT_STAGE_LABELS)
        i = stage_of(evolution)
        return labels[i].replace("\n", " ") if i < len(labels) else ""
