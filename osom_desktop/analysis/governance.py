"""The governance loop, read headless: findings for one service and the executive's
view across a network (no Qt; the network window, the packs and ``osom network``
all read these same answers).

One service: open actions past their due date, open and overdue mandates, unmet needs
and CoEs waiting for review are findings. Across the network: CoEs awaiting review,
recurring root causes, open/overdue actions and mandates by service, a heat-map of
the latest decision on each criterion (doctrine included) with its trend since the
assessment before, and services that missed a measure's target in the last year
without publishing a CoE.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from osom_desktop.analysis.assessment_dates import held
from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.governance.scales import SCALES, Scale
from osom_desktop.model.service import (
    Assessment,
    CoEStatus,
    CorrectionOfError,
    MandateStatus,
    Measure,
    MeasureDirection,
    ServiceDocument,
)

YEAR = dt.timedelta(days=365)


# -- one service -------------------------------------------------------------------------


def mandate_open(status: MandateStatus) -> bool:
    return status is not MandateStatus.DONE


def governance_findings(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    out = _action_findings(doc, today) + _mandate_findings(doc, today)
    for c in doc.coes:
        if c.status is CoEStatus.PUBLISHED:
            out.append(Finding("coe-awaiting-review", Severity.NOTE,
                               f"the CoE {c.title!r} published on {c.published_on} awaits the executive's review", c.id))
    for u in doc.unmet_needs:
        out.append(Finding("unmet-need", Severity.NOTE, f"users asked for {u.need!r}, which the contract does not meet", u.id))
    return out


def _action_findings(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    return [
        Finding("action-overdue", Severity.WARNING,
                f"the action {x.text!r} from the assessment of {a.date} was due on {x.due}"
                f"{' (owner ' + x.owner + ')' if x.owner else ''}", a.id)
        for a in doc.assessments
        for x in a.actions
        if x.closed_on is None and x.due < today
    ]


def _mandate_findings(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    out: list[Finding] = []
    for m in doc.mandates:
        if not mandate_open(m.status):
            continue
        if m.due is not None and m.due < today:
            out.append(Finding("mandate-overdue", Severity.WARNING,
                               f"mandate {m.id} {m.title!r} was due on {m.due} and is {m.status.value}", m.id))
        else:
            due = f", due {m.due}" if m.due else ""
            out.append(Finding("mandate-open", Severity.NOTE, f"mandate {m.id} {m.title!r} is {m.status.value}{due}", m.id))
    return out


def missed_target(measure: Measure, since: dt.date, today: dt.date) -> bool:
    """Any value recorded in [since, today] on the wrong side of the target."""
    if measure.target is None:
        return False
    for v in measure.values:
        if not since <= v.date <= today:
            continue
        if measure.direction is MeasureDirection.HIGHER_IS_BETTER and v.value < measure.target:
            return True
        if measure.direction is MeasureDirection.LOWER_IS_BETTER and v.value > measure.target:
            return True
        if measure.direction is MeasureDirection.ON_TARGET and v.value != measure.target:
            return True
    return False


# -- across the network ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    decision: str
    score: float | None  # 0 worst .. 1 best on the criterion's scale
    previous: str | None
    trend: str  # "up", "down", "same", "new"
    assessed_on: dt.date


@dataclass(slots=True)
class HeatMap:
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (set id, criterion id, title)
    rows: list[tuple[str, dict[tuple[str, str], Cell]]] = field(default_factory=list)  # (service, cells)


@dataclass(slots=True)
class NetworkGovernance:
    coes_awaiting_review: list[tuple[str, CorrectionOfError]] = field(default_factory=list)
    recurring_root_causes: list[tuple[str, list[str]]] = field(default_factory=list)  # cause, services
    actions: dict[str, tuple[int, int]] = field(default_factory=dict)  # service -> (open, overdue)
    mandates: dict[str, tuple[int, int]] = field(default_factory=dict)
    unmet_needs: dict[str, int] = field(default_factory=dict)
    silent_services: list[str] = field(default_factory=list)  # missed a target, no CoE in a year
    heat_map: HeatMap = field(default_factory=HeatMap)

    def by_set(self) -> list[dict[str, object]]:
        """The heat-map folded for a page: per service and criteria set, how many
        criteria had each decision, how many failed, and how many moved up or down."""
        out: list[dict[str, object]] = []
        for name, cells in self.heat_map.rows:
            sets: dict[str, list[Cell]] = defaultdict(list)
            for (set_id, _cid), cell in cells.items():
                sets[set_id].append(cell)
            out += [_set_summary(name, set_id, group) for set_id, group in sorted(sets.items())]
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "coes_awaiting_review": [
                {"service": s, "id": c.id, "title": c.title, "author": c.author,
                 "published_on": c.published_on.isoformat() if c.published_on else None}
                for s, c in self.coes_awaiting_review
            ],
            "recurring_root_causes": [{"cause": c, "services": s} for c, s in self.recurring_root_causes],
            "actions": {s: {"open": o, "overdue": d} for s, (o, d) in self.actions.items()},
            "mandates": {s: {"open": o, "overdue": d} for s, (o, d) in self.mandates.items()},
            "unmet_needs": self.unmet_needs,
            "missed_target_without_coe": self.silent_services,
            "by_set": self.by_set(),
            "heat_map": {
                "criteria": [{"set": s, "id": c, "title": t} for s, c, t in self.heat_map.columns],
                "services": [
                    {"service": name, "cells": [
                        {"set": k[0], "criterion": k[1], "decision": v.decision, "previous": v.previous,
                         "trend": v.trend, "assessed_on": v.assessed_on.isoformat()}
                        for k, v in cells.items()
                    ]}
                    for name, cells in self.heat_map.rows
                ],
            },
        }


def _set_summary(name: str, set_id: str, group: list[Cell]) -> dict[str, object]:
    return {
        "service": name, "set": set_id,
        "decisions": dict(sorted(Counter(c.decision for c in group).items())),
        "failing": sum(1 for c in group if c.score is not None and c.score < 0.5),
        "up": sum(1 for c in group if c.trend == "up"),
        "down": sum(1 for c in group if c.trend == "down"),
    }


# The scales' values do not overlap, so a decision names its scale (a report mixing
# sets records one scale for the report; each result's own is found from its value).
_SCALE_OF_VALUE: dict[str, Scale] = {v: s for s in SCALES.values() for v in s.values}


def _scale_for(decision: str, scale_id: str) -> Scale | None:
    scale = SCALES.get(scale_id)
    if scale is not None and decision in scale.values:
        return scale
    return _SCALE_OF_VALUE.get(decision)


def _trend(scale: Scale | None, now: str, before: str | None) -> str:
    if before is None:
        return "new"
    if scale is None or before not in scale.values:
        return "same" if before == now else "changed"
    a, b = scale.values.index(now), scale.values.index(before)
    return "same" if a == b else ("up" if a < b else "down")


def heat_row(assessments: Sequence[Assessment], today: dt.date) -> dict[tuple[str, str], Cell]:
    """The latest decision on each criterion and the decision before it."""
    cells: dict[tuple[str, str], Cell] = {}
    history: dict[tuple[str, str], list[tuple[str, str, dt.date]]] = defaultdict(list)
    for a in sorted(held(assessments, today), key=lambda a: a.date):
        for r in a.results:
            history[(r.criteria_set, r.criterion_id)].append((r.decision, a.scale, a.date))
    for key, seen in history.items():
        decision, scale_id, day = seen[-1]
        previous = seen[-2][0] if len(seen) > 1 else None
        scale = _scale_for(decision, scale_id)
        cells[key] = Cell(decision, scale.score(decision) if scale else None, previous,
                          _trend(scale, decision, previous), day)
    return cells


def _cause_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def network_governance(services: Iterable[tuple[str, ServiceDocument]], today: dt.date | None = None) -> NetworkGovernance:
    """``services``: (name shown, document) for each service file in the network."""
    today = dt.date.today() if today is None else today
    out = NetworkGovernance()
    causes = _Causes()
    columns: dict[tuple[str, str], str] = {}
    for name, doc in services:
        out.coes_awaiting_review += [(name, c) for c in doc.coes if c.status is CoEStatus.PUBLISHED]
        causes.add(name, doc)
        _count_open(out, name, doc, today)
        if _silent(doc, today):
            out.silent_services.append(name)
        row = heat_row(doc.assessments, today)
        for a in doc.assessments:
            for r in a.results:
                columns.setdefault((r.criteria_set, r.criterion_id), r.title or r.criterion_id)
        out.heat_map.rows.append((name, row))
    out.recurring_root_causes = causes.recurring()
    out.heat_map.columns = [(s, c, t) for (s, c), t in columns.items()]
    return out


def _count_open(out: NetworkGovernance, name: str, doc: ServiceDocument, today: dt.date) -> None:
    """Open and overdue actions and mandates, and unmet needs, of one service."""
    actions = [x for a in doc.assessments for x in a.actions if x.closed_on is None]
    out.actions[name] = (len(actions), sum(1 for x in actions if x.due < today))
    out.mandates[name] = _open_mandates(doc, today)
    out.unmet_needs[name] = len(doc.unmet_needs)


def _open_mandates(doc: ServiceDocument, today: dt.date) -> tuple[int, int]:
    mandates = [m for m in doc.mandates if mandate_open(m.status)]
    return len(mandates), sum(1 for m in mandates if m.due is not None and m.due < today)


def _silent(doc: ServiceDocument, today: dt.date) -> bool:
    """Missed a measure's target in the last year without publishing a CoE."""
    published = [c for c in doc.coes if c.status is not CoEStatus.DRAFT and (c.published_on or c.written_on) >= today - YEAR]
    return not published and any(missed_target(m, today - YEAR, today) for m in doc.contract.measures)


class _Causes:
    """Root causes and doctrine not followed, from the CoEs of every service, matched
    ignoring case and punctuation."""

    def __init__(self) -> None:
        self.causes: dict[str, set[str]] = defaultdict(set)
        self.text: dict[str, str] = {}
        self.doctrine_hurt: dict[str, set[str]] = defaultdict(set)

    def add(self, name: str, doc: ServiceDocument) -> None:
        for c in doc.coes:
            if c.status is CoEStatus.DRAFT:
                continue
            if c.root_cause.strip():
                key = _cause_key(c.root_cause)
                self.causes[key].add(name)
                self.text.setdefault(key, " ".join(c.root_cause.split()))
            for principle in re.split(r"[,;\n]", c.doctrine_hurt):
                if principle.strip():
                    self.doctrine_hurt[_cause_key(principle)].add(name)
                    self.text.setdefault("doctrine:" + _cause_key(principle), "doctrine not followed: " + principle.strip())

    def recurring(self) -> list[tuple[str, list[str]]]:
        """Causes found in more than one service, the most widespread first."""
        return sorted(
            [(self.text[k], sorted(v)) for k, v in self.causes.items() if len(v) > 1]
            + [(self.text["doctrine:" + k], sorted(v)) for k, v in self.doctrine_hurt.items() if len(v) > 1],
            key=lambda p: (-len(p[1]), p[0]),
        )
