"""Reading the services beside an open file off the GUI thread.

``ServiceDirectory.scan`` reads a summary of every ``.osom`` file in the folder (from
the cache when unchanged); on a shared drive with thousands of files, or a cold cache,
that takes seconds, and done on the GUI thread it held back the window's first paint
and then froze it (and with it the autosave timer). Here it runs in a ``QThread``; the
result is handed back by a queued signal, so the window only ever touches it on the
GUI thread.

Threads are not parented to the window: a window closed while its scan runs must not
destroy a running ``QThread`` (Qt aborts the process). Each loader keeps itself alive in
``_running`` until it finishes, and the application waits for the (bounded) scans when
it quits.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread, Signal

from osom_desktop.analysis.directory import ServiceDirectory

_running: set[DirectoryLoader] = set()
_quit_hooked = False


def _wait_all() -> None:
    for loader in list(_running):
        loader.wait()


class DirectoryLoader(QThread):
    """Scans ``folder`` (and ``extra_paths``) in a thread; ``loaded(ServiceDirectory)`` when done."""

    loaded = Signal(object)  # ServiceDirectory

    def __init__(self, folder: str | os.PathLike[str] | None, extra_paths: Iterable[Path] = ()) -> None:
        super().__init__()
        self.folder = folder
        self.extra_paths = list(extra_paths)
        self.finished.connect(self._on_finished)

    def start_scan(self) -> None:
        global _quit_hooked
        app = QCoreApplication.instance()
        if app is not None and not _quit_hooked:
            app.aboutToQuit.connect(_wait_all)
            _quit_hooked = True
        _running.add(self)
        self.start()

    def run(self) -> None:
        try:
            directory = ServiceDirectory.scan(self.folder, extra_paths=self.extra_paths)
        except Exception as exc:  # noqa: BLE001 - scan never raises by design; a bug must not kill the app
            directory = ServiceDirectory(unreadable=[(Path(self.folder or "."), f"could not read the folder: {exc}")])
        self.loaded.emit(directory)

    def _on_finished(self) -> None:
        _running.discard(self)
        self.deleteLater()
