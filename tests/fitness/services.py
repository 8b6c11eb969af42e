"""Real service files with measures, for the fitness tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osom_desktop.model.service import Dependency, Measure, RecordedValue, Service, ServiceDocument
from osom_desktop.storage import save_document


def service_file(folder: Path, name: str, measures: list[Measure], depends_on: list[str] = ()) -> Path:
    doc = ServiceDocument(service=Service(name=name))
    doc.contract.measures = measures
    doc.contract.dependencies = [Dependency(service_name=d) for d in depends_on]
    path = folder / f"{name}.osom"
    save_document(doc, path)
    return path


def monthly(values: list[float], start: dt.date = dt.date(2026, 1, 31)) -> list[RecordedValue]:
    out = []
    for i, v in enumerate(values):
        month = (start.month - 1 + i) % 12 + 1
        year = start.year + (start.month - 1 + i) // 12
        out.append(RecordedValue(date=dt.date(year, month, 28), value=v))
    return out
