"""Typing in place on the canvas: a component's or accelerator's name, a note's or
annotation's text, a link's label (F2, double-click, and after adding one)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QLineEdit

from osom_desktop.commands import UpdateElementCommand
from osom_desktop.drawing.items import LinkItem
from osom_desktop.model.wardley import Accelerator, Annotation, Component, Link, Note
from osom_desktop.operations.edits import UpdateElement
from osom_desktop.operations.plan import Plan
from osom_desktop.views.map_base import MapViewBase


class MapRename(MapViewBase):
    """The in-place editor: one QLineEdit over the viewport, committed on Enter or when it
    loses focus, dropped on Escape."""

    def pending_edits(self) -> dict[str, dict[str, str]]:
        """A name typed into the in-place rename box, not committed yet: {id: {"name": ...}}."""
        box, cid = self._rename_box, self._rename_id
        c = self.document.map.component(cid) if cid else None
        if box is None or cid is None or c is None or not shiboken6.isValid(box) or box.text().strip() in ("", c.name):
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
        if isinstance(element, Link) and isinstance(item, LinkItem):
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
                # Another window (a dialog, another app) or a popup menu took the keyboard
                # for a while: the box stays open and has it back after. Committing here
                # put the keyboard on the canvas, and the rest of the name typed became
                # canvas keys (issue 14: "tea" after a dialog added a note, T).
                if event.reason() in (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason):
                    return False
                # Another widget was clicked or tabbed to: the name is kept, and the
                # keyboard stays where the person put it.
                self._commit_rename(refocus=False)
                return False
        return super().eventFilter(watched, event)

    def _commit_rename(self, refocus: bool = True) -> None:
        """Keep what was typed; ``refocus``: the canvas takes the keyboard back (Enter)."""
        box, eid, field = self._rename_box, self._rename_id, self._rename_field
        if box is None or eid is None:
            return
        self._rename_box = self._rename_id = None
        value = box.text().strip()
        box.removeEventFilter(self)
        had_focus = box.hasFocus()
        box.hide()
        box.deleteLater()
        if refocus and had_focus:
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
