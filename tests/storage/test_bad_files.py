"""Files that are not good .osom files: one-line StorageError naming the file, file untouched."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from osom_desktop.model import OsomError, ServiceDocument
from osom_desktop.storage import SCHEMA_VERSION, ChangedOutsideError, StorageError, open_document, save_document
from tests.storage.files import Snapshot, flip_bytes
from tests.storage.generate import rich_document

PAGE = 4096


def good_file(folder: Path, name: str = "tea.osom") -> Path:
    path = folder / name
    save_document(rich_document(), path)
    return path


def sql(path: Path, *statements: str) -> None:
    """Change a file with plain sqlite3, as another program (or an attacker) would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def open_refused(path: Path) -> str:
    """Open ``path``, expecting a refusal; checks the message and that nothing changed."""
    before = Snapshot.of(path)
    with pytest.raises(StorageError) as info:
        open_document(path)
    message = str(info.value)
    assert isinstance(info.value, OsomError)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path.name}: ")
    assert len(message) < 300
    assert Snapshot.of(path) == before, "opening changed the file or its folder"
    return message


# Each case makes a bad file in a folder and names words the message must contain.
Case = Callable[[Path], Path]


def text_file(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("Shopping list\n- tea\n- milk\n", encoding="utf-8")
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.osom"
    path.write_bytes(b"")
    return path


def header_only(folder: Path) -> Path:
    path = folder / "stub.osom"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    return path


def other_sqlite_database(folder: Path) -> Path:
    path = folder / "places.sqlite"
    sql(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)", "INSERT INTO moz_places (url) VALUES ('x')")
    return path


def wrong_application_id(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "PRAGMA application_id = 1234")
    return path


def newer_schema(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return path


def unknown_old_schema(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "PRAGMA user_version = 0")
    return path


def truncated_mid_page(folder: Path) -> Path:
    path = good_file(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])
    return path


def truncated_on_page_boundary(folder: Path) -> Path:
    path = good_file(folder)
    data = path.read_bytes()
    path.write_bytes(data[: (len(data) // PAGE // 2) * PAGE])
    return path


def page_overwritten_in_the_middle(folder: Path) -> Path:
    """A sector of garbage in the middle (a bad disk, a broken sync)."""
    path = good_file(folder)
    data = bytearray(path.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + PAGE] = random.Random(42).randbytes(PAGE)
    path.write_bytes(bytes(data))
    return path


def byte_flipped_inside_a_text(folder: Path) -> Path:
    """Damage quick_check cannot see: the fingerprint catches it."""
    path = good_file(folder)
    offset = path.read_bytes().index(b"Serve tea.")
    flip_bytes(path, offset + 2)  # 'r' -> an invalid byte...
    data = bytearray(path.read_bytes())
    data[offset + 2] = ord("a")  # ...make it valid text again: "Seave tea."
    path.write_bytes(bytes(data))
    return path


def missing_table(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "DROP TABLE notes")
    return path


def missing_column(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "ALTER TABLE components DROP COLUMN description")
    return path


def bad_enum_value(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE components SET kind = 'spaceship' WHERE id = 'c-power'")
    return path


def text_in_a_number_column(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE notes SET visibility = 'high' WHERE id = 'n1'")
    return path


def boolean_out_of_range(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE links SET source_evolved = 2 WHERE id = 'l3'")
    return path


def null_in_a_required_column(folder: Path) -> Path:
    path = good_file(folder)
    # The NOT NULL constraint stops sqlite3; a file made by hand need not have one.
    sql(
        path,
        "CREATE TABLE n2 (id TEXT, position INTEGER, text TEXT, visibility REAL, evolution REAL)",
        "INSERT INTO n2 SELECT * FROM notes",
        "UPDATE n2 SET evolution = NULL WHERE id = 'n2'",
        "DROP TABLE notes",
        "ALTER TABLE n2 RENAME TO notes",
    )
    return path


def empty_service_name(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE service SET name = '   '")
    return path


def bad_date(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE decisions SET decided_on = 'last tuesday' WHERE id = 'g1'")
    return path


def empty_guidance_title(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE decisions SET guidance_title = '' WHERE id = 'g2'")
    return path


def invalid_utf8(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE service SET manager = CAST(x'4afffe' AS TEXT)")
    return path


def blob_id(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE urls SET id = x'00ff'")
    return path


def duplicate_ids(folder: Path) -> Path:
    path = good_file(folder)
    sql(
        path,
        "CREATE TABLE n2 AS SELECT * FROM notes",
        "INSERT INTO n2 SELECT * FROM notes",
        "DROP TABLE notes",
        "ALTER TABLE n2 RENAME TO notes",
    )
    return path


def orphan_measure_value(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "INSERT INTO measure_values VALUES ('no-such-measure', 0, '2024-01-01', 1.0, '')")
    return path


def two_services(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "INSERT INTO service VALUES ('other', 'Other', '', 'live')")
    return path


def bad_evolution_labels(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE map SET evolution_labels = '{\"not\": \"a list\"}'")
    return path


def half_a_label(folder: Path) -> Path:
    path = good_file(folder)
    sql(path, "UPDATE components SET label_dy = NULL WHERE id = 'c-kettle'")
    return path


CASES: list[tuple[Case, tuple[str, ...]]] = [
    (text_file, ("not an OSOM service file", "not an SQLite database")),
    (empty_file, ("not an OSOM service file", "empty")),
    (header_only, ("damaged", "truncated")),
    (other_sqlite_database, ("not an OSOM service file", "another program")),
    (wrong_application_id, ("not an OSOM service file", "0x4d2")),
    (newer_schema, ("newer OSOM Desktop", f"file format {SCHEMA_VERSION + 1}")),
    (unknown_old_schema, ("file format 0",)),
    (truncated_mid_page, ("damaged", "truncated")),
    (truncated_on_page_boundary, ("damaged", "truncated")),
    (page_overwritten_in_the_middle, ("damaged",)),
    (byte_flipped_inside_a_text, ("damaged", "fingerprint")),
    (missing_table, ("table notes is missing",)),
    (missing_column, ("column components.description is missing",)),
    (bad_enum_value, ("components.kind", "'c-power'", "'spaceship'")),
    (text_in_a_number_column, ("notes.visibility", "'n1'", "expected a number", "'high'")),
    (boolean_out_of_range, ("links.source_evolved", "'l3'", "0 or 1", "got 2")),
    (null_in_a_required_column, ("notes.evolution", "'n2'", "required")),
    (empty_service_name, ("service.name", "'svc-tea'")),
    (bad_date, ("decisions.decided_on", "'g1'", "'last tuesday'")),
    (empty_guidance_title, ("decisions.guidance_title", "'g2'")),
    (invalid_utf8, ("service", "UTF-8")),
    (blob_id, ("urls.id", "expected text")),
    (duplicate_ids, ("notes.id", "two rows")),
    (orphan_measure_value, ("measure_values.measure_id", "'no-such-measure'")),
    (two_services, ("service", "one row, found 2")),
    (bad_evolution_labels, ("map.evolution_labels", "JSON list")),
    (half_a_label, ("components.label_dx/label_dy", "'c-kettle'")),
]


@pytest.mark.parametrize(("make", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_file_is_refused_in_one_line_and_left_alone(tmp_path: Path, make: Case, words: tuple[str, ...]) -> None:
    path = make(tmp_path)
    message = open_refused(path)
    for word in words:
        assert word in message, message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"^gone\.osom: no such file$"):
        open_document(tmp_path / "gone.osom")
    (tmp_path / "folder.osom").mkdir()
    with pytest.raises(StorageError, match=r"^folder\.osom: is a folder"):
        open_document(tmp_path / "folder.osom")


def test_edited_file_opens_when_fingerprint_check_is_skipped(tmp_path: Path) -> None:
    """A file someone fixed up with the sqlite3 shell can still be rescued."""
    path = good_file(tmp_path)
    sql(path, "UPDATE service SET manager = 'Edited by hand'")
    assert "fingerprint" in open_refused(path)
    with pytest.raises(ChangedOutsideError):  # the app and osom offer "open anyway" for this one
        open_document(path)
    assert open_document(path, verify=False).service.manager == "Edited by hand"


def test_wal_mode_file_from_another_tool_opens(tmp_path: Path) -> None:
    """A file another tool switched to WAL (and closed cleanly) is read, not changed."""
    path = good_file(tmp_path)
    sql(path, "PRAGMA journal_mode = WAL")
    assert path.read_bytes()[18:20] == b"\x02\x02"
    before = Snapshot.of(path)
    assert open_document(path) == open_document(path, verify=True)
    assert open_document(path).service.id == "svc-tea"
    assert Snapshot.of(path) == before


def test_wal_file_with_unmerged_changes_is_refused(tmp_path: Path) -> None:
    path = good_file(tmp_path)
    sql(path, "PRAGMA journal_mode = WAL")
    (tmp_path / "tea.osom-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    assert "tea.osom-wal" in open_refused(path)


def test_random_damage_never_escapes_as_another_error(tmp_path: Path) -> None:
    """Flip bits and smear bytes anywhere: either a one-line StorageError, or the same
    content (damage to unused space, or to old revisions' texts, which the
    fingerprint does not cover)."""
    path = good_file(tmp_path, "good.osom")
    good = path.read_bytes()
    expected = rich_document()
    rnd = random.Random(20240601)
    target = tmp_path / "damaged.osom"
    outcomes = {"refused": 0, "same": 0}
    for i in range(300):
        data = bytearray(good)
        if i % 2:
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        else:
            at = rnd.randrange(len(data) - 16)
            data[at : at + 16] = rnd.randbytes(16)
        target.write_bytes(bytes(data))
        try:
            doc = open_document(target)
        except StorageError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("damaged.osom: ")
            outcomes["refused"] += 1
            continue
        for field in ServiceDocument.model_fields:
            if field != "revisions":
                assert getattr(doc, field) == getattr(expected, field), (i, field)
        outcomes["same"] += 1
    assert outcomes["refused"] > 10


def test_fingerprints_from_another_method_are_not_held_against_the_file(tmp_path: Path) -> None:
    """After a pydantic-core upgrade, old files must not look damaged: their
    fingerprints are not compared until this version saves them again."""
    path = good_file(tmp_path)
    sql(
        path,
        "UPDATE service SET manager = 'Serialized differently'",
        "UPDATE file_info SET value = 'sha256 of pydantic-core 2.0.0 JSON, revisions and defaults excluded' WHERE key = 'fingerprint'",
    )
    doc = open_document(path)
    assert doc.service.manager == "Serialized differently"
    save_document(doc, path)
    sql(path, "UPDATE service SET manager = 'Edited after the save'")
    assert "fingerprint" in open_refused(path)
