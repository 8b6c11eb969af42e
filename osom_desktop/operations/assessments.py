"""OSOM's assessment report: a decision per criterion, the stage outcome, the actions.

The rules, each refused with a typed ``OperationRefused`` before anything changes:

* a transition is recorded only with a decision on every criterion of every loaded
  criteria set that applies to it (``CriteriaMissing``);
* each decision is a value of its set's scale (``DecisionOffScale``);
* the overall result cannot be "met" while a criterion is not met (``ResultContradicted``);
* the stage outcome is one of those OSOM gives for the move (after discovery: not
  required / more research / progress to alpha ...);
* every amber (or failing) criterion gets an action: by default owned by the service
  manager and due three months after the assessment; actions stay open until closed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from osom_desktop.governance.criteria import CriteriaSet, occasion_of
from osom_desktop.governance.scales import AMBER_DUE_MONTHS, SCALES, Scale
from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    AssessmentOutcome,
    CriterionResult,
    LifecycleStage,
)
from osom_desktop.operations.edits import ReplaceRecord
from osom_desktop.operations.lifecycle import move_lifecycle, record_assessment
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import OperationRefused

# What OSOM says can come of each move (the guide's assessments page, in our words).
STAGE_OUTCOMES: dict[str, tuple[str, ...]] = {
    "discovery->alpha": ("service not required", "more research needed", "progress to alpha"),
    "alpha->beta": ("no suitable way to meet the need", "best way not yet found", "progress to beta"),
    "beta->live": ("not ready for live", "progress to live"),
    "live->retired": ("keep running", "retire"),
    "periodic": ("continue", "improve", "retire"),
}


class CriteriaMissing(OperationRefused):
    """A transition needs a decision on every criterion that applies to it."""

    def __init__(self, occasion: str, missing: Sequence[tuple[str, str]]) -> None:
        self.missing = list(missing)
        names = ", ".join(f"{sid}/{cid}" for sid, cid in missing[:5]) + (" ..." if len(missing) > 5 else "")
        super().__init__(f"the {occasion} assessment has no decision on {len(missing)} criteria that apply to it: {names}")


class DecisionOffScale(OperationRefused):
    def __init__(self, result: CriterionResult, criteria_set: CriteriaSet) -> None:
        values = " / ".join(SCALES[criteria_set.scale].values)
        super().__init__(f"criterion {result.criterion_id!r}: {result.decision!r} is not on the scale of "
                         f"{criteria_set.title} ({values})")


class ResultContradicted(OperationRefused):
    def __init__(self, failing: Sequence[str]) -> None:
        super().__init__(f"the result cannot be met while {len(failing)} criteria are not met "
                         f"({', '.join(failing[:5])}): record it as met with conditions or not met")


@dataclass(frozen=True, slots=True)
class ReportCheck:
    """What the report's rules found: the sets that apply and the failing criteria."""

    applying: tuple[CriteriaSet, ...]
    failing: tuple[str, ...]
    amber: tuple[str, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def applying_sets(sets: Sequence[CriteriaSet], assessment: Assessment) -> tuple[CriteriaSet, ...]:
    occasion = occasion_of(assessment)
    return tuple(s for s in sets if s.applies(occasion))


def template_results(sets: Sequence[CriteriaSet], assessment: Assessment) -> list[CriterionResult]:
    """Rows for a new report: every criterion that applies, decided on the best value
    of its scale until the assessors say otherwise (a view shows them to be decided)."""
    return [
        CriterionResult(criterion_id=c.id, criteria_set=s.id, title=c.title, decision=SCALES[s.scale].values[0])
        for s in applying_sets(sets, assessment)
        for c in s.criteria
    ]


def check_report(assessment: Assessment, sets: Sequence[CriteriaSet]) -> ReportCheck:
    """The report's rules against the loaded ``sets`` (refused if broken)."""
    applying = applying_sets(sets, assessment)
    if assessment.from_stage is not None and assessment.to_stage is not None:
        _check_complete(assessment, applying)
    failing, amber = _failing_and_amber(assessment, {s.id: s for s in sets})
    if assessment.outcome is AssessmentOutcome.MET and failing:
        raise ResultContradicted(failing)
    occasion = occasion_of(assessment)
    if assessment.stage_outcome and assessment.stage_outcome not in STAGE_OUTCOMES.get(occasion, ()):
        raise ModelValidationError("Assessment.stage_outcome", assessment.stage_outcome,
                                   f"after {occasion} the outcome is one of: {', '.join(STAGE_OUTCOMES[occasion])}")
    return ReportCheck(applying, tuple(failing), tuple(amber))


def _check_complete(assessment: Assessment, applying: Sequence[CriteriaSet]) -> None:
    """A transition needs a decision on every criterion of the sets that apply."""
    decided = {(r.criteria_set, r.criterion_id) for r in assessment.results}
    missing = [(s.id, c.id) for s in applying for c in s.criteria if (s.id, c.id) not in decided]
    if missing:
        raise CriteriaMissing(occasion_of(assessment), missing)


def _failing_and_amber(assessment: Assessment, by_id: dict[str, CriteriaSet]) -> tuple[list[str], list[str]]:
    """Criteria ids decided below passing, and those passed amber; a decision off its
    set's scale is refused."""
    failing: list[str] = []
    amber: list[str] = []
    for r in assessment.results:
        criteria_set = by_id.get(r.criteria_set)
        scale = _scale_of(r.decision, criteria_set)
        if criteria_set is not None and scale is not None and r.decision not in scale.values:
            raise DecisionOffScale(r, criteria_set)
        if scale is None:
            continue
        if r.decision not in scale.passing:
            failing.append(r.criterion_id)
        elif r.decision != scale.values[0] and r.decision == "amber":
            amber.append(r.criterion_id)
    return failing, amber


def _scale_of(decision: str, criteria_set: CriteriaSet | None) -> Scale | None:
    """The set's scale; for a set not loaded, the scale the decision belongs to."""
    if criteria_set is not None:
        return SCALES.get(criteria_set.scale)
    return next((sc for sc in SCALES.values() if decision in sc.values), None)


def with_default_actions(assessment: Assessment, check: ReportCheck, owner: str) -> Assessment:
    """An action for every amber or failing criterion that has none yet: what to
    improve, owned by ``owner``, due three months after the assessment."""
    have = {x.criterion_id for x in assessment.actions}
    titles = {r.criterion_id: r for r in assessment.results}
    added = [
        AssessmentAction(
            text=(titles[cid].to_improve.strip() or f"Improve: {titles[cid].title or cid}")[:500],
            owner=owner, due=add_months(assessment.date, AMBER_DUE_MONTHS), criterion_id=cid,
        )
        for cid in (*check.amber, *check.failing)
        if cid not in have
    ]
    if not added:
        return assessment
    return assessment.model_copy(update={"actions": [*assessment.actions, *added]})


def prepare_report(document: Document, assessment: Assessment, sets: Sequence[CriteriaSet]) -> Assessment:
    """The report checked, its scale named, and its default actions added."""
    check = check_report(assessment, sets)
    scale = assessment.scale or (check.applying[0].scale if check.applying else "")
    assessment = assessment.model_copy(update={"scale": scale})
    return with_default_actions(assessment, check, document.data.service.manager)


def record_report(document: Document, assessment: Assessment, sets: Sequence[CriteriaSet], *,
                  move: bool | None = None) -> Plan:
    """Record an assessment report (lifecycle's rules then apply: it keeps the map, a
    met transition from the current stage offers its move)."""
    return record_assessment(document, prepare_report(document, assessment, sets), move=move)


def move_with_report(document: Document, target: LifecycleStage, sets: Sequence[CriteriaSet], *,
                     assessment: Assessment | None = None, confirmed: bool = False) -> Plan:
    """``move_lifecycle`` whose assessment must be a complete report."""
    if assessment is not None:
        assessment = prepare_report(document, assessment, sets)
    return move_lifecycle(document, target, assessment=assessment, confirmed=confirmed)


def open_actions(assessments: Sequence[Assessment], today: dt.date | None = None) -> list[tuple[Assessment, AssessmentAction]]:
    """Every action not closed, oldest assessment first: they come back at the next one."""
    return [(a, x) for a in sorted(assessments, key=lambda a: a.date) for x in a.actions if x.closed_on is None]


def overdue(action: AssessmentAction, today: dt.date) -> bool:
    return action.closed_on is None and action.due < today


def close_action(document: Document, assessment_id: str, action_id: str, *, closed_on: dt.date | None = None,
                 note: str = "") -> Plan:
    """Close an action (it stays in the report, marked closed)."""
    a = next((a for a in document.data.assessments if a.id == assessment_id), None)
    if a is None:
        raise ModelValidationError("assessments", assessment_id, "no such record")
    actions = list(a.actions)
    i = next((i for i, x in enumerate(actions) if x.id == action_id), None)
    if i is None:
        raise ModelValidationError("Assessment.actions", action_id, "no such action")
    if actions[i].closed_on is not None:
        return Plan(document, "Close action")
    actions[i] = actions[i].model_copy(update={"closed_on": closed_on or dt.date.today(), "closing_note": note.strip()})
    closed = a.model_copy(update={"actions": actions})
    return Plan.of(document, f"Close action: {actions[i].text[:40]}", ReplaceRecord("assessments", closed))
