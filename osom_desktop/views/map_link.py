"""Linking on the canvas: dragging the link handle onto another component, and L (or
the menu) picking what the selected component depends on by typing its name."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsLineItem

from osom_desktop.commands import AddElementCommand
from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import FlowDirection, Link
from osom_desktop.views.map_base import Gesture
from osom_desktop.views.map_rename import MapRename


class MapLink(MapRename):
    """Links made from the canvas; the first picked depends on the second."""

    def _begin_link(self, source_id: str | None, scene_pos: QPointF) -> None:
        c = self.document.map.component(source_id) if source_id is not None else None
        if source_id is None or c is None or c.visibility is None or c.evolution is None:
            return  # the handle is only shown beside one placed component
        start = self.map_scene.to_scene(c.visibility, c.evolution)
        self._link_source = source_id
        self._link_line = QGraphicsLineItem(start.x(), start.y(), scene_pos.x(), scene_pos.y())
        pen = QPen(Qt.GlobalColor.darkBlue, 1.2, Qt.PenStyle.DashLine)
        self._link_line.setPen(pen)
        self._link_line.setZValue(999)
        self.map_scene.addItem(self._link_line)
        self._gesture = Gesture.LINK

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
        if len(ids) == 2:
            link_id = self.link_components(ids[0], ids[1], flow)
        elif len(ids) != 1:
            self.error_raised.emit("Select a component, press L and type the name of what it depends on")
            return
        else:
            link_id = self._link_to_picked(ids[0], flow)
        if link_id is not None and (label or flow):
            self.select_ids([link_id])
            self.start_rename(link_id)

    def _link_to_picked(self, source_id: str, flow: FlowDirection | None) -> str | None:
        """Ask what ``source_id`` depends on (picked by typing its name) and link them."""
        from osom_desktop.views.component_picker import pick_component

        m = self.document.map
        source = m.component(source_id)
        if source is None:
            return None
        names = sorted(c.name for c in m.components if c.id != source.id)
        if not names:  # the picker would not open: say why nothing happened
            self.error_raised.emit(f"Nothing to link {source.name} to: add another component first")
            return None
        name = pick_component(self, f"Link {source.name} to…", f"{source.name} depends on:", names)
        target = m.component_by_name(name) if name else None
        if target is None:
            return None
        link_id = self.link_components(source.id, target.id, flow)
        self.setFocus()
        return link_id
