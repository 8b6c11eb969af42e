"""Autosave must never freeze the window (issue 11).

A real MainWindow (offscreen) holds a generated service of ``n`` components and ``2n``
links with unsaved changes. Each run moves one component (as a drag does) and calls
``autosave()`` as its 5 s timer does, while a 1 ms QTimer on the GUI thread records the
gaps between its ticks until the recovery copy is on disk. Reported, ms, median / min
over the runs:

- ``autosave()``: the call on the GUI thread (the snapshot, and handing it over);
- ``full snapshot``: ``autosave()``'s snapshot when nothing is cached (every 12th
  autosave, and for a list that had elements added or removed since the last);
- ``longest GUI pause``: the longest gap between ticks from the call until the copy is
  written, less the 1 ms interval: what a person typing would feel, including waits for
  the GIL while the autosave thread builds and writes the copy;
- ``of which while writing``: the longest gap after ``autosave()`` returned;
- ``idle``: the longest gap over as long again with no autosave: the machine's own noise;
- ``written after``: when the copy is complete on disk (on the autosave thread);
- ``before``: what the old autosave blocked the GUI thread for (``model_copy(deep=True)``
  and ``save_document`` on the GUI thread), for comparison.

Target: longest GUI pause <= 16 ms (one frame at 60 Hz) at 5,000 components.

    .venv/bin/python bench/bench_autosave.py [--runs 7] [--sizes 1000 4000 5000 16000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_model, generate_map, median_min  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


class Ticks:
    """A 1 ms precise timer on the GUI thread; the times it actually fired."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def longest_gap_ms(self, start: float, end: float) -> float:
        ts = [start] + [t for t in self.times if start <= t <= end] + [end]
        return max(b - a for a, b in zip(ts, ts[1:], strict=False)) * 1000 - 1.0  # neighbours


def spin(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def bench_size(n: int, runs: int) -> dict[str, tuple[float, float]]:
    from osom_desktop.model.service import ServiceDocument
    from osom_desktop.storage import save_document
    from osom_desktop.views.main_window import MainWindow

    doc = ServiceDocument()
    doc.service.name = f"Generated {n}"
    doc.map = generate_map(n)
    w = MainWindow()
    w.set_document(doc, None)
    w._mark_unsaved()  # unsaved work, as after an import
    w._autosave_timer.stop()  # the benchmark calls autosave itself
    w.show()
    spin(200)
    ticks = Ticks()
    ticks.timer.start()
    calls, pauses, during, idle, written, before = [], [], [], [], [], []
    recovery = Path(os.environ["OSOM_RECOVERY_DIR"])
    for i in range(runs + 1):  # the first run warms up (imports, schema template)
        c = w.document.map.components[i % n]
        w.document.move_components({c.id: (0.25 if c.visibility != 0.25 else 0.75, c.evolution)})
        spin(100)
        done: list[float] = []
        w.session.writer._pool.submit(lambda: None)  # the worker is idle and started
        t0 = time.perf_counter()
        assert w.autosave()
        t1 = time.perf_counter()
        w.session.writer._pool.submit(lambda: done.append(time.perf_counter()))
        while not done:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        spin(30)  # the first tick after the write has finished
        if i == 0:
            continue
        calls.append((t1 - t0) * 1000)
        pauses.append(ticks.longest_gap_ms(t0, done[0] + 0.02))
        during.append(ticks.longest_gap_ms(t1, done[0] + 0.02))
        written.append((done[0] - t0) * 1000)
        t2 = time.perf_counter()  # as long again with no autosave: the machine's own noise
        spin((done[0] - t0) * 1000 + 20)
        idle.append(ticks.longest_gap_ms(t2 + 0.001, time.perf_counter()))
    assert any(recovery.glob("*.osom"))
    ticks.timer.stop()
    from osom_desktop.session.snapshot import SnapshotCache

    full: list[float] = []
    for _ in range(runs):  # a snapshot with nothing cached (every 12th, or after adding/removing)
        t0 = time.perf_counter()
        SnapshotCache().take(w.document.data)
        full.append((time.perf_counter() - t0) * 1000)
    out_path = recovery / "before.osom"
    for _ in range(max(2, runs // 2)):  # the old way: copy and save on the GUI thread
        t0 = time.perf_counter()
        save_document(w.document.data.model_copy(deep=True), out_path, summary="autosave")
        before.append((time.perf_counter() - t0) * 1000)
    w.stack.setClean()
    w._force_modified = False
    w.close()
    w.deleteLater()
    spin(50)
    return {"call": median_min(calls), "pause": median_min(pauses), "during": median_min(during),
            "written": median_min(written), "idle": median_min(idle), "full": median_min(full),
            "before": median_min(before)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 5000, 16000])
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="osom-bench-")
    os.environ["OSOM_HOME"] = home
    os.environ["OSOM_RECOVERY_DIR"] = str(Path(home) / "recovery")
    app = QApplication.instance() or QApplication([])
    del app
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}")
    print("ms, median / min; pause = longest gap between 1 ms GUI ticks from autosave() until written")
    print("| components | links | autosave() (GUI) | full snapshot (GUI) | longest GUI pause | of which while writing "
          "| idle: longest gap | written after | before: GUI blocked |")
    print("|---|---|---|---|---|---|---|---|---|")
    base = None
    for n in args.sizes:
        r = bench_size(n, args.runs)
        base = base or r["pause"][0]
        f = "{:.1f} / {:.1f}".format
        print(f"| {n:,} | {2 * n:,} | {f(*r['call'])} | {f(*r['full'])} | {f(*r['pause'])} | {f(*r['during'])} "
              f"| {f(*r['idle'])} | {f(*r['written'])} | {f(*r['before'])} |", flush=True)


if __name__ == "__main__":
    main()
