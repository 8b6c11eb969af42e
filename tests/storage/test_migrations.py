"""The migration runner is real: steps run in order on real files, old files open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from osom_desktop.storage import SCHEMA_VERSION, StorageError, open_document, save_document
from osom_desktop.storage.migrations import MIGRATIONS, migrate, user_version
from osom_desktop.storage.reader import check_header, private_copy, read_document
from tests.storage.files import Snapshot
from tests.storage.generate import rich_document


def test_schema_version_matches_the_migration_list() -> None:
    assert SCHEMA_VERSION == len(MIGRATIONS) + 1


def test_runner_applies_registered_steps_in_order_on_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "svc.osom"
    save_document(rich_document(), path)
    # The steps below are made up: pretend the file is version 1 so both run.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    ran: list[tuple[str, int]] = []

    def add_colour(db: sqlite_utils.Database) -> None:  # version 1 -> 2
        ran.append(("add_colour", user_version(db)))
        db["components"].add_column("colour", str)
        db.execute("UPDATE components SET colour = 'red'")

    def add_tags(db: sqlite_utils.Database) -> None:  # version 2 -> 3, needs step 1
        ran.append(("add_tags", user_version(db)))
        db["tags"].create({"component_id": str, "tag": str})
        db["tags"].insert_all({"component_id": r["id"], "tag": r["colour"]} for r in db.query("SELECT id, colour FROM components"))

    db = sqlite_utils.Database(sqlite3.connect(path), execute_plugins=False)
    assert migrate(db, [add_colour, add_tags]) == [2, 3]
    db.conn.close()

    assert ran == [("add_colour", 1), ("add_tags", 2)]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM tags WHERE tag = 'red'").fetchone()[0] == len(rich_document().map.components)
    conn.close()

    # Already at the newest version: nothing runs.
    db = sqlite_utils.Database(sqlite3.connect(path), execute_plugins=False)
    assert migrate(db, [add_colour, add_tags]) == []
    with pytest.raises(ValueError):
        migrate(db, [add_colour], target=5)
    db.conn.close()


def test_old_file_is_migrated_in_memory_and_left_alone(tmp_path: Path) -> None:
    """A hand-made "current version" file whose components column had an older name is
    read by a reader that knows one more version, through a real step; the file is
    untouched."""
    path = tmp_path / "old.osom"
    doc = rich_document()
    save_document(doc, path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE components RENAME COLUMN description TO notes_text")
    conn.commit()
    conn.close()
    before = Snapshot.of(path)

    # The current reader (no step for it) names what is missing...
    with pytest.raises(StorageError, match="column components.description is missing"):
        open_document(path)

    # ...a reader with the step renames it back, in its private copy only.
    def rename_description(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE components RENAME COLUMN notes_text TO description")

    copy = private_copy(check_header(path, path.read_bytes()))
    try:
        opened = read_document(copy, migrations=[*MIGRATIONS, rename_description])
        assert copy.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    finally:
        copy.close()
    assert opened == doc
    assert Snapshot.of(path) == before


def test_failing_step_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "old.osom"
    save_document(rich_document(), path)

    def broken(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE no_such_table ADD COLUMN x TEXT")

    copy = private_copy(path.read_bytes())
    try:
        with pytest.raises(Exception, match=f"could not upgrade from file format {SCHEMA_VERSION}: no such table"):
            read_document(copy, migrations=[*MIGRATIONS, broken])
    finally:
        copy.close()
