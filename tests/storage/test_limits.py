"""Limits on what opening one file may cost, and the folder summaries and their cache.

Every hostile file here is real (a FIFO, a symlink to /dev/zero, a socket, SQLite files
with too many rows or JSON nested thousands deep): opening each gives one line naming
the file and the reason, quickly, in a thread that must finish (a FIFO used to block
``open`` forever, /dev/zero was read without end).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory, ServiceSummary
from osom_desktop.storage import StorageError, open_document, save_document
from osom_desktop.storage.limits import json_depth, read_head
from osom_desktop.storage.summary import ServiceFacts, SummaryCache, read_summary
from tests.analysis.services import component, dependency, document, saved, transition
from tests.storage.generate import rich_document


def finishes(fn: Callable[[], object], seconds: float = 30) -> object:
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        pytest.fail(f"still running after {seconds} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def refused(path: Path, *words: str) -> str:
    for read in (open_document, read_summary):
        with pytest.raises(StorageError) as info:
            finishes(lambda read=read: read(path))
        message = str(info.value)
        assert message.startswith(f"{path.name}: ") and "\n" not in message, message
        assert all(w in message for w in words), message
    return message


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "x.osom"
    os.mkfifo(path)
    refused(path, "named pipe")
    assert finishes(lambda: read_head(path, 16)) is None


def test_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "y.osom"
    os.symlink("/dev/zero", path)
    refused(path, "device")


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.osom"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        refused(path, "socket")
    finally:
        sock.close()


def test_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saved(document("Tea"), tmp_path)
    monkeypatch.setenv("OSOM_MAX_FILE_BYTES", str(path.stat().st_size - 1))
    refused(path, "too large", "OSOM_MAX_FILE_BYTES")
    monkeypatch.delenv("OSOM_MAX_FILE_BYTES")
    assert open_document(path).service.name == "Tea"


def add_rows(path: Path, table: str, rows: int) -> None:
    conn = sqlite3.connect(path)
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    picked = ", ".join("'z' || n" if c == "id" else "1000 + n" if c == "position" else c for c in cols)
    conn.execute(f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) "
                 f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM s, (SELECT * FROM {table} LIMIT 1)")
    conn.commit()
    conn.close()


def test_table_over_the_row_cap_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saved(document("Huge", components=[component("Seed")]), tmp_path)
    add_rows(path, "components", 200_000)
    monkeypatch.setenv("OSOM_MAX_ROWS", "100000")
    start = time.perf_counter()
    refused(path, "components", "100,000 rows", "OSOM_MAX_ROWS")
    # Refused by counting, not by building 200,000 components (which took ~2 s here).
    assert time.perf_counter() - start < 5


def test_json_nested_thousands_deep_is_a_bad_value_not_a_recursion_error(tmp_path: Path) -> None:
    labels = saved(document("Labels"), tmp_path)
    conn = sqlite3.connect(labels)
    conn.execute("UPDATE map SET evolution_labels = ?", ("[" * 2000 + "]" * 2000,))
    conn.commit()
    conn.close()
    refused(labels, "map.evolution_labels")

    snap = tmp_path / "snap.osom"
    save_document(rich_document(), snap)
    conn = sqlite3.connect(snap)
    conn.execute("UPDATE assessments SET map_snapshot = ?", ('{"components":' + "[" * 5000 + "]" * 5000 + "}",))
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as info:
        open_document(snap, verify=False)
    assert str(info.value).startswith("snap.osom: bad value in assessments.map_snapshot")


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth('["a[[[", "b{{"]') == 1
    assert json_depth('[["x\\"]]"]]') == 2
    assert json_depth("[" * 100 + "]" * 100) == 100


# -- the summary and its cache ----------------------------------------------------------------


def neighbour(tmp_path: Path) -> Path:
    from osom_desktop.model.service import EvolutionStage, LifecycleStage

    doc = document("Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
                   manager="Åsa", deps=[dependency("Payments", "svc-pay"), dependency("Vendor")],
                   components=[component("Card", 0.9, by="Payments", by_id="svc-pay"), component("Own")],
                   assessments=[transition(LifecycleStage.LIVE, __import__("datetime").date(2026, 2, 10))])
    return saved(doc, tmp_path)


def test_summary_says_what_the_whole_document_says(tmp_path: Path) -> None:
    path = neighbour(tmp_path)
    whole = ServiceSummary.of(open_document(path), path)
    light = ServiceSummary.of_facts(read_summary(path), path)
    assert light == whole
    # The rich document too (measures, guidance, snapshots: none of it needed).
    rich = tmp_path / "rich.osom"
    save_document(rich_document(), rich)
    assert ServiceSummary.of_facts(read_summary(rich), rich) == ServiceSummary.of(open_document(rich), rich)


def test_cache_is_used_when_unchanged_and_ignored_after_a_save(tmp_path: Path) -> None:
    path = neighbour(tmp_path)
    first = ServiceDirectory.scan(tmp_path)
    cache = SummaryCache(tmp_path)
    assert list(cache.entries) == [path.name]
    # Unchanged: the cached facts are used (shown by planting a different name in the cache).
    stamp, facts = cache.entries[path.name]
    assert isinstance(facts, dict)
    planted = ServiceFacts.from_json({**facts, "name": "From the cache"})
    cache.put(path.name, stamp, planted)
    cache.save()
    assert [s.name for s in ServiceDirectory.scan(tmp_path).services] == ["From the cache"]
    # Saved again (a new file renamed over the old): read again.
    doc = open_document(path)
    doc.service.name = "Apply Online 2"
    save_document(doc, path)
    assert [s.name for s in ServiceDirectory.scan(tmp_path).services] == ["Apply Online 2"]
    assert first.services[0].service_id == "svc-apply"


def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    path = neighbour(tmp_path)
    ServiceDirectory.scan(tmp_path)
    cache_files = list((Path(os.environ["OSOM_HOME"]) / "cache" / "summaries").glob("*.json"))
    mine = [f for f in cache_files if json.loads(f.read_bytes())["header"]["folder"] == os.path.realpath(tmp_path)]
    assert len(mine) == 1
    for garbage in (b"{not json", b"", json.dumps({"header": 1, "entries": []}).encode(), b"\x00" * 100):
        mine[0].write_bytes(garbage)
        assert [s.name for s in ServiceDirectory.scan(tmp_path).services] == ["Apply Online"]
        assert json.loads(mine[0].read_bytes())["entries"][path.name]  # rebuilt


def test_unreadable_reasons_are_remembered_and_forgotten_with_the_file(tmp_path: Path) -> None:
    neighbour(tmp_path)
    bad = tmp_path / "bad.osom"
    bad.write_text("notes\n")
    assert [p.name for p, _ in ServiceDirectory.scan(tmp_path).unreadable] == ["bad.osom"]
    assert isinstance(SummaryCache(tmp_path).entries["bad.osom"][1], str)
    bad.unlink()
    assert ServiceDirectory.scan(tmp_path).unreadable == []
    assert "bad.osom" not in SummaryCache(tmp_path).entries
