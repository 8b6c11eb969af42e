"""A cold ``osom check`` (no summary cache) says exactly what a check against the full folder scan says.

With an empty cache every neighbour's id and name is peeked from a few pages
(``storage.peek``) and SQLite reads only the files the peek is not sure of. Why every
file and not only those whose file name looks like a named service: the answers
depend on files nobody would guess. Here, on real files:

* the service named "Payments" lives in ``zz-billing.osom``;
* two files claim the name "Identity" (``by_name`` takes the first by path: the copy
  ``a-identity-copy.osom``, in beta, not ``identity.osom``, retired);
* two files hold the id ``svc-ledger``: ``ledger.osom`` and "A ledger copy" (retired),
  which ``by_id`` takes first, so the check warns of a retired dependency that a look
  at ``ledger.osom`` alone would miss;
* "Hosting platform"'s file was rewritten by another program with its columns in
  another order (the peek must leave it to SQLite, not misread it);
* neighbours that cannot be read: garbage, a FIFO, a file with a trigger, and a file
  claiming "Identity" whose contract holds a bad value (its id and name read, its
  summary refused).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.folder import FolderNeighbours
from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.storage import open_document, peek
from tests.analysis.services import TODAY, component, dependency, document, saved
from tests.cli.test_cli import osom


def edited(path: Path, *sql: str) -> None:
    """``path`` changed in place with SQL, as another program (the sqlite3 shell) would."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(path.read_bytes())
    conn.execute("PRAGMA legacy_alter_table = ON")
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    path.write_bytes(conn.serialize())
    conn.close()


def tricky_folder(folder: Path) -> Path:
    """The folder described above; returns the file to check ("Apply Online", live)."""
    checked = saved(document(
        "Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
        deps=[dependency("Payments", "svc-pay"), dependency("Identity"), dependency("Hosting platform"),
              dependency("Ledger", "svc-ledger")],
        components=[component("Card payments", 0.1, by="Payments", by_id="svc-pay"),
                    component("Login", 0.9, by="identity"),
                    component("Servers", 0.2, by="Hosting  platform"),
                    component("Books", 0.5, by="Ledger", by_id="svc-ledger")],
    ), folder)
    saved(document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA, stage=EvolutionStage.COMMODITY),
          folder, "zz-billing.osom")
    saved(document("Identity", sid="svc-id", lifecycle=LifecycleStage.RETIRED, stage=EvolutionStage.GENESIS), folder)
    saved(document("IDENTITY", sid="svc-id-copy", lifecycle=LifecycleStage.BETA, stage=EvolutionStage.CUSTOM),
          folder, "a-identity-copy.osom")
    saved(document("Ledger", sid="svc-ledger", lifecycle=LifecycleStage.LIVE), folder)
    saved(document("A ledger copy", sid="svc-ledger", lifecycle=LifecycleStage.RETIRED), folder, "0-old.osom")
    hosting = saved(document("Hosting platform", sid="svc-host", lifecycle=LifecycleStage.DISCOVERY,
                             stage=EvolutionStage.COMMODITY), folder, "hosting.osom")
    edited(hosting,
           "ALTER TABLE service RENAME TO old_service",
           'CREATE TABLE service ("name" TEXT NOT NULL, "id" TEXT PRIMARY KEY NOT NULL, '
           '"manager" TEXT NOT NULL, "lifecycle" TEXT NOT NULL)',
           "INSERT INTO service SELECT name, id, manager, lifecycle FROM old_service",
           "DROP TABLE old_service")
    (folder / "broken.osom").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    os.mkfifo(folder / "pipe.osom")
    edited(saved(document("Identity", sid="svc-id-trigger"), folder, "trigger.osom"),
           "CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END")
    edited(saved(document("Identity", sid="svc-id-bad"), folder, "b-identity-bad.osom"),
           "UPDATE contract SET evolution_stage = 'bogus'")
    for i in range(30):  # bystanders nobody names
        saved(document(f"Bystander {i}", sid=f"svc-by-{i}"), folder)
    return checked


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OSOM_HOME", str(tmp_path / "home"))  # an empty summary cache: the cold case
    peek._SCHEMAS.clear()
    return tricky_folder(tmp_path / "services").parent


def test_a_cold_check_finds_what_the_full_scan_finds(folder: Path) -> None:
    checked = folder / "apply-online.osom"
    doc = open_document(checked)
    full = ServiceDirectory.scan(folder, use_cache=False)  # every file summarised by SQLite
    cold = FolderNeighbours(folder).around(doc)
    assert check_document(doc, cold, today=TODAY) == check_document(doc, full, today=TODAY)
    messages = [f.message for f in check_document(doc, cold, today=TODAY)]
    # The neighbours that decide: the ones a look at likely file names alone would get wrong.
    assert any("'A ledger copy', which is retired" in m for m in messages), messages
    assert any("'Payments', which is still in alpha" in m for m in messages), messages
    assert any("'Hosting platform', which is still in discovery" in m for m in messages), messages
    assert not any("'Identity', which is retired" in m for m in messages), messages  # the beta copy is first
    assert any("'IDENTITY' declares itself custom" in m for m in messages), messages
    # The same services and the same unreadable files as SQLite reading every file's id and name.
    near = ServiceDirectory.around(doc, folder, use_cache=False)
    assert [(s.service_id, s.path) for s in cold.services] == [(s.service_id, s.path) for s in near.services]
    assert sorted(cold.unreadable) == sorted(near.unreadable)
    assert {p.name for p, _ in cold.unreadable} == {"broken.osom", "pipe.osom", "trigger.osom", "b-identity-bad.osom"}


def test_every_file_of_the_folder_checked_cold_as_against_the_full_scan(folder: Path) -> None:
    full = ServiceDirectory.scan(folder, use_cache=False)
    neighbours = FolderNeighbours(folder)
    for path in sorted(folder.glob("*.osom")):
        if path.name in ("broken.osom", "pipe.osom", "trigger.osom", "b-identity-bad.osom"):
            continue
        doc = open_document(path, verify=False)  # hosting.osom was edited by another program
        assert check_document(doc, neighbours.around(doc), today=TODAY) == check_document(doc, full, today=TODAY), path


def test_osom_check_says_the_same_cold_and_warm(folder: Path) -> None:
    checked = folder / "apply-online.osom"
    cold = osom("check", checked)
    warm = osom("check", checked)  # the cache the cold run wrote
    assert (cold.returncode, cold.stdout, cold.stderr) == (warm.returncode, warm.stdout, warm.stderr)
    assert "'A ledger copy', which is retired" in cold.stdout
    assert "'Hosting platform', which is still in discovery" in cold.stdout


def test_sqlite_reads_only_the_files_the_peek_is_not_sure_of(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import osom_desktop.storage.summary as summary_module

    read: list[str] = []
    real = summary_module.read_identity
    monkeypatch.setattr(summary_module, "read_identity", lambda p: read.append(Path(p).name) or real(p))
    doc = open_document(folder / "apply-online.osom")
    FolderNeighbours(folder).around(doc)
    assert sorted(read) == ["broken.osom", "hosting.osom", "trigger.osom"]  # 40 others peeked
