"""Undoable edits: one QUndoCommand per Document method.

Views push these; each ``redo``/``undo`` is one call on the Document, which validates,
changes the model and emits ``changed`` — the views redraw from that signal, never by
hand (two copies of state is NodeGraphQt's trap). Commands validate on construction by
running their first ``redo`` in ``push`` (QUndoStack calls redo on push), so a bad value
raises before anything is recorded.
"""

from osom_desktop.commands.map_commands import (
    AddElementCommand,
    MoveComponentsCommand,
    RemoveElementsCommand,
    ReplaceMapCommand,
    UpdateElementCommand,
    UpdateMapSettingsCommand,
)
from osom_desktop.commands.service_commands import (
    AddRecordCommand,
    RemoveRecordCommand,
    ReplaceRecordCommand,
    UpdateContractCommand,
    UpdateServiceCommand,
)
from osom_desktop.commands.stack import push, try_push

__all__ = [
    "AddElementCommand",
    "AddRecordCommand",
    "MoveComponentsCommand",
    "RemoveElementsCommand",
    "RemoveRecordCommand",
    "ReplaceMapCommand",
    "ReplaceRecordCommand",
    "UpdateContractCommand",
    "UpdateElementCommand",
    "UpdateMapSettingsCommand",
    "UpdateServiceCommand",
    "push",
    "try_push",
]
