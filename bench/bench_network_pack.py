"""Benchmark: the executive pack of a generated folder, HTML and PDF.

Seeded folders of 50 / 100 / 200 services (``bench_network.generate_folder``: 50
components a map, 1-4 dependencies each, rejected guidance, assessments). Each format
and size runs as ``osom network FOLDER --format html|pdf -o OUT`` in a fresh process,
as a person runs it: wall time (median and min of the runs), CPU time (the process and
the workers it starts to lay out parts of the PDF), the process's peak RSS
(``ru_maxrss``), the largest worker's peak RSS, and the file's size; pages by ``pdfinfo``.
Targets (issue 13): 200 services, PDF <= 15 s, <= 500 MB peak, <= 10 MB on disk;
HTML <= 10 s; memory not growing with the number of services.

    .venv/bin/python bench/bench_network_pack.py [--runs N] [--sizes 50,200,800] [--folder DIR] [--formats pdf]

Before and after a change, interleaved on one folder (the box's load drifts by the
minute): run this script from a worktree of each revision in turn, with the same
``--folder``; each imports its own tree (the command runs in the script's checkout).
"""

from __future__ import annotations

import argparse
import os
import platform
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


def run_once(folder: Path, out: Path, fmt: str) -> tuple[float, float, float, float]:
    """(seconds, CPU seconds, peak RSS MB, largest worker's peak RSS MB) of one ``osom network``."""
    t0 = time.perf_counter()
    code = (
        "import resource, sys\n"
        "from osom_desktop.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime\n"
        "print(me.ru_maxrss, kids.ru_maxrss, cpu, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "network", str(folder), "--format", fmt, "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO, check=False)
    secs = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak_kb, workers_kb, cpu = done.stderr.strip().splitlines()[-1].split()
    return secs, float(cpu), int(peak_kb) / 1024, int(workers_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="50,200,800")
    parser.add_argument("--folder", help="generate the folders here once and reuse them")
    parser.add_argument("--formats", default="html,pdf", help="html, pdf or both (comma-separated)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cpus, {cpu_model()}, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(" services fmt  runs | wall med / min s | CPU med s | peak RSS MB | worker peak MB | file MB | pages | load")
    with tempfile.TemporaryDirectory(prefix="bench-network-pack-") as tmp:
        for n in sizes:
            folder = Path(args.folder or tmp) / f"n{n}"
            if not (folder / "team-0").is_dir():
                generate_folder(folder, n)
            for fmt in args.formats.split(","):
                out = Path(tmp) / f"pack{n}.{fmt}"
                times, cpus, peaks, workers = [], [], [], []
                for _ in range(args.runs):
                    secs, cpu, peak, worker = run_once(folder, out, fmt)
                    times.append(secs)
                    cpus.append(cpu)
                    peaks.append(peak)
                    workers.append(worker)
                med, low = median_min(times)
                pages = "-"
                if fmt == "pdf":
                    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
                    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
                print(f" {n:8,} {fmt:4} {args.runs:5} | {med:8.1f} / {low:5.1f} | {median_min(cpus)[0]:9.1f} | "
                      f"{max(peaks):11.0f} | {max(workers):14.0f} | {out.stat().st_size / 1e6:7.2f} | {pages} | "
                      f"{os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
