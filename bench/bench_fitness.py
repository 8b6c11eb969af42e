"""Fitness data (issue 17): importing measure values from a CSV, and the network's Fitness tab.

Generated (seeded) folders of 12 / 50 / 200 services (1x / 4x / 16x), each with 5 measures,
depending on two earlier services, with a rollups.toml of 5 roll-ups, a ratio and capital
flow.

* import: `osom measures import` in-process (read the CSV, load the folder, match every
  row, save each changed file atomically) of 500 values per service: 6,250 / 25,000 /
  100,000 values. Each run gets a fresh copy of the folder (the copy is not timed).
  Target: 100,000 values into 200 files <= 10 s.
* tab: the Fitness tab filled and painted for an already loaded network of services with
  5 measures x 60 monthly values each (12 x 5 x 60 ... 200 x 5 x 60 = 60,000 values).
  Target: 200 services shown <= 1 s after the network is loaded.

    .venv/bin/python bench/bench_fitness.py [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OSOM_HOME", tempfile.mkdtemp(prefix="osom-bench-home-"))

from bench.common import cpu_model, median_min  # noqa: E402
from osom_desktop.model.service import (  # noqa: E402
    Budget,
    Dependency,
    Measure,
    RecordedValue,
    RecordingFrequency,
    Service,
    ServiceDocument,
)
from osom_desktop.storage import save_document  # noqa: E402

SCALES = {"1x": 12, "4x": 50, "16x": 200}
MEASURES = [("Transactions", "count"), ("Cost", "GBP"), ("Uptime", "%"), ("Response time", "ms"), ("Satisfaction", "score")]
ROLLUPS = """
[[rollup]]
measure = "Transactions"
unit = "count"
[[rollup]]
measure = "Cost"
unit = "GBP"
[[rollup]]
measure = "Uptime"
unit = "%"
across = "min"
[[rollup]]
measure = "Response time"
unit = "ms"
across = "mean"
[[rollup]]
measure = "Satisfaction"
unit = "score"
across = "mean"
[[ratio]]
name = "Cost per transaction"
numerator = "Cost"
denominator = "Transactions"
[capital_flow]
cost = "Cost"
share = "by measure"
by = "Transactions"
"""


def month_end(start: dt.date, i: int) -> dt.date:
    y, m = start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1
    return dt.date(y, m, 28)


def make_folder(folder: Path, n: int, values_per_measure: int, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    names = [f"Service {i:03d}" for i in range(n)]
    for i, name in enumerate(names):
        doc = ServiceDocument(service=Service(name=name))
        doc.contract.measures = [
            Measure(name=m, unit=u, frequency=RecordingFrequency.MONTHLY, cost=(m == "Cost"),
                    values=[RecordedValue(date=month_end(dt.date(2021, 1, 1), k), value=round(rng.uniform(1, 1000), 2))
                            for k in range(values_per_measure)])
            for m, u in MEASURES]
        doc.contract.dependencies = [Dependency(service_name=names[j]) for j in sorted(rng.sample(range(i), min(2, i)))]
        doc.budgets = [Budget(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=5000, unit="GBP")]
        save_document(doc, folder / f"s{i:03d}.osom")
    (folder / "rollups.toml").write_text(ROLLUPS, encoding="utf-8")
    return names


def make_csv(path: Path, names: list[str], per_service: int, seed: int = 18) -> int:
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["service", "date", "measure", "value"])
        for name in names:
            for k in range(per_service):  # 100 months of each of the 5 measures
                measure = MEASURES[k % len(MEASURES)][0]
                date = dt.date(2000, 1, 1) + dt.timedelta(days=k // len(MEASURES))
                w.writerow([name, date.isoformat(), measure, f"{rng.uniform(1, 1000):.2f}"])
                rows += 1
    return rows


def bench_import(runs: int) -> list[tuple[str, int, int, list[float]]]:
    from osom_desktop.analysis.network import load_network
    from osom_desktop.fitness.csv_values import read_csv
    from osom_desktop.fitness.import_values import plan_values, save_plan

    out = []
    for label, n in SCALES.items():
        with tempfile.TemporaryDirectory() as tmp:
            template = Path(tmp) / "template"
            template.mkdir()
            names = make_folder(template, n, 12)
            rows = make_csv(Path(tmp) / "values.csv", names, 500)
            times = []
            for r in range(runs):
                folder = Path(tmp) / f"run{r}"
                shutil.copytree(template, folder)
                t = time.perf_counter()
                parsed = read_csv(Path(tmp) / "values.csv")
                net = load_network(folder)
                plan = plan_values(parsed, [net.documents[s] for s in net.services()])
                report = save_plan(plan, net.documents, net.paths)
                times.append(time.perf_counter() - t)
                assert not plan.problems and not report.failed and plan.count == rows, (plan.problems[:3], report.failed)
                shutil.rmtree(folder)
            out.append((label, n, rows, times))
    return out


def bench_tab(runs: int) -> list[tuple[str, int, int, list[float]]]:
    from PySide6.QtWidgets import QApplication

    from osom_desktop.analysis.network import load_network
    from osom_desktop.views.fitness_tab import FitnessTab

    app = QApplication.instance() or QApplication([])
    out = []
    for label, n in SCALES.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_folder(folder, n, 60)
            net = load_network(folder)
            tab = FitnessTab()
            tab.resize(1200, 500)
            tab.show()
            app.processEvents()
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                tab.show_network(net, folder, dt.date(2026, 6, 1))
                tab.repaint()
                app.processEvents()
                times.append(time.perf_counter() - t)
            assert tab.rollups.rowCount() == 6 and tab.flow.rowCount() == n
            tab.close()
            out.append((label, n, n * 5 * 60, times))
    return out


def table(title: str, what: str, rows: list[tuple[str, int, int, list[float]]], unit: float, unit_name: str) -> None:
    print(f"\n{title} ({unit_name}, median / min)\n")
    print(f"| case | services | {what} | time | growth |")
    print("|---|---|---|---|---|")
    base = None
    for label, n, count, times in rows:
        med, mn = median_min(times)
        base = base or med
        print(f"| {label} | {n:,} | {count:,} | {med * unit:,.0f} / {mn * unit:,.0f} | {med / base:.1f}x |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}")
    table("osom measures import (read CSV + load folder + match + save changed files)", "values",
          bench_import(args.runs), 1000, "ms")
    table("Fitness tab filled and painted, network already loaded", "values shown", bench_tab(max(args.runs, 5)),
          1000, "ms")


if __name__ == "__main__":
    main()
