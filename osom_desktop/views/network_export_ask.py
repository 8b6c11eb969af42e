"""What the network window asks before it exports the executive pack: where to write
it, and whether a read-only file there may be replaced.

The writing itself runs in a child process (views/network_export.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from osom_desktop.storage import atomic

PACK_SUFFIXES = (".html", ".htm", ".pdf")


def export_target(parent: QWidget, folder: Path, path: str | Path | None) -> Path | None:
    """Where the pack goes: ``path``, or what the person picks (None: they cancelled);
    a name that is neither .pdf nor .html gets .html added."""
    if path is None:
        suggested = folder.parent / f"{folder.name or 'network'}-executive-pack.pdf"
        path, _ = QFileDialog.getSaveFileName(parent, "Export Executive Pack", str(suggested),
                                              "PDF (*.pdf);;Web page (*.html)")
        if not path:
            return None
    out = Path(path)
    if out.suffix.lower() not in PACK_SUFFIXES:
        out = out.with_name(out.name + ".html")
    return out


def may_write(parent: QWidget, out: Path) -> bool | None:
    """Whether ``out`` may be written: False (plainly), True (it is read-only and the person
    agreed to replace it), None (not at all; the person was told why or said no)."""
    try:
        atomic.check_writable(out)
    except atomic.ReadOnlyFileError:
        answer = QMessageBox.question(
            parent, "Read-only file", f"{out.name} is read-only. Replace it anyway? It stays read-only.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return True if answer == QMessageBox.StandardButton.Yes else None
    except OSError as exc:
        QMessageBox.warning(parent, "Export Executive Pack", f"Not exported — {out}: {exc}")
        return None
    return False
