"""Governance pack timings on generated services (not a test: asserts nothing).

    .venv/bin/python bench/bench_pack.py [--runs 5] [--sizes 50,200,1000]

For each size (components; links = 2x components): the sample service's contract,
guidance and assessments with a seeded generated map, then
- build:  build_pack (checks included), no Qt
- html:   build_pack + write_pack_html (map drawn to SVG, sanitised, template)
- pdf:    build_pack + write_pack_pdf (vector map page, laid-out text)
Target: <= 1 s for each form at 200 components. Prints median and min milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_model, generate_map, median_min, timed

from osom_desktop.export.image import ensure_qt_app
from osom_desktop.export.pack import build_pack
from osom_desktop.export.pack_html import write_pack_html
from osom_desktop.export.pack_pdf import write_pack_pdf
from osom_desktop.samples import sample_document

TODAY = dt.date(2026, 11, 25)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="50,200,1000")
    args = ap.parse_args()
    ensure_qt_app()
    print(f"machine: {cpu_model()}, Python {platform.python_version()}")
    print(f"{'components':>10} | {'build ms (med/min)':>18} | {'html ms (med/min)':>18} | {'pdf ms (med/min)':>18} | html KB | pdf KB")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            doc = sample_document()
            doc.map = generate_map(n, seed=n)
            html, pdf = Path(tmp) / f"p{n}.html", Path(tmp) / f"p{n}.pdf"
            b = median_min(timed(lambda doc=doc: build_pack(doc, source_path="bench.osom", today=TODAY), args.runs, warm_up=True))
            h = median_min(timed(lambda doc=doc, html=html: write_pack_html(build_pack(doc, source_path="bench.osom", today=TODAY), html),
                                 args.runs, warm_up=True))
            p = median_min(timed(lambda doc=doc, pdf=pdf: write_pack_pdf(build_pack(doc, source_path="bench.osom", today=TODAY), pdf),
                                 args.runs, warm_up=True))
            print(f"{n:>10} | {b[0]:>8.0f} / {b[1]:<7.0f} | {h[0]:>8.0f} / {h[1]:<7.0f} | {p[0]:>8.0f} / {p[1]:<7.0f} |"
                  f" {html.stat().st_size // 1024:>7} | {pdf.stat().st_size // 1024:>6}")


if __name__ == "__main__":
    main()
