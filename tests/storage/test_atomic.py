"""Saving is atomic: killed at any instant, the file is the old or the new document."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from osom_desktop.model import Component, ServiceDocument
from osom_desktop.storage import StorageError, open_document, save_document
from osom_desktop.storage.atomic import STALE_TEMP_SECONDS, atomic_write_bytes, temp_pattern
from tests.storage.files import Snapshot
from tests.storage.generate import large_document, large_map, rich_document

REPO = Path(__file__).resolve().parents[2]


def only_document_and_temps(path: Path) -> list[str]:
    """Everything beside the document must be a recognisable temp file of it."""
    pattern = temp_pattern(path)
    others = [name for name in os.listdir(path.parent) if name != path.name]
    for name in others:
        assert pattern.match(name), f"unexpected file beside the document: {name}"
        assert not name.endswith(".osom")
    return others


@pytest.mark.slow
def test_killed_mid_save_leaves_old_or_new_document(tmp_path: Path) -> None:
    n = 2000
    path = tmp_path / "big.osom"
    base = large_document(n, seed=1)
    save_document(base, path)
    maps = (large_map(n, seed=1), large_map(n, seed=2))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rnd = random.Random(7)
    kills = 0
    last_count = 1
    deadline = time.monotonic() + 35
    while kills < 40 and (kills < 30 or time.monotonic() < deadline):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.storage.kill_child", str(path), str(n)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rnd.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        kills += 1

        doc = open_document(path)  # opens: never damaged (fingerprint verified too)
        assert doc.map in maps
        assert (doc.service, doc.contract, doc.decisions) == (base.service, base.contract, base.decisions)
        numbers = [r.number for r in doc.revisions]
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(numbers) >= last_count
        last_count = len(numbers)
        only_document_and_temps(path)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(("-journal", "-wal", "-shm"))]
    assert kills >= 30
    assert last_count > kills // 2, "the child hardly ever finished a save: kills came too early"
    print(f"{kills} kills, {last_count - 1} completed saves, {len(only_document_and_temps(path))} temp files left")


def test_stale_temps_are_removed_fresh_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "svc.osom"
    stale = tmp_path / ".svc.osom.tmp-0123456789ab"
    fresh = tmp_path / ".svc.osom.tmp-ba9876543210"
    unrelated = [tmp_path / ".other.osom.tmp-0123456789ab", tmp_path / ".svc.osom.tmp-notmine", tmp_path / "svc.osom.bak"]
    for p in (stale, fresh, *unrelated):
        p.write_bytes(b"partial")
    old = time.time() - STALE_TEMP_SECONDS - 60
    for p in (stale, *unrelated):
        os.utime(p, (old, old))
    save_document(ServiceDocument(), path)
    assert not stale.exists()
    assert fresh.exists()
    assert all(p.exists() for p in unrelated)


def test_failed_save_leaves_file_and_document_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "tea.osom"
    doc = rich_document()
    save_document(doc, path)
    before = Snapshot.of(path)
    revisions = list(doc.revisions)
    doc.map.components.append(Component(id="c-kettle", name="Second kettle"))  # a duplicate id
    with pytest.raises(StorageError) as info:
        save_document(doc, path)
    assert str(info.value) == "tea.osom: not saved: two components rows have the same id 'c-kettle'"
    assert doc.revisions == revisions
    assert Snapshot.of(path) == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: setattr(d.map.notes[0], "visibility", float("nan")), "notes.visibility (id 'n1') is not a number"),
        (lambda d: setattr(d.map.components[0], "visibility", float("nan")), "components.visibility (id 'c-user') is not a number"),
        (lambda d: setattr(d.map.components[0], "kind", "spaceship"), "components.kind (id 'c-user'): expected one of"),
        (lambda d: setattr(d.map.links[0], "source_evolved", 3), "links.source_evolved (id 'l1'): expected 0 or 1"),
        (lambda d: setattr(d.map.notes[0], "text", "\ud800"), "unpaired surrogate"),
        (lambda d: setattr(d.map.annotations[0], "number", 2**70), "annotations"),
    ],
)
def test_values_the_file_cannot_hold_fail_the_save(tmp_path: Path, change: Callable[[ServiceDocument], None], words: str) -> None:
    """A save never writes a file its reader would refuse: it fails, naming the value."""
    path = tmp_path / "tea.osom"
    doc = rich_document()
    save_document(doc, path)
    before = Snapshot.of(path)
    change(doc)
    with pytest.raises(StorageError) as info:
        save_document(doc, path)
    assert str(info.value).startswith("tea.osom: not saved: ") and words in str(info.value)
    assert "\n" not in str(info.value)
    assert Snapshot.of(path) == before


def test_save_into_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"^svc\.osom: not saved: No such file or directory$"):
        save_document(ServiceDocument(), tmp_path / "nowhere" / "svc.osom")
    assert os.listdir(tmp_path) == []


def test_save_keeps_permissions_and_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.osom"
    save_document(ServiceDocument(), real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.osom"
    link.symlink_to(real)
    doc = rich_document()
    save_document(doc, link)
    assert link.is_symlink()
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert open_document(real) == doc
    assert sorted(os.listdir(tmp_path)) == ["link.osom", "real.osom"]


def test_atomic_write_bytes_for_other_files(tmp_path: Path) -> None:
    target = tmp_path / "map.owm"
    atomic_write_bytes(target, b"title Tea\n")
    atomic_write_bytes(str(target), b"title Coffee\n")
    assert target.read_bytes() == b"title Coffee\n"
    assert os.listdir(tmp_path) == ["map.owm"]


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write to, not even root (chattr +i), with a document in it."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "tea.osom"
    save_document(rich_document(), path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    immutable = False
    if os.geteuid() == 0 and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    try:
        if os.geteuid() == 0 and not immutable:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o755)
        os.chmod(path, 0o644)


def test_opens_from_a_read_only_folder(read_only_folder: Path) -> None:
    path = read_only_folder
    before = Snapshot.of(path)
    assert open_document(path) == open_document(path)
    assert open_document(path).service.id == "svc-tea"
    assert Snapshot.of(path) == before


def test_save_into_read_only_folder_fails_cleanly(read_only_folder: Path) -> None:
    path = read_only_folder
    before = Snapshot.of(path)
    doc = open_document(path)
    with pytest.raises(StorageError, match=r"^tea\.osom: not saved: "):
        save_document(doc, path)
    assert Snapshot.of(path) == before
