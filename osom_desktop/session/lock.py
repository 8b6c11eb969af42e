"""A lock beside an open document, so a second copy of the app (on this machine or
another one on the shared drive) is warned and offered read-only.

Like LibreOffice's ``.~lock.NAME#``: a small file next to the document holding who has
it open. It exists only while the document is open; a lock left by a crashed app on
this host (its process gone) is stale and taken over silently.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.since))
        return f"{self.user or 'someone'} on {self.host} (since {when})"


def lock_path(document: Path) -> Path:
    return document.with_name(f".~lock.{document.name}#")


def _me() -> LockOwner:
    try:
        import getpass

        user = getpass.getuser()
    except Exception:  # containers without a user name: the lock still works
        user = ""
    return LockOwner(user=user, host=socket.gethostname(), pid=os.getpid(), since=time.time())


def _read(path: Path) -> LockOwner | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockOwner(str(data["user"]), str(data["host"]), int(data["pid"]), float(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DocumentLock:
    """Take with ``acquire()``; returns the other owner instead when someone has it."""

    def __init__(self, document: Path) -> None:
        self.document = document
        self.path = lock_path(document)
        self.held = False

    def other_owner(self) -> LockOwner | None:
        """Who else has the document open, or None (a stale lock counts as nobody)."""
        owner = _read(self.path)
        if owner is None:
            return None
        me = _me()
        if owner.host == me.host and (owner.pid == me.pid or not process_alive(owner.pid)):
            return None
        return owner

    def acquire(self) -> LockOwner | None:
        """Take the lock; if another live owner has it, return them and take nothing."""
        other = self.other_owner()
        if other is not None:
            return other
        me = _me()
        try:
            self.path.write_text(json.dumps(asdict(me)), encoding="utf-8")
            self.held = True
        except OSError:
            # A read-only folder: we can still edit in memory and Save As elsewhere.
            self.held = False
        return None

    def release(self) -> None:
        if self.held:
            try:
                if (owner := _read(self.path)) is not None and owner.pid == os.getpid():
                    self.path.unlink()
            except OSError:
                pass
            self.held = False
