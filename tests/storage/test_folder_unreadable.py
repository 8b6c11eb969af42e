"""Every file of a folder that cannot be read is listed with its reason by
``ServiceDirectory.around`` (``osom check``, ``osom pack``), named by the document or
not, cold or warm: also a file whose id and name the quick peek (``storage.peek``) can
read but whose schema SQLite refuses. The other files are read as before."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.model.service import LifecycleStage
from osom_desktop.storage import open_document, peek
from osom_desktop.storage.errors import StorageError
from osom_desktop.storage.summary import read_identity
from tests.analysis.services import TODAY, dependency, document, saved


@pytest.fixture(autouse=True)
def _fresh_schemas() -> Iterator[None]:
    """Nothing remembered about schemas from other tests (as in a new ``osom check`` process)."""
    peek._SCHEMAS.clear()
    yield
    peek._SCHEMAS.clear()


def with_bad_schema(src: Path, dest: Path) -> Path:
    """``src`` with one table's CREATE statement mistyped (a damaged schema page, as a
    sync tool or a disk can leave): its service row is intact, SQLite refuses the file."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(src.read_bytes())
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', 'NOT NUaL') WHERE name = 'notes'")
    conn.commit()
    dest.write_bytes(conn.serialize())
    conn.close()
    src.unlink()
    return dest


def folder(tmp_path: Path) -> Path:
    saved(document("Apply", sid="svc-apply", lifecycle=LifecycleStage.LIVE,
                   deps=[dependency("Payments", "svc-pay")]), tmp_path)
    saved(document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA), tmp_path)
    saved(document("Ledger", sid="svc-ledger"), tmp_path)  # named by nobody, readable
    with_bad_schema(saved(document("Archive", sid="svc-archive"), tmp_path), tmp_path / "archive-damaged.osom")
    return tmp_path


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_file_sqlite_refuses_is_listed_though_nobody_names_it(tmp_path: Path, use_cache: bool) -> None:
    bad = folder(tmp_path) / "archive-damaged.osom"
    with pytest.raises(StorageError) as refused:
        read_identity(bad)
    assert "malformed database schema" in str(refused.value)
    doc = open_document(tmp_path / "apply.osom")
    for _run in ("cold", "warm"):  # the second run reads the cache the first one wrote
        near = ServiceDirectory.around(doc, tmp_path, use_cache=use_cache)
        assert near.unreadable == [(bad, str(refused.value))]
        # The others are read as before: Payments is found, and what it says is checked.
        assert [s.service_id for s in near.services] == ["svc-pay"]
        messages = [f.message for f in check_document(doc, near, today=TODAY)]
        assert "this live service depends on 'Payments', which is still in alpha" in messages


def test_a_second_file_with_the_same_damage_is_listed_too(tmp_path: Path) -> None:
    """The schema SQLite refused is remembered as one the peek is not sure of: the next
    file with those pages goes to SQLite too, not to the peek."""
    folder(tmp_path)
    second = with_bad_schema(saved(document("Archive", sid="svc-archive"), tmp_path / "x"),
                             tmp_path / "zz-archive-copy.osom")
    near = ServiceDirectory.around(open_document(tmp_path / "apply.osom"), tmp_path, use_cache=False)
    assert [p.name for p, _ in near.unreadable] == ["archive-damaged.osom", second.name]
    assert all("malformed database schema" in why for _, why in near.unreadable)


def test_when_the_peek_answers_sqlite_reads_the_same(tmp_path: Path) -> None:
    """Random damage in the schema's pages (300 files): whenever the peek gives an id and
    name, SQLite reads the same ones. Before, SQLite refused some of them (a statement
    it could not parse) while the peek answered, and such a file was listed nowhere."""
    import os
    import random

    base = saved(document("Payments", sid="svc-pay"), tmp_path / "base")
    data = base.read_bytes()
    fd = os.open(base, os.O_RDONLY)
    try:
        schema: list[tuple[int, int, bytes]] = []
        peek._Pages(fd, len(data))._schema_pages(1, 0, schema)
    finally:
        os.close(fd)
    regions = [((n - 1) * 4096 + (100 if n == 1 else 0), n * 4096) for n, _, _ in schema]
    rng = random.Random(13)
    answered = 0
    for i in range(300):
        if sum(map(len, peek._SCHEMAS.values())) >= 15:  # damage makes new schemas: let every one be worked out
            peek._SCHEMAS.clear()
        changed = bytearray(data)
        lo, hi = rng.choice(regions)
        for _ in range(rng.choice((1, 2, 4))):
            changed[rng.randrange(lo, hi)] = rng.randrange(256)
        path = tmp_path / f"damaged-{i}.osom"
        path.write_bytes(bytes(changed))
        got = peek.peek_identity(path, os.stat(path))
        if got is not None:
            answered += 1
            try:
                truth: tuple[str, str] | str = read_identity(path)
            except StorageError as exc:
                truth = f"refused: {exc}"
            assert truth == got, (i, got, truth)
        path.unlink()
    assert answered > 60  # most damage is in text nobody parses strictly (still the peek's speed)
