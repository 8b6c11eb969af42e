"""Child process for the lock race test: in each round, waits at a barrier with the
other racers, takes the lock on that round's file, and reports whether it got it.

Run through ``multiprocessing`` (spawn): real separate processes, as two copies of the
app are.
"""

from __future__ import annotations

import os
from pathlib import Path


def race(folder: str, rounds: int, barrier, results) -> None:
    from osom_desktop.session.lock import DocumentLock

    for r in range(rounds):
        doc = Path(folder) / f"doc{r}.osom"
        barrier.wait()  # everyone ready: go
        lock = DocumentLock(doc)
        other = lock.acquire()
        results.put((r, os.getpid(), lock.held and other is None))
        barrier.wait()  # everyone has looked: only now may the winner let go
        lock.release()
        barrier.wait()
