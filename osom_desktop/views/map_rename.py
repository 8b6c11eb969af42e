"""Typing in place on the canvas: a component's or accelerator's name, a note's or
annotation's text, a link's label (F2, double-click, and after adding one).

A name the model refuses (empty, or another component's) is not dropped: the box
stays open with what was typed, the reason under it and in the status bar, so the
person fixes the name or presses Escape. When the refusal came from clicking
elsewhere, the click happens and the box opens again right after it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit

from osom_desktop.commands import UpdateElementCommand
from osom_desktop.drawing.items import LinkItem
from osom_desktop.model.errors import ModelValidationError, user_message
from osom_desktop.model.wardley import Accelerator, Annotation, Component, Link, Note
from osom_desktop.operations.edits import UpdateElement
from osom_desktop.operations.plan import Plan
from osom_desktop.views.map_base import MapViewBase
from osom_desktop.views.widgets import ERROR_COLOUR

EDGE = 4  # pixels kept between the box and the viewport's edge


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

    def start_rename(self, element_id: str, text: str | None = None, refused: str = "") -> None:
        """Edit in place: a component's name, a note's or annotation's text, a link's label.
        ``text``: what to show instead of the current value (a refused name, typed again);
        ``refused``: why it was refused, shown under the box."""
        editable = self._editable(element_id)
        if editable is None or self.read_only:
            return
        if self._in_menu:
            self._rename_after_menu = element_id
            return
        self._cancel_rename()
        field, current = editable
        box = QLineEdit(self.viewport())
        box.setObjectName("renameBox")
        box.setText(current if text is None else text)
        if text is None:
            box.selectAll()
        if field == "context":
            box.setPlaceholderText("Label of the link (empty: none)")
        box.setMinimumWidth(220 if field != "name" else 180)
        box.returnPressed.connect(self._commit_rename)
        box.installEventFilter(self)
        self._rename_box, self._rename_id, self._rename_field = box, element_id, field
        self._place_rename_box()
        box.show()
        box.setFocus()
        self._show_refusal(refused)

    def _place_rename_box(self) -> None:
        """Above and right of what is renamed, kept whole inside the viewport: an
        anchor sits at the map's top, and a box above it was cut off by the edge."""
        box, eid = self._rename_box, self._rename_id
        if box is None or eid is None:
            return
        box.resize(max(box.minimumWidth(), box.sizeHint().width()), box.sizeHint().height())
        anchor = self.mapFromScene(self._edit_anchor(eid))
        area = self.viewport().rect().adjusted(EDGE, EDGE, -EDGE, -EDGE)
        x, y = anchor.x() + 8, anchor.y() - box.height() - 4
        if y < area.top():
            y = anchor.y() + 12  # no room above: below the point instead
        x = max(area.left(), min(x, area.right() - box.width()))
        y = max(area.top(), min(y, area.bottom() - box.height()))
        box.move(x, y)

    def _show_refusal(self, message: str) -> None:
        """Why the typed text was refused, in red under the box (and as its tooltip)."""
        box = self._rename_box
        label = self._rename_error
        if not message or box is None:
            if label is not None and shiboken6.isValid(label):
                label.hide()
            return
        if label is None or not shiboken6.isValid(label):
            label = self._rename_error = QLabel(self.viewport())
            label.setObjectName("renameError")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAutoFillBackground(True)  # readable over the map's lines
            label.setStyleSheet(f"color: {ERROR_COLOUR}; padding: 1px 3px;")
        label.setText(message)
        label.adjustSize()
        area = self.viewport().rect().adjusted(EDGE, EDGE, -EDGE, -EDGE)
        below = box.geometry().bottom() + 2
        if below + label.height() > area.bottom():
            below = box.geometry().top() - label.height() - 2
        x = max(area.left(), min(box.x(), area.right() - label.width()))
        label.move(QPoint(x, below))
        label.show()
        label.raise_()
        box.setToolTip(message)

    def rename_refusal(self) -> str:
        """The reason shown under the rename box, "" when none (tests and screen readers)."""
        label = self._rename_error
        if self.rename_box_open() and label is not None and shiboken6.isValid(label) and label.isVisible():
            return label.text()
        return ""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self._rename_box:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self._reopen = None  # the person gave up on a refused name: the old one stays
                if self.rename_refusal():
                    self.message_shown.emit("")  # and its reason leaves the status bar with the box
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
        """Keep what was typed; ``refocus``: the canvas takes the keyboard back (Enter).
        A value the model refuses keeps the box open with it (see the module's docstring)."""
        box, eid, field = self._rename_box, self._rename_id, self._rename_field
        if box is None or eid is None:
            return
        value = box.text().strip()
        editable = self._editable(eid)
        # No box while the edit runs: whatever it sets off (a focus change) must not commit it twice.
        self._rename_box = self._rename_id = None
        refused = "" if editable is None or value == editable[1] else self._apply_rename(eid, field, value, editable[1])
        if refused:
            self._rename_box, self._rename_id, self._rename_field = box, eid, field
            self.error_raised.emit(refused)  # the status bar says it too
            self._show_refusal(refused)
            if refocus:
                box.setFocus()
            else:
                # Focus went elsewhere (a click on the canvas closes the box next):
                # open it again with the text once that click is done.
                self._reopen = (eid, box.text(), refused)
                QTimer.singleShot(0, self._reopen_refused)
            return
        box.removeEventFilter(self)
        had_focus = box.hasFocus()
        box.hide()
        box.deleteLater()
        if (label := self._rename_error) is not None and shiboken6.isValid(label) and label.isVisible():
            self.message_shown.emit("")  # a refused name now fixed: its reason leaves the status bar
        self._show_refusal("")
        if refocus and had_focus:
            self.setFocus()

    def _apply_rename(self, eid: str, field: str, value: str, old: str) -> str:
        """Record the typed value; the reason it was refused, or "" when recorded."""
        if field == "context":
            return self.run_or_refusal(UpdateElementCommand(self.document, eid, text="Label link", context=value or None))
        element = self.map_scene.element(eid)
        if not value and not isinstance(element, Component):
            # The model names components; an accelerator, note or annotation without
            # text would be a mark on the map that says nothing.
            return user_message(ModelValidationError(f"{type(element).__name__}.{field}", value, "must not be empty"))
        if field == "name":
            command = UpdateElementCommand(self.document, eid, text=f"Rename {old}", name=value)
            return self.run_or_refusal(command)
        # Not UpdateElementCommand: its ``text`` is the undo step's name.
        return self.run_or_refusal(Plan.of(self.document, "Edit text", UpdateElement(eid, {"text": value})))

    def _reopen_refused(self) -> None:
        """The box a click closed over a refused name, open again with what was typed."""
        pending, self._reopen = self._reopen, None
        if pending is None or not shiboken6.isValid(self):
            return
        eid, text, refused = pending
        box = self._rename_box
        if box is not None and self.rename_box_open() and self._rename_id == eid:
            box.setFocus()  # still open (focus went to another widget): take it back
            return
        self.start_rename(eid, text=text, refused=refused)

    def _cancel_rename(self) -> None:
        box = self._rename_box
        self._show_refusal("")
        if box is not None:
            self._rename_box = self._rename_id = None
            box.removeEventFilter(self)
            box.hide()
            box.deleteLater()
