"""Hostile files: a real .osom with a trigger, a view or a virtual table planted in it.

Each payload is first shown to be live (plain sqlite3 runs it), then opening the file
must refuse it with a clear error, without the payload having run.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.plugins import pm

from osom_desktop.storage import StorageError, open_document, save_document
from tests.storage.files import Snapshot
from tests.storage.generate import rich_document


class FlagPlugin:
    """A sqlite-utils plugin, as a user might have installed one: it registers an SQL
    function on every connection sqlite-utils wraps. The function records that it ran.

    If the reader let sqlite-utils load plugins, did not refuse views, and read a view
    named like one of its tables, the planted view would call it.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.connections = 0

    @sqlite_utils.hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        self.connections += 1
        conn.create_function("osom_flag", 0, self._flag)

    def _flag(self) -> str:
        self.calls += 1
        return "pwned"


@pytest.fixture
def flag_plugin() -> Iterator[FlagPlugin]:
    plugin = FlagPlugin()
    pm.register(plugin, name="osom-test-flag")
    try:
        yield plugin
    finally:
        pm.unregister(name="osom-test-flag")


def plant(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(";\n".join(statements))
        conn.commit()
    finally:
        conn.close()


def refused(path: Path, word: str) -> str:
    before = Snapshot.of(path)
    with pytest.raises(StorageError) as info:
        open_document(path)
    message = str(info.value)
    assert message.startswith(f"{path.name}: refused: ") and word in message and "\n" not in message
    assert Snapshot.of(path) == before
    return message


def test_trigger_is_refused_and_never_runs(tmp_path: Path) -> None:
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    plant(
        path,
        "CREATE TABLE pwned (what TEXT)",
        # Fires on any write a migration might make to these tables.
        "CREATE TRIGGER evil_insert AFTER INSERT ON revisions BEGIN INSERT INTO pwned VALUES ('insert'); END",
        "CREATE TRIGGER evil_update AFTER UPDATE ON components BEGIN INSERT INTO pwned VALUES ('update'); END",
    )
    # The payload is live: a write through plain sqlite3 fires it (on a copy).
    probe = tmp_path / "probe.osom"
    shutil.copy(path, probe)
    plant(probe, "UPDATE components SET name = name")
    assert sqlite3.connect(probe).execute("SELECT count(*) FROM pwned").fetchone()[0] > 0

    message = refused(path, "trigger")
    assert "'evil_" in message
    assert sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("SELECT count(*) FROM pwned").fetchone()[0] == 0


def test_view_calling_a_function_is_refused_and_never_runs(tmp_path: Path, flag_plugin: FlagPlugin) -> None:
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    # Replace a table the reader reads with a view that calls the plugin's function.
    plant(
        path,
        "DROP TABLE notes",
        "CREATE VIEW notes AS SELECT osom_flag() AS id, 0 AS position, 'x' AS text, 0.5 AS visibility, 0.5 AS evolution",
    )
    # The payload is live: reading the view through sqlite-utils (plugins on) calls it.
    db = sqlite_utils.Database(sqlite3.connect(path))
    assert list(db.query("SELECT id FROM notes")) == [{"id": "pwned"}]
    db.conn.close()
    assert flag_plugin.calls == 1
    flag_plugin.calls = 0

    refused(path, "view")
    assert flag_plugin.calls == 0


def test_view_writing_through_instead_of_trigger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    plant(
        path,
        "CREATE TABLE pwned (what TEXT)",
        "CREATE VIEW latest AS SELECT * FROM revisions",
        "CREATE TRIGGER write_through INSTEAD OF INSERT ON latest BEGIN INSERT INTO pwned VALUES ('x'); END",
    )
    refused(path, "view")  # listed before its trigger; either is reason enough
    assert sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("SELECT count(*) FROM pwned").fetchone()[0] == 0


def test_virtual_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    plant(path, "CREATE VIRTUAL TABLE search USING fts5(text)")
    refused(path, "virtual table")


def test_storage_never_loads_sqlite_utils_plugins(tmp_path: Path, flag_plugin: FlagPlugin) -> None:
    """Neither saving nor opening lets the user's sqlite-utils plugins onto a connection."""
    sqlite_utils.Database(memory=True)  # the plugin is really registered...
    assert flag_plugin.connections == 1
    path = tmp_path / "tea.osom"
    doc = rich_document()
    save_document(doc, path)
    assert open_document(path) == doc
    assert flag_plugin.connections == 1  # ...and storage never called it
