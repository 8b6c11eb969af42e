"""Roll-ups across the network, defined by the executive in ``rollups.toml`` next to the services.

    [period]                      # optional: only values dated within it count
    start = 2026-01-01
    end = 2026-12-31

    [[rollup]]
    name = "Transactions"         # what the roll-up is called (default: the measure)
    measure = "Transactions"      # matched by name (case and spacing ignored) ...
    unit = "count"                # ... and unit: a service measuring it in another unit is reported, left out
    across = "sum"                # sum | mean | min | max over the services
    within = "sum"                # sum | mean | last: one service's values in a month (default: sum for a sum, else last)

    [[ratio]]
    name = "Cost per transaction"
    numerator = "Cost"            # two roll-ups by name
    denominator = "Transactions"

    [capital_flow]                # a service's cost shared among the services that consume it
    cost = "Cost"                 # a roll-up by name (its measure and unit)
    share = "equal"               # equal | by measure
    by = "Transactions"           # with share = "by measure": each consumer's share follows this roll-up's measure

Capital flow (OSOM's capital flow management: money flows through the organisation from
the user's transaction down through every service it consumes) is worked out from the
bottom of the dependency network up: a service's full cost is its own cost plus the
shares passed to it by the services it consumes; that full cost is passed on, shared
among the services that depend on it. A service nothing in the folder depends on keeps
its full cost: that is what serving its users costs the organisation. Money is neither
made nor lost on the way: the kept costs add up to the services' own costs. Services in
a dependency cycle cannot be ordered; the shares between them are not passed, and the
cycle is reported.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from osom_desktop.analysis.directory import normalise_name
from osom_desktop.analysis.network import Network
from osom_desktop.model.service import Measure

ROLLUPS_FILE = "rollups.toml"
MAX_ROLLUPS_BYTES = 256 * 1024  # a hand-written file of a few dozen lines; more is a wrong file
ACROSS = ("sum", "mean", "min", "max")
WITHIN = ("sum", "mean", "last")
SHARES = ("equal", "by measure")


class RollupsError(ValueError):
    """rollups.toml cannot be used: one line naming the file and the field."""


@dataclass(frozen=True, slots=True)
class Rollup:
    name: str
    measure: str
    unit: str
    across: str = "sum"
    within: str = "sum"


@dataclass(frozen=True, slots=True)
class Ratio:
    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True, slots=True)
class CapitalFlow:
    cost: str  # a roll-up's name
    share: str = "equal"
    by: str = ""  # a roll-up's name, with share = "by measure"


@dataclass(slots=True)
class Definitions:
    rollups: list[Rollup] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    flow: CapitalFlow | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""


def _text(where: str, table: dict[str, Any], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise RollupsError(f"{where}: '{key}' is missing")
    if not isinstance(value, str) or not value.strip():
        raise RollupsError(f"{where}: '{key}' must be a text")
    return " ".join(value.split())


def _choice(where: str, table: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = _text(where, table, key, default)
    if value not in choices:
        raise RollupsError(f"{where}: '{key}' is {value!r}, not one of {', '.join(choices)}")
    return value


def _date(where: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RollupsError(f"{where}: {value!r} is not a date (write it as 2026-01-31)")


def parse_definitions(text: str, source: str = ROLLUPS_FILE) -> Definitions:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RollupsError(f"{source}: {exc}") from None
    known = {"period", "rollup", "ratio", "capital_flow"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise RollupsError(f"{source}: unknown section {unknown[0]!r} (known: {', '.join(sorted(known))})")
    d = Definitions(source=source)
    d.start, d.end = _period(source, data.get("period", {}))
    d.rollups = _rollups(source, data.get("rollup", []))
    names = {r.name for r in d.rollups}
    d.ratios = _ratios(source, data.get("ratio", []), names)
    flow = data.get("capital_flow")
    if flow is not None:
        d.flow = _capital_flow(f"{source}: capital_flow", flow, names)
    return d


def _period(source: str, period: object) -> tuple[dt.date | None, dt.date | None]:
    if not isinstance(period, dict):
        raise RollupsError(f"{source}: [period] must be a table")
    start, end = _date(f"{source}: period.start", period.get("start")), _date(f"{source}: period.end", period.get("end"))
    if start and end and end < start:
        raise RollupsError(f"{source}: period.end {end} is before period.start {start}")
    return start, end


def _rollups(source: str, tables: object) -> list[Rollup]:
    if not isinstance(tables, list):
        raise RollupsError(f"{source}: 'rollup' must be [[rollup]] tables")
    rollups: list[Rollup] = []
    for i, r in enumerate(tables, 1):
        where = f"{source}: rollup {i}"
        if not isinstance(r, dict):
            raise RollupsError(f"{where}: must be a table")
        measure = _text(where, r, "measure")
        across = _choice(where, r, "across", ACROSS, "sum")
        rollup = Rollup(_text(where, r, "name", measure), measure, " ".join(str(r.get("unit", "")).split()), across,
                        _choice(where, r, "within", WITHIN, "sum" if across == "sum" else "last"))
        if any(x.name == rollup.name for x in rollups):
            raise RollupsError(f"{where}: a roll-up named {rollup.name!r} is already defined")
        rollups.append(rollup)
    return rollups


def _ratios(source: str, tables: object, names: set[str]) -> list[Ratio]:
    ratios: list[Ratio] = []
    for i, r in enumerate(tables if isinstance(tables, list) else [None], 1):
        where = f"{source}: ratio {i}"
        if not isinstance(r, dict):
            raise RollupsError(f"{where}: must be a [[ratio]] table")
        ratio = Ratio(_text(where, r, "name"), _text(where, r, "numerator"), _text(where, r, "denominator"))
        for part in (ratio.numerator, ratio.denominator):
            if part not in names:
                raise RollupsError(f"{where}: no roll-up named {part!r}")
        ratios.append(ratio)
    return ratios


def _capital_flow(where: str, flow: object, names: set[str]) -> CapitalFlow:
    if not isinstance(flow, dict):
        raise RollupsError(f"{where}: must be a table")
    cf = CapitalFlow(_text(where, flow, "cost"), _choice(where, flow, "share", SHARES, "equal"),
                     _text(where, flow, "by", "-") if "by" in flow else "")
    if cf.cost not in names:
        raise RollupsError(f"{where}: 'cost' names no roll-up ({cf.cost!r})")
    if cf.share == "by measure" and cf.by not in names:
        raise RollupsError(f"{where}: share 'by measure' needs 'by' naming a roll-up")
    return cf


def read_definitions(folder: str | os.PathLike[str]) -> Definitions | None:
    """``rollups.toml`` of ``folder``; None when there is none. RollupsError when unusable."""
    path = Path(folder) / ROLLUPS_FILE
    try:
        if path.stat().st_size > MAX_ROLLUPS_BYTES:
            raise RollupsError(f"{path}: larger than {MAX_ROLLUPS_BYTES // 1024} KB; is it the right file?")
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RollupsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RollupsError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_definitions(text, str(path))


# -- computing ------------------------------------------------------------------------------


def _month(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _combine(values: list[float], how: str) -> float:
    if how == "sum":
        return math.fsum(values)
    if how == "mean":
        return math.fsum(values) / len(values)
    if how == "min":
        return min(values)
    if how == "max":
        return max(values)
    return values[-1]  # last


@dataclass(slots=True)
class RollupResult:
    name: str
    unit: str
    total: float | None  # over the period (or all values)
    trend: list[tuple[str, float]]  # (YYYY-MM, value) in month order
    services: dict[str, float]  # service id -> its value over the period
    problems: list[str] = field(default_factory=list)


def _per_service(net: Network, r: Rollup, d: Definitions) -> tuple[dict[str, list[tuple[dt.date, float]]], list[str]]:
    """Service id -> its values of the measure (in the period, date order), and unit mismatches."""
    wanted, unit = normalise_name(r.measure), r.unit.strip()
    out: dict[str, list[tuple[dt.date, float]]] = {}
    problems: list[str] = []
    for sid in net.services():
        doc = net.documents[sid]
        for m in doc.contract.measures:
            if normalise_name(m.name) != wanted:
                continue
            if m.unit.strip() != unit:
                problems.append(f"{doc.service.name}: {m.name!r} is measured in {m.unit or 'no unit'!r}, "
                                f"not {unit or 'no unit'!r}; left out of {r.name!r}")
                continue
            out.setdefault(sid, []).extend(sorted(_in_period(m, d)))
    return out, problems


def _in_period(m: Measure, d: Definitions) -> list[tuple[dt.date, float]]:
    return [(v.date, v.value) for v in m.values
            if (d.start is None or v.date >= d.start) and (d.end is None or v.date <= d.end)]


def compute_rollup(net: Network, r: Rollup, d: Definitions) -> RollupResult:
    per, problems = _per_service(net, r, d)
    services = {sid: _combine([v for _, v in vals], r.within) for sid, vals in per.items() if vals}
    months: dict[str, list[float]] = defaultdict(list)
    for vals in per.values():
        by_month: dict[str, list[float]] = defaultdict(list)
        for date, v in vals:
            by_month[_month(date)].append(v)
        for month, vs in by_month.items():
            months[month].append(_combine(vs, r.within))
    trend = [(m, _combine(vs, r.across)) for m, vs in sorted(months.items())]
    total = _combine(list(services.values()), r.across) if services else None
    return RollupResult(r.name, r.unit, total, trend, services, problems)


def _ratio(num: RollupResult, den: RollupResult, ratio: Ratio) -> RollupResult:
    dens = dict(den.trend)
    trend = [(m, v / dens[m]) for m, v in num.trend if dens.get(m)]
    total = num.total / den.total if num.total is not None and den.total else None
    services = {sid: v / den.services[sid] for sid, v in num.services.items() if den.services.get(sid)}
    unit = f"{num.unit} per {den.unit}" if num.unit or den.unit else ""
    problems = [] if den.total else [f"{ratio.name!r}: {den.name!r} adds up to nothing, so there is no ratio"]
    return RollupResult(ratio.name, unit, total, trend, services, problems)


@dataclass(slots=True)
class FlowRow:
    service_id: str
    name: str
    own: float
    received: float
    passed_on: float
    kept: float
    consumers: list[str]
    per_unit: float | None = None  # kept / the service's "by" value (cost per transaction)


@dataclass(slots=True)
class FlowResult:
    rule: str
    unit: str
    rows: list[FlowRow]
    problems: list[str] = field(default_factory=list)


def capital_flow(net: Network, own: dict[str, float], weights: dict[str, float] | None, unit: str, rule: str) -> FlowResult:
    """Pass each service's full cost to the services that consume it (see the module's text)."""
    g, problems = _acyclic_consumers(net)
    received: dict[str, float] = defaultdict(float)
    passed: dict[str, float] = defaultdict(float)
    # Providers first: reverse topological order of consumer -> provider edges.
    for sid in reversed(list(nx.topological_sort(g))):
        full = own.get(sid, 0.0) + received[sid]
        consumers = sorted(g.predecessors(sid))
        if not consumers or full == 0:
            continue
        for c, amount in _shares(full, consumers, weights).items():
            received[c] += amount
        passed[sid] = full
    rows = []
    for sid in net.services():
        full = own.get(sid, 0.0) + received[sid]
        kept = full - passed[sid]
        per_unit = kept / weights[sid] if weights and weights.get(sid) and kept else None
        rows.append(FlowRow(sid, net.documents[sid].service.name, own.get(sid, 0.0), received[sid], passed[sid], kept,
                            [net.documents[c].service.name for c in sorted(g.predecessors(sid))], per_unit))
    return FlowResult(rule, unit, rows, problems)


def _acyclic_consumers(net: Network) -> tuple[nx.DiGraph[str], list[str]]:
    """Consumer -> provider edges between the services, with every cycle's edges taken
    out (and named in the problems): cost is not passed around a cycle."""
    services = set(net.documents)
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(services)
    g.add_edges_from((a, b) for a, b in net.graph.edges if a in services and b in services)  # consumer -> provider
    problems: list[str] = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1:
            names = ", ".join(sorted(net.documents[s].service.name for s in comp))
            problems.append(f"dependency cycle ({names}): cost is not passed between these services")
            g.remove_edges_from([(a, b) for a in comp for b in comp if g.has_edge(a, b)])
    return g, problems


def _shares(full: float, consumers: list[str], weights: dict[str, float] | None) -> dict[str, float]:
    """``full`` shared among ``consumers``: by weight when any has one, else equally."""
    if weights is not None and sum(weights.get(c, 0.0) for c in consumers) > 0:
        total_w = sum(weights.get(c, 0.0) for c in consumers)
        return {c: full * weights.get(c, 0.0) / total_w for c in consumers}
    return {c: full / len(consumers) for c in consumers}


@dataclass(slots=True)
class FitnessReport:
    source: str
    rollups: list[RollupResult] = field(default_factory=list)
    flow: FlowResult | None = None
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def r(x: RollupResult) -> dict[str, Any]:
            return {"name": x.name, "unit": x.unit, "total": x.total,
                    "trend": [{"month": m, "value": v} for m, v in x.trend],
                    "services": dict(sorted(x.services.items())), "problems": x.problems}
        out: dict[str, Any] = {"definitions": self.source, "rollups": [r(x) for x in self.rollups],
                               "problems": self.problems}
        if self.flow is not None:
            out["capital_flow"] = {
                "rule": self.flow.rule, "unit": self.flow.unit, "problems": self.flow.problems,
                "services": [{"service_id": f.service_id, "name": f.name, "own": f.own, "received": f.received,
                              "passed_on": f.passed_on, "kept": f.kept, "consumers": f.consumers,
                              "kept_per_unit": f.per_unit} for f in self.flow.rows],
            }
        return out


def fitness_report(net: Network, d: Definitions) -> FitnessReport:
    report = FitnessReport(d.source)
    by_name: dict[str, RollupResult] = {}
    for r in d.rollups:
        res = compute_rollup(net, r, d)
        by_name[r.name] = res
        report.rollups.append(res)
        report.problems += res.problems
    for ratio in d.ratios:
        res = _ratio(by_name[ratio.numerator], by_name[ratio.denominator], ratio)
        report.rollups.append(res)
        report.problems += res.problems
    if d.flow is not None:
        cost, by = by_name[d.flow.cost], by_name.get(d.flow.by)
        if d.flow.share == "by measure" and by is not None:
            report.flow = capital_flow(net, cost.services, by.services, cost.unit,
                                       f"shared by each consumer's {by.name} (a consumer without it gets no share)")
        else:  # equal shares; "by" (if named) still gives the cost per unit kept
            report.flow = _equal_flow(net, cost, by, "shared equally among the services that consume it")
        report.problems += report.flow.problems
    return report


def _equal_flow(net: Network, cost: RollupResult, by: RollupResult | None, rule: str) -> FlowResult:
    flow = capital_flow(net, cost.services, None, cost.unit, rule)
    if by is not None:
        for row in flow.rows:
            n = by.services.get(row.service_id)
            row.per_unit = row.kept / n if n and row.kept else None
    return flow


def folder_fitness(net: Network, folder: str | os.PathLike[str]) -> dict[str, Any]:
    """For ``osom network --format json``: the roll-ups, or why there are none."""
    try:
        d = read_definitions(folder)
    except RollupsError as exc:
        return {"definitions": str(Path(folder) / ROLLUPS_FILE), "error": str(exc)}
    if d is None:
        return {"definitions": None, "rollups": [], "problems": []}
    return fitness_report(net, d).as_dict()
