"""Recording edits on the undo stack: ``run`` is the one way.

An operation (``osom_desktop.operations``) checks OSOM's rules and returns a Plan of
Document edits; ``run`` applies it and records it as one undo step, or records
nothing when an edit is refused. The Document emits ``changed`` on every edit and the
views redraw from that signal, never by hand (two copies of state is NodeGraphQt's
trap). The ``*Command`` classes are one-edit plans for the canvas, the text and
tests.
"""

from osom_desktop.commands.map_commands import (
    AddElementCommand,
    MoveComponentsCommand,
    RemoveElementsCommand,
    ReplaceMapCommand,
    UpdateElementCommand,
    UpdateMapSettingsCommand,
)
from osom_desktop.commands.runner import PlanCommand, run
from osom_desktop.commands.service_commands import (
    AddRecordCommand,
    RemoveRecordCommand,
    ReplaceRecordCommand,
    UpdateContractCommand,
    UpdateServiceCommand,
)

__all__ = [
    "AddElementCommand",
    "AddRecordCommand",
    "MoveComponentsCommand",
    "PlanCommand",
    "RemoveElementsCommand",
    "RemoveRecordCommand",
    "ReplaceMapCommand",
    "ReplaceRecordCommand",
    "UpdateContractCommand",
    "UpdateElementCommand",
    "UpdateMapSettingsCommand",
    "UpdateServiceCommand",
    "run",
]
