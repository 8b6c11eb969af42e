"""Benchmark: save and open a .osom file at 1x, 4x and 16x the size of a big service.

Generated (seeded) services with 1,000 / 4,000 / 16,000 components and twice as many
links, plus a full contract. Each operation is timed whole (save includes the
fingerprint, the in-memory database, fsync and the atomic replace; open includes
reading, quick_check, every value check and the fingerprint check), several times;
the table shows median and min, and growth of the median against the 1x size.
Asserts nothing: the 50 ms budget for 1,000 components is judged by a person.

    .venv/bin/python bench/bench_storage.py [--runs N] [--sizes 1000,4000,16000]

Last run (2 cpus, Intel Xeon Processor, Python 3.11.7, SQLite 3.40.1, ext4), 7 runs:

    components  links  file KB | save med    min growth | open med    min growth
         1,000  2,000      500 |     20.1   19.9   1.0x |     15.2   14.0   1.0x
         4,000  8,000    1,392 |     90.7   81.4   4.5x |     60.5   51.6   4.0x
        16,000 32,000    5,040 |    335.9  310.2  16.7x |    256.6  232.6  16.9x
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the generator lives with the storage tests
sys.path.insert(0, str(REPO / "bench"))

from common import cpu_model, timed  # noqa: E402

from osom_desktop.storage import document_fingerprint, open_document, save_document  # noqa: E402
from osom_desktop.storage.writer import build_image  # noqa: E402
from tests.storage.generate import large_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,4000,16000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"machine: {os.cpu_count()} cpus (nproc), {cpu_model()}")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}")
    print()
    header = (
        f"{'components':>10} {'links':>6} {'file KB':>8} | {'save med':>8} {'min':>6} {'growth':>6} | "
        f"{'open med':>8} {'min':>6} {'growth':>6} | {'fingerprint':>11} {'image':>6}"
    )
    print(header)
    print("-" * len(header))
    base: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            doc = large_document(n, seed=1)
            path = Path(folder) / f"bench-{n}.osom"
            # Saving appends a revision each time; that is part of what a save costs.
            saves = timed(lambda: save_document(doc, path), args.runs, warm_up=True)
            opens = timed(lambda: open_document(path), args.runs, warm_up=True)
            fps = timed(lambda: document_fingerprint(doc), args.runs, warm_up=True)
            images = timed(lambda: build_image(doc, doc.revisions), args.runs, warm_up=True)
            save_med, open_med = statistics.median(saves), statistics.median(opens)
            base.setdefault("save", save_med)
            base.setdefault("open", open_med)
            print(
                f"{n:>10,} {len(doc.map.links):>6,} {path.stat().st_size / 1024:>8,.0f} | "
                f"{save_med:>8.1f} {min(saves):>6.1f} {save_med / base['save']:>5.1f}x | "
                f"{open_med:>8.1f} {min(opens):>6.1f} {open_med / base['open']:>5.1f}x | "
                f"{statistics.median(fps):>11.1f} {statistics.median(images):>6.1f}"
            )
    print()
    print("ms per operation; growth = median / median at the first size; fingerprint and image")
    print("(rows into the in-memory database + checks + serialize) are parts of save.")


if __name__ == "__main__":
    main()
