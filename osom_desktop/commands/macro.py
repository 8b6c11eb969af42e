"""Several Document edits recorded as one undo step.

A contract change on a live service is the edit plus the ContractChange that accounts
for it; a lifecycle move is the assessment plus the new stage. A person undoes such a
step as one thing, so it is pushed as one QUndoStack macro. Like ``push``, everything
runs before anything is recorded: if one edit is refused, the ones already made are
undone and the stack is left as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack

from osom_desktop.commands.stack import push


def push_all(stack: QUndoStack, text: str, commands: Sequence[QUndoCommand]) -> None:
    """Run ``commands`` in order and record them as one undo step named ``text``.

    Raises what the refused command raised (a ``ModelValidationError``) after undoing
    the commands before it; nothing is recorded then.
    """
    commands = list(commands)
    if not commands:
        return
    if len(commands) == 1:
        commands[0].setText(text)
        push(stack, commands[0])
        return
    done: list[QUndoCommand] = []
    try:
        for command in commands:
            command.redo()
            done.append(command)
    except BaseException:
        for command in reversed(done):
            command.undo()
        raise
    stack.beginMacro(text)
    try:
        for command in commands:
            command._skip_next_redo = True  # type: ignore[attr-defined] - already run above
            stack.push(command)
    finally:
        stack.endMacro()
