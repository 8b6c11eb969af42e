"""Rows of a checked private database -> the model objects of a ServiceDocument.

Split from reader.py, which decides whether a file may be read at all; this module
only runs once it may. Service-level records (few, typed by people) go through their
pydantic models, so a bad value fails with pydantic's reason, named by table, column
and row. Map elements (thousands) are built straight from rows whose every value
``checks.find_bad_value`` has already checked in SQL: no per-element pydantic cost.

Every value is read by its column's name (``row["evolve_evolution"]``): the columns
and their order are declared once, in schema.py, and nothing here depends on that
order (tests/storage/test_by_name.py reorders them to prove it).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

from pydantic import BaseModel, ValidationError

from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    Budget,
    Contract,
    ContractChange,
    CorrectionOfError,
    CorrectiveAction,
    CriterionResult,
    Dependency,
    GuidanceDecision,
    GuidanceItem,
    MandateRecord,
    Measure,
    RecordedValue,
    Revision,
    Service,
    ServiceDocument,
    UnmetNeed,
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


class Row(Protocol):
    """A row looked up by column name: the ``{column: value}`` dicts ``fetch`` gives (every
    table but the big ones), or a ``sqlite3.Row`` (network_read). Not sqlite3.Row here: as
    a row factory it costs ~0.7 us a row, a third more on a 16,000-component open."""

    def __getitem__(self, column: str, /) -> Any: ...


Rows = Sequence[Row]
# A row's values in select order, for the big tables: taken out by name with
# schema.Table.getter, never by a position written here.
Values = list[tuple[Any, ...]]
# map.evolution_labels: four stage names as a JSON list; 10,000 characters is plenty.
MAX_LABELS_JSON = 10_000


# -- rows -----------------------------------------------------------------------------


def fetch(conn: sqlite3.Connection, table: s.Table) -> list[dict[str, Any]]:
    """All rows of ``table``, checked, in list order (``position``, or the key), each as
    ``{column: value}``."""
    names = table.column_names
    return [dict(zip(names, values, strict=True)) for values in fetch_values(conn, table)]


def fetch_values(conn: sqlite3.Connection, table: s.Table) -> Values:
    """As ``fetch``, each row a tuple in select order: for the tables with thousands of
    rows, whose columns are taken out with ``table.getter(name, ...)``."""
    problem = find_bad_value(conn, table)
    if problem is not None:
        raise FileProblem(problem)
    try:
        return conn.execute(table.select_sql()).fetchall()
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


def pick(row: Row, *names: str) -> dict[str, Any]:
    """``{name: row[name]}`` for the columns that are also the model's field names."""
    return {name: row[name] for name in names}


def one_row(table: s.Table, rows: Rows) -> Row:
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


def validated_assessments(values: list[dict[str, Any]]) -> list[Assessment]:
    """Assessment rows, validated by the Assessment model inside ServiceDocument's
    validator: the same class and rules as ``Assessment.model_validate``, but the
    validator the document needs anyway, so the map's schema (in every assessment's
    snapshot and in the document) is generated once, not twice: ~10 ms of each
    ``osom check`` process (issue 11). Errors name the table, column and row as
    ``validated``'s do."""
    try:
        return ServiceDocument.model_validate({"assessments": values}).assessments
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])  # ("assessments", row index, field, ...)
        column = str(loc[2]) if len(loc) > 2 else "?"
        key = f"id {shown(values[loc[1]]['id'])}" if len(loc) > 1 and isinstance(loc[1], int) else "?"
        raise FileProblem(
            f"bad value in {s.ASSESSMENTS.name}.{column} ({key}): {err['msg']} (got {shown(err.get('input'))})"
        ) from None


def children(table: s.Table, rows: Rows, parents: set[str], parent: str, column: str) -> dict[str, list[Row]]:
    """Rows of a child table grouped by their parent's id (in ``column``), in order."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        key = row[column]
        if key not in parents:
            raise FileProblem(f"bad value in {table.name}.{column}: no {parent} has the id {shown(key)}")
        grouped[key].append(row)
    return grouped


def ids(rows: Rows) -> list[Any]:
    return [r["id"] for r in rows]


def read_service(conn: sqlite3.Connection) -> tuple[Service, Contract]:
    sv = one_row(s.SERVICE, fetch(conn, s.SERVICE))
    service = validated(Service, pick(sv, "id", "name", "manager", "lifecycle"), s.SERVICE, f"id {shown(sv['id'])}")
    c = one_row(s.CONTRACT, fetch(conn, s.CONTRACT))
    if c["service_id"] != service.id:
        raise FileProblem(
            f"bad value in contract.service_id: {shown(c['service_id'])} is not the service's id {shown(service.id)}"
        )

    needs = [r["text"] for r in fetch(conn, s.USER_NEEDS)]

    measure_rows = fetch(conn, s.MEASURES)
    unique_ids(s.MEASURES, ids(measure_rows))
    values = children(s.MEASURE_VALUES, fetch(conn, s.MEASURE_VALUES), set(ids(measure_rows)), "measure", "measure_id")
    measures = []
    for m in measure_rows:
        mid = m["id"]
        recorded = [
            validated(
                RecordedValue,
                pick(v, "date", "value", "note"),
                s.MEASURE_VALUES,
                f"measure_id {shown(mid)}, position {v['position']}",
            )
            for v in values.get(mid, ())
        ]
        measures.append(
            validated(
                Measure,
                {**pick(m, "id", "name", "unit", "target", "direction", "frequency"), "values": recorded,
                 "cost": bool(m["cost"])},
                s.MEASURES,
                f"id {shown(mid)}",
            )
        )

    dep_rows = fetch(conn, s.DEPENDENCIES)
    unique_ids(s.DEPENDENCIES, ids(dep_rows))
    dependencies = [
        validated(Dependency, pick(d, "id", "service_name", "service_id", "description"), s.DEPENDENCIES,
                  f"id {shown(d['id'])}")
        for d in dep_rows
    ]
    contract = validated(
        Contract,
        {
            **pick(c, "purpose", "evolution_stage", "usage", "expectations_success", "expectations_failure", "help"),
            "user_needs": needs,
            "measures": measures,
            "dependencies": dependencies,
        },
        s.CONTRACT,
        f"service_id {shown(c['service_id'])}",
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
    unique_ids(s.DECISIONS, ids(rows))
    for r in rows:
        key = f"id {shown(r['id'])}"
        guidance = validated(
            GuidanceItem,
            # The snapshot of the guidance item: its fields are the guidance_* columns.
            {field: r["guidance_" + field] for field in ("id", "version", "title", "text", "source", "published")},
            s.DECISIONS,
            key,
            lambda loc: "guidance_" + str(loc[0]),
        )
        decisions.append(
            validated(
                GuidanceDecision,
                {
                    **pick(r, "id", "status", "reason", "alternative", "accepted_risk", "decided_by", "decided_on",
                           "review_by"),
                    "guidance": guidance,
                },
                s.DECISIONS,
                key,
            )
        )

    rows = fetch(conn, s.ASSESSMENTS)
    unique_ids(s.ASSESSMENTS, ids(rows))
    assessors = children(s.ASSESSORS, fetch(conn, s.ASSESSORS), set(ids(rows)), "assessment", "assessment_id")
    results, actions = read_assessment_parts(conn, set(ids(rows)))
    assessments = validated_assessments([
        {
            **pick(r, "id", "date", "kind", "from_stage", "to_stage", "outcome", "notes", "map_revision", "scale",
                   "stage_outcome"),
            "assessors": [a["name"] for a in assessors.get(r["id"], ())],
            "map_snapshot": read_snapshot(r["map_snapshot"], f"id {shown(r['id'])}"),
            "results": results.get(r["id"], []),
            "actions": actions.get(r["id"], []),
        }
        for r in rows
    ])

    rows = fetch(conn, s.CONTRACT_CHANGES)
    unique_ids(s.CONTRACT_CHANGES, ids(rows))
    changes = [
        validated(ContractChange, pick(r, "id", "date", "reason", "summary", "author"), s.CONTRACT_CHANGES,
                  f"id {shown(r['id'])}")
        for r in rows
    ]
    return decisions, assessments, changes


def read_assessment_parts(
    conn: sqlite3.Connection, assessment_ids: set[str]
) -> tuple[dict[str, list[CriterionResult]], dict[str, list[AssessmentAction]]]:
    """Criterion results and actions (version 4), grouped by assessment."""
    results: dict[str, list[CriterionResult]] = defaultdict(list)
    result_rows = fetch(conn, s.ASSESSMENT_RESULTS)
    for aid, group in children(s.ASSESSMENT_RESULTS, result_rows, assessment_ids, "assessment", "assessment_id").items():
        for r in group:
            values = pick(r, "criterion_id", "criteria_set", "title", "decision", "done_well", "to_improve")
            results[aid].append(validated(CriterionResult, values, s.ASSESSMENT_RESULTS,
                                          f"assessment_id {shown(aid)}, position {r['position']}"))
    action_rows = fetch(conn, s.ASSESSMENT_ACTIONS)
    unique_ids(s.ASSESSMENT_ACTIONS, ids(action_rows))
    actions: dict[str, list[AssessmentAction]] = defaultdict(list)
    for aid, group in children(s.ASSESSMENT_ACTIONS, action_rows, assessment_ids, "assessment", "assessment_id").items():
        for r in group:
            values = pick(r, "id", "text", "owner", "due", "criterion_id", "closed_on", "closing_note")
            actions[aid].append(validated(AssessmentAction, values, s.ASSESSMENT_ACTIONS, f"id {shown(r['id'])}"))
    return results, actions


def read_governance(conn: sqlite3.Connection) -> tuple[list[CorrectionOfError], list[MandateRecord], list[UnmetNeed]]:
    """Correction of Error documents, mandates and unmet needs (version 4)."""
    rows = fetch(conn, s.COES)
    unique_ids(s.COES, ids(rows))
    coe_actions = children(s.COE_ACTIONS, fetch(conn, s.COE_ACTIONS), set(ids(rows)), "CoE", "coe_id")
    # A CoE's fields are its columns, all but the list position.
    coe_fields = [n for n in s.COES.column_names if n != "position"]
    coes = []
    for r in rows:
        values = pick(r, *coe_fields)
        values["actions"] = [
            validated(CorrectiveAction, pick(x, "text", "status", "date"), s.COE_ACTIONS,
                      f"coe_id {shown(r['id'])}, position {x['position']}")
            for x in coe_actions.get(r["id"], ())
        ]
        coes.append(validated(CorrectionOfError, values, s.COES, f"id {shown(r['id'])}"))

    rows = fetch(conn, s.MANDATES)
    unique_ids(s.MANDATES, ids(rows))
    components = children(s.MANDATE_COMPONENTS, fetch(conn, s.MANDATE_COMPONENTS), set(ids(rows)), "mandate", "mandate_id")
    mandate_fields = [n for n in s.MANDATES.column_names if n != "position"]
    mandates = []
    for r in rows:
        values = pick(r, *mandate_fields)
        values["components"] = [c["name"] for c in components.get(r["id"], ())]
        mandates.append(validated(MandateRecord, values, s.MANDATES, f"id {shown(r['id'])}"))

    rows = fetch(conn, s.UNMET_NEEDS)
    unique_ids(s.UNMET_NEEDS, ids(rows))
    needs = [
        validated(UnmetNeed, pick(r, "id", "need", "asked_by", "noted_on", "note"), s.UNMET_NEEDS, f"id {shown(r['id'])}")
        for r in rows
    ]
    return coes, mandates, needs


def read_revisions(conn: sqlite3.Connection) -> list[Revision]:
    return [
        validated(Revision, pick(r, "number", "saved_at", "author", "summary", "fingerprint"), s.REVISIONS,
                  f"number {r['number']}")
        for r in fetch(conn, s.REVISIONS)
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


# The columns of the two big tables, taken out of each row by name in one C call
# (schema.Table.getter) and unpacked below in this order: the order of schema.py does
# not matter, only that each unpacking lists the same names as its tuple here.
_COMPONENT_COLUMNS = (
    "id", "name", "kind", "visibility", "evolution", "label_dx", "label_dy", "method", "inertia", "market",
    "ecosystem", "evolve_evolution", "evolve_name", "evolve_label_dx", "evolve_label_dy", "evolve_method",
    "evolve_market", "evolve_ecosystem", "url_ref", "pipeline_id", "description", "provided_by_name",
    "provided_by_service_id",
)
_LINK_COLUMNS = ("id", "source", "target", "context", "flow", "flow_value", "source_evolved", "target_evolved")


def build_components(rows: Iterable[Sequence[Any]]) -> list[Component]:
    """``components`` rows (values checked in SQL; tuples in select order, or sqlite3.Row)
    -> Components. Also the network's light read (network_read.py): one mapping of a row."""
    out = []
    for (
        cid, name, kind, visibility, evolution, dx, dy, method, inertia, market,
        ecosystem, ev_evolution, ev_name, ev_dx, ev_dy, ev_method,
        ev_market, ev_ecosystem, url_ref, pipeline_id, description, provider,
        provider_id,
    ) in map(s.COMPONENTS.getter(*_COMPONENT_COLUMNS), rows):
        evolve = None
        if ev_evolution is not None:
            evolve = Evolve(
                evolution=ev_evolution,
                name=ev_name,
                label=_offset(ev_dx, ev_dy, s.COMPONENTS, "evolve_label", cid),
                method=_METHOD[ev_method],
                market=ev_market == 1,
                ecosystem=ev_ecosystem == 1,
            )
        out.append(Component(
            id=cid,
            name=name,
            kind=_KIND[kind],
            visibility=visibility,
            evolution=evolution,
            # Most components have no label offset: skip the call (1,000s per open).
            label=None if dx is None and dy is None else _offset(dx, dy, s.COMPONENTS, "label", cid),
            method=_METHOD[method],
            inertia=_BOOL[inertia],
            market=_BOOL[market],
            ecosystem=_BOOL[ecosystem],
            evolve=evolve,
            url_ref=url_ref,
            pipeline_id=pipeline_id,
            description=description,
            provided_by=None if provider is None else ServiceRef(provider, provider_id),
        ))
    return out


def read_map(conn: sqlite3.Connection, service_id: str) -> WardleyMap:
    """Map elements built straight from checked rows: no per-element pydantic cost.

    Read table by table in a fixed order (the map row, components, links, then the
    rest), so a file with several bad tables is always refused for the same one.
    """
    header = _read_map_row(conn, service_id)
    components = build_components(fetch_values(conn, s.COMPONENTS))
    unique_ids(s.COMPONENTS, [c.id for c in components])
    links = _read_links(conn)
    marks = _read_map_marks(conn)
    others = _read_map_others(conn)
    layout = [slot for slot, _position in map(s.LAYOUT.getter("slot", "position"), fetch_values(conn, s.LAYOUT))]
    return WardleyMap(
        **header,
        components=components,
        links=links,
        **marks,
        **others,
        layout=layout,
        **read_owm_text(conn, service_id),
    )


# What each part of read_map gives to WardleyMap, by name (mypy checks each against the class).
class _MapRow(TypedDict):
    title: str | None
    evolution_labels: list[str] | None
    style: str | None
    annotations_legend: tuple[float, float] | None


class _MapMarks(TypedDict):
    pipelines: list[Pipeline]
    notes: list[Note]
    annotations: list[Annotation]


class _MapOthers(TypedDict):
    areas: list[Area]
    accelerators: list[Accelerator]
    urls: list[Url]
    raw_lines: list[RawLine]


def _read_map_row(conn: sqlite3.Connection, service_id: str) -> _MapRow:
    """The map's one row: title, evolution labels, style and the annotations legend."""
    m = one_row(s.MAP, fetch(conn, s.MAP))
    if m["service_id"] != service_id:
        raise FileProblem(f"bad value in map.service_id: {shown(m['service_id'])} is not the service's id {shown(service_id)}")
    labels = read_labels(m["evolution_labels"])
    legend_v, legend_e = m["annotations_legend_visibility"], m["annotations_legend_evolution"]
    if (legend_v is None) != (legend_e is None):
        raise FileProblem("bad value in map.annotations_legend_visibility/_evolution: both or neither must be set")
    legend = None if legend_v is None else (legend_v, legend_e)
    return {"title": m["title"], "evolution_labels": labels, "style": m["style"], "annotations_legend": legend}


def _read_links(conn: sqlite3.Connection) -> list[Link]:
    links = [
        Link(
            id=lid,
            source=source,
            target=target,
            context=context,
            flow=_FLOW[flow],
            flow_value=flow_value,
            source_evolved=_BOOL[source_evolved],
            target_evolved=_BOOL[target_evolved],
        )
        for lid, source, target, context, flow, flow_value, source_evolved, target_evolved
        in map(s.LINKS.getter(*_LINK_COLUMNS), fetch_values(conn, s.LINKS))
    ]
    unique_ids(s.LINKS, [lk.id for lk in links])
    return links


def _read_map_marks(conn: sqlite3.Connection) -> _MapMarks:
    """Pipelines, notes and annotations (with their points)."""
    pipelines = [
        Pipeline(id=r["id"], component_id=r["component_id"], start=r["start"], end=r["end"], block=_BOOL[r["block"]])
        for r in fetch(conn, s.PIPELINES)
    ]
    unique_ids(s.PIPELINES, [p.id for p in pipelines])
    notes = [
        Note(id=r["id"], text=r["text"], visibility=r["visibility"], evolution=r["evolution"]) for r in fetch(conn, s.NOTES)
    ]
    unique_ids(s.NOTES, [n.id for n in notes])

    annotation_rows = fetch(conn, s.ANNOTATIONS)
    unique_ids(s.ANNOTATIONS, ids(annotation_rows))
    points = children(s.ANNOTATION_POINTS, fetch(conn, s.ANNOTATION_POINTS), set(ids(annotation_rows)), "annotation",
                      "annotation_id")
    annotations = [
        Annotation(
            id=r["id"],
            number=r["number"],
            points=[(p["visibility"], p["evolution"]) for p in points.get(r["id"], ())],
            text=r["text"],
        )
        for r in annotation_rows
    ]
    return {"pipelines": pipelines, "notes": notes, "annotations": annotations}


def _read_map_others(conn: sqlite3.Connection) -> _MapOthers:
    """Areas, accelerators, urls and the lines kept as written."""
    areas = [
        Area(id=r["id"], kind=_AREA[r["kind"]], top=r["top"], left=r["left"], bottom=r["bottom"], right=r["right"])
        for r in fetch(conn, s.AREAS)
    ]
    unique_ids(s.AREAS, [a.id for a in areas])
    accelerators = [
        Accelerator(id=r["id"], kind=_ACCEL[r["kind"]], name=r["name"], visibility=r["visibility"], evolution=r["evolution"])
        for r in fetch(conn, s.ACCELERATORS)
    ]
    unique_ids(s.ACCELERATORS, [a.id for a in accelerators])
    urls = [Url(id=r["id"], name=r["name"], url=r["url"]) for r in fetch(conn, s.URLS)]
    unique_ids(s.URLS, [u.id for u in urls])
    raw_lines = [RawLine(id=r["id"], text=r["text"], kind=_RAW[r["kind"]]) for r in fetch(conn, s.RAW_LINES)]
    unique_ids(s.RAW_LINES, [r.id for r in raw_lines])
    return {"areas": areas, "accelerators": accelerators, "urls": urls, "raw_lines": raw_lines}


def read_file_info(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["key"]: r["value"] for r in fetch(conn, s.FILE_INFO)}


def read_budgets(conn: sqlite3.Connection) -> list[Budget]:
    """Version 5: the budgets the executive allocated (an older file has none)."""
    rows = fetch(conn, s.BUDGETS)
    unique_ids(s.BUDGETS, ids(rows))
    return [
        validated(Budget, pick(r, "id", "start", "end", "amount", "unit", "allocated_by", "note"), s.BUDGETS,
                  f"id {shown(r['id'])}")
        for r in rows
    ]
