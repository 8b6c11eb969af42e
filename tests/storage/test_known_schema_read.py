"""Files read one after another on the light read's kept connection (``network_read``).

A file whose schema pages are those of the file read before is read on that file's
connection with the statements already prepared; these tests check that nothing of
the earlier file leaks into the next: a file that only claims the same schema (same
schema cookie, other tables at other pages) gets its own rows, and a garbage page in a
table the network never reads is still refused with the reader's line. Real files.
"""

from __future__ import annotations

from pathlib import Path

from osom_desktop.storage import open_document, save_document
from osom_desktop.storage.network_read import read_network_document
from osom_desktop.storage.summary import read_summary
from tests.storage import test_bad_files as bad
from tests.storage.generate import rich_document

COOKIE = slice(40, 44)  # the schema cookie in the SQLite header


def test_same_schema_cookie_with_tables_elsewhere_reads_its_own_rows(tmp_path: Path) -> None:
    first = bad.good_file(tmp_path, "first.osom")
    other = bad.good_file(tmp_path, "other.osom")
    # Rebuild components at another page, rename a component, then claim the first file's cookie.
    bad.sql(other, "CREATE TABLE c2 AS SELECT * FROM components", "DROP TABLE components",
            "ALTER TABLE c2 RENAME TO components", "UPDATE components SET name = 'Moved' WHERE id = 'c-power'")
    data = bytearray(other.read_bytes())
    data[COOKIE] = first.read_bytes()[COOKIE]
    other.write_bytes(bytes(data))

    read_network_document(first)  # kept: its connection and prepared statements
    light = read_network_document(other)
    assert light.map.components == open_document(other, verify=False).map.components
    assert next(c for c in light.map.components if c.id == "c-power").name == "Moved"
    assert read_summary(other).map_providers == read_summary(first).map_providers


def test_files_with_one_schema_each_give_their_own_answers(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        doc = rich_document()
        doc.service.name = f"Tea {i}"
        doc.map.components = doc.map.components[: 3 + i]
        path = tmp_path / f"tea{i}.osom"
        save_document(doc, path)
        paths.append(path)
    for _ in range(2):
        for i, path in enumerate(paths):
            light = read_network_document(path)
            assert light.service.name == f"Tea {i}"
            assert light.map.components == open_document(path).map.components


def test_a_garbage_page_in_a_table_the_network_never_reads_is_refused_after_a_good_file(tmp_path: Path) -> None:
    good = bad.good_file(tmp_path, "good.osom")
    (tmp_path / "d").mkdir()
    damaged = bad.page_overwritten_in_the_middle(tmp_path / "d")  # a page of raw_lines (OWM text)
    read_network_document(good)
    message = bad.open_refused(damaged)
    assert "damaged" in message
    for _ in range(2):  # and again, once the damaged file's bytes were in the kept connection
        try:
            read_network_document(damaged)
        except Exception as exc:  # noqa: BLE001 - the line is what is checked
            assert str(exc) == message
        else:
            raise AssertionError("a damaged file was read")
        read_network_document(good)


def _read_in_child(path: str, queue: object) -> None:
    queue.put(read_network_document(path).service.name)  # type: ignore[attr-defined]


def test_a_forked_worker_reads_on_its_own_connection(tmp_path: Path) -> None:
    import multiprocessing
    import os

    if not hasattr(os, "fork"):
        return
    path = bad.good_file(tmp_path)
    read_network_document(path)  # the parent keeps a connection
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_read_in_child, args=(str(path), queue))
    child.start()
    name = queue.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0 and name == read_network_document(path).service.name
