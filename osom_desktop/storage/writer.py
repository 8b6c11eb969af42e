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
from typing import Any

import sqlite_utils
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from osom_desktop import __version__
from osom_desktop.model.service import Revision, ServiceDocument
from osom_desktop.model.validation import first_error
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.storage import schema as s
from osom_desktop.storage.atomic import atomic_write_bytes, resolve_target
from osom_desktop.storage.checks import FileProblem, find_bad_value
from osom_desktop.storage.errors import StorageError, shown
from osom_desktop.storage.fingerprint import FINGERPRINT_METHOD, document_fingerprint
from osom_desktop.storage.owm_text import owm_rows

Row = tuple[Any, ...]


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
        now = [fk for fk in table.foreign_keys if fk[1] in created or fk[1] == table.name]
        deferred += [(table.name, fk) for fk in table.foreign_keys if fk not in now]
        db[table.name].create(
            {c.name: c.sql_type for c in table.columns},
            pk=table.pk,
            foreign_keys=now,
            not_null=[c.name for c in table.columns if not c.nullable],
        )
        created.add(table.name)
    for name, (column, other, other_column) in deferred:
        db[name].add_foreign_key(column, other, other_column)
    conn.commit()
    image = conn.serialize()
    conn.close()
    return image


# -- rows, table by table ---------------------------------------------------------------
# Tuples in the column order of schema.py. Enums are StrEnums and bools are ints, so
# sqlite3 binds both as they are (their string value, 0/1) without conversion.


def _map_rows(m: WardleyMap, service_id: str) -> dict[str, list[Row]]:
    legend = m.annotations_legend
    components: list[Row] = []
    for i, c in enumerate(m.components):
        lb, ev, pb = c.label, c.evolve, c.provided_by
        if ev is None:
            evolve: Row = (None, None, None, None, None, None, None)
        else:
            el = ev.label
            evolve = (
                ev.evolution,
                ev.name,
                None if el is None else el.dx,
                None if el is None else el.dy,
                ev.method,
                ev.market,
                ev.ecosystem,
            )
        components.append(
            (
                c.id,
                i,
                c.name,
                c.kind,
                c.visibility,
                c.evolution,
                None if lb is None else lb.dx,
                None if lb is None else lb.dy,
                c.method,
                c.inertia,
                c.market,
                c.ecosystem,
                *evolve,
                c.url_ref,
                c.pipeline_id,
                c.description,
                None if pb is None else pb.name,
                None if pb is None else pb.service_id,
            )
        )
    points: list[Row] = []
    for a in m.annotations:
        points.extend((a.id, j, v, e) for j, (v, e) in enumerate(a.points))
    return {
        "map": [
            (
                service_id,
                m.title,
                None if m.evolution_labels is None else json.dumps(list(m.evolution_labels), ensure_ascii=False),
                m.style,
                None if legend is None else legend[0],
                None if legend is None else legend[1],
            )
        ],
        "components": components,
        "links": [
            (lk.id, i, lk.source, lk.target, lk.context, lk.flow, lk.flow_value, lk.source_evolved, lk.target_evolved)
            for i, lk in enumerate(m.links)
        ],
        "pipelines": [(p.id, i, p.component_id, p.start, p.end, p.block) for i, p in enumerate(m.pipelines)],
        "notes": [(n.id, i, n.text, n.visibility, n.evolution) for i, n in enumerate(m.notes)],
        "annotations": [(a.id, i, a.number, a.text) for i, a in enumerate(m.annotations)],
        "annotation_points": points,
        "areas": [(a.id, i, a.kind, a.top, a.left, a.bottom, a.right) for i, a in enumerate(m.areas)],
        "accelerators": [(a.id, i, a.kind, a.name, a.visibility, a.evolution) for i, a in enumerate(m.accelerators)],
        "urls": [(u.id, i, u.name, u.url) for i, u in enumerate(m.urls)],
        "raw_lines": [(r.id, i, r.text, r.kind) for i, r in enumerate(m.raw_lines)],
        "layout": list(enumerate(m.layout)),
    }


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def document_rows(doc: ServiceDocument, revisions: Sequence[Revision]) -> dict[str, list[Row]]:
    """Every table's rows for ``doc`` with ``revisions`` as its history."""
    sv, ct = doc.service, doc.contract
    rows: dict[str, list[Row]] = {
        "file_info": [
            ("format", "OSOM service file (see the service, contract, map and components tables)"),
            ("written_by", f"OSOM Desktop {__version__}"),
            ("fingerprint", FINGERPRINT_METHOD),
        ],
        "service": [(sv.id, sv.name, sv.manager, sv.lifecycle)],
        "contract": [
            (
                sv.id,
                ct.purpose,
                ct.evolution_stage,
                ct.usage,
                ct.expectations_success,
                ct.expectations_failure,
                ct.help,
            )
        ],
        "user_needs": list(enumerate(ct.user_needs)),
        "measures": [(m.id, i, m.name, m.unit, m.target, m.direction, m.frequency, int(m.cost))
                     for i, m in enumerate(ct.measures)],
        "measure_values": [
            (m.id, j, v.date.isoformat(), v.value, v.note) for m in ct.measures for j, v in enumerate(m.values)
        ],
        "dependencies": [
            (d.id, i, d.service_name, d.service_id, d.description) for i, d in enumerate(ct.dependencies)
        ],
        "decisions": [
            (
                d.id,
                i,
                d.guidance.id,
                d.guidance.version,
                d.guidance.title,
                d.guidance.text,
                d.guidance.source,
                _date(d.guidance.published),
                d.status,
                d.reason,
                d.alternative,
                d.accepted_risk,
                d.decided_by,
                d.decided_on.isoformat(),
                _date(d.review_by),
            )
            for i, d in enumerate(doc.decisions)
        ],
        "assessments": [
            (
                a.id,
                i,
                a.date.isoformat(),
                a.kind,
                a.from_stage,
                a.to_stage,
                a.outcome,
                a.notes,
                a.map_revision,
                _snapshot_json(a.map_snapshot, a.id),
                a.scale,
                a.stage_outcome,
            )
            for i, a in enumerate(doc.assessments)
        ],
        "assessors": [(a.id, j, name) for a in doc.assessments for j, name in enumerate(a.assessors)],
        **governance_rows(doc),
        "contract_changes": [
            (c.id, i, c.date.isoformat(), c.reason, c.summary, c.author) for i, c in enumerate(doc.contract_changes)
        ],
        "revisions": [(r.number, r.saved_at.isoformat(), r.author, r.summary, r.fingerprint) for r in revisions],
    }
    rows.update(_map_rows(doc.map, sv.id))
    rows.update(owm_rows(doc.map, sv.id))
    return rows


def governance_rows(doc: ServiceDocument) -> dict[str, list[Row]]:
    """Rows of the version 4 tables: criterion results, actions, CoEs, mandates, needs."""
    return {
        "assessment_results": [
            (a.id, j, r.criterion_id, r.criteria_set, r.title, r.decision, r.done_well, r.to_improve)
            for a in doc.assessments
            for j, r in enumerate(a.results)
        ],
        "assessment_actions": [
            (x.id, a.id, j, x.text, x.owner, x.due.isoformat(), x.criterion_id, _date(x.closed_on), x.closing_note)
            for a in doc.assessments
            for j, x in enumerate(a.actions)
        ],
        "coes": [
            (
                c.id,
                i,
                c.title,
                c.author,
                c.written_on.isoformat(),
                c.problem,
                c.impact,
                c.root_cause,
                c.supporting_data,
                c.tradeoffs_made,
                c.tradeoffs_to_avoid,
                c.lessons,
                c.doctrine_helped,
                c.doctrine_hurt,
                c.status,
                _date(c.published_on),
                c.reviewed_by,
                _date(c.reviewed_on),
                c.review_outcome,
            )
            for i, c in enumerate(doc.coes)
        ],
        "coe_actions": [(c.id, j, x.text, x.status, _date(x.date)) for c in doc.coes for j, x in enumerate(c.actions)],
        "mandates": [
            (m.id, i, m.title, m.text, m.issued.isoformat(), _date(m.due), m.status, m.response, _date(m.responded_on))
            for i, m in enumerate(doc.mandates)
        ],
        "mandate_components": [(m.id, j, name) for m in doc.mandates for j, name in enumerate(m.components)],
        "unmet_needs": [
            (u.id, i, u.need, u.asked_by, u.noted_on.isoformat(), u.note) for i, u in enumerate(doc.unmet_needs)
        ],
        "budgets": [
            (b.id, i, b.start.isoformat(), b.end.isoformat(), b.amount, b.unit, b.allocated_by, b.note)
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


def _check_no_nan(table: s.Table, rows: list[Row]) -> None:
    """SQLite stores NaN as NULL: refuse it rather than write a different value."""
    for i, column in enumerate(table.columns):
        if column.sql_type is not float:
            continue
        for row in rows:
            value = row[i]
            if value != value and isinstance(value, float) and math.isnan(value):
                key = ", ".join(f"{k} {shown(row[table.column_names.index(k)])}" for k in table.key_columns)
                raise FileProblem(f"{table.name}.{column.name} ({key}) is not a number (NaN)")


def _insert(conn: sqlite3.Connection, table: s.Table, rows: Iterable[Row]) -> None:
    columns = ", ".join(s.quote(c) for c in table.column_names)
    marks = ", ".join("?" * len(table.columns))
    conn.executemany(f"INSERT INTO {s.quote(table.name)} ({columns}) VALUES ({marks})", rows)


def _explain_integrity(table: s.Table, rows: list[Row], exc: sqlite3.IntegrityError) -> str:
    """Turn "UNIQUE constraint failed: components.id" into which id is used twice."""
    message = str(exc)
    if "UNIQUE" in message or "PRIMARY KEY" in message:
        width = len(table.key_columns)
        idx = [table.column_names.index(k) for k in table.key_columns]
        seen: set[tuple[Any, ...]] = set()
        for row in rows:
            key = tuple(row[i] for i in idx)
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
            _check_no_nan(table, rows)
            try:
                _insert(conn, table, rows)
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
            saved_at=dt.datetime.now(dt.timezone.utc),
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
