"""The governance loop's rules, headless: assessment reports, actions, CoEs, mandates,
unmet needs, and the findings they raise."""

from __future__ import annotations

import datetime as dt

import pytest

from osom_desktop.analysis.governance import governance_findings
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.governance import parse_mandates, shipped_sets
from osom_desktop.model import Document, LifecycleStage
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    AssessmentOutcome,
    CoEStatus,
    CorrectionOfError,
    CorrectiveAction,
    CriterionResult,
    MandateStatus,
)
from osom_desktop.operations.assessments import (
    CriteriaMissing,
    DecisionOffScale,
    ResultContradicted,
    add_months,
    close_action,
    move_with_report,
    open_actions,
    record_report,
    template_results,
)
from osom_desktop.operations.coe import CoERefused, edit_coe, propose_guidance, publish_coe, review_coe, write_coe
from osom_desktop.operations.mandates import MandateRefused, note_unmet_need, respond_to_mandate, take_mandates
from osom_desktop.operations.refusals import AssessmentRequired
from tests.operations.conftest import make_document

SETS = shipped_sets()
DAY = dt.date(2026, 3, 31)


def transition(frm: LifecycleStage, to: LifecycleStage, outcome: AssessmentOutcome = AssessmentOutcome.MET,
               results: list[CriterionResult] | None = None) -> Assessment:
    a = Assessment(date=DAY, kind=AssessmentKind.TRANSITION, from_stage=frm, to_stage=to, outcome=outcome,
                   stage_outcome="progress to beta" if to is LifecycleStage.BETA else "")
    return a.model_copy(update={"results": template_results(SETS, a) if results is None else results})


def test_a_transition_cannot_be_recorded_without_the_criteria_that_apply_to_it(beta: Document) -> None:
    doc = make_document(LifecycleStage.ALPHA)
    full = transition(LifecycleStage.ALPHA, LifecycleStage.BETA)
    # alpha -> beta: OSOM common (10) + technical (3) + UK Service Standard (14).
    assert len(full.results) == 27
    partial = full.model_copy(update={"results": full.results[:-1]})
    with pytest.raises(CriteriaMissing, match="no decision on 1 criteria .*uk-service-standard/14"):
        record_report(doc, partial, SETS)
    with pytest.raises(CriteriaMissing):
        move_with_report(doc, LifecycleStage.BETA, SETS, assessment=partial)
    assert doc.data.assessments == [] and doc.data.service.lifecycle is LifecycleStage.ALPHA
    with pytest.raises(AssessmentRequired):
        move_with_report(doc, LifecycleStage.BETA, SETS)
    move_with_report(doc, LifecycleStage.BETA, SETS, assessment=full).apply()
    assert doc.data.service.lifecycle is LifecycleStage.BETA
    assert doc.data.assessments[0].scale == "red-amber-green"


def test_a_decision_off_its_sets_scale_is_refused() -> None:
    doc = make_document(LifecycleStage.ALPHA)
    a = transition(LifecycleStage.ALPHA, LifecycleStage.BETA)
    results = [r.model_copy(update={"decision": "4"}) if r.criteria_set == "uk-service-standard" else r for r in a.results]
    with pytest.raises(DecisionOffScale, match="'4' is not on the scale of UK Service Standard"):
        record_report(doc, a.model_copy(update={"results": results}), SETS, move=False)


def test_met_overall_is_refused_while_a_criterion_is_not_met() -> None:
    doc = make_document(LifecycleStage.ALPHA)
    a = transition(LifecycleStage.ALPHA, LifecycleStage.BETA)
    results = [r.model_copy(update={"decision": "not met"}) if r.criterion_id == "open-code" else r for r in a.results]
    with pytest.raises(ResultContradicted, match="open-code"):
        record_report(doc, a.model_copy(update={"results": results}), SETS, move=False)


def test_stage_outcome_must_be_one_osom_gives_for_the_move() -> None:
    doc = make_document(LifecycleStage.ALPHA)
    a = transition(LifecycleStage.ALPHA, LifecycleStage.BETA).model_copy(update={"stage_outcome": "progress to alpha"})
    with pytest.raises(ModelValidationError, match="progress to beta"):
        record_report(doc, a, SETS, move=False)


def test_amber_gets_an_action_due_in_three_months_that_stays_open_and_becomes_overdue() -> None:
    doc = make_document(LifecycleStage.ALPHA)
    a = transition(LifecycleStage.ALPHA, LifecycleStage.BETA, AssessmentOutcome.MET_WITH_CONDITIONS)
    results = [r.model_copy(update={"decision": "amber", "to_improve": "Rota for nights"}) if r.criterion_id == "reliable"
               else r for r in a.results]
    record_report(doc, a.model_copy(update={"results": results}), SETS, move=False).apply()
    recorded = doc.data.assessments[0]
    [action] = recorded.actions
    assert (action.text, action.owner, action.due, action.criterion_id) == ("Rota for nights", "Ann", dt.date(2026, 6, 30), "reliable")
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    # Open until closed: it comes back at the next assessment, and is a finding once overdue.
    assert [x.id for _a, x in open_actions(doc.data.assessments)] == [action.id]
    assert not [f for f in governance_findings(doc.data, dt.date(2026, 6, 30)) if f.code == "action-overdue"]
    overdue = [f for f in check_document(doc.data, today=dt.date(2026, 7, 1)) if f.code == "action-overdue"]
    assert len(overdue) == 1 and "Rota for nights" in overdue[0].message
    close_action(doc, recorded.id, action.id, closed_on=dt.date(2026, 7, 2), note="rota in place").apply()
    assert open_actions(doc.data.assessments) == []
    assert not [f for f in check_document(doc.data, today=dt.date(2026, 8, 1)) if f.code == "action-overdue"]
    assert doc.data.assessments[0].map_snapshot is not None  # closing keeps the map it was made against


def coe(author: str = "Ann") -> CorrectionOfError:
    return CorrectionOfError(title="Outage", author=author, written_on=DAY, problem="stopped", impact="2h",
                             root_cause="expired certificate", lessons="automate renewals",
                             actions=[CorrectiveAction(text="auto-renew")])


def test_coe_goes_draft_published_reviewed_and_its_author_cannot_review_it(live: Document) -> None:
    c = coe()
    write_coe(live, c.model_copy(update={"status": CoEStatus.REVIEWED})).apply()
    assert live.data.coes[0].status is CoEStatus.DRAFT
    with pytest.raises(CoERefused, match="draft"):
        review_coe(live, c.id, reviewer="Exec", outcome="ok", on=DAY)
    publish_coe(live, c.id, on=DAY).apply()
    assert [f.code for f in governance_findings(live.data, DAY)] == ["coe-awaiting-review"]
    with pytest.raises(CoERefused, match="wrote this CoE and cannot review it"):
        review_coe(live, c.id, reviewer="  ann ", outcome="fine", on=DAY)
    with pytest.raises(CoERefused, match="outcome"):
        review_coe(live, c.id, reviewer="Exec", outcome=" ", on=DAY)
    review_coe(live, c.id, reviewer="Exec", outcome="Actions agreed", on=DAY).apply()
    done = live.data.coes[0]
    assert (done.status, done.reviewed_by, done.reviewed_on) == (CoEStatus.REVIEWED, "Exec", DAY)
    with pytest.raises(CoERefused, match="no longer edited"):
        edit_coe(live, done.model_copy(update={"lessons": "rewritten"}))


def test_a_coe_is_published_only_with_problem_impact_root_cause_and_an_action(live: Document) -> None:
    c = coe().model_copy(update={"root_cause": "", "actions": []})
    write_coe(live, c).apply()
    with pytest.raises(CoERefused, match="without the root cause, a corrective action"):
        publish_coe(live, c.id)


def test_propose_guidance_drafts_an_item_citing_the_coe(live: Document) -> None:
    c = coe()
    with pytest.raises(CoERefused):
        propose_guidance(c, "Tea Shop")
    published = c.model_copy(update={"status": CoEStatus.PUBLISHED, "published_on": DAY})
    item = propose_guidance(published, "Tea Shop", taken_ids=["COE-OUTAGE"])
    assert item.id == "COE-OUTAGE-2"
    assert "automate renewals" in item.text
    assert f"Correction of Error 'Outage' (Tea Shop, 2026-03-31, id {c.id})" == item.source


MANDATES = parse_mandates("""
[[mandate]]
id = "M-1"
title = "Use shared print"
issued = 2026-01-01
due = 2026-03-01
services = ["tea shop"]
components = ["Cup of Tea"]

[[mandate]]
id = "M-2"
title = "Not for us"
issued = 2026-01-01
services = ["Other"]
""")


def test_mandates_addressed_to_the_service_are_taken_answered_and_found_when_overdue(live: Document) -> None:
    take_mandates(live, MANDATES).apply()
    assert [m.id for m in live.data.mandates] == ["M-1"]
    assert not take_mandates(live, MANDATES)  # already held: nothing to do
    codes = [f.code for f in governance_findings(live.data, dt.date(2026, 2, 1))]
    assert codes == ["mandate-open"]
    assert [f.code for f in governance_findings(live.data, dt.date(2026, 3, 2))] == ["mandate-overdue"]
    with pytest.raises(MandateRefused, match="reason"):
        respond_to_mandate(live, "M-1", MandateStatus.DISPUTED, " ")
    respond_to_mandate(live, "M-1", MandateStatus.DISPUTED, "Print is not ready").apply()
    assert [f.code for f in governance_findings(live.data, dt.date(2026, 3, 2))] == ["mandate-overdue"]
    respond_to_mandate(live, "M-1", MandateStatus.DONE, "moved", on=dt.date(2026, 3, 3)).apply()
    assert governance_findings(live.data, dt.date(2026, 4, 1)) == []


def test_unmet_needs_are_noted_once_and_are_findings(live: Document) -> None:
    note_unmet_need(live, "Send by post", asked_by="Residents", on=DAY).apply()
    with pytest.raises(MandateRefused, match="already recorded"):
        note_unmet_need(live, "send  by POST")
    assert [f.code for f in governance_findings(live.data, DAY)] == ["unmet-need"]
