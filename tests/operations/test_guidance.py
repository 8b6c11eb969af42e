"""Guidance decisions: a rejection needs its reason; a review comes after the decision."""

from __future__ import annotations

import datetime as dt

import pytest

from osom_desktop.model import DecisionStatus, Document, GuidanceItem, ModelValidationError
from osom_desktop.operations import decide_guidance, latest_decisions, remove_decision

ITEM = GuidanceItem(id="G1", version="2", title="Use the shared login")
DAY = dt.date(2026, 6, 1)


def test_a_rejection_needs_a_reason(live: Document) -> None:
    with pytest.raises(ModelValidationError, match="GuidanceDecision.reason"):
        decide_guidance(live, ITEM, DecisionStatus.REJECTED, reason="  ", decided_on=DAY)


def test_the_review_comes_after_the_decision(live: Document) -> None:
    with pytest.raises(ModelValidationError, match="review must come after"):
        decide_guidance(live, ITEM, DecisionStatus.REJECTED, reason="No", decided_on=DAY, review_by=DAY)


def test_accepting_is_made_by_the_manager_and_keeps_a_snapshot(live: Document) -> None:
    decide_guidance(live, ITEM, DecisionStatus.ACCEPTED, decided_on=DAY).apply()
    [d] = live.data.decisions
    assert (d.decided_by, d.guidance, d.status) == ("Ann", ITEM, DecisionStatus.ACCEPTED)
    assert d.guidance is not ITEM


def test_deciding_the_same_again_changes_nothing_and_the_latest_is_in_force(live: Document) -> None:
    decide_guidance(live, ITEM, DecisionStatus.ACCEPTED, decided_on=DAY).apply()
    assert not decide_guidance(live, ITEM, DecisionStatus.ACCEPTED, decided_on=DAY)
    decide_guidance(live, ITEM, DecisionStatus.REJECTED, reason="Our users have no accounts", decided_on=DAY).apply()
    assert latest_decisions(live.data.decisions)["G1"].status is DecisionStatus.REJECTED
    newer = ITEM.model_copy(update={"version": "3"})
    assert decide_guidance(live, newer, DecisionStatus.REJECTED, reason="Still no", decided_on=DAY)  # a new version


def test_removing_a_decision_reverts(live: Document) -> None:
    decide_guidance(live, ITEM, DecisionStatus.ACCEPTED, decided_on=DAY).apply()
    plan = remove_decision(live, live.data.decisions[0].id)
    plan.apply()
    assert live.data.decisions == []
    plan.revert()
    assert len(live.data.decisions) == 1


def test_a_review_is_overdue_from_the_day_after_its_date() -> None:
    from osom_desktop.analysis.review_dates import review_overdue
    from osom_desktop.model import GuidanceDecision

    rejected = GuidanceDecision(guidance=ITEM, status="rejected", reason="No", decided_on=DAY,
                                review_by=DAY + dt.timedelta(days=10))
    assert not review_overdue(rejected, DAY + dt.timedelta(days=10))
    assert review_overdue(rejected, DAY + dt.timedelta(days=11))
    accepted = rejected.model_copy(update={"status": DecisionStatus.ACCEPTED})
    assert not review_overdue(accepted, DAY + dt.timedelta(days=11))
