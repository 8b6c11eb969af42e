"""The governance pack: what the executive receives and opens without installing anything.

``build_pack`` gathers everything a pack says into plain data (no Qt, no markup), so
the HTML and PDF writers say the same things and a folder's executive pack can later
be a ``Pack`` with several ``ServiceSection``s, each rendered by the same per-service
code::

    pack = build_pack(doc, source_path="tea.osom", directory=ServiceDirectory.scan("."))
    write_pack_html(pack, "tea-pack.html")   # one self-contained file, no scripts
    write_pack_pdf(pack, "tea-pack.pdf")     # vector map, selectable text
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic_core import PydanticSerializationError

from osom_desktop.analysis.assessment_dates import last_assessment
from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.findings import Finding
from osom_desktop.analysis.map_diff import MapChanges, map_changes
from osom_desktop.analysis.review_dates import review_overdue
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.model.service import (
    Assessment,
    DecisionStatus,
    GuidanceDecision,
    LifecycleStage,
    Measure,
    MeasureDirection,
    Revision,
    ServiceDocument,
)
from osom_desktop.model.text_safety import scrubbed
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.storage import document_fingerprint

FINGERPRINT_SHOWN = 12  # hex digits: enough to tell revisions apart when read aloud

# ON_TARGET measures: a value within 1% of its target (or 1e-9 of a zero target)
# counts as on target; people record rounded figures.
ON_TARGET_TOLERANCE = 0.01

CONTRACT_HEADINGS = (
    "1. What the service is and the user needs it meets",
    "2. Lifecycle stage",
    "3. Evolution stage",
    "4. How the service is used",
    "5. Expectations of success and failure",
    "6. How performance is measured",
    "7. How to get help",
    "8. Services it depends upon",
)

_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"']+", re.IGNORECASE)


def link_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_link) where links are http, https or mailto only.

    Anything else (javascript:, data:, file:, relative paths) stays plain text.
    Trailing punctuation belongs to the sentence, not the link.
    """
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _SAFE_URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}")
        if len(url) <= len("mailto:") or url.lower() in ("http://", "https://"):
            continue
        end = m.start() + len(url)
        if m.start() > pos:
            parts.append((text[pos : m.start()], False))
        parts.append((url, True))
        pos = end
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


@dataclass(frozen=True, slots=True)
class MeasureRow:
    name: str
    unit: str
    target: float | None
    direction: MeasureDirection
    latest: float | None
    latest_date: dt.date | None
    latest_note: str
    met: bool | None  # None: no target or no value yet

    @property
    def direction_text(self) -> str:
        return {
            MeasureDirection.HIGHER_IS_BETTER: "higher is better",
            MeasureDirection.LOWER_IS_BETTER: "lower is better",
            MeasureDirection.ON_TARGET: "on target",
        }[self.direction]

    @property
    def status_text(self) -> str:
        if self.latest is None:
            return "no value recorded"
        if self.met is None:
            return "no target"
        return "meets target" if self.met else "misses target"


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A service this one depends on, as the neighbourhood drawing shows it."""

    name: str
    description: str
    lifecycle: LifecycleStage | None  # None: not in the directory
    known: bool


@dataclass(frozen=True, slots=True)
class RejectedRow:
    decision: GuidanceDecision
    overdue: bool


@dataclass(frozen=True, slots=True)
class ServiceSection:
    """Everything the pack says about one service."""

    doc: ServiceDocument
    source_name: str  # the file's name (not its full path: packs travel by email)
    revision: Revision | None
    fingerprint: str  # of the revision's content (or of the unsaved content)
    unsaved_changes: bool  # the content differs from the revision it names
    measures: list[MeasureRow]
    neighbours: list[Neighbour]
    rejected: list[RejectedRow]
    findings: list[Finding]
    assessments: list[Assessment]
    last_assessment: Assessment | None
    # What changed on the map since the last assessment: changes when a snapshot of
    # the map at that revision exists, otherwise one sentence saying why not.
    changes: MapChanges | None
    changes_note: str

    @property
    def name(self) -> str:
        return self.doc.service.name

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:FINGERPRINT_SHOWN]

    @property
    def anchor(self) -> str:
        """A fragment id for this section, safe in HTML whatever the name."""
        return "svc-" + re.sub(r"[^a-z0-9-]", "", self.doc.service.id.lower())[:40]


@dataclass(frozen=True, slots=True)
class Pack:
    title: str
    generated_on: dt.date
    services: list[ServiceSection] = field(default_factory=list)


def _measure_row(m: Measure) -> MeasureRow:
    latest = max(m.values, key=lambda v: v.date) if m.values else None
    met: bool | None = None
    if latest is not None and m.target is not None:
        if m.direction is MeasureDirection.HIGHER_IS_BETTER:
            met = latest.value >= m.target
        elif m.direction is MeasureDirection.LOWER_IS_BETTER:
            met = latest.value <= m.target
        else:
            met = abs(latest.value - m.target) <= max(1e-9, abs(m.target) * ON_TARGET_TOLERANCE)
    return MeasureRow(
        name=m.name,
        unit=m.unit,
        target=m.target,
        direction=m.direction,
        latest=None if latest is None else latest.value,
        latest_date=None if latest is None else latest.date,
        latest_note="" if latest is None else latest.note,
        met=met,
    )


def _neighbours(doc: ServiceDocument, directory: ServiceDirectory | None) -> list[Neighbour]:
    out = []
    for d in doc.contract.dependencies:
        summary = None
        if directory is not None:
            summary = (directory.by_id(d.service_id) if d.service_id else None) or directory.by_name(d.service_name)
        out.append(
            Neighbour(
                name=d.service_name,
                description=d.description,
                lifecycle=None if summary is None else summary.lifecycle,
                known=summary is not None,
            )
        )
    return out


def _changes(
    doc: ServiceDocument, last: Assessment | None, snapshots: Mapping[int, WardleyMap] | None
) -> tuple[MapChanges | None, str]:
    if last is None:
        return None, "No assessment yet, so there is nothing to compare the map with."
    old = last.map_snapshot  # the map as the assessors saw it, kept with the assessment
    if old is not None:
        changes = map_changes(old, doc.map)
        if changes.empty:
            return changes, f"No components added, removed or moved since the assessment of {last.date.isoformat()}."
        return changes, f"Compared with the map at the assessment of {last.date.isoformat()}."
    if last.map_revision is None:
        return None, f"The assessment of {last.date.isoformat()} did not record which revision of the map it saw."
    old = (snapshots or {}).get(last.map_revision)
    if old is None:
        return None, (
            f"The map as it was at revision {last.map_revision} (assessment of {last.date.isoformat()}) "
            "is not kept in the file, so changes since then cannot be shown."
        )
    changes = map_changes(old, doc.map)
    if changes.empty:
        return changes, f"No components added, removed or moved since revision {last.map_revision}."
    return changes, f"Compared with the map at revision {last.map_revision} (assessment of {last.date.isoformat()})."


def build_section(
    doc: ServiceDocument,
    *,
    source_path: str | os.PathLike[str] | None,
    directory: ServiceDirectory | None = None,
    today: dt.date | None = None,
    map_snapshots: Mapping[int, WardleyMap] | None = None,
) -> ServiceSection:
    today = dt.date.today() if today is None else today
    revision = doc.revisions[-1] if doc.revisions else None
    try:
        current = document_fingerprint(doc)
    except PydanticSerializationError:  # an unpaired surrogate (unsaved: storage refuses one)
        current = document_fingerprint(scrubbed(doc))
    if revision is not None and revision.fingerprint:
        fingerprint, unsaved = revision.fingerprint, revision.fingerprint != current
    else:
        fingerprint, unsaved = current, revision is None
    assessments = sorted(doc.assessments, key=lambda a: a.date)
    last = last_assessment(doc.assessments, today)  # a future-dated assessment has not happened
    changes, note = _changes(doc, last, map_snapshots)
    rejected = [
        RejectedRow(d, review_overdue(d, today))
        for d in sorted(doc.decisions, key=lambda d: d.decided_on)
        if d.status is DecisionStatus.REJECTED
    ]
    # Texts made safe for HTML, SVG and PDF once, here, after the fingerprint and the
    # findings were taken from the document as it is (model.text_safety).
    return scrubbed(ServiceSection(
        doc=doc,
        source_name=Path(source_path).name if source_path else "(not saved)",
        revision=revision,
        fingerprint=fingerprint,
        unsaved_changes=unsaved,
        measures=[_measure_row(m) for m in doc.contract.measures],
        neighbours=_neighbours(doc, directory),
        rejected=rejected,
        findings=check_document(doc, directory, today=today),
        assessments=assessments,
        last_assessment=last,
        changes=changes,
        changes_note=note,
    ))


def build_pack(
    doc: ServiceDocument,
    *,
    source_path: str | os.PathLike[str] | None,
    directory: ServiceDirectory | None = None,
    today: dt.date | None = None,
    map_snapshots: Mapping[int, WardleyMap] | None = None,
) -> Pack:
    """The pack for one service. ``map_snapshots``: maps by revision number, for
    "what changed since the last assessment" (storage does not keep them yet)."""
    today = dt.date.today() if today is None else today
    section = build_section(
        doc, source_path=source_path, directory=directory, today=today, map_snapshots=map_snapshots
    )
    return Pack(title=f"{section.name} — governance pack", generated_on=today, services=[section])
