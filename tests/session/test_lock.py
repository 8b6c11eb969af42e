"""A second copy of the app opening the same file is told who has it open."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from osom_desktop.session.lock import DocumentLock, lock_path


def test_second_owner_sees_first_and_lock_goes_on_release(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    doc.write_bytes(b"x")
    # The first owner is another live process (a second copy of the app).
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from osom_desktop.session.lock import DocumentLock;"
         "l = DocumentLock(Path(sys.argv[1])); assert l.acquire() is None; print('held', flush=True); time.sleep(30)",
         str(doc)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        mine = DocumentLock(doc)
        other = mine.acquire()
        assert other is not None and other.pid == holder.pid
        assert not mine.held
    finally:
        holder.kill()
        holder.wait()
    # The holder died without releasing: its lock is stale and taken over.
    mine = DocumentLock(doc)
    assert mine.acquire() is None and mine.held
    assert json.loads(lock_path(doc).read_text())["pid"] != holder.pid
    mine.release()
    assert not lock_path(doc).exists()


def test_lock_from_another_host_is_respected(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    lock_path(doc).write_text(json.dumps({"user": "ana", "host": "other-pc", "pid": 1, "since": time.time()}))
    other = DocumentLock(doc).acquire()
    assert other is not None and other.user == "ana" and "other-pc" in other.describe()


def test_garbage_lock_file_is_ignored(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    lock_path(doc).write_text("not json")
    assert DocumentLock(doc).acquire() is None
