"""The canvas's own keys (CANVAS_KEYS, listed by Help > Keyboard Shortcuts): add, link,
rename, nudge, delete, pan with Space."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from osom_desktop.model.wardley import ComponentKind
from osom_desktop.views.map_menus import MapMenus

NUDGE = 0.01
BIG_NUDGE = 0.05
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
    ("Drag on empty canvas", "Select with a rubber band (components it touches, lines and boxes it encloses); "
                             "drag the selection to move it all as one step"),
    ("Drop on a pipeline", "Put a component into the pipeline; drag a child well off it to take it out"),
    ("Ctrl/Shift + click", "Add to the selection"),
)


class MapKeys(MapMenus):
    """Key presses on the canvas; the window's own shortcuts are its actions."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.rename_box_open():
            # A key the name box does not take (Up, Down, Page Up...) comes on to the
            # canvas: it must not nudge, delete or add while a name is being typed.
            event.accept()
            return
        key, mods = event.key(), event.modifiers()
        if self._edit_key(key, mods):
            return
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if plain and not self.read_only and not event.isAutoRepeat() and self._add_key(key):
            return
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if key == Qt.Key.Key_Escape:
            self.map_scene.clearSelection()
            return
        super().keyPressEvent(event)

    def _edit_key(self, key: int, mods: Qt.KeyboardModifier) -> bool:
        """Arrows nudge the selection, Delete deletes it, F2 types in place; True if handled."""
        step = BIG_NUDGE if mods & Qt.KeyboardModifier.ShiftModifier else NUDGE
        arrows: dict[int, tuple[float, float]] = {
            Qt.Key.Key_Up: (step, 0.0),
            Qt.Key.Key_Down: (-step, 0.0),
            Qt.Key.Key_Left: (0.0, -step),
            Qt.Key.Key_Right: (0.0, step),
        }
        if key in arrows and self.selected_ids():
            self.nudge(*arrows[key])
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
            return True
        if key == Qt.Key.Key_F2 and (ids := [i for i in self.selected_ids() if self._editable(i)]):
            self.start_rename(ids[0])
            return True
        return False

    def _add_key(self, key: int) -> bool:
        """A plain letter that links or adds something (CANVAS_KEYS); True if it was one."""
        actions: dict[int, Callable[[], object]] = {
            Qt.Key.Key_L: self.link_by_keyboard,
            Qt.Key.Key_N: lambda: self.add_component_at(*self._spot_for_key(), rename=True),
            Qt.Key.Key_A: lambda: self.add_component_at(*self._spot_for_key(), rename=True, kind=ComponentKind.ANCHOR),
            Qt.Key.Key_T: lambda: self.add_note_at(*self._spot_for_key()),
            Qt.Key.Key_U: lambda: self.add_annotation_at(*self._spot_for_key()),
            Qt.Key.Key_P: self._pipeline_key,
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        return True

    def _pipeline_key(self) -> None:
        ids = self.selected_component_ids()
        if len(ids) == 1:
            self.add_pipeline(ids[0])
        else:
            self.error_raised.emit("Select one component, then press P to put a pipeline under it")

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            return
        super().keyReleaseEvent(event)
