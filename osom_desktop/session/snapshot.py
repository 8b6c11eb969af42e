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

import dataclasses
import gc
import operator
from dataclasses import dataclass, field
from typing import Any

from osom_desktop.model.document import ELEMENT_LISTS
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.validation import validate_model_update
from osom_desktop.model.wardley import WardleyMap

_SETTINGS = ("title", "evolution_labels", "style", "annotations_legend")
# Per class: (field names, getter returning their values as one tuple).
_GETTERS: dict[type, tuple[tuple[str, ...], Any]] = {}


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

    def build(self) -> ServiceDocument:
        """The full document as it was when the snapshot was taken (any thread)."""
        m = WardleyMap(**dict(zip(_SETTINGS, self.settings)), layout=list(self.layout))
        for kind, runs in self.elements.items():
            out = getattr(m, kind)
            for cls, rows in runs:
                names = _getter(cls)[0]
                out.extend(cls(**dict(zip(names, row))) for row in rows)
        doc = ServiceDocument.model_construct(
            service=self.service, contract=self.contract, map=m, **{k: list(v) for k, v in self.lists.items()}
        )
        for part, values in self.pending.items():
            for name, text in values.items():
                try:  # a half-typed value that would be refused is left out, not the rest
                    setattr(doc, part, validate_model_update(getattr(doc, part), {name: text}))
                except (OsomError, ValueError):
                    pass
        return doc


def take_snapshot(data: ServiceDocument, pending: dict[str, dict[str, str]] | None = None) -> DocumentSnapshot:
    """Copy what the Document mutates in place; milliseconds at 5,000 components."""
    m = data.map
    # The tuples are short-lived garbage-free data: a collection triggered half-way
    # would walk the whole heap (the open document and its scene) on the GUI thread.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        elements: dict[str, list[tuple[type, list[tuple[Any, ...]]]]] = {}
        for kind in ELEMENT_LISTS:
            items = getattr(m, kind)
            runs: list[tuple[type, list[tuple[Any, ...]]]] = []
            if items:
                cls = type(items[0])
                if all(type(e) is cls for e in items):  # the usual case: one C pass
                    runs.append((cls, list(map(_getter(cls)[1], items))))
                else:
                    for e in items:
                        c = type(e)
                        if not runs or runs[-1][0] is not c:
                            runs.append((c, []))
                        runs[-1][1].append(_getter(c)[1](e))
            elements[kind] = runs
        lists = {k: list(getattr(data, k)) for k in ("decisions", "assessments", "contract_changes", "revisions")}
        return DocumentSnapshot(
            service=data.service,
            contract=data.contract,
            settings=tuple(getattr(m, s) for s in _SETTINGS),
            layout=list(m.layout),
            elements=elements,
            lists=lists,
            pending=dict(pending or {}),
        )
    finally:
        if was_enabled:
            gc.enable()
