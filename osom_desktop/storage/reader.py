"""open_document: a ``.osom`` file -> a ServiceDocument, treating the file as hostile.

Files arrive by email and on shared drives, so opening one must do nothing but build
a document or raise a one-line StorageError, and must never change the file. How:

* The file is read into memory in one go and never opened by SQLite: SQLite works on
  a private copy (``Connection.deserialize``), so no journal, lock or WAL file can
  appear beside the original, a hot journal left by another program is not rolled
  back into it, and a read-only folder or file is no obstacle.
* Before SQLite sees the bytes: the SQLite header is checked (empty file, text file,
  truncated file each get their own message).
* ``PRAGMA trusted_schema=OFF`` is set before the schema is touched, then
  ``PRAGMA quick_check`` runs first, then application_id and user_version are checked
  (a newer schema is refused, an older one migrated on the private copy).
* Any trigger, view or virtual table is refused before a single row is read: an OSOM
  file never has one, and they are how a file could run code in whoever opens it.
* Only known tables and columns are read; every value is checked (types, enums,
  0/1 booleans) by one SQL scan per table, then service records go through their
  pydantic models and map elements are built directly as dataclasses.
* Finally the content's fingerprint is compared with the one the last save
  recorded, which catches damage quick_check cannot see (a changed byte inside a
  text) and edits made with other tools.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils
from pydantic import BaseModel, ValidationError

from osom_desktop.model.service import (
    Assessment,
    Contract,
    ContractChange,
    Dependency,
    GuidanceDecision,
    GuidanceItem,
    Measure,
    RecordedValue,
    Revision,
    Service,
    ServiceDocument,
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
from osom_desktop.storage.errors import StorageError, shown
from osom_desktop.storage.fingerprint import document_fingerprint
from osom_desktop.storage.migrations import MIGRATIONS, Migration, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
NOT_OSOM = "not an OSOM service file"
# Longest text or row SQLite may build while reading: far above any real value, far
# below what a hostile file could make us allocate with the default of 1 GB.
MAX_VALUE_BYTES = 64 * 1024 * 1024

M = TypeVar("M", bound=BaseModel)
Rows = list[tuple[Any, ...]]


# -- bytes and header ----------------------------------------------------------------


def read_file_bytes(path: Path) -> bytes:
    """The whole file, read once; OS errors become one-line problems."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except PermissionError:
        raise FileProblem("not allowed to read this file") from None
    except OSError as exc:
        raise FileProblem(f"could not read the file: {exc.strerror or exc}") from None


def check_header(path: Path, data: bytes) -> bytes:
    """Refuse what is not a complete SQLite database; returns the bytes SQLite gets."""
    if not data:
        raise FileProblem(f"{NOT_OSOM} (the file is empty)")
    if not data.startswith(SQLITE_HEADER):
        raise FileProblem(f"{NOT_OSOM} (not an SQLite database)")
    if len(data) < 100:
        raise FileProblem(f"damaged: truncated ({len(data)} bytes, shorter than an SQLite header)")
    raw_page = int.from_bytes(data[16:18], "big")
    page_size = 65536 if raw_page == 1 else raw_page
    if page_size < 512 or page_size & (page_size - 1):
        raise FileProblem(f"damaged: invalid page size {raw_page} in the SQLite header")
    declared_pages = int.from_bytes(data[28:32], "big")
    # The header's page count is valid when the change counter matches version-valid-for.
    if declared_pages and data[24:28] == data[92:96]:
        expected = declared_pages * page_size
        if len(data) < expected:
            raise FileProblem(f"damaged: truncated ({len(data):,} of {expected:,} bytes)")
    if len(data) % page_size:
        raise FileProblem(f"damaged: truncated ({len(data):,} bytes is not a whole number of pages)")
    if data[18] == 2 or data[19] == 2:
        # A WAL-mode database (written by another tool). Its committed content may sit
        # in a -wal file beside it; without one, the main file is complete and we read
        # our copy as a rollback-journal database. Ours are never WAL.
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise FileProblem(f"has changes in {wal.name} not yet written into it (open and close it with the program that wrote it)")
        patched = bytearray(data)
        patched[18] = patched[19] = 1
        return bytes(patched)
    return data


def private_copy(data: bytes) -> sqlite3.Connection:
    """An in-memory database holding ``data``; the file itself is never opened by SQLite."""
    conn = sqlite3.connect(":memory:")
    # Before SQLite parses the file's schema: functions, virtual tables and the like
    # named in the schema may then only be harmless built-ins.
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.deserialize(data)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


# -- integrity, identity, schema --------------------------------------------------------


def check_database(conn: sqlite3.Connection, migrations: list[Migration]) -> int:
    """quick_check, application_id, user_version, schema objects; migrates old files.

    Returns the version the file was written with.
    """
    # quick_check's report quotes names from the damaged file: decode it leniently.
    conn.text_factory = _lenient_text
    try:
        results = [r[0] for r in conn.execute("PRAGMA quick_check")]
        objects_problem = check_objects(conn)
    finally:
        conn.text_factory = str
    if results != ["ok"]:
        first = str(results[0]).replace("*** in database main ***", "").strip() if results else "no result"
        more = f", and {len(results) - 1} more problems" if len(results) > 1 else ""
        raise FileProblem(f"damaged: SQLite's integrity check failed ({shown(first, 120)[1:-1]}{more})")
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != s.APPLICATION_ID:
        raise FileProblem(f"{NOT_OSOM} (an SQLite database of another program, application id {app_id:#x})")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    newest = len(migrations) + 1
    if version > newest:
        raise FileProblem(
            f"written by a newer OSOM Desktop (file format {version}, this version reads up to {newest}); update OSOM Desktop to open it"
        )
    if version < 1:
        raise FileProblem(f"{NOT_OSOM} (file format {version} is unknown)")
    if objects_problem is not None:
        raise FileProblem(objects_problem)
    if version < newest:
        db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
        try:
            migrate(db, migrations)
        except (sqlite3.Error, ValueError) as exc:
            raise FileProblem(f"could not upgrade from file format {version}: {exc}") from None
    check_tables(conn)
    return version


def check_objects(conn: sqlite3.Connection) -> str | None:
    """Why the file's schema is refused (a trigger, view or virtual table), or None.

    Runs before any row is read or written: an OSOM file never has these, and they
    are how a file could make whoever opens it run code. Reported after the
    application id check, so a foreign database is named as such first.
    """
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if kind in ("trigger", "view"):
            return f"refused: contains a {kind} ({shown(name)}), which OSOM files never have; it could run code when read"
        if kind == "table" and isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            return f"refused: contains a virtual table ({shown(name)}), which OSOM files never have"
        if kind not in ("table", "index"):
            return f"refused: contains an unexpected schema object ({shown(kind)} {shown(name)})"
    return None


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def check_tables(conn: sqlite3.Connection) -> None:
    """Every known table with every known column (extra ones are ignored)."""
    present = {str(r[0]).lower() for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in s.TABLES:
        if table.name not in present:
            raise FileProblem(f"damaged: table {table.name} is missing")
        columns = {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({s.quote(table.name)})")}
        for name in table.column_names:
            if name not in columns:
                raise FileProblem(f"damaged: column {table.name}.{name} is missing")


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
    for mid, _pos, mname, unit, target, direction in measure_rows:
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
                {"id": mid, "name": mname, "unit": unit, "target": target, "direction": direction, "values": recorded},
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
            },
            s.ASSESSMENTS,
            f"id {shown(aid)}",
        )
        for aid, _pos, date, kind, from_stage, to_stage, outcome, notes, map_revision in rows
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


def read_map(conn: sqlite3.Connection, service_id: str) -> WardleyMap:
    """Map elements built straight from checked rows: no per-element pydantic cost."""
    sid, title, labels_json, style, legend_v, legend_e = one_row(s.MAP, fetch(conn, s.MAP))
    if sid != service_id:
        raise FileProblem(f"bad value in map.service_id: {shown(sid)} is not the service's id {shown(service_id)}")
    labels: list[str] | None = None
    if labels_json is not None:
        try:
            labels = json.loads(labels_json)
        except ValueError:
            labels = None
            bad = True
        else:
            bad = not (isinstance(labels, list) and all(isinstance(x, str) for x in labels))
        if bad:
            raise FileProblem(f"bad value in map.evolution_labels: expected a JSON list of texts (got {shown(labels_json)})")
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
    )


def read_document(conn: sqlite3.Connection, *, verify: bool = True, migrations: list[Migration] = MIGRATIONS) -> ServiceDocument:
    """The document in an already-loaded private database (raises FileProblem)."""
    version = check_database(conn, migrations)
    service, contract = read_service(conn)
    decisions, assessments, changes = read_records(conn)
    doc = ServiceDocument(
        service=service,
        contract=contract,
        map=read_map(conn, service.id),
        decisions=decisions,
        assessments=assessments,
        contract_changes=changes,
        revisions=read_revisions(conn),
    )
    # The fingerprint is computed over the current model; a migrated file's was taken
    # over an older one, so only a file in the current format can be compared.
    if verify and version == s.SCHEMA_VERSION and doc.revisions and doc.revisions[-1].fingerprint:
        last = doc.revisions[-1]
        if document_fingerprint(doc) != last.fingerprint:
            raise FileProblem(
                f"damaged: its content does not match the fingerprint saved with it (revision {last.number}); "
                "the file was corrupted or changed by another program"
            )
    return doc


def open_document(path: str | os.PathLike[str], *, verify: bool = True) -> ServiceDocument:
    """Open a ``.osom`` file; the file is never modified, whatever it contains.

    ``verify=False`` skips the fingerprint comparison (and only it), to rescue a file
    someone edited with the sqlite3 shell or Datasette. Raises StorageError with one
    line naming the file and the problem.
    """
    p = Path(path)
    try:
        data = check_header(p, read_file_bytes(p))
        conn = private_copy(data)
        try:
            return read_document(conn, verify=verify)
        finally:
            conn.close()
    except FileProblem as exc:
        raise StorageError(p, str(exc)) from None
    except sqlite3.DatabaseError as exc:
        # "database disk image is malformed", "file is not a database", ...
        raise StorageError(p, f"damaged: {exc}") from None
    except UnicodeDecodeError:
        raise StorageError(p, "damaged: text that is not valid UTF-8") from None
    except MemoryError:
        raise StorageError(p, "too large to open") from None
