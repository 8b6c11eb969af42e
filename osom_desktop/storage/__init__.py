"""The ``.osom`` file: one self-contained SQLite database per service.

Real tables (readable with the sqlite3 shell or Datasette), written whole and
atomically on every save, read as untrusted input. No Qt here, ever.

    doc = open_document("tea.osom")          # StorageError: one line naming the file
    revision = save_document(doc, "tea.osom", author="Åsa", summary="new SLA")
"""

from osom_desktop.storage.errors import ChangedOutsideError, StorageError
from osom_desktop.storage.fingerprint import document_fingerprint
from osom_desktop.storage.reader import open_document
from osom_desktop.storage.schema import APPLICATION_ID, SCHEMA_VERSION
from osom_desktop.storage.writer import save_document

__all__ = [
    "APPLICATION_ID",
    "ChangedOutsideError",
    "SCHEMA_VERSION",
    "StorageError",
    "document_fingerprint",
    "open_document",
    "save_document",
]
