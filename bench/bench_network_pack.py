"""Benchmark: the executive pack of a generated folder, HTML and PDF.

Seeded folders of 50 / 100 / 200 services (``bench_network.generate_folder``: 50
components a map, 1-4 dependencies each, rejected guidance, assessments). Each format
and size runs as ``osom network FOLDER --format html|pdf -o OUT`` in a fresh process,
as a person runs it: wall time (median and min of the runs), the process's peak RSS
(``ru_maxrss`` of the child) and the file's size; pages by ``pdfinfo``.
Targets (issue 13): 200 services, PDF <= 15 s, <= 500 MB peak, <= 10 MB on disk;
HTML <= 10 s; memory not growing with the number of services.

    .venv/bin/python bench/bench_network_pack.py [--runs N] [--sizes 50,100,200]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_network import generate_folder
from common import cpu_model, median_min


def run_once(folder: Path, out: Path, fmt: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one ``osom network`` in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    code = (
        "import resource, sys\n"
        "from osom_desktop.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "network", str(folder), "--format", fmt, "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO, check=False)
    secs = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    del before
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return secs, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="50,100,200")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cpus, {cpu_model()}, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(" services fmt  runs | wall med / min s | peak RSS MB | file MB | pages")
    with tempfile.TemporaryDirectory(prefix="bench-network-pack-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            generate_folder(folder, n)
            for fmt in ("html", "pdf"):
                out = Path(tmp) / f"pack{n}.{fmt}"
                times, peaks = [], []
                for _ in range(args.runs):
                    secs, peak = run_once(folder, out, fmt)
                    times.append(secs)
                    peaks.append(peak)
                med, low = median_min(times)
                pages = "-"
                if fmt == "pdf":
                    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
                    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
                print(f" {n:8,} {fmt:4} {args.runs:5} | {med:8.1f} / {low:5.1f} | {max(peaks):11.0f} | "
                      f"{out.stat().st_size / 1e6:7.2f} | {pages}", flush=True)


if __name__ == "__main__":
    main()
