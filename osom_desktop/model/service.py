"""The service, its eight-point contract, guidance decisions and assessments.

These are pydantic models: there are few of them, people type into them, and a clear
validation message naming the field and the value matters more than speed.
"""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from osom_desktop.model.factories import new_list
from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import WardleyMap

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LifecycleStage(StrEnum):
    DISCOVERY = "discovery"
    ALPHA = "alpha"
    BETA = "beta"
    LIVE = "live"
    RETIRED = "retired"

    @property
    def rank(self) -> int:
        return list(LifecycleStage).index(self)


class EvolutionStage(StrEnum):
    GENESIS = "genesis"
    CUSTOM = "custom-built"
    PRODUCT = "product"  # (+rental)
    COMMODITY = "commodity"  # (+utility)

    @property
    def rank(self) -> int:
        return list(EvolutionStage).index(self)


class MeasureDirection(StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    ON_TARGET = "target"


class DecisionStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class AssessmentKind(StrEnum):
    TRANSITION = "transition"  # discovery->alpha, alpha->beta, beta->live, live->retired
    PERIODIC = "periodic"  # regular assessment once live


class AssessmentOutcome(StrEnum):
    MET = "met"
    MET_WITH_CONDITIONS = "met with conditions"
    NOT_MET = "not met"


class _Model(BaseModel):
    # validate_assignment: an edit that sets a bad value fails with the field's name.
    # extra="forbid": a field we do not know is an error, not silently dropped data.
    # allow_inf_nan=False: NaN cannot be stored in SQLite nor compared as a target.
    model_config = ConfigDict(validate_assignment=True, extra="forbid", use_enum_values=False, allow_inf_nan=False)


class Service(_Model):
    id: str = Field(default_factory=new_id)
    name: Name = "Untitled service"
    manager: str = ""
    lifecycle: LifecycleStage = LifecycleStage.DISCOVERY


class RecordedValue(_Model):
    date: dt.date
    value: float
    note: str = ""


class RecordingFrequency(StrEnum):
    """How often a measure should be recorded; a value older than this is overdue."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def days(self) -> int:
        # Calendar months vary; the longest of each period, so a value recorded on the
        # last day of a long month is not called overdue early.
        return {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366}[self.value]


class Measure(_Model):
    """Contract point 6: a named measure with a target, and values recorded over time."""

    id: str = Field(default_factory=new_id)
    name: Name
    unit: str = ""
    target: float | None = None
    direction: MeasureDirection = MeasureDirection.HIGHER_IS_BETTER
    values: list[RecordedValue] = Field(default_factory=new_list)
    # None: no promise of how often (never overdue).
    frequency: RecordingFrequency | None = None
    # A cost measure records money spent in each period (its unit is the currency); spend
    # against the service's budgets sums it.
    cost: bool = False


class Budget(_Model):
    """Money the executive allocates to a service for a period (start and end included)."""

    id: str = Field(default_factory=new_id)
    start: dt.date
    end: dt.date
    amount: float = Field(ge=0)
    unit: str = ""  # the currency, matched against the cost measure's unit
    allocated_by: str = ""
    note: str = ""


class Dependency(_Model):
    """Contract point 8: another service this one depends on.

    ``service_id`` is that service's stable id when its file is known; a dependency on
    a service outside the network (or not yet mapped) has only a name.
    """

    id: str = Field(default_factory=new_id)
    service_name: Name
    service_id: str | None = None
    description: str = ""


class Contract(_Model):
    """The service contract, point by point (lifecycle, point 2, lives on ``Service``)."""

    purpose: str = ""  # 1. what the service is ...
    user_needs: list[str] = Field(default_factory=new_list)  # 1. ... and the needs it meets
    evolution_stage: EvolutionStage | None = None  # 3.
    usage: str = ""  # 4. channels, interfaces, who may consume it
    expectations_success: str = ""  # 5. service levels a customer can expect
    expectations_failure: str = ""  # 5. what happens when it fails
    measures: list[Measure] = Field(default_factory=new_list)  # 6.
    help: str = ""  # 7. how to get help when it is not performing
    dependencies: list[Dependency] = Field(default_factory=new_list)  # 8.


class ContractChange(_Model):
    """OSOM asks the executive to alter contracts sparingly: live changes are recorded."""

    id: str = Field(default_factory=new_id)
    date: dt.date
    reason: str
    summary: str
    author: str = ""


class GuidanceItem(_Model):
    """One item of published guidance, as the executive's catalogue gives it."""

    id: Name
    version: str = "1"
    title: Name
    text: str = ""
    source: str = ""
    published: dt.date | None = None


class GuidanceDecision(_Model):
    """This service's decision on a guidance item.

    ``guidance`` is a snapshot of the item as it was when decided, so a later catalogue
    version cannot rewrite what was rejected.
    """

    id: str = Field(default_factory=new_id)
    guidance: GuidanceItem
    status: DecisionStatus
    reason: str = ""
    alternative: str = ""
    accepted_risk: str = ""
    decided_by: str = ""
    decided_on: dt.date
    review_by: dt.date | None = None


class CriterionResult(_Model):
    """One criterion of an assessment report: the decision on its set's scale, what the
    team did well and what it must improve (OSOM's service assessment report).

    The criterion's title and its set are copied in, so a later catalogue cannot
    rewrite what was assessed (as guidance decisions keep their item).
    """

    criterion_id: Name
    criteria_set: str = ""
    title: str = ""
    decision: Name  # a value of the set's scale (checked against it when recorded)
    done_well: str = ""
    to_improve: str = ""


class AssessmentAction(_Model):
    """Something the team must do after an assessment: open until closed, a finding
    once past its due date, shown again at the next assessment."""

    id: str = Field(default_factory=new_id)
    text: Name
    owner: str = ""
    due: dt.date
    criterion_id: str = ""  # the criterion it answers, if any
    closed_on: dt.date | None = None
    closing_note: str = ""


class Assessment(_Model):
    # Built on first use, not at import: its map snapshot makes its schema the costliest
    # after ServiceDocument's (~12 ms to generate the map's dataclasses), which holds it
    # too. The loader validates assessment rows through ServiceDocument's validator, so
    # the map's schema is generated once per ``osom check`` process (issue 11).
    model_config = ConfigDict(defer_build=True)

    id: str = Field(default_factory=new_id)
    date: dt.date
    kind: AssessmentKind
    from_stage: LifecycleStage | None = None
    to_stage: LifecycleStage | None = None
    outcome: AssessmentOutcome
    assessors: list[str] = Field(default_factory=new_list)
    notes: str = ""
    # OSOM's report (schema version 4; empty for older assessments): the scale the
    # decisions are on, one result per criterion, the stage-specific outcome
    # ("progress to alpha"), and the actions the team must take.
    scale: str = ""
    results: list[CriterionResult] = Field(default_factory=new_list)
    stage_outcome: str = ""
    actions: list[AssessmentAction] = Field(default_factory=new_list)
    map_revision: int | None = None  # the document revision current at the assessment
    # The map as it was when the assessment was recorded (a copy, never the live map).
    # Why: the file keeps each revision's metadata, not old maps, so without this the
    # governance pack could not show "what changed on the map since the last
    # assessment". None for assessments recorded before snapshots were kept (files of
    # schema version 1) and for ones made without a map to hand.
    map_snapshot: WardleyMap | None = None


class CoEStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REVIEWED = "reviewed"


class CorrectiveActionStatus(StrEnum):
    DONE = "done"
    PLANNED = "planned"


class CorrectiveAction(_Model):
    text: Name
    status: CorrectiveActionStatus = CorrectiveActionStatus.PLANNED
    date: dt.date | None = None  # when done, or when it is planned for


class CorrectionOfError(_Model):
    """A Correction of Error document: written by the service manager whenever a problem
    occurs (users need not have noticed), published, then reviewed by the executive."""

    id: str = Field(default_factory=new_id)
    title: Name
    author: str = ""
    written_on: dt.date
    problem: str = ""
    impact: str = ""
    root_cause: str = ""
    supporting_data: str = ""
    tradeoffs_made: str = ""  # the value trade-offs that led to the problem
    tradeoffs_to_avoid: str = ""
    lessons: str = ""
    doctrine_helped: str = ""  # doctrine that helped find or fix the problem
    doctrine_hurt: str = ""  # doctrine ignored, which contributed to it
    actions: list[CorrectiveAction] = Field(default_factory=new_list)
    status: CoEStatus = CoEStatus.DRAFT
    published_on: dt.date | None = None
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    review_outcome: str = ""


class MandateStatus(StrEnum):
    OPEN = "open"  # received, not yet answered
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    DISPUTED = "disputed"


class MandateRecord(_Model):
    """A mandate the executive issued to this service (a copy of it, as issued) and
    the service's response. Open until done; a finding once overdue."""

    id: Name  # the mandate's id in the executive's file
    title: Name
    text: str = ""
    issued: dt.date
    due: dt.date | None = None
    components: list[str] = Field(default_factory=new_list)  # map component names it concerns
    status: MandateStatus = MandateStatus.OPEN
    response: str = ""
    responded_on: dt.date | None = None


class UnmetNeed(_Model):
    """A need users asked for that the contract does not meet: highlighted for the
    executive, not decided alone."""

    id: str = Field(default_factory=new_id)
    need: Name
    asked_by: str = ""
    noted_on: dt.date
    note: str = ""


class Revision(_Model):
    """One save of the document: appended by storage, never edited."""

    number: int
    saved_at: dt.datetime
    author: str = ""
    summary: str = ""
    fingerprint: str = ""  # sha256 of the document's content at that save


class ServiceDocument(_Model):
    """Everything a service's ``.osom`` file holds."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid", allow_inf_nan=False)

    service: Service = Field(default_factory=Service)
    contract: Contract = Field(default_factory=Contract)
    map: WardleyMap = Field(default_factory=WardleyMap)
    decisions: list[GuidanceDecision] = Field(default_factory=new_list)
    assessments: list[Assessment] = Field(default_factory=new_list)
    contract_changes: list[ContractChange] = Field(default_factory=new_list)
    coes: list[CorrectionOfError] = Field(default_factory=new_list)
    mandates: list[MandateRecord] = Field(default_factory=new_list)
    unmet_needs: list[UnmetNeed] = Field(default_factory=new_list)
    budgets: list[Budget] = Field(default_factory=new_list)  # allocated by the executive
    revisions: list[Revision] = Field(default_factory=new_list)
