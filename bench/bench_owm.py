"""OWM text import/export timings on generated maps (a benchmark, not a test).

Generates seeded maps of 1,000 / 4,000 / 16,000 components with twice as many links
(plus the 5,000 + 10,000 acceptance case), times ``parse_owm`` and ``write_owm`` over
several runs each, and prints median and min in ms with the growth against 1x. The
maps mix the line forms real maps use in roughly real proportions: labels, decorations,
anchors, evolves, link contexts, flows, comments and blank lines.

    .venv/bin/python bench/bench_owm.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import cpu_model, timed  # noqa: E402

from osom_desktop.model import ServiceDocument  # noqa: E402
from osom_desktop.owm import parse_owm, write_owm  # noqa: E402
from osom_desktop.storage import save_document  # noqa: E402

_WORDS = (
    "Customer Cup Tea Kettle Power Water Platform Compute Data Centre Web Site CRM Print "
    "Storage Identity Payments Search Analytics Billing Gateway Queue Cache Ledger Portal"
).split()


def generate_map_text(components: int, links: int, seed: int = 42) -> str:
    """OWM text for a map of ``components`` components and ``links`` links/flows."""
    rng = random.Random(seed)
    lines = [f"title Generated {components} components", "style wardley", ""]
    names: list[str] = []
    for i in range(components):
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {i:05d}"  # fixed width: bytes scale with n
        names.append(name)
        keyword = "anchor" if i % 100 == 0 else "component"
        line = f"{keyword} {name} [{rng.random():.2f}, {rng.random():.2f}]"
        roll = rng.random()
        if roll < 0.30:
            line += f" label [{rng.randint(-80, 80)}, {rng.randint(-40, 40)}]"
        elif roll < 0.36:
            line += f" ({rng.choice(('build', 'buy', 'outsource'))})"
        elif roll < 0.40:
            line += " inertia"
        lines.append(line)
        if rng.random() < 0.03:
            lines.append(f"evolve {name} {rng.random():.2f}")
        if i % 500 == 499:
            lines += ["", f"// section {i // 500}"]
    lines.append("")
    for _ in range(links):
        a, b = rng.sample(names, 2)
        roll = rng.random()
        if roll < 0.85:
            lines.append(f"{a}->{b}")
        elif roll < 0.95:
            lines.append(f"{a}->{b}; limited by {rng.choice(_WORDS).lower()}")
        else:
            lines.append(f"{a}+'${rng.randint(1, 99) / 100}'>{b}")
    lines += ["", "note generated for the benchmark [0.1, 0.1]"]
    return "\n".join(lines) + "\n"


def import_and_save(text: str, path: Path) -> None:
    """What ``osom import`` does: parse the OWM text and save a new service file."""
    doc = ServiceDocument()
    doc.map = parse_owm(text, filename="generated.owm").map
    save_document(doc, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9, help="timed runs per size (default 9)")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cpus, {cpu_model()}; Python {platform.python_version()} ({sys.platform})")
    cases = [(1_000, 2_000, "1x"), (4_000, 8_000, "4x"), (16_000, 32_000, "16x"), (5_000, 10_000, "target")]
    print(
        f"{'case':>7} {'comps':>6} {'links':>6} {'lines':>6} | {'parse med':>9} {'min':>7} {'x1x':>5}"
        f" | {'write med':>9} {'min':>7} {'x1x':>5} | {'import+save':>11} {'min':>7} {'x1x':>5}"
    )
    folder = Path(tempfile.mkdtemp(prefix="osom-bench-import-"))
    base: tuple[float, float, float] | None = None
    for components, links, label in cases:
        text = generate_map_text(components, links)
        result = parse_owm(text)  # warm-up, and a check that the generated map is clean
        if result.diagnostics:
            print(f"  generated map has {len(result.diagnostics)} diagnostics, e.g. {result.diagnostics[0]}")
        m = result.map
        parse_times = timed(lambda text=text: parse_owm(text), args.runs, collect=True)
        write_times = timed(lambda m=m: write_owm(m), args.runs, collect=True)
        import_times = timed(lambda text=text: import_and_save(text, folder / "import.osom"), max(3, args.runs // 3))
        p_med, w_med = statistics.median(parse_times), statistics.median(write_times)
        i_med = statistics.median(import_times)
        if base is None:
            base = (p_med, w_med, i_med)
        scale = components / 1_000
        print(
            f"{label:>7} {components:>6} {links:>6} {text.count(chr(10)):>6} |"
            f" {p_med:>9.1f} {min(parse_times):>7.1f} {p_med / base[0]:>5.1f}"
            f" | {w_med:>9.1f} {min(write_times):>7.1f} {w_med / base[1]:>5.1f}"
            f" | {i_med:>11.1f} {min(import_times):>7.1f} {i_med / base[2]:>5.1f}"
            + ("" if label == "target" else f"   (input {scale:g}x)")
        )


if __name__ == "__main__":
    main()
