"""What every benchmark here shares: generated maps, timing, and the machine's name."""

from __future__ import annotations

import gc
import platform
import random
import statistics
import time
from collections.abc import Callable

from osom_desktop.model import (
    Annotation,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    WardleyMap,
)

WORDS = (
    "customer payments platform compute storage identity search billing ledger cache "
    "gateway analytics support mobile web data centre power network hiring training "
    "catalogue pricing logistics warehouse invoicing reporting email messaging"
).split()


def generate_map(n: int, seed: int = 1, links_per_component: int = 2, local_links: bool = True) -> WardleyMap:
    """A seeded map with ``n`` components and ``links_per_component * n`` links,
    decorated about as often as real maps are (methods, evolve, inertia, markets,
    labelled and flow links, notes, annotations).

    ``local_links``: as in real maps, a component depends on components below it in
    the value chain and near it in evolution (the nearest of a few candidates). With
    False, links join random pairs across the whole map: a hairball nobody draws,
    kept to show the worst case for redrawing.
    """
    rnd = random.Random(seed)
    comps: list[Component] = []
    for i in range(n):
        c = Component(
            id=f"c{i}",
            name=f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}",
            kind=ComponentKind.ANCHOR if i < max(1, n // 100) else ComponentKind.COMPONENT,
            visibility=round(rnd.random(), 3),
            evolution=round(rnd.random(), 3),
        )
        r = rnd.random()
        if c.kind is ComponentKind.COMPONENT:
            if r < 0.15:
                c.method = rnd.choice(list(Method))
            elif r < 0.20:
                c.evolve = Evolve(evolution=min(1.0, round((c.evolution or 0) + 0.2, 3)))
            elif r < 0.23:
                c.inertia = True
            elif r < 0.25:
                c.market = True
            elif r < 0.30:
                c.label = Offset(round(rnd.uniform(-60, 10)), round(rnd.uniform(-15, 20)))
        comps.append(c)
    links: list[Link] = []
    seen: set[tuple[int, int]] = set()
    while len(links) < links_per_component * n and n > 1:
        a, b = rnd.sample(range(n), 2)
        if local_links:
            ca = comps[a]
            candidates = [i for i in rnd.sample(range(n), min(n, 24)) if i != a]
            below = [i for i in candidates if (comps[i].visibility or 0) < (ca.visibility or 0)] or candidates
            b = min(below, key=lambda i: abs((comps[i].evolution or 0) - (ca.evolution or 0))
                    + abs((comps[i].visibility or 0) - (ca.visibility or 0)))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        link = Link(id=f"l{len(links)}", source=f"c{a}", target=f"c{b}")
        r = rnd.random()
        if r < 0.05:
            link.flow = FlowDirection.FORWARD
            link.flow_value = f"${rnd.randint(1, 99)}"
        elif r < 0.10:
            link.context = rnd.choice(WORDS)
        links.append(link)
    notes = [
        Note(id=f"n{k}", text=f"note {k}", visibility=round(rnd.random(), 3), evolution=round(rnd.random(), 3))
        for k in range(n // 100)
    ]
    annotations = [
        Annotation(id=f"a{k}", number=k + 1, points=[(round(rnd.random(), 3), round(rnd.random(), 3))], text=f"annotation {k}")
        for k in range(min(10, n // 100))
    ]
    return WardleyMap(title=f"Generated {n}", style="wardley", components=comps, links=links, notes=notes, annotations=annotations)


def timed(fn: Callable[[], object], runs: int, *, warm_up: bool = False, collect: bool = False) -> list[float]:
    """Milliseconds of each of ``runs`` calls.

    ``warm_up``: one untimed call first (caches, lazy imports). ``collect``: a garbage
    collection before each call, and the result freed after the clock stops, so
    freeing the previous result is not counted as the next call's time.
    """
    if warm_up:
        fn()
    samples = []
    for _ in range(runs):
        if collect:
            gc.collect()
        t0 = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t0) * 1000)
        del result
    return samples


def median_min(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), min(samples)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
