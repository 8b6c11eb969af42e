"""``peek_identity``: a file's id and name from a few pages, never different from what SQLite reads.

The rule it must keep: when it answers, ``read_identity`` (SQLite on a private copy)
gives the same id and name or refuses the file; for anything else it says None and
the caller asks SQLite. Shown on real files: ours (it must answer, or a cold
``osom check`` is slow again), files changed by other programs, and bytes damaged
at random in the pages it reads.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from osom_desktop.storage import peek
from osom_desktop.storage.errors import StorageError
from osom_desktop.storage.peek import SERVICE_SQL, peek_identity
from osom_desktop.storage.summary import read_identity
from tests.analysis.services import document, saved

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "osom"


@pytest.fixture(autouse=True)
def _fresh_schemas() -> Iterator[None]:
    """Each test starts with nothing remembered about schemas (and leaves nothing behind)."""
    peek._SCHEMAS.clear()
    yield
    peek._SCHEMAS.clear()


def peeked(path: Path) -> tuple[str, str] | None:
    return peek_identity(path, os.stat(path))


def sqlite_says(path: Path) -> tuple[str, str] | str:
    try:
        return read_identity(path)
    except StorageError as exc:
        return f"refused: {exc}"


def edited(src: Path, dest: Path, *sql: str) -> Path:
    """``src`` changed with SQL, as another program (the sqlite3 shell) would, written to ``dest``."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(src.read_bytes())
    conn.execute("PRAGMA legacy_alter_table = ON")  # a renamed table keeps the others' references as they are
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    dest.write_bytes(conn.serialize())
    conn.close()
    return dest


@pytest.mark.parametrize("name", ["Payments", "Hosting  platform", "Zahlungsverkehr – Prüfung ✓", "x" * 500, "a\x00b"])
def test_a_file_osom_wrote_is_peeked_as_sqlite_reads_it(tmp_path: Path, name: str) -> None:
    path = saved(document(name, sid=f"svc-{len(name)}"), tmp_path, "one.osom")
    assert peeked(path) == read_identity(path) == (f"svc-{len(name)}", name)


def test_the_service_table_statement_is_the_one_osom_writes(tmp_path: Path) -> None:
    """If the writer's statement changes, this fails first (every peek would say None: slow, not wrong)."""
    path = saved(document("Payments"), tmp_path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT sql FROM sqlite_master WHERE name = 'service'").fetchone()[0] == SERVICE_SQL
    finally:
        conn.close()


def test_a_row_too_long_for_one_page_is_left_to_sqlite(tmp_path: Path) -> None:
    base = saved(document("Payments", sid="svc-pay"), tmp_path / "base")
    path = edited(base, tmp_path / "long.osom", "UPDATE service SET manager = printf('%.5000c', 'm')")
    assert peeked(path) is None  # the row spills onto an overflow page
    assert read_identity(path) == ("svc-pay", "Payments")


def test_older_formats_are_peeked_as_sqlite_reads_them(tmp_path: Path) -> None:
    fixtures = sorted(FIXTURES.glob("*.osom"))
    assert len(fixtures) >= 2
    for fixture in fixtures:  # formats 3 and 4, as earlier versions wrote them: the same service table
        copy = Path(shutil.copy(fixture, tmp_path / fixture.name))
        assert peeked(copy) == read_identity(copy), fixture.name


def test_files_changed_by_other_programs_are_left_to_sqlite(tmp_path: Path) -> None:
    base = saved(document("Payments", sid="svc-pay"), tmp_path / "base")
    cases = {
        # The columns in another order: the peek must not take the first two for id and name.
        "swapped.osom": (
            "ALTER TABLE service RENAME TO old_service",
            'CREATE TABLE service ("name" TEXT NOT NULL, "id" TEXT PRIMARY KEY NOT NULL, '
            '"manager" TEXT NOT NULL, "lifecycle" TEXT NOT NULL)',
            "INSERT INTO service (name, id, manager, lifecycle) SELECT name, id, manager, lifecycle FROM old_service",
            "DROP TABLE old_service",
        ),
        "two-rows.osom": ("INSERT INTO service VALUES ('svc-other', 'Other', '', 'alpha')",),
        "no-row.osom": ("DELETE FROM service",),
        "blob-name.osom": ("UPDATE service SET name = x'4142'",),
        "not-utf8.osom": ("UPDATE service SET name = CAST(x'ff41' AS TEXT)",),
        "trigger.osom": ("CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END",),
        "view.osom": ("CREATE VIEW v AS SELECT * FROM service",),
        "app-id.osom": ("PRAGMA application_id = 7",),
        "newer.osom": ("PRAGMA user_version = 99",),
    }
    for filename, sql in cases.items():
        path = edited(base, tmp_path / filename, *sql)
        assert peeked(path) is None, filename
    assert sqlite_says(tmp_path / "swapped.osom") == ("svc-pay", "Payments")
    # A number put in the text column is kept as text by SQLite: the peek reads the same.
    number = edited(base, tmp_path / "number.osom", "UPDATE service SET id = 42")
    assert peeked(number) == sqlite_says(number) == ("42", "Payments")
    assert sqlite_says(tmp_path / "trigger.osom").startswith("refused")


def test_headers_sqlite_would_refuse_are_left_to_it(tmp_path: Path) -> None:
    base = saved(document("Payments", sid="svc-pay"), tmp_path / "base")
    data = base.read_bytes()

    def variant(name: str, at: int, value: bytes) -> Path:
        changed = bytearray(data)
        changed[at:at + len(value)] = value
        out = tmp_path / name
        out.write_bytes(bytes(changed))
        return out

    cases = [
        variant("wal.osom", 18, b"\x02\x02"),
        variant("page-size.osom", 16, b"\x03\x00"),
        variant("encoding.osom", 56, b"\x00\x00\x00\x02"),
        variant("fractions.osom", 21, b"\x41"),
        variant("pages.osom", 28, (len(data) // 4096 + 5).to_bytes(4, "big")),
        variant("magic.osom", 0, b"SQLite format 4"),
    ]
    (tmp_path / "truncated.osom").write_bytes(data[:-100])
    (tmp_path / "empty.osom").write_bytes(b"")
    cases += [tmp_path / "truncated.osom", tmp_path / "empty.osom"]
    for path in cases:
        assert peeked(path) is None, path.name


def test_a_file_changed_since_it_was_listed_is_left_to_sqlite(tmp_path: Path) -> None:
    path = saved(document("Payments", sid="svc-pay"), tmp_path)
    listed = os.stat(path)
    saved(document("Payments renamed", sid="svc-pay"), tmp_path, path.name)  # a save renames a new file over it
    assert peek_identity(path, listed) is None
    assert peeked(path) == ("svc-pay", "Payments renamed")


def test_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.osom"
    os.mkfifo(fifo)
    regular = os.stat(saved(document("Payments"), tmp_path))
    assert peek_identity(fifo, regular) is None  # listed as a file, swapped for a FIFO: opened non-blocking


def test_when_the_peek_answers_sqlite_agrees_or_refuses(tmp_path: Path) -> None:
    """Random damage in the pages the peek reads (header, schema, service row): 600 files."""
    base = saved(document("Payments", sid="svc-pay", deps=[]), tmp_path / "base")
    data = base.read_bytes()
    conn = sqlite3.connect(base)
    try:
        service_root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'service'").fetchone()[0]
    finally:
        conn.close()
    fd = os.open(base, os.O_RDONLY)
    try:
        schema: list[tuple[int, int, bytes]] = []
        peek._Pages(fd, len(data))._schema_pages(1, 0, schema)
    finally:
        os.close(fd)
    regions = [(0, 100)] + [((n - 1) * 4096 + (100 if n == 1 else 0), n * 4096) for n, _, _ in schema]
    regions += [((service_root - 1) * 4096, service_root * 4096)] * 3  # the row itself: most often
    rng = random.Random(11)
    answered = agreed = 0
    for i in range(600):
        if sum(map(len, peek._SCHEMAS.values())) >= 15:  # damage makes new schemas: let every one be worked out
            peek._SCHEMAS.clear()
        assert peeked(base) == ("svc-pay", "Payments")  # the undamaged schema is known: the damaged one is compared to it
        changed = bytearray(data)
        lo, hi = rng.choice(regions)
        for _ in range(rng.choice((1, 1, 2, 4))):
            changed[rng.randrange(lo, hi)] = rng.randrange(256)
        path = tmp_path / f"damaged-{i}.osom"
        path.write_bytes(bytes(changed))
        got = peeked(path)
        if got is not None:
            answered += 1
            truth = sqlite_says(path)
            assert truth == got or (isinstance(truth, str) and truth.startswith("refused")), (i, got, truth)
            agreed += truth == got
        path.unlink()
    assert answered > 100 and agreed > 100  # most damage is where nobody looks; some of it is in the name
