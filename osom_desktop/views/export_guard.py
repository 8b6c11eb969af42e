"""Every export the app makes, run the same way: asked about, never silent.

An export that failed with an error we did not foresee (a control character in a
name once made the pack's SVG unparseable) escaped the menu action as an exception
and the person saw nothing at all. ``run_export`` turns every failure into a message
for a dialog, and asks before replacing a read-only file.

Like any desktop program, an export dialog opens where the last export of its kind
went (``export_start``, remembered by ``remember_export`` in the app's settings),
and a finished export offers to open the file or its folder (``offer_open``: links
in the status bar, not a dialog, so a run of exports is not interrupted).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

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


OFFER_MS = 20_000  # how long "Open file · Open folder" stays in the status bar


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


def offer_open(window: QMainWindow, path: Path) -> QLabel:
    """"NAME: Open file · Open folder" links at the status bar's right, beside the
    message saying what was exported (a permanent widget: messages do not hide it)."""
    import html

    bar = window.statusBar()
    old = getattr(window, "_export_offer", None)
    if old is not None:
        bar.removeWidget(old)
        old.deleteLater()
    path = Path(path).resolve()
    file_url = QUrl.fromLocalFile(str(path)).toString()
    folder_url = QUrl.fromLocalFile(str(path.parent)).toString()
    label = QLabel(f"{html.escape(path.name)}: <a href=\"{html.escape(file_url)}\">Open file</a>"
                   f" \u00b7 <a href=\"{html.escape(folder_url)}\">Open folder</a>")
    label.setObjectName("exportOffer")
    label.setTextFormat(Qt.TextFormat.RichText)  # the name is escaped above
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    label.linkActivated.connect(open_location)
    label.setToolTip(str(path))
    bar.insertPermanentWidget(0, label)
    window._export_offer = label  # type: ignore[attr-defined]  # the window's one offer, kept on it

    def retire() -> None:
        if getattr(window, "_export_offer", None) is label:
            bar.removeWidget(label)
            label.deleteLater()
            window._export_offer = None  # type: ignore[attr-defined]

    QTimer.singleShot(OFFER_MS, label, retire)
    return label
