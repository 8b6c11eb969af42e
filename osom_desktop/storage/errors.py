"""StorageError: what a person sees when a file cannot be opened or saved."""

from __future__ import annotations

import os

from osom_desktop.model.errors import OsomError


def shown(value: object, limit: int = 60) -> str:
    """A value as it appears in a message: repr (so newlines show as ``\\n``), cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class StorageError(OsomError):
    """A ``.osom`` file could not be opened or saved.

    ``str()`` is one line, ``"<file name>: <problem>"``, fit for a status bar or a
    dialog without a traceback: the file's name (not its whole path, which may be long
    and private) and the problem in words a service manager can act on. The full path
    is kept in ``path`` for logs.
    """

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = os.fspath(path)
        # Messages from SQLite or the OS are one line already; make sure of it.
        self.problem = " ".join(str(problem).split())
        name = os.path.basename(self.path) or self.path
        super().__init__(f"{name}: {self.problem}")


class ChangedOutsideError(StorageError):
    """The file reads as valid but differs from what its last save recorded.

    Either damage that SQLite's own checks cannot see (bytes changed inside text) or
    an edit made with the sqlite3 shell or Datasette. The app asks whether to open it
    anyway (``open_document(path, verify=False)``); ``osom`` has ``--trust-edits``.
    """
