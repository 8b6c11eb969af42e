"""A lock beside an open document, so a second copy of the app (on this machine or
another one on the shared drive) is warned and offered read-only.

Like LibreOffice's ``.~lock.NAME#``: a small file next to the document saying who has it
open (user, host, PID, the PID's start time and boot id, since when, and a random token).

Taken atomically: the record is written whole to a private temp file, which is then
hard-linked to the lock name. ``link`` fails if the name exists, so of any number of
processes racing for the lock exactly one wins, and nobody can read a half-written
lock. Where the file system has no hard links (some SMB/FAT mounts) the lock is created
with ``O_CREAT|O_EXCL`` instead, the same exclusive create with a short window in which
the file is still empty (an empty lock younger than ``FRESH_SECONDS`` counts as taken).

A stale lock is one whose owner is provably gone: on this host, a dead PID, a PID now
belonging to another process (its start time differs) or a PID from before a reboot.
Such a lock is broken silently, under a second short-lived ``.break`` lock so that two
processes breaking the same stale lock cannot delete each other's fresh one. A lock
from another host cannot be checked: it is reported, and only replaced when the person
says so (``take_over``). Only the owner deletes its lock (its token must match).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from osom_desktop.model.people import current_user
from osom_desktop.session.process import ProcessId, pid_alive

# An empty lock this young may be one being written by O_EXCL: treat it as taken.
FRESH_SECONDS = 2.0
# A ``.break`` lock older than this was left by a process that died while breaking.
BREAK_STALE_SECONDS = 10.0

process_alive = pid_alive  # kept for callers of the earlier API


@dataclass(frozen=True, slots=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: float
    started: int | None = None
    boot_id: str | None = None
    token: str = ""

    @property
    def process(self) -> ProcessId:
        return ProcessId(self.host, self.pid, self.started, self.boot_id)

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.since))
        return f"{self.user or 'someone'} on {self.host} (since {when})"

    def on_this_host(self) -> bool:
        return self.process.on_this_host()

    def is_stale(self) -> bool:
        """Provably gone (this host only: another host's lock is never called stale)."""
        return self.process.is_running() is False

    def as_json(self) -> str:
        return json.dumps({
            "user": self.user, "host": self.host, "pid": self.pid, "started": self.started,
            "boot_id": self.boot_id, "since": self.since, "token": self.token,
        })


def lock_path(document: Path) -> Path:
    return document.with_name(f".~lock.{document.name}#")


def _me() -> LockOwner:
    p = ProcessId.current()
    return LockOwner(current_user(), p.host, p.pid, time.time(), p.started, p.boot, secrets.token_hex(8))


class _Unreadable:
    """A lock file that exists but holds no record (``fresh``: maybe being written)."""

    def __init__(self, fresh: bool) -> None:
        self.fresh = fresh


def _read(path: Path) -> LockOwner | _Unreadable | None:
    """The record, an _Unreadable, or None when there is no lock file."""
    try:
        raw = path.read_bytes()
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        return _Unreadable(fresh=True)  # cannot tell: do not break it
    try:
        data = json.loads(raw.decode("utf-8"))
        started, boot = data.get("started"), data.get("boot_id")
        return LockOwner(
            str(data["user"]), str(data["host"]), int(data["pid"]), float(data["since"]),
            int(started) if isinstance(started, int) else None,
            str(boot) if isinstance(boot, str) else None,
            str(data.get("token", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return _Unreadable(fresh=not raw.strip() and age < FRESH_SECONDS)


class DocumentLock:
    """Take with ``acquire()``; it returns the other owner instead when someone has it."""

    def __init__(self, document: Path) -> None:
        self.document = Path(document)
        self.path = lock_path(self.document)
        self.held = False
        self.me = _me()

    # -- looking ---------------------------------------------------------------------

    def owned(self) -> bool:
        """The lock file on disk is still ours."""
        owner = _read(self.path)
        return isinstance(owner, LockOwner) and owner.token == self.me.token

    # -- taking ----------------------------------------------------------------------

    def acquire(self) -> LockOwner | None:
        """Take the lock; if another live (or unverifiable) owner has it, return them.

        A folder we cannot write to gives no lock and no owner: the document can still
        be edited in memory and saved elsewhere.
        """
        if self.held and self.owned():
            return None
        self.held = False
        for _attempt in range(50):
            done, owner = self._attempt()
            if done:
                return owner
        last = _read(self.path)
        return last if isinstance(last, LockOwner) else LockOwner("", "?", 0, time.time())

    def _attempt(self) -> tuple[bool, LockOwner | None]:
        """One try: (True, None) when the lock is ours or cannot be had (read-only
        folder), (True, owner) when someone live holds it, (False, None) to try again."""
        try:
            if self._create():
                self.held = True
                return True, None
        except OSError:
            return True, None  # read-only folder
        current = _read(self.path)
        if current is None:
            return False, None  # released between our create and our read: try again
        if isinstance(current, _Unreadable):
            if current.fresh:
                time.sleep(0.02)  # being written by an O_EXCL taker
            else:
                self._break(None)
            return False, None
        if current.token == self.me.token:
            self.held = True
            return True, None
        if not current.is_stale():
            return True, current
        self._break(current.token)
        return False, None

    def take_over(self, other: LockOwner) -> bool:
        """Replace ``other``'s lock with ours (the person chose "Open Anyway").

        Only that lock: if it changed meanwhile (its owner closed, someone else took it)
        the normal ``acquire`` decides.
        """
        self._break(other.token)
        return self.acquire() is None

    def release(self) -> None:
        """Delete the lock if (and only if) it is still ours."""
        if self.held:
            try:
                if self.owned():
                    self.path.unlink()
            except OSError:
                pass
            self.held = False

    # -- helpers ---------------------------------------------------------------------

    def _create(self) -> bool:
        """Atomically create the lock holding our record; False if it exists."""
        data = self.me.as_json().encode("utf-8")
        temp = self.path.with_name(f"{self.path.name}.{self.me.token}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        try:
            os.link(temp, self.path)
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
                raise
        finally:
            try:
                os.unlink(temp)
            except OSError:
                pass
        # No hard links here: the exclusive create itself is the lock.
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return True

    def _break(self, token: str | None) -> None:
        """Delete the lock if it is still the one we judged (``token``; None: unreadable).

        Done under ``<lock>.break`` so that between judging and deleting nobody can
        have replaced it with a fresh lock we would then delete.
        """
        breaker = self.path.with_name(self.path.name + ".break")
        try:
            fd = os.open(breaker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            _clear_stale_breaker(breaker)
            time.sleep(0.01)
            return
        except OSError:
            return
        try:
            os.close(fd)
            if _is_judged(_read(self.path), token):
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
        finally:
            try:
                breaker.unlink()
            except OSError:
                pass


def _is_judged(current: object, token: str | None) -> bool:
    """The lock on disk is still the one judged: the owner of ``token``, or (None) an
    unreadable lock that is no longer being written."""
    if isinstance(current, LockOwner):
        return current.token == token
    return token is None and isinstance(current, _Unreadable) and not current.fresh


def _clear_stale_breaker(breaker: Path) -> None:
    """A ``.break`` file left by a process that died while breaking goes after a while."""
    try:
        if time.time() - breaker.stat().st_mtime > BREAK_STALE_SECONDS:
            breaker.unlink()
    except OSError:
        pass
