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

import shiboken6
from PySide6.QtCore import QEvent, QLineF, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QUndoStack
from PySide6.QtWidgets import QApplication

from osom_desktop.commands import UpdateElementCommand, UpdateMapSettingsCommand
from osom_desktop.commands import run as run_on_stack
from osom_desktop.drawing.items import ComponentItem, EvolveItem, LegendItem, PipelineItem
from osom_desktop.drawing.items.base import MAP_HEIGHT, MAP_WIDTH
from osom_desktop.model.wardley import (
    Accelerator,
    Annotation,
    Area,
    Component,
    ComponentKind,
    Link,
    Note,
    Offset,
    Pipeline,
)
from osom_desktop.operations.edits import UpdateElement
from osom_desktop.operations.plan import Plan
from osom_desktop.views.drag_layers import DragCache, DragLayers
from osom_desktop.views.map_base import Gesture
from osom_desktop.views.map_drag import SelectionDrag, on_map
from osom_desktop.views.map_keys import CANVAS_KEYS, MapKeys

__all__ = ["CANVAS_KEYS", "MapView"]

# How far (scene units) above or below its pipeline a child must be dropped to leave it.
PIPELINE_LEAVE = 30.0

# A drag held this close (pixels) to the viewport's edge scrolls a zoomed-in view that
# way, faster the nearer the edge (and past it), as drawing programs do: without it a
# component could not be dragged beyond what the view shows.
EDGE_MARGIN = 28
EDGE_MAX_STEP = 24  # pixels a tick at (or past) the edge
EDGE_TICK_MS = 30
# The gestures that move something under the mouse (panning moves the view itself).
EDGE_GESTURES = (Gesture.MOVE, Gesture.LABEL, Gesture.LINK, Gesture.LEGEND, Gesture.EVOLVE)


class MapView(MapKeys):
    """Signals: ``cursor_moved(visibility, evolution, stage)``, ``error_raised(message)``,
    ``selection_changed(ids)``, ``open_service_requested(name)``, ``position_shown(text)``."""

    # The status bar's position: where the dragged component is (not the mouse) during
    # a drag and after the drop, as written ("Tea: visibility 0.66, evolution 0.66"); ""
    # clears it. After an undo or redo it says where that component is then: it used to
    # keep showing the dropped position over a map the undo had changed (issue 14).
    position_shown = Signal(str)

    def __init__(self, scene, stack: QUndoStack, parent=None) -> None:
        super().__init__(scene, stack, parent)
        self._shown_id: str | None = None  # the element the status bar's position describes
        self._watched_stack: QUndoStack | None = None
        self._watch_stack(stack)
        self._refit_soon = False
        scene.sceneRectChanged.connect(self._on_map_grown)

    def set_map_scene(self, scene, stack: QUndoStack) -> None:
        old = self.map_scene
        super().set_map_scene(scene, stack)
        self._shown_id = None
        self._watch_stack(stack)
        if scene is not old:
            if shiboken6.isValid(old):
                old.sceneRectChanged.disconnect(self._on_map_grown)
            scene.sceneRectChanged.connect(self._on_map_grown)

    # -- the fitted view follows the map's extent ------------------------------------------

    def _on_map_grown(self, _rect) -> None:
        """A label placed past the map's edge grows the scene: a fitted view fits it
        again (once, after the edit), or the label was cut off at the view's edge until
        Fit Map (issue 14). Not during a gesture: the map would rescale under the mouse."""
        if self.auto_fit and not self._refit_soon:
            self._refit_soon = True
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        self._refit_soon = False
        if not shiboken6.isValid(self) or not self.auto_fit or not self.isVisible() or self.viewport().width() <= 50:
            return
        if self._gesture is Gesture.NONE:
            self.zoom_fit()
        # else: the release fits it (mouseReleaseEvent)

    def _watch_stack(self, stack: QUndoStack) -> None:
        if stack is self._watched_stack:
            return
        if self._watched_stack is not None and shiboken6.isValid(self._watched_stack):
            self._watched_stack.indexChanged.disconnect(self._after_step)
        self._watched_stack = stack
        stack.indexChanged.connect(self._after_step)

    def _after_step(self, _index: int) -> None:
        """An edit, undo or redo: the position shown is brought up to date (or cleared:
        the mouse's position is no news after an undo, and read like the old one)."""
        if self._gesture is Gesture.NONE:
            self.position_shown.emit(self.position_text(self._shown_id))

    def position_text(self, element_id: str | None) -> str:
        """Where an element is, as its text writes it: two decimals."""
        element = self.map_scene.element(element_id) if element_id else None
        evolution = getattr(element, "evolution", None)
        if element is None or evolution is None:
            return ""
        name = getattr(element, "name", None) or getattr(element, "text", None) or ""
        visibility = getattr(element, "visibility", None)
        where = ([f"visibility {visibility:.2f}"] if visibility is not None else []) + [f"evolution {evolution:.2f}"]
        return f"{name}: {', '.join(where)} — {self.stage_name(evolution)}"

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._cancel_rename()
        pos = event.position().toPoint()
        scene_pos = self.mapToScene(pos)
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._gesture = Gesture.PAN
            self._pan_last = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton or self.read_only:
            super().mousePressEvent(event)  # a read-only map: select only
            return
        if self._press_starts_gesture(pos, scene_pos):
            event.accept()
            return
        element_id = self._draggable_at(pos)
        if element_id is None and self._legend_at(pos):
            self._gesture = Gesture.LEGEND
            self._press_scene = scene_pos
            self._drag_moved = False
            self._legend_before = self.document.map.annotations_legend
        elif element_id is None:
            super().mousePressEvent(event)  # rubber band / click on empty canvas or a link
            return
        else:
            self._press_element(element_id, event, scene_pos)
        event.accept()

    def _press_starts_gesture(self, pos, scene_pos: QPointF) -> bool:
        """A press on the link handle or an evolved copy starts linking, or moving
        the evolve target (or the evolved copy's label)."""
        if self._handle is not None and shiboken6.isValid(self._handle) and self._handle.isVisible() and self._handle in self.items(pos):
            self._begin_link(self._handle_for, scene_pos)
            return True
        evolved_of = self._evolved_copy_pressed(pos, scene_pos)
        if evolved_of is not None:
            item = self.map_scene.item_for_id(evolved_of + "#evolve")
            if isinstance(item, EvolveItem) and item.on_label(scene_pos):
                self._begin_label_drag(evolved_of, True, scene_pos)
                return True
            c = self.document.map.component(evolved_of)
            assert c is not None and c.evolve is not None  # its evolved copy is under the mouse
            self._gesture = Gesture.EVOLVE
            self._evolving = (evolved_of, c.evolve)
            self._drag_moved = False
            return True
        return False

    def _evolved_copy_pressed(self, pos, scene_pos: QPointF) -> str | None:
        """The component whose evolved copy the press is on, unless a component's own
        circle is there too (the evolved copy's circle wins only if nearer)."""
        evolved_of = self._evolved_copy_at(pos)
        symbol = self._nearest_symbol(pos, scene_pos)
        if evolved_of is None or symbol is None:
            return evolved_of
        # A component's circle under the mouse wins over another's evolve arrow or
        # evolved label across it; the evolved copy's own circle wins if nearer.
        copy = self.map_scene.item_for_id(evolved_of + "#evolve")
        mine = self.map_scene.item_for_id(symbol)
        if (isinstance(copy, EvolveItem) and copy.on_symbol(scene_pos) and mine is not None
                and QLineF(copy.pos(), scene_pos).length() < QLineF(mine.pos(), scene_pos).length()):
            return evolved_of
        return None

    def _press_element(self, element_id: str, event: QMouseEvent, scene_pos: QPointF) -> None:
        """A press on an element selects it (Ctrl/Shift: toggles it) and starts moving
        the selection, or a component's label alone."""
        item = self.map_scene.item_for_id(element_id)
        assert item is not None  # _draggable_at found it
        additive = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if additive:
            item.setSelected(not item.isSelected())
        elif not item.isSelected():
            self.map_scene.clearSelection()
            item.setSelected(True)
        if not additive and isinstance(item, ComponentItem) and item.on_label(scene_pos):
            self._begin_label_drag(element_id, False, scene_pos)
            return
        self._gesture = Gesture.MOVE
        self._press_scene = scene_pos
        self._drag_moved = False
        # The status bar follows the element pressed (if it has a place of its own).
        self._shown_id = element_id if self.position_text(element_id) else None
        if self._drag is not None and self._drag.holds_labels:
            # A drag whose release never reached the view (a dialog took the mouse).
            self._drag.holds_labels = False
            self.map_scene.release_labels()
        if self._drag is not None and self._drag.cache is not None:
            self._drag.cache.stop()
        self._drag = SelectionDrag(self.document, self.selected_ids())

    def _legend_at(self, view_pos) -> bool:
        return any(isinstance(item, LegendItem) for item in self.items(view_pos))

    def _legend_value(self, scene_pos: QPointF) -> tuple[float, float]:
        """Where the annotations box goes: its top-left moved by the mouse, with the
        whole box kept on the map (clamping only the corner let it hang below the
        x axis over the stage names)."""
        item = self.map_scene.item_for_id(LegendItem.ID)
        start = self._legend_start if self._drag_moved or item is None else item.pos()
        v, e = self.map_scene.to_map(start + (scene_pos - self._press_scene))
        if item is not None:
            box = item.boundingRect()
            v = max(v, min(1.0, box.bottom() / MAP_HEIGHT))  # visibility falls downwards
            e = min(e, max(0.0, 1.0 - box.right() / MAP_WIDTH))
        return on_map(v)[0], on_map(e)[0]  # two decimals, as the drop writes

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
            if isinstance(item, ComponentItem) and not item.on_label(scene_pos):
                continue  # only its box is here (its circle was looked for above): a link, or nothing
            element_id = self._element_of(item)
            if element_id is None:
                continue
            element = self.map_scene.element(element_id)
            if found is None and (isinstance(element, (Component, Note, Annotation, Pipeline, Accelerator))
                                  or (isinstance(element, Area) and item.isSelected())):
                found = element_id  # an area drags once selected (a click selects it)
        return found

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._pointer = event.position().toPoint()  # where N puts a component (map_create)
        scene_pos = self.mapToScene(event.position().toPoint())
        if self._gesture is not Gesture.MOVE or self._shown_id is None:  # a drag shows the dragged element's place
            self._shown_id = None
            vis, evo = self.map_scene.to_map(scene_pos)
            self.cursor_moved.emit(vis, evo, self.stage_name(evo))
        follow = {
            Gesture.PAN: self._pan_with,
            Gesture.LINK: self._link_with,
            Gesture.MOVE: self._move_with,
            Gesture.LABEL: self._label_with,
            Gesture.LEGEND: self._legend_with,
            Gesture.EVOLVE: self._evolve_with,
        }.get(self._gesture)
        if follow is None or not follow(event, scene_pos):
            super().mouseMoveEvent(event)
        self._edge_scroll_check()

    # -- scrolling while a drag is held near the edge ------------------------------------

    def _edge_step(self) -> tuple[int, int]:
        """Pixels to scroll each tick for where the mouse is: (0, 0) away from the edges."""
        if self._gesture not in EDGE_GESTURES or self._pointer is None:
            return 0, 0
        rect = self.viewport().rect()

        def step(at: int, low: int, high: int) -> int:
            if at < low + EDGE_MARGIN:
                depth = low + EDGE_MARGIN - at
                return -max(1, min(EDGE_MAX_STEP, depth * EDGE_MAX_STEP // EDGE_MARGIN))
            if at > high - EDGE_MARGIN:
                depth = at - (high - EDGE_MARGIN)
                return max(1, min(EDGE_MAX_STEP, depth * EDGE_MAX_STEP // EDGE_MARGIN))
            return 0

        return step(self._pointer.x(), rect.left(), rect.right()), step(self._pointer.y(), rect.top(), rect.bottom())

    def _edge_scroll_check(self) -> None:
        timer = getattr(self, "_edge_timer", None)
        if self._edge_step() == (0, 0):
            if timer is not None:
                timer.stop()
            return
        if timer is None:
            timer = self._edge_timer = QTimer(self)
            timer.setInterval(EDGE_TICK_MS)
            timer.timeout.connect(self._edge_tick)
        if not timer.isActive():
            timer.start()

    def _edge_tick(self) -> None:
        """Scroll one step, then let the drag follow the mouse over the map that moved under it."""
        dx, dy = self._edge_step()
        if (dx, dy) == (0, 0) or self._pointer is None:
            self._edge_timer.stop()
            return
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        before = (h.value(), v.value())
        h.setValue(h.value() + dx)
        v.setValue(v.value() + dy)
        if (h.value(), v.value()) == before:
            return  # the scene's end: nothing more to show that way
        pointer = QPointF(self._pointer)
        moved = QMouseEvent(QEvent.Type.MouseMove, pointer, QPointF(self.viewport().mapToGlobal(self._pointer)),
                            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, QApplication.keyboardModifiers())
        self.mouseMoveEvent(moved)

    # Each gesture follows the mouse; False: it has nothing to move (Qt's own move then).

    def _pan_with(self, event: QMouseEvent, _scene_pos: QPointF) -> bool:
        self.auto_fit = False
        delta = event.position() - self._pan_last
        self._pan_last = event.position()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
        return True

    def _link_with(self, _event: QMouseEvent, scene_pos: QPointF) -> bool:
        if self._link_line is None:
            return False
        line = self._link_line.line()
        line.setP2(scene_pos)
        self._link_line.setLine(line)
        return True

    def _move_with(self, _event: QMouseEvent, scene_pos: QPointF) -> bool:
        if not self._drag:
            return False
        self._drag_to(scene_pos)
        return True

    def _label_with(self, _event: QMouseEvent, scene_pos: QPointF) -> bool:
        if self._label_drag is None:
            return False
        self._label_to(scene_pos)
        return True

    def _legend_with(self, _event: QMouseEvent, scene_pos: QPointF) -> bool:
        if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
            return True  # a click, not a drag
        if not self._drag_moved and (legend := self.map_scene.item_for_id(LegendItem.ID)) is not None:
            self._legend_start = legend.pos()
        self._drag_moved = True
        self.document.update_map_settings(annotations_legend=self._legend_value(scene_pos))
        return True

    def _evolve_with(self, _event: QMouseEvent, scene_pos: QPointF) -> bool:
        if self._evolving is None:
            return False
        cid, before = self._evolving
        self._drag_moved = True
        evo = self.map_scene.to_map(scene_pos)[1]
        self.document.update_element(cid, evolve=dataclasses.replace(before, evolution=on_map(evo)[0]))
        return True

    def _drag_to(self, scene_pos: QPointF) -> None:
        v0, e0 = self.map_scene.to_map(self._press_scene)
        v1, e1 = self.map_scene.to_map(scene_pos)
        if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
            return  # a click, not a drag
        if not self._drag_moved and self._drag is not None:  # what stays put is painted once
            self._drag.layers = DragLayers.start(self, self.map_scene, self._drag)
            if self._drag.layers is None and not self.map_scene.caching:
                self._drag.cache = DragCache(self.map_scene, self._drag)
            # Other elements' labels are placed once, at the drop (``release_labels``).
            self._drag.holds_labels = True
            self.map_scene.hold_labels(self._drag)
        self._drag_moved = True
        if self._drag is not None:
            self._drag.move_by(v1 - v0, e1 - e0)
            if self._drag.cache is not None:
                self._drag.cache.follow()
        if self._shown_id is not None:
            self.position_shown.emit(self.position_text(self._shown_id))

    # -- dragging a label ------------------------------------------------------------------

    def _begin_label_drag(self, cid: str, evolved: bool, scene_pos: QPointF) -> None:
        c = self.document.map.component(cid)
        item = self.map_scene.item_for_id(cid + "#evolve" if evolved else cid)
        if c is None or not isinstance(item, (ComponentItem, EvolveItem)):
            return
        label = (c.evolve.label if c.evolve is not None else None) if evolved else c.label
        # Where the label is now, as an OWM offset: its own, or where it is drawn.
        start = (label.dx, label.dy) if label is not None else item.label_offset()
        self._label_drag = (cid, evolved, start)
        self._gesture = Gesture.LABEL
        self._press_scene = scene_pos
        self._drag_moved = False
        self._label_before = label

    def _label_value(self, scene_pos: QPointF) -> Offset:
        assert self._label_drag is not None  # called only during a label drag
        _cid, _evolved, (dx, dy) = self._label_drag
        delta = scene_pos - self._press_scene
        return Offset(dx=float(round(dx + delta.x())), dy=float(round(dy + delta.y())))

    def _set_label(self, cid: str, evolved: bool, label: Offset | None, command: bool = False) -> None:
        c = self.document.map.component(cid)
        assert c is not None and (c.evolve is not None or not evolved)  # the component whose label is dragged
        values: dict[str, object] = {"label": label}
        if evolved and c.evolve is not None:
            values = {"evolve": dataclasses.replace(c.evolve, label=label)}
        if command:
            self.run(UpdateElementCommand(self.document, cid, text=f"Move label of {c.name}", **values))
        else:
            self.document.update_element(cid, **values)

    def _label_to(self, scene_pos: QPointF) -> None:
        if not self._drag_moved and (scene_pos - self._press_scene).manhattanLength() < 3:
            return
        self._drag_moved = True
        assert self._label_drag is not None  # called only during a label drag
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
        gesture, self._gesture = self._gesture, Gesture.NONE
        if getattr(self, "_edge_timer", None) is not None:
            self._edge_timer.stop()
        finish = {
            Gesture.PAN: self._end_pan,
            Gesture.LINK: lambda e: self._finish_link(e.position().toPoint()),
            Gesture.LABEL: lambda e: self._finish_label_drag(self.mapToScene(e.position().toPoint())),
            Gesture.LEGEND: self._finish_legend,
            Gesture.EVOLVE: self._finish_evolve,
            Gesture.MOVE: self._finish_drag,
        }.get(gesture)
        if finish is None or finish(event) is False:  # False: that gesture had nothing to finish
            super().mouseReleaseEvent(event)
        if gesture is not Gesture.NONE and self.auto_fit:
            self._on_map_grown(None)  # what the gesture grew is fitted now

    def _end_pan(self, _event: QMouseEvent) -> None:
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_down else Qt.CursorShape.ArrowCursor)

    def _finish_legend(self, event: QMouseEvent) -> None:
        if self._drag_moved:
            v, e = self._legend_value(self.mapToScene(event.position().toPoint()))
            self.document.update_map_settings(annotations_legend=self._legend_before)  # one undo step
            self.run(UpdateMapSettingsCommand(self.document, text="Move the annotations box",
                                              annotations_legend=(on_map(v)[0], on_map(e)[0])))

    def _finish_evolve(self, _event: QMouseEvent) -> bool:
        """The evolve target dragged sideways, as one undo step; False: no evolve drag."""
        if self._evolving is None:
            return False
        cid, before = self._evolving
        self._evolving = None
        c = self.document.map.component(cid)
        assert c is not None and c.evolve is not None  # it was being evolved a moment ago
        after = dataclasses.replace(c.evolve, evolution=on_map(c.evolve.evolution)[0])  # two decimals, as written
        if self._drag_moved and after != before:
            # Put the live value back so the command records the drag as one step.
            self.document.update_element(cid, evolve=before)
            self.run(UpdateElementCommand(self.document, cid, text="Move evolve target", evolve=after))
        return True

    def _finish_drag(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is not None and drag.layers is not None:
            drag.layers.stop()
        if drag is not None and drag.cache is not None:
            drag.cache.stop()
        if drag is not None and self._drag_moved:
            try:
                self._finish_move(drag, self.mapToScene(event.position().toPoint()))
            finally:
                drag.holds_labels = False
                self.map_scene.release_labels()  # the labels it unsettled settle in slices, from the next turn on
            self.position_shown.emit(self.position_text(self._shown_id))  # where it was dropped

    def _finish_move(self, drag: SelectionDrag, release: QPointF | None = None) -> None:
        left = self._pipeline_leave(drag, release) if release is not None else None
        plan = drag.finish(drag.title())
        if plan is None and left is None:
            return
        if plan is None:
            plan = Plan.of(self.document, "")
        if left is not None:
            self._leave_pipeline(plan, *left)
            return
        joined = self._pipeline_drop(drag)
        if joined is not None:
            self._join_pipeline(plan, *joined)
        if not self._run_plan(plan):
            return
        if joined is not None:
            self.message_shown.emit(plan.text)
        elif drag.clamped:
            self.message_shown.emit("Kept on the map: positions run from 0 to 1, so the edge stopped the move")

    def _run_plan(self, plan: Plan) -> bool:
        """A drag's plan as one undo step; False if refused (or the map is read-only)."""
        return not self.read_only and run_on_stack(self.stack, plan, report=self.error_raised.emit)

    def _leave_pipeline(self, plan: Plan, child: Component, visibility: float) -> None:
        """Run a drag's plan with ``child`` taken out of its pipeline, at ``visibility``."""
        plan.edits.append(UpdateElement(child.id, {"pipeline_id": None, "visibility": visibility}))
        plan.text = f"Take {child.name} out of its pipeline"
        if self._run_plan(plan):
            self.message_shown.emit(f"{child.name} is out of its pipeline, at its own height")

    def _join_pipeline(self, plan: Plan, pipe: Pipeline, child: Component) -> None:
        """Add to a drag's plan: ``child`` goes into ``pipe``."""
        plan.edits.append(UpdateElement(child.id, {"pipeline_id": pipe.id, "visibility": None}))
        if not pipe.block:
            plan.edits.append(UpdateElement(pipe.id, {"block": True}))  # children need OWM's block form
        owner = self.document.map.component(pipe.component_id)
        plan.text = f"Put {child.name} into {owner.name if owner is not None else pipe.component_id}'s pipeline"

    def _pipeline_leave(self, drag: SelectionDrag, release: QPointF) -> tuple[Component, float] | None:
        """A pipeline child dragged well above or below its pipeline leaves it, at the
        height it was dropped (inside, a child only slides along its pipeline)."""
        if len(drag.components) != 1 or drag.others or not drag.children:
            return None
        c = self.document.map.component(next(iter(drag.children)))
        item = self.map_scene.item_for_id(c.pipeline_id) if c is not None and c.pipeline_id else None
        if c is None or not isinstance(item, PipelineItem):
            return None
        box = item.box()
        if box.top() - PIPELINE_LEAVE <= release.y() <= box.bottom() + PIPELINE_LEAVE:
            return None
        return c, on_map(self.map_scene.to_map(release)[0])[0]

    def _pipeline_drop(self, drag: SelectionDrag) -> tuple[Pipeline, Component] | None:
        """The pipeline a single component was dropped on, if it may join it."""
        c = self._may_join_pipeline(drag)
        if c is None:
            return None
        m = self.document.map
        point = self.map_scene.component_point(c.id)
        if point is None:
            return None
        for pipe in m.pipelines:
            item = self.map_scene.item_for_id(pipe.id)
            if isinstance(item, PipelineItem) and item.box().adjusted(-4, -6, 4, 6).contains(point):
                return pipe, c
        return None

    def _may_join_pipeline(self, drag: SelectionDrag) -> Component | None:
        """The one component dragged, if it may go into a pipeline: a plain component,
        in none yet, owning none."""
        if len(drag.components) != 1 or drag.others:
            return None
        m = self.document.map
        c = m.component(next(iter(drag.components)))
        if c is None or c.kind is not ComponentKind.COMPONENT or c.pipeline_id is not None:
            return None
        if any(p.component_id == c.id for p in m.pipelines):
            return None  # an owner cannot sit in a pipeline, least of all its own
        return c

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        component_id = self._component_at(pos, whole_box=True)  # its empty corner too (map_base)
        if component_id is not None:
            self._open_or_rename(component_id)
            return
        element_id = self._element_of(self.itemAt(pos))
        element = self.map_scene.element(element_id) if element_id else None
        if self.read_only:
            return
        if isinstance(element, (Note, Annotation, Link)):
            self.start_rename(element.id)
            return
        if isinstance(element, Pipeline):
            _vis, evo = self.map_scene.to_map(self.mapToScene(pos))
            self.add_into_pipeline(element.id, evo)
            return
        if element_id is None:
            vis, evo = self.map_scene.to_map(self.mapToScene(pos))
            self.add_component_at(vis, evo, rename=True)

    def _open_or_rename(self, component_id: str) -> None:
        """Double-click on a component: open the service providing it, else rename it."""
        c = self.document.map.component(component_id)
        if c is None:
            return
        path = self.service_file(c.provided_by) if (c.provided_by and self.service_file) else None
        if path is not None:
            self.open_service_requested.emit(path)  # F2 still renames it
        else:
            self.start_rename(component_id)
