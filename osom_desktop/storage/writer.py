"""save_document: a ServiceDocument -> a new ``.osom`` file, replacing the old one whole.

How a save works, and why:

1. The document goes into an in-memory SQLite database (sqlite-utils over a
   connection we configure, no plugins): the schema comes from a template built once
   per process, rows go in with one ``executemany`` per table in one transaction.
   Building in memory means no journal or WAL file ever appears beside the document.
2. The same value checks the reader applies run on that database, so a save cannot
   write a file that opening would refuse (a bad enum, a NaN, a duplicate id fail the
   save instead, naming the table and column, and the old file stays as it was).
3. ``Connection.serialize`` gives the database image; ``atomic.atomic_write_bytes`` puts it
   in place (temp file in the same folder, fsync, ``os.replace``, fsync the folder).
   A rollback-journal database image (never WAL), so the document is one file.
4. Only then is the new Revision appended to ``doc.revisions``: a failed save leaves
   the document exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import repeat
from operator import eq, itemgetter
from typing import Any

import sqlite_utils
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from osom_desktop import __version__
from osom_desktop.model.service import Revision, ServiceDocument
from osom_desktop.model.validation import first_error
from osom_desktop.model.wardley import Component, WardleyMap
from osom_desktop.storage import schema as s
from osom_desktop.storage.atomic import atomic_write_bytes, resolve_target
from osom_desktop.storage.checks import FileProblem, find_bad_value
from osom_desktop.storage.errors import StorageError, shown
from osom_desktop.storage.fingerprint import FINGERPRINT_METHOD, document_fingerprint
from osom_desktop.storage.owm_text import owm_rows

# A row to write: {column name: value}, its values taken out by name when inserted
# (_insert), so nothing here depends on the order of the columns in schema.py.
Row = dict[str, Any]


def new_connection() -> tuple[sqlite3.Connection, sqlite_utils.Database]:
    """A private in-memory connection wrapped by sqlite-utils, with nothing loaded into it.

    ``execute_plugins=False``: sqlite-utils plugins installed on the user's machine
    would otherwise register SQL functions on our connections.
    """
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA trusted_schema = OFF")
    db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
    return conn, db


@cache
def schema_template() -> bytes:
    """An empty database with every table, application_id and user_version set.

    Built once per process with sqlite-utils (``create`` with primary keys, NOT NULL
    and foreign keys), then reused by every save as a serialized image: creating 23
    tables and a foreign key through sqlite-utils' introspection takes milliseconds,
    deserializing the image microseconds.
    """
    conn, db = new_connection()
    conn.execute(f"PRAGMA application_id = {s.APPLICATION_ID:d}")
    conn.execute(f"PRAGMA user_version = {s.SCHEMA_VERSION:d}")
    created: set[str] = set()
    deferred: list[tuple[str, tuple[str, str, str]]] = []
    for table in s.TABLES:
        deferred += _create_table(db, table, created)
        created.add(table.name)
    for name, (column, other, other_column) in deferred:
        db.table(name).add_foreign_key(column, other, other_column)
    conn.commit()
    image = conn.serialize()
    conn.close()
    return image


def _create_table(db: sqlite_utils.Database, table: s.Table, created: set[str]) -> list[tuple[str, tuple[str, str, str]]]:
    """Creates ``table`` with its foreign keys to the tables already ``created`` (or to
    itself); returns the others, to be added once every table exists."""
    now = [fk for fk in table.foreign_keys if fk[1] in created or fk[1] == table.name]
    db.table(table.name).create(
        {c.name: c.sql_type for c in table.columns},
        pk=table.pk,
        foreign_keys=now,
        not_null=[c.name for c in table.columns if not c.nullable],
    )
    return [(table.name, fk) for fk in table.foreign_keys if fk not in now]


# -- rows, table by table ---------------------------------------------------------------
# One {column: value} dict per row, named as in schema.py. Enums are StrEnums and bools
# are ints, so sqlite3 binds both as they are (their string value, 0/1) unconverted.

_NO_EVOLVE: Row = {
    "evolve_evolution": None,
    "evolve_name": None,
    "evolve_label_dx": None,
    "evolve_label_dy": None,
    "evolve_method": None,
    "evolve_market": None,
    "evolve_ecosystem": None,
}


def _component_row(c: Component, position: int) -> Row:
    lb, ev, pb = c.label, c.evolve, c.provided_by
    if ev is None:
        evolve = _NO_EVOLVE
    else:
        el = ev.label
        evolve = {
            "evolve_evolution": ev.evolution,
            "evolve_name": ev.name,
            "evolve_label_dx": None if el is None else el.dx,
            "evolve_label_dy": None if el is None else el.dy,
            "evolve_method": ev.method,
            "evolve_market": ev.market,
            "evolve_ecosystem": ev.ecosystem,
        }
    return {
        "id": c.id,
        "position": position,
        "name": c.name,
        "kind": c.kind,
        "visibility": c.visibility,
        "evolution": c.evolution,
        "label_dx": None if lb is None else lb.dx,
        "label_dy": None if lb is None else lb.dy,
        "method": c.method,
        "inertia": c.inertia,
        "market": c.market,
        "ecosystem": c.ecosystem,
        **evolve,
        "url_ref": c.url_ref,
        "pipeline_id": c.pipeline_id,
        "description": c.description,
        "provided_by_name": None if pb is None else pb.name,
        "provided_by_service_id": None if pb is None else pb.service_id,
    }


def _map_rows(m: WardleyMap, service_id: str) -> dict[str, list[Row]]:
    return {"map": [_map_row(m, service_id)], **_map_drawn_rows(m), **_map_other_rows(m)}


def _map_row(m: WardleyMap, service_id: str) -> Row:
    legend = m.annotations_legend
    return {
        "service_id": service_id,
        "title": m.title,
        "evolution_labels": (
            None if m.evolution_labels is None else json.dumps(list(m.evolution_labels), ensure_ascii=False)
        ),
        "style": m.style,
        "annotations_legend_visibility": None if legend is None else legend[0],
        "annotations_legend_evolution": None if legend is None else legend[1],
    }


def _map_drawn_rows(m: WardleyMap) -> dict[str, list[Row]]:
    """Components, links, pipelines, notes and annotations: what the map draws."""
    return {
        "components": [_component_row(c, i) for i, c in enumerate(m.components)],
        "links": [
            {"id": lk.id, "position": i, "source": lk.source, "target": lk.target, "context": lk.context,
             "flow": lk.flow, "flow_value": lk.flow_value, "source_evolved": lk.source_evolved,
             "target_evolved": lk.target_evolved}
            for i, lk in enumerate(m.links)
        ],
        "pipelines": [
            {"id": p.id, "position": i, "component_id": p.component_id, "start": p.start, "end": p.end, "block": p.block}
            for i, p in enumerate(m.pipelines)
        ],
        "notes": [
            {"id": n.id, "position": i, "text": n.text, "visibility": n.visibility, "evolution": n.evolution}
            for i, n in enumerate(m.notes)
        ],
        "annotations": [
            {"id": a.id, "position": i, "number": a.number, "text": a.text} for i, a in enumerate(m.annotations)
        ],
        "annotation_points": [
            {"annotation_id": a.id, "position": j, "visibility": v, "evolution": e}
            for a in m.annotations
            for j, (v, e) in enumerate(a.points)
        ],
    }


def _map_other_rows(m: WardleyMap) -> dict[str, list[Row]]:
    """Areas, accelerators, urls, the lines kept as written and the layout."""
    return {
        "areas": [
            {"id": a.id, "position": i, "kind": a.kind, "top": a.top, "left": a.left, "bottom": a.bottom,
             "right": a.right}
            for i, a in enumerate(m.areas)
        ],
        "accelerators": [
            {"id": a.id, "position": i, "kind": a.kind, "name": a.name, "visibility": a.visibility,
             "evolution": a.evolution}
            for i, a in enumerate(m.accelerators)
        ],
        "urls": [{"id": u.id, "position": i, "name": u.name, "url": u.url} for i, u in enumerate(m.urls)],
        "raw_lines": [{"id": r.id, "position": i, "text": r.text, "kind": r.kind} for i, r in enumerate(m.raw_lines)],
        "layout": [{"position": i, "slot": slot} for i, slot in enumerate(m.layout)],
    }


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def document_rows(doc: ServiceDocument, revisions: Sequence[Revision]) -> dict[str, list[Row]]:
    """Every table's rows for ``doc`` with ``revisions`` as its history."""
    rows: dict[str, list[Row]] = {
        **_service_rows(doc),
        **_guidance_rows(doc),
        **governance_rows(doc),
        **_history_rows(doc, revisions),
    }
    rows.update(_map_rows(doc.map, doc.service.id))
    rows.update(owm_rows(doc.map, doc.service.id))
    return rows


def _service_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """The file's own facts, the service and its contract (needs, measures, dependencies)."""
    sv, ct = doc.service, doc.contract
    return {
        "file_info": [
            {"key": "format", "value": "OSOM service file (see the service, contract, map and components tables)"},
            {"key": "written_by", "value": f"OSOM Desktop {__version__}"},
            {"key": "fingerprint", "value": FINGERPRINT_METHOD},
        ],
        "service": [{"id": sv.id, "name": sv.name, "manager": sv.manager, "lifecycle": sv.lifecycle}],
        "contract": [
            {
                "service_id": sv.id,
                "purpose": ct.purpose,
                "evolution_stage": ct.evolution_stage,
                "usage": ct.usage,
                "expectations_success": ct.expectations_success,
                "expectations_failure": ct.expectations_failure,
                "help": ct.help,
            }
        ],
        "user_needs": [{"position": i, "text": need} for i, need in enumerate(ct.user_needs)],
        "measures": [
            {"id": m.id, "position": i, "name": m.name, "unit": m.unit, "target": m.target, "direction": m.direction,
             "frequency": m.frequency, "cost": int(m.cost)}
            for i, m in enumerate(ct.measures)
        ],
        "measure_values": [
            {"measure_id": m.id, "position": j, "date": v.date.isoformat(), "value": v.value, "note": v.note}
            for m in ct.measures
            for j, v in enumerate(m.values)
        ],
        "dependencies": [
            {"id": d.id, "position": i, "service_name": d.service_name, "service_id": d.service_id,
             "description": d.description}
            for i, d in enumerate(ct.dependencies)
        ],
    }


def _guidance_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """Decisions on guidance and assessments with their assessors."""
    return {
        "decisions": [
            {
                "id": d.id,
                "position": i,
                "guidance_id": d.guidance.id,
                "guidance_version": d.guidance.version,
                "guidance_title": d.guidance.title,
                "guidance_text": d.guidance.text,
                "guidance_source": d.guidance.source,
                "guidance_published": _date(d.guidance.published),
                "status": d.status,
                "reason": d.reason,
                "alternative": d.alternative,
                "accepted_risk": d.accepted_risk,
                "decided_by": d.decided_by,
                "decided_on": d.decided_on.isoformat(),
                "review_by": _date(d.review_by),
            }
            for i, d in enumerate(doc.decisions)
        ],
        "assessments": [
            {
                "id": a.id,
                "position": i,
                "date": a.date.isoformat(),
                "kind": a.kind,
                "from_stage": a.from_stage,
                "to_stage": a.to_stage,
                "outcome": a.outcome,
                "notes": a.notes,
                "map_revision": a.map_revision,
                "map_snapshot": _snapshot_json(a.map_snapshot, a.id),
                "scale": a.scale,
                "stage_outcome": a.stage_outcome,
            }
            for i, a in enumerate(doc.assessments)
        ],
        "assessors": [
            {"assessment_id": a.id, "position": j, "name": name} for a in doc.assessments for j, name in enumerate(a.assessors)
        ],
    }


def _history_rows(doc: ServiceDocument, revisions: Sequence[Revision]) -> dict[str, list[Row]]:
    """The contract's change log and the file's revisions."""
    return {
        "contract_changes": [
            {"id": c.id, "position": i, "date": c.date.isoformat(), "reason": c.reason, "summary": c.summary,
             "author": c.author}
            for i, c in enumerate(doc.contract_changes)
        ],
        "revisions": [
            {"number": r.number, "saved_at": r.saved_at.isoformat(), "author": r.author, "summary": r.summary,
             "fingerprint": r.fingerprint}
            for r in revisions
        ],
    }


def governance_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """Rows of the version 4 tables: criterion results, actions, CoEs, mandates, needs."""
    return {**_assessment_follow_up_rows(doc), **_coe_rows(doc), **_executive_rows(doc)}


def _assessment_follow_up_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """Each assessment's results per criterion and the actions it set."""
    return {
        "assessment_results": [
            {"assessment_id": a.id, "position": j, "criterion_id": r.criterion_id, "criteria_set": r.criteria_set,
             "title": r.title, "decision": r.decision, "done_well": r.done_well, "to_improve": r.to_improve}
            for a in doc.assessments
            for j, r in enumerate(a.results)
        ],
        "assessment_actions": [
            {"id": x.id, "assessment_id": a.id, "position": j, "text": x.text, "owner": x.owner,
             "due": x.due.isoformat(), "criterion_id": x.criterion_id, "closed_on": _date(x.closed_on),
             "closing_note": x.closing_note}
            for a in doc.assessments
            for j, x in enumerate(a.actions)
        ],
    }


def _coe_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """Correction of Error write-ups (CoEs) and their actions."""
    return {
        "coes": [
            {
                "id": c.id,
                "position": i,
                "title": c.title,
                "author": c.author,
                "written_on": c.written_on.isoformat(),
                "problem": c.problem,
                "impact": c.impact,
                "root_cause": c.root_cause,
                "supporting_data": c.supporting_data,
                "tradeoffs_made": c.tradeoffs_made,
                "tradeoffs_to_avoid": c.tradeoffs_to_avoid,
                "lessons": c.lessons,
                "doctrine_helped": c.doctrine_helped,
                "doctrine_hurt": c.doctrine_hurt,
                "status": c.status,
                "published_on": _date(c.published_on),
                "reviewed_by": c.reviewed_by,
                "reviewed_on": _date(c.reviewed_on),
                "review_outcome": c.review_outcome,
            }
            for i, c in enumerate(doc.coes)
        ],
        "coe_actions": [
            {"coe_id": c.id, "position": j, "text": x.text, "status": x.status, "date": _date(x.date)}
            for c in doc.coes
            for j, x in enumerate(c.actions)
        ],
    }


def _executive_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """What the executive set or heard: mandates, unmet needs, budgets."""
    return {
        "mandates": [
            {"id": m.id, "position": i, "title": m.title, "text": m.text, "issued": m.issued.isoformat(),
             "due": _date(m.due), "status": m.status, "response": m.response, "responded_on": _date(m.responded_on)}
            for i, m in enumerate(doc.mandates)
        ],
        "mandate_components": [
            {"mandate_id": m.id, "position": j, "name": name} for m in doc.mandates for j, name in enumerate(m.components)
        ],
        "unmet_needs": [
            {"id": u.id, "position": i, "need": u.need, "asked_by": u.asked_by, "noted_on": u.noted_on.isoformat(),
             "note": u.note}
            for i, u in enumerate(doc.unmet_needs)
        ],
        "budgets": [
            {"id": b.id, "position": i, "start": b.start.isoformat(), "end": b.end.isoformat(), "amount": b.amount,
             "unit": b.unit, "allocated_by": b.allocated_by, "note": b.note}
            for i, b in enumerate(doc.budgets)
        ],
    }


def _snapshot_json(m: WardleyMap | None, assessment_id: str) -> str | None:
    """``assessments.map_snapshot``: the map's JSON, or None; checked as the reader will.

    The JSON is validated back before it is written, so a snapshot the reader would
    refuse (a NaN, which JSON turns into null; a value of the wrong type) fails the
    save, naming the assessment, instead of making a file that cannot be opened.
    Assessments are few, so this costs little next to the map's own rows.
    """
    if m is None:
        return None
    where = f"assessments.map_snapshot (id {shown(assessment_id)})"
    try:
        data = s.MAP_JSON.dump_json(m, warnings="error")
        s.MAP_JSON.validate_json(data)
    except PydanticSerializationError as exc:
        raise FileProblem(f"{where}: a value cannot be stored ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        raise FileProblem(f"{where}: {first_error(exc)}") from None
    return data.decode()


def _check_columns(table: s.Table, rows: list[Row]) -> None:
    """Every row names exactly the table's columns (a mistake here, not in the document).

    Taking values out by name fails on a missing column but would silently drop an
    extra one (a value the model has and the file would lose), so both are refused.
    """
    names = table.column_names
    expected = set(names)
    # The first row's keys exactly, and every row's number of keys (a loop in C): then a
    # later row missing a column has one the table lacks, and taking its values out by
    # name fails on it (KeyError, said as below by build_image). Comparing every row's
    # keys cost a tenth of a 16,000-component save.
    if rows[0].keys() == expected and all(map(eq, map(len, rows), repeat(len(names)))):
        return
    row = next(r for r in rows if r.keys() != expected)
    missing = [n for n in names if n not in row]
    extra = sorted(k for k in row if k not in expected)
    raise ValueError(f"rows for table {table.name} do not match schema.py: missing {missing}, unknown {extra}")


def _check_no_nan(table: s.Table, rows: list[Row]) -> None:
    """SQLite stores NaN as NULL: refuse it rather than write a different value."""
    for column in table.columns:
        if column.sql_type is not float:
            continue
        name = column.name
        for row in rows:
            value = row[name]
            if value != value and isinstance(value, float) and math.isnan(value):
                key = ", ".join(f"{k} {shown(row[k])}" for k in table.key_columns)
                raise FileProblem(f"{table.name}.{name} ({key}) is not a number (NaN)")


def _insert(conn: sqlite3.Connection, table: s.Table, rows: Iterable[Row]) -> None:
    # Each row's values taken out by column name, in the order insert_sql lists them
    # (every table has at least two columns, so itemgetter always returns a tuple).
    conn.executemany(table.insert_sql(), map(itemgetter(*table.column_names), rows))


def _explain_integrity(table: s.Table, rows: list[Row], exc: sqlite3.IntegrityError) -> str:
    """Turn "UNIQUE constraint failed: components.id" into which id is used twice."""
    message = str(exc)
    if "UNIQUE" in message or "PRIMARY KEY" in message:
        width = len(table.key_columns)
        seen: set[tuple[Any, ...]] = set()
        for row in rows:
            key = tuple(row[k] for k in table.key_columns)
            if key in seen:
                shown_key = shown(key[0]) if width == 1 else shown(key)
                return f"two {table.name} rows have the same {'/'.join(table.key_columns)} {shown_key}"
            seen.add(key)
    return f"{table.name}: {message}"


def build_image(doc: ServiceDocument, revisions: Sequence[Revision]) -> bytes:
    """The complete database file for ``doc`` as bytes (raises FileProblem)."""
    tables = document_rows(doc, revisions)
    conn, _db = new_connection()
    try:
        conn.deserialize(schema_template())
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("BEGIN")
        for table in s.TABLES:
            rows = tables[table.name]
            if not rows:
                continue
            _check_columns(table, rows)
            try:
                _check_no_nan(table, rows)
                _insert(conn, table, rows)
            except KeyError as exc:  # a row without one of the table's columns (see _check_columns)
                raise ValueError(f"rows for table {table.name} do not match schema.py: missing [{exc}]") from None
            except sqlite3.IntegrityError as exc:
                raise FileProblem(_explain_integrity(table, rows, exc)) from None
            except (sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError, UnicodeEncodeError) as exc:
                raise FileProblem(f"{table.name}: a value SQLite cannot store ({exc})") from None
            problem = find_bad_value(conn, table)
            if problem is not None:
                raise FileProblem(problem)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def save_document(
    doc: ServiceDocument, path: str | os.PathLike[str], *, author: str = "", summary: str = "",
    replace_read_only: bool = False,
) -> Revision:
    """Save ``doc`` to ``path`` atomically and record the save as a new Revision.

    The revision (number = last + 1, UTC time, author, summary, fingerprint) is
    written into the file together with all earlier ones from ``doc.revisions``, then
    appended to ``doc.revisions`` and returned. Raises StorageError (one line naming
    the file) if the document cannot be stored or the file cannot be written; the
    file on disk and ``doc`` are then unchanged. A read-only file is replaced only
    with ``replace_read_only`` (after asking the person; ``atomic.check_writable``).
    """
    target = resolve_target(path)
    try:
        revision = Revision(
            number=max((r.number for r in doc.revisions), default=0) + 1,
            saved_at=dt.datetime.now(dt.UTC),
            author=author,
            summary=summary,
            fingerprint=document_fingerprint(doc),
        )
        image = build_image(doc, [*doc.revisions, revision])
    except FileProblem as exc:
        raise StorageError(target, f"not saved: {exc}") from None
    except ValidationError as exc:  # author or summary not a text
        raise StorageError(target, f"not saved: {first_error(exc, 'revision')}") from None
    except PydanticSerializationError as exc:  # computing the fingerprint
        if "surrogates not allowed" in str(exc):
            problem = "a text contains an unpaired surrogate character, which cannot be stored"
        else:
            problem = f"a value cannot be stored ({exc})"
        raise StorageError(target, f"not saved: {problem}") from None
    try:
        atomic_write_bytes(target, image, replace_read_only=replace_read_only)  # also removes stale temps
    except OSError as exc:
        raise StorageError(target, f"not saved: {exc.strerror or exc}") from None
    doc.revisions.append(revision)
    return revision
