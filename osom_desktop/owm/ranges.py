"""Warnings for positions off the map: OWM draws ``[visibility, evolution]`` from 0 to 1,
and ``anchor X [2, -5]`` is read and kept (OWM keeps it too) but lands outside the
axes, where a person rarely meant it to be. One warning per line, naming the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeGuard

from osom_desktop.model.wardley import WardleyMap
from osom_desktop.owm.result import Diagnostic, ParseResult

# The end of each such warning: the editor counts these apart from lines not understood.
OFF_THE_MAP = "is off the map (positions run from 0 to 1)"


def _off(value: float | None) -> TypeGuard[float]:
    return value is not None and not 0.0 <= value <= 1.0


_Offending = Iterator[tuple[str, str, list[tuple[str, float]]]]
_POSITION = ("visibility", "evolution")


def _bad(pairs: Iterable[tuple[str, float | None]]) -> list[tuple[str, float]]:
    return [(f, v) for f, v in pairs if _off(v)]


def _offending(m: WardleyMap) -> _Offending:
    """(slot, what, [(field, value), ...]) for each element with a value off the map."""
    yield from _components(m)
    yield from _placed(m)
    for p in m.pipelines:
        bad = _bad((("start", p.start), ("end", p.end)))
        if bad:
            yield p.id, "pipeline", bad


def _components(m: WardleyMap) -> _Offending:
    for c in m.components:
        bad = _bad(zip(_POSITION, (c.visibility, c.evolution), strict=True))
        if bad:
            yield c.id, f"{c.kind.value} {c.name}", bad
        if c.evolve is not None and _off(c.evolve.evolution):
            yield f"{c.id}#evolve", f"evolve {c.name}", [("evolution", c.evolve.evolution)]


def _placed(m: WardleyMap) -> _Offending:
    """Notes, annotations (every point) and accelerators."""
    for n in m.notes:
        bad = _bad(zip(_POSITION, (n.visibility, n.evolution), strict=True))
        if bad:
            yield n.id, "note", bad
    for a in m.annotations:
        bad = _bad(pair for point in a.points for pair in zip(_POSITION, point, strict=True))
        if bad:
            yield a.id, f"annotation {a.number}", bad
    for acc in m.accelerators:
        bad = _bad(zip(_POSITION, (acc.visibility, acc.evolution), strict=True))
        if bad:
            yield acc.id, f"{acc.kind.value} {acc.name}", bad


def range_warnings(result: ParseResult, filename: str) -> list[Diagnostic]:
    """A warning for each line whose position is off the map (outside 0 to 1)."""
    out = []
    for slot, what, bad in _offending(result.map):
        line = result.source_lines.get(slot)
        if line is None:
            continue
        values = ", ".join(f"{field} {value:g}" for field, value in bad[:2])
        out.append(Diagnostic(filename, line, f"{what}: {values} {OFF_THE_MAP}",
                              "warning"))
    return out
