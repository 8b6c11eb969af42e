"""Locks left behind: provably dead owners are replaced silently, anything that cannot
be checked is reported, and only the owner ever deletes its own lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from osom_desktop.session.lock import DocumentLock, lock_path
from osom_desktop.session.process import boot_id, host_name, start_time

HOLDER = (
    "import sys; from pathlib import Path; from osom_desktop.session.lock import DocumentLock;"
    "l = DocumentLock(Path(sys.argv[1])); assert l.acquire() is None; print('held', flush=True);"
    "sys.stdin.readline(); l.release(); print('released', flush=True); sys.stdin.readline()"
)


def write_lock(doc: Path, **fields) -> None:
    record = {"user": "ana", "host": host_name(), "pid": 1, "since": time.time(), "token": "theirs"} | fields
    lock_path(doc).write_text(json.dumps(record))


def test_lock_of_a_dead_process_on_this_host_is_taken(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    doc = tmp_path / "pay.osom"
    write_lock(doc, pid=gone.pid, started=None)
    lock = DocumentLock(doc)
    assert lock.acquire() is None and lock.held
    assert json.loads(lock_path(doc).read_text())["pid"] == os.getpid()


def test_lock_whose_pid_now_belongs_to_another_process_is_taken(tmp_path: Path) -> None:
    # The PID is alive (a process started after the crash got it), but it started at
    # another time than the lock's owner did.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        doc = tmp_path / "pay.osom"
        write_lock(doc, pid=other.pid, started=(start_time(other.pid) or 0) - 500, boot_id=boot_id())
        assert DocumentLock(doc).acquire() is None
        # ... while the same PID with its real start time is a live owner.
        doc2 = tmp_path / "pay2.osom"
        write_lock(doc2, pid=other.pid, started=start_time(other.pid), boot_id=boot_id())
        owner = DocumentLock(doc2).acquire()
        assert owner is not None and owner.pid == other.pid
    finally:
        other.kill()
        other.wait()


def test_lock_from_before_a_reboot_is_taken(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    write_lock(doc, pid=os.getppid(), started=start_time(os.getppid()), boot_id="another-boot")
    assert DocumentLock(doc).acquire() is None


def test_lock_from_another_host_is_reported_and_taken_only_when_asked(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    write_lock(doc, host="other-pc", pid=os.getpid())  # even a PID alive here says nothing
    lock = DocumentLock(doc)
    other = lock.acquire()
    assert other is not None and other.host == "other-pc" and not lock.held
    assert json.loads(lock_path(doc).read_text())["host"] == "other-pc"  # not silently stolen
    assert lock.take_over(other) and lock.held
    assert json.loads(lock_path(doc).read_text())["host"] == host_name()


def test_only_the_owner_deletes_its_lock(tmp_path: Path) -> None:
    doc = tmp_path / "pay.osom"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(doc)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        mine = DocumentLock(doc)
        other = mine.acquire()
        assert other is not None and other.pid == holder.pid
        assert mine.take_over(other)  # "Open Anyway"
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"  # the first owner closes...
        assert lock_path(doc).exists() and mine.owned()  # ... and our lock stays
        mine.release()
        assert not lock_path(doc).exists()
    finally:
        holder.kill()
        holder.wait()


def test_an_empty_lock_being_written_is_not_broken(tmp_path: Path) -> None:
    # A taker on a file system without hard links creates the file, then writes it.
    doc = tmp_path / "pay.osom"
    lock_path(doc).write_bytes(b"")
    other = DocumentLock(doc).acquire()
    assert other is not None and lock_path(doc).read_bytes() == b""
    old = time.time() - 60
    os.utime(lock_path(doc), (old, old))  # long empty: its writer died
    assert DocumentLock(doc).acquire() is None
