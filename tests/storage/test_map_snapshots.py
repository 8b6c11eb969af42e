"""Assessments keep the map as it was (``assessments.map_snapshot``, schema version 2)."""

from __future__ import annotations

import copy
import math
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from osom_desktop.model import ServiceDocument, WardleyMap
from osom_desktop.storage import SCHEMA_VERSION, StorageError, document_fingerprint, open_document, save_document
from osom_desktop.storage.fingerprint import canonical_json
from tests.storage.files import Snapshot
from tests.storage.generate import large_map, rich_document, rich_map


def _with_snapshots() -> tuple[ServiceDocument, WardleyMap]:
    doc = rich_document()
    old = rich_map()
    old.components[1].evolution = 0.12  # the map has moved since
    old.title = "Tea, as it was"
    doc.assessments[0].map_snapshot = old
    return doc, old


def test_snapshot_round_trips_equal(tmp_path: Path) -> None:
    doc, old = _with_snapshots()
    path = tmp_path / "tea.osom"
    save_document(doc, path)

    opened = open_document(path)

    assert opened == doc
    assert opened.assessments[0].map_snapshot == old
    assert opened.assessments[0].map_snapshot is not old
    assert opened.assessments[0].map_snapshot.annotations[0].points == old.annotations[0].points
    assert isinstance(opened.assessments[0].map_snapshot.annotations[0].points[0], tuple)
    assert opened.assessments[1].map_snapshot is None
    conn = sqlite3.connect(path)
    stored = dict(conn.execute("SELECT id, map_snapshot FROM assessments"))
    conn.close()
    assert stored["as2"] is None
    assert stored["as1"].startswith("{") and "Tea, as it was" in stored["as1"]


def test_large_snapshot_round_trips(tmp_path: Path) -> None:
    doc = rich_document()
    doc.assessments[1].map_snapshot = large_map(1000)
    path = tmp_path / "big.osom"
    save_document(doc, path)
    assert open_document(path) == doc


def test_fingerprint_without_snapshots_is_what_version_1_computed() -> None:
    """exclude_defaults: a document with no snapshot fingerprints as before the field."""
    doc = rich_document()
    assert b"map_snapshot" not in canonical_json(doc)
    before = document_fingerprint(doc)
    doc.assessments[0].map_snapshot = rich_map()
    assert document_fingerprint(doc) != before


def _make_version_1(path: Path) -> ServiceDocument:
    """A version-1 file as the previous OSOM Desktop wrote it: no map_snapshot column."""
    doc = rich_document()
    save_document(doc, path)
    db = sqlite_utils.Database(sqlite3.connect(path), execute_plugins=False)
    db["assessments"].transform(drop={"map_snapshot"})
    db.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.conn.close()
    conn = sqlite3.connect(path)
    assert "map_snapshot" not in [r[1] for r in conn.execute("PRAGMA table_info(assessments)")]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    return doc


def test_version_1_file_opens_migrated_in_memory_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "old.osom"
    doc = _make_version_1(path)
    before = Snapshot.of(path)

    opened = open_document(path)

    assert [a.map_snapshot for a in opened.assessments] == [None, None]
    assert opened == doc
    assert Snapshot.of(path) == before  # same bytes, mtime, folder

    # The next save writes the current schema.
    opened.assessments[0].map_snapshot = copy.deepcopy(opened.map)
    new = tmp_path / "new.osom"
    save_document(opened, new)
    conn = sqlite3.connect(new)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert open_document(new).assessments[0].map_snapshot == doc.map


def test_newer_version_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.osom"
    save_document(rich_document(), path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match=f"newer OSOM Desktop \\(file format {SCHEMA_VERSION + 1}"):
        open_document(path)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("not json", "Invalid JSON"),
        ('{"components": 5}', "at components"),
        ('{"annotations_legend": [NaN, 1]}', "finite number"),
        ('{"components": [{"id": "a"}]}', "Field required at components.0.name"),
    ],
)
def test_bad_snapshot_is_a_one_line_error(tmp_path: Path, stored: str, expected: str) -> None:
    path = tmp_path / "bad.osom"
    save_document(rich_document(), path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE assessments SET map_snapshot = ? WHERE id = 'as1'", (stored,))
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as info:
        open_document(path)
    message = str(info.value)
    assert "\n" not in message
    assert "bad value in assessments.map_snapshot (id 'as1')" in message or 'bad value in assessments.map_snapshot (id "as1")' in message
    assert expected in message


def test_snapshot_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.osom"
    save_document(rich_document(), path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE assessments SET map_snapshot = 42 WHERE id = 'as1'")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match=r"assessments\.map_snapshot"):
        open_document(path)


def test_save_refuses_a_snapshot_it_could_not_read_back(tmp_path: Path) -> None:
    doc = rich_document()
    snapshot = rich_map()
    snapshot.components[1].evolution = math.nan  # dataclass fields are not validated on assignment
    doc.assessments[0].map_snapshot = snapshot
    path = tmp_path / "nan.osom"
    with pytest.raises(StorageError, match=r"not saved: assessments\.map_snapshot"):
        save_document(doc, path)
    assert not path.exists()
