"""A rubber band dragged across a generated map (not a test: asserts nothing).

    .venv/bin/python bench/bench_band.py [--runs 3] [--sizes 1000,5000]

One band step: one mouse-move event of a rubber band growing across the middle of the
fitted map, through the real MainWindow, offscreen, until the repaint is done: Qt's own
band (every item it touches is selected), then the rule that unselects the extended
items it only touches (``views/map_select``). ``qt only`` is the same step with that rule
switched off (Qt's band alone, as before), to show what it adds. Prints median / min ms, the load average, the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OSOM_RECOVERY_DIR", tempfile.mkdtemp(prefix="osom-bench-recovery-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_editor import make_file  # noqa: E402
from common import cpu_model, median_min  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from osom_desktop.views.main_window import MainWindow  # noqa: E402
from osom_desktop.views.map_create import MapCreate  # noqa: E402
from osom_desktop.views.map_select import MapSelect  # noqa: E402


def band_steps(app: QApplication, window: MainWindow, moves: int = 30) -> list[float]:
    view = window.view
    view.zoom_fit()
    app.processEvents()
    vp = view.viewport()
    # From the top-left of the plot (empty: above the components' area) down and right.
    start = QPoint(int(vp.width() * 0.08), int(vp.height() * 0.04))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    samples = []
    for i in range(1, moves + 1):
        p = start + QPoint(int(vp.width() * 0.6 * i / moves), int(vp.height() * 0.6 * i / moves))
        t0 = time.perf_counter()
        QTest.mouseMove(vp, p)
        app.processEvents()
        samples.append((time.perf_counter() - t0) * 1000)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,5000")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    ours = MapSelect.mouseMoveEvent
    qt_only = MapCreate.mouseMoveEvent  # the band as before: Qt's rule alone
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = make_file(n, Path(tmp))
            window = MainWindow()
            window.resize(1280, 800)
            window.show()
            window.open_path(path, ask_when_locked=False)
            app.processEvents()
            results: dict[str, list[float]] = {"with rule": [], "qt only": []}
            for _ in range(args.runs):  # interleaved: the machine's load hits both alike
                for name in results:
                    MapSelect.mouseMoveEvent = ours if name == "with rule" else qt_only  # type: ignore[method-assign]
                    results[name] += band_steps(app, window)
                    window.scene.clearSelection()
            MapSelect.mouseMoveEvent = ours  # type: ignore[method-assign]
            selected = len(window.scene.selectedItems())
            for name, samples in results.items():
                med, low = median_min(samples)
                print(f"{n} components, band step ({name}): {med:.1f} / {low:.1f} ms  (median / min)", flush=True)
            print(f"  (items selected at the end of the last band: {selected})")
            window.stack.setClean()
            window.close()
    print(f"load average {os.getloadavg()[0]:.2f}; {cpu_model()}; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
