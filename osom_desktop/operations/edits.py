"""Document edits as values: what an operation asks for, applied and reverted by a Plan.

Each edit is one call on the Document, and keeps what its ``revert`` needs (the old
values, the removed elements, the record's old position), exactly as an undo command
would. They hold no Qt: the commands layer records a Plan of them as one undo step,
and the headless tests and the CLI apply them directly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Protocol

from osom_desktop.model.document import Document, Removed
from osom_desktop.model.wardley import WardleyMap


class Edit(Protocol):
    def apply(self, document: Document) -> None: ...

    def revert(self, document: Document) -> None: ...


@dataclass
class UpdateService:
    values: dict[str, Any]
    old: dict[str, Any] = field(default_factory=dict)

    def apply(self, document: Document) -> None:
        self.old = document.update_service(**self.values)

    def revert(self, document: Document) -> None:
        if self.old:
            document.update_service(**self.old)


@dataclass
class UpdateContract:
    values: dict[str, Any]
    old: dict[str, Any] = field(default_factory=dict)

    def apply(self, document: Document) -> None:
        self.old = document.update_contract(**self.values)

    def revert(self, document: Document) -> None:
        if self.old:
            document.update_contract(**self.old)


@dataclass
class AddRecord:
    """Add a guidance decision, an assessment or a contract change (``kind``)."""

    kind: str
    record: Any

    def apply(self, document: Document) -> None:
        document.add_record(self.kind, self.record.model_copy(deep=True))

    def revert(self, document: Document) -> None:
        document.remove_record(self.kind, self.record.id)


@dataclass
class ReplaceRecord:
    kind: str
    record: Any
    old: Any = None

    def apply(self, document: Document) -> None:
        self.old = document.replace_record(self.kind, self.record.model_copy(deep=True))

    def revert(self, document: Document) -> None:
        document.replace_record(self.kind, self.old)


@dataclass
class RemoveRecord:
    kind: str
    record_id: str
    index: int = 0
    record: Any = None

    def apply(self, document: Document) -> None:
        self.index, self.record = document.remove_record(self.kind, self.record_id)

    def revert(self, document: Document) -> None:
        document.add_record(self.kind, self.record, self.index)


@dataclass
class AddElement:
    element: Any

    def __post_init__(self) -> None:
        self.element = copy.deepcopy(self.element)  # later changes to the caller's copy do not reach it

    def apply(self, document: Document) -> None:
        document.add_element(copy.deepcopy(self.element))

    def revert(self, document: Document) -> None:
        document.remove_elements([self.element.id])


@dataclass
class RemoveElements:
    """Delete elements; a component's links and pipelines go with it and come back."""

    ids: list[str]
    removed: Removed | None = None

    def apply(self, document: Document) -> None:
        self.removed = document.remove_elements(list(self.ids))

    def revert(self, document: Document) -> None:
        assert self.removed is not None
        document.restore(self.removed)


@dataclass
class UpdateElement:
    """Change fields of one element: rename, method, inertia, evolve, provider, ..."""

    element_id: str
    values: dict[str, Any]
    old: dict[str, Any] = field(default_factory=dict)

    def apply(self, document: Document) -> None:
        self.old = document.update_element(self.element_id, **self.values)

    def revert(self, document: Document) -> None:
        if self.old:
            document.update_element(self.element_id, **self.old)


@dataclass
class MoveComponents:
    """Several components to new positions; ``old`` is where they were (a drag has
    already moved them live, so its first apply changes nothing)."""

    new: dict[str, tuple[float | None, float | None]]
    old: dict[str, tuple[float | None, float | None]]

    def apply(self, document: Document) -> None:
        document.move_components(self.new)

    def revert(self, document: Document) -> None:
        document.move_components(self.old)


@dataclass
class UpdateMapSettings:
    values: dict[str, Any]
    old: dict[str, Any] = field(default_factory=dict)

    def apply(self, document: Document) -> None:
        self.old = document.update_map_settings(**self.values)

    def revert(self, document: Document) -> None:
        if self.old:
            document.update_map_settings(**self.old)


@dataclass
class ReplaceMap:
    """An edit of the OWM text: the whole map is replaced by the re-parsed one."""

    new_map: WardleyMap
    old_map: WardleyMap | None = None

    def apply(self, document: Document) -> None:
        self.old_map = document.replace_map(copy.deepcopy(self.new_map))

    def revert(self, document: Document) -> None:
        assert self.old_map is not None
        document.replace_map(self.old_map)
