"""Rows of a checked private database -> the model objects of a ServiceDocument.

Split from reader.py, which decides whether a file may be read at all; this module
only runs once it may. Service-level records (few, typed by people) go through their
pydantic models, so a bad value fails with pydantic's reason, named by table, column
and row. Map elements (thousands) are built straight from rows whose every value
``checks.find_bad_value`` has already checked in SQL: no per-element pydantic cost.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from osom_desktop.model.service import (
    Assessment,
    Budget,
    AssessmentAction,
    Contract,
    ContractChange,
    CorrectionOfError,
    CorrectiveAction,
    CriterionResult,
    MandateRecord,
    UnmetNeed,
    Dependency,
    GuidanceDecision,
    GuidanceItem,
    Measure,
    RecordedValue,
    Revision,
    Service,
)
from osom_desktop.model.wardley import (
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    Pipeline,
    RawKind,
    RawLine,
    ServiceRef,
    Url,
    WardleyMap,
)
from osom_desktop.storage import schema as s
from osom_desktop.storage.checks import FileProblem, find_bad_value
from osom_desktop.storage.errors import shown
from osom_desktop.storage.limits import json_depth
from osom_desktop.storage.owm_text import read_owm_text

M = TypeVar("M", bound=BaseModel)
Rows = list[tuple[Any, ...]]
# map.evolution_labels: four stage names as a JSON list; 10,000 characters is plenty.
MAX_LABELS_JSON = 10_000


# -- rows -----------------------------------------------------------------------------


def fetch(conn: sqlite3.Connection, table: s.Table) -> Rows:
    """All rows of ``table``, checked, in list order (``position``, or the key)."""
    problem = find_bad_value(conn, table)
    if problem is not None:
        raise FileProblem(problem)
    names = table.column_names
    order = ", ".join(s.quote(k) for k in (["position"] if "position" in names else list(table.key_columns)))
    select = ", ".join(c.select_sql() for c in table.columns)
    try:
        return conn.execute(f"SELECT {select} FROM {s.quote(table.name)} ORDER BY {order}").fetchall()
    except sqlite3.OperationalError as exc:
        if "decode" in str(exc).lower():
            raise FileProblem(f"bad value in table {table.name}: text that is not valid UTF-8") from None
        raise


def unique_ids(table: s.Table, ids: list[Any]) -> None:
    if len(set(ids)) != len(ids):
        seen: set[Any] = set()
        for i in ids:
            if i in seen:
                raise FileProblem(f"bad value in {table.name}.id: two rows have the id {shown(i)}")
            seen.add(i)


def one_row(table: s.Table, rows: Rows) -> tuple[Any, ...]:
    if len(rows) != 1:
        raise FileProblem(f"bad table {table.name}: expected one row, found {len(rows)}")
    return rows[0]


def validated(
    model: type[M],
    values: dict[str, Any],
    table: s.Table,
    key: str,
    column_for: Callable[[tuple[int | str, ...]], str] | None = None,
) -> M:
    """``model.model_validate(values)`` with errors naming the table, column and row."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        column = column_for(loc) if column_for else str(loc[0]) if loc else "?"
        raise FileProblem(f"bad value in {table.name}.{column} ({key}): {err['msg']} (got {shown(err.get('input'))})") from None


def children(table: s.Table, rows: Rows, parents: set[str], parent: str) -> dict[str, Rows]:
    """Rows of a child table (first column = parent id) grouped by parent, in order."""
    grouped: dict[str, Rows] = defaultdict(list)
    for row in rows:
        if row[0] not in parents:
            raise FileProblem(f"bad value in {table.name}.{table.columns[0].name}: no {parent} has the id {shown(row[0])}")
        grouped[row[0]].append(row)
    return grouped


def read_service(conn: sqlite3.Connection) -> tuple[Service, Contract]:
    sid, name, manager, lifecycle = one_row(s.SERVICE, fetch(conn, s.SERVICE))
    service = validated(Service, {"id": sid, "name": name, "manager": manager, "lifecycle": lifecycle}, s.SERVICE, f"id {shown(sid)}")
    c = one_row(s.CONTRACT, fetch(conn, s.CONTRACT))
    if c[0] != service.id:
        raise FileProblem(f"bad value in contract.service_id: {shown(c[0])} is not the service's id {shown(service.id)}")

    needs = [r[1] for r in fetch(conn, s.USER_NEEDS)]

    measure_rows = fetch(conn, s.MEASURES)
    unique_ids(s.MEASURES, [r[0] for r in measure_rows])
    values = children(s.MEASURE_VALUES, fetch(conn, s.MEASURE_VALUES), {r[0] for r in measure_rows}, "measure")
    measures = []
    for mid, _pos, mname, unit, target, direction, frequency, cost in measure_rows:
        recorded = [
            validated(
                RecordedValue,
                {"date": date, "value": value, "note": note},
                s.MEASURE_VALUES,
                f"measure_id {shown(mid)}, position {pos}",
            )
            for _m, pos, date, value, note in values.get(mid, ())
        ]
        measures.append(
            validated(
                Measure,
                {"id": mid, "name": mname, "unit": unit, "target": target, "direction": direction, "values": recorded,
                 "frequency": frequency, "cost": bool(cost)},
                s.MEASURES,
                f"id {shown(mid)}",
            )
        )

    dep_rows = fetch(conn, s.DEPENDENCIES)
    unique_ids(s.DEPENDENCIES, [r[0] for r in dep_rows])
    dependencies = [
        validated(
            Dependency,
            {"id": did, "service_name": sname, "service_id": service_id, "description": desc},
            s.DEPENDENCIES,
            f"id {shown(did)}",
        )
        for did, _pos, sname, service_id, desc in dep_rows
    ]
    contract = validated(
        Contract,
        {
            "purpose": c[1],
            "user_needs": needs,
            "evolution_stage": c[2],
            "usage": c[3],
            "expectations_success": c[4],
            "expectations_failure": c[5],
            "help": c[6],
            "measures": measures,
            "dependencies": dependencies,
        },
        s.CONTRACT,
        f"service_id {shown(c[0])}",
    )
    return service, contract


def read_snapshot(text: str | None, key: str) -> WardleyMap | None:
    """``assessments.map_snapshot`` (JSON text or NULL, type already checked) -> a map."""
    if text is None:
        return None
    try:
        # pydantic's parser stops at a nesting depth of its own (a ValidationError);
        # RecursionError too in case a pydantic version builds nested models recursively.
        return s.MAP_JSON.validate_json(text)
    except RecursionError:
        raise FileProblem(f"bad value in {s.ASSESSMENTS.name}.map_snapshot ({key}): nested too deeply") from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        at = f" at {where}" if where else ""
        raise FileProblem(f"bad value in {s.ASSESSMENTS.name}.map_snapshot ({key}): {err['msg']}{at}") from None


def read_records(conn: sqlite3.Connection) -> tuple[list[GuidanceDecision], list[Assessment], list[ContractChange]]:
    decisions = []
    rows = fetch(conn, s.DECISIONS)
    unique_ids(s.DECISIONS, [r[0] for r in rows])
    for r in rows:
        key = f"id {shown(r[0])}"
        guidance = validated(
            GuidanceItem,
            {"id": r[2], "version": r[3], "title": r[4], "text": r[5], "source": r[6], "published": r[7]},
            s.DECISIONS,
            key,
            lambda loc: "guidance_" + str(loc[0]),
        )
        decisions.append(
            validated(
                GuidanceDecision,
                {
                    "id": r[0],
                    "guidance": guidance,
                    "status": r[8],
                    "reason": r[9],
                    "alternative": r[10],
                    "accepted_risk": r[11],
                    "decided_by": r[12],
                    "decided_on": r[13],
                    "review_by": r[14],
                },
                s.DECISIONS,
                key,
            )
        )

    rows = fetch(conn, s.ASSESSMENTS)
    unique_ids(s.ASSESSMENTS, [r[0] for r in rows])
    assessors = children(s.ASSESSORS, fetch(conn, s.ASSESSORS), {r[0] for r in rows}, "assessment")
    results, actions = read_assessment_parts(conn, {r[0] for r in rows})
    assessments = [
        validated(
            Assessment,
            {
                "id": aid,
                "date": date,
                "kind": kind,
                "from_stage": from_stage,
                "to_stage": to_stage,
                "outcome": outcome,
                "assessors": [a[2] for a in assessors.get(aid, ())],
                "notes": notes,
                "map_revision": map_revision,
                "map_snapshot": read_snapshot(snapshot, f"id {shown(aid)}"),
                "scale": scale,
                "stage_outcome": stage_outcome,
                "results": results.get(aid, []),
                "actions": actions.get(aid, []),
            },
            s.ASSESSMENTS,
            f"id {shown(aid)}",
        )
        for aid, _pos, date, kind, from_stage, to_stage, outcome, notes, map_revision, snapshot, scale, stage_outcome in rows
    ]

    rows = fetch(conn, s.CONTRACT_CHANGES)
    unique_ids(s.CONTRACT_CHANGES, [r[0] for r in rows])
    changes = [
        validated(
            ContractChange,
            {"id": cid, "date": date, "reason": reason, "summary": summary, "author": author},
            s.CONTRACT_CHANGES,
            f"id {shown(cid)}",
        )
        for cid, _pos, date, reason, summary, author in rows
    ]
    return decisions, assessments, changes


def read_assessment_parts(
    conn: sqlite3.Connection, assessment_ids: set[str]
) -> tuple[dict[str, list[CriterionResult]], dict[str, list[AssessmentAction]]]:
    """Criterion results and actions (version 4), grouped by assessment."""
    results: dict[str, list[CriterionResult]] = defaultdict(list)
    for aid, group in children(s.ASSESSMENT_RESULTS, fetch(conn, s.ASSESSMENT_RESULTS), assessment_ids, "assessment").items():
        for _a, pos, cid, cset, title, decision, done_well, to_improve in group:
            values = {"criterion_id": cid, "criteria_set": cset, "title": title, "decision": decision,
                      "done_well": done_well, "to_improve": to_improve}
            results[aid].append(validated(CriterionResult, values, s.ASSESSMENT_RESULTS,
                                          f"assessment_id {shown(aid)}, position {pos}"))
    action_rows = fetch(conn, s.ASSESSMENT_ACTIONS)
    unique_ids(s.ASSESSMENT_ACTIONS, [r[0] for r in action_rows])
    actions: dict[str, list[AssessmentAction]] = defaultdict(list)
    # The parent is the second column here (the action has its own id first).
    for xid, aid, _pos, text, owner, due, cid, closed_on, note in action_rows:
        if aid not in assessment_ids:
            raise FileProblem(f"bad value in {s.ASSESSMENT_ACTIONS.name}.assessment_id: no assessment has the id {shown(aid)}")
        values = {"id": xid, "text": text, "owner": owner, "due": due, "criterion_id": cid, "closed_on": closed_on,
                  "closing_note": note}
        actions[aid].append(validated(AssessmentAction, values, s.ASSESSMENT_ACTIONS, f"id {shown(xid)}"))
    return results, actions


def read_governance(conn: sqlite3.Connection) -> tuple[list[CorrectionOfError], list[MandateRecord], list[UnmetNeed]]:
    """Correction of Error documents, mandates and unmet needs (version 4)."""
    rows = fetch(conn, s.COES)
    unique_ids(s.COES, [r[0] for r in rows])
    coe_actions = children(s.COE_ACTIONS, fetch(conn, s.COE_ACTIONS), {r[0] for r in rows}, "CoE")
    names = [c.name for c in s.COES.columns]
    coes = []
    for r in rows:
        key = f"id {shown(r[0])}"
        values = {n: v for n, v in zip(names, r, strict=True) if n != "position"}
        values["actions"] = [
            validated(CorrectiveAction, {"text": text, "status": status, "date": date}, s.COE_ACTIONS,
                      f"coe_id {shown(cid)}, position {pos}")
            for cid, pos, text, status, date in coe_actions.get(r[0], ())
        ]
        coes.append(validated(CorrectionOfError, values, s.COES, key))

    rows = fetch(conn, s.MANDATES)
    unique_ids(s.MANDATES, [r[0] for r in rows])
    components = children(s.MANDATE_COMPONENTS, fetch(conn, s.MANDATE_COMPONENTS), {r[0] for r in rows}, "mandate")
    names = [c.name for c in s.MANDATES.columns]
    mandates = []
    for r in rows:
        values = {n: v for n, v in zip(names, r, strict=True) if n != "position"}
        values["components"] = [c[2] for c in components.get(r[0], ())]
        mandates.append(validated(MandateRecord, values, s.MANDATES, f"id {shown(r[0])}"))

    rows = fetch(conn, s.UNMET_NEEDS)
    unique_ids(s.UNMET_NEEDS, [r[0] for r in rows])
    needs = [
        validated(UnmetNeed, {"id": uid, "need": need, "asked_by": by, "noted_on": on, "note": note}, s.UNMET_NEEDS,
                  f"id {shown(uid)}")
        for uid, _pos, need, by, on, note in rows
    ]
    return coes, mandates, needs


def read_revisions(conn: sqlite3.Connection) -> list[Revision]:
    return [
        validated(
            Revision,
            {"number": n, "saved_at": at, "author": author, "summary": summary, "fingerprint": fp},
            s.REVISIONS,
            f"number {n}",
        )
        for n, at, author, summary, fp in fetch(conn, s.REVISIONS)
    ]


# Values were checked by SQL (types, enum values, 0/1), so these look-ups cannot fail.
_KIND = {e.value: e for e in ComponentKind}
_METHOD: dict[str | None, Method | None] = {None: None, **{e.value: e for e in Method}}
_FLOW: dict[str | None, FlowDirection | None] = {None: None, **{e.value: e for e in FlowDirection}}
_AREA = {e.value: e for e in AreaKind}
_ACCEL = {e.value: e for e in AcceleratorKind}
_RAW = {e.value: e for e in RawKind}
_BOOL = (False, True)


def _offset(dx: float | None, dy: float | None, table: s.Table, column: str, key: Any) -> Offset | None:
    if dx is None and dy is None:
        return None
    if dx is None or dy is None:
        raise FileProblem(f"bad value in {table.name}.{column}_dx/{column}_dy (id {shown(key)}): both or neither must be set")
    return Offset(dx, dy)


def read_labels(labels_json: str | None) -> list[str] | None:
    """``map.evolution_labels`` (JSON text or NULL, type already checked) -> the labels."""
    if labels_json is None:
        return None
    labels: object = None
    # Four short labels: anything long or nested is refused before json.loads,
    # whose C parser recurses once per level (RecursionError on "[[[[...").
    if len(labels_json) <= MAX_LABELS_JSON and json_depth(labels_json) <= 1:
        try:
            labels = json.loads(labels_json)
        except (ValueError, RecursionError):
            labels = None
    if not (isinstance(labels, list) and all(isinstance(x, str) for x in labels)):
        raise FileProblem(f"bad value in map.evolution_labels: expected a JSON list of texts (got {shown(labels_json)})")
    return labels


def read_map(conn: sqlite3.Connection, service_id: str) -> WardleyMap:
    """Map elements built straight from checked rows: no per-element pydantic cost."""
    sid, title, labels_json, style, legend_v, legend_e = one_row(s.MAP, fetch(conn, s.MAP))
    if sid != service_id:
        raise FileProblem(f"bad value in map.service_id: {shown(sid)} is not the service's id {shown(service_id)}")
    labels = read_labels(labels_json)
    if (legend_v is None) != (legend_e is None):
        raise FileProblem("bad value in map.annotations_legend_visibility/_evolution: both or neither must be set")
    legend = None if legend_v is None else (legend_v, legend_e)

    components = []
    for r in fetch(conn, s.COMPONENTS):
        evolve = None
        if r[12] is not None:
            evolve = Evolve(
                evolution=r[12],
                name=r[13],
                label=_offset(r[14], r[15], s.COMPONENTS, "evolve_label", r[0]),
                method=_METHOD[r[16]],
                market=r[17] == 1,
                ecosystem=r[18] == 1,
            )
        components.append(
            Component(
                id=r[0],
                name=r[2],
                kind=_KIND[r[3]],
                visibility=r[4],
                evolution=r[5],
                label=None if r[6] is None and r[7] is None else _offset(r[6], r[7], s.COMPONENTS, "label", r[0]),
                method=_METHOD[r[8]],
                inertia=_BOOL[r[9]],
                market=_BOOL[r[10]],
                ecosystem=_BOOL[r[11]],
                evolve=evolve,
                url_ref=r[19],
                pipeline_id=r[20],
                description=r[21],
                provided_by=None if r[22] is None else ServiceRef(r[22], r[23]),
            )
        )
    unique_ids(s.COMPONENTS, [c.id for c in components])

    links = [
        Link(
            id=r[0],
            source=r[2],
            target=r[3],
            context=r[4],
            flow=_FLOW[r[5]],
            flow_value=r[6],
            source_evolved=_BOOL[r[7]],
            target_evolved=_BOOL[r[8]],
        )
        for r in fetch(conn, s.LINKS)
    ]
    unique_ids(s.LINKS, [lk.id for lk in links])
    pipelines = [
        Pipeline(id=r[0], component_id=r[2], start=r[3], end=r[4], block=_BOOL[r[5]]) for r in fetch(conn, s.PIPELINES)
    ]
    unique_ids(s.PIPELINES, [p.id for p in pipelines])
    notes = [Note(id=r[0], text=r[2], visibility=r[3], evolution=r[4]) for r in fetch(conn, s.NOTES)]
    unique_ids(s.NOTES, [n.id for n in notes])

    annotation_rows = fetch(conn, s.ANNOTATIONS)
    unique_ids(s.ANNOTATIONS, [r[0] for r in annotation_rows])
    points = children(s.ANNOTATION_POINTS, fetch(conn, s.ANNOTATION_POINTS), {r[0] for r in annotation_rows}, "annotation")
    annotations = [
        Annotation(id=r[0], number=r[2], points=[(p[2], p[3]) for p in points.get(r[0], ())], text=r[3])
        for r in annotation_rows
    ]
    areas = [
        Area(id=r[0], kind=_AREA[r[2]], top=r[3], left=r[4], bottom=r[5], right=r[6]) for r in fetch(conn, s.AREAS)
    ]
    unique_ids(s.AREAS, [a.id for a in areas])
    accelerators = [
        Accelerator(id=r[0], kind=_ACCEL[r[2]], name=r[3], visibility=r[4], evolution=r[5])
        for r in fetch(conn, s.ACCELERATORS)
    ]
    unique_ids(s.ACCELERATORS, [a.id for a in accelerators])
    urls = [Url(id=r[0], name=r[2], url=r[3]) for r in fetch(conn, s.URLS)]
    unique_ids(s.URLS, [u.id for u in urls])
    raw_lines = [RawLine(id=r[0], text=r[2], kind=_RAW[r[3]]) for r in fetch(conn, s.RAW_LINES)]
    unique_ids(s.RAW_LINES, [r.id for r in raw_lines])
    layout = [r[1] for r in fetch(conn, s.LAYOUT)]
    return WardleyMap(
        title=title,
        evolution_labels=labels,
        style=style,
        annotations_legend=legend,
        components=components,
        links=links,
        pipelines=pipelines,
        notes=notes,
        annotations=annotations,
        areas=areas,
        accelerators=accelerators,
        urls=urls,
        raw_lines=raw_lines,
        layout=layout,
        **read_owm_text(conn, service_id),
    )




def read_file_info(conn: sqlite3.Connection) -> dict[str, str]:
    return {key: value for key, value in fetch(conn, s.FILE_INFO)}


def read_budgets(conn: sqlite3.Connection) -> list[Budget]:
    """Version 5: the budgets the executive allocated (an older file has none)."""
    rows = fetch(conn, s.BUDGETS)
    unique_ids(s.BUDGETS, [r[0] for r in rows])
    return [
        validated(Budget, {"id": bid, "start": start, "end": end, "amount": amount, "unit": unit,
                           "allocated_by": by, "note": note}, s.BUDGETS, f"id {shown(bid)}")
        for bid, _pos, start, end, amount, unit, by, note in rows
    ]
