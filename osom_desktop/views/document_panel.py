"""What every dock showing the open document shares: following the Document's
``changed`` signal, and switching to another document when the window opens one."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from osom_desktop.model.document import Change, Document


class DocumentPanel:
    """Mixin for a panel of one document. Call ``_follow`` in ``__init__``; override
    ``_on_document_changed`` and, if a new document needs more than ``refresh``,
    ``_document_replaced``."""

    document: Document
    stack: QUndoStack | None

    def _follow(self, document: Document, stack: QUndoStack | None = None) -> None:
        self.document, self.stack = document, stack
        document.changed.connect(self._on_document_changed)

    def set_document(self, document: Document, stack: QUndoStack | None = None) -> None:
        """Show ``document`` (its edits recorded on ``stack``) instead of the current one."""
        self.document.changed.disconnect(self._on_document_changed)
        self._follow(document, stack)
        self._document_replaced()

    def _document_replaced(self) -> None:
        self.refresh()  # type: ignore[attr-defined]  # every panel has one

    def _on_document_changed(self, change: Change) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
