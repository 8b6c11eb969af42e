"""The lifecycle moves forward only through an assessment; each assessment keeps the map."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from osom_desktop.model import Assessment, AssessmentKind, AssessmentOutcome, Document, LifecycleStage, ModelValidationError
from osom_desktop.operations import (
    AssessmentRequired,
    ConfirmationRequired,
    Offer,
    edit_assessment,
    move_lifecycle,
    record_assessment,
    remove_assessment,
)

DAY = dt.date(2026, 6, 1)


def transition(a: LifecycleStage, b: LifecycleStage, outcome: AssessmentOutcome = AssessmentOutcome.MET) -> Assessment:
    return Assessment(date=DAY, kind=AssessmentKind.TRANSITION, from_stage=a, to_stage=b, outcome=outcome)


def test_moving_forward_needs_the_assessment_of_that_move(beta: Document) -> None:
    with pytest.raises(AssessmentRequired) as refused:
        move_lifecycle(beta, LifecycleStage.LIVE)
    assert (refused.value.from_stage, refused.value.to_stage, refused.value.keyword) == (
        LifecycleStage.BETA, LifecycleStage.LIVE, "assessment")
    with pytest.raises(ModelValidationError, match="from beta to live"):
        move_lifecycle(beta, LifecycleStage.LIVE, assessment=transition(LifecycleStage.ALPHA, LifecycleStage.BETA))


def test_a_met_assessment_moves_the_service_and_keeps_the_map(beta: Document) -> None:
    before = copy.deepcopy(beta.data)
    plan = move_lifecycle(beta, LifecycleStage.LIVE, assessment=transition(LifecycleStage.BETA, LifecycleStage.LIVE))
    assert plan.text == "Move to live (assessed)"
    plan.apply()
    assert beta.data.service.lifecycle is LifecycleStage.LIVE
    [a] = beta.data.assessments
    assert a.map_snapshot == before.map and a.map_snapshot is not beta.map  # a copy
    plan.revert()
    assert beta.data == before


def test_not_met_records_the_assessment_and_keeps_the_stage(beta: Document) -> None:
    plan = move_lifecycle(beta, LifecycleStage.LIVE,
                          assessment=transition(LifecycleStage.BETA, LifecycleStage.LIVE, AssessmentOutcome.NOT_MET))
    plan.apply()
    assert beta.data.service.lifecycle is LifecycleStage.BETA and len(beta.data.assessments) == 1
    assert plan.notice == "Assessment recorded as not met: Tea Shop stays in beta"


def test_moving_back_needs_confirmation_not_an_assessment(live: Document) -> None:
    with pytest.raises(ConfirmationRequired) as refused:
        move_lifecycle(live, LifecycleStage.BETA)
    assert "Move Tea Shop back from Live to Beta?" in refused.value.question
    move_lifecycle(live, LifecycleStage.BETA, confirmed=True).apply()
    assert live.data.service.lifecycle is LifecycleStage.BETA and live.data.assessments == []


def test_moving_to_the_stage_it_is_in_changes_nothing(live: Document) -> None:
    assert not move_lifecycle(live, LifecycleStage.LIVE)


def test_a_met_transition_recorded_on_its_own_offers_its_move(beta: Document) -> None:
    a = transition(LifecycleStage.BETA, LifecycleStage.LIVE, AssessmentOutcome.MET_WITH_CONDITIONS)
    with pytest.raises(Offer) as offered:
        record_assessment(beta, a)
    assert offered.value.keyword == "move" and "met with conditions" in offered.value.question
    record_assessment(beta, a, move=False).apply()
    assert beta.data.service.lifecycle is LifecycleStage.BETA and beta.data.assessments[0].map_snapshot == beta.map


def test_yes_to_the_move_is_one_plan(beta: Document) -> None:
    plan = record_assessment(beta, transition(LifecycleStage.BETA, LifecycleStage.LIVE), move=True)
    assert len(plan.edits) == 2
    plan.apply()
    assert beta.data.service.lifecycle is LifecycleStage.LIVE


def test_a_periodic_or_not_met_assessment_offers_nothing(live: Document, beta: Document) -> None:
    record_assessment(live, Assessment(date=DAY, kind=AssessmentKind.PERIODIC, outcome="met")).apply()
    record_assessment(beta, transition(LifecycleStage.BETA, LifecycleStage.LIVE, AssessmentOutcome.NOT_MET)).apply()
    assert len(live.data.assessments) == len(beta.data.assessments) == 1


def test_a_transition_names_the_stage_it_moves_to(beta: Document) -> None:
    with pytest.raises(ModelValidationError, match="needs the stage it moves to"):
        record_assessment(beta, Assessment(date=DAY, kind="transition", from_stage="beta", outcome="met"))
    with pytest.raises(ModelValidationError, match="must differ"):
        record_assessment(beta, transition(LifecycleStage.BETA, LifecycleStage.BETA))


def test_editing_keeps_the_map_it_was_made_against_and_remove_undoes(live: Document) -> None:
    record_assessment(live, Assessment(date=DAY, kind="periodic", outcome="met")).apply()
    kept = live.data.assessments[0]
    live.update_element("cup", name="Mug")  # the map moves on
    edited = kept.model_copy(update={"notes": "fine", "map_snapshot": None})
    edit_assessment(live, edited).apply()
    assert live.data.assessments[0].notes == "fine" and live.data.assessments[0].map_snapshot == kept.map_snapshot
    assert not edit_assessment(live, live.data.assessments[0])  # no change
    before = copy.deepcopy(live.data)
    plan = remove_assessment(live, kept.id)
    plan.apply()
    assert live.data.assessments == []
    plan.revert()
    assert live.data == before
