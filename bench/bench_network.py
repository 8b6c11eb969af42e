"""Benchmark: load a folder of service files as a network and answer every question on it.

Generated (seeded) folders of 100 / 500 / 2,000 service files, each with a 50-component
map (``generate_map(50, seed=i)``), 1-4 contract dependencies on other services (mostly
down an ordering, some back up it, so there are cycles), 5 map components linked to
the services depended on, a few external dependencies, rejected guidance and
assessments. Times ``load_network`` and ``network_report`` (every answer and every
finding, what ``osom network --format json`` computes), median and min; then, in a
fresh run, the tracemalloc peak of load + analysis, and the process's peak RSS
(``ru_maxrss``; each size runs in its own process so the figure is its own).
Targets: 500 files loaded and analysed in <= 3 s; peak memory <= 500 MB; linear growth.

    .venv/bin/python bench/bench_network.py [--runs N] [--sizes 100,500,2000]
    .venv/bin/python bench/bench_network.py --read 200 [--runs 7]   # CPU a file of each read

Last run 2026-11-25 (2 cpus, Intel(R) Xeon(R) Processor, Python 3.11.7; not quiet), ms:

    files  edges findings runs | load med / min | analyse med / min | total med | per file | traced MB | maxrss MB
      100    234      554    3 |    340 /   323 |     116 /    115 |       455 |   1.00x  |        21 |        79
      500  1,255    7,273    3 |  1,894 / 1,719 |     877 /    823 |     2,780 |   1.22x  |        90 |       169
    2,000  5,128   44,047    1 |  7,049 / 7,049 |   3,029 /  3,029 |    10,078 |   1.11x  |       246 |       326

Loading is ~3.5 ms a file, almost all of it ``open_document`` (SQLite reads and the
value checks); threads made it slower (the GIL), so files are read one after another.
The generated names repeat across maps far more than real ones, hence the many
duplication findings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from common import cpu_model, generate_map, median_min

from osom_desktop.analysis.network import load_network, network_report
from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    Contract,
    DecisionStatus,
    Dependency,
    EvolutionStage,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    Service,
    ServiceDocument,
)
from osom_desktop.model.wardley import ComponentKind, ServiceRef
from osom_desktop.storage import save_document

TODAY = dt.date(2026, 11, 25)


def generate_folder(folder: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        m = generate_map(50, seed=i)
        deps: list[Dependency] = []
        targets = set()
        for _ in range(rnd.randint(1, 4)):
            j = rnd.randrange(i) if i and rnd.random() < 0.9 else rnd.randrange(n)
            if j != i:
                targets.add(j)
        for j in sorted(targets):
            deps.append(Dependency(id=f"d{i}-{j}", service_name=f"Service {j}", service_id=f"svc-{j}"))
        if rnd.random() < 0.05:
            deps.append(Dependency(id=f"d{i}-ext", service_name=f"Vendor {rnd.randrange(20)}"))
        comps = [c for c in m.components if c.kind is ComponentKind.COMPONENT]
        for d, c in zip(deps, rnd.sample(comps, min(5, len(comps))), strict=False):
            c.provided_by = ServiceRef(d.service_name, d.service_id)
        decisions = [
            GuidanceDecision(id=f"g{i}-{g}", guidance=GuidanceItem(id=f"G-{g}", title=f"Guidance {g}"),
                             status=DecisionStatus.REJECTED if rnd.random() < 0.3 else DecisionStatus.ACCEPTED,
                             reason="does not fit our users", decided_on=dt.date(2026, 1, 1))
            for g in rnd.sample(range(40), 5)
        ]
        life = rnd.choice(list(LifecycleStage))
        assessments = [Assessment(id=f"a{i}", date=TODAY - dt.timedelta(days=rnd.randrange(700)),
                                  kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET)]
        doc = ServiceDocument(
            service=Service(id=f"svc-{i}", name=f"Service {i}", manager=f"Manager {i % 37}", lifecycle=life),
            contract=Contract(evolution_stage=rnd.choice(list(EvolutionStage)), dependencies=deps),
            map=m, decisions=decisions, assessments=assessments,
        )
        team = folder / f"team-{i % 10}"
        team.mkdir(exist_ok=True)
        save_document(doc, team / f"service-{i}.osom", author="bench")


def measure(folder: Path, runs: int) -> dict[str, object]:
    load_ms, analyse_ms = [], []
    report: dict = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        net = load_network(folder)
        t1 = time.perf_counter()
        report = network_report(net, TODAY)
        t2 = time.perf_counter()
        load_ms.append((t1 - t0) * 1000)
        analyse_ms.append((t2 - t1) * 1000)
        del net
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before tracemalloc's own overhead
    tracemalloc.start()
    net = load_network(folder)
    network_report(net, TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "load": median_min(load_ms), "analyse": median_min(analyse_ms),
        "total": median_min([a + b for a, b in zip(load_ms, analyse_ms, strict=True)]),
        "traced_mb": peak / 2**20, "maxrss_mb": maxrss,
        "edges": len(report["edges"]), "findings": len(report["findings"]),
        "unreadable": len(report["unreadable"]), "runs": runs,
    }


def measure_reads(n: int, runs: int) -> None:
    """CPU time a file of each read of a generated folder of ``n`` files: the network's
    light read, the folder summary and the whole document (median / min of ``runs``
    passes over every file, after one pass to warm the file cache)."""
    from osom_desktop.storage import open_document
    from osom_desktop.storage.network_read import read_network_document
    from osom_desktop.storage.summary import read_summary

    with tempfile.TemporaryDirectory(prefix="bench-network-read-") as tmp:
        folder = Path(tmp) / f"n{n}"
        generate_folder(folder, n)
        files = sorted(folder.rglob("*.osom"))
        print(f"machine: {os.cpu_count()} cpus (nproc), {cpu_model()}, Python {platform.python_version()}; "
              f"{n} files, {sum(f.stat().st_size for f in files) / n / 1024:.0f} KB each")
        for name, read in (("network light read", read_network_document), ("folder summary", read_summary),
                           ("open_document", open_document)):
            for f in files:
                read(f)
            per_file = []
            for _ in range(runs):
                t0 = time.process_time()
                for f in files:
                    read(f)
                per_file.append((time.process_time() - t0) / n * 1000)
            med, low = median_min(per_file)
            print(f"  {name:20s} {med:.2f} / {low:.2f} ms of CPU a file (median / min of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--read", type=int, metavar="N",
                        help="only time reading each file of a generated folder of N files (light, summary, whole)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # FOLDER: measure it in this process, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(Path(args.one), args.runs)))
        return
    if args.read:
        measure_reads(args.read, args.runs)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cpus (nproc), {cpu_model()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="bench-network-") as tmp:
        rows = []
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            t0 = time.perf_counter()
            generate_folder(folder, n)
            gen_s = time.perf_counter() - t0
            runs = args.runs if n < 2000 else 1
            out = subprocess.run([sys.executable, __file__, "--one", str(folder), "--runs", str(runs)],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout)
            rows.append((n, r))
            print(f"  generated {n} files in {gen_s:.1f} s; measured", file=sys.stderr)
        base = rows[0][1]["total"][0] / rows[0][0]
        print("| files | edges | findings | runs | load ms med / min | analyse ms med / min | total ms med | "
              "growth per file | tracemalloc peak MB | maxrss MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for n, r in rows:
            ld, an, tot = r["load"], r["analyse"], r["total"]
            print(f"| {n:,} | {r['edges']:,} | {r['findings']:,} | {r['runs']} | {ld[0]:,.0f} / {ld[1]:,.0f} | "
                  f"{an[0]:,.0f} / {an[1]:,.0f} | {tot[0]:,.0f} | {tot[0] / n / base:.2f}x | "
                  f"{r['traced_mb']:.0f} | {r['maxrss_mb']:.0f} |")


if __name__ == "__main__":
    main()
