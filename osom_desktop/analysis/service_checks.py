"""Checks on one service document, shown by ``osom check`` and the findings panel."""

from __future__ import annotations

from collections import Counter

from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.wardley import ComponentKind, RawKind, WardleyMap


def check_document(doc: ServiceDocument) -> list[Finding]:
    """Every finding for one service, most serious first."""
    findings = check_map(doc.map)
    order = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.NOTE: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def check_map(m: WardleyMap) -> list[Finding]:
    out: list[Finding] = []
    names = Counter(c.name for c in m.components)
    for c in m.components:
        if names[c.name] > 1:
            out.append(Finding("duplicate-name", Severity.PROBLEM,
                               f"{c.name!r} names {names[c.name]} components; links to it are ambiguous", c.id))
            names[c.name] = 0  # report each name once
    ids = {c.id for c in m.components}
    for lk in m.links:
        for end in (lk.source, lk.target):
            if end not in ids:
                out.append(Finding("dangling-link", Severity.PROBLEM,
                                   f"a link refers to a component that is not on the map ({end})", lk.id))
    for c in m.components:
        if c.pipeline_id is None and c.kind is not ComponentKind.SUBMAP and (c.visibility is None or c.evolution is None):
            out.append(Finding("no-position", Severity.NOTE,
                               f"{c.name!r} has no position on the map; it is drawn at a default place", c.id))
    for r in m.raw_lines:
        if r.kind is RawKind.UNKNOWN:
            out.append(Finding("unknown-line", Severity.WARNING,
                               f"a map line OWM text does not define was kept as written: {r.text.strip()[:80]!r}", r.id))
    return out
