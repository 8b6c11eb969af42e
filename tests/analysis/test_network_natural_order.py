"""The network's answers list services as a person counts them: "Service 2" before
"Service 10", as the window's Services table now sorts. The executive pack built on
them listed its service sections, its overdue assessments and each service's "depends
on"/"affected" lists as Service 1, Service 10, Service 11, ..., Service 2 (tester T3
at 40 services). Real files, the real analysis and the pack's real HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from osom_desktop.analysis.network import answer, load_network, network_report
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from osom_desktop.model.service import LifecycleStage
from tests.analysis.services import TODAY, dependency, document, saved

NUMBERS = [1, 2, 3, 9, 10, 11, 20, 100]


def folder_of(folder: Path) -> Path:
    """Hub depends on Service 1 .. Service 100; each of those depends on Retired 1
    (retired) and is live, so each rests on a retired service."""
    saved(document("Retired 1", sid="svc-old", lifecycle=LifecycleStage.RETIRED), folder)
    for n in NUMBERS:
        saved(document(f"Service {n}", sid=f"svc-{n}", lifecycle=LifecycleStage.LIVE,
                       deps=[dependency("Retired 1", "svc-old")]), folder)
    saved(document("Hub", sid="svc-hub", lifecycle=LifecycleStage.LIVE,
                   deps=[dependency(f"Service {n}", f"svc-{n}") for n in NUMBERS]), folder)
    return folder


def in_order(names: list[str]) -> list[str]:
    return [n for n in names if n.startswith("Service ")]


WANTED = [f"Service {n}" for n in NUMBERS]


def test_services_and_their_lists_are_in_natural_order(tmp_path: Path) -> None:
    net = load_network(folder_of(tmp_path / "estate"))
    assert in_order([net.name(s) for s in net.services()]) == WANTED
    report = network_report(net, TODAY)
    old = next(s for s in report["services"] if s["service_id"] == "svc-old")
    assert in_order([r["service"] for r in old["affected_if_fails"]]) == WANTED
    a = answer(net, TODAY)
    risks = [r["service"] for r in a.answers["immature_dependencies"] if r["kind"] == "retired"]
    assert in_order(risks) == WANTED


def test_the_executive_pack_lists_its_services_in_natural_order(tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "estate")
    net = load_network(folder)
    html = render_executive_html(executive_context(net, folder, TODAY))
    sections = re.findall(r"<h3[^>]*>\s*(Service \d+)\s*</h3>", html)
    assert sections == WANTED, sections


def test_a_service_overdue_for_two_reasons_is_one_overdue_service(tmp_path: Path) -> None:
    """Live, last assessed long ago, and no assessment of its move into live: two
    reasons, one service. The pack said "2 services are overdue an assessment: Stale,
    Stale" (at 40 services: "32 services", with eight named twice), and the window
    listed Stale twice under "Assessments overdue"."""
    import datetime as dt
    import html as html_module

    from tests.analysis.services import transition

    folder = tmp_path / "estate"
    saved(document("Stale", sid="svc-stale", lifecycle=LifecycleStage.LIVE,
                   assessments=[transition(LifecycleStage.BETA, dt.date(2024, 1, 1))]), folder)
    saved(document("Once", sid="svc-once", lifecycle=LifecycleStage.LIVE,
                   assessments=[transition(LifecycleStage.LIVE, dt.date(2024, 1, 1))]), folder)
    net = load_network(folder)
    a = answer(net, TODAY)
    group = next(g for g in a.groups if g["title"] == "Assessments overdue")
    messages = [e["finding"].message for e in group["items"]]
    assert len(messages) == 2, messages
    stale = next(m for m in messages if m.startswith("Stale: "))
    assert "12 months" in stale and "move into live" in stale  # both reasons, in one finding
    text = html_module.unescape(re.sub(r"<[^>]+>", "", render_executive_html(executive_context(net, folder, TODAY))))
    said = re.search(r"(\d+) services are overdue an assessment: (.*?)\.? Each service", text)
    assert said is not None, text
    assert said.group(1) == "2"
    assert sorted(n.strip() for n in said.group(2).split(",")) == ["Once", "Stale"]


def test_governance_across_the_network_lists_services_in_natural_order(tmp_path: Path) -> None:
    """The pack's "Governance across the network" table followed the order the files
    were read in: at 40 services in ten team folders, Service 0, 10, 20, 30, 1, 11, ..."""
    from osom_desktop.analysis.governance import network_governance

    folder = tmp_path / "estate"
    for n in NUMBERS:  # each in a team folder of its own, read team by team
        saved(document(f"Service {n}", sid=f"svc-{n}"), folder / f"team-{n % 3}")
    net = load_network(folder)
    report = network_governance(((d.service.name, d) for d in net.documents.values()), TODAY)
    assert list(report.as_json()["actions"]) == WANTED
    assert [name for name, _row in report.heat_map.rows] == WANTED
