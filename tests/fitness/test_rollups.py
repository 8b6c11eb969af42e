"""Roll-ups across a small network, checked by hand, including capital flow along dependencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osom_desktop.analysis.network import load_network
from osom_desktop.fitness.rollups import RollupsError, fitness_report, read_definitions
from osom_desktop.model.service import Measure
from tests.cli.test_cli import osom
from tests.fitness.services import monthly, service_file

ROLLUPS = """
[[rollup]]
measure = "Transactions"
unit = "count"

[[rollup]]
measure = "Cost"
unit = "GBP"

[[rollup]]
name = "Worst uptime"
measure = "Uptime"
unit = "%"
across = "min"

[[ratio]]
name = "Cost per transaction"
numerator = "Cost"
denominator = "Transactions"

[capital_flow]
cost = "Cost"
share = "{share}"
by = "Transactions"
"""


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """Web and App serve users; both consume Identity; App and Identity run on Hosting.
    Two months each: Cost and Transactions split 40/60 between January and February."""
    f = tmp_path / "council"
    f.mkdir()

    def measures(cost: float, tx: float | None = None, uptime: float | None = None) -> list[Measure]:
        out = [Measure(name="Cost", unit="GBP", cost=True, values=monthly([cost * 0.4, cost * 0.6]))]
        if tx is not None:
            out.append(Measure(name="Transactions", unit="count", values=monthly([tx * 0.4, tx * 0.6])))
        if uptime is not None:
            out.append(Measure(name="uptime", unit="%", values=monthly([uptime, uptime - 1])))
        return out

    service_file(f, "Web", measures(100, 1000, 99.9), ["Identity"])
    service_file(f, "App", measures(200, 3000, 99.5), ["Identity", "Hosting"])
    service_file(f, "Identity", measures(400, uptime=98.0), ["Hosting"])
    service_file(f, "Hosting", measures(600))
    # Same measure name in another currency: reported, left out of the sums.
    service_file(f, "Legacy", [Measure(name="cost", unit="EUR", values=monthly([5000.0]))])
    return f


def report(folder: Path, share: str):
    (folder / "rollups.toml").write_text(ROLLUPS.format(share=share), encoding="utf-8")
    return fitness_report(load_network(folder), read_definitions(folder))


def test_sums_min_ratio_and_unit_mismatch(network: Path) -> None:
    r = report(network, "equal")
    tx, cost, uptime, ratio = r.rollups
    assert tx.total == pytest.approx(4000) and tx.trend == [("2026-01", pytest.approx(1600)), ("2026-02", pytest.approx(2400))]
    assert cost.total == pytest.approx(1300)  # Legacy's EUR is not added
    assert r.problems == ["Legacy: 'cost' is measured in 'EUR', not 'GBP'; left out of 'Cost'"]
    assert uptime.total == pytest.approx(97.0)  # the worst of each service's last value: Identity's February
    assert [v for _, v in uptime.trend] == [pytest.approx(98.0), pytest.approx(97.0)]
    assert ratio.total == pytest.approx(1300 / 4000) and ratio.unit == "GBP per count"


def test_capital_flow_equal_shares(network: Path) -> None:
    flow = {row.name: row for row in report(network, "equal").flow.rows}
    # Hosting 600 -> App 300, Identity 300; Identity 400 + 300 -> App 350, Web 350.
    assert flow["Hosting"].passed_on == pytest.approx(600) and flow["Hosting"].kept == pytest.approx(0)
    assert flow["Identity"].received == pytest.approx(300) and flow["Identity"].passed_on == pytest.approx(700)
    assert flow["App"].kept == pytest.approx(200 + 300 + 350)
    assert flow["Web"].kept == pytest.approx(100 + 350)
    assert sum(r.kept for r in flow.values()) == pytest.approx(1300)  # no money made or lost
    assert flow["Web"].per_unit == pytest.approx(450 / 1000)
    assert flow["App"].per_unit == pytest.approx(850 / 3000)
    assert sorted(flow["Hosting"].consumers) == ["App", "Identity"]


def test_capital_flow_by_transactions(network: Path) -> None:
    flow = {row.name: row for row in report(network, "by measure").flow.rows}
    # Hosting's consumers: App (3000 transactions) and Identity (none): App takes all 600.
    # Identity's 400: Web 1000 : App 3000 -> 100 and 300.
    assert flow["App"].kept == pytest.approx(200 + 600 + 300)
    assert flow["Web"].kept == pytest.approx(100 + 100)
    assert sum(r.kept for r in flow.values()) == pytest.approx(1300)


def test_network_json_carries_the_rollups_and_a_bad_file_is_one_line(network: Path, tmp_path: Path) -> None:
    (network / "rollups.toml").write_text(ROLLUPS.format(share="equal"), encoding="utf-8")
    run = osom("network", network, "--format", "json", "-o", "-")
    assert run.returncode == 0, run.stderr
    fitness = json.loads(run.stdout)["fitness"]
    assert [r["name"] for r in fitness["rollups"]] == ["Transactions", "Cost", "Worst uptime", "Cost per transaction"]
    assert {s["name"]: s["kept"] for s in fitness["capital_flow"]["services"]}["Web"] == pytest.approx(450)
    (network / "rollups.toml").write_text('[[rollup]]\nmeasure = "Cost"\nacross = "avg"\n', encoding="utf-8")
    with pytest.raises(RollupsError, match=r"rollups.toml: rollup 1: 'across' is 'avg', not one of sum, mean, min, max"):
        read_definitions(network)
    (network / "rollups.toml").write_text('[[rollup]\nmeasure = "Cost"\n', encoding="utf-8")
    with pytest.raises(RollupsError, match=r"rollups.toml: .*line 1"):
        read_definitions(network)
    run = osom("network", network, "--format", "json", "-o", "-")
    assert run.returncode == 0 and "line 1" in json.loads(run.stdout)["fitness"]["error"]


def test_a_dependency_cycle_is_reported_and_money_is_kept(tmp_path: Path) -> None:
    f = tmp_path / "loop"
    f.mkdir()
    service_file(f, "A", [Measure(name="Cost", unit="GBP", values=monthly([10.0]))], ["B"])
    service_file(f, "B", [Measure(name="Cost", unit="GBP", values=monthly([20.0]))], ["A"])
    service_file(f, "C", [Measure(name="Cost", unit="GBP", values=monthly([30.0]))], ["A"])
    (f / "rollups.toml").write_text('[[rollup]]\nmeasure = "Cost"\nunit = "GBP"\n[capital_flow]\ncost = "Cost"\n')
    r = fitness_report(load_network(f), read_definitions(f))
    assert r.flow.problems == ["dependency cycle (A, B): cost is not passed between these services"]
    assert sum(x.kept for x in r.flow.rows) == pytest.approx(60)
