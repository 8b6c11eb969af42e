"""Pushing commands so that a refused edit leaves no trace on the undo stack."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from osom_desktop.model.errors import OsomError


def push(stack: QUndoStack, command: QUndoCommand) -> None:
    """Run ``command`` and record it; if the Document refuses the edit, record nothing.

    QUndoStack.push calls redo() itself and cannot take it back if redo raises, so we
    run redo first, then push with ``_pushed`` set to make that push's redo a no-op.
    """
    command.redo()  # raises ModelValidationError for a bad edit: nothing recorded
    command._skip_next_redo = True  # type: ignore[attr-defined]
    stack.push(command)


def try_push(stack: QUndoStack, command: QUndoCommand, report: Callable[[str], None]) -> bool:
    """``push``, with a refused edit's one-line reason handed to ``report`` (a view's
    status bar or error signal) instead of raised; True when the edit was recorded."""
    try:
        push(stack, command)
    except OsomError as exc:
        report(str(exc))
        return False
    return True


class DocumentCommand(QUndoCommand):
    """Base: skips the redo that QUndoStack.push runs when ``push`` already did it."""

    _skip_next_redo = False

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self.do()

    def do(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
