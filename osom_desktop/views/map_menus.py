"""The canvas's right-click menus: on empty canvas (add here), on a component (rename,
link, method, evolve, pipeline...), on a note, annotation, accelerator, pipeline or link."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from osom_desktop.commands import RemoveElementsCommand
from osom_desktop.model.wardley import (
    Accelerator,
    AcceleratorKind,
    Annotation,
    AreaKind,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Pipeline,
)
from osom_desktop.views.map_drag import on_map
from osom_desktop.views.map_select import MapSelect


class MapMenus(MapSelect):
    """Right-click menus; every entry changes the map, so a read-only map has none."""

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
            if item is not None and not item.isSelected():
                self.map_scene.clearSelection()
                item.setSelected(True)
            self._component_menu(menu, component_id)
            return menu
        element_id = self._element_of(self.itemAt(pos))
        element = self.map_scene.element(element_id) if element_id else None
        if element_id is None or element is None:
            # Nothing but a component's empty corner here (no link runs through it): its
            # menu, not the canvas's, whose "Add component here" stacked a new component
            # on it (as a double-click did before 2f046aa).
            if (boxed := self._component_at(pos, whole_box=True)) is not None:
                self.map_scene.clearSelection()
                if (item := self.map_scene.item_for_id(boxed)) is not None:
                    item.setSelected(True)
                self._component_menu(menu, boxed)
                return menu
            self._canvas_menu(menu, vis, evo)
            return menu
        self.map_scene.clearSelection()
        if (item := self.map_scene.item_for_id(element_id)) is not None:
            item.setSelected(True)
        self._element_menu(menu, element_id, element, evo)
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.run(RemoveElementsCommand(self.document, [element_id])))
        return menu

    def _canvas_menu(self, menu: QMenu, vis: float, evo: float) -> None:
        """On empty canvas: add something where the mouse is."""
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
            more.addAction(label, _chosen(self.add_area_at, vis, evo, kind))

    def _element_menu(self, menu: QMenu, element_id: str, element: object, evo: float) -> None:
        """On a pipeline, note, annotation, accelerator or link (Delete follows)."""
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
                action = flow.addAction(label, _chosen(self._set, element_id, "Set flow", flow=value))
                action.setCheckable(True)
                action.setChecked(element.flow == value)

    def _component_menu(self, menu: QMenu, cid: str) -> None:
        c = self.document.map.component(cid)
        if c is None:
            return
        menu.addAction("Rename\tF2", lambda: self.start_rename(cid))
        menu.addAction("Link to…\tL", lambda: self.link_by_keyboard())
        menu.addAction("Link to… with a label", lambda: self.link_by_keyboard(label=True))
        menu.addAction("Flow to…", lambda: self.link_by_keyboard(flow=FlowDirection.FORWARD))
        menu.addSeparator()
        method_menu = menu.addMenu("Method (build, buy, outsource)")
        for label, value in (("None", None), ("Build", Method.BUILD), ("Buy", Method.BUY), ("Outsource", Method.OUTSOURCE)):
            action = method_menu.addAction(label, _chosen(self._set, cid, "Set method", method=value))
            action.setCheckable(True)
            action.setChecked(c.method == value)
        for label, field in (("Market", "market"), ("Ecosystem", "ecosystem"), ("Inertia", "inertia")):
            action = menu.addAction(label, _chosen(self._toggle, cid, field))
            action.setCheckable(True)
            action.setChecked(bool(getattr(c, field)))
        self._component_changes(menu, c)
        menu.addSeparator()
        delete = QAction("Delete", menu)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.triggered.connect(self.delete_selection)
        menu.addAction(delete)

    def _component_changes(self, menu: QMenu, c: Component) -> None:
        """Evolve, anchor or component, pipeline and label entries for one component."""
        cid = c.id
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


def _chosen(fn: Callable[..., object], *args: object, **kwargs: object) -> Callable[[], None]:
    """A menu entry's action: ``fn(*args, **kwargs)`` once chosen. Not a lambda with a
    default argument per loop pass: mypy cannot type that against addAction's overloads."""

    def call() -> None:
        fn(*args, **kwargs)

    return call
