"""Undo commands for one map edit each, for the canvas, text and window to record
through ``run``: each is a one-edit Plan (see ``operations.edits``)."""

from __future__ import annotations

from typing import Any

from osom_desktop.commands.runner import PlanCommand
from osom_desktop.model.document import Document
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.operations import map_edits
from osom_desktop.operations.edits import MoveComponents

# QUndoCommand.id() values for edits that merge (one undo step for a run of nudges).
NUDGE_MERGE_ID = 1001


class AddElementCommand(PlanCommand):
    def __init__(self, document: Document, element: Any, text: str | None = None) -> None:
        super().__init__(map_edits.add_element(document, element, text))


class RemoveElementsCommand(PlanCommand):
    """Delete elements; a component's links and pipelines go with it and come back on undo."""

    def __init__(self, document: Document, ids: list[str], text: str = "Delete") -> None:
        super().__init__(map_edits.remove_elements(document, ids, text))


class UpdateElementCommand(PlanCommand):
    """Change fields of one element: rename, method, inertia, evolve, provider, ..."""

    def __init__(self, document: Document, element_id: str, text: str = "Edit", **values: Any) -> None:
        super().__init__(map_edits.edit_element(document, element_id, text, **values))


class MoveComponentsCommand(PlanCommand):
    """One drag (or one run of arrow-key nudges) = one undo step.

    A drag moves the components live through the Document while the mouse moves (the
    canvas and text follow the model); on release the view runs this command with
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
        super().__init__(map_edits.move_components(document, new, old, text))
        self.merge = merge

    @property
    def move(self) -> MoveComponents:
        return self.plan.edits[0]  # type: ignore[return-value]

    def id(self) -> int:  # noqa: A003 - Qt's name
        return NUDGE_MERGE_ID if self.merge else -1

    def mergeWith(self, other) -> bool:  # noqa: N802 - Qt override
        if not (isinstance(other, MoveComponentsCommand) and other.merge and set(other.move.new) == set(self.move.new)):
            return False
        self.move.new = dict(other.move.new)
        return True


class UpdateMapSettingsCommand(PlanCommand):
    def __init__(self, document: Document, text: str = "Map settings", **values: Any) -> None:
        super().__init__(map_edits.change_map_settings(document, text, **values))


class ReplaceMapCommand(PlanCommand):
    """An edit of the OWM text: the whole map is replaced by the re-parsed one."""

    def __init__(self, document: Document, new_map: WardleyMap, text: str = "Edit map text") -> None:
        super().__init__(map_edits.replace_map(document, new_map, text))
