"""Building real service documents and files for the analysis tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    Contract,
    Dependency,
    EvolutionStage,
    LifecycleStage,
    Measure,
    Service,
    ServiceDocument,
)
from osom_desktop.model.wardley import Component, ServiceRef, WardleyMap
from osom_desktop.storage import open_document, save_document

TODAY = dt.date(2026, 11, 1)


def component(name: str, evolution: float = 0.5, by: str | None = None, by_id: str | None = None) -> Component:
    """A map component, provided by the service named ``by`` when given."""
    slug = name.lower().replace(" ", "-")
    provided = ServiceRef(by, by_id) if by is not None else None
    return Component(id=f"c-{slug}", name=name, visibility=0.5, evolution=evolution, provided_by=provided)


def dependency(name: str, service_id: str | None = None) -> Dependency:
    return Dependency(id=f"d-{name.lower().replace(' ', '-')}", service_name=name, service_id=service_id)


def transition(to: LifecycleStage, on: dt.date, aid: str | None = None) -> Assessment:
    stages = list(LifecycleStage)
    return Assessment(
        id=aid or f"a-{to}-{on}",
        date=on,
        kind=AssessmentKind.TRANSITION,
        from_stage=stages[to.rank - 1] if to.rank else None,
        to_stage=to,
        outcome=AssessmentOutcome.MET,
    )


def document(
    name: str,
    *,
    sid: str | None = None,
    lifecycle: LifecycleStage = LifecycleStage.DISCOVERY,
    stage: EvolutionStage | None = None,
    deps: Sequence[Dependency] = (),
    components: Sequence[Component] = (),
    assessments: Sequence[Assessment] = (),
    manager: str = "",
) -> ServiceDocument:
    return ServiceDocument(
        service=Service(id=sid or f"svc-{name.lower().replace(' ', '-')}", name=name, manager=manager, lifecycle=lifecycle),
        contract=Contract(evolution_stage=stage, dependencies=list(deps)),
        map=WardleyMap(components=list(components)),
        assessments=list(assessments),
    )


def filled(doc: ServiceDocument) -> ServiceDocument:
    """``doc`` with every part of the contract a service must fill in filled
    (``service_checks.CONTRACT_PARTS``): a test of another rule's silence needs a
    contract that is not itself a finding."""
    c = doc.contract
    doc.service.manager = doc.service.manager or "A. Manager"
    c.purpose, c.usage, c.help = c.purpose or "What it is", c.usage or "On the web", c.help or "Ring the desk"
    c.expectations_success = c.expectations_success or "Answered within a day"
    c.expectations_failure = c.expectations_failure or "We say so on the page"
    c.user_needs = c.user_needs or ["a need"]
    c.evolution_stage = c.evolution_stage or EvolutionStage.PRODUCT
    c.measures = c.measures or [Measure(name="Requests answered")]
    return doc


def saved(doc: ServiceDocument, folder: Path, filename: str | None = None) -> Path:
    """Write ``doc`` as a real .osom file; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or f"{doc.service.name.lower().replace(' ', '-')}.osom")
    save_document(doc, path, author="tests")
    return path


def reopened(doc: ServiceDocument, folder: Path) -> tuple[ServiceDocument, Path]:
    """Save and open again, so checks run on what a file really holds."""
    path = saved(doc, folder)
    return open_document(path), path
