"""What making exports safe costs (issue 11), on generated maps (not a test: asserts nothing).

    .venv/bin/python bench/bench_export_write.py [--runs 5] [--sizes 250,1000,4000]

For each size (components; links = 2x components), the sample service with a seeded
generated map, its pack drawn once, then each step the safe write adds on its own:
- scrub:        model.text_safety.scrubbed over the whole document (pack building)
- for_document: the backstop over the pack's whole HTML text
- write html:   atomic_write_bytes of the pack's HTML, with no check (the floor)
- checked html: export.output.write_export: the same plus read-back and check_html
- checked svg:  write_export of the map's SVG (read back, parsed by expat)
- checked pdf:  write_export of the pack's PDF (read back, cross-reference table checked)
- checked png:  write_export of the map's PNG at scale 2 (read back, chunk CRCs)
Prints median and min milliseconds, the sizes written, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_model, generate_map, median_min, timed  # noqa: E402

from osom_desktop.export.image import ensure_qt_app, png_bytes, svg_bytes  # noqa: E402
from osom_desktop.export.output import write_export  # noqa: E402
from osom_desktop.export.pack import build_pack  # noqa: E402
from osom_desktop.export.pack_html import render_pack_html  # noqa: E402
from osom_desktop.export.pack_pdf import pack_pdf_bytes  # noqa: E402
from osom_desktop.model.text_safety import for_document, scrubbed  # noqa: E402
from osom_desktop.samples import sample_document  # noqa: E402
from osom_desktop.storage.atomic import atomic_write_bytes  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="250,1000,4000")
    args = ap.parse_args()
    ensure_qt_app()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'step':<14} {'components':>10} {'KB':>7} {'median ms':>10} {'min ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for n in (int(s) for s in args.sizes.split(",")):
            doc = sample_document()
            doc.map = generate_map(n, seed=n)
            pack = build_pack(doc, source_path="bench.osom")
            html_text = render_pack_html(pack)
            html = html_text.encode("utf-8")
            svg, png, pdf = svg_bytes(doc.map), png_bytes(doc.map), bytes(pack_pdf_bytes(pack))
            rows = [
                ("scrub", 0, lambda: scrubbed(doc)),
                ("for_document", len(html), lambda: for_document(html_text)),
                ("write html", len(html), lambda: atomic_write_bytes(out / "p.html", html)),
                ("checked html", len(html), lambda: write_export(out / "p.html", html, "html")),
                ("checked svg", len(svg), lambda: write_export(out / "m.svg", svg, "svg")),
                ("checked pdf", len(pdf), lambda: write_export(out / "p.pdf", pdf, "pdf")),
                ("checked png", len(png), lambda: write_export(out / "m.png", png, "png")),
            ]
            for name, size, fn in rows:
                med, low = median_min(timed(fn, args.runs, warm_up=True))
                print(f"{name:<14} {n:>10} {size // 1024:>7} {med:>10.1f} {low:>8.1f}")


if __name__ == "__main__":
    main()
