"""Canvas and image-export timings on generated maps (not a test: asserts nothing).

    .venv/bin/python bench/bench_render.py [--runs 5] [--sizes 250,1000,5000] [--only png]

For each size (components; links = 2x components), with seeded random maps:
- build:        MapScene(document): every item created and laid out
- first paint:  build + render the whole scene into a 1280x800 QImage, what a window
                shows on opening (the acceptance target: 1,000 <= 300 ms, 5,000 <= 1.5 s)
- svg / png:    render_svg / render_png (scale 2) to a temporary file (<= 500 ms at 1,000)
- drag step:    document.move_components for one component + the scene's refresh of
                its items, as one mouse-move of a drag does (far under 16 ms)
- drag+paint:   the same plus repainting the area that changed into an image
Prints median and min milliseconds, and the machine. ``--only png`` (or svg, build,
paint, drag) times that row alone: quicker before/after pairs on a shared machine.
``--phases`` adds the PNG export's parts, one after the other as ``png_bytes`` does
them (scrubbing the texts, building the MapScene, drawing, encoding, writing the file),
so a change can be placed without a profiler (which inflates Python's share).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_model, generate_map, median_min  # noqa: E402
from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402

from osom_desktop.drawing.map_scene import MapScene  # noqa: E402
from osom_desktop.export import image as export_image  # noqa: E402
from osom_desktop.export.image import ensure_qt_app, render_png, render_svg  # noqa: E402
from osom_desktop.export.output import write_export  # noqa: E402
from osom_desktop.model import (  # noqa: E402
    Document,
    ServiceDocument,
)


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float, float]:
    """Wall median / min and CPU (this process) median / min, ms: on a shared machine
    the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return (*median_min(wall), *median_min(cpu))


def first_paint(doc: Document) -> None:
    scene = MapScene(doc)
    image = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, 1280, 800), scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    scene.close()


def png_phases(doc: Document, runs: int, path: Path) -> list[tuple[str, float, float, float, float]]:
    """The PNG export's parts in its own order, each timed (wall and CPU) in every run:
    (name, wall median, wall min, CPU median, CPU min)."""
    names = ("  scrub texts", "  build scene", "  draw", "  drop scene", "  encode", "  write")
    samples: list[list[tuple[float, float]]] = [[] for _ in names]
    for _ in range(runs):
        marks = [(time.perf_counter(), time.process_time())]

        def mark() -> None:
            marks.append((time.perf_counter(), time.process_time()))

        with export_image._gc_paused():  # as map_image does
            safe = export_image._document(doc)
            mark()
            scene = MapScene(safe)
            mark()
            image = export_image._blank_image(scene, 2.0)
            export_image._draw(scene, image)
            scene.close()
            mark()
            del scene
            mark()
        data = export_image.encode_png(image)
        mark()
        write_export(path, data, "png")
        mark()
        for i, ((w0, c0), (w1, c1)) in enumerate(zip(marks, marks[1:], strict=False)):
            samples[i].append(((w1 - w0) * 1000, (c1 - c0) * 1000))
    return [(name, *median_min([w for w, _ in s]), *median_min([c for _, c in s]))
            for name, s in zip(names, samples, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,1000,5000")
    parser.add_argument("--links", choices=("random", "local"), default="random",
                        help="random: across the whole map (worst case); local: down the value chain, nearby")
    parser.add_argument("--only", choices=("build", "paint", "svg", "png", "drag"),
                        help="time only this operation")
    parser.add_argument("--phases", action="store_true", help="also time the PNG export's parts")
    args = parser.parse_args()
    ensure_qt_app()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[str, int, float, float, float, float]] = []
    tmp = Path(tempfile.mkdtemp(prefix="osom-bench-"))
    for n in sizes:
        doc = Document(ServiceDocument.model_construct(map=generate_map(n, local_links=args.links == "local")))
        runs = args.runs if n <= 1000 else max(3, args.runs // 2)
        # Warm-up: fonts, glyph caches, Qt plugins.
        first_paint(doc)

        def build(doc: Document = doc) -> None:
            MapScene(doc).close()

        if args.only in (None, "build"):
            rows.append(("build scene", n, *timed(build, runs)))
        if args.only in (None, "paint"):
            rows.append(("first paint (build + 1280x800)", n, *timed(lambda: first_paint(doc), runs)))
        if args.only in (None, "svg"):
            rows.append(("svg export", n, *timed(lambda: render_svg(doc, tmp / "m.svg"), runs)))
        if args.only in (None, "png"):
            rows.append(("png export (scale 2)", n, *timed(lambda: render_png(doc, tmp / "m.png"), runs)))
            if args.phases:
                rows.extend((name, n, *times) for name, *times in png_phases(doc, runs, tmp / "p.png"))
        if args.only not in (None, "drag"):
            continue

        scene = MapScene(doc)
        rnd = random.Random(7)
        target = doc.map.components[len(doc.map.components) // 2]
        moves = iter([(rnd.random(), rnd.random()) for _ in range(10_000)])

        def drag_step() -> None:
            doc.move_components({target.id: next(moves)})

        rows.append(("drag step (move + refresh)", n, *timed(drag_step, 200)))

        view = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)
        link_ids = [lk.id for lk in doc.map.links if target.id in (lk.source, lk.target)]

        def drag_and_paint() -> None:
            item = scene.item_for_id(target.id)
            moved = [item] + [scene.item_for_id(lid) for lid in link_ids]
            dirty = QRectF()
            for i in moved:
                dirty = dirty.united(i.sceneBoundingRect())
            doc.move_components({target.id: next(moves)})
            for i in moved:  # what a view repaints: where they were and where they are
                dirty = dirty.united(i.sceneBoundingRect())
            painter = QPainter(view)
            scale = 1280 / scene.sceneRect().width()
            target_rect = QRectF(
                (dirty.left() - scene.sceneRect().left()) * scale,
                (dirty.top() - scene.sceneRect().top()) * scale,
                dirty.width() * scale,
                dirty.height() * scale,
            )
            scene.render(painter, target_rect, dirty)
            painter.end()

        rows.append(("drag step + repaint of changed area", n, *timed(drag_and_paint, 100)))
        scene.close()

    print(f"machine: {os.cpu_count()} cpus, {cpu_model()}, Python {platform.python_version()}, "
          f"PySide6 {__import__('PySide6').__version__}, {platform.system()} {platform.release()}")
    print(f"links: {args.links}; load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'operation':40} {'components':>10} {'median ms':>10} {'min ms':>9} {'cpu med':>9} {'cpu min':>9}")
    for name, n, med, low, cmed, clow in rows:
        print(f"{name:40} {n:>10} {med:>10.1f} {low:>9.1f} {cmed:>9.1f} {clow:>9.1f}")


if __name__ == "__main__":
    sys.exit(main())
