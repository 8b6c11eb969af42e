"""Edits of the map that no OSOM rule constrains beyond the Document's own checks
(names unique, links between components that exist): one Plan each, so the canvas,
the text and the inspector record them the same way as everything else."""

from __future__ import annotations

from typing import Any

from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.operations.edits import (
    AddElement,
    MoveComponents,
    RemoveElements,
    ReplaceMap,
    UpdateElement,
    UpdateMapSettings,
)
from osom_desktop.operations.plan import Plan


def edit_component(document: Document, component_id: str, text: str, **values: Any) -> Plan:
    """Change fields of one component; an empty Plan when they already have these values."""
    c = document.map.component(component_id)
    if c is None:
        raise ModelValidationError("component", component_id, "no such component on the map")
    if all(getattr(c, k, object()) == v for k, v in values.items()):
        return Plan(document, text)
    return Plan.of(document, text, UpdateElement(component_id, dict(values)))


def edit_element(document: Document, element_id: str, text: str = "Edit", **values: Any) -> Plan:
    return Plan.of(document, text, UpdateElement(element_id, dict(values)))


def add_element(document: Document, element: Any, text: str | None = None) -> Plan:
    name = getattr(element, "name", None) or type(element).__name__.lower()
    return Plan.of(document, text or f"Add {name}", AddElement(element))


def remove_elements(document: Document, ids: list[str], text: str = "Delete") -> Plan:
    return Plan.of(document, text, RemoveElements(list(ids)))


def move_components(document: Document, new: dict[str, tuple[float | None, float | None]],
                    old: dict[str, tuple[float | None, float | None]], text: str = "Move") -> Plan:
    return Plan.of(document, text, MoveComponents(dict(new), dict(old)))


def change_map_settings(document: Document, text: str = "Map settings", **values: Any) -> Plan:
    return Plan.of(document, text, UpdateMapSettings(dict(values)))


def replace_map(document: Document, new_map: WardleyMap, text: str = "Edit map text") -> Plan:
    return Plan.of(document, text, ReplaceMap(new_map))
