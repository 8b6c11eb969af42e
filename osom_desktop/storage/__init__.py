"""The ``.osom`` file: one self-contained SQLite database per service.

Real tables (readable with the sqlite3 shell or Datasette), written whole and
atomically on every save, read as untrusted input. No Qt here, ever.

    doc = open_document("tea.osom")          # StorageError: one line naming the file
    revision = save_document(doc, "tea.osom", author="Åsa", summary="new SLA")
"""

from typing import TYPE_CHECKING

from osom_desktop.lazy_names import lazy_getattr

if TYPE_CHECKING:
    from osom_desktop.storage.errors import ChangedOutsideError, StorageError
    from osom_desktop.storage.fingerprint import document_fingerprint
    from osom_desktop.storage.reader import open_document
    from osom_desktop.storage.schema import APPLICATION_ID, SCHEMA_VERSION
    from osom_desktop.storage.writer import save_document

# Loaded when first used (PEP 562): ``osom check`` and opening a window read files and
# need neither the writer nor sqlite_utils (numpy, click, dateutil) that it brings.
_LAZY = {
    "ChangedOutsideError": "errors",
    "StorageError": "errors",
    "document_fingerprint": "fingerprint",
    "open_document": "reader",
    "APPLICATION_ID": "schema",
    "SCHEMA_VERSION": "schema",
    "save_document": "writer",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "APPLICATION_ID",
    "ChangedOutsideError",
    "SCHEMA_VERSION",
    "StorageError",
    "document_fingerprint",
    "open_document",
    "save_document",
]
