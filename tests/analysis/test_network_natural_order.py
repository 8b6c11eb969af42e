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
