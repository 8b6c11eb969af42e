"""The map editor as a person uses it, on generated maps (not a test: asserts nothing).

    .venv/bin/python bench/bench_editor.py [--runs 5] [--sizes 250,1000,5000]

For each size (components; links = 2x components), through the real MainWindow
(canvas + OWM text dock + inspector), offscreen:
- open+paint:  open_path(.osom) until the canvas has painted once (target: 1,000 <= 300 ms,
               5,000 <= 1.5 s)
- drag step:   one mouse-move event of a drag of one component, including the Document
               change, the scene refresh, the text dock rewrite and the repaint
               (target <= 16 ms at 1,000)
- drop:        the release ending that drag (the Plan, one undo step) and the event-loop
               turn after it (its repaint); the labels the drag unsettled are placed
               from a frame later on, in ~5 ms slices, one an event-loop turn
- slice max:   the longest later turn until those labels are all placed (the GUI
               thread's longest block after the drop); settle: release to all placed
- undo/redo:   100 edits undone then redone (per 100)
- one edit:    one rename, one added component, one added link, each followed by one
               undo, through the undo stack as the window runs them, until the events
               they queue are processed (target: each <= 16 ms at 5,000 components)
Prints median and min milliseconds (wall clock, and CPU time of this process, steadier
when the machine is shared), the load average, and the machine.
``--profile OP`` (rename, add, link, undo, drag) prints cProfile's top entries for it.
``--avoid-limit N`` sets how many components label avoidance goes up to (measuring).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OSOM_RECOVERY_DIR", tempfile.mkdtemp(prefix="osom-bench-recovery-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_model, generate_map, median_min  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from osom_desktop.commands import AddElementCommand, UpdateElementCommand, run  # noqa: E402
from osom_desktop.model import Component, Link, ServiceDocument  # noqa: E402
from osom_desktop.storage import save_document  # noqa: E402
from osom_desktop.views.main_window import MainWindow  # noqa: E402


def make_file(n: int, folder: Path, local_links: bool = True) -> Path:
    doc = ServiceDocument()
    doc.map = generate_map(n, local_links=local_links)
    path = folder / f"map-{n}{'' if local_links else '-random'}.osom"
    save_document(doc, path)
    return path


def open_and_paint(app: QApplication, path: Path) -> tuple[float, MainWindow]:
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    t0 = time.perf_counter()
    window.open_path(path, ask_when_locked=False)
    window.view.viewport().grab()  # forces the first paint of the canvas
    elapsed = (time.perf_counter() - t0) * 1000
    return elapsed, window


def drag_steps(app: QApplication, window: MainWindow, moves: int = 40,
               drops: list[tuple[float, float]] | None = None,
               slices: list[tuple[float, float]] | None = None,
               settles: list[tuple[float, float]] | None = None) -> list[tuple[float, float]]:
    """Wall and CPU ms of each mouse move of the drag; the release and the turn after it
    (the drop) go on ``drops``, the longest later turn until the labels the drag
    unsettled are placed on ``slices``, release to placed on ``settles``."""
    view = window.view
    view.zoom_actual()
    c = next(c for c in window.document.map.components if 0.3 < (c.visibility or 0) < 0.7 and 0.3 < (c.evolution or 0) < 0.7)
    view.centerOn(window.scene.to_scene(c.visibility, c.evolution))
    app.processEvents()
    start = view.mapFromScene(window.scene.to_scene(c.visibility, c.evolution))
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    samples = []
    for i in range(1, moves + 1):
        p = start + QPoint(3 * i, -i)
        t0, c0 = time.perf_counter(), time.process_time()
        QTest.mouseMove(view.viewport(), p)
        app.processEvents()  # the repaint Qt schedules for what changed: the next frame
        samples.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    t0, c0 = time.perf_counter(), time.process_time()
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(3 * moves, -moves))
    app.processEvents()
    if drops is not None:
        drops.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    longest = (0.0, 0.0)
    while getattr(window.scene, "settling", False):  # (False in a tree that settles in the release)
        t1, c1 = time.perf_counter(), time.process_time()
        app.processEvents()
        turn = ((time.perf_counter() - t1) * 1000, (time.process_time() - c1) * 1000)
        longest = max(longest, turn)
        if window.scene._settle_timer.isActive() and not window.scene._slice_timer.isActive():  # noqa: SLF001
            time.sleep(0.01)  # waiting for the pause timer: nothing to measure
    if slices is not None:
        slices.append(longest)
    if settles is not None:
        settles.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    return samples


def undo_redo(app: QApplication, window: MainWindow, edits: int = 100) -> float:
    doc, stack = window.document, window.stack
    comps = doc.map.components[:edits]
    for i, c in enumerate(comps):
        run(stack, UpdateElementCommand(doc, c.id, name=f"{c.name} (edited {i})"))
    app.processEvents()
    t0 = time.perf_counter()
    for _ in comps:
        stack.undo()
    for _ in comps:
        stack.redo()
    app.processEvents()
    return (time.perf_counter() - t0) * 1000


def one_edits(app: QApplication, window: MainWindow, rounds: int = 10) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU ms of one rename, one add, one link and the undo after each."""
    doc, stack = window.document, window.stack
    comps = doc.map.components
    out: dict[str, list[tuple[float, float]]] = {"rename": [], "add": [], "link": [], "undo": []}

    def timed_one(op: str, fn: Callable[[], object]) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        app.processEvents()  # what the edit queued (repaints, timers due now)
        out[op].append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))

    app.processEvents()
    for i in range(rounds):
        c = comps[(i * 97) % len(comps)]
        # Linked to the component nearest to it, as people link on a real map (a line
        # across the whole map repaints much of it: that is the random-link figure).
        d = min((x for x in comps[::7] if x is not c),
                key=lambda x: abs((x.visibility or 0) - (c.visibility or 0)) + abs((x.evolution or 0) - (c.evolution or 0)))
        timed_one("rename", lambda c=c: run(stack, UpdateElementCommand(doc, c.id, name=f"{c.name} renamed {i}")))
        timed_one("undo", stack.undo)
        new = Component(id=f"bench-new-{i}", name=f"Bench new {i}", visibility=0.5, evolution=0.5)
        timed_one("add", lambda new=new: run(stack, AddElementCommand(doc, new)))
        timed_one("undo", stack.undo)
        link = Link(id=f"bench-link-{i}", source=c.id, target=d.id)
        timed_one("link", lambda link=link: run(stack, AddElementCommand(doc, link)))
        timed_one("undo", stack.undo)
    return out


def profile(app: QApplication, window: MainWindow, op: str) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    if op == "drag":
        prof.enable()
        drag_steps(app, window)
        prof.disable()
    else:
        doc, stack = window.document, window.stack
        c, d = doc.map.components[5], doc.map.components[50]
        for i in range(10):
            if op == "rename":
                edit = UpdateElementCommand(doc, c.id, name=f"{c.name} p{i}")
            elif op == "add":
                edit = AddElementCommand(doc, Component(id=f"p{i}", name=f"P {i}", visibility=0.5, evolution=0.5))
            else:
                edit = AddElementCommand(doc, Link(id=f"pl{i}", source=c.id, target=d.id))
            if op == "undo":
                run(stack, edit)
                app.processEvents()
                prof.enable()
                stack.undo()
                app.processEvents()
                prof.disable()
            else:
                prof.enable()
                run(stack, edit)
                app.processEvents()
                prof.disable()
                stack.undo()
                app.processEvents()
    pstats.Stats(prof).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(int(os.environ.get("BENCH_TOP", "35")))


def _fmt(samples: list[tuple[float, float]]) -> str:
    wall = median_min([s[0] for s in samples])
    cpu = median_min([s[1] for s in samples])
    return f"{wall[0]:7.1f} / {wall[1]:6.1f} (cpu {cpu[0]:6.1f} / {cpu[1]:6.1f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,1000,5000")
    parser.add_argument("--random-links", action="store_true", help="links across the whole map (worst case)")
    parser.add_argument("--profile", choices=("rename", "add", "link", "undo", "drag"))
    parser.add_argument("--no-undo-100", action="store_true", help="skip the 100 undo+redo (slow at 5,000)")
    parser.add_argument("--avoid-limit", type=int, help="label avoidance up to this many components (measuring)")
    parser.add_argument("--slice-ms", type=float, help="label settle slices of this many ms (measuring)")
    args = parser.parse_args()
    if args.slice_ms is not None:
        from osom_desktop.drawing import map_scene as scene_module

        scene_module.SETTLE_SLICE_MS = args.slice_ms
    if args.avoid_limit is not None:
        from osom_desktop.drawing import map_scene

        map_scene.LABEL_AVOIDANCE_LIMIT = args.avoid_limit
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="osom-bench-editor-"))
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}")
    print(f"links: {'random' if args.random_links else 'local'}; ms median / min, wall (cpu)")
    for n in (int(s) for s in args.sizes.split(",")):
        path = make_file(n, folder, local_links=not args.random_links)
        if args.profile:
            _, window = open_and_paint(app, path)
            profile(app, window, args.profile)
            window.stack.setClean()
            window.close()
            continue
        opens, drags, undos = [], [], []
        drops: list[tuple[float, float]] = []
        slices: list[tuple[float, float]] = []
        settles: list[tuple[float, float]] = []
        edits: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            elapsed, window = open_and_paint(app, path)
            opens.append(elapsed)
            drags.extend(drag_steps(app, window, drops=drops, slices=slices, settles=settles))
            for op, samples in one_edits(app, window).items():
                edits.setdefault(op, []).extend(samples)
            if not args.no_undo_100:
                undos.append(undo_redo(app, window))
            window.stack.setClean()
            window.close()
            window.deleteLater()
            app.processEvents()
        load = os.getloadavg()
        o = median_min(opens)
        walls = [d[0] for d in drags]
        print(f"{n} components (load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
        print(f"  open+paint    {o[0]:7.1f} / {o[1]:6.1f}")
        print(f"  drag step     {_fmt(drags)}  p90 {statistics.quantiles(walls, n=10)[-1]:.1f}, max {max(walls):.1f}")
        print(f"  drop          {_fmt(drops)}")
        print(f"  slice max     {_fmt(slices)}")
        print(f"  settle        {_fmt(settles)}")
        for op in ("rename", "add", "link", "undo"):
            print(f"  {op:13} {_fmt(edits[op])}")
        if undos:
            u = median_min(undos)
            print(f"  undo+redo 100 {u[0]:7.1f} / {u[1]:6.1f}")


if __name__ == "__main__":
    main()
