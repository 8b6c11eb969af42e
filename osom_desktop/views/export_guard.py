"""Every export the app makes, run the same way: asked about, never silent.

An export that failed with an error we did not foresee (a control character in a
name once made the pack's SVG unparseable) escaped the menu action as an exception
and the person saw nothing at all. ``run_export`` turns every failure into a message
for a dialog, and asks before replacing a read-only file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from osom_desktop.model.errors import OsomError
from osom_desktop.storage import atomic


def run_export(parent: QWidget, path: Path, write: Callable[[], object]) -> str | None:
    """Run ``write`` (which writes ``path``): None when done, ``""`` when the person
    chose not to replace a read-only file, otherwise a one-line message to show."""
    allow: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    try:
        atomic.check_writable(path)
    except atomic.ReadOnlyFileError:
        answer = QMessageBox.question(
            parent, "Read-only file", f"{path.name} is read-only. Replace it anyway? It stays read-only.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return ""
        allow = atomic.replacing_read_only(path)
    try:
        with allow:
            write()
    except OsomError as exc:
        return str(exc)
    except OSError as exc:
        return f"{path.name}: {exc.strerror or exc}"
    except Exception as exc:  # a bug of ours: still said, in one line, never silence
        if os.environ.get("OSOM_DEBUG"):
            raise
        return f"{path.name}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"
    return None
