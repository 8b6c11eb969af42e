"""A service file's id and name, peeked from the few pages that hold them, without SQLite.

Checking one file needs to know which files of its folder are the services it names,
so every file's id and name is read the first time a folder is met (``folder.py``).
``summary.read_identity`` reads the whole file into a private SQLite copy and lets
SQLite parse its 65-entry schema: 0.5-1 ms a file, 1-2 s for a folder of 2,000.

``peek_identity`` reads only the SQLite header, the pages of the schema table and the
one page of the ``service`` table (5 pages of 4 KB of a 280 KB file) and decodes the
one row: 30-70 us a file. The schema's B-tree cells are parsed in Python once per
distinct schema: every file one OSOM version writes has the same schema pages, byte
for byte, so later files are recognised by comparing their pages with those. It is only a shortcut, and strict: it
answers only for the file it fully understands, and otherwise says "not sure" (None),
and the caller asks ``read_identity`` (whose answer, or one-line reason, then stands).
It says "not sure" for anything outside what OSOM writes:

* not a regular file of at most ``max_file_bytes``, changed since it was listed, or a
  header ``check_header`` or SQLite would refuse (magic, page size, whole pages, page
  count, payload fractions, WAL mode, a text encoding other than UTF-8);
* another application id, a format outside ``1..SCHEMA_VERSION``;
* a schema entry other than a table or an index (``reader.check_objects`` refuses
  those), a virtual table, text that is not UTF-8, not exactly one table named
  ``service`` (any case), or a ``service`` table whose ``CREATE`` statement is not
  the one OSOM writes (so the id and name are its first two columns);
* a ``service`` table that is not a single leaf page with one row, a row spilling
  onto overflow pages, an id or name that is not text or not UTF-8;
* any page number, offset or length outside the file, a loop, a B-tree deeper than
  SQLite ever builds for a schema.

The schema statements other than ``service``'s are not parsed here, but SQLite
parses them all and refuses a file for one it cannot: so the first file of each
distinct schema is also opened by SQLite on a private copy (once per schema per
process, ~0.5 ms), and a schema it refuses is remembered as "not sure" for every file
holding it. So when it answers, ``read_identity`` gives that same id and name; a file
the peek called readable and SQLite refused was listed as unreadable nowhere when no
document named it. Damage in pages neither reads (rows of other tables) is found by
the full read (``read_summary``) of the files a document names, as before.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
from pathlib import Path
from stat import S_ISREG

from osom_desktop.storage import schema as s
from osom_desktop.storage.checks import FileProblem
from osom_desktop.storage.limits import max_file_bytes
from osom_desktop.storage.reader import check_header, private_copy
from osom_desktop.storage.summary import stamp_of

# The statement OSOM writes for the service table (sqlite-utils' form), as SQLite keeps it
# in the schema. A file whose service table was made by anything else is read by SQLite.
SERVICE_SQL = (
    'CREATE TABLE "service" (\n'
    '   "id" TEXT PRIMARY KEY NOT NULL,\n'
    '   "name" TEXT NOT NULL,\n'
    '   "manager" TEXT NOT NULL,\n'
    '   "lifecycle" TEXT NOT NULL\n'
    ")"
)
_MAGIC = b"SQLite format 3\x00"
# The 100-byte file header: magic, page size, write/read versions, reserved bytes, payload
# fractions, change counter, page count, schema format, text encoding, user version,
# application id, version-valid-for (https://sqlite.org/fileformat2.html#the_database_header).
_HEADER = struct.Struct(">16sHBBBBBB4sI12xI8xII4xI20x4s4x")
_MAX_SCHEMA_PAGES = 16  # OSOM's schema is 3-4 pages of 4 KB; a giant one is left to SQLite
_MAX_DEPTH = 8
# Schemas seen before, by page 1 (after the file header): (usable page size, the other
# schema pages in B-tree order as (number, bytes), the service table's root page or None).
_SCHEMAS: dict[bytes, list[tuple[int, tuple[tuple[int, bytes], ...], int | None]]] = {}
_MAX_SCHEMAS = 16  # of at most 16 pages of 16 KB each
_SCHEMAS_LOCK = threading.Lock()
_UNKNOWN = object()
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class _NotSure(Exception):
    """Anything this reader does not fully understand: SQLite decides."""


def peek_identity(path: str | os.PathLike[str], st: os.stat_result, cap: int | None = None) -> tuple[str, str] | None:
    """(service id, service name) of the file at ``path`` listed with ``st``; None when not sure.

    ``cap``: ``limits.max_file_bytes()``, when the caller has it (reading the
    environment for each of 2,000 files is a fifth of the cost). Never raises and never
    blocks (opened non-blocking, checked with ``fstat``).
    """
    if not S_ISREG(st.st_mode) or not 0 < st.st_size <= (max_file_bytes() if cap is None else cap):
        return None
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        now = os.fstat(fd)
        if stamp_of(now) != stamp_of(st) or now.st_dev != st.st_dev:
            return None  # changed (or swapped) since listed: SQLite reads what is there now
        return _Pages(fd, st.st_size).identity()
    except (_NotSure, OSError, IndexError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    finally:
        os.close(fd)


class _Pages:
    def __init__(self, fd: int, size: int) -> None:
        self.fd = fd
        self.size = size
        first = os.pread(fd, 4096, 0)
        if len(first) < 100:
            raise _NotSure
        (magic, raw, write, read, reserved, max_frac, min_frac, leaf_frac, counter, declared, schema_format,
         encoding, version, app_id, valid_for) = _HEADER.unpack_from(first)
        if magic != _MAGIC or (write, read) != (1, 1) or (max_frac, min_frac, leaf_frac) != (64, 32, 32):
            raise _NotSure  # not SQLite; WAL mode (its content may sit in a -wal file); fractions SQLite requires
        if encoding != 1 or not 1 <= schema_format <= 4 or app_id != s.APPLICATION_ID or not 1 <= version <= s.SCHEMA_VERSION:
            raise _NotSure  # UTF-8 text only; a known schema format; ours, in a format we read
        self.page_size = 65536 if raw == 1 else raw
        if self.page_size < 512 or self.page_size & (self.page_size - 1) or size % self.page_size or self.page_size > 16384:
            raise _NotSure
        self.pages = size // self.page_size
        if declared and counter == valid_for:  # then SQLite takes the header's page count
            if declared > self.pages:
                raise _NotSure
            self.pages = declared
        self.usable = self.page_size - reserved
        if self.usable < 480:
            raise _NotSure
        self.first = first if self.page_size == 4096 else None

    def page(self, number: int) -> bytes:
        if not 1 <= number <= self.pages:
            raise _NotSure
        if number == 1 and self.first is not None:
            return self.first
        data = os.pread(self.fd, self.page_size, (number - 1) * self.page_size)
        if len(data) != self.page_size:
            raise _NotSure
        return data

    def identity(self) -> tuple[str, str]:
        root = self._known_root()
        if root is _UNKNOWN:
            with _SCHEMAS_LOCK:  # (scans in other threads may be adding theirs)
                known = sum(map(len, _SCHEMAS.values()))
            if known >= _MAX_SCHEMAS:  # many schemas not OSOM's own: SQLite is quicker
                raise _NotSure
            pages: list[tuple[int, int, bytes]] = []  # (number, kind, bytes) of each page of the schema table
            self._schema_pages(1, 0, pages)
            try:
                root = self._service_root(pages)
            except (_NotSure, IndexError, ValueError, UnicodeDecodeError):
                root = None
            if root is not None and not self._sqlite_loads_schema():
                root = None  # SQLite refuses these schema pages: every file holding them is read by it
            others = tuple((number, page) for number, _, page in pages[1:])
            with _SCHEMAS_LOCK:
                _SCHEMAS.setdefault(pages[0][2][100:], []).append((self.usable, others, root))
        if not isinstance(root, int):
            raise _NotSure
        page = self.page(root)
        if page[0] != 13 or int.from_bytes(page[3:5], "big") != 1:  # one leaf page of one row
            raise _NotSure
        row = _columns(self._leaf_cell(page, int.from_bytes(page[8:10], "big"), 10), 2)
        if not isinstance(row[0], str) or not isinstance(row[1], str):
            raise _NotSure
        return row[0], row[1]

    def _sqlite_loads_schema(self) -> bool:
        """Whether SQLite parses this file's schema, asked once per distinct schema.

        The peek decodes only the ``service`` entry of the schema; SQLite parses every
        CREATE statement on opening and refuses the whole file for one it cannot parse
        (a mistyped byte in another table's statement). Such a file, peeked as readable,
        was named nowhere as unreadable when no document named its service (issue 13).
        Asked on a private copy, as ``read_identity`` does, for the first file of each
        schema: other files with the same schema pages get the same answer from SQLite.
        """
        try:
            data = os.pread(self.fd, self.size, 0)
            if len(data) != self.size:
                raise _NotSure  # (shorter than listed: changed meanwhile)
            conn = private_copy(check_header(Path("peeked"), data))
        except (FileProblem, sqlite3.DatabaseError):
            raise _NotSure from None  # the header, not the schema: this file alone goes to SQLite
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # parses every statement
        except sqlite3.DatabaseError:
            return False
        finally:
            conn.close()
        return True

    def _known_root(self) -> object:
        """What a schema seen before says (the service table's root page, or None: not sure),
        when this file's schema pages are the same bytes; else _UNKNOWN.

        Files written by one OSOM version have the same schema pages, byte for byte, so
        their 65 entries are parsed once, not once a file (most of the cost in Python).
        Page 1 decides which pages come next, so equal pages read in the remembered
        order are the same schema B-tree.
        """
        for usable, others, root in _SCHEMAS.get(self.page(1)[100:], ()):
            if usable != self.usable:
                continue
            try:
                if all(self.page(number) == page for number, page in others):
                    return root
            except _NotSure:  # a page this file does not have: not that schema
                continue
        return _UNKNOWN

    def _service_root(self, pages: list[tuple[int, int, bytes]]) -> int:
        """The root page of the one ``service`` table the schema pages describe (or _NotSure)."""
        service: list[tuple[int, str]] = []  # (root page, sql) of each table named service
        for number, kind, page in pages:
            if kind != 13:
                continue
            h = 100 if number == 1 else 0
            cells, pointers = int.from_bytes(page[h + 3:h + 5], "big"), h + 8
            for c in range(cells):
                at = int.from_bytes(page[pointers + 2 * c:pointers + 2 * c + 2], "big")
                entry_kind, name, _tbl, root, sql = _columns(self._leaf_cell(page, at, pointers + 2 * cells), 5)
                if not isinstance(entry_kind, str) or not isinstance(name, str):
                    raise _NotSure
                if entry_kind == "index":
                    continue
                if entry_kind != "table" or (isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE VIRTUAL")):
                    raise _NotSure  # refused by check_objects: SQLite gives the reason
                if name.lower() == "service":
                    if not isinstance(root, int) or not isinstance(sql, str):
                        raise _NotSure
                    service.append((root, sql))
        if len(service) != 1 or service[0][1] != SERVICE_SQL:
            raise _NotSure
        return service[0][0]

    def _schema_pages(self, number: int, depth: int, out: list[tuple[int, int, bytes]]) -> None:
        """Every page of the B-tree rooted at ``number``, in order, each checked for shape."""
        if depth > _MAX_DEPTH or len(out) >= _MAX_SCHEMA_PAGES or any(n == number for n, _, _ in out):
            raise _NotSure  # too big, too deep, or a page met twice (a loop)
        page = self.page(number)
        h = 100 if number == 1 else 0
        kind, cells = page[h], int.from_bytes(page[h + 3:h + 5], "big")
        pointers = h + (12 if kind == 5 else 8)
        if kind not in (5, 13) or pointers + 2 * cells > self.usable:
            raise _NotSure
        out.append((number, kind, page))
        if kind == 13:
            return
        children = []
        for i in range(cells):
            at = int.from_bytes(page[pointers + 2 * i:pointers + 2 * i + 2], "big")
            if not pointers + 2 * cells <= at <= self.usable - 4:
                raise _NotSure
            children.append(int.from_bytes(page[at:at + 4], "big"))
        children.append(int.from_bytes(page[h + 8:h + 12], "big"))
        for child in children:
            self._schema_pages(child, depth + 1, out)

    def _leaf_cell(self, page: bytes, at: int, low: int) -> bytes:
        """The payload of the table leaf cell at ``at``, wholly on the page (no overflow)."""
        if not low <= at < self.usable:
            raise _NotSure
        size, at = _varint(page, at)
        _rowid, at = _varint(page, at)
        if size > self.usable - 35 or at + size > self.usable:
            raise _NotSure  # spills onto overflow pages, or runs off the page
        return page[at:at + size]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def _columns(record: bytes, count: int) -> list[object]:
    """The first ``count`` values of an SQLite record (text, int, None; others raise _NotSure)."""
    header_size, at = _varint(record, 0)
    if not at <= header_size <= len(record):
        raise _NotSure
    body = header_size
    out: list[object] = []
    while at < header_size and len(out) < count:
        serial, at = _varint(record, at)
        if serial >= 13 and serial % 2:
            n = (serial - 13) // 2
            if body + n > len(record):
                raise _NotSure
            out.append(record[body:body + n].decode("utf-8"))
        elif serial == 0:
            n = 0
            out.append(None)
        elif serial in _INT_SIZES:
            n = _INT_SIZES[serial]
            if body + n > len(record):
                raise _NotSure
            out.append(int.from_bytes(record[body:body + n], "big", signed=True))
        elif serial in (8, 9):
            n = 0
            out.append(serial - 8)
        else:  # a float, a blob, reserved types: nothing an id, name or schema entry is
            raise _NotSure
        body += n
    if at > header_size or len(out) < count:
        raise _NotSure
    return out
