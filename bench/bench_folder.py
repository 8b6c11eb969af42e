"""Benchmark: one service file among many — opening, checking — must not wait for its folder.

Generated (seeded) flat folders of 125 / 500 / 2,000 service files (1x / 4x / 16x), the
services of ``bench_network.generate_folder`` (50-component maps, contract dependencies
and map links between them, assessments, guidance) moved into one folder. The same file,
``service-7.osom``, is also copied alone into a folder of its own. Measured, each in a
fresh process (median / min of ``--runs``):

- ``osom check FILE`` wall time, alone and beside the others: *cold* (an empty summary
  cache, a fresh ``OSOM_HOME``: every neighbour's summary is read and cached) and *warm*
  (the cache filled by an earlier run: neighbours are only ``stat``-ed);
- first paint: ``MainWindow.open_path(FILE)`` + ``show()`` until the map view's first
  paint event, alone and beside the others (warm and cold), and when the neighbours
  were in the window (``directory`` filled, read in a thread after the paint);
- checking every file of the 500-file folder (warm): as a person's shell loop, one
  ``osom check "$f"`` process per file (all 500, ``bash -c 'for f in DIR/*.osom; do
  osom check "$f"; done'``), as one ``osom check DIR/*.osom`` process, and in-process
  per file (open + ``FolderNeighbours.around`` + checks, what ``osom check`` does for each).
- with ``--pack-only``: ``osom pack FILE -o x.html`` instead of ``osom check``, cold and warm,
  alone and beside the others taken in turn (as ``--check-only``); its folder part in one
  process is ``ServiceDirectory.around`` (what ``osom pack`` calls; the same in older code).

Child processes write and use bytecode (``PYTHONPYCACHEPREFIX`` in the temp folder) as
an installed copy does, even where ``PYTHONDONTWRITEBYTECODE`` is set: without it every
process compiled our modules from source again.

Targets: first paint and ``osom check`` beside 2,000 within 0.2 s of alone; all 500
files checked one by one in <= 1 minute.

    .venv/bin/python bench/bench_folder.py [--runs 5] [--sizes 125,500,2000] [--no-loop] [--check-only | --pack-only]

Run from another checkout (``cp bench/bench_folder.py OTHER/bench/``) to measure that
code: the script imports the ``osom_desktop`` beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from common import cpu_model, median_min  # noqa: E402

TARGET = "service-7.osom"
CACHE = Path(tempfile.gettempdir()) / "osom-bench-folder"


def folder_of(n: int) -> Path:
    """A flat folder of ``n`` generated services (kept between runs: generating 2,000 takes a minute)."""
    from osom_desktop.storage.schema import SCHEMA_VERSION

    folder = CACHE / f"flat-{n}-format-{SCHEMA_VERSION}"  # the format the code measured writes
    if (folder / ".complete").exists():
        return folder
    from bench_network import generate_folder

    shutil.rmtree(folder, ignore_errors=True)
    staging = CACHE / f"staging-{n}-format-{SCHEMA_VERSION}"
    shutil.rmtree(staging, ignore_errors=True)
    generate_folder(staging, n)
    folder.mkdir(parents=True)
    for f in staging.rglob("*.osom"):
        f.rename(folder / f.name)
    shutil.rmtree(staging)
    (folder / ".complete").write_text("")
    return folder


def alone() -> Path:
    from osom_desktop.storage.schema import SCHEMA_VERSION

    folder = CACHE / f"alone-format-{SCHEMA_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(folder_of(125) / TARGET, folder / TARGET)
    return folder


PYCACHE = Path(tempfile.gettempdir()) / "osom-bench-pycache"


def env_with_home(home: Path) -> dict[str, str]:
    env = {**os.environ, "OSOM_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_check(path: Path, home: Path, command: str = "check") -> float:
    """One ``osom check FILE`` (or ``osom pack FILE -o HOME/pack.html``) process, ms."""
    out = ["-o", str(home / "pack.html")] if command == "pack" else []
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "osom_desktop.cli", command, str(path), *out], env=env_with_home(home),
                          cwd=REPO, capture_output=True, check=False, timeout=600)
    if command == "pack" and done.returncode != 0:
        raise SystemExit(f"osom pack failed: {done.stderr.decode(errors='replace')}")
    return (time.perf_counter() - t0) * 1000


def check_times(path: Path, runs: int, command: str = "check") -> dict[str, list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        home = Path(tempfile.mkdtemp(prefix="osom-bench-home-"))
        cold.append(run_check(path, home, command))
        warm.append(run_check(path, home, command))
        shutil.rmtree(home, ignore_errors=True)
    return {"cold": cold, "warm": warm}


PAINT_CHILD = r"""
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings
from PySide6.QtWidgets import QApplication
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["OSOM_HOME"] + "/settings")
app = QApplication([])
from osom_desktop.views.main_window import MainWindow
painted = []
class Spy(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not painted:
            painted.append(time.perf_counter())
        return False
spy = Spy()
w = MainWindow()
w.resize(1280, 800)
t0 = time.perf_counter()
w.open_path(Path(sys.argv[1]), ask_when_locked=False)
w.view.viewport().installEventFilter(spy)
w.show()
ready = None
while time.perf_counter() - t0 < 120:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    if ready is None and len(w.directory.services) > 0:
        ready = time.perf_counter()
    if painted and ready is not None:
        break
print(json.dumps({"paint": (painted[0] - t0) * 1000 if painted else None,
                  "ready": (ready - t0) * 1000 if ready else None}))
sys.stdout.flush()
# Close as a person would (releases the file's lock: the next run must not find it in use).
w.stack.setClean()
w._force_modified = False
w.close()
os._exit(0)
"""


def paint_times(path: Path, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"cold": [], "warm": [], "ready_warm": []}
    for _ in range(runs):
        home = Path(tempfile.mkdtemp(prefix="osom-bench-home-"))
        for label in ("cold", "warm"):
            done = subprocess.run([sys.executable, "-c", PAINT_CHILD, str(path), str(REPO)], env=env_with_home(home),
                                  cwd=REPO, capture_output=True, text=True, timeout=600)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            out[label].append(r["paint"])
            if label == "warm" and r["ready"] is not None:
                out["ready_warm"].append(r["ready"])
        shutil.rmtree(home, ignore_errors=True)
    return out


ALL_IN_PROCESS = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.folder import FolderNeighbours
from osom_desktop.storage import open_document
folder = Path(sys.argv[1])
files = sorted(folder.glob("*.osom"))
t0 = time.perf_counter()
# What 'osom check' does for each file of one folder.
neighbours = FolderNeighbours(folder.resolve())
opened = 0.0
for f in files:
    t = time.perf_counter()
    doc = open_document(f)
    opened += time.perf_counter() - t
    check_document(doc, neighbours.around(doc))
neighbours.save()
print(json.dumps({"seconds": time.perf_counter() - t0, "files": len(files), "open_s": opened}))
"""


def all_files(folder: Path, loop: bool) -> dict[str, float]:
    """Every file of ``folder`` checked, warm: in-process, one multi-file process, the shell loop."""
    home = Path(tempfile.mkdtemp(prefix="osom-bench-home-"))
    files = sorted(folder.glob("*.osom"))
    # 'python -m osom_desktop.cli' in REPO: this checkout's code (the 'osom' script runs the installed one)
    osom = f"{sys.executable} -m osom_desktop.cli"
    subprocess.run([*osom.split(), "check", *map(str, files)], env=env_with_home(home), cwd=REPO,
                   capture_output=True, timeout=3600)  # fills the summary cache: the warm case
    done = subprocess.run([sys.executable, "-c", ALL_IN_PROCESS, str(folder), str(REPO)], env=env_with_home(home),
                          cwd=REPO, capture_output=True, text=True, timeout=3600)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    t0 = time.perf_counter()
    subprocess.run([*osom.split(), "check", *map(str, files)], env=env_with_home(home), cwd=REPO,
                   capture_output=True, timeout=3600)
    out["multi_file_s"] = time.perf_counter() - t0
    if loop:
        t0 = time.perf_counter()
        subprocess.run(["bash", "-c", f'for f in "$1"/*.osom; do {osom} check "$f" >/dev/null 2>&1; done', "-", str(folder)],
                       env=env_with_home(home), cwd=REPO, timeout=7200)
        out["loop_s"] = time.perf_counter() - t0
    shutil.rmtree(home, ignore_errors=True)
    return out


def fmt(samples: list[float]) -> str:
    if not samples:
        return "-"
    med, low = median_min(samples)
    return f"{med:,.0f} / {low:,.0f}"


FOLDER_PART = r"""
import json, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from osom_desktop.storage import open_document
path = Path(sys.argv[1])
doc = open_document(path)
out = {"cold": [], "warm": []}
for _ in range(int(sys.argv[3])):
    os.environ["OSOM_HOME"] = tempfile.mkdtemp(prefix="osom-bench-home-")
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        if sys.argv[4] == "pack":  # what osom pack calls
            from osom_desktop.analysis.directory import ServiceDirectory
            ServiceDirectory.around(doc, path.resolve().parent)
        else:
            from osom_desktop.folder import FolderNeighbours
            neighbours = FolderNeighbours(path.resolve().parent)
            neighbours.around(doc)
            neighbours.save()
        out[label].append((time.perf_counter() - t0) * 1000)
print(json.dumps(out))
"""


def folder_part(path: Path, runs: int, command: str = "check") -> dict[str, list[float]]:
    """What ``osom check`` (or ``pack``) spends on the folder, in one process: ``FolderNeighbours.around``
    (``ServiceDirectory.around``) and the cache written, cold (a fresh ``OSOM_HOME`` each run) and warm.
    Peek's remembered schema is kept between runs, as it is between the files of one ``osom check``; a
    process's first file pays it."""
    done = subprocess.run([sys.executable, "-c", FOLDER_PART, str(path), str(REPO), str(runs), command],
                          env=env_with_home(Path(tempfile.gettempdir())), cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_pairs(rows: list[tuple[str, int, Path]], runs: int, command: str = "check") -> None:
    """``osom check`` (or ``osom pack``) only, the rows taken in turn within each run (alone, beside, alone, ...),
    so each beside figure has an alone one measured under the same load: on a shared
    machine the paired gap says more than two medians taken a minute apart."""
    got: dict[str, dict[str, list[float]]] = {label: {"cold": [], "warm": []} for label, _, _ in rows}
    for _ in range(runs):
        for label, _, path in rows:
            c = check_times(path, 1, command)
            got[label]["cold"] += c["cold"]
            got[label]["warm"] += c["warm"]
    base = got[rows[0][0]]
    for label, n, _ in rows:
        mine = got[label]
        gaps = "" if label == rows[0][0] else " (gap to alone, paired: cold {}, warm {})".format(
            *(fmt([b - a for a, b in zip(base[k], mine[k], strict=True)]) for k in ("cold", "warm")))
        print(f"| {label} | {n:,} | {fmt(mine['cold'])} | {fmt(mine['warm'])} | - | - | - |{gaps}", flush=True)
    for label, _, path in rows:
        part = folder_part(path, runs, command)
        print(f"folder part in one process, {label}: cold {fmt(part['cold'])}, warm {fmt(part['warm'])} ms")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="125,500,2000")
    parser.add_argument("--no-loop", action="store_true", help="skip the shell loop of 500 'osom check' processes")
    parser.add_argument("--no-table", action="store_true", help="only the 500-file run")
    parser.add_argument("--check-only", action="store_true",
                        help="only 'osom check', alone and beside taken in turn, with their paired gaps (no first paint)")
    parser.add_argument("--pack-only", action="store_true", help="as --check-only, for 'osom pack FILE -o x.html'")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cpus (nproc), {cpu_model()}, Python {platform.python_version()}; code: {REPO}")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for n in sizes:
        t0 = time.perf_counter()
        folder_of(n)
        print(f"  folder of {n:,}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    rows = [("alone", 1, alone() / TARGET)] + [(f"beside {n - 1:,}", n, folder_of(n) / TARGET) for n in sizes]
    print("\nms, median / min; cold = empty summary cache, warm = cache filled by an earlier run")
    command = "pack" if args.pack_only else "check"
    print(f"| file | files in folder | osom {command} cold | osom {command} warm | first paint cold | first paint warm "
          "| neighbours in window (warm) |")
    print("|---|---|---|---|---|---|---|")
    if (args.check_only or args.pack_only) and not args.no_table:
        check_pairs(rows, args.runs, command)
    for label, n, path in ([] if args.no_table or args.check_only or args.pack_only else rows):
        c = check_times(path, args.runs)
        p = paint_times(path, args.runs)
        print(f"| {label} | {n:,} | {fmt(c['cold'])} | {fmt(c['warm'])} | {fmt(p['cold'])} | {fmt(p['warm'])} "
              f"| {fmt(p['ready_warm'])} |", flush=True)
    if 500 in sizes:
        r = all_files(folder_of(500), not args.no_loop)
        print(f"\nall {r['files']} files of the 500-file folder checked (warm): "
              f"in-process {r['seconds']:.1f} s ({r['seconds'] / r['files'] * 1000:.0f} ms a file, "
              f"open_document {r['open_s'] / r['files'] * 1000:.0f} ms of it); "
              f"one 'osom check DIR/*.osom' process {r['multi_file_s']:.1f} s"
              + (f"; shell loop, one 'osom check' per file, {r['loop_s']:.0f} s "
                 f"({r['loop_s'] / r['files'] * 1000:.0f} ms a file)" if "loop_s" in r else ""))
        print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
