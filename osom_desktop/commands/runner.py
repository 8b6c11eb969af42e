"""The one way an edit reaches the undo stack: ``run`` records a Plan as one step.

An operation (``osom_desktop.operations``) decides what to change and returns a Plan
of Document edits; ``run`` makes them all, and only then records them, as a single
QUndoCommand, so a person undoes a contract change and its ContractChange, or an
assessment and the move it allowed, as one thing. QUndoStack.push would call redo
itself and could not take it back if redo raised, so the plan is applied first (a
refused edit undoes the ones before it: nothing changed, nothing recorded) and the
push's own redo is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from osom_desktop.model.document import Document
from osom_desktop.model.errors import OsomError, user_message
from osom_desktop.operations.plan import Plan


class PlanCommand(QUndoCommand):
    """A Plan on the undo stack: redo applies every edit, undo reverts them all."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(plan.text)
        self.plan = plan
        self._skip_next_redo = False

    @property
    def document(self) -> Document:
        return self.plan.document

    def redo(self) -> None:
        if self._skip_next_redo:  # ``run`` has applied it already
            self._skip_next_redo = False
            return
        self.plan.apply()

    def undo(self) -> None:
        self.plan.revert()


def run(stack: QUndoStack, work: Plan | PlanCommand, report: Callable[[str], None] | None = None) -> bool:
    """Make ``work``'s edits and record them as one undo step. True when recorded.

    An empty plan (the operation found nothing to change) records nothing and is
    False. A refused edit (an ``OsomError``: one line naming the field) leaves the
    document and the stack as they were; it is raised, or handed to ``report`` (a
    view's status bar or error signal) when one is given.
    """
    command = work if isinstance(work, PlanCommand) else PlanCommand(work)
    if not command.plan:
        return False
    try:
        command.redo()
    except OsomError as exc:
        if report is None:
            raise
        report(user_message(exc))
        return False
    command._skip_next_redo = True
    stack.push(command)
    return True
