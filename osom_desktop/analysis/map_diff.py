"""What changed on a map between two versions: components added, removed, moved.

Components are matched by their stable id, then (for those left over) by name
ignoring case and spacing, so a map re-imported from OWM (new ids) still compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osom_desktop.model.wardley import Component, WardleyMap

# Smaller moves are a mapper nudging a label, not a change of judgement about evolution.
MOVE_THRESHOLD = 0.02


@dataclass(frozen=True, slots=True)
class Move:
    name: str
    old_evolution: float
    new_evolution: float

    @property
    def delta(self) -> float:
        return self.new_evolution - self.old_evolution


@dataclass(frozen=True, slots=True)
class MapChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.moved)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _components(m: WardleyMap) -> list[Component]:
    return list(m.components)  # components, anchors and submaps alike


def map_changes(old: WardleyMap, new: WardleyMap, threshold: float = MOVE_THRESHOLD) -> MapChanges:
    """Components of ``new`` not in ``old``, of ``old`` not in ``new``, and those whose
    evolution moved by more than ``threshold`` (in name order)."""
    pairs, added_c, removed_c = pair_components(old, new)
    added = [c.name for c in added_c]
    removed = [c.name for c in removed_c]
    moved = [
        Move(n.name, float(o.evolution), float(n.evolution))
        for o, n in pairs
        if o.evolution is not None and n.evolution is not None and abs(n.evolution - o.evolution) > threshold
    ]
    return MapChanges(
        added=sorted(added, key=_key),
        removed=sorted(removed, key=_key),
        moved=sorted(moved, key=lambda mv: _key(mv.name)),
    )


def pair_components(
    old: WardleyMap, new: WardleyMap
) -> tuple[list[tuple[Component, Component]], list[Component], list[Component]]:
    """(pairs of (old, new) for the same component, added in ``new``, removed from
    ``old``): the matching ``map_changes`` reports, for views that draw the change."""
    old_c, new_c = _components(old), _components(new)
    old_by_id = {c.id: c for c in old_c}
    pairs: list[tuple[Component, Component]] = []
    unmatched_new: list[Component] = []
    matched_old: set[str] = set()
    for c in new_c:
        o = old_by_id.get(c.id)
        if o is not None:
            pairs.append((o, c))
            matched_old.add(o.id)
        else:
            unmatched_new.append(c)
    old_by_name: dict[str, Component] = {}
    for c in old_c:
        if c.id not in matched_old:
            old_by_name.setdefault(_key(c.name), c)
    added: list[Component] = []
    for c in unmatched_new:
        o = old_by_name.pop(_key(c.name), None)
        if o is None:
            added.append(c)
        else:
            pairs.append((o, c))
            matched_old.add(o.id)
    removed = [c for c in old_c if c.id not in matched_old]
    return pairs, added, removed
