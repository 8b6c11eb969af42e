"""Benchmark: what one ``osom check FILE`` process costs, start to exit (issue 11).

A person's shell loop ``for f in DIR/*.osom; do osom check "$f"; done`` over a 500-file
folder must end within a minute: under ~120 ms a process on this 2-core machine. Most
of a process is Python starting and importing (pydantic, the model classes, the checks),
not the check itself (~4 ms a file in one process).

Measured, each a fresh process, median / min of ``--runs``, the cases interleaved so the
machine's load falls on all alike:

- ``python -c pass`` (the floor) and ``osom --version``;
- ``osom check FILE`` for ``service-7.osom`` beside 499 others (warm: the folder's
  summary cache filled by an earlier run), and for a file alone;
- with ``--loop``: all 500 files one process each (the shell loop), each file checked
  by every checkout in turn.

Each ``osom check`` case is measured twice: as a user gets it (a warm check server answers,
``check_server.py``; its CPU, read from /proc, is added to the client's) and in its own
process (``OSOM_CHECK_SERVER=0``), as the first check of a session and every check with the
server off are. The servers are stopped at the end.

``--code DIR`` measures another checkout (e.g. ``git archive HEAD | tar -x -C /tmp/before``)
beside this one: every case is run for both, interleaved. Child processes write and use
bytecode (``PYTHONPYCACHEPREFIX``) as an installed copy does.

    .venv/bin/python bench/bench_check_process.py [--runs 10] [--code /tmp/before] [--loop]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_folder import TARGET, env_with_home, folder_of  # noqa: E402
from common import cpu_model, median_min  # noqa: E402


def timed(argv: list[str], code: Path, env: dict[str, str], timeout: float = 7200) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of the child and of any check server
    answering it, ms. On a shared machine the CPU time varies far less with the load
    than the wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    servers_before = _servers_cpu(env)
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, cwd=code, capture_output=True, check=False, timeout=timeout)
    wall = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    served = sum(_servers_cpu(env).get(pid, cpu) - cpu for pid, cpu in servers_before.items())
    return wall, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000 + served


def _servers_cpu(env: dict[str, str]) -> dict[int, float]:
    """CPU ms so far of each check server under this OSOM_HOME, by pid."""
    cpu = {}
    for lock in (Path(env["OSOM_HOME"]) / "run").glob("*.lock"):
        text = lock.read_text().strip()
        try:
            fields = Path(f"/proc/{text}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        cpu[int(text)] = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    return cpu


def stop_servers(env: dict[str, str]) -> None:
    import signal

    for pid in _servers_cpu(env):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


def load() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f} {b:.2f} {c:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--code", action="append", default=[], help="another checkout to measure beside this one")
    parser.add_argument("--loop", action="store_true", help="also all 500 files, one process each, checkouts interleaved")
    args = parser.parse_args()
    codes = [REPO, *(Path(c).resolve() for c in args.code)]
    folder = folder_of(500)
    alone_dir = Path(tempfile.mkdtemp(prefix="osom-bench-alone-"))
    shutil.copy2(folder / TARGET, alone_dir / TARGET)
    home = Path(tempfile.mkdtemp(prefix="osom-bench-home-"))
    env = env_with_home(home)
    own = {**env, "OSOM_CHECK_SERVER": "0"}
    py = sys.executable
    # The installed ``osom`` script's entry (``osom_desktop.command``, which loads only what a
    # served check needs); older checkouts' entry was ``osom_desktop.cli``.
    def check_argv(code: Path) -> list[str]:
        entry = "osom_desktop.command" if (code / "osom_desktop" / "command.py").exists() else "osom_desktop.cli"
        return [py, "-m", entry, "check"]

    cases = {
        "python -c pass": (env, lambda code: [py, "-c", "pass"]),
        "osom --version": (env, lambda code: [py, "-m", "osom_desktop.cli", "--version"]),
        "osom check, beside 499 (warm), served": (env, lambda code: [*check_argv(code), str(folder / TARGET)]),
        "osom check, alone, served": (env, lambda code: [*check_argv(code), str(alone_dir / TARGET)]),
        "osom check, beside 499 (warm), own process": (own, lambda code: [*check_argv(code), str(folder / TARGET)]),
        "osom check, alone, own process": (own, lambda code: [*check_argv(code), str(alone_dir / TARGET)]),
    }
    print(f"machine: {os.cpu_count()} cpus, {cpu_model()}, Python {platform.python_version()}")
    print(f"load at start: {load()}")
    for code in codes:  # bytecode written, summary caches filled, servers started: the warm case
        for case_env, make in cases.values():
            timed(make(code), code, case_env)
        time.sleep(2)  # the server started by the first check loads its modules
    walls: dict[tuple[str, Path], list[float]] = {(c, code): [] for c in cases for code in codes}
    cpus: dict[tuple[str, Path], list[float]] = {(c, code): [] for c in cases for code in codes}
    for _ in range(args.runs):
        for name, (case_env, make) in cases.items():
            for code in codes:
                wall, cpu = timed(make(code), code, case_env)
                walls[(name, code)].append(wall)
                cpus[(name, code)].append(cpu)
    print(f"load at end: {load()}")
    print("\nms, median / min of", args.runs, "runs: wall time, then CPU time (user + system)")
    print("| case | " + " | ".join(f"{c} wall | {c} CPU" for c in codes) + " |")
    print("|---|" + "---|---|" * len(codes))
    for name in cases:
        cells = []
        for code in codes:
            for samples in (walls, cpus):
                med, low = median_min(samples[(name, code)])
                cells.append(f"{med:,.0f} / {low:,.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    if args.loop:
        # One process a file, as the shell loop runs them, each file checked by every
        # checkout in turn, so the machine's load falls on all alike; the totals are
        # what 'for f in DIR/*.osom; do osom check "$f"; done' costs with each code.
        files = sorted(folder.glob("*.osom"))
        modes = {"served": env, "own process": own}
        totals = {(code, mode): [0.0, 0.0] for code in codes for mode in modes}
        for path in files:
            for code in codes:
                for mode, mode_env in modes.items():
                    wall, cpu = timed([*check_argv(code), str(path)], code, mode_env)
                    totals[(code, mode)][0] += wall
                    totals[(code, mode)][1] += cpu
        for (code, mode), (wall, cpu) in totals.items():
            print(f"all {len(files)} files, one process each, {code}, {mode}: {wall / 1000:.0f} s "
                  f"({wall / len(files):.0f} ms a file), CPU {cpu / 1000:.0f} s ({cpu / len(files):.0f} ms a file)", flush=True)
        print(f"load at the end of the loop: {load()}")
    stop_servers(env)
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(alone_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
