"""Canvas and image-export timings on generated maps (not a test: asserts nothing).

    .venv/bin/python bench/bench_render.py [--runs 5] [--sizes 250,1000,5000]

For each size (components; links = 2x components), with seeded random maps:
- build:        MapScene(document): every item created and laid out
- first paint:  build + render the whole scene into a 1280x800 QImage, what a window
                shows on opening (the acceptance target: 1,000 <= 300 ms, 5,000 <= 1.5 s)
- svg / png:    render_svg / render_png (scale 2) to a temporary file (<= 500 ms at 1,000)
- drag step:    document.move_components for one component + the scene's refresh of
                its items, as one mouse-move of a drag does (far under 16 ms)
- drag+paint:   the same plus repainting the area that changed into an image
Prints median and min milliseconds, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402

from osom_desktop.export.image import ensure_qt_app, render_png, render_svg  # noqa: E402
from osom_desktop.model import (  # noqa: E402
    Annotation,
    Component,
    ComponentKind,
    Document,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    ServiceDocument,
    WardleyMap,
)
from osom_desktop.views.map_scene import MapScene  # noqa: E402

WORDS = (
    "customer payments platform compute storage identity search billing ledger cache "
    "gateway analytics support mobile web data centre power network hiring training "
    "catalogue pricing logistics warehouse invoicing reporting email messaging"
).split()


def generate_map(n: int, seed: int = 1, links: str = "random") -> WardleyMap:
    """A map with ``n`` components and ``2n`` links, decorated about as often as
    real maps are (methods, evolve, inertia, markets, labelled and flow links).

    ``links="random"`` joins random pairs: long lines across the whole map, the worst
    case for painting. ``"chain"`` joins each component to one of the next 15 below
    it on the value chain, closer to how people draw maps."""
    rnd = random.Random(seed)
    comps: list[Component] = []
    for i in range(n):
        name = f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}"
        c = Component(
            id=f"c{i}",
            name=name,
            kind=ComponentKind.ANCHOR if i < max(1, n // 100) else ComponentKind.COMPONENT,
            visibility=round(rnd.random(), 3),
            evolution=round(rnd.random(), 3),
        )
        r = rnd.random()
        if c.kind is ComponentKind.COMPONENT:
            if r < 0.15:
                c.method = rnd.choice(list(Method))
            elif r < 0.20:
                c.evolve = Evolve(evolution=min(1.0, (c.evolution or 0) + 0.2))
            elif r < 0.23:
                c.inertia = True
            elif r < 0.25:
                c.market = True
            elif r < 0.30:
                c.label = Offset(rnd.uniform(-60, 10), rnd.uniform(-15, 20))
        comps.append(c)
    by_height = sorted(range(n), key=lambda i: -(comps[i].visibility or 0))
    link_list: list[Link] = []
    for j in range(2 * n):
        if links == "chain":
            k = rnd.randrange(n - 1)
            a, b = by_height[k], by_height[min(n - 1, k + rnd.randint(1, 15))]
        else:
            a, b = rnd.sample(range(n), 2)
        link = Link(id=f"l{j}", source=f"c{a}", target=f"c{b}")
        r = rnd.random()
        if r < 0.05:
            link.flow = FlowDirection.FORWARD
            link.flow_value = f"${rnd.randint(1, 99)}"
        elif r < 0.10:
            link.context = rnd.choice(WORDS)
        link_list.append(link)
    notes = [Note(id=f"n{k}", text=f"note {k}", visibility=rnd.random(), evolution=rnd.random()) for k in range(n // 100)]
    annotations = [
        Annotation(id=f"a{k}", number=k + 1, points=[(rnd.random(), rnd.random())], text=f"annotation {k}")
        for k in range(min(10, n // 100))
    ]
    return WardleyMap(
        title=f"Generated {n}",
        style="wardley",
        components=comps,
        links=link_list,
        notes=notes,
        annotations=annotations,
    )


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), min(samples)


def first_paint(doc: Document) -> None:
    scene = MapScene(doc)
    image = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, 1280, 800), scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    scene.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,1000,5000")
    parser.add_argument("--links", choices=("random", "chain"), default="random", help="see generate_map")
    args = parser.parse_args()
    ensure_qt_app()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[tuple[str, int, float, float]] = []
    tmp = Path(tempfile.mkdtemp(prefix="osom-bench-"))
    for n in sizes:
        doc = Document(ServiceDocument.model_construct(map=generate_map(n, links=args.links)))
        runs = args.runs if n <= 1000 else max(3, args.runs // 2)
        # Warm-up: fonts, glyph caches, Qt plugins.
        first_paint(doc)

        def build(doc: Document = doc) -> None:
            MapScene(doc).close()

        rows.append(("build scene", n, *timed(build, runs)))
        rows.append(("first paint (build + 1280x800)", n, *timed(lambda: first_paint(doc), runs)))
        rows.append(("svg export", n, *timed(lambda: render_svg(doc, tmp / "m.svg"), runs)))
        rows.append(("png export (scale 2)", n, *timed(lambda: render_png(doc, tmp / "m.png"), runs)))

        scene = MapScene(doc)
        rnd = random.Random(7)
        target = doc.map.components[len(doc.map.components) // 2]
        moves = iter([(rnd.random(), rnd.random()) for _ in range(10_000)])

        def drag_step() -> None:
            doc.move_components({target.id: next(moves)})

        rows.append(("drag step (move + refresh)", n, *timed(drag_step, 200)))

        view = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)
        link_ids = [lk.id for lk in doc.map.links_of(target.id)]

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

    print(f"machine: {os.cpu_count()} cpus, {cpu_name()}, Python {platform.python_version()}, "
          f"PySide6 {__import__('PySide6').__version__}, {platform.system()} {platform.release()}")
    print(f"links: {args.links}")
    print(f"{'operation':40} {'components':>10} {'median ms':>10} {'min ms':>9}")
    for name, n, med, low in rows:
        print(f"{name:40} {n:>10} {med:>10.1f} {low:>9.1f}")


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


if __name__ == "__main__":
    sys.exit(main())
