"""``osom-desktop``: start the desktop app on files, or on the sample service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="osom-desktop", description="OSOM Desktop")
    p.add_argument("files", nargs="*", help=".osom or .owm files to open, or a folder of services (network view)")
    p.add_argument("--sample", action="store_true", help="open the bundled sample service")
    return p.parse_args(argv)


class DesktopApp:
    """Keeps the open windows (one per document) and starts new ones on request."""

    def __init__(self) -> None:
        self.windows: list = []
        self.network_windows: list = []

    def new_window(self, path: Path | None = None):
        from osom_desktop.views.main_window import MainWindow

        window = MainWindow()
        window.open_requested.connect(self.open)
        window.new_requested.connect(lambda: self.new_window().show())
        window.network_requested.connect(lambda: self.choose_network(window))
        window.destroyed.connect(lambda *_: None)
        self.windows.append(window)
        if path is not None and not window.open_path(path):
            self.windows.remove(window)
            window.deleteLater()
            return None
        return window

    def open(self, path: Path) -> None:
        for w in self.windows:
            if w.path is not None and w.path.resolve() == Path(path).resolve():
                w.raise_()
                w.activateWindow()
                return
        window = self.new_window(path)
        if window is not None:
            window.show()

    def choose_network(self, parent=None):
        """Ask for a folder of service files and open the network view on it."""
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(parent, "Open Network — choose a folder of service files")
        return self.open_network(Path(folder)) if folder else None

    def open_network(self, folder: Path):
        """A network window on ``folder`` (loaded in the background); double-click opens a service."""
        from PySide6.QtCore import Qt

        from osom_desktop.views.network_window import NetworkWindow

        window = NetworkWindow(Path(folder))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.open_service_requested.connect(self.open)
        self.network_windows.append(window)
        window.destroyed.connect(lambda *_: self.network_windows.remove(window) if window in self.network_windows else None)
        window.show()
        return window

    def offer_recovery(self) -> int:
        """After a crash: offer each recovery file back; returns how many were restored."""
        from PySide6.QtWidgets import QMessageBox

        from osom_desktop.views.main_window import recovery_store

        store = recovery_store()
        restored = 0
        for entry in store.entries():
            answer = QMessageBox.question(
                None, "Recover unsaved work",
                f"OSOM Desktop closed without saving {entry.describe()}.\n\nRestore it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Ignore,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                window = restore_entry(self, store, entry)
                if window is not None:
                    window.show()
                    restored += 1
            elif answer == QMessageBox.StandardButton.Discard:
                store.discard(entry.key)
        return restored


def restore_entry(app: DesktopApp, store, entry):
    """A window holding the recovered document, marked modified, attached to its file."""
    from osom_desktop.model.errors import OsomError

    try:
        data = store.load(entry)
    except OsomError:
        store.discard(entry.key)
        return None
    window = app.new_window()
    window.set_document(data, entry.document_path)
    window._mark_unsaved()
    store.discard(entry.key)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OSOM Desktop")
    app.setOrganizationName("OSOM")
    desktop = DesktopApp()
    restored = desktop.offer_recovery()
    paths = [Path(f) for f in args.files]
    if args.sample or (not paths and not restored):
        from osom_desktop.samples import sample_file

        paths = [sample_file()]
    for path in paths:
        if path.is_dir():
            desktop.open_network(path)
        else:
            desktop.open(path)
    if not any(w.isVisible() for w in [*desktop.windows, *desktop.network_windows]):
        desktop.new_window().show()
    return app.exec()
