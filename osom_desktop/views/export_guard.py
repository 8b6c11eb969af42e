"""Every export the app makes, run the same way: asked about, never silent.

An export that failed with an error we did not foresee (a control character in a
name once made the pack's SVG unparseable) escaped the menu action as an exception
and the person saw nothing at all. ``run_export`` turns every failure into a message
for a dialog, and asks before replacing a read-only file.

Like any desktop program, an export dialog opens where the last export of its kind
went (``export_start``, remembered by ``remember_export`` in the app's settings),
and a finished export offers to open the file or its folder (``offer_open``: a notice
in the window with Open / Show in Folder, not a modal dialog, so a run of exports is
not interrupted; see ``export_notice``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QMessageBox, QWidget

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


def _key(kind: str) -> str:
    return f"export/folder/{kind}"


def export_start(kind: str, file_name: str, beside: Path | None = None) -> str:
    """Where a save dialog for an export of ``kind`` opens: the folder the last one
    went to (if it is still there), else ``beside`` (the service's folder), else home."""
    remembered = QSettings().value(_key(kind)) or QSettings().value(_key("any"))
    for folder in (Path(str(remembered)) if remembered else None, beside, Path.home()):
        if folder is not None and folder.is_dir():
            return str(folder / file_name)
    return file_name


def remember_export(kind: str, path: Path) -> None:
    folder = str(Path(path).resolve().parent)
    QSettings().setValue(_key(kind), folder)
    QSettings().setValue(_key("any"), folder)


def open_location(url: str) -> bool:
    """Open a file or folder with the system's program for it."""
    return QDesktopServices.openUrl(QUrl(url))


def offer_open(window: QWidget, path: Path) -> QFrame:
    """Say the export is done, with Open and Show in Folder (``ExportNotice``)."""
    from osom_desktop.views.export_notice import ExportNotice

    return ExportNotice.show_for(window, Path(path))
