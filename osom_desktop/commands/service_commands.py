"""Undo commands for one record edit each (tests and tools record single edits with
them). The views do not use these: what they change is decided by an operation
(``osom_desktop.operations``) that applies OSOM's rules, and recorded through ``run``."""

from __future__ import annotations

from typing import Any

from osom_desktop.commands.runner import PlanCommand
from osom_desktop.model.document import Document
from osom_desktop.operations.edits import AddRecord, RemoveRecord, ReplaceRecord, UpdateContract, UpdateService
from osom_desktop.operations.plan import Plan


class UpdateServiceCommand(PlanCommand):
    def __init__(self, document: Document, text: str = "Edit", **values: Any) -> None:
        super().__init__(Plan.of(document, text, UpdateService(values)))


class UpdateContractCommand(PlanCommand):
    def __init__(self, document: Document, text: str = "Edit", **values: Any) -> None:
        super().__init__(Plan.of(document, text, UpdateContract(values)))


class AddRecordCommand(PlanCommand):
    """Add a guidance decision, assessment or contract change."""

    def __init__(self, document: Document, kind: str, record: Any, text: str | None = None) -> None:
        super().__init__(Plan.of(document, text or f"Add {kind.rstrip('s').replace('_', ' ')}", AddRecord(kind, record)))


class ReplaceRecordCommand(PlanCommand):
    def __init__(self, document: Document, kind: str, record: Any, text: str = "Edit record") -> None:
        super().__init__(Plan.of(document, text, ReplaceRecord(kind, record)))


class RemoveRecordCommand(PlanCommand):
    def __init__(self, document: Document, kind: str, record_id: str, text: str = "Delete record") -> None:
        super().__init__(Plan.of(document, text, RemoveRecord(kind, record_id)))
