"""Pushing commands so that a refused edit leaves no trace on the undo stack."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack


def push(stack: QUndoStack, command: QUndoCommand) -> None:
    """Run ``command`` and record it; if the Document refuses the edit, record nothing.

    QUndoStack.push calls redo() itself and cannot take it back if redo raises, so we
    run redo first, then push with ``_pushed`` set to make that push's redo a no-op.
    """
    command.redo()  # raises ModelValidationError for a bad edit: nothing recorded
    command._skip_next_redo = True  # type: ignore[attr-defined]
    stack.push(command)


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
