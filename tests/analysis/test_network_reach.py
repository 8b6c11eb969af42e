"""Blast radius, indirect lifecycle risks, near-miss and unreadable dependencies, and the
network's guidance rejections, on hand-made networks written as real .osom files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from osom_desktop.analysis.network import answer, load_network, network_report
from osom_desktop.analysis.network_reach import affected_if_fails, indirect_lifecycle_risks
from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem, LifecycleStage
from tests.analysis.services import TODAY, dependency, document, saved

LIVE, ALPHA, RETIRED, BETA = LifecycleStage.LIVE, LifecycleStage.ALPHA, LifecycleStage.RETIRED, LifecycleStage.BETA


def _chain(folder: Path) -> None:
    """Portal -> Payments -> Print -> Hosting; Benefits -> Print; Hosting <-> Backup (a cycle)."""
    for name, deps, life in (
        ("Portal", ["Payments"], LIVE), ("Payments", ["Print"], LIVE), ("Print", ["Hosting"], LIVE),
        ("Benefits", ["Print"], LIVE), ("Hosting", ["Backup"], LIVE), ("Backup", ["Hosting"], ALPHA),
        ("Library", [], LIVE),
    ):
        saved(document(name, lifecycle=life, deps=[dependency(d) for d in deps]), folder)


def test_affected_if_fails_is_transitive_and_cycles_share_it(tmp_path: Path) -> None:
    _chain(tmp_path / "s")
    net = load_network(tmp_path / "s")
    hit = affected_if_fails(net)
    names = {net.name(n): sorted(net.name(m) for m in hit[n]) for n in net.services()}
    assert names["Print"] == ["Benefits", "Payments", "Portal"]  # direct count would say 2
    assert names["Hosting"] == ["Backup", "Benefits", "Payments", "Portal", "Print"]
    assert names["Backup"] == ["Benefits", "Hosting", "Payments", "Portal", "Print"]
    assert names["Portal"] == [] and names["Library"] == []
    rows = {r["name"]: r for r in answer(net, TODAY).rows}
    assert rows["Print"]["affected"] == 3 and rows["Print"]["dependents"] == 2


def test_indirect_lifecycle_risks_carry_their_path(tmp_path: Path) -> None:
    _chain(tmp_path / "s")
    saved(document("Old archive", lifecycle=RETIRED), tmp_path / "s")
    saved(document("Records", lifecycle=BETA, deps=[dependency("Index")]), tmp_path / "s")
    saved(document("Index", lifecycle=LIVE, deps=[dependency("Store")]), tmp_path / "s")
    saved(document("Store", lifecycle=LIVE, deps=[dependency("Old archive")]), tmp_path / "s")
    net = load_network(tmp_path / "s")
    risks = {(r["kind"], r["service"]): r for r in indirect_lifecycle_risks(net)}
    # A live service three steps from an alpha one, the path named in order.
    assert risks[("immature", "Portal")]["path"] == ["Portal", "Payments", "Print", "Hosting", "Backup"]
    assert risks[("immature", "Print")]["steps"] == 2
    assert ("immature", "Hosting") not in risks  # direct: reported as a direct dependency
    assert risks[("retired", "Records")]["path"] == ["Records", "Index", "Store", "Old archive"]
    assert ("retired", "Store") not in risks
    codes = {f.code for f in answer(net, TODAY).findings}
    assert {"indirect-immature", "indirect-retired"} <= codes


def test_near_miss_and_unreadable_dependencies_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    saved(document("Payments Gateway", lifecycle=LIVE), folder)
    saved(document("Portal", lifecycle=LIVE, deps=[dependency("Payments service"), dependency("Tax engine")]), folder)
    (folder / "tax-engine.osom").write_bytes(b"not a database at all")
    net = load_network(folder)
    a = answer(net, TODAY)
    external = {r["service"]: r for r in a.answers["external"]}
    assert external["Payments service"]["did_you_mean"] == "Payments Gateway"
    assert external["Tax engine"]["unreadable"]["path"].endswith("tax-engine.osom")
    messages = [f.message for f in a.findings]
    assert any("did you mean Payments Gateway?" in m for m in messages)
    assert any(m.startswith("Tax engine: its file tax-engine.osom cannot be read") for m in messages)
    assert not any(m.startswith("Tax engine has no service file here") for m in messages)


def _rejection(gid: str, version: str, review_by: dt.date | None) -> GuidanceDecision:
    return GuidanceDecision(guidance=GuidanceItem(id=gid, version=version, title=f"Use {gid}"),
                            status=DecisionStatus.REJECTED, reason="too costly", alternative="our own",
                            accepted_risk="lock-in", decided_on=dt.date(2026, 1, 5), review_by=review_by)


def test_every_rejection_with_overdue_review_and_old_version(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    one = document("Alone", lifecycle=LIVE)
    one.decisions.append(_rejection("G-1", "1", dt.date(2026, 6, 1)))  # overdue on TODAY
    two = document("Newer", lifecycle=LIVE)
    two.decisions.append(_rejection("G-1", "3", None))
    saved(one, folder)
    saved(two, folder)
    a = answer(load_network(folder), TODAY)
    rows = {r["service"]: r for r in a.answers["guidance_rejections"]}
    assert rows["Alone"]["review_overdue"] is True and rows["Alone"]["newer_version"] == "3"
    assert rows["Newer"]["review_overdue"] is False and rows["Newer"]["newer_version"] is None
    assert rows["Alone"]["accepted_risk"] == "lock-in"
    codes = [f.code for f in a.findings]
    assert "guidance-review-overdue" in codes and "guidance-rejected-old-version" in codes


def test_finding_groups_name_every_service_and_counts_agree(tmp_path: Path) -> None:
    _chain(tmp_path / "s")
    net = load_network(tmp_path / "s")
    a = answer(net, TODAY)
    cycle = next(g for g in a.groups if g["title"] == "Dependency cycles")
    assert {net.name(s) for s in cycle["items"][0]["service_ids"]} == {"Hosting", "Backup"}
    for row in a.rows:
        assert row["findings"] == len(a.findings_of(row["service_id"]))


def test_json_carries_affected_list_and_indirect_paths(tmp_path: Path) -> None:
    _chain(tmp_path / "s")
    out = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "network", str(tmp_path / "s"), "--format", "json", "-o", "-"],
                         capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(out.stdout)
    by_name = {s["name"]: s for s in report["services"]}
    assert by_name["Print"]["affected"] == 3
    assert sorted(x["service"] for x in by_name["Print"]["affected_if_fails"]) == ["Benefits", "Payments", "Portal"]
    assert any(r["path"][-1] == "Backup" for r in report["indirect_lifecycle_risks"])
    assert "guidance_rejections" in report and "finding_groups" in report
    assert network_report(load_network(tmp_path / "s"), TODAY)["services"]


def test_a_service_resting_on_several_risks_is_one_finding_naming_them_all(tmp_path: Path) -> None:
    """One finding per service and kind (at 200 services, one per pair made ~1,900 rows)."""
    folder = tmp_path / "s"
    for name, deps, life in (
        ("Portal", ["Payments", "Search"], LIVE), ("Payments", ["Ledger"], LIVE), ("Search", ["Index"], LIVE),
        ("Ledger", ["Vault"], LIVE), ("Vault", [], ALPHA), ("Index", [], ALPHA),
    ):
        saved(document(name, lifecycle=life, deps=[dependency(d) for d in deps]), folder)
    net = load_network(folder)
    a = answer(net, TODAY)

    portal = [f for f in a.findings if f.code == "indirect-immature" and f.message.startswith("Portal ")]
    assert len(portal) == 1
    message = portal[0].message
    assert message.startswith("Portal is live but rests on 2 services still in discovery or alpha: ")
    assert "Index (alpha), 2 steps" in message and "Vault (alpha), 3 steps" in message
    assert message.endswith("the nearest: Portal → Search → Index")
    # Every service on the paths is involved, each once: the table counts this finding once for each.
    rows = {r["name"]: r for r in a.rows}
    assert len(indirect_lifecycle_risks(net)) == 3  # the data keeps each pair (Payments -> Vault too)
    assert rows["Portal"]["findings"] >= 1


def test_an_indirect_finding_names_the_nearest_ten_and_counts_the_rest(tmp_path: Path) -> None:
    """A live portal resting, through a hub, on 13 alpha services: the finding names ten,
    nearest first then by name, and says how many more; the JSON keeps all 13 with paths."""
    folder = tmp_path / "s"
    alphas = [f"Alpha {i}" for i in range(1, 14)]
    saved(document("Portal", lifecycle=LIVE, deps=[dependency("Hub")]), folder)
    saved(document("Hub", lifecycle=LIVE, deps=[dependency(a) for a in alphas]), folder)
    for a in alphas:
        saved(document(a, lifecycle=ALPHA), folder)
    net = load_network(folder)
    a = answer(net, TODAY)
    [message] = [f.message for f in a.findings if f.code == "indirect-immature" and f.message.startswith("Portal ")]
    assert message.startswith("Portal is live but rests on 13 services still in discovery or alpha: Alpha 1 (alpha), 2 steps")
    assert "Alpha 10 (alpha), 2 steps and 3 more; the nearest: Portal → Hub → Alpha 1" in message
    assert "Alpha 11" not in message
    report = network_report(net, TODAY, a)
    portal_rows = [r for r in report["indirect_lifecycle_risks"] if r["service"] == "Portal"]
    assert [r["depends_on"] for r in portal_rows] == alphas
    assert all(r["path"] == ["Portal", "Hub", r["depends_on"]] for r in portal_rows)
