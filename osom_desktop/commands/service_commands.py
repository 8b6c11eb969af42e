"""Commands that change the service, its contract, and its records."""

from __future__ import annotations

from typing import Any

from osom_desktop.commands.stack import DocumentCommand
from osom_desktop.model.document import Document


class _UpdatePart(DocumentCommand):
    method = ""

    def __init__(self, document: Document, text: str = "Edit", **values: Any) -> None:
        super().__init__(text)
        self.document = document
        self.values = values
        self.old: dict[str, Any] = {}

    def do(self) -> None:
        self.old = getattr(self.document, self.method)(**self.values)

    def undo(self) -> None:
        if self.old:
            getattr(self.document, self.method)(**self.old)


class UpdateServiceCommand(_UpdatePart):
    method = "update_service"


class UpdateContractCommand(_UpdatePart):
    method = "update_contract"


class AddRecordCommand(DocumentCommand):
    """Add a guidance decision, assessment or contract change."""

    def __init__(self, document: Document, kind: str, record: Any, text: str | None = None) -> None:
        super().__init__(text or f"Add {kind.rstrip('s').replace('_', ' ')}")
        self.document = document
        self.kind = kind
        self.record = record

    def do(self) -> None:
        self.document.add_record(self.kind, self.record.model_copy(deep=True))

    def undo(self) -> None:
        self.document.remove_record(self.kind, self.record.id)


class ReplaceRecordCommand(DocumentCommand):
    def __init__(self, document: Document, kind: str, record: Any, text: str = "Edit record") -> None:
        super().__init__(text)
        self.document = document
        self.kind = kind
        self.record = record
        self.old: Any = None

    def do(self) -> None:
        self.old = self.document.replace_record(self.kind, self.record.model_copy(deep=True))

    def undo(self) -> None:
        self.document.replace_record(self.kind, self.old)


class RemoveRecordCommand(DocumentCommand):
    def __init__(self, document: Document, kind: str, record_id: str, text: str = "Delete record") -> None:
        super().__init__(text)
        self.document = document
        self.kind = kind
        self.record_id = record_id
        self.index = 0
        self.record: Any = None

    def do(self) -> None:
        self.index, self.record = self.document.remove_record(self.kind, self.record_id)

    def undo(self) -> None:
        self.document.add_record(self.kind, self.record, self.index)
