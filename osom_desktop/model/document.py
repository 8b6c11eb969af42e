"""The Document: the one way a service document changes.

Views never touch the model: an operation (``osom_desktop.operations``) plans the
edits, and ``commands.run`` records the plan as one undo step whose edits each make one
call here. Every method validates its input (errors name the field and the value),
changes the model, and emits ``changed`` once with what changed, and only when
something really changed, so canvas, text and inspector cannot feed back into each
other. A subscriber that raises is logged and reported on ``subscriber_failed``; it
never breaks the edit (see ``signals``). Methods that remove things return what is
needed to put them back exactly (including list positions), so undo restores order.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter, indexOf
from typing import Any

from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import (
    Assessment,
    Budget,
    Contract,
    ContractChange,
    CorrectionOfError,
    GuidanceDecision,
    MandateRecord,
    Service,
    ServiceDocument,
    UnmetNeed,
)
from osom_desktop.model.signals import IsolatedSignal, SubscriberFailure
from osom_desktop.model.validation import validate_fields, validate_instance, validate_model_update
from osom_desktop.model.wardley import Component, Link, WardleyMap

# Map element collections, by the name of the WardleyMap list that holds them.
ELEMENT_LISTS = (
    "components",
    "links",
    "pipelines",
    "notes",
    "annotations",
    "areas",
    "accelerators",
    "urls",
    "raw_lines",
)
MAP_SETTINGS = ("title", "evolution_labels", "style", "annotations_legend")
# Document-level lists of pydantic records.
RECORD_LISTS = {
    "decisions": GuidanceDecision,
    "assessments": Assessment,
    "contract_changes": ContractChange,
    "coes": CorrectionOfError,
    "mandates": MandateRecord,
    "unmet_needs": UnmetNeed,
    "budgets": Budget,  # allocated by the executive (fitness data, issue 17)
}


_ID = attrgetter("id")


@dataclass(frozen=True, slots=True)
class Change:
    """What changed: ``what`` names the part ("service", "contract", "map", "components",
    "links", ..., "decisions"), ``ids`` the elements touched (empty = the whole part)."""

    what: str
    ids: tuple[str, ...] = ()


@dataclass(slots=True)
class Removed:
    """Elements taken out of the map with their positions, to be put back by ``restore``."""

    # (list name, index in that list, element, index in layout or -1), in removal order.
    entries: list[tuple[str, int, Any, int]] = field(default_factory=list)


class Document:
    """A service document being edited. Holds the model; emits ``changed`` (a Change)
    and, when a subscriber of ``changed`` raised, ``subscriber_failed`` (a
    SubscriberFailure)."""

    def __init__(self, data: ServiceDocument | None = None) -> None:
        self._data = data if data is not None else ServiceDocument()
        # How many times each id is in each map list (``_ids``), and the lists it was
        # counted from: checking an id against every element of a 5,000-component map
        # (~15,000) cost ~2-3 ms an add or link.
        self._id_counts: dict[str, Counter[str]] = {}
        self._ids_of: tuple[int, ...] = ()
        self.changed = IsolatedSignal("Document.changed")
        self.subscriber_failed = IsolatedSignal("Document.subscriber_failed")
        self.changed.connect_failure(self._on_subscriber_failed)

    # -- reading ---------------------------------------------------------------------

    @property
    def data(self) -> ServiceDocument:
        """The model. Read it freely; change it only through this class."""
        return self._data

    @property
    def map(self) -> WardleyMap:
        return self._data.map

    def _emit(self, what: str, ids: tuple[str, ...] = ()) -> None:
        self.changed.emit(Change(what, ids))

    def _on_subscriber_failed(self, failure: SubscriberFailure) -> None:
        self.subscriber_failed.emit(failure)

    # -- service and contract ----------------------------------------------------------

    def update_service(self, **values: Any) -> dict[str, Any]:
        """Set service fields (name, manager, lifecycle); returns the old values."""
        return self._update_model("service", Service, values)

    def update_contract(self, **values: Any) -> dict[str, Any]:
        """Set contract fields; returns the old values (for undo)."""
        return self._update_model("contract", Contract, values)

    def _update_model(self, part: str, cls: type, values: dict[str, Any]) -> dict[str, Any]:
        current = getattr(self._data, part)
        new = validate_model_update(current, values)
        old = {k: getattr(current, k) for k in values if getattr(current, k) != getattr(new, k)}
        if old:
            setattr(self._data, part, new)
            self._emit(part)
        return old

    # -- records: guidance decisions, assessments, contract changes --------------------

    def add_record(self, kind: str, record: Any, index: int | None = None) -> None:
        cls = RECORD_LISTS[kind]
        if not isinstance(record, cls):
            raise ModelValidationError(kind, record, f"expected a {cls.__name__}")
        items = getattr(self._data, kind)
        if any(r.id == record.id for r in items):
            raise ModelValidationError(f"{kind}.id", record.id, "already present")
        items.insert(len(items) if index is None else index, record)
        self._emit(kind, (record.id,))

    def replace_record(self, kind: str, record: Any) -> Any:
        """Replace the record with ``record.id``; returns the old one."""
        items = getattr(self._data, kind)
        i = self._index_of(items, record.id, kind)
        old = items[i]
        record = validate_model_update(record, {})
        if old != record:
            items[i] = record
            self._emit(kind, (record.id,))
        return old

    def remove_record(self, kind: str, record_id: str) -> tuple[int, Any]:
        items = getattr(self._data, kind)
        i = self._index_of(items, record_id, kind)
        record = items.pop(i)
        self._emit(kind, (record_id,))
        return i, record

    # -- map settings ----------------------------------------------------------------

    def update_map_settings(self, **values: Any) -> dict[str, Any]:
        """Set title, evolution labels, style or the annotations legend position."""
        for key in values:
            if key not in MAP_SETTINGS:
                raise ModelValidationError(f"WardleyMap.{key}", values[key], "not a map setting")
        values = validate_fields(WardleyMap, values)
        m = self._data.map
        old = {k: getattr(m, k) for k, v in values.items() if getattr(m, k) != v}
        for k in old:
            setattr(m, k, values[k])
        if old:
            self._emit("map")
        return old

    def replace_map(self, new_map: WardleyMap) -> WardleyMap:
        """Swap the whole map (an edit of the OWM text); returns the old map."""
        old = self._data.map
        if new_map != old:
            self._data.map = new_map
            self._emit("map")
        return old

    # -- map elements ------------------------------------------------------------------

    def add_element(self, element: Any, index: int | None = None, layout_index: int | None = None) -> Any:
        """Add any map element (component, link, note, ...) at an optional position."""
        element = validate_instance(element)
        kind = self._list_name(element)
        m = self._data.map
        counts = self._ids()
        if any(element.id in ids for ids in counts.values()):
            raise ModelValidationError(f"{type(element).__name__}.id", element.id, "already used")
        if isinstance(element, Component):
            self._check_unique_name(element.name, None)
        if isinstance(element, Link):
            self._check_link_ends(element)
        items = getattr(m, kind)
        items.insert(len(items) if index is None else index, element)
        m.layout.insert(len(m.layout) if layout_index is None else layout_index, element.id)
        self._counted([(kind, element.id)], 1)
        self._emit(kind, (element.id,))
        return element

    def update_element(self, element_id: str, **values: Any) -> dict[str, Any]:
        """Change fields of one element (move, rename, method, ...); returns old values."""
        kind, i = self._locate(element_id)
        items = getattr(self._data.map, kind)
        element = items[i]
        if "id" in values:
            raise ModelValidationError(f"{type(element).__name__}.id", values["id"], "ids never change")
        values = validate_fields(type(element), values)
        if isinstance(element, Component) and "name" in values:
            self._check_unique_name(values["name"], element.id)
        old = {k: getattr(element, k) for k, v in values.items() if getattr(element, k) != v}
        if not old:
            return {}
        if isinstance(element, Link):
            self._check_link_ends(dataclasses.replace(element, **values))
        for k in old:
            setattr(element, k, values[k])
        self._emit(kind, (element_id,))
        return old

    def move_components(
        self, positions: dict[str, tuple[float | None, float | None]]
    ) -> dict[str, tuple[float | None, float | None]]:
        """Move several components at once (one drag); returns their old positions."""
        m = self._data.map
        by_id = {c.id: c for c in m.components}
        old: dict[str, tuple[float | None, float | None]] = {}
        checked = {}
        for cid, (vis, evo) in positions.items():
            if cid not in by_id:
                raise ModelValidationError("component", cid, "no such component")
            checked[cid] = validate_fields(Component, {"visibility": vis, "evolution": evo})
        for cid, vals in checked.items():
            c = by_id[cid]
            if (c.visibility, c.evolution) != (vals["visibility"], vals["evolution"]):
                old[cid] = (c.visibility, c.evolution)
                c.visibility, c.evolution = vals["visibility"], vals["evolution"]
        if old:
            self._emit("components", tuple(old))
        return old

    def remove_elements(self, ids: list[str]) -> Removed:
        """Remove elements; removing a component takes its links and pipelines with it.

        Layout slots of the form ``<id>#evolve`` stay: the writer skips slots whose
        element is gone, and an undo then puts the evolve line back where it was.
        """
        m = self._data.map
        wanted = self._with_dependants(set(ids))
        removed = Removed()
        changed: dict[str, list[str]] = {}
        counts = self._ids()
        # Dependants first (links, pipelines), so restore (reverse order) re-adds
        # components before anything that refers to them.
        for kind in reversed(ELEMENT_LISTS):
            items = getattr(m, kind)
            for i in self._positions(items, counts[kind], wanted):
                element = items.pop(i)
                layout_index = self._pop_layout(element.id)
                removed.entries.append((kind, i, element, layout_index))
                changed.setdefault(kind, []).append(element.id)
        self._counted([(kind, element.id) for kind, _, element, _ in removed.entries], -1)
        for kind, element_ids in changed.items():
            self._emit(kind, tuple(element_ids))
        return removed

    @staticmethod
    def _positions(items: list[Any], counted: Counter[str], wanted: set[str]) -> list[int]:
        """Where the ``wanted`` ids are in ``items``, last first."""
        present = [w for w in wanted if w in counted]
        if not present:
            return []
        if len(present) <= 8 and all(counted[w] == 1 for w in present):
            return sorted((indexOf(map(_ID, items), w) for w in present), reverse=True)
        return [i for i in range(len(items) - 1, -1, -1) if items[i].id in wanted]

    def restore(self, removed: Removed) -> None:
        """Put back what ``remove_elements`` took out, at the same positions."""
        m = self._data.map
        changed: dict[str, list[str]] = {}
        self._ids()  # counted before the lists change
        for kind, i, element, layout_index in reversed(removed.entries):
            getattr(m, kind).insert(i, element)
            if layout_index >= 0:
                m.layout.insert(layout_index, element.id)
            changed.setdefault(kind, []).append(element.id)
        self._counted([(kind, element.id) for kind, _, element, _ in removed.entries], 1)
        for kind, element_ids in changed.items():
            self._emit(kind, tuple(element_ids))

    # -- helpers ---------------------------------------------------------------------

    def _with_dependants(self, wanted: set[str]) -> set[str]:
        """``wanted`` plus the links, pipelines and pipeline children of its components."""
        m = self._data.map
        if not m.pipelines:
            # Then a component takes only its links: one pass over them, not one for
            # each component (10,000 links at 5,000 components, ~1 ms a pass).
            components = self._ids()["components"]
            comps = {cid for cid in wanted if cid in components}
            links = {lk.id for lk in m.links if lk.source in comps or lk.target in comps} if comps else set()
            if not any(lid in components for lid in links):  # (a link id that is a component's too: below)
                return wanted | links
        for c in m.components:
            if c.id in wanted:
                wanted.update(lk.id for lk in m.links if c.id in (lk.source, lk.target))
                wanted.update(p.id for p in m.pipelines if p.component_id == c.id)
                wanted.update(ch.id for ch in m.components if ch.pipeline_id and self._pipeline_owner(ch.pipeline_id) == c.id)
        return wanted

    def _pop_layout(self, element_id: str) -> int:
        layout = self._data.map.layout
        try:
            i = layout.index(element_id)
        except ValueError:
            return -1
        del layout[i]
        return i

    def _pipeline_owner(self, pipeline_id: str) -> str | None:
        for p in self._data.map.pipelines:
            if p.id == pipeline_id:
                return p.component_id
        return None

    def _locate(self, element_id: str) -> tuple[str, int]:
        m = self._data.map
        counts = self._ids()
        for kind in ELEMENT_LISTS:
            if element_id in counts[kind]:
                return kind, indexOf(map(_ID, getattr(m, kind)), element_id)
        raise ModelValidationError("element", element_id, "no such element on the map")

    def _ids(self) -> dict[str, Counter[str]]:
        """Per map list, how many times each id is in it. Counted again when a list
        is not the one counted: another object (a new map), another length, or
        another element at either end (changed without this class); this class's
        own edits keep the counts (``_counted``)."""
        key = self._lists_key()
        if key != self._ids_of:
            m = self._data.map
            self._id_counts = {kind: Counter(map(_ID, getattr(m, kind))) for kind in ELEMENT_LISTS}
            self._ids_of = key
        return self._id_counts

    def _counted(self, ids: list[tuple[str, str]], step: int) -> None:
        """``(list, id)`` pairs went into (``step`` 1) or out of (-1) the lists
        counted just before."""
        for kind, element_id in ids:
            counted = self._id_counts[kind]
            counted[element_id] += step
            if counted[element_id] <= 0:
                del counted[element_id]
        self._ids_of = self._lists_key()

    def _lists_key(self) -> tuple[int, ...]:
        m = self._data.map
        key = [id(m)]
        for kind in ELEMENT_LISTS:
            items = getattr(m, kind)
            key += (id(items), len(items), id(items[0]) if items else 0, id(items[-1]) if items else 0)
        return tuple(key)

    @staticmethod
    def _index_of(items: list[Any], record_id: str, kind: str) -> int:
        for i, r in enumerate(items):
            if r.id == record_id:
                return i
        raise ModelValidationError(kind, record_id, "no such record")

    @staticmethod
    def _list_name(element: Any) -> str:
        name = type(element).__name__
        for kind in ELEMENT_LISTS:
            if kind.replace("_", "") == name.lower() + "s":
                return kind
        raise ModelValidationError("element", element, "not a map element")

    def _check_unique_name(self, name: str, own_id: str | None) -> None:
        if not name.strip():
            raise ModelValidationError("Component.name", name, "a component needs a name")
        for c in self._data.map.components:
            if c.name == name and c.id != own_id:
                raise ModelValidationError("Component.name", name, "another component already has this name")

    def _check_link_ends(self, link: Link) -> None:
        ids = self._ids()["components"]
        for end in ("source", "target"):
            if getattr(link, end) not in ids:
                raise ModelValidationError(f"Link.{end}", getattr(link, end), "no such component")
