"""Moving a selection of map elements together: components, pipeline children, pipelines,
notes, annotations, accelerators and areas, as one undo step.

A drag moves the elements live through the Document (the text and inspector follow the
mouse) and, on release, ``finish`` turns it into one Plan. Positions are kept on the
map (0..1, where OWM draws) and snapped to two decimals, the precision people write
OWM in, at every step: a drag never shows or writes ``0.6633``. ``clamped`` says whether the map's edge
stopped something, so the view can say so rather than silently refuse the drop.
"""

from __future__ import annotations

from typing import Any

from osom_desktop.model.document import Document
from osom_desktop.model.wardley import Accelerator, Annotation, Area, Component, Note, Pipeline
from osom_desktop.operations.edits import MoveComponents, UpdateElement
from osom_desktop.operations.plan import Plan

DECIMALS = 2


def snap(value: float) -> float:
    """A coordinate as a person would write it: two decimals (``0.3``, ``0.45``)."""
    return round(value, DECIMALS) + 0.0  # + 0.0: never ``-0.0``


def on_map(value: float, decimals: int = DECIMALS) -> tuple[float, bool]:
    """``value`` kept inside 0..1 and rounded; and whether the edge stopped it."""
    kept = min(1.0, max(0.0, value))
    return round(kept, decimals) + 0.0, kept != value


# While the mouse moves, positions snap to the two decimals the drop writes: the text
# pane and the status bar showed 0.6567 during a drag and 0.66 after it (issue 14, a
# person-like tester), and the drop nudged the component to its rounded place. Now what
# is seen during the drag is what is written (the component moves in steps of 0.01).
LIVE_DECIMALS = DECIMALS


class SelectionDrag:
    """The start positions of everything a drag moves, and the live moves."""

    def __init__(self, document: Document, ids: list[str]) -> None:
        self.document = document
        m = document.map
        by_id: dict[str, Any] = {}
        for group in (m.components, m.pipelines, m.notes, m.annotations, m.accelerators, m.areas):
            for element in group:
                by_id[element.id] = element
        pipes = {p.id: p for p in m.pipelines}
        children: dict[str, list[Component]] = {}
        for c in m.components:
            if c.pipeline_id in pipes:
                children.setdefault(c.pipeline_id, []).append(c)
        self.components: dict[str, tuple[float | None, float | None]] = {}
        self.others: dict[str, dict[str, Any]] = {}
        self.names: list[str] = []
        self.clamped = False
        self.moved = False
        # The view's DragLayers while the mouse drags (what stays put, painted once).
        self.layers: Any = None
        # Whether the scene holds other elements' labels until the drop (the view sets it).
        self.holds_labels = False
        # The view's DragCache on a map too big to cache every item (None otherwise).
        self.cache: Any = None
        # Pipeline children move along their pipeline only (their height is its).
        self.children: set[str] = set()
        for eid in ids:
            self._add(by_id.get(eid), pipes, children)

    def _take(self, c: Component, pipes: dict[str, Pipeline]) -> None:
        """A component moves (once, and only if it is placed)."""
        if c.id in self.components or c.evolution is None:
            return
        if c.pipeline_id in pipes:
            self.children.add(c.id)
            self.components[c.id] = (c.visibility, c.evolution)
        elif c.visibility is not None:
            self.components[c.id] = (c.visibility, c.evolution)

    def _add(self, e: Any, pipes: dict[str, Pipeline], children: dict[str, list[Component]]) -> None:
        """One selected element: its start position, and its name for the undo step."""
        if isinstance(e, Component):
            self._take(e, pipes)
            self.names.append(e.name)
        elif isinstance(e, Pipeline):
            self._add_pipeline(e, pipes, children.get(e.id, []))
        elif isinstance(e, (Note, Accelerator)):
            self.others[e.id] = {"visibility": e.visibility, "evolution": e.evolution}
            self.names.append(e.text if isinstance(e, Note) else e.name)
        elif isinstance(e, Annotation):
            self.others[e.id] = {"points": list(e.points)}
            self.names.append(f"annotation {e.number}")
        elif isinstance(e, Area):
            self.others[e.id] = {"top": e.top, "left": e.left, "bottom": e.bottom, "right": e.right}
            self.names.append(e.kind.value)

    def _add_pipeline(self, e: Pipeline, pipes: dict[str, Pipeline], children: list[Component]) -> None:
        """A pipeline sits under its component: it moves with it, children and all."""
        owner = self.document.map.component(e.component_id)
        if owner is not None:
            self._take(owner, pipes)
            self.names.append(f"{owner.name}'s pipeline")
        for child in children:
            self._take(child, pipes)
        if e.start is not None and e.end is not None:
            self.others[e.id] = {"start": e.start, "end": e.end}

    def __bool__(self) -> bool:
        return bool(self.components or self.others)

    # -- while the mouse moves ---------------------------------------------------------

    def _shift(self, dv: float, de: float, decimals: int) -> tuple[dict[str, tuple[float | None, float | None]],
                                                                     dict[str, dict[str, Any]]]:
        clamped = False

        def v(x: float) -> float:
            nonlocal clamped
            value, hit = on_map(x + dv, decimals)
            clamped |= hit
            return value

        def e(x: float) -> float:
            nonlocal clamped
            value, hit = on_map(x + de, decimals)
            clamped |= hit
            return value

        comps: dict[str, tuple[float | None, float | None]] = {}
        children = self.children
        for cid, (vis, evo) in self.components.items():
            comps[cid] = (vis if cid in children or vis is None else v(vis), e(evo) if evo is not None else None)
        others: dict[str, dict[str, Any]] = {}
        for oid, start in self.others.items():
            if "points" in start:
                others[oid] = {"points": [(v(pv), e(pe)) for pv, pe in start["points"]]}
            elif "start" in start:
                others[oid] = {"start": e(start["start"]), "end": e(start["end"])}
            elif "top" in start:
                others[oid] = {"top": v(start["top"]), "bottom": v(start["bottom"]),
                               "left": e(start["left"]), "right": e(start["right"])}
            else:
                others[oid] = {"visibility": v(start["visibility"]), "evolution": e(start["evolution"])}
        self.clamped = clamped
        return comps, others

    def move_by(self, dv: float, de: float, final: bool = False) -> None:
        """Put everything at its start position plus (dv, de), live in the Document;
        ``final``: where it is dropped, snapped to two decimals."""
        comps, others = self._shift(dv, de, DECIMALS if final else LIVE_DECIMALS)
        self.moved = True
        self._last = (dv, de)
        if comps:
            self.document.move_components(comps)
        for oid, values in others.items():
            self.document.update_element(oid, **values)

    # -- on release ----------------------------------------------------------------------

    def finish(self, text: str) -> Plan | None:
        """One Plan for the whole drag (None when nothing ended up anywhere new).

        The elements other than components are put back first: an UpdateElement
        records the values it replaces, and those must be the ones before the drag.
        """
        if self.moved:
            self.move_by(*self._last, final=True)
        m = self.document.map
        now_comps = {cid: (c.visibility, c.evolution) for cid in self.components if (c := m.component(cid)) is not None}
        new_comps = {cid: pos for cid, pos in now_comps.items() if pos != self.components[cid]}
        edits: list[Any] = []
        if new_comps:
            edits.append(MoveComponents(new_comps, {cid: self.components[cid] for cid in new_comps}))
        edits += self._others_back()
        if not edits:
            return None
        return Plan.of(self.document, text, *edits)

    def _others_back(self) -> list[UpdateElement]:
        """Put the elements other than components back where the drag started; the
        edits that move them to where they are now."""
        m = self.document.map
        edits = []
        for oid, start in self.others.items():
            kind, i = self.document._locate(oid)  # noqa: SLF001 - the Document's own look-up
            element = getattr(m, kind)[i]
            now = {k: getattr(element, k) for k in start}
            if now != start:
                self.document.update_element(oid, **start)
                edits.append(UpdateElement(oid, now))
        return edits

    def cancel(self) -> None:
        """Everything back where it was, nothing recorded."""
        self.document.move_components(dict(self.components))
        for oid, start in self.others.items():
            self.document.update_element(oid, **start)

    def title(self) -> str:
        names = self.names[:3]
        more = len(self.names) - len(names)
        return "Move " + ", ".join(names) + (f" and {more} more" if more > 0 else "")
