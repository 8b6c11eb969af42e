"""Criteria catalogues: the sets of criteria the executive assesses services against.

One TOML file is one set (documented in docs/criteria-catalogue.md)::

    [set]
    id = "uk-service-standard"          # required, unique among the sets loaded
    title = "UK Service Standard"       # required
    version = "1"                       # optional, text
    scale = "met-not-met"               # required: met-not-met, red-amber-green, one-to-five
    applies_to = ["alpha->beta", "beta->live", "periodic"]   # transitions, or "periodic"
    source = "..."                      # optional: where the criteria come from

    [[criterion]]
    id = "1"                            # required, unique in the set
    title = "Understand users and their needs"   # required
    text = "..."                        # optional
    group = "..."                       # optional (a doctrine phase, a theme)

A set applies to the transitions it lists: a transition cannot be recorded without a
decision on every criterion of every loaded set that applies to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.governance.scales import SCALES
from osom_desktop.governance.toml_file import CatalogueError, Fields, parse_toml, read_text, shown
from osom_desktop.model.service import Assessment, LifecycleStage
from osom_desktop.paths import RESOURCES

SET_FIELDS = ("id", "title", "version", "scale", "applies_to", "source")
CRITERION_FIELDS = ("id", "title", "text", "group")
PERIODIC = "periodic"
# The moves OSOM assesses, written as a set file writes them.
TRANSITIONS = tuple(
    f"{a.value}->{b.value}" for a, b in zip(list(LifecycleStage), list(LifecycleStage)[1:], strict=False)
)
OCCASIONS = (*TRANSITIONS, PERIODIC)
SHIPPED_CRITERIA = RESOURCES / "criteria"


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    text: str = ""
    group: str = ""


@dataclass(slots=True)
class CriteriaSet:
    id: str
    title: str
    scale: str
    version: str = ""
    applies_to: tuple[str, ...] = ()
    source: str = ""
    criteria: list[Criterion] = field(default_factory=list)
    path: Path | None = None
    scale_line: int | None = None  # where the file says its scale, for scale_problems

    def applies(self, occasion: str) -> bool:
        return occasion in self.applies_to

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)


def occasion_of(assessment: Assessment) -> str:
    """"alpha->beta" for a transition, "periodic" for a regular assessment once live."""
    if assessment.from_stage is not None and assessment.to_stage is not None:
        return f"{assessment.from_stage.value}->{assessment.to_stage.value}"
    return PERIODIC


def load_criteria(path: str | os.PathLike[str]) -> CriteriaSet:
    """Read and check one set; raises CatalogueError naming file, line and field."""
    result = parse_criteria(read_text(path, "criteria catalogue"), os.fspath(path))
    result.path = Path(path)
    return result


def shipped_sets() -> list[CriteriaSet]:
    """The example sets shipped with the app (OSOM, UK Service Standard, doctrine)."""
    return [load_criteria(p) for p in sorted(SHIPPED_CRITERIA.glob("*.toml"))]


def parse_criteria(text: str, filename: str = "<criteria>") -> CriteriaSet:
    data, lines = parse_toml(text, filename)
    f = Fields(filename, lines)
    for key in data:
        if key not in ("set", "criterion"):
            raise f.fail((key,), f"unknown table or key {key!r} (a criteria file has a [set] table and [[criterion]] entries)")
    result = _criteria_set(f, data.get("set"))
    seen: dict[str, int | None] = {}
    for n, entry in enumerate(f.entries(data, "criterion")):
        at = ("criterion", n)
        raw = entry.get("id")
        what = f"criterion {shown(raw)}" if isinstance(raw, str) and raw.strip() else f"criterion entry {n + 1}"
        f.known(entry, at, CRITERION_FIELDS, what)
        f.required(entry, at, ("id", "title"), what)
        c = Criterion(*(f.text(entry, at, k, what) for k in CRITERION_FIELDS))
        f.unique(seen, c.id, (*at, "id"), "criterion")
        result.criteria.append(c)
    if not result.criteria:
        raise CatalogueError(filename, None, "the set has no [[criterion]] entries")
    return result


def _criteria_set(f: Fields, head: object) -> CriteriaSet:
    """The [set] table: id, title, scale and the occasions it applies to."""
    if not isinstance(head, dict):
        raise f.fail(("set",), "a criteria file needs a [set] table with its id, title and scale")
    f.known(head, ("set",), SET_FIELDS, "[set]")
    f.required(head, ("set",), ("id", "title", "scale"), "[set]")
    scale = f.text(head, ("set",), "scale", "[set]")
    if scale not in SCALES:
        raise f.fail(("set", "scale"), f"scale {shown(scale)} is not one of {', '.join(SCALES)}")
    applies = f.texts(head, ("set",), "applies_to", "[set]")
    for occasion in applies:
        if occasion not in OCCASIONS:
            raise f.fail(("set", "applies_to"), f"applies_to: {shown(occasion)} is not one of {', '.join(OCCASIONS)}")
    return CriteriaSet(
        id=f.text(head, ("set",), "id", "[set]"),
        title=f.text(head, ("set",), "title", "[set]"),
        scale=scale,
        version=f.text(head, ("set",), "version", "[set]"),
        applies_to=tuple(applies),
        source=f.text(head, ("set",), "source", "[set]"),
        scale_line=f.lines.line_of("set", "scale"),
    )


def check_unique_sets(sets: Iterable[CriteriaSet]) -> None:
    """Two files loaded together cannot both be set ``x``: their decisions would mix."""
    seen: dict[str, CriteriaSet] = {}
    for s in sets:
        if s.id in seen:
            other = seen[s.id].path or "another file"
            raise CatalogueError(str(s.path or "<criteria>"), None, f"set id {shown(s.id)} is also used by {other}")
        seen[s.id] = s


def scale_problems(criteria_set: CriteriaSet, assessments: Iterable[Assessment]) -> list[str]:
    """One line per recorded decision on this set that is not a value of its scale.

    The records are left exactly as they are (the decision was made on the scale of the
    day); the person is told which file and line disagree with which assessment.
    """
    values = SCALES[criteria_set.scale].values
    where = f"{criteria_set.path or '<criteria>'}:{criteria_set.scale_line or 1}"
    problems = []
    for a in assessments:
        for r in a.results:
            if r.criteria_set == criteria_set.id and r.decision not in values:
                problems.append(
                    f"{where}: scale {criteria_set.scale!r} does not have the decision {shown(r.decision)} recorded for "
                    f"criterion {shown(r.criterion_id)} on {a.date.isoformat()} (the record is kept as it is)"
                )
    return problems


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif (ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def criteria_text(criteria_set: CriteriaSet, filename: str = "<criteria>") -> str:
    """The TOML for a set the app edited, checked to read back as the same set (the
    caller writes it atomically, as the guidance catalogue's writer is used)."""
    lines = ["[set]"]
    head = {"id": criteria_set.id, "title": criteria_set.title, "version": criteria_set.version,
            "scale": criteria_set.scale, "source": criteria_set.source}
    lines += [f"{k} = {_toml_string(v)}" for k, v in head.items() if v]
    lines.append("applies_to = [" + ", ".join(_toml_string(o) for o in criteria_set.applies_to) + "]")
    for c in criteria_set.criteria:
        lines += ["", "[[criterion]]"]
        lines += [f"{k} = {_toml_string(getattr(c, k))}" for k in CRITERION_FIELDS if getattr(c, k)]
    text = "\n".join(lines) + "\n"
    back = parse_criteria(text, filename)
    if back.criteria != criteria_set.criteria or (back.id, back.title, back.scale) != (
        criteria_set.id, criteria_set.title, criteria_set.scale
    ):
        raise CatalogueError(filename, None, "the set would not read back as written")
    return text
