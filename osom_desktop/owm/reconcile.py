"""Keep ids (and what OWM text cannot say) across an edit of the map's text.

Parsing text gives every element a fresh id. When a person edits the text of a map
that is already open, the elements they did not touch must keep their ids (selection,
undo history and links from other services point at ids), and components must keep
what OWM text does not carry: description and providing service.

Components match by name first; a component whose name changed matches the unmatched
old component at the same place in the layout (a rename in the text). Other elements
match by their content (links by their ends, notes by text, ...).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from osom_desktop.model.wardley import Component, Link, WardleyMap

_OTHER_LISTS: dict[str, Callable[[Any], Hashable]] = {
    "pipelines": lambda p: ("pipeline", p.component_id),
    "notes": lambda n: ("note", n.text),
    "annotations": lambda a: ("annotation", a.number),
    "areas": lambda a: ("area", a.kind, a.top, a.left, a.bottom, a.right),
    "accelerators": lambda a: ("acc", a.kind, a.name),
    "urls": lambda u: ("url", u.name),
    "raw_lines": lambda r: ("raw", r.text),
}


def reconcile(old: WardleyMap, new: WardleyMap) -> WardleyMap:
    """``new`` with ids taken from ``old`` wherever an element is the same one."""
    renames = _component_renames(old, new)  # new id -> old id
    taken = set(renames.values())
    old_ids = old.element_ids()
    _move_aside(new.components, renames, taken, old_ids)
    components = _kept_components(old, new, renames)

    def comp(cid: str) -> str:
        return renames.get(cid, cid)

    links = _links(old, new, comp, renames, (taken, old_ids))
    result = dataclasses.replace(new, components=components, links=links)
    for list_name, key_of in _OTHER_LISTS.items():
        setattr(result, list_name, _other_list(old, new, list_name, key_of, comp, renames, (taken, old_ids)))

    # Pipeline children point at pipeline ids, which may have been renamed just now.
    for c in result.components:
        if c.pipeline_id is not None:
            c.pipeline_id = renames.get(c.pipeline_id, c.pipeline_id)
    result.layout = [_rename_slot(slot, renames) for slot in new.layout]
    # Source lines follow their elements to their kept ids (their fingerprints hold names).
    result.owm_source = {
        _rename_slot(slot, renames): source._replace(covers=tuple(_rename_slot(s, renames) for s in source.covers))
        for slot, source in new.owm_source.items()
    }
    return result


def _move_aside(components: list[Component], renames: dict[str, str], taken: set[str], old_ids: set[str]) -> None:
    """A fresh id that happens to equal a kept old id of another element moves aside."""
    for c in components:
        if c.id not in renames and (c.id in taken or c.id in old_ids):
            renames[c.id] = _fresh(c.id, taken | old_ids)
        taken.add(renames.get(c.id, c.id))


def _kept_components(old: WardleyMap, new: WardleyMap, renames: dict[str, str]) -> list[Component]:
    """The new components under their kept ids, with what OWM text does not carry."""
    old_components = {c.id: c for c in old.components}
    components = []
    for c in new.components:
        cid = renames.get(c.id, c.id)
        previous = old_components.get(cid)
        extra: dict[str, Any] = {"description": previous.description, "provided_by": previous.provided_by} if previous else {}
        components.append(dataclasses.replace(c, id=cid, pipeline_id=c.pipeline_id, **extra))
    return components


def _component_renames(old: WardleyMap, new: WardleyMap) -> dict[str, str]:
    """New component id -> old id: by name, then a rename in the text (leftovers paired
    in order of appearance)."""
    renames: dict[str, str] = {}
    old_by_name = {c.name: c for c in old.components}
    unmatched_new: list[Component] = []
    used_old: set[str] = set()
    for c in new.components:
        match = old_by_name.get(c.name)
        if match is not None and match.id not in used_old:
            renames[c.id] = match.id
            used_old.add(match.id)
        else:
            unmatched_new.append(c)
    leftovers = [c for c in old.components if c.id not in used_old] if unmatched_new else []
    for c_new, c_old in zip(unmatched_new, leftovers, strict=False):
        if c_new.kind == c_old.kind:
            renames[c_new.id] = c_old.id
    return renames


def _links(
    old: WardleyMap,
    new: WardleyMap,
    comp: Callable[[str], str],
    renames: dict[str, str],
    ids: tuple[set[str], set[str]],
) -> list[Link]:
    """Links keep the id of the old link between the same ends; ids given go in ``taken``."""
    taken, old_ids = ids
    links_old = {(lk.source, lk.target, lk.source_evolved, lk.target_evolved): lk.id for lk in old.links}
    links = []
    for lk in new.links:
        key = (comp(lk.source), comp(lk.target), lk.source_evolved, lk.target_evolved)
        lid = links_old.pop(key, None) or _fresh(lk.id, taken | old_ids)
        taken.add(lid)
        renames[lk.id] = lid
        links.append(dataclasses.replace(lk, id=lid, source=key[0], target=key[1]))
    return links


def _other_list(
    old: WardleyMap,
    new: WardleyMap,
    list_name: str,
    key_of: Callable[[Any], Hashable],
    comp: Callable[[str], str],
    renames: dict[str, str],
    ids: tuple[set[str], set[str]],
) -> list[Any]:
    """One list of other elements, matched by content (``_OTHER_LISTS``)."""
    taken, old_ids = ids
    pool: dict[Hashable, list[str]] = defaultdict(list)
    for e in getattr(old, list_name):
        pool[key_of(_with_components(e, comp))].append(e.id)
    items = []
    for e in getattr(new, list_name):
        e = _with_components(e, comp)
        found = pool.get(key_of(e))
        eid = found.pop(0) if found else _fresh(e.id, taken | old_ids)
        taken.add(eid)
        renames[e.id] = eid
        items.append(dataclasses.replace(e, id=eid))
    return items


def _with_components(element: Any, comp: Callable[[str], str]) -> Any:
    if hasattr(element, "component_id"):
        return dataclasses.replace(element, component_id=comp(element.component_id))
    return element


def _rename_slot(slot: str, renames: dict[str, str]) -> str:
    base, sep, facet = slot.partition("#")
    return renames.get(base, base) + sep + facet


def _fresh(base: str, taken: set[str]) -> str:
    n = 1
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"
