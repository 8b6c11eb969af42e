"""A cheap, consistent copy of a document for autosave, taken on the GUI thread.

``model_copy(deep=True)`` takes ~300 ms at 5,000 components (deepcopy visits every
object); the GUI thread cannot afford that every few seconds. What has to be copied is
only what the Document changes *in place*: map elements (moves and edits assign their
fields) and the lists holding them. Everything else is replaced whole when it changes
(the service, the contract, records, an element's label/evolve/provided_by), so holding
a reference to it is as good as a copy. Each element is copied as a tuple of its fields
by ``operator.attrgetter`` (one C call per element, ~0.5 µs), and rebuilt into a full
ServiceDocument later on the autosave thread.

Text typed into a field but not yet committed (``pending``) is applied to the rebuilt
copy, so the recovery file holds what the person sees on screen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import operator
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from osom_desktop.model.document import ELEMENT_LISTS
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.validation import validate_model_update
from osom_desktop.model.wardley import WardleyMap

_SETTINGS = ("title", "evolution_labels", "style", "annotations_legend")
# OWM-only details the .osom file keeps beside the map: the lines as the person wrote
# them (so a restored map still says ``[0.30, 0.70]``), ``size`` and hidden axes.
_OWM_EXTRAS = ("size", "evolution_axis_hidden", "value_chain_hidden")


def _owm_extras(m: WardleyMap) -> dict[str, Any]:
    extras = {name: getattr(m, name) for name in _OWM_EXTRAS}
    extras["owm_source"] = dict(m.owm_source)  # values are immutable named tuples
    return extras
# Per class: (field names, getter returning their values as one tuple).
_GETTERS: dict[type, tuple[tuple[str, ...], Any]] = {}


_gc_guard = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No automatic garbage collection inside (nestable, from any thread).

    Taking a snapshot and rebuilding it allocate tens of thousands of objects, enough to
    trigger a full collection, which walks every object of the process (the open
    documents and their scenes: ~100 ms at 5,000 components) holding the GIL, so the
    GUI thread would stall even when the work is on another thread. What is allocated
    here is freed by reference counting (no cycles), so nothing is lost by waiting.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_guard:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_guard:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _getter(cls: type) -> tuple[tuple[str, ...], Any]:
    known = _GETTERS.get(cls)
    if known is None:
        names = tuple(f.name for f in dataclasses.fields(cls))
        get = operator.attrgetter(*names) if len(names) > 1 else (lambda e, n=names[0]: (getattr(e, n),))
        known = _GETTERS[cls] = (names, get)
    return known


@dataclass(slots=True)
class DocumentSnapshot:
    service: Any  # pydantic models the Document replaces whole on change: shared
    contract: Any
    settings: tuple[Any, ...]
    layout: list[str]
    # list name -> [(class, [field tuple, ...]), ...] grouped by runs of one class
    elements: dict[str, list[tuple[type, list[tuple[Any, ...]]]]]
    lists: dict[str, list[Any]]
    pending: dict[str, dict[str, str]] = field(default_factory=dict)
    # Component fields typed but not committed: {component id: {"name": ...}}.
    pending_elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    owm_extras: dict[str, Any] = field(default_factory=dict)

    def build(self) -> ServiceDocument:
        """The full document as it was when the snapshot was taken (any thread)."""
        m = WardleyMap(**dict(zip(_SETTINGS, self.settings, strict=True)), layout=list(self.layout))
        for name, value in self.owm_extras.items():
            setattr(m, name, dict(value) if name == "owm_source" else value)
        for kind, runs in self.elements.items():
            out = getattr(m, kind)
            for cls, rows in runs:
                names = _getter(cls)[0]
                out.extend(cls(**dict(zip(names, row, strict=True))) for row in rows)
        lists: dict[str, Any] = {k: list(v) for k, v in self.lists.items()}
        doc = ServiceDocument.model_construct(service=self.service, contract=self.contract, map=m, **lists)
        if self.pending_elements:
            _apply_pending_elements(m, self.pending_elements)
        for part, values in self.pending.items():
            for name, text in values.items():
                try:  # a half-typed value that would be refused is left out, not the rest
                    setattr(doc, part, validate_model_update(getattr(doc, part), {name: text}))
                except (OsomError, ValueError):
                    pass
        return doc


def _apply_pending_elements(m: WardleyMap, pending: dict[str, dict[str, Any]]) -> None:
    names = {c.name for c in m.components}
    for c in m.components:
        for name, value in pending.get(c.id, {}).items():
            if name == "name":  # only a name a commit would accept (unique, not empty)
                if not isinstance(value, str) or not value.strip() or value in names:
                    continue
                names.discard(c.name)
                names.add(value)
            try:
                setattr(c, name, value)
            except (AttributeError, TypeError):
                pass


def take_snapshot(data: ServiceDocument, pending: dict[str, dict[str, str]] | None = None) -> DocumentSnapshot:
    """Copy what the Document mutates in place; milliseconds at 5,000 components."""
    m = data.map
    with paused_gc():
        elements: dict[str, list[tuple[type, list[tuple[Any, ...]]]]] = {}
        for kind in ELEMENT_LISTS:
            items = getattr(m, kind)
            if items and all(type(e) is type(items[0]) for e in items):  # the usual case: one C pass
                elements[kind] = [(type(items[0]), list(map(_getter(type(items[0]))[1], items)))]
            else:
                elements[kind] = take_snapshot_elements(items)
        lists = {k: list(getattr(data, k)) for k in ("decisions", "assessments", "contract_changes", "revisions")}
        return DocumentSnapshot(
            service=data.service,
            contract=data.contract,
            settings=tuple(getattr(m, s) for s in _SETTINGS),
            layout=list(m.layout),
            elements=elements,
            lists=lists,
            pending=dict(pending or {}),
            owm_extras=_owm_extras(m),
        )


class SnapshotCache:
    """Snapshots that re-copy only the elements changed since the last one.

    Fed every ``Change`` the Document emits (``note``). A moved or edited element's
    tuple is re-read in place, an element added at the end is appended; a list whose
    order changed otherwise (an element removed, or put back by undo) is re-read whole.
    At 5,000 components a typical autosave (a few elements moved, or a component added
    at the end) then copies lists of references (~0.1 ms)
    instead of 15,000 tuples.
    Each snapshot also re-reads the next 1/``SWEEP_IN``-th of every list, so a change
    that escaped the Document's signal is in the copy within ``SWEEP_IN`` autosaves,
    at a twelfth of the cost of re-reading everything each time.
    """

    SWEEP_IN = 12

    def __init__(self) -> None:
        self._rows: dict[str, list[tuple[Any, ...]]] = {}
        self._index: dict[str, dict[str, int]] = {}
        self._dirty: dict[str, set[str] | None] = {}  # kind -> ids, or None: all of it
        self._sweep: dict[str, int] = {}  # kind -> where the next sweep starts

    def note(self, change: Any) -> None:
        """A Document change (``what``, ``ids``)."""
        what, ids = change.what, tuple(change.ids)
        if what == "map" or (what in ELEMENT_LISTS and not ids):
            for kind in ELEMENT_LISTS if what == "map" else (what,):
                self._dirty[kind] = None
        elif what in ELEMENT_LISTS:
            dirty = self._dirty.setdefault(what, set())
            if dirty is not None:
                dirty.update(ids)

    def take(self, data: ServiceDocument, pending: dict[str, dict[str, str]] | None = None,
             pending_elements: dict[str, dict[str, Any]] | None = None) -> DocumentSnapshot:
        m = data.map
        with paused_gc():
            elements: dict[str, list[tuple[type, list[tuple[Any, ...]]]]] = {}
            for kind in ELEMENT_LISTS:
                items = getattr(m, kind)
                cls = type(items[0]) if items else None
                rows = self._current_rows(kind, items, cls)
                if rows is None:  # mixed classes in one list: not cached
                    elements[kind] = take_snapshot_elements(items)
                else:
                    elements[kind] = [(cls, list(rows))] if cls is not None else []  # None: no items
            self._dirty.clear()
            lists = {k: list(getattr(data, k)) for k in ("decisions", "assessments", "contract_changes", "revisions")}
            return DocumentSnapshot(
                service=data.service,
                contract=data.contract,
                settings=tuple(getattr(m, s) for s in _SETTINGS),
                layout=list(m.layout),
                elements=elements,
                lists=lists,
                pending=dict(pending or {}),
                pending_elements=dict(pending_elements or {}),
                owm_extras=_owm_extras(m),
            )

    def _current_rows(self, kind: str, items: list[Any], cls: type[Any] | None) -> list[tuple[Any, ...]] | None:
        rows = self._rows.get(kind)
        dirty = self._dirty.get(kind, set())
        if rows is not None and dirty is not None and cls is not None:
            patched = self._patched(kind, items, cls, rows, dirty)
            if patched is not None:
                return patched
        return self._read_all(kind, items, cls)

    def _patched(
        self, kind: str, items: list[Any], cls: type[Any], rows: list[tuple[Any, ...]], dirty: set[str]
    ) -> list[tuple[Any, ...]] | None:
        """``rows`` brought up to date in place, or None when the list must be read again
        (an element added, removed or reordered other than at the end)."""
        index = self._index[kind]
        get = _getter(cls)[1]
        if self._appended(index, items, cls, rows, dirty) != len(items):
            return None
        for element_id in dirty:
            i = index.get(element_id)
            if i is None or items[i].id != element_id or type(items[i]) is not cls:
                return None
            rows[i] = get(items[i])
        return rows if self._swept(kind, items, cls, rows) else None

    @staticmethod
    def _appended(
        index: dict[str, int], items: list[Any], cls: type[Any], rows: list[tuple[Any, ...]], dirty: set[str]
    ) -> int:
        """Elements added at the end (drawing a new component or link) appended to
        ``rows``; returns how many rows there are now."""
        get = _getter(cls)[1]
        n = len(rows)
        while n < len(items) and (e := items[n]).id in dirty and e.id not in index and type(e) is cls:
            index[e.id] = n
            rows.append(get(e))
            n += 1
        return n

    def _swept(self, kind: str, items: list[Any], cls: type[Any], rows: list[tuple[Any, ...]]) -> bool:
        """Re-read the next part of the list (see the class's text); False when that
        part is not where the index says."""
        index = self._index[kind]
        start = self._sweep.get(kind, 0) % max(1, len(items))
        end = start + -(-len(items) // self.SWEEP_IN)
        part = items[start:end]
        if all(type(e) is cls for e in part) and all(index.get(e.id) == start + j for j, e in enumerate(part)):
            rows[start:end] = map(_getter(cls)[1], part)
            self._sweep[kind] = end
            return True
        return False

    def _read_all(self, kind: str, items: list[Any], cls: type[Any] | None) -> list[tuple[Any, ...]] | None:
        if cls is None:
            self._rows[kind], self._index[kind] = [], {}
            return self._rows[kind]
        if not all(type(e) is cls for e in items):
            self._rows.pop(kind, None)
            return None
        rows = list(map(_getter(cls)[1], items))
        self._rows[kind] = rows
        self._index[kind] = {e.id: i for i, e in enumerate(items)}
        return rows


def take_snapshot_elements(items: list[Any]) -> list[tuple[type, list[tuple[Any, ...]]]]:
    """One element list as runs of (class, field tuples)."""
    runs: list[tuple[type, list[tuple[Any, ...]]]] = []
    for e in items:
        c = type(e)
        if not runs or runs[-1][0] is not c:
            runs.append((c, []))
        runs[-1][1].append(_getter(c)[1](e))
    return runs
