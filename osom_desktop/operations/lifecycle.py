"""The lifecycle and assessments: OSOM moves a service forward only through an
assessment of that move, and each assessment keeps the map as it was.

Moving forward asks for the assessment (AssessmentRequired); "not met" records it
and leaves the service where it is. Moving back needs no assessment but is confirmed
first (the executive will want to know why). A met transition assessment recorded
on its own offers the move it assessed.
"""

from __future__ import annotations

import copy

from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import Assessment, AssessmentKind, AssessmentOutcome, LifecycleStage
from osom_desktop.operations.edits import AddRecord, Edit, RemoveRecord, ReplaceRecord, UpdateService
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import AssessmentRequired, ConfirmationRequired, Offer
from osom_desktop.operations.wording import LIFECYCLE_LABELS

OUTCOME_WORDS = {
    AssessmentOutcome.MET: "met",
    AssessmentOutcome.MET_WITH_CONDITIONS: "met with conditions",
    AssessmentOutcome.NOT_MET: "not met",
}


def check_assessment(a: Assessment) -> Assessment:
    """A transition assessment names the stage it moves to, different from the one it
    moves from; a periodic one names no stages. Refused on the field otherwise."""
    if a.kind is AssessmentKind.TRANSITION:
        if a.to_stage is None:
            raise ModelValidationError("Assessment.to_stage", None, "a transition assessment needs the stage it moves to")
        if a.from_stage is not None and a.from_stage == a.to_stage:
            raise ModelValidationError("Assessment.to_stage", a.to_stage.value,
                                       "the stage it moves to must differ from the stage it moves from")
    elif a.from_stage is not None or a.to_stage is not None:
        a = a.model_copy(update={"from_stage": None, "to_stage": None})
    return a


def with_map(document: Document, a: Assessment) -> Assessment:
    """The assessment keeping the map as it is now (a copy: later edits must not reach it)."""
    return a.model_copy(update={"map_snapshot": copy.deepcopy(document.map)})


def move_lifecycle(document: Document, target: LifecycleStage, *, assessment: Assessment | None = None,
                   confirmed: bool = False) -> Plan:
    """Move the service to ``target``. Forward: AssessmentRequired, then the assessment
    and (unless not met) the move as one step. Back: ConfirmationRequired."""
    service = document.data.service
    current = service.lifecycle
    if target is current:
        return Plan(document, f"Move to {target.value}")
    if target.rank < current.rank:
        if not confirmed:
            raise ConfirmationRequired(
                "Move the service back",
                f"Move {service.name} back from {LIFECYCLE_LABELS[current]} to {LIFECYCLE_LABELS[target]}?\n\n"
                "Moving back needs no assessment, but the executive will want to know why.",
            )
        return Plan.of(document, f"Move back to {target.value}", UpdateService({"lifecycle": target}))
    if assessment is None:
        raise AssessmentRequired(current, target)
    assessment = check_assessment(assessment)
    if (assessment.kind, assessment.from_stage, assessment.to_stage) != (AssessmentKind.TRANSITION, current, target):
        raise ModelValidationError("Assessment.to_stage", assessment.to_stage,
                                   f"the move needs the transition assessment from {current.value} to {target.value}")
    edits: list[Edit] = [AddRecord("assessments", with_map(document, assessment))]
    if assessment.outcome is AssessmentOutcome.NOT_MET:
        return Plan(document, f"Assessment {current.value} → {target.value} (not met)", edits,
                    notice=f"Assessment recorded as not met: {service.name} stays in {LIFECYCLE_LABELS[current].lower()}")
    edits.append(UpdateService({"lifecycle": target}))
    return Plan(document, f"Move to {target.value} (assessed)", edits)


def next_stage(stage: LifecycleStage) -> LifecycleStage | None:
    following = [s for s in LifecycleStage if s.rank == stage.rank + 1]
    return following[0] if following else None


def assessment_due_kind(document: Document) -> AssessmentKind:
    """Once live a service is assessed periodically; before that, for its next move."""
    return AssessmentKind.PERIODIC if document.data.service.lifecycle is LifecycleStage.LIVE else AssessmentKind.TRANSITION


def record_assessment(document: Document, assessment: Assessment, *, move: bool | None = None) -> Plan:
    """Record an assessment (keeping the map). A met transition assessment from the
    stage the service is in Offers its move (``move``); with Yes the assessment and the
    move are one step."""
    assessment = with_map(document, check_assessment(assessment))
    edits: list[Edit] = [AddRecord("assessments", assessment)]
    service = document.data.service
    a = assessment
    offers_move = (a.kind is AssessmentKind.TRANSITION and a.outcome is not AssessmentOutcome.NOT_MET
                   and a.to_stage is not None and a.from_stage is service.lifecycle and a.to_stage is not service.lifecycle)
    # (from_stage is the service's lifecycle, so never None; said again for the types.)
    if offers_move and a.from_stage is not None and a.to_stage is not None:
        if move is None:
            raise Offer(
                "Move the service",
                f"The assessment was {OUTCOME_WORDS[a.outcome]}. Move {service.name} from "
                f"{LIFECYCLE_LABELS[a.from_stage]} to {LIFECYCLE_LABELS[a.to_stage]} now?",
                keyword="move",
            )
        if move:
            edits.append(UpdateService({"lifecycle": a.to_stage}))
            return Plan(document, f"Move to {a.to_stage.value} (assessed)", edits)
    return Plan(document, "Record assessment", edits)


def _assessment(document: Document, assessment_id: str) -> Assessment:
    found = next((a for a in document.data.assessments if a.id == assessment_id), None)
    if found is None:
        raise ModelValidationError("assessments", assessment_id, "no such record")
    return found


def edit_assessment(document: Document, assessment: Assessment) -> Plan:
    """Change a recorded assessment; it keeps the map it was made against."""
    old = _assessment(document, assessment.id)
    new = check_assessment(assessment).model_copy(update={"map_snapshot": old.map_snapshot})
    if new == old:
        return Plan(document, "Edit assessment")
    return Plan.of(document, "Edit assessment", ReplaceRecord("assessments", new))


def remove_assessment(document: Document, assessment_id: str) -> Plan:
    a = _assessment(document, assessment_id)
    return Plan.of(document, f"Remove assessment of {a.date}", RemoveRecord("assessments", a.id))
