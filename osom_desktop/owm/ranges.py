"""Warnings for positions off the map: OWM draws ``[visibility, evolution]`` from 0 to 1,
and ``anchor X [2, -5]`` is read and kept (OWM keeps it too) but lands outside the
axes, where a person rarely meant it to be. One warning per line, naming the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

from osom_desktop.model.wardley import WardleyMap
from osom_desktop.owm.result import Diagnostic, ParseResult


def _off(value: float | None) -> TypeGuard[float]:
    return value is not None and not 0.0 <= value <= 1.0


def _offending(m: WardleyMap) -> Iterator[tuple[str, str, list[tuple[str, float]]]]:
    """(slot, what, [(field, value), ...]) for each element with a value off the map."""
    for c in m.components:
        bad = [(f, v) for f, v in (("visibility", c.visibility), ("evolution", c.evolution)) if _off(v)]
        if bad:
            yield c.id, f"{c.kind.value} {c.name}", bad
        if c.evolve is not None and _off(c.evolve.evolution):
            yield f"{c.id}#evolve", f"evolve {c.name}", [("evolution", c.evolve.evolution)]
    for n in m.notes:
        bad = [(f, v) for f, v in (("visibility", n.visibility), ("evolution", n.evolution)) if _off(v)]
        if bad:
            yield n.id, "note", bad
    for a in m.annotations:
        bad = [(f, v) for point in a.points for f, v in zip(("visibility", "evolution"), point, strict=True) if _off(v)]
        if bad:
            yield a.id, f"annotation {a.number}", bad
    for acc in m.accelerators:
        bad = [(f, v) for f, v in (("visibility", acc.visibility), ("evolution", acc.evolution)) if _off(v)]
        if bad:
            yield acc.id, f"{acc.kind.value} {acc.name}", bad
    for p in m.pipelines:
        bad = [(f, v) for f, v in (("start", p.start), ("end", p.end)) if _off(v)]
        if bad:
            yield p.id, "pipeline", bad


def range_warnings(result: ParseResult, filename: str) -> list[Diagnostic]:
    """A warning for each line whose position is off the map (outside 0 to 1)."""
    out = []
    for slot, what, bad in _offending(result.map):
        line = result.source_lines.get(slot)
        if line is None:
            continue
        values = ", ".join(f"{field} {value:g}" for field, value in bad[:2])
        out.append(Diagnostic(filename, line, f"{what}: {values} is off the map (positions run from 0 to 1)",
                              "warning"))
    return out
