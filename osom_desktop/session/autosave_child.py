"""The process that builds and writes recovery copies, so the app's GUI thread never
waits for the GIL while a copy is made.

In a thread of the app, building a 5,000-component copy and writing it took the GIL
for ~0.5 s in small slices; on a busy machine the OS pre-empts that thread while it
holds the GIL, and the GUI thread then waits for it to be scheduled again (28-32 ms
pauses measured). Here the app's autosave thread only pickles the snapshot, in chunks of
``CHUNK`` element tuples (well under a millisecond each, so the GIL changes hands between
them), and sends them down a pipe; this child rebuilds the document and writes it.

The child is started on first use (``spawn``: no copy of the app's Qt state), exits when
the pipe closes (the app quit or was killed) and is replaced if it dies.
"""

from __future__ import annotations

import dataclasses
import pickle
import threading
from pathlib import Path
from typing import Any

from osom_desktop.session.process import ProcessId
from osom_desktop.session.snapshot import DocumentSnapshot

CHUNK = 250  # element tuples per message


def _serve(conn: Any) -> None:
    """The child's loop: one snapshot in, one reply (None or an error message) out."""
    from osom_desktop.model.errors import OsomError
    from osom_desktop.session.recovery import RecoveryStore

    while True:
        try:
            folder, key, document_path, owner, head = pickle.loads(conn.recv_bytes())
            elements: dict[str, list[Any]] = {}
            while (data := conn.recv_bytes()) != b"end":
                kind, cls, rows = pickle.loads(data)
                runs = elements.setdefault(kind, [])
                if runs and runs[-1][0] is cls:
                    runs[-1][1].extend(rows)
                else:
                    runs.append((cls, list(rows)))
        except (EOFError, OSError):
            return  # the app is gone
        head.elements = elements
        try:
            RecoveryStore(Path(folder)).write(key, head.build(), Path(document_path) if document_path else None,
                                              owner=owner)
            reply = None
        except (OsomError, OSError) as exc:
            reply = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported, and the child lives on
            reply = f"{type(exc).__name__}: {exc}"
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


class ChildBuilder:
    """The app's end of the child (used from the one autosave thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        import multiprocessing  # here: ~10 ms of the app's start otherwise, and the child starts at the first autosave

        ctx = multiprocessing.get_context("spawn")
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs,), name="osom-autosave", daemon=True)
        proc.start()
        theirs.close()
        self._proc, self._conn = proc, mine

    def write(self, folder: Path, key: str, snapshot: DocumentSnapshot, document_path: Path | None) -> str | None:
        """Build and write the copy in the child; None, or why it failed. Raises OSError
        if the child cannot be started or reached (the caller then writes in-process)."""
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            head = dataclasses.replace(snapshot, elements={})
            try:
                self._conn.send_bytes(pickle.dumps(
                    (str(folder), key, str(document_path) if document_path else None, ProcessId.current(), head)))
                for kind, runs in snapshot.elements.items():
                    for cls, rows in runs:
                        for i in range(0, len(rows), CHUNK):
                            self._conn.send_bytes(pickle.dumps((kind, cls, rows[i:i + CHUNK])))
                self._conn.send_bytes(b"end")
                error: str | None = self._conn.recv()  # the child's one line, or None: written
                return error
            except (EOFError, OSError, pickle.PicklingError) as exc:
                self.stop()
                raise OSError(f"the autosave process stopped ({exc})") from None

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
        self._proc = self._conn = None
