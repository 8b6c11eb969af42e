"""Errors a person sees: each carries one line that names the file, line or field.

``str(error)`` names a field as the model does ("GuidanceDecision.reason: ..."), which
is what ``osom`` and the logs print and what a developer greps for. The app's windows
show ``user_message(error)`` instead: the field in the words its form uses ("Reason
for rejecting: must not be empty"). The wording lives here, in one table, so every
view says the same thing about the same field.
"""

from __future__ import annotations

import re


class OsomError(Exception):
    """Base for every error we show to a user as one line (never a traceback)."""


class ModelValidationError(OsomError, ValueError):
    """A value does not fit a field: the message names the field and the value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {_shown(value)})")


def _shown(value: object, limit: int = 60) -> str:
    shown = repr(value)
    return shown[: limit - 3] + "..." if len(shown) > limit else shown


# The model's field paths ("Class.field", or the list a record is in) in the words the
# forms and panels label them with. A path not listed here is spelled out from its
# parts ("Budget.allocated_by" -> "Budget allocated by").
FIELD_WORDS: dict[str, str] = {
    # the map
    "Component.name": "Component name",
    "Component.visibility": "Visibility",
    "Component.evolution": "Evolution",
    "Component.method": "Method",
    "Component.description": "Description",
    "Component.label": "Label position",
    "Component.evolve": "Evolves to",
    "Component.provided_by": "Provided by",
    "Accelerator.name": "Accelerator name",
    "Note.text": "Note",
    "Annotation.text": "Annotation",
    "Link.source": "Link from",
    "Link.target": "Link to",
    "Link.context": "Link label",
    "WardleyMap": "Map setting",
    "component": "Component",
    "element": "Map element",
    # the service and its contract
    "Service.name": "Service name",
    "Service.manager": "Service manager",
    "Service.lifecycle": "Lifecycle stage",
    "Contract.evolution_stage": "Evolution stage",
    "Contract.user_needs": "User needs",
    "Contract.expectations_success": "What customers can expect",
    "Contract.expectations_failure": "What happens when it fails",
    "ContractChange.reason": "Reason for the change",
    "ContractChange.author": "Agreed by",
    "Measure.id": "Measure",
    "Measure.name": "Measure name",
    "Measure.unit": "Unit",
    "Measure.target": "Measure target",
    "Measure.direction": "Direction",
    "measures": "Measure",
    "RecordedValue.date": "Date",
    "RecordedValue.value": "Recorded value",
    "RecordedValue.note": "Note",
    "Budget.start": "Budget start",
    "Budget.end": "Budget end",
    "Budget.amount": "Budget amount",
    "Dependency.service_name": "Service depended on",
    "Dependency.description": "What it is depended on for",
    # guidance
    "GuidanceDecision.reason": "Reason for rejecting",
    "GuidanceDecision.alternative": "Alternative chosen",
    "GuidanceDecision.accepted_risk": "Risk accepted",
    "GuidanceDecision.decided_by": "Decided by",
    "GuidanceDecision.decided_on": "Decided on",
    "GuidanceDecision.review_by": "Review by",
    "GuidanceDecision.guidance": "Guidance",
    "decisions": "Guidance decision",
    # assessments and the governance loop
    "Assessment.date": "Assessment date",
    "Assessment.kind": "Assessment kind",
    "Assessment.from_stage": "From stage",
    "Assessment.to_stage": "Stage it moves to",
    "Assessment.outcome": "Outcome",
    "Assessment.assessors": "Assessors",
    "Assessment.notes": "Notes",
    "Assessment.actions": "Actions",
    "assessments": "Assessment",
    "CorrectionOfError.title": "Correction of error title",
    "CorrectionOfError.actions": "Corrective actions",
    "coes": "Correction of error",
    "mandates": "Mandate",
    "UnmetNeed.need": "Unmet need",
    "unmet_needs": "Unmet need",
}

# pydantic's reasons, as a person would say them; the first pattern that matches wins.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^String should have at least 1 character", "must not be empty"),
    (r"^String should have at most (\d+) characters?", r"must be at most \1 characters long"),
    (r"^Field required", "must be given"),
    (r"^Input should be a valid (number|integer)", "must be a number"),
    (r"^Input should be a valid date", "must be a date (YYYY-MM-DD)"),
    (r"^Input should be less than or equal to (\S+)", r"must be at most \1"),
    (r"^Input should be greater than or equal to (\S+)", r"must be at least \1"),
    (r"^Input should be less than (\S+)", r"must be less than \1"),
    (r"^Input should be greater than (\S+)", r"must be more than \1"),
    (r"^Input should be (.*)", r"must be \1"),
    (r"^Value error, (.*)", r"\1"),
))
# Our own "this is required" reasons: said of an empty value, "must not be empty" says it.
_REQUIRED = re.compile(r"required|needs a name|at least 1 character|say what")


def field_words(field: str) -> str:
    """A field path in the words the app's forms use ("GuidanceDecision.reason" ->
    "Reason for rejecting"); list positions ("assessors.0") are dropped."""
    parts = [p for p in field.split(".") if p and not p.isdigit()]
    for n in range(len(parts), 0, -1):  # the longest known path wins
        words = FIELD_WORDS.get(".".join(parts[:n]))
        if words is not None:
            return words
    if not parts:
        return "Value"
    spelled = [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", p).replace("_", " ") for p in parts[-2:]]
    text = " ".join(spelled).lower()
    return text[:1].upper() + text[1:]


def reason_words(reason: str, value: object = None) -> str:
    """A reason as a person would say it."""
    if isinstance(value, str) and not value.strip() and _REQUIRED.search(reason):
        return "must not be empty"
    for pattern, words in _REASONS:
        if pattern.match(reason):
            return pattern.sub(words, reason, count=1)
    return reason


def user_message(error: BaseException) -> str:
    """The one line a window shows for ``error``: a model error names its field as the
    form does, with the value given when it helps; anything else is its own text."""
    if not isinstance(error, ModelValidationError):
        return " ".join(str(error).split())
    reason = reason_words(error.reason, error.value)
    value = error.value
    blank = value is None or (isinstance(value, str) and not value.strip())
    if blank or reason == "must not be empty" or isinstance(value, (dict, list, tuple)):
        return f"{field_words(error.field)}: {reason}"
    return f"{field_words(error.field)}: {reason} ({_shown(value)})"
