"""The map editor as a person uses it, on generated maps (not a test: asserts nothing).

    .venv/bin/python bench/bench_editor.py [--runs 5] [--sizes 250,1000,5000]

For each size (components; links = 2x components), through the real MainWindow
(canvas + OWM text dock + inspector), offscreen:
- open+paint:  open_path(.osom) until the canvas has painted once (target: 1,000 <= 300 ms,
               5,000 <= 1.5 s)
- drag step:   one mouse-move event of a drag of one component, including the Document
               change, the scene refresh, the text dock rewrite and the repaint
               (target <= 16 ms at 1,000)
- undo/redo:   100 edits undone then redone (per 100)
Prints median and min milliseconds, and the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OSOM_RECOVERY_DIR", tempfile.mkdtemp(prefix="osom-bench-recovery-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from common import cpu_model, generate_map, median_min  # noqa: E402
from osom_desktop.commands import UpdateElementCommand, run  # noqa: E402
from osom_desktop.model import ServiceDocument  # noqa: E402
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


def drag_steps(app: QApplication, window: MainWindow, moves: int = 40) -> list[float]:
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
        t0 = time.perf_counter()
        QTest.mouseMove(view.viewport(), p)
        app.processEvents()  # the repaint Qt schedules for what changed: the next frame
        samples.append((time.perf_counter() - t0) * 1000)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(3 * moves, -moves))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,1000,5000")
    parser.add_argument("--random-links", action="store_true", help="links across the whole map (worst case)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="osom-bench-editor-"))
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}")
    print(f"{'components':>10} | {'open+paint ms':>16} | {'drag step ms':>16} | {'undo+redo 100 ms':>18}")
    print(f"{'':>10} | {'median / min':>16} | {'median / min':>16} | {'median / min':>18}")
    for n in (int(s) for s in args.sizes.split(",")):
        path = make_file(n, folder, local_links=not args.random_links)
        opens, drags, undos = [], [], []
        for _ in range(args.runs):
            elapsed, window = open_and_paint(app, path)
            opens.append(elapsed)
            drags.extend(drag_steps(app, window))
            undos.append(undo_redo(app, window))
            window.stack.setClean()
            window.close()
            window.deleteLater()
            app.processEvents()
        o, d, u = median_min(opens), median_min(drags), median_min(undos)
        print(f"{n:>10} | {o[0]:>7.1f} / {o[1]:>6.1f} | {d[0]:>7.2f} / {d[1]:>6.2f} | {u[0]:>8.1f} / {u[1]:>7.1f}")
        print(f"{'':>10}   (drag step max {max(drags):.2f} ms, p90 {statistics.quantiles(drags, n=10)[-1]:.2f} ms)")


if __name__ == "__main__":
    main()
