"""Two copies of the app racing for one file's lock: exactly one of them gets it, every
time, whether the file was free or held by a crashed process's stale lock."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.session.lock import lock_path
from osom_desktop.session.process import host_name
from tests.session.lock_racer import race

ROUNDS = 60
RACERS = 3


def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def run_races(folder: Path, before_round=None) -> dict[int, list[tuple[int, bool]]]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(RACERS)
    results = ctx.Queue()
    if before_round is not None:
        for r in range(ROUNDS):
            before_round(folder / f"doc{r}.osom")
    procs = [ctx.Process(target=race, args=(str(folder), ROUNDS, barrier, results)) for _ in range(RACERS)]
    for p in procs:
        p.start()
    rounds: dict[int, list[tuple[int, bool]]] = {}
    try:
        for _ in range(ROUNDS * RACERS):
            r, pid, won = results.get(timeout=60)
            rounds.setdefault(r, []).append((pid, won))
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    return rounds


def test_exactly_one_of_racing_processes_gets_a_free_lock(tmp_path: Path) -> None:
    rounds = run_races(tmp_path)
    assert len(rounds) == ROUNDS
    for r, outcome in sorted(rounds.items()):
        winners = [pid for pid, won in outcome if won]
        assert len(winners) == 1, f"round {r}: {len(winners)} processes hold the lock"
    assert not any(p.name.startswith(".~lock") for p in tmp_path.iterdir())  # each winner released


@pytest.mark.parametrize("how", ["dead pid", "reused pid"])
def test_exactly_one_racer_breaks_a_stale_lock(tmp_path: Path, how: str) -> None:
    if how == "dead pid":
        pid, started = dead_pid(), None
    else:
        # A live process (this test) whose start time is not the one recorded: the
        # crashed owner's PID now belongs to someone else.
        import os

        from osom_desktop.session.process import start_time

        pid = os.getpid()
        started = (start_time(pid) or 0) + 12345

    def stale(doc: Path) -> None:
        lock_path(doc).write_text(json.dumps({"user": "gone", "host": host_name(), "pid": pid, "started": started,
                                              "since": 0, "token": "old"}))

    rounds = run_races(tmp_path, before_round=stale)
    for r, outcome in sorted(rounds.items()):
        winners = [pid for pid, won in outcome if won]
        assert len(winners) == 1, f"round {r}: {len(winners)} processes hold the lock"
