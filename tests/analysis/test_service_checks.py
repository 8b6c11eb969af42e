"""Findings for one service: each code shown to fire, and shown not to, on real files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.analysis.service_checks import (
    ASSESSMENT_INTERVAL_DAYS,
    check_document,
    evolution_far_from,
)
from osom_desktop.model.service import (
    DecisionStatus,
    EvolutionStage,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.model.wardley import Component
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document
from tests.analysis.services import (
    TODAY,
    component,
    dependency,
    document,
    filled,
    reopened,
    saved,
    transition,
)

LIVE, BETA, ALPHA, DISCOVERY, RETIRED = (
    LifecycleStage.LIVE, LifecycleStage.BETA, LifecycleStage.ALPHA, LifecycleStage.DISCOVERY, LifecycleStage.RETIRED,
)


def findings(doc: ServiceDocument, tmp_path: Path, code: str, *, scan: bool = False) -> list[Finding]:
    """Save ``doc`` beside any services already in ``tmp_path``, reopen, check, keep ``code``."""
    reread, _ = reopened(doc, tmp_path)
    directory = ServiceDirectory.scan(tmp_path) if scan else None
    return [f for f in check_document(reread, directory, today=TODAY) if f.code == code]


def assessed_live(**kw: object) -> ServiceDocument:
    """A live service whose assessments are in order, so only the finding under test shows."""
    return document(
        "Notifications", lifecycle=LIVE, assessments=[transition(LIVE, TODAY - dt.timedelta(days=30))], **kw
    )


# -- the call the CLI and older callers make -------------------------------------------------


def test_check_document_still_works_with_one_argument() -> None:
    doc = document("Tea")
    doc.map.components = [Component(id="a", name="Kettle", visibility=0.5, evolution=0.5),
                          Component(id="b", name="Kettle", visibility=0.4, evolution=None)]
    codes = [f.code for f in check_document(doc)]
    assert codes == ["duplicate-name", "contract-incomplete", "no-position"]  # most serious first


def test_sound_discovery_service_has_no_findings(tmp_path: Path) -> None:
    reread, _ = reopened(filled(document("Tea")), tmp_path)
    assert check_document(reread, ServiceDirectory.scan(tmp_path), today=TODAY) == []


def test_sample_service_lists_its_unlinked_dependencies() -> None:
    doc = sample_document()
    assert not [f for f in check_document(doc, today=TODAY) if f.code == "dependency-not-on-map"]
    for c in doc.map.components:  # as if nobody had linked the map to the contract
        c.provided_by = None
    found = [f for f in check_document(doc, today=TODAY) if f.code == "dependency-not-on-map"]
    assert {f.element_id for f in found} == {"sample-dep-identity", "sample-dep-hosting"}
    assert all("link the" in f.message for f in found)


# -- dependency-not-on-map / link-not-in-contract ------------------------------------------


def test_dependency_not_on_map(tmp_path: Path) -> None:
    doc = document("Notifications", deps=[dependency("Identity")], components=[component("Identity")])
    [f] = findings(doc, tmp_path, "dependency-not-on-map")
    assert f.element_id == "d-identity" and f.severity is Severity.WARNING
    assert f.message == (
        "the contract depends on 'Identity', but no map component is provided by it; "
        "link the 'Identity' component to it"
    )


def test_dependency_on_map_by_normalised_name(tmp_path: Path) -> None:
    doc = document("N", deps=[dependency("Hosting platform")], components=[component("Compute", by=" hosting  Platform")])
    assert findings(doc, tmp_path, "dependency-not-on-map") == []
    assert findings(doc, tmp_path, "link-not-in-contract") == []


def test_dependency_on_map_by_id_even_when_names_differ(tmp_path: Path) -> None:
    doc = document("N", deps=[dependency("Identity", "svc-id")], components=[component("Sign in", by="Login", by_id="svc-id")])
    assert findings(doc, tmp_path, "dependency-not-on-map") == []


def test_different_ids_are_different_services_despite_the_name(tmp_path: Path) -> None:
    doc = document("N", deps=[dependency("Identity", "svc-id")], components=[component("Sign in", by="Identity", by_id="svc-other")])
    assert [f.element_id for f in findings(doc, tmp_path, "dependency-not-on-map")] == ["d-identity"]
    assert [f.element_id for f in findings(doc, tmp_path, "link-not-in-contract")] == ["c-sign-in"]


def test_directory_matches_a_name_to_a_linked_id(tmp_path: Path) -> None:
    """The contract says 'Identity' (typed before the file existed); the map links the file by id."""
    saved(document("Identity", sid="svc-id"), tmp_path)
    doc = document("N", deps=[dependency("Identity")], components=[component("Sign in", by="Identity service", by_id="svc-id")])
    assert findings(doc, tmp_path, "dependency-not-on-map") != []  # without the directory: names differ
    assert findings(doc, tmp_path, "dependency-not-on-map", scan=True) == []


def test_link_not_in_contract(tmp_path: Path) -> None:
    doc = document("N", deps=[dependency("Identity")], components=[component("Identity", by="Identity"), component("Printing", by="Print service")])
    [f] = findings(doc, tmp_path, "link-not-in-contract")
    assert f.element_id == "c-printing"
    assert f.message == "'Printing' is provided by 'Print service', which is not among the contract's dependencies"


def test_component_provided_by_this_service_is_not_a_dependency(tmp_path: Path) -> None:
    doc = document("Notifications", sid="svc-n", components=[component("Templates", by="Notifications"), component("Status", by="Whatever", by_id="svc-n")])
    assert findings(doc, tmp_path, "link-not-in-contract") == []


# -- evolution-mismatch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evolution", "declared", "far"),
    [
        (0.55, EvolutionStage.PRODUCT, False),  # same stage
        (0.84, EvolutionStage.PRODUCT, False),  # one stage on, 0.14 past the edge
        (0.86, EvolutionStage.PRODUCT, True),  # one stage on, 0.16 past the edge
        (0.26, EvolutionStage.PRODUCT, False),  # one stage back, 0.14 before the edge
        (0.24, EvolutionStage.PRODUCT, True),
        (0.10, EvolutionStage.PRODUCT, True),  # two stages away
        (0.39, EvolutionStage.COMMODITY, True),  # two stages, even close to the edge
        (0.60, EvolutionStage.COMMODITY, False),
        (0.30, EvolutionStage.GENESIS, False),  # 0.125 past genesis
        (0.35, EvolutionStage.GENESIS, True),
        (0.85, EvolutionStage.PRODUCT, False),  # exactly 0.15: not more than the tolerance
    ],
)
def test_evolution_far_from_rule(evolution: float, declared: EvolutionStage, far: bool) -> None:
    assert evolution_far_from(evolution, declared) is far


def test_evolution_mismatch_with_provider_in_directory(tmp_path: Path) -> None:
    saved(document("Hosting platform", stage=EvolutionStage.COMMODITY), tmp_path)
    doc = document(
        "N",
        deps=[dependency("Hosting platform")],
        components=[component("Servers", 0.30, by="Hosting platform"), component("Compute", 0.62, by="Hosting platform")],
    )
    [f] = findings(doc, tmp_path, "evolution-mismatch", scan=True)
    assert f.element_id == "c-servers"
    assert f.message == "'Servers' is drawn as custom-built (0.30), but 'Hosting platform' declares itself commodity"


def test_no_evolution_mismatch_without_directory_or_declared_stage(tmp_path: Path) -> None:
    saved(document("Undeclared"), tmp_path)
    doc = document("N", deps=[dependency("Undeclared"), dependency("Unknown")],
                   components=[component("A", 0.05, by="Undeclared"), component("B", 0.05, by="Unknown")])
    assert findings(doc, tmp_path, "evolution-mismatch", scan=True) == []
    saved(document("Unknown", stage=EvolutionStage.COMMODITY), tmp_path)
    assert findings(doc, tmp_path, "evolution-mismatch", scan=False) == []
    assert [f.element_id for f in findings(doc, tmp_path, "evolution-mismatch", scan=True)] == ["c-b"]


# -- depends-on-immature / depends-on-retired --------------------------------------------------


def test_live_service_on_alpha_dependency(tmp_path: Path) -> None:
    saved(document("Payments", lifecycle=ALPHA), tmp_path)
    doc = assessed_live(deps=[dependency("Payments")], components=[component("Pay", by="payments")])
    [f] = findings(doc, tmp_path, "depends-on-immature", scan=True)
    assert f.element_id == "d-payments"  # the contract, not the map, and once per service
    assert f.message == "this live service depends on 'Payments', which is still in alpha"


def test_live_service_on_discovery_map_link_only(tmp_path: Path) -> None:
    saved(document("Chatbot", lifecycle=DISCOVERY), tmp_path)
    doc = assessed_live(components=[component("Answers", by="Chatbot")])
    assert [f.element_id for f in findings(doc, tmp_path, "depends-on-immature", scan=True)] == ["c-answers"]


def test_beta_provider_or_non_live_service_is_not_immature_risk(tmp_path: Path) -> None:
    saved(document("Payments", lifecycle=BETA), tmp_path)
    saved(document("Chatbot", lifecycle=ALPHA), tmp_path)
    assert findings(assessed_live(deps=[dependency("Payments")]), tmp_path, "depends-on-immature", scan=True) == []
    beta = document("N", lifecycle=BETA, deps=[dependency("Chatbot")])
    assert findings(beta, tmp_path, "depends-on-immature", scan=True) == []
    # and without a directory nothing is known about Chatbot
    assert findings(assessed_live(deps=[dependency("Chatbot")]), tmp_path, "depends-on-immature") == []


def test_depends_on_retired_at_any_lifecycle(tmp_path: Path) -> None:
    saved(document("Old print", sid="svc-print", lifecycle=RETIRED), tmp_path)
    for life in (DISCOVERY, BETA):
        doc = document("N", lifecycle=life, deps=[dependency("Renamed print", "svc-print")])
        [f] = findings(doc, tmp_path, "depends-on-retired", scan=True)
        assert f.element_id == "d-renamed-print"
        assert f.message == "this service depends on 'Old print', which is retired"


def test_not_retired_risk_for_live_provider_or_retired_self(tmp_path: Path) -> None:
    saved(document("Print", lifecycle=LIVE), tmp_path)
    saved(document("Old print", lifecycle=RETIRED), tmp_path)
    assert findings(document("N", deps=[dependency("Print")]), tmp_path, "depends-on-retired", scan=True) == []
    gone = document("N", lifecycle=RETIRED, deps=[dependency("Old print")])
    assert findings(gone, tmp_path, "depends-on-retired", scan=True) == []


def test_own_file_in_the_folder_is_not_a_provider(tmp_path: Path) -> None:
    """The checked service is in its own folder's directory; it cannot depend on itself."""
    doc = document(
        "Notifications", lifecycle=RETIRED, stage=EvolutionStage.COMMODITY,
        components=[component("Templates", 0.05, by="Notifications")],
    )
    reread, _ = reopened(doc, tmp_path)
    directory = ServiceDirectory.scan(tmp_path)
    assert directory.by_name("Notifications") is not None
    reread.service.lifecycle = BETA
    codes = {f.code for f in check_document(reread, directory, today=TODAY)}
    assert not codes & {"depends-on-retired", "depends-on-immature", "evolution-mismatch", "link-not-in-contract"}


# -- guidance-review-overdue ----------------------------------------------------------------


def _decision(status: DecisionStatus, review_by: dt.date | None) -> GuidanceDecision:
    return GuidanceDecision(
        id=f"dec-{status}-{review_by}",
        guidance=GuidanceItem(id="G-014", version="2", title="Use the shared print service for all letters"),
        status=status, reason="Too slow", decided_on=dt.date(2025, 1, 1), review_by=review_by,
    )


def test_guidance_review_overdue(tmp_path: Path) -> None:
    doc = document("N", lifecycle=DISCOVERY)
    doc.decisions = [_decision(DecisionStatus.REJECTED, TODAY - dt.timedelta(days=1))]
    [f] = findings(doc, tmp_path, "guidance-review-overdue")
    assert f.element_id == doc.decisions[0].id
    assert f.message == (
        "the rejection of guidance G-014 'Use the shared print service for all letters' "
        "was due for review on 2026-10-31"
    )


def test_guidance_review_not_overdue(tmp_path: Path) -> None:
    doc = document("N")
    doc.decisions = [
        _decision(DecisionStatus.REJECTED, TODAY),  # due today: not yet overdue
        _decision(DecisionStatus.REJECTED, None),
        _decision(DecisionStatus.ACCEPTED, TODAY - dt.timedelta(days=100)),
    ]
    assert findings(doc, tmp_path, "guidance-review-overdue") == []


# -- assessment-overdue ---------------------------------------------------------------------


def test_live_service_not_assessed_for_over_a_year(tmp_path: Path) -> None:
    last = TODAY - dt.timedelta(days=ASSESSMENT_INTERVAL_DAYS + 1)
    doc = document("N", lifecycle=LIVE, assessments=[transition(LIVE, last, "a-live")])
    [f] = findings(doc, tmp_path, "assessment-overdue")
    assert f.element_id == "a-live"
    assert f.message == "last assessed on 2025-10-31, 366 days ago: live services are assessed at least every 12 months"


def test_live_service_assessed_within_a_year(tmp_path: Path) -> None:
    last = TODAY - dt.timedelta(days=ASSESSMENT_INTERVAL_DAYS)
    doc = document("N", lifecycle=LIVE, assessments=[transition(LIVE, last)])
    assert findings(doc, tmp_path, "assessment-overdue") == []


def test_live_service_never_assessed_is_one_finding(tmp_path: Path) -> None:
    [f] = findings(document("N", lifecycle=LIVE), tmp_path, "assessment-overdue")
    assert f.element_id is None and "no assessment recorded" in f.message


def test_missing_transition_assessment(tmp_path: Path) -> None:
    doc = document("N", lifecycle=BETA, assessments=[transition(ALPHA, dt.date(2026, 1, 5))])
    [f] = findings(doc, tmp_path, "assessment-overdue")
    assert f.message == "no assessment is recorded for the move into beta"
    # an assessment dated in the future has not happened yet
    doc.assessments.append(transition(BETA, TODAY + dt.timedelta(days=3)))
    assert len(findings(doc, tmp_path, "assessment-overdue")) == 1


def test_transition_assessment_recorded(tmp_path: Path) -> None:
    doc = document("N", lifecycle=BETA, assessments=[transition(BETA, dt.date(2026, 6, 1))])
    assert findings(doc, tmp_path, "assessment-overdue") == []


def test_discovery_and_retired_services_are_not_asked_for_assessments(tmp_path: Path) -> None:
    assert findings(document("N", lifecycle=DISCOVERY), tmp_path, "assessment-overdue") == []
    assert findings(document("N", lifecycle=RETIRED), tmp_path, "assessment-overdue") == []


# -- osom check, as a person runs it ----------------------------------------------------------


def test_osom_check_reports_a_finding_and_exits_1(tmp_path: Path) -> None:
    doc = document("Notifications", deps=[dependency("Identity")], components=[component("Identity")])
    doc.decisions = [_decision(DecisionStatus.REJECTED, dt.date(2000, 1, 1))]
    path = saved(doc, tmp_path)
    assert open_document(path).contract.dependencies  # a real file holding the dependency
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run(
        [sys.executable, "-m", "osom_desktop.cli", "check", str(path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "the contract depends on 'Identity', but no map component is provided by it" in run.stdout
    assert "was due for review on 2000-01-01" in run.stdout
    assert "Traceback" not in run.stderr
