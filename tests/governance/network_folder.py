"""A folder of governed services for the executive's side (tests and screenshots)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osom_desktop.governance import shipped_sets
from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    AssessmentKind,
    AssessmentOutcome,
    CoEStatus,
    CorrectionOfError,
    CorrectiveAction,
    LifecycleStage,
    Measure,
    MeasureDirection,
    RecordedValue,
    ServiceDocument,
    UnmetNeed,
)
from osom_desktop.operations.assessments import template_results
from osom_desktop.storage import save_document

SETS = shipped_sets()


def periodic(day: dt.date, decisions: dict[str, str]) -> Assessment:
    a = Assessment(date=day, kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET_WITH_CONDITIONS,
                   scale="red-amber-green")
    results = [r.model_copy(update={"decision": decisions.get(r.criterion_id, r.decision)})
               for r in template_results(SETS, a)]
    return a.model_copy(update={"results": results})


def governed_folder(folder: Path, today: dt.date) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    year_ago = today - dt.timedelta(days=300)
    specs = [
        ("Notifications", {"reliable": "red", "know-users": "2"}, {"reliable": "amber", "know-users": "4"}, "Disk full on the print server"),
        ("Council Tax", {"users": "amber"}, {"users": "green", "manage-failure": "1"}, "disk full on the print server!"),
        ("Parking Permits", {}, {"open-code": "not met"}, ""),
    ]
    for name, before, now, cause in specs:
        doc = ServiceDocument()
        doc.service.name = name
        doc.service.manager = f"{name} manager"
        doc.service.lifecycle = LifecycleStage.LIVE
        first = periodic(year_ago, before)
        second = periodic(today - dt.timedelta(days=30), now)
        second.actions.append(AssessmentAction(
            text=f"Fix {next(iter(now))}", owner="team", due=today - dt.timedelta(days=1)))
        doc.assessments += [first, second]
        if cause:
            doc.coes.append(CorrectionOfError(title=f"{name} outage", author=doc.service.manager, written_on=today - dt.timedelta(days=20),
                                              problem="stopped", impact="late", root_cause=cause, doctrine_hurt="Manage failure",
                                              actions=[CorrectiveAction(text="clean up")], status=CoEStatus.PUBLISHED,
                                              published_on=today - dt.timedelta(days=19)))
        else:
            doc.contract.measures.append(Measure(name="Uptime", target=99.9, direction=MeasureDirection.HIGHER_IS_BETTER,
                                                 values=[RecordedValue(date=today - dt.timedelta(days=10), value=97.0)]))
            doc.unmet_needs.append(UnmetNeed(need="Permits for visitors", noted_on=today - dt.timedelta(days=5)))
        path = folder / f"{name.lower().replace(' ', '-')}.osom"
        save_document(doc, path)
        paths.append(path)
    return paths
