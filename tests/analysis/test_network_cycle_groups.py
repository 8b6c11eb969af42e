"""Dependency cycles are reported one finding per group of services depending on each
other (a strongly connected component), naming every service in it and the loop that
closes it, and that count agrees in the findings, the table, `osom network` and the
executive pack (issue 13/14: 200 generated services gave 200 cycle findings for 2
groups, and each service's count grew with every simple cycle it was on)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from osom_desktop.analysis.network import Network, answer, closing_loop, cycle_groups, cycles, load_network
from tests.analysis.services import TODAY, dependency, document, saved

TANGLE = [f"Service {i}" for i in (1, 2, 3, 10, 11, 20)]  # each depends on all the others: 409 simple cycles


def folder_with_two_groups(folder: Path) -> Path:
    """Six services all depending on each other, Hosting <-> Backup, and Portal resting on the six."""
    for name in TANGLE:
        saved(document(name, deps=[dependency(o) for o in TANGLE if o != name]), folder)
    saved(document("Hosting", deps=[dependency("Backup")]), folder)
    saved(document("Backup", deps=[dependency("Hosting")]), folder)
    saved(document("Portal", deps=[dependency("Service 1")]), folder)
    return folder


def cycle_findings(net: Network) -> list[tuple[str, list[str]]]:
    return [(f.message, ids) for f, ids in answer(net, TODAY).pairs if f.code == "dependency-cycle"]


def test_one_finding_per_group_naming_every_service_and_the_loop_that_closes_it(tmp_path: Path) -> None:
    net = load_network(folder_with_two_groups(tmp_path))
    found = cycle_findings(net)
    assert len(found) == len(cycle_groups(net)) == len(cycles(net)) == 2
    (big, big_ids), (small, small_ids) = found
    assert {net.name(s) for s in big_ids} == set(TANGLE)
    # Every member named once, in the order a person counts (2 before 10), and one loop.
    assert big == ("dependency cycle: Service 1 -> Service 2 -> Service 1, in a group of 6 services depending on "
                   "each other: Service 1, Service 2, Service 3, Service 10, Service 11, Service 20")
    assert small == "dependency cycle: Backup -> Hosting -> Backup"
    assert {net.name(s) for s in small_ids} == {"Backup", "Hosting"}
    assert not any(f.code == "dependency-cycles-truncated" for f in answer(net, TODAY).findings)


def test_the_loop_closes_and_runs_inside_its_group(tmp_path: Path) -> None:
    net = load_network(folder_with_two_groups(tmp_path))
    for group in (set(g) for g in [[n for n in net.graph if net.name(n) in TANGLE]]):
        loop = closing_loop(net, group)
        assert loop and set(loop) <= group
        assert all(net.graph.has_edge(a, b) for a, b in zip(loop, loop[1:] + loop[:1], strict=True))
    assert closing_loop(net, [n for n in net.graph if net.name(n) == "Portal"]) == []


def test_each_service_counts_its_group_once_in_the_table_and_its_findings(tmp_path: Path) -> None:
    net = load_network(folder_with_two_groups(tmp_path))
    a = answer(net, TODAY)
    rows = {r["name"]: r for r in a.rows}
    for name in [*TANGLE, "Hosting", "Backup"]:
        assert rows[name]["findings"] == 1, name  # was one per simple cycle the service is on
        assert len(a.findings_of(rows[name]["service_id"])) == 1
    assert rows["Portal"]["findings"] == 0
    [kind] = [g for g in a.groups if g["title"] == "Dependency cycles"]
    assert len(kind["items"]) == 2


def _osom(*args: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          check=False, capture_output=True, text=True, env=env, timeout=300)


def test_osom_network_json_and_the_executive_pack_give_the_same_count(tmp_path: Path) -> None:
    folder = folder_with_two_groups(tmp_path / "services")
    run = _osom("network", folder, "--format", "json", "-o", "-")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    cyc = [f for f in report["findings"] if f["code"] == "dependency-cycle"]
    assert len(cyc) == len(report["cycles"]) == len(report["cycle_groups"]) == 2
    assert [g["count"] for g in report["finding_groups"] if g["title"] == "Dependency cycles"] == [2]
    assert {s["name"]: s["findings"] for s in report["services"]}["Service 10"] == 1
    assert f"{len(report['findings'])} findings" in run.stderr

    html = _osom("network", folder, "--format", "html", "-o", "-")
    assert html.returncode == 0, html.stderr
    text = " ".join(re.sub(r"<[^>]+>", " ", html.stdout).split())
    assert f"{len(report['findings'])} network findings" in text
    assert "2 group(s) of services depend on each other in a loop (8 services in all)" in text
    # Each member's section counts its group once, as the table does.
    assert text.count("6 affected if it fails · 1 network findings") == len(TANGLE)


def test_the_same_loop_in_every_process(tmp_path: Path) -> None:
    """Which loop is named must not follow Python's string hashing (the window and the
    pack, made in a child process, named different cycles for the same folder)."""
    names = [f"Service {c}" for c in "ABCDEFG"]
    for n in names:
        saved(document(n, deps=[dependency(o) for o in names if o != n]), tmp_path)
    script = ("import json, sys\n"
              "from osom_desktop.analysis.network import cycles, load_network\n"
              "print(json.dumps(cycles(load_network(sys.argv[1]))))\n")
    runs = [subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, check=True).stdout
            for seed in ("1", "2", "3")]
    assert runs[0] == runs[1] == runs[2]
    assert json.loads(runs[0]) == [["Service A", "Service B"]]
