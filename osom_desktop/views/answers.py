"""Asking the person for what a refused operation needs, then asking it again.

An operation refuses with a typed ``OperationRefused``; here each kind becomes its
dialog: ReasonRequired the reason dialog, AssessmentRequired the assessment dialog,
ConfirmationRequired and Offer a Yes/No question. The answer goes back to the same
operation under the refusal's ``keyword``, until it returns a Plan or the person
cancels. The views hold no rule: they only know how to ask.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from osom_desktop.model.document import Document
from osom_desktop.model.service import AssessmentKind
from osom_desktop.operations import (
    AssessmentRequired,
    ConfirmationRequired,
    Offer,
    OperationRefused,
    Plan,
    Reason,
    ReasonRequired,
    default_author,
)
from osom_desktop.views.record_dialogs import ContractChangeDialog, latest_revision
from osom_desktop.views.widgets import ask

_CANCELLED = object()


class Answers:
    """Answers a panel's refused operations with dialogs parented to ``parent``.

    It remembers the last reason and author given, so a run of changes to a live
    contract (one per field) does not make the person retype them. ``busy`` is true
    while a dialog is open: a field losing focus to the dialog is not an edit.
    """

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.busy = False
        self.last_reason = ""
        self.last_author = ""

    def forget(self) -> None:
        """A reason belongs to its own service: forget it when another is opened."""
        self.last_reason = self.last_author = ""

    def plan(self, document: Document, operation: Callable[..., Plan]) -> Plan | None:
        """``operation(**answers)`` until it gives a Plan; None if the person cancelled.

        A refusal that needs nothing from the person (or a ModelValidationError) is
        raised for the caller to show.
        """
        answers: dict[str, Any] = {}
        while True:
            try:
                return operation(**answers)
            except OperationRefused as refusal:
                if not refusal.keyword or refusal.keyword in answers:
                    raise
                answer = self.ask(document, refusal)
                if answer is _CANCELLED:
                    return None
                answers[refusal.keyword] = answer

    def ask(self, document: Document, refusal: OperationRefused) -> Any:
        self.busy = True
        try:
            if isinstance(refusal, ReasonRequired):
                return self._reason(document, refusal)
            if isinstance(refusal, AssessmentRequired):
                return self._assessment(document, refusal)
            if isinstance(refusal, ConfirmationRequired):
                return True if ask(self.parent, refusal.title, refusal.question, default_yes=False) else _CANCELLED
            if isinstance(refusal, Offer):
                return ask(self.parent, refusal.title, refusal.question, default_yes=refusal.default_yes)
            raise refusal
        finally:
            self.busy = False

    def _reason(self, document: Document, refusal: ReasonRequired) -> Any:
        author = self.last_author or default_author(document)
        dialog = ContractChangeDialog(refusal.summary, author=author, reason=self.last_reason, parent=self.parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return _CANCELLED
            reason: Reason = dialog.record
        finally:
            dialog.deleteLater()
        self.last_reason, self.last_author = reason.text, reason.author
        return reason

    def _assessment(self, document: Document, refusal: AssessmentRequired) -> Any:
        from osom_desktop.views.assessment_report import AssessmentReportDialog, loaded_criteria

        # OSOM's report: a decision on every criterion that applies to the move.
        dialog = AssessmentReportDialog(
            self.parent, sets=loaded_criteria(), earlier=document.data.assessments,
            manager=document.data.service.manager, mandates=document.data.mandates,
            unmet_needs=document.data.unmet_needs, kind=AssessmentKind.TRANSITION, from_stage=refusal.from_stage, to_stage=refusal.to_stage,
            map_revision=latest_revision(document.data), fixed_transition=True,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return _CANCELLED
            return dialog.record
        finally:
            dialog.deleteLater()
