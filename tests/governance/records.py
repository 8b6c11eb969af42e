"""A service document holding every governance record, for round trips and packs."""

from __future__ import annotations

import datetime as dt

from osom_desktop.model.service import (
    Assessment,
    AssessmentAction,
    AssessmentKind,
    AssessmentOutcome,
    CoEStatus,
    CorrectionOfError,
    CorrectiveAction,
    CorrectiveActionStatus,
    CriterionResult,
    LifecycleStage,
    MandateRecord,
    MandateStatus,
    ServiceDocument,
    UnmetNeed,
)

HOSTILE = "<script>alert('x')</script> & \"quotes\" \x0b\u202e"


def governed_document(text: str = "") -> ServiceDocument:
    """``text`` goes into every free-text field (hostile text for the pack tests)."""
    doc = ServiceDocument()
    doc.service.name = "Notifications" + text
    doc.service.manager = "Mo Manager"
    doc.service.lifecycle = LifecycleStage.BETA
    doc.assessments.append(
        Assessment(
            id="asm1",
            date=dt.date(2026, 1, 10),
            kind=AssessmentKind.TRANSITION,
            from_stage=LifecycleStage.ALPHA,
            to_stage=LifecycleStage.BETA,
            outcome=AssessmentOutcome.MET_WITH_CONDITIONS,
            assessors=["Ada Assessor" + text],
            notes="Overall fine" + text,
            scale="red-amber-green",
            stage_outcome="progress to beta",
            results=[
                CriterionResult(criterion_id="users", criteria_set="osom-common", title="Understand users" + text,
                                decision="green", done_well="Research" + text, to_improve=""),
                CriterionResult(criterion_id="reliable", criteria_set="osom-common", title="Operate reliably",
                                decision="amber", done_well="", to_improve="On-call rota" + text),
            ],
            actions=[
                AssessmentAction(id="act1", text="Set up on-call" + text, owner="Mo" + text, due=dt.date(2026, 4, 10),
                                 criterion_id="reliable"),
                AssessmentAction(id="act2", text="Write runbook", owner="Mo", due=dt.date(2026, 2, 1),
                                 closed_on=dt.date(2026, 1, 30), closing_note="done"),
            ],
        )
    )
    doc.coes.append(
        CorrectionOfError(
            id="coe1", title="Outage on 3 March" + text, author="Mo Manager", written_on=dt.date(2026, 3, 4),
            problem="Messages stopped" + text, impact="2 hours" + text, root_cause="Expired certificate" + text,
            supporting_data="Logs" + text, tradeoffs_made="Speed over checks" + text,
            tradeoffs_to_avoid="Manual renewal" + text, lessons="Automate" + text,
            doctrine_helped="Know the details" + text, doctrine_hurt="Manage failure" + text,
            actions=[CorrectiveAction(text="Auto-renew" + text, status=CorrectiveActionStatus.DONE, date=dt.date(2026, 3, 5)),
                     CorrectiveAction(text="Alert on expiry", status=CorrectiveActionStatus.PLANNED)],
            status=CoEStatus.PUBLISHED, published_on=dt.date(2026, 3, 6),
        )
    )
    doc.mandates.append(
        MandateRecord(id="M-1", title="Use the shared identity service" + text, text="By Q2" + text,
                      issued=dt.date(2026, 1, 1), due=dt.date(2026, 2, 1), components=["Login" + text, "Users"],
                      status=MandateStatus.ACKNOWLEDGED, response="Working on it" + text,
                      responded_on=dt.date(2026, 1, 5))
    )
    doc.unmet_needs.append(
        UnmetNeed(id="need1", need="Send by post" + text, asked_by="Residents" + text, noted_on=dt.date(2026, 2, 2),
                  note="Not in contract" + text)
    )
    return doc
