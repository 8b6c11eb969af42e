"""Who a process is, well enough to tell a live owner from a dead one (no Qt).

A PID alone is not an identity: after a crash and a reboot, or simply after enough
processes have come and gone, the PID written in a lock or recovery file can belong to
an unrelated live process, and the file would then look owned for ever. The kernel's
boot id and the process's start time (field 22 of ``/proc/PID/stat``, clock ticks since
boot) pin the PID to one process. Where ``/proc`` is missing (macOS, Windows) both are
None and only "is the PID alive" is checked, which is what could be done before.
"""

from __future__ import annotations

import functools
import os
import socket
from dataclasses import dataclass
from typing import Any


@functools.cache
def boot_id() -> str | None:
    """This boot of this machine (Linux), or None."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


def start_time(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (Linux), or None if unknown/gone."""
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as fh:
            stat = fh.read()
    except (OSError, ValueError):
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ")".
    rest = stat[stat.rfind(b")") + 2:].split()
    try:
        return int(rest[19])  # field 22 overall; rest starts at field 3
    except (IndexError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    except OSError:
        return False
    return True


def host_name() -> str:
    return socket.gethostname()


@dataclass(frozen=True, slots=True)
class ProcessId:
    """One process on one machine during one boot."""

    host: str
    pid: int
    started: int | None = None
    boot: str | None = None

    @classmethod
    def current(cls) -> ProcessId:
        pid = os.getpid()
        return cls(host_name(), pid, start_time(pid), boot_id())

    def on_this_host(self) -> bool:
        return self.host == host_name()

    def is_running(self) -> bool | None:
        """True/False on this host; None when it cannot be told (another host)."""
        if not self.on_this_host():
            return None
        mine = boot_id()
        if self.boot is not None and mine is not None and self.boot != mine:
            return False  # written before the machine restarted
        if not pid_alive(self.pid):
            return False
        if self.started is not None:
            now = start_time(self.pid)
            if now is not None and now != self.started:
                return False  # the PID was reused by another process
        return True

    def as_json(self) -> dict[str, object]:
        return {"host": self.host, "pid": self.pid, "started": self.started, "boot_id": self.boot}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProcessId:
        """Raises KeyError/TypeError/ValueError on a malformed record."""
        started = data.get("started")
        boot = data.get("boot_id")
        return cls(
            str(data["host"]),
            int(data["pid"]),
            int(started) if isinstance(started, int) else None,
            str(boot) if isinstance(boot, str) else None,
        )
