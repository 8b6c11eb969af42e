"""Matching read values to the services and measures they belong to.

A row names its measure (and, for a folder, its service) by name; names are matched
ignoring case and spacing. A value already recorded (same measure, date and value) is
skipped and counted; a different value for a date already recorded is a conflict the
person must settle, so it is a problem, as is an unknown service or measure, or a unit
the measure does not use. ``plan_values`` changes nothing: the caller applies the plan
only when it has no problems (or the person asked to skip the bad rows).
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from osom_desktop.analysis.directory import normalise_name
from osom_desktop.fitness.csv_values import ParsedValues, Problem, ValueRow
from osom_desktop.model.service import Measure, RecordedValue, ServiceDocument
from osom_desktop.storage.errors import StorageError
from osom_desktop.storage.limits import max_rows

_VALUES = TypeAdapter(list[RecordedValue])


@dataclass(slots=True)
class ValuesPlan:
    # service key (id) -> measure id -> values to add, in file order
    additions: dict[str, dict[str, list[RecordedValue]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    already_recorded: int = 0

    @property
    def count(self) -> int:
        return sum(len(v) for per in self.additions.values() for v in per.values())


@functools.lru_cache(maxsize=4096)  # every row names a service and a measure; few distinct names
def _key(name: str) -> str:
    return normalise_name(name)


def plan_values(parsed: ParsedValues, documents: Sequence[ServiceDocument], *, single: bool = False) -> ValuesPlan:
    """What to add where. ``single``: every row is for ``documents[0]`` (the app's import)."""
    plan = ValuesPlan(problems=list(parsed.problems))
    by_name: dict[str, ServiceDocument] = {}
    for doc in documents:
        by_name.setdefault(_key(doc.service.name), doc)
    planner = _Planner(documents, plan)
    for row in parsed.rows:
        target = _service_of(row, documents, by_name, single, parsed.has_service, plan)
        if target is not None:
            planner.add(row, target)
    # One validation per measure, in pydantic's Rust core: ~25x faster than a model per row.
    plan.additions = {sid: {mid: _VALUES.validate_python(vals) for mid, vals in per.items()}
                      for sid, per in planner.pending.items()}
    return plan


class _Planner:
    """The rows planned so far, against the values the documents already hold."""

    def __init__(self, documents: Sequence[ServiceDocument], plan: ValuesPlan) -> None:
        self.plan = plan
        self.measures: dict[str, dict[str, Measure]] = {
            doc.service.id: {_key(m.name): m for m in doc.contract.measures} for doc in documents}
        # (service id, measure id, date) -> values already there or planned
        self.seen: dict[tuple[str, str, object], set[float]] = defaultdict(set)
        for doc in documents:
            for m in doc.contract.measures:
                for v in m.values:
                    self.seen[(doc.service.id, m.id, v.date)].add(v.value)
        self.pending: dict[str, dict[str, list[dict[str, object]]]] = {}
        # A file holding more values than the reader opens (limits.max_rows, per table) would
        # be saved and then refused on open: such rows are problems, not a file lost.
        self.cap = max_rows()
        self.held = {doc.service.id: sum(len(m.values) for m in doc.contract.measures) for doc in documents}

    def add(self, row: ValueRow, doc: ServiceDocument) -> None:
        """Plan ``row`` for ``doc``, or note why not."""
        m = self.measures[doc.service.id].get(_key(row.measure))
        if m is None:
            self.plan.problems.append(Problem(row.row, "measure", f"{doc.service.name!r} has no measure named {row.measure!r}"))
            return
        if row.unit and row.unit.strip() != m.unit.strip():
            self.plan.problems.append(Problem(row.row, "unit", f"{m.name!r} is measured in {m.unit or 'no unit'!r}, not {row.unit!r}"))
            return
        there = self.seen[(doc.service.id, m.id, row.date)]
        if row.value in there:
            self.plan.already_recorded += 1
            return
        problem = self._refused(row, doc, m, there)
        if problem is not None:
            self.plan.problems.append(problem)
            return
        self.held[doc.service.id] += 1
        there.add(row.value)
        self.pending.setdefault(doc.service.id, {}).setdefault(m.id, []).append(
            {"date": row.date, "value": row.value, "note": row.note})

    def _refused(self, row: ValueRow, doc: ServiceDocument, m: Measure, there: set[float]) -> Problem | None:
        if there:
            shown = ", ".join(f"{v:g}" for v in sorted(there))
            return Problem(row.row, "value", f"{m.name!r} already has {shown} on {row.date}; "
                                             f"this row says {row.value:g} (remove the old value first to replace it)")
        if self.held[doc.service.id] >= self.cap:
            return Problem(row.row, "value", f"{doc.service.name!r} already holds {self.cap:,} values, "
                                             "the most a service file opens with (OSOM_MAX_ROWS)")
        return None


def _service_of(row: ValueRow, documents: Sequence[ServiceDocument], by_name: dict[str, ServiceDocument],
                single: bool, has_service: bool, plan: ValuesPlan) -> ServiceDocument | None:
    if single:
        doc = documents[0]
        if has_service and _key(row.service) != _key(doc.service.name):
            plan.problems.append(Problem(row.row, "service", f"is for {row.service!r}, not {doc.service.name!r}"))
            return None
        return doc
    if not has_service:
        plan.problems.append(Problem(row.row, "service", "no service column: say which service each value is for"))
        return None
    named = by_name.get(_key(row.service))
    if named is None:
        plan.problems.append(Problem(row.row, "service", f"no service named {row.service!r} in the folder"))
    return named


def merged_values(existing: Iterable[RecordedValue], added: Iterable[RecordedValue]) -> list[RecordedValue]:
    """Existing values then the added ones, in date order (stable: a later one for the same day goes after)."""
    return sorted([*existing, *added], key=lambda v: v.date)


def apply_to_document(doc: ServiceDocument, additions: dict[str, list[RecordedValue]]) -> None:
    measures = [m.model_copy(update={"values": merged_values(m.values, additions.get(m.id, ()))})
                if m.id in additions else m for m in doc.contract.measures]
    doc.contract.measures = measures


@dataclass(slots=True)
class SaveReport:
    saved: list[tuple[Path, int]] = field(default_factory=list)  # (file, values added)
    failed: list[str] = field(default_factory=list)  # one line each


def save_plan(plan: ValuesPlan, documents: dict[str, ServiceDocument], paths: dict[str, Path], *,
              author: str = "") -> SaveReport:
    """Add the planned values and save each changed file atomically (one at a time: a
    failed save leaves that file as it was and is reported; the others are saved)."""
    # The writer (and sqlite_utils with it) loads when values are saved, not when the
    # Contract dock that offers the import is built at the app's start.
    from osom_desktop.storage.writer import save_document

    report = SaveReport()
    for sid, additions in plan.additions.items():
        doc = documents[sid]
        n = sum(len(v) for v in additions.values())
        before = doc.contract.measures
        apply_to_document(doc, additions)
        try:
            save_document(doc, paths[sid], author=author or os.environ.get("USER", ""),
                          summary=f"Recorded {n} measure value{'s' if n != 1 else ''} from a CSV file")
        except StorageError as exc:
            doc.contract.measures = before
            report.failed.append(str(exc))
            continue
        report.saved.append((paths[sid], n))
    return report
