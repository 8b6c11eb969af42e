"""Why an operation will not go ahead as asked: typed, so a view knows what to ask.

Every refusal is an ``OperationRefused`` (an ``OsomError``: one line, never a
traceback). Most carry what the person must supply, and ``keyword`` names the
argument of the operation that takes it: the view asks (a reason dialog, an
assessment dialog, a Yes/No question) and calls the same operation again with that
argument. Nothing has changed when a refusal is raised.
"""

from __future__ import annotations

from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import LifecycleStage


class OperationRefused(OsomError):
    """Base: the operation did nothing; ``keyword`` (if any) takes the answer."""

    keyword: str = ""


class ReasonRequired(OperationRefused):
    """A live service's contract changes only with a recorded reason (OSOM: contracts
    change sparingly). ``summary`` says what would change; answer with a ``Reason``."""

    keyword = "reason"

    def __init__(self, summary: str) -> None:
        self.summary = summary
        super().__init__(f"a reason is required to change a live service's contract: {summary.splitlines()[0]}")


class AssessmentRequired(OperationRefused):
    """A service moves forward through its lifecycle only through an assessment of that
    move; answer with the ``Assessment``."""

    keyword = "assessment"

    def __init__(self, from_stage: LifecycleStage, to_stage: LifecycleStage) -> None:
        self.from_stage = from_stage
        self.to_stage = to_stage
        super().__init__(f"moving from {from_stage.value} to {to_stage.value} needs an assessment")


class Question(OperationRefused):
    """A Yes/No the person must answer; ``title`` and ``question`` are shown as they are."""

    default_yes = True

    def __init__(self, title: str, question: str) -> None:
        self.title = title
        self.question = question
        super().__init__(question.splitlines()[0])


class ConfirmationRequired(Question):
    """Yes goes ahead (``confirmed=True``); No cancels the operation."""

    keyword = "confirmed"
    default_yes = False


class Offer(Question):
    """Yes adds something more to the same step, No goes ahead without it; ``keyword``
    names the argument that takes True or False."""

    def __init__(self, title: str, question: str, keyword: str) -> None:
        super().__init__(title, question)
        self.keyword = keyword
