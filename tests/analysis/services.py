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
