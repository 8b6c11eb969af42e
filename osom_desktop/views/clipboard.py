"""Copy and paste map elements as OWM text, so they paste into OWM and back.

Pure functions over the model (no Qt) so the merge rules are easy to test: pasted
components get fresh ids and, where a name is already on the map, a numbered name.
"""

from __future__ import annotations

import dataclasses

from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.owm import parse_owm, write_owm


def copy_as_owm(m: WardleyMap, component_ids: list[str]) -> str:
    """The selected components, and the links among them, as OWM text."""
    chosen = set(component_ids)
    sub = WardleyMap(
        components=[c for c in m.components if c.id in chosen and c.pipeline_id is None],
        links=[lk for lk in m.links if lk.source in chosen and lk.target in chosen],
    )
    return write_owm(sub)


def merge_pasted(m: WardleyMap, text: str) -> tuple[WardleyMap, int]:
    """``m`` plus the elements of the pasted OWM text; returns (new map, components added).

    An empty map takes the pasted map whole (title, style and all); otherwise only the
    drawable elements are added, next to what is there.
    """
    pasted = parse_owm(text, filename="clipboard").map
    if not m.components and not m.notes:
        return pasted, len(pasted.components)
    result = dataclasses.replace(
        m,
        components=list(m.components),
        links=list(m.links),
        notes=list(m.notes),
        pipelines=list(m.pipelines),
        layout=list(m.layout),
    )
    names = {c.name for c in m.components}
    ids: dict[str, str] = {}
    for c in pasted.components:
        name = c.name
        n = 2
        while name in names:
            name = f"{c.name} ({n})"
            n += 1
        names.add(name)
        ids[c.id] = new_id()
        result.components.append(dataclasses.replace(c, id=ids[c.id], name=name, pipeline_id=None))
    for p in pasted.pipelines:
        pid = new_id()
        ids[p.id] = pid
        result.pipelines.append(dataclasses.replace(p, id=pid, component_id=ids[p.component_id]))
    for c in result.components[len(m.components):]:
        original = next(pc for pc in pasted.components if ids[pc.id] == c.id)
        if original.pipeline_id in ids:
            c.pipeline_id = ids[original.pipeline_id]
    for lk in pasted.links:
        result.links.append(dataclasses.replace(lk, id=new_id(), source=ids[lk.source], target=ids[lk.target]))
    for note in pasted.notes:
        result.notes.append(dataclasses.replace(note, id=new_id()))
    return result, len(pasted.components)
