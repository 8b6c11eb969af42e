"""A Plan: the Document edits one operation decided on, to be made as one step.

An operation checks OSOM's rules against the document as it is and returns a Plan;
it changes nothing itself. ``apply`` makes every edit or none (a refused edit undoes
the ones before it and re-raises); ``revert`` takes them all back. The commands layer
records a Plan as one undo step; headless code applies it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osom_desktop.model.document import Document
from osom_desktop.operations.edits import Edit


@dataclass
class Plan:
    document: Document
    text: str  # the undo step's name ("Add dependency on Power Grid")
    edits: list[Edit] = field(default_factory=list)
    # What the person should be told once it is made (e.g. "not met: stays in beta").
    notice: str = ""

    @classmethod
    def of(cls, document: Document, text: str, *edits: Edit, notice: str = "") -> Plan:
        return cls(document, text, list(edits), notice)

    def __bool__(self) -> bool:
        """False for an operation that found nothing to change."""
        return bool(self.edits)

    def apply(self) -> None:
        done: list[Edit] = []
        try:
            for edit in self.edits:
                edit.apply(self.document)
                done.append(edit)
        except BaseException:
            for edit in reversed(done):
                edit.revert(self.document)
            raise

    def revert(self) -> None:
        for edit in reversed(self.edits):
            edit.revert(self.document)
