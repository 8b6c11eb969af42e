"""Decisions on the executive's published guidance.

OSOM lets a service reject guidance, but it must account for that at its
assessments: a rejection needs a reason, and a review date (if any) after the
decision. Each decision keeps a snapshot of the guidance as it was decided, so a
later catalogue version never rewrites what was rejected. The decision in force for
a guidance item is the latest one (by date, then by the order recorded).
"""

from __future__ import annotations

import datetime as dt

from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem
from osom_desktop.operations.contract import default_author
from osom_desktop.operations.edits import AddRecord, RemoveRecord
from osom_desktop.operations.plan import Plan


def latest_decisions(decisions: list[GuidanceDecision]) -> dict[str, GuidanceDecision]:
    """The decision in force for each guidance id: the latest by date, then by order."""
    out: dict[str, tuple[tuple[dt.date, int], GuidanceDecision]] = {}
    for i, d in enumerate(decisions):
        key = (d.decided_on, i)
        if d.guidance.id not in out or key >= out[d.guidance.id][0]:
            out[d.guidance.id] = (key, d)
    return {gid: d for gid, (_k, d) in out.items()}


def check_decision(decision: GuidanceDecision) -> GuidanceDecision:
    """A rejection has a reason; a review comes after the decision. Refused on the field."""
    if decision.status is DecisionStatus.REJECTED and not decision.reason.strip():
        raise ModelValidationError("GuidanceDecision.reason", decision.reason, "a reason for rejecting guidance is required")
    if decision.review_by is not None and decision.review_by <= decision.decided_on:
        raise ModelValidationError("GuidanceDecision.review_by", decision.review_by.isoformat(),
                                   "the review must come after the decision")
    return decision


def can_decide(document: Document, item: GuidanceItem, status: DecisionStatus) -> bool:
    """False when this very version of the item already stands decided that way."""
    current = latest_decisions(document.data.decisions).get(item.id)
    return not (current is not None and current.guidance.version == item.version and current.status is status)


def decide_guidance(document: Document, item: GuidanceItem, status: DecisionStatus, *, reason: str = "",
                    alternative: str = "", accepted_risk: str = "", decided_by: str | None = None,
                    decided_on: dt.date | None = None, review_by: dt.date | None = None) -> Plan:
    """Accept or reject ``item`` (a snapshot of it is kept with the decision)."""
    decision = GuidanceDecision(
        guidance=item.model_copy(deep=True), status=status, reason=reason.strip(), alternative=alternative.strip(),
        accepted_risk=accepted_risk.strip(),
        decided_by=(default_author(document) if decided_by is None else decided_by).strip(),
        decided_on=decided_on or dt.date.today(), review_by=review_by,
    )
    return record_decision(document, decision)


def record_decision(document: Document, decision: GuidanceDecision) -> Plan:
    """Record a decision built elsewhere (the rejection dialog) after the same checks."""
    check_decision(decision)
    verb = "Accept" if decision.status is DecisionStatus.ACCEPTED else "Reject"
    text = f"{verb} {decision.guidance.id}"
    if not can_decide(document, decision.guidance, decision.status):
        return Plan(document, text)
    return Plan.of(document, text, AddRecord("decisions", decision))


def remove_decision(document: Document, decision_id: str) -> Plan:
    d = next((d for d in document.data.decisions if d.id == decision_id), None)
    if d is None:
        raise ModelValidationError("decisions", decision_id, "no such record")
    return Plan.of(document, f"Remove decision on {d.guidance.id}", RemoveRecord("decisions", d.id))
