"""open_document: a ``.osom`` file -> a ServiceDocument, treating the file as hostile.

Files arrive by email and on shared drives, so opening one must do nothing but build
a document or raise a one-line StorageError, and must never change the file. How:

* The file is read into memory in one go and never opened by SQLite: SQLite works on
  a private copy (``Connection.deserialize``), so no journal, lock or WAL file can
  appear beside the original, a hot journal left by another program is not rolled
  back into it, and a read-only folder or file is no obstacle.
* Only a regular file is read (never a FIFO, a device or a socket: opening those could
  wait forever or read without end), opened non-blocking and read up to a size cap;
  every table's row count is checked against a cap before its rows are read, and
  JSON values are checked for nesting depth before they are parsed (``limits.py``).
* Before SQLite sees the bytes: the SQLite header is checked (empty file, text file,
  truncated file each get their own message).
* ``PRAGMA trusted_schema=OFF`` is set before the schema is touched, then
  ``PRAGMA quick_check`` runs first, then application_id and user_version are checked
  (a newer schema is refused, an older one migrated on the private copy).
* Any trigger, view or virtual table is refused before a single row is read: an OSOM
  file never has one, and they are how a file could run code in whoever opens it.
* Only known tables and columns are read; every value is checked (types, enums,
  0/1 booleans) by one SQL scan per table, then (load.py) service records go
  through their pydantic models and map elements are built directly as dataclasses.
* Finally the content's fingerprint is compared with the one the last save
  recorded, which catches damage quick_check cannot see (a changed byte inside a
  text) and edits made with other tools.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.validation import first_error
from osom_desktop.storage import schema as s
from osom_desktop.storage.atomic import tidy_folder_of
from osom_desktop.storage.checks import ContentChanged, FileProblem
from osom_desktop.storage.errors import ChangedOutsideError, StorageError, shown
from osom_desktop.storage.fingerprint import FINGERPRINT_METHOD, document_fingerprint
from osom_desktop.storage.limits import max_rows, read_limited, too_many_rows
from osom_desktop.storage.load import read_budgets, read_file_info, read_governance, read_map, read_records, read_revisions, read_service
from osom_desktop.storage.migrations import MIGRATIONS, Migration, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
NOT_OSOM = "not an OSOM service file"
# Longest text or row SQLite may build while reading: far above any real value, far
# below what a hostile file could make us allocate with the default of 1 GB.
MAX_VALUE_BYTES = 64 * 1024 * 1024

# -- bytes and header ----------------------------------------------------------------


def read_file_bytes(path: Path) -> bytes:
    """The whole file, read once and bounded (``limits.read_limited``): a FIFO, a device,
    or a file over the size cap is refused before anything is read."""
    return read_limited(path)


def check_header(path: Path, data: bytes) -> bytes:
    """Refuse what is not a complete SQLite database; returns the bytes SQLite gets."""
    if not data:
        raise FileProblem(f"{NOT_OSOM} (the file is empty)")
    if not data.startswith(SQLITE_HEADER):
        raise FileProblem(f"{NOT_OSOM} (not an SQLite database)")
    if len(data) < 100:
        raise FileProblem(f"damaged: truncated ({len(data)} bytes, shorter than an SQLite header)")
    _check_pages(data)
    if data[18] == 2 or data[19] == 2:
        return _without_wal(path, data)
    return data


def _check_pages(data: bytes) -> None:
    """The header's page size is valid and the file holds whole pages, all of them."""
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


def _without_wal(path: Path, data: bytes) -> bytes:
    """A WAL-mode database (written by another tool). Its committed content may sit
    in a -wal file beside it; without one, the main file is complete and we read
    our copy as a rollback-journal database. Ours are never WAL."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise FileProblem(f"has changes in {wal.name} not yet written into it (open and close it with the program that wrote it)")
    patched = bytearray(data)
    patched[18] = patched[19] = 1
    return bytes(patched)


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


def check_database(
    conn: sqlite3.Connection, migrations: list[Migration], tables: tuple[s.Table, ...] = s.TABLES
) -> int:
    """quick_check, application_id, user_version, schema objects, row counts; migrates old files.

    ``tables``: those that must be present and will be read (the summary reads only a
    few). Returns the version the file was written with.
    """
    # quick_check's report quotes names from the damaged file: decode it leniently.
    conn.text_factory = _lenient_text
    try:
        results = [r[0] for r in conn.execute("PRAGMA quick_check")]
        objects_problem = check_objects(conn)
    finally:
        conn.text_factory = str
    if results != ["ok"]:
        raise _integrity_failed(results)
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != s.APPLICATION_ID:
        raise FileProblem(f"{NOT_OSOM} (an SQLite database of another program, application id {app_id:#x})")
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    newest = len(migrations) + 1
    _check_version(version, newest)
    if objects_problem is not None:
        raise FileProblem(objects_problem)
    check_row_counts(conn, None if version < newest or tables is s.TABLES else tuple(t.name for t in tables))
    if version < newest:
        import sqlite_utils  # here, not at the top: it brings numpy, click and dateutil (~0.2 s a process)

        db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
        try:
            migrate(db, migrations)
        except (sqlite3.Error, ValueError) as exc:
            raise FileProblem(f"could not upgrade from file format {version}: {exc}") from None
    check_tables(conn, tables)
    return version


def _integrity_failed(results: list[object]) -> FileProblem:
    first = str(results[0]).replace("*** in database main ***", "").strip() if results else "no result"
    more = f", and {len(results) - 1} more problems" if len(results) > 1 else ""
    return FileProblem(f"damaged: SQLite's integrity check failed ({shown(first, 120)[1:-1]}{more})")


def _check_version(version: int, newest: int) -> None:
    if version > newest:
        raise FileProblem(
            f"written by a newer OSOM Desktop (file format {version}, this version reads up to {newest}); update OSOM Desktop to open it"
        )
    if version < 1:
        raise FileProblem(f"{NOT_OSOM} (file format {version} is unknown)")


def check_objects(conn: sqlite3.Connection) -> str | None:
    """Why the file's schema is refused (a trigger, view or virtual table), or None.

    Runs before any row is read or written: an OSOM file never has these, and they
    are how a file could make whoever opens it run code. Reported after the
    application id check, so a foreign database is named as such first.
    """
    # Only the rows that could be refused come back (the ~50 tables and indexes of an
    # OSOM file are passed over in SQL, not decoded in Python one by one).
    for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type NOT IN ('table', 'index') "
        "OR (type = 'table' AND ltrim(sql, char(32, 9, 10, 11, 12, 13)) LIKE 'CREATE VIRTUAL%')"
    ):
        if kind in ("trigger", "view"):
            return f"refused: contains a {kind} ({shown(name)}), which OSOM files never have; it could run code when read"
        if kind == "table" and isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            return f"refused: contains a virtual table ({shown(name)}), which OSOM files never have"
        if kind not in ("table", "index"):
            return f"refused: contains an unexpected schema object ({shown(kind)} {shown(name)})"
    return None


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def check_tables(conn: sqlite3.Connection, tables: tuple[s.Table, ...] = s.TABLES) -> None:
    """Every known table with every known column (extra ones are ignored)."""
    if not tables:
        return
    present = {str(r[0]).lower() for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        if table.name not in present:
            raise FileProblem(f"damaged: table {table.name} is missing")
        columns = {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({s.quote(table.name)})")}
        for name in table.column_names:
            if name not in columns:
                raise FileProblem(f"damaged: column {table.name}.{name} is missing")


def check_row_counts(conn: sqlite3.Connection, only: tuple[str, ...] | None = None) -> None:
    """Refuse a table with more rows than ``limits.max_rows()`` before any row is read.

    Counted with a bounded query (it stops at cap + 1), so a table of a million rows
    costs no more than one at the cap; reading a million components would take a
    minute and gigabytes.
    """
    if only == ():
        return
    cap = max_rows()
    # Every table, ours or not (a migration may read any of them), or ``only`` those
    # that will be read, in one statement.
    names = [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if only is not None:
        wanted = set(only)
        names = [n for n in names if n.lower() in wanted]
    if not names:
        return
    counts = conn.execute(
        "SELECT " + ", ".join(f"(SELECT count(*) FROM (SELECT 1 FROM {s.quote(n)} LIMIT {cap + 1}))" for n in names)
    ).fetchone()
    for name, count in zip(names, counts, strict=True):
        if count > cap:
            raise FileProblem(too_many_rows(shown(name, 40), cap))


def read_document(conn: sqlite3.Connection, *, verify: bool = True, migrations: list[Migration] = MIGRATIONS) -> ServiceDocument:
    """The document in an already-loaded private database (raises FileProblem)."""
    version = check_database(conn, migrations)
    info = read_file_info(conn)
    service, contract = read_service(conn)
    decisions, assessments, changes = read_records(conn)
    coes, mandates, unmet_needs = read_governance(conn)
    budgets = read_budgets(conn)
    doc = ServiceDocument(
        service=service,
        contract=contract,
        map=read_map(conn, service.id),
        decisions=decisions,
        assessments=assessments,
        contract_changes=changes,
        coes=coes,
        mandates=mandates,
        unmet_needs=unmet_needs,
        budgets=budgets,
        revisions=read_revisions(conn),
    )
    # Fingerprints are comparable only when made the same way over the same model: not
    # for a migrated file, nor one whose fingerprints came from another pydantic-core.
    comparable = version == s.SCHEMA_VERSION and info.get("fingerprint") == FINGERPRINT_METHOD
    if verify and comparable and doc.revisions and doc.revisions[-1].fingerprint:
        last = doc.revisions[-1]
        if document_fingerprint(doc) != last.fingerprint:
            raise ContentChanged(
                f"damaged: its content does not match the fingerprint saved with it (revision {last.number}); "
                "the file was corrupted or changed by another program"
            )
    return doc


@contextlib.contextmanager
def one_line_errors(p: Path) -> Iterator[None]:
    """Whatever goes wrong reading ``p`` leaves as one StorageError line naming it."""
    try:
        yield
    except ContentChanged as exc:
        raise ChangedOutsideError(p, str(exc)) from None
    except FileProblem as exc:
        raise StorageError(p, str(exc)) from None
    except sqlite3.DatabaseError as exc:
        # "database disk image is malformed", "file is not a database", ...
        raise StorageError(p, f"damaged: {exc}") from None
    except UnicodeDecodeError:
        raise StorageError(p, "damaged: text that is not valid UTF-8") from None
    except ValidationError as exc:  # parts are validated one by one; this is a backstop
        raise StorageError(p, f"bad value: {first_error(exc)}") from None
    except MemoryError:
        raise StorageError(p, "too large to open") from None
    except RecursionError:  # a value nested too deeply for a parser we did not guard
        raise StorageError(p, "bad value: nested too deeply to read") from None


def open_private_copy(p: Path) -> sqlite3.Connection:
    """The file's bytes (bounded, header checked) in a private in-memory database."""
    return private_copy(check_header(p, read_file_bytes(p)))


def open_document(path: str | os.PathLike[str], *, verify: bool = True) -> ServiceDocument:
    """Open a ``.osom`` file; the file is never modified, whatever it contains.

    ``verify=False`` skips the fingerprint comparison (and only it), to rescue a file
    someone edited with the sqlite3 shell or Datasette. Raises StorageError with one
    line naming the file and the problem.
    """
    p = Path(path)
    tidy_folder_of(p)  # temp files killed saves left beside it (never this file itself)
    with one_line_errors(p):
        conn = open_private_copy(p)
        try:
            return read_document(conn, verify=verify)
        finally:
            conn.close()
