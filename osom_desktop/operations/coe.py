"""Correction of Error documents: written by the service, reviewed by the executive.

Status moves one way: draft -> published -> reviewed. Publishing needs the problem,
its impact, its root cause and at least one corrective action; a review needs a
reviewer who is not the CoE's author (OSOM: the executive holds the service to
account; nobody reviews their own CoE) and an outcome. A reviewed CoE is no longer
edited. "Propose guidance" drafts a catalogue item from the lessons, citing the CoE.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import CoEStatus, CorrectionOfError, GuidanceItem
from osom_desktop.operations.edits import AddRecord, RemoveRecord, ReplaceRecord
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import OperationRefused

REQUIRED_TO_PUBLISH = (("problem", "the problem"), ("impact", "its impact"), ("root_cause", "the root cause"))


class CoERefused(OperationRefused):
    """A CoE rule was broken; the message says which."""


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _coe(document: Document, coe_id: str) -> CorrectionOfError:
    found = next((c for c in document.data.coes if c.id == coe_id), None)
    if found is None:
        raise ModelValidationError("coes", coe_id, "no such record")
    return found


def write_coe(document: Document, coe: CorrectionOfError) -> Plan:
    """Add a new CoE as a draft (whatever status it came with)."""
    coe = coe.model_copy(update={"status": CoEStatus.DRAFT, "published_on": None, "reviewed_by": "",
                                 "reviewed_on": None, "review_outcome": ""})
    return Plan.of(document, f"Write CoE: {coe.title[:40]}", AddRecord("coes", coe))


def edit_coe(document: Document, coe: CorrectionOfError) -> Plan:
    """Change a CoE's text; its status and review stay as they are."""
    old = _coe(document, coe.id)
    if old.status is CoEStatus.REVIEWED:
        raise CoERefused(f"the CoE {old.title!r} was reviewed on {old.reviewed_on}: it is no longer edited")
    new = coe.model_copy(update={k: getattr(old, k) for k in
                                 ("status", "published_on", "reviewed_by", "reviewed_on", "review_outcome")})
    if old.status is CoEStatus.PUBLISHED:
        _check_complete(new)
    if new == old:
        return Plan(document, "Edit CoE")
    return Plan.of(document, f"Edit CoE: {new.title[:40]}", ReplaceRecord("coes", new))


def _check_complete(coe: CorrectionOfError) -> None:
    missing = [words for field, words in REQUIRED_TO_PUBLISH if not getattr(coe, field).strip()]
    if not coe.actions:
        missing.append("a corrective action")
    if missing:
        raise CoERefused(f"the CoE {coe.title!r} cannot be published without {', '.join(missing)}")


def publish_coe(document: Document, coe_id: str, *, on: dt.date | None = None) -> Plan:
    coe = _coe(document, coe_id)
    if coe.status is not CoEStatus.DRAFT:
        raise CoERefused(f"the CoE {coe.title!r} is already {coe.status.value}")
    _check_complete(coe)
    new = coe.model_copy(update={"status": CoEStatus.PUBLISHED, "published_on": on or dt.date.today()})
    return Plan.of(document, f"Publish CoE: {coe.title[:40]}", ReplaceRecord("coes", new))


def review_coe(document: Document, coe_id: str, *, reviewer: str, outcome: str, on: dt.date | None = None) -> Plan:
    """The executive's review of a published CoE: who, when, and what they concluded."""
    coe = _coe(document, coe_id)
    if coe.status is CoEStatus.DRAFT:
        raise CoERefused(f"the CoE {coe.title!r} is a draft: it is reviewed once published")
    if coe.status is CoEStatus.REVIEWED:
        raise CoERefused(f"the CoE {coe.title!r} was already reviewed by {coe.reviewed_by} on {coe.reviewed_on}")
    if not reviewer.strip():
        raise CoERefused("a review needs the reviewer's name")
    if _same_person(reviewer, coe.author):
        raise CoERefused(f"{reviewer.strip()} wrote this CoE and cannot review it: the executive reviews it")
    if not outcome.strip():
        raise CoERefused("a review needs its outcome (what the executive concluded)")
    day = on or dt.date.today()
    if coe.published_on is not None and day < coe.published_on:
        raise CoERefused(f"the review ({day}) cannot come before the CoE was published ({coe.published_on})")
    new = coe.model_copy(update={"status": CoEStatus.REVIEWED, "reviewed_by": reviewer.strip(), "reviewed_on": day,
                                 "review_outcome": outcome.strip()})
    return Plan.of(document, f"Review CoE: {coe.title[:40]}", ReplaceRecord("coes", new))


def remove_coe(document: Document, coe_id: str) -> Plan:
    coe = _coe(document, coe_id)
    if coe.status is not CoEStatus.DRAFT:
        raise CoERefused(f"the CoE {coe.title!r} is {coe.status.value}: only a draft can be removed")
    return Plan.of(document, f"Remove CoE: {coe.title[:40]}", RemoveRecord("coes", coe.id))


def propose_guidance(coe: CorrectionOfError, service_name: str, taken_ids: Iterable[str] = (),
                     on: dt.date | None = None) -> GuidanceItem:
    """A draft guidance item from a published CoE's lessons, citing the CoE."""
    if coe.status is CoEStatus.DRAFT:
        raise CoERefused(f"the CoE {coe.title!r} is a draft: guidance is proposed from a published CoE")
    taken = set(taken_ids)
    stem = "COE-" + (re.sub(r"[^A-Za-z0-9]+", "-", coe.title).strip("-")[:30].upper() or coe.id[:8])
    gid, n = stem, 2
    while gid in taken:
        gid, n = f"{stem}-{n}", n + 1
    parts = [coe.lessons.strip(), f"Avoid: {coe.tradeoffs_to_avoid.strip()}" if coe.tradeoffs_to_avoid.strip() else ""]
    when = coe.published_on.isoformat() if coe.published_on else coe.written_on.isoformat()
    return GuidanceItem(
        id=gid, version="1", title=f"Lesson from: {coe.title}"[:500],
        text="\n\n".join(p for p in parts if p),
        source=f"Correction of Error {coe.title!r} ({service_name}, {when}, id {coe.id})",
        published=on,
    )
