"""What a contract change says it changed: the summary saved with each ContractChange.

This text is part of the file (the executive reads it in the governance pack), so it
is written here, below the views, from the one set of labels in ``wording``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from osom_desktop.model.service import Contract, Dependency, Measure, Service
from osom_desktop.operations.wording import (
    DIRECTION_LABELS,
    EVOLUTION_LABELS,
    SERVICE_FIELDS,
    TEXT_FIELDS,
    number,
    short,
)


def describe_contract_change(old: Contract, new: Contract) -> str:
    """One line per change of the contract's terms, for the ContractChange summary.

    Recorded values of a measure are performance data, not terms of the contract: a
    change that only records values describes as "" (and needs no reason).
    """
    lines: list[str] = []
    for name, label in TEXT_FIELDS.items():
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            lines.append(f"{label}: '{short(a)}' → '{short(b)}'" if a else f"{label} set: '{short(b)}'")
    if old.user_needs != new.user_needs:
        lines += _describe_user_needs(old.user_needs, new.user_needs)
    if old.evolution_stage != new.evolution_stage:
        a = "not set" if old.evolution_stage is None else EVOLUTION_LABELS[old.evolution_stage]
        b = "not set" if new.evolution_stage is None else EVOLUTION_LABELS[new.evolution_stage]
        lines.append(f"Evolution stage: {a} → {b}")
    lines += _describe_measures(old.measures, new.measures)
    lines += _describe_dependencies(old.dependencies, new.dependencies)
    return "\n".join(lines)


def _describe_user_needs(old: Sequence[str], new: Sequence[str]) -> list[str]:
    removed, added = _not_in(old, new), _not_in(new, old)
    if len(removed) == 1 and len(added) == 1:
        return [f"User need reworded: '{short(removed[0])}' → '{short(added[0])}'"]
    lines = [f"User need added: '{short(n)}'" for n in added]
    lines += [f"User need removed: '{short(n)}'" for n in removed]
    if not added and not removed:
        lines.append("User needs reordered")
    return lines


def _not_in(items: Sequence[str], other: Sequence[str]) -> list[str]:
    return [n for n in items if n not in other]


def describe_service_change(old: Service, new: Service) -> str:
    """The service's name and manager, as a live contract's change summary names them."""
    lines: list[str] = []
    for name, label in SERVICE_FIELDS.items():
        a: Any = getattr(old, name)
        b: Any = getattr(new, name)
        if a != b:
            lines.append(f"{label}: '{short(a)}' → '{short(b)}'" if a else f"{label} set: '{short(b)}'")
    return "\n".join(lines)


def _describe_measures(old: Sequence[Measure], new: Sequence[Measure]) -> list[str]:
    lines: list[str] = []
    before = {m.id: m for m in old}
    after = {m.id: m for m in new}
    for m in new:
        if m.id not in before:
            unit = f" {m.unit}" if m.unit else ""
            lines.append(f"Measure added: '{m.name}' (target {number(m.target)}{unit}, "
                         f"{DIRECTION_LABELS[m.direction].lower()})")
            continue
        lines += _describe_measure(before[m.id], m)
    lines += [f"Measure removed: '{m.name}'" for m in old if m.id not in after]
    return lines


def _describe_measure(o: Measure, m: Measure) -> list[str]:
    """What changed in one measure's terms (its values are not terms)."""
    lines: list[str] = []
    if o.name != m.name:
        lines.append(f"Measure renamed: '{o.name}' → '{m.name}'")
    if o.unit != m.unit:
        lines.append(f"Measure '{m.name}' unit: '{o.unit}' → '{m.unit}'")
    if o.target != m.target:
        lines.append(f"Measure '{m.name}' target: {number(o.target)} → {number(m.target)}")
    if o.direction != m.direction:
        lines.append(f"Measure '{m.name}': {DIRECTION_LABELS[o.direction].lower()} → "
                     f"{DIRECTION_LABELS[m.direction].lower()}")
    return lines


def _describe_dependencies(old: Sequence[Dependency], new: Sequence[Dependency]) -> list[str]:
    lines: list[str] = []
    before = {d.id: d for d in old}
    after = {d.id: d for d in new}
    for d in new:
        if d.id not in before:
            lines.append(f"Dependency added: {d.service_name}")
            continue
        o = before[d.id]
        if o.service_name != d.service_name:
            lines.append(f"Dependency renamed: {o.service_name} → {d.service_name}")
        if o.description != d.description:
            lines.append(f"Dependency on {d.service_name}: '{short(o.description)}' → '{short(d.description)}'")
    lines += [f"Dependency removed: {d.service_name}" for d in old if d.id not in after]
    return lines
