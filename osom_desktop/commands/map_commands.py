"""Commands that change the Wardley map."""

from __future__ import annotations

import copy
from typing import Any

from osom_desktop.commands.stack import DocumentCommand
from osom_desktop.model.document import Document, Removed
from osom_desktop.model.wardley import WardleyMap

# QUndoCommand.id() values for edits that merge (one undo step for a run of nudges).
NUDGE_MERGE_ID = 1001


class AddElementCommand(DocumentCommand):
    def __init__(self, document: Document, element: Any, text: str | None = None) -> None:
        name = getattr(element, "name", None) or type(element).__name__.lower()
        super().__init__(text or f"Add {name}")
        self.document = document
        self.element = copy.deepcopy(element)

    def do(self) -> None:
        self.document.add_element(copy.deepcopy(self.element))

    def undo(self) -> None:
        self.document.remove_elements([self.element.id])


class RemoveElementsCommand(DocumentCommand):
    """Delete elements; a component's links and pipelines go with it and come back on undo."""

    def __init__(self, document: Document, ids: list[str], text: str = "Delete") -> None:
        super().__init__(text)
        self.document = document
        self.ids = list(ids)
        self.removed: Removed | None = None

    def do(self) -> None:
        self.removed = self.document.remove_elements(self.ids)

    def undo(self) -> None:
        assert self.removed is not None
        self.document.restore(self.removed)


class UpdateElementCommand(DocumentCommand):
    """Change fields of one element: rename, method, inertia, evolve, provider, ..."""

    def __init__(self, document: Document, element_id: str, text: str = "Edit", **values: Any) -> None:
        super().__init__(text)
        self.document = document
        self.element_id = element_id
        self.values = values
        self.old: dict[str, Any] = {}

    def do(self) -> None:
        self.old = self.document.update_element(self.element_id, **self.values)

    def undo(self) -> None:
        if self.old:
            self.document.update_element(self.element_id, **self.old)


class MoveComponentsCommand(DocumentCommand):
    """One drag (or one run of arrow-key nudges) = one undo step.

    A drag moves the components live through the Document while the mouse moves (the
    canvas and text follow the model); on release the view pushes this command with
    the positions from before the drag, so its first redo changes nothing.
    """

    def __init__(
        self,
        document: Document,
        new: dict[str, tuple[float | None, float | None]],
        old: dict[str, tuple[float | None, float | None]],
        text: str = "Move",
        merge: bool = False,
    ) -> None:
        super().__init__(text)
        self.document = document
        self.new = dict(new)
        self.old = dict(old)
        self.merge = merge

    def do(self) -> None:
        self.document.move_components(self.new)

    def undo(self) -> None:
        self.document.move_components(self.old)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return NUDGE_MERGE_ID if self.merge else -1

    def mergeWith(self, other) -> bool:  # noqa: N802 - Qt override
        if not (isinstance(other, MoveComponentsCommand) and other.merge and set(other.new) == set(self.new)):
            return False
        self.new = dict(other.new)
        return True


class UpdateMapSettingsCommand(DocumentCommand):
    def __init__(self, document: Document, text: str = "Map settings", **values: Any) -> None:
        super().__init__(text)
        self.document = document
        self.values = values
        self.old: dict[str, Any] = {}

    def do(self) -> None:
        self.old = self.document.update_map_settings(**self.values)

    def undo(self) -> None:
        if self.old:
            self.document.update_map_settings(**self.old)


class ReplaceMapCommand(DocumentCommand):
    """An edit of the OWM text: the whole map is replaced by the re-parsed one."""

    def __init__(self, document: Document, new_map: WardleyMap, text: str = "Edit map text") -> None:
        super().__init__(text)
        self.document = document
        self.new_map = new_map
        self.old_map: WardleyMap | None = None

    def do(self) -> None:
        self.old_map = self.document.replace_map(copy.deepcopy(self.new_map))

    def undo(self) -> None:
        assert self.old_map is not None
        self.document.replace_map(self.old_map)
