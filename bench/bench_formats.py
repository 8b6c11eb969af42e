"""Format timings on generated maps (a benchmark, not a test): Mermaid write/read,
``osom show`` text, JSON write/read (read = size, depth, schema, model and reference
checks, as ``osom import`` does). Seeded maps of 1,000 / 4,000 / 16,000 components with
twice as many links; median and min in ms over several runs, growth against 1x.

    .venv/bin/python bench/bench_formats.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import cpu_model, generate_map, median_min, timed  # noqa: E402

from osom_desktop.formats.json_schema import document_json, read_document_json  # noqa: E402
from osom_desktop.formats.mermaid import parse_mermaid, write_mermaid  # noqa: E402
from osom_desktop.formats.show import show_text  # noqa: E402
from osom_desktop.model import ServiceDocument  # noqa: E402

SIZES = (1_000, 4_000, 16_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}; {runs} runs")
    print("| components | mermaid write | mermaid read | show | json write | json read |")
    print("|---|---|---|---|---|---|")
    base: dict[str, float] = {}
    for n in SIZES:
        doc = ServiceDocument(map=generate_map(n))
        text = write_mermaid(doc.map).text
        data = document_json(doc).encode()
        cells = []
        for name, fn in (
            ("mermaid write", lambda: write_mermaid(doc.map)),
            ("mermaid read", lambda: parse_mermaid(text)),
            ("show", lambda: show_text(doc)),
            ("json write", lambda: document_json(doc)),
            ("json read", lambda: read_document_json(data, "bench.json")),
        ):
            med, low = median_min(timed(fn, runs))
            base.setdefault(name, med / n)
            cells.append(f"{med:,.0f} / {low:,.0f} ({med / n / base[name]:.2f}x)")
        print(f"| {n:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
