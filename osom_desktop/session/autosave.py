"""Writing recovery copies off the GUI thread.

One worker thread per process orders every recovery write and discard (a write is built
and written by the autosave child process, see autosave_child), in the order they
were asked for, so a discard can never be overtaken by an older write that would bring
the copy back. A write that has not started when a newer write or a discard of the same
key arrives is skipped (a slow disk never builds a queue). The executor's thread is
joined at interpreter exit, so a discard asked for while closing is done before the
process ends.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from osom_desktop.model.errors import OsomError
from osom_desktop.session.autosave_child import ChildBuilder
from osom_desktop.session.recovery import RecoveryStore
from osom_desktop.session.snapshot import DocumentSnapshot, paused_gc

SWITCH_INTERVAL = 0.001  # seconds; see RecoveryWriter.write
# (error message or None) -> None; called on the worker thread.
Done = Callable[[str | None], None]


class RecoveryWriter:
    """``in_child``: build and write in the autosave child process (see autosave_child)."""

    def __init__(self, in_child: bool = True) -> None:
        self._child = ChildBuilder() if in_child else None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="osom-autosave")
        self._guard = threading.Lock()
        self._generation: dict[tuple[Path, str], int] = {}

    def _bump(self, store: RecoveryStore, key: str) -> int:
        with self._guard:
            n = self._generation.get((store.folder, key), 0) + 1
            self._generation[(store.folder, key)] = n
            return n

    def _current(self, store: RecoveryStore, key: str, n: int) -> bool:
        with self._guard:
            return self._generation.get((store.folder, key)) == n

    def write(self, store: RecoveryStore, key: str, snapshot: DocumentSnapshot, document_path: Path | None,
              done: Done | None = None) -> Future[None]:
        n = self._bump(store, key)

        def run() -> None:
            if not self._current(store, key, n):
                return  # superseded by a newer write or a discard
            error: str | None = None
            switch = sys.getswitchinterval()
            # The GUI thread waits up to this long for the GIL whenever it wakes while
            # this thread runs Python: 5 ms by default, a third of a frame.
            sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
            try:
                with paused_gc():  # see paused_gc: a full collection here stalls the GUI too
                    error = self._build_and_write(store, key, snapshot, document_path)
            except (OsomError, OSError) as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker
                error = f"{type(exc).__name__}: {exc}"
            finally:
                sys.setswitchinterval(switch)
            if done is not None:
                try:
                    done(error)
                except RuntimeError:  # the window that asked is gone
                    pass

        return self._pool.submit(run)

    def _build_and_write(self, store: RecoveryStore, key: str, snapshot: DocumentSnapshot,
                         document_path: Path | None) -> str | None:
        if self._child is not None:
            try:
                return self._child.write(store.folder, key, snapshot, document_path)
            except OSError:
                self._child = None  # cannot run a child here (frozen app, limits): do it ourselves
        store.write(key, snapshot.build(), document_path)
        return None

    def discard(self, store: RecoveryStore, key: str) -> Future[None]:
        self._bump(store, key)
        return self._pool.submit(store.discard, key)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until everything asked for so far is done (tests, shutdown)."""
        return self._pool.submit(lambda: None).result(timeout) is None


_writer: RecoveryWriter | None = None
_writer_guard = threading.Lock()


def recovery_writer() -> RecoveryWriter:
    """The process's one recovery writer."""
    global _writer
    with _writer_guard:
        if _writer is None:
            _writer = RecoveryWriter()
        return _writer
