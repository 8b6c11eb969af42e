"""What the service network needs of a ``.osom`` file, read without the map's drawing.

The network window, ``osom network`` and the executive pack read every file of a
folder. ``open_document`` reads all 34 tables, builds every map element and compares
the content fingerprint: 3-14 ms a file, most of the time to see 2,000 services. The
network uses the service, the contract (dependencies, measures), the map's
components (names, evolution, method, who provides them), the guidance decisions,
the assessments (dates, results, actions, the map kept with each), the CoEs,
mandates, unmet needs and budgets; never the map's links, notes, areas, pipelines,
annotations, OWM text or the revision history.

``read_network_document`` reads those with the reader's guards, as ``summary.py``
does (bounded regular-file read, header, private in-memory copy with
``trusted_schema=OFF``, ``quick_check`` (or, for a known schema, a walk of every
table's and index's pages), application id and format, no triggers or
views, row caps, and every value of every table it reads checked), and builds the
same model objects as the reader (``load.py``'s own functions), so an answer
computed from it equals one computed from the whole document. It reports what the
reader reports, in the reader's words, but looks for trouble only where it is: one
statement counts the rows of every table read (a missing table fails it), a table
with no rows is not queried, each other table is one plain SELECT whose values are
checked in Python; only when something fails are the reader's own checks run, to
name the problem as the reader names it, and in its order (row caps, then missing
tables and columns, then values). A file whose schema is that of a file read
before (every file one OSOM version writes) skips what only the schema decides (see
"files whose schema was seen before" below): 1.2-1.5 against 2.0-2.1 ms of CPU a file
at load 3-4 (bench/README.md, issue 13); ``summary.py`` reads the same way. Like the summary, it does not
compare the content fingerprint (that needs the whole document): a file edited with
another program is read here and refused, or offered with a warning, only when
someone opens it.

The document it returns is a ``ServiceDocument`` whose map holds only components and
whose ``revisions`` are empty: it is for reading answers from, never for saving.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

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
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.storage import schema as s
from osom_desktop.storage.checks import FileProblem, find_bad_value
from osom_desktop.storage.errors import shown
from osom_desktop.storage.limits import max_rows, too_many_rows
from osom_desktop.storage.load import (
    build_components,
    children,
    ids,
    one_row,
    pick,
    read_assessment_parts,
    read_budgets,
    read_governance,
    read_labels,
    read_snapshot,
    unique_ids,
    validated,
)
from osom_desktop.storage.migrations import MIGRATIONS
from osom_desktop.storage.reader import (
    check_database,
    check_header,
    check_row_counts,
    check_tables,
    one_line_errors,
    private_copy,
    read_file_bytes,
)

# The tables read here, so the only ones checked for presence and row count.
NETWORK_TABLES = (
    s.SERVICE, s.CONTRACT, s.USER_NEEDS, s.MEASURES, s.MEASURE_VALUES, s.DEPENDENCIES, s.BUDGETS,
    s.MAP, s.COMPONENTS,
    s.DECISIONS, s.ASSESSMENTS, s.ASSESSORS, s.ASSESSMENT_RESULTS, s.ASSESSMENT_ACTIONS, s.CONTRACT_CHANGES,
    s.COES, s.COE_ACTIONS, s.MANDATES, s.MANDATE_COMPONENTS, s.UNMET_NEEDS,
)
_GOVERNANCE = (s.COES, s.COE_ACTIONS, s.MANDATES, s.MANDATE_COMPONENTS, s.UNMET_NEEDS)
Rows = list[dict[str, Any]]  # looked up by column name, as the reader looks its rows up


def read_network_document(path: str | os.PathLike[str]) -> ServiceDocument:
    """The parts of one ``.osom`` file the network uses, or StorageError with one line naming it."""
    return read_tables(path, NETWORK_TABLES, _document)


T = TypeVar("T")


def read_tables(path: str | os.PathLike[str], tables: tuple[s.Table, ...], read: Callable[[TableReader], T]) -> T:
    """``read(reader)`` on a private copy of ``path`` once the reader's whole-file guards
    passed (integrity, application id, format, schema objects; an older format is
    migrated on the copy); ``reader`` gives the rows of ``tables`` only (the network's
    read here, the folder summary in ``summary.py``). StorageError with one line naming
    the file, the reader's line and in its order (``_structure_first``).

    A file whose schema is the very schema of a file this thread read before (every
    file one OSOM version writes) is read by ``_known_schema_read`` instead, on that
    file's connection; anything it does not like is read again here, from the same bytes."""
    p = Path(path)
    with one_line_errors(p):
        data = check_header(p, read_file_bytes(p))
        known = _known_schema_read(data, tables, read)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        conn = private_copy(data)
        kept = False
        try:
            version = check_database(conn, MIGRATIONS, ())
            try:
                result = read(TableReader(conn, tables))
            except Exception:
                _structure_first(conn, tables)
                raise
            kept = _keep(conn, data, version)
            return result
        finally:
            if not kept:
                conn.close()


# -- files whose schema was seen before ------------------------------------------------------
#
# Of a light read of a generated file (1.3-2.3 ms of CPU), about half went on what every
# file of one OSOM version repeats: a new connection, SQLite parsing the 65 CREATE
# statements of the schema, preparing each statement again, and ``PRAGMA quick_check``,
# which SQLite compiles afresh on every run (2,300 VDBE instructions, one loop per table)
# and which needs the parsed schema. A file whose schema B-tree pages and header fields
# are byte for byte those of a file already read and checked here has the same tables,
# columns, indexes and root pages, and no trigger, view or virtual table, and is in the
# current format: it is put into that file's connection (``deserialize`` replaces the
# database; the statements SQLite prepared for the first file stay valid, as the schema
# cookie and every root page they name are the same, so SQLite neither parses the
# schema nor prepares them again). Its pages are checked as they are read (SQLite's own
# checks, with ``cell_size_check`` on), its row counts and every value read as before.
# What is not done is ``quick_check`` of pages the read never touches (the map's links,
# notes, the revisions): damage there is found by whoever opens the file, as a bad value
# in those tables already is. Anything the read does not like (a page SQLite finds
# malformed, a bad value, a missing row) sends the same bytes through the whole-file
# checks above, so a refused file gets the reader's line, in the reader's order.

_UNKNOWN = object()
_KEEP_AT_MOST = 4 * 1024 * 1024  # a larger file's copy is not kept in memory between reads
_MAX_SCHEMA_PAGES = 16  # OSOM's schema is 4 pages of 4 KB


class _Kept(threading.local):
    """This thread's connection holding the last file read, and what its schema is."""

    conn: sqlite3.Connection | None = None
    header: bytes = b""
    pages: tuple[tuple[int, bytes], ...] = ()
    walk: str = ""  # counts every table's rows and its smallest index's entries (``_walk_sql``)
    tables: tuple[tuple[str, bool], ...] = ()  # (name, has an index) of each table, in ``walk``'s order
    busy: bool = False


_KEPT = _Kept()


def _forget_after_fork() -> None:
    # A forked worker (the pack's) must not use a connection its parent may be using,
    # nor SQLite state copied mid-call: it starts without one.
    _KEPT.conn = None
    _KEPT.busy = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _header_key(data: bytes) -> bytes:
    """The header fields a prepared statement depends on, or that the reader checks: page
    size, file format versions, reserved bytes, payload fractions; schema cookie and
    format, encoding, user version (OSOM's format), application id. Not the change
    counter, page and freelist counts, nor the SQLite version that wrote it."""
    return data[16:24] + data[40:92]


def _known_schema_read(data: bytes, tables: tuple[s.Table, ...], read: Callable[[TableReader], T]) -> T | object:
    kept = _KEPT
    conn = kept.conn
    if conn is None or kept.busy or _header_key(data) != kept.header:
        return _UNKNOWN
    page_size = len(kept.pages[0][1])
    for number, page in kept.pages:
        at = (number - 1) * page_size
        if number == 1:  # after the 100-byte file header
            page, at = page[100:], 100
        if not data.startswith(page, at):
            return _UNKNOWN
    kept.busy = True  # (a read inside a read, should there ever be one, takes its own copy)
    try:
        conn.deserialize(data)
        counts = _walked_counts(conn, kept)
        if counts is None:
            raise FileProblem("a table and its index disagree, or a table is over the row cap")
        return read(TableReader(conn, tables, counts))
    except Exception:  # noqa: BLE001 - named by the whole-file checks, from a fresh copy
        kept.conn = None
        conn.close()  # (a statement cut short may still hold it)
        return _UNKNOWN
    finally:
        kept.busy = False


def _keep(conn: sqlite3.Connection, data: bytes, version: int) -> bool:
    """Keep ``conn`` (which has just read ``data``) for files with the same schema; True if kept.

    Only a file in the current format (a migrated copy's schema is not the file's), not
    too large to hold in memory until the next read, whose schema B-tree could be walked."""
    kept = _KEPT
    if kept.busy or version != s.SCHEMA_VERSION or len(data) > _KEEP_AT_MOST:
        return False
    pages = _schema_pages(data)
    if pages is None:
        return False
    walk, walked = _walk_sql(conn)
    # Checks each page's cells as SQLite reads it (its header, cell sizes and overlaps):
    # the part of quick_check a known-schema read keeps. Set before anything is prepared
    # on the kept connection (setting it expires every statement prepared so far).
    conn.execute("PRAGMA cell_size_check = ON")
    old, kept.conn, kept.header, kept.pages, kept.walk, kept.tables = kept.conn, conn, _header_key(data), pages, walk, walked
    if old is not None:
        old.close()
    return True


def _walk_sql(conn: sqlite3.Connection) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """One statement loading every page of every table's B-tree (``NOT INDEXED``: its
    rows) and of each table's smallest index (a plain ``count(*)`` counts that index),
    and the (name, has an index) of the tables it counts, in its order.

    Counting reads no row's values, only the pages, each checked as SQLite loads it: a
    page of garbage anywhere in a table or its key (a bad disk sector, a broken copy) is
    found, as ``quick_check`` finds it, for a tenth of its cost."""
    indexed = {str(t) for (t,) in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index'")}
    names = [str(n) for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage")]
    tables = tuple((n, n in indexed) for n in names)
    parts = []
    for name, has_index in tables:
        parts.append(f"(SELECT count(*) FROM {s.quote(name)} NOT INDEXED)")
        if has_index:
            parts.append(f"(SELECT count(*) FROM {s.quote(name)})")
    return "SELECT " + ", ".join(parts), tables


def _walked_counts(conn: sqlite3.Connection, kept: _Kept) -> dict[str, int] | None:
    """Rows in each table, every table's and index's pages loaded; None when a table's
    index has another number of entries than it has rows, or a table is over the cap."""
    values = iter(conn.execute(kept.walk).fetchone())
    cap = max_rows()
    counts = {}
    for name, has_index in kept.tables:
        n = next(values)
        if (has_index and next(values) != n) or n > cap:
            return None
        counts[name.lower()] = n
    return counts


def _schema_pages(data: bytes) -> tuple[tuple[int, bytes], ...] | None:
    """Every page of the schema table's B-tree (number, bytes), page 1 first; None when a
    schema entry spills onto an overflow page (not compared), or anything is odd."""
    raw = int.from_bytes(data[16:18], "big")
    page_size = 65536 if raw == 1 else raw
    usable = page_size - data[20]
    count = len(data) // page_size
    out: list[tuple[int, bytes]] = []
    todo = [1]
    while todo:
        number = todo.pop()
        if len(out) >= _MAX_SCHEMA_PAGES or not 1 <= number <= count or any(n == number for n, _ in out):
            return None
        page = data[(number - 1) * page_size:number * page_size]
        h = 100 if number == 1 else 0
        kind, cells = page[h], int.from_bytes(page[h + 3:h + 5], "big")
        pointers = h + (12 if kind == 5 else 8)
        if kind not in (5, 13) or pointers + 2 * cells > usable:
            return None
        out.append((number, page))
        for c in range(cells):
            at = int.from_bytes(page[pointers + 2 * c:pointers + 2 * c + 2], "big")
            if not pointers + 2 * cells <= at <= usable - 4:
                return None
            if kind == 5:
                todo.append(int.from_bytes(page[at:at + 4], "big"))
            elif _payload_size(page, at) > usable - 35:  # the most a table leaf cell holds on its page
                return None
        if kind == 5:
            todo.append(int.from_bytes(page[h + 8:h + 12], "big"))
    return tuple(out)


def _payload_size(page: bytes, at: int) -> int:
    """The first varint of a table leaf cell: its payload's size."""
    value = 0
    for i in range(8):
        byte = page[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value
    return (value << 8) | page[at + 8]


def _structure_first(conn: sqlite3.Connection, tables: tuple[s.Table, ...]) -> None:
    """Raise what the reader would have said first, before any row was read: a table read
    here over the row cap, missing, or missing a column. The fast path never looks for
    these up front (20 ``PRAGMA table_info`` cost a third of a read): a missing table or
    column only shows as a failing statement, or a bad value found in an earlier table
    must not hide it."""
    check_row_counts(conn, tuple(t.name for t in tables))
    check_tables(conn, tables)


_COUNTS: dict[tuple[str, ...], str] = {}


def _row_counts(conn: sqlite3.Connection, tables: tuple[s.Table, ...]) -> dict[str, int]:
    """Rows in each of ``tables``, in one statement: the row cap (``limits.max_rows``) is
    checked before any row is read, and a table that is not there fails the statement
    (``_structure_first`` then names it). SQLite counts a table by walking its pages
    (never its rows' values), so this is bounded by the file's size cap; counted with
    LIMIT cap + 1 in subqueries, as the reader does, it cost twice as much."""
    names = tuple(t.name for t in tables)
    sql = _COUNTS.get(names)
    if sql is None:
        sql = _COUNTS[names] = "SELECT " + ", ".join(f"(SELECT count(*) FROM {s.quote(n)})" for n in names)
    cap = max_rows()
    counts = dict(zip(names, conn.execute(sql).fetchone(), strict=True))
    if any(n > cap for n in counts.values()):
        _structure_first(conn, tables)  # the reader's own message, for the table it names first
        over = next(name for name, n in counts.items() if n > cap)
        raise FileProblem(too_many_rows(shown(over, 40), cap))  # pragma: no cover - raised above
    return counts


_NONE = type(None)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one table is read: a plain SELECT of its columns in list order, then every value
    checked in Python against what the column allows, as ``schema.Column.check_sql``
    allows it (SQLite's ``typeof`` is the Python type: text str, integer int, real float,
    blob bytes, NULL None). The reader's SQL check (``checks.find_bad_value``) runs only
    when a value fails, to name it in the reader's words. Checking in SQL in the same
    statement (a NOT(...) column) cost as much as the rest of the statement."""

    table: s.Table
    sql: str
    names: tuple[str, ...]
    checks: tuple[tuple[int, frozenset[type], frozenset[object] | None], ...]
    reals: tuple[int, ...]  # REAL columns: a whole number stored without the column's type is read as float


_PLANS: dict[str, _Plan] = {}


def _plan(table: s.Table) -> _Plan:
    """The table's plan, made once (looked up by name: hashing a Table hashes all its
    columns; made again for another declaration of it)."""
    plan = _PLANS.get(table.name)
    if plan is None or plan.table is not table:
        plan = _PLANS[table.name] = _make_plan(table)
    return plan


def _make_plan(table: s.Table) -> _Plan:
    checks = []
    for i, c in enumerate(table.columns):
        types: frozenset[type]
        values: frozenset[object] | None = None
        if c.boolean:
            types, values = frozenset({int}), frozenset({0, 1})
        elif c.choices is not None:
            types, values = frozenset({str}), frozenset(c.choices)
        else:
            types = frozenset({float, int}) if c.sql_type is float else frozenset({c.sql_type})
        if c.nullable:
            types |= {_NONE}
            values = None if values is None else values | {None}
        checks.append((i, types, values))
    order = table.select_sql().split(" ORDER BY ", 1)[1]
    # Each column named with its table: a bare "name" that is not a column of a damaged
    # file would be read as the text 'name' (SQLite's double-quoted string fallback).
    columns = ", ".join(f"{s.quote(table.name)}.{s.quote(n)}" for n in table.column_names)
    return _Plan(
        table=table,
        sql=f"SELECT {columns} FROM {s.quote(table.name)} ORDER BY {order}",
        names=tuple(table.column_names),
        checks=tuple(checks),
        reals=tuple(i for i, c in enumerate(table.columns) if c.sql_type is float and not c.boolean),
    )


def _checked_values(plan: _Plan, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]] | None:
    """``rows`` with REAL columns as floats, or None when a value is not what its column allows."""
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    ints_in_reals = False
    for i, types, values in plan.checks:
        column = columns[i]
        kinds = set(map(type, column))
        if not kinds <= types or (values is not None and not values.issuperset(column)):
            return None
        if int in kinds and i in plan.reals:
            ints_in_reals = True
    if ints_in_reals:  # as CAST(x AS REAL) reads them
        reals = set(plan.reals)
        rows = [tuple(float(v) if i in reals and type(v) is int else v for i, v in enumerate(row)) for row in rows]
    return rows


class TableReader:
    """Rows of the tables a read needs (counted, and their caps checked, in one
    statement); an empty table costs no statement."""

    def __init__(self, conn: sqlite3.Connection, tables: tuple[s.Table, ...], counts: dict[str, int] | None = None) -> None:
        self.conn = conn
        # ``counts``: of every table, already checked against the cap (``_walked_counts``).
        self.counts = _row_counts(conn, tables) if counts is None else counts

    def any(self, *tables: s.Table) -> bool:
        return any(self.counts[t.name] for t in tables)

    def values(self, table: s.Table) -> list[tuple[Any, ...]]:
        """Every row as a tuple in the table's column order, checked (the same one-line
        reason as ``load.fetch``), in list order."""
        if not self.counts[table.name]:
            return []
        plan = _plan(table)
        try:
            rows = self.conn.execute(plan.sql).fetchall()
        except sqlite3.OperationalError as exc:
            if "decode" in str(exc).lower():
                raise FileProblem(f"bad value in table {table.name}: text that is not valid UTF-8") from None
            raise
        checked = _checked_values(plan, rows)
        if checked is None:
            raise FileProblem(find_bad_value(self.conn, table) or f"bad value in table {table.name}")
        return checked

    def rows(self, table: s.Table) -> Rows:
        """As ``values``, each row ``{column: value}`` (the few rows of the record tables)."""
        names = _plan(table).names
        return [dict(zip(names, row, strict=True)) for row in self.values(table)]


def _document(r: TableReader) -> ServiceDocument:
    service, contract = _service(r)
    parts: dict[str, Any] = {}
    if r.any(s.DECISIONS):
        parts["decisions"] = _decisions(r)
    if r.any(s.ASSESSMENTS, s.ASSESSORS, s.ASSESSMENT_RESULTS, s.ASSESSMENT_ACTIONS):
        parts["assessments"] = _assessments(r)
    if r.any(s.CONTRACT_CHANGES):
        rows = r.rows(s.CONTRACT_CHANGES)
        unique_ids(s.CONTRACT_CHANGES, ids(rows))
        parts["contract_changes"] = [
            validated(ContractChange, pick(x, "id", "date", "reason", "summary", "author"), s.CONTRACT_CHANGES,
                      f"id {shown(x['id'])}") for x in rows]
    # Rare in a file, so read by the reader's own functions when present.
    if r.any(*_GOVERNANCE):
        parts["coes"], parts["mandates"], parts["unmet_needs"] = read_governance(r.conn)
    if r.any(s.BUDGETS):
        parts["budgets"] = read_budgets(r.conn)
    # Built once, as the reader builds it: the document validates every assignment.
    return ServiceDocument(service=service, contract=contract, map=_components_only(r, service.id), **parts)


def _service(r: TableReader) -> tuple[Service, Contract]:
    """``load.read_service``, skipping empty tables."""
    sv = one_row(s.SERVICE, r.rows(s.SERVICE))
    service = validated(Service, pick(sv, "id", "name", "manager", "lifecycle"), s.SERVICE, f"id {shown(sv['id'])}")
    c = one_row(s.CONTRACT, r.rows(s.CONTRACT))
    if c["service_id"] != service.id:
        raise FileProblem(
            f"bad value in contract.service_id: {shown(c['service_id'])} is not the service's id {shown(service.id)}"
        )
    needs = [x["text"] for x in r.rows(s.USER_NEEDS)]
    measure_rows = r.rows(s.MEASURES)
    unique_ids(s.MEASURES, ids(measure_rows))
    values = children(s.MEASURE_VALUES, r.rows(s.MEASURE_VALUES), set(ids(measure_rows)), "measure", "measure_id")
    measures = []
    for m in measure_rows:
        mid = m["id"]
        recorded = [
            validated(RecordedValue, pick(v, "date", "value", "note"), s.MEASURE_VALUES,
                      f"measure_id {shown(mid)}, position {v['position']}")
            for v in values.get(mid, ())
        ]
        measures.append(validated(
            Measure,
            {**pick(m, "id", "name", "unit", "target", "direction", "frequency"), "values": recorded, "cost": bool(m["cost"])},
            s.MEASURES, f"id {shown(mid)}"))
    dep_rows = r.rows(s.DEPENDENCIES)
    unique_ids(s.DEPENDENCIES, ids(dep_rows))
    dependencies = [
        validated(Dependency, pick(d, "id", "service_name", "service_id", "description"), s.DEPENDENCIES,
                  f"id {shown(d['id'])}")
        for d in dep_rows
    ]
    contract = validated(
        Contract,
        {**pick(c, "purpose", "evolution_stage", "usage", "expectations_success", "expectations_failure", "help"),
         "user_needs": needs, "measures": measures, "dependencies": dependencies},
        s.CONTRACT, f"service_id {shown(c['service_id'])}")
    return service, contract


def _decisions(r: TableReader) -> list[GuidanceDecision]:
    """As ``load.read_records`` reads them."""
    rows = r.rows(s.DECISIONS)
    unique_ids(s.DECISIONS, ids(rows))
    out = []
    for x in rows:
        key = f"id {shown(x['id'])}"
        guidance = validated(
            GuidanceItem, {f: x["guidance_" + f] for f in ("id", "version", "title", "text", "source", "published")},
            s.DECISIONS, key, lambda loc: "guidance_" + str(loc[0]))
        out.append(validated(
            GuidanceDecision,
            {**pick(x, "id", "status", "reason", "alternative", "accepted_risk", "decided_by", "decided_on", "review_by"),
             "guidance": guidance},
            s.DECISIONS, key))
    return out


def _assessments(r: TableReader) -> list[Assessment]:
    """As ``load.read_records`` reads them, with the map kept with each."""
    rows = r.rows(s.ASSESSMENTS)
    unique_ids(s.ASSESSMENTS, ids(rows))
    known = set(ids(rows))
    assessors = children(s.ASSESSORS, r.rows(s.ASSESSORS), known, "assessment", "assessment_id")
    results, actions = (read_assessment_parts(r.conn, known) if r.any(s.ASSESSMENT_RESULTS, s.ASSESSMENT_ACTIONS)
                        else ({}, {}))
    return [
        validated(
            Assessment,
            {**pick(x, "id", "date", "kind", "from_stage", "to_stage", "outcome", "notes", "map_revision", "scale",
                    "stage_outcome"),
             "assessors": [a["name"] for a in assessors.get(x["id"], ())],
             "map_snapshot": read_snapshot(x["map_snapshot"], f"id {shown(x['id'])}"),
             "results": results.get(x["id"], []),
             "actions": actions.get(x["id"], [])},
            s.ASSESSMENTS, f"id {shown(x['id'])}")
        for x in rows
    ]


def _components_only(r: TableReader, service_id: str) -> WardleyMap:
    """The map row's checks as the reader makes them, then only its components."""
    m = one_row(s.MAP, r.rows(s.MAP))
    if m["service_id"] != service_id:
        raise FileProblem(f"bad value in map.service_id: {shown(m['service_id'])} is not the service's id {shown(service_id)}")
    labels = read_labels(m["evolution_labels"])
    # The reader's own mapping: values are in the table's column order, as it selects them.
    components = build_components(r.values(s.COMPONENTS))
    unique_ids(s.COMPONENTS, [c.id for c in components])
    return WardleyMap(title=m["title"], evolution_labels=labels, style=m["style"], components=components)


def read_last_save(path: str | os.PathLike[str]) -> Revision | None:
    """The file's last recorded save (its highest-numbered revision), or None when it
    records none; StorageError with one line naming the file.

    The light read leaves the revisions out; the network needs the last one only when
    two files hold one service id (a copy left in the folder), to keep the newer. With
    the reader's guards, as ``read_network_document``; one row read, by its key."""
    return read_tables(path, (s.REVISIONS,), _last_save)


_LAST_SAVE = (
    "SELECT number, saved_at, author, summary, fingerprint FROM revisions ORDER BY number DESC LIMIT 1"
)


def _last_save(r: TableReader) -> Revision | None:
    if not r.any(s.REVISIONS):
        return None
    row = r.conn.execute(_LAST_SAVE).fetchone()
    values = dict(zip(("number", "saved_at", "author", "summary", "fingerprint"), row, strict=True))
    return validated(Revision, values, s.REVISIONS, f"number {shown(row[0])}")


__all__ = ["NETWORK_TABLES", "TableReader", "read_last_save", "read_network_document", "read_tables"]
