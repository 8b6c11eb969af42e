"""Copy and paste map elements as OWM text, so they paste into OWM and back.

Pure functions over the model (no Qt) so the merge rules are easy to test: pasted
elements get fresh ids; a component whose name is already on the map gets a numbered
name, and then the whole paste sits a step down and right of what it copies (a paste
or Duplicate on top of the original would look as if nothing happened).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import Component, Pipeline, WardleyMap
from osom_desktop.owm import parse_owm, write_owm

# How far a paste that lands on its original moves: visibility down, evolution right.
PASTE_STEP = (-0.03, 0.03)
_NUMBERED = re.compile(r"(.+) \((\d+)\)")  # "Kettle (2)": a copy's name and its number


def copy_as_owm(m: WardleyMap, ids: list[str]) -> str:
    """The selected elements as OWM text: components (with the children and span of
    a selected pipeline's owner), the links among them, notes and annotations."""
    chosen, pipes = _with_pipelines(m, set(ids))
    components = _components_of(m, chosen, {p.id for p in pipes})
    kept = {c.id for c in components}
    sub = WardleyMap(
        components=components,
        links=[lk for lk in m.links if {lk.source, lk.target} <= kept],
        pipelines=pipes,
        notes=[n for n in m.notes if n.id in chosen],
        annotations=[a for a in m.annotations if a.id in chosen],
    )
    return write_owm(sub)


def _components_of(m: WardleyMap, chosen: set[str], pipe_ids: set[str]) -> list[Component]:
    """The chosen components, less children of pipelines not copied."""
    return [c for c in m.components if c.id in chosen and (c.pipeline_id is None or c.pipeline_id in pipe_ids)]


def _with_pipelines(m: WardleyMap, chosen: set[str]) -> tuple[set[str], list[Pipeline]]:
    """``chosen`` plus the owner and children of each pipeline chosen (or whose owner
    is), and those pipelines."""
    pipes = [p for p in m.pipelines if p.id in chosen or p.component_id in chosen]
    for p in pipes:
        chosen.add(p.component_id)
        chosen.update(c.id for c in m.components if c.pipeline_id == p.id)
    return chosen, pipes


@dataclass
class Pasted:
    map: WardleyMap
    ids: list[str] = field(default_factory=list)  # the new elements, to select
    components: int = 0
    renamed: int = 0
    offset: bool = False

    @property
    def summary(self) -> str:
        parts = [f"Pasted {len(self.ids)} element(s)"]
        if self.renamed:
            parts.append(f"{self.renamed} renamed (a name already on the map gets a number)")
        if self.offset:
            parts.append("placed beside the originals")
        return "; ".join(parts)


def _free_offset(m: WardleyMap, pasted: WardleyMap) -> tuple[float, float]:
    """A multiple of PASTE_STEP where the first pasted point finds nothing of the map
    (a second paste of the same text goes beside the first, not on it)."""
    first = _first_point(pasted)
    if first is None:
        return PASTE_STEP
    points = _occupied(m)
    for k in range(1, 30):
        dv, de = PASTE_STEP[0] * k, PASTE_STEP[1] * k
        if (round(first[0] + dv, 2), round(first[1] + de, 2)) not in points:
            return dv, de
    return PASTE_STEP


def _occupied(m: WardleyMap) -> set[tuple[float, float]]:
    """The points of the map's components and notes, to two places."""
    points = {(round(c.visibility, 2), round(c.evolution, 2)) for c in m.components
              if c.visibility is not None and c.evolution is not None}
    return points | {(round(n.visibility, 2), round(n.evolution, 2)) for n in m.notes}


def _first_point(pasted: WardleyMap) -> tuple[float, float] | None:
    first = next(((c.visibility, c.evolution) for c in pasted.components
                  if c.visibility is not None and c.evolution is not None), None)
    if first is None:
        first = next(((n.visibility, n.evolution) for n in pasted.notes), None)
    return first


def _moved(value: float, delta: float) -> float:
    return round(min(1.0, max(0.0, value + delta)), 2) + 0.0


def _moved_or_none(value: float | None, delta: float) -> float | None:
    return None if value is None else _moved(value, delta)


def paste_into(m: WardleyMap, text: str) -> Pasted:
    """``m`` plus the elements of the pasted OWM text.

    An empty map takes the pasted map whole (title, style and all); otherwise only the
    drawable elements are added, next to what is there.
    """
    pasted = parse_owm(text, filename="clipboard").map
    drawable = pasted.components or pasted.notes or pasted.annotations
    if not drawable:
        return Pasted(m)
    if not m.components and not m.notes and not m.annotations:
        ids = [e.id for group in (pasted.components, pasted.links, pasted.pipelines, pasted.notes, pasted.annotations)
               for e in group]
        return Pasted(pasted, ids, len(pasted.components))
    return _Paste(m, pasted).run()


class _Paste:
    """Pasting beside what is on the map: fresh ids, numbered names where a name is
    taken, and the whole paste moved aside when it would land on its original."""

    def __init__(self, m: WardleyMap, pasted: WardleyMap) -> None:
        self.m = m
        self.pasted = pasted
        self.result = dataclasses.replace(
            m,
            components=list(m.components),
            links=list(m.links),
            notes=list(m.notes),
            annotations=list(m.annotations),
            pipelines=list(m.pipelines),
            layout=list(m.layout),
        )
        self.names = {c.name for c in m.components}
        collides = self._collides()
        self.dv, self.de = _free_offset(m, pasted) if collides else (0.0, 0.0)
        self.out = Pasted(self.result, offset=collides)
        self.ids: dict[str, str] = {}  # pasted id -> new id

    def _collides(self) -> bool:
        if self.pasted.components:
            return any(c.name in self.names for c in self.pasted.components)
        return any((n.visibility, n.evolution) == (o.visibility, o.evolution)
                   for n in self.pasted.notes for o in self.m.notes)

    def run(self) -> Pasted:
        self._components()
        self._pipelines()
        self._links()
        self._notes()
        self._annotations()
        self.out.ids = list(self.ids.values())
        self.out.components = len(self.pasted.components)
        return self.out

    def _free_name(self, wanted: str) -> str:
        # A copy of "Kettle (2)" is "Kettle (3)", not "Kettle (2) (2)": number on the stem.
        numbered = _NUMBERED.fullmatch(wanted)
        stem = numbered.group(1) if numbered else wanted
        name, n = wanted, 2
        while name in self.names:
            name = f"{stem} ({n})"
            n += 1
        return name

    def _components(self) -> None:
        for c in self.pasted.components:
            name = self._free_name(c.name)
            self.out.renamed += name != c.name
            self.names.add(name)
            self.ids[c.id] = new_id()
            self.result.components.append(dataclasses.replace(
                c, id=self.ids[c.id], name=name, pipeline_id=None,
                visibility=_moved_or_none(c.visibility, self.dv), evolution=_moved_or_none(c.evolution, self.de)))

    def _pipelines(self) -> None:
        ids = self.ids
        for p in self.pasted.pipelines:
            if p.component_id not in ids:
                continue
            pid = new_id()
            ids[p.id] = pid
            self.result.pipelines.append(dataclasses.replace(
                p, id=pid, component_id=ids[p.component_id],
                start=_moved_or_none(p.start, self.de), end=_moved_or_none(p.end, self.de)))
        # Children join their pasted pipeline (added above, after the components).
        for c in self.result.components[len(self.m.components):]:
            original = next(pc for pc in self.pasted.components if ids[pc.id] == c.id)
            if original.pipeline_id in ids:
                c.pipeline_id = ids[original.pipeline_id]

    def _links(self) -> None:
        ids = self.ids
        for lk in self.pasted.links:
            ids[lk.id] = new_id()
            self.result.links.append(dataclasses.replace(lk, id=ids[lk.id], source=ids[lk.source], target=ids[lk.target]))

    def _notes(self) -> None:
        for note in self.pasted.notes:
            self.ids[note.id] = new_id()
            self.result.notes.append(dataclasses.replace(
                note, id=self.ids[note.id], visibility=_moved(note.visibility, self.dv),
                evolution=_moved(note.evolution, self.de)))

    def _annotations(self) -> None:
        taken = {a.number for a in self.m.annotations}
        for a in self.pasted.annotations:
            number = a.number
            while number in taken:
                number += 1  # two annotations "1" would share one legend line
            taken.add(number)
            self.ids[a.id] = new_id()
            points = [(_moved(v, self.dv), _moved(e, self.de)) for v, e in a.points]
            self.result.annotations.append(dataclasses.replace(a, id=self.ids[a.id], number=number, points=points))
