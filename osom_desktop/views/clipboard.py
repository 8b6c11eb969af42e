"""Copy and paste map elements as OWM text, so they paste into OWM and back.

Pure functions over the model (no Qt) so the merge rules are easy to test: pasted
elements get fresh ids; a component whose name is already on the map gets a numbered
name, and then the whole paste sits a step down and right of what it copies (a paste
or Duplicate on top of the original would look as if nothing happened).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.owm import parse_owm, write_owm

# How far a paste that lands on its original moves: visibility down, evolution right.
PASTE_STEP = (-0.03, 0.03)


def copy_as_owm(m: WardleyMap, ids: list[str]) -> str:
    """The selected elements as OWM text: components (with the children and span of
    a selected pipeline's owner), the links among them, notes and annotations."""
    chosen = set(ids)
    pipes = [p for p in m.pipelines if p.id in chosen or p.component_id in chosen]
    for p in pipes:
        chosen.add(p.component_id)
        chosen.update(c.id for c in m.components if c.pipeline_id == p.id)
    pipe_ids = {p.id for p in pipes}
    components = [c for c in m.components if c.id in chosen and (c.pipeline_id is None or c.pipeline_id in pipe_ids)]
    kept = {c.id for c in components}
    sub = WardleyMap(
        components=components,
        links=[lk for lk in m.links if lk.source in kept and lk.target in kept],
        pipelines=pipes,
        notes=[n for n in m.notes if n.id in chosen],
        annotations=[a for a in m.annotations if a.id in chosen],
    )
    return write_owm(sub)


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
    points = {(round(c.visibility, 2), round(c.evolution, 2)) for c in m.components
              if c.visibility is not None and c.evolution is not None}
    points |= {(round(n.visibility, 2), round(n.evolution, 2)) for n in m.notes}
    first = next(((c.visibility, c.evolution) for c in pasted.components
                  if c.visibility is not None and c.evolution is not None), None)
    if first is None:
        first = next(((n.visibility, n.evolution) for n in pasted.notes), None)
    if first is None:
        return PASTE_STEP
    for k in range(1, 30):
        dv, de = PASTE_STEP[0] * k, PASTE_STEP[1] * k
        if (round(first[0] + dv, 2), round(first[1] + de, 2)) not in points:
            return dv, de
    return PASTE_STEP


def _moved(value: float, delta: float) -> float:
    return round(min(1.0, max(0.0, value + delta)), 2) + 0.0


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
    result = dataclasses.replace(
        m,
        components=list(m.components),
        links=list(m.links),
        notes=list(m.notes),
        annotations=list(m.annotations),
        pipelines=list(m.pipelines),
        layout=list(m.layout),
    )
    names = {c.name for c in m.components}
    collides = any(c.name in names for c in pasted.components) or (
        not pasted.components and any((n.visibility, n.evolution) == (o.visibility, o.evolution)
                                      for n in pasted.notes for o in m.notes))
    dv, de = _free_offset(m, pasted) if collides else (0.0, 0.0)
    out = Pasted(result, offset=collides)
    ids: dict[str, str] = {}
    for c in pasted.components:
        name = c.name
        n = 2
        while name in names:
            name = f"{c.name} ({n})"
            n += 1
        out.renamed += name != c.name
        names.add(name)
        ids[c.id] = new_id()
        vis = _moved(c.visibility, dv) if c.visibility is not None else None
        evo = _moved(c.evolution, de) if c.evolution is not None else None
        result.components.append(dataclasses.replace(c, id=ids[c.id], name=name, pipeline_id=None,
                                                     visibility=vis, evolution=evo))
    for p in pasted.pipelines:
        if p.component_id not in ids:
            continue
        pid = new_id()
        ids[p.id] = pid
        start = _moved(p.start, de) if p.start is not None else None
        end = _moved(p.end, de) if p.end is not None else None
        result.pipelines.append(dataclasses.replace(p, id=pid, component_id=ids[p.component_id], start=start, end=end))
    for c in result.components[len(m.components):]:
        original = next(pc for pc in pasted.components if ids[pc.id] == c.id)
        if original.pipeline_id in ids:
            c.pipeline_id = ids[original.pipeline_id]
    for lk in pasted.links:
        ids[lk.id] = new_id()
        result.links.append(dataclasses.replace(lk, id=ids[lk.id], source=ids[lk.source], target=ids[lk.target]))
    for note in pasted.notes:
        ids[note.id] = new_id()
        result.notes.append(dataclasses.replace(note, id=ids[note.id], visibility=_moved(note.visibility, dv),
                                                evolution=_moved(note.evolution, de)))
    taken = {a.number for a in m.annotations}
    for a in pasted.annotations:
        number = a.number
        while number in taken:
            number += 1  # two annotations "1" would share one legend line
        taken.add(number)
        ids[a.id] = new_id()
        points = [(_moved(v, dv), _moved(e, de)) for v, e in a.points]
        result.annotations.append(dataclasses.replace(a, id=ids[a.id], number=number, points=points))
    out.ids = list(ids.values())
    out.components = len(pasted.components)
    return out


def merge_pasted(m: WardleyMap, text: str) -> tuple[WardleyMap, int]:
    """``m`` plus the pasted elements; returns (new map, components added)."""
    pasted = paste_into(m, text)
    return pasted.map, pasted.components
