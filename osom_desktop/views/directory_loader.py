"""Reading the services beside an open file off the GUI thread.

``ServiceDirectory.scan`` reads a summary of every ``.osom`` file in the folder (from
the cache when unchanged); on a shared drive with thousands of files, or a cold cache,
that takes seconds, and done on the GUI thread it held back the window's first paint
and then froze it (and with it the autosave timer). Here it runs in a ``QThread``; the
result is handed back by a queued signal, so the window only ever touches it on the
GUI thread.

The scan starts after the map's first paint (``after_first_paint``), not before it:
started earlier, its thread competed with the GUI thread for the interpreter (the GIL)
and a window beside 2,000 files painted 0.4-0.6 s later than the same file alone.

Threads are not parented to the window: a window closed while its scan runs must not
destroy a running ``QThread`` (Qt aborts the process). Each loader keeps itself alive in
``_running`` until it finishes, and the application waits for the (bounded) scans when
it quits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QWidget

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


# A widget that is never painted (a window kept hidden, a test's) still gets its scan:
# at once when it is hidden this long after asking, at the latest after the second.
HIDDEN_MS, LATEST_MS = 1_000, 10_000


class _AfterPaint(QObject):
    """Calls ``callback`` once, just after ``widget``'s next paint event has been handled."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)  # goes with the widget: a closed window scans nothing
        self.setObjectName("afterFirstPaint")
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(HIDDEN_MS, self, self._if_hidden)
        QTimer.singleShot(LATEST_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            # Not inside the paint: queued, it runs once the frame is drawn and shown.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _if_hidden(self) -> None:
        widget = self.parent()
        if isinstance(widget, QWidget) and not widget.isVisible():
            self._fire()

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._unwatch()
        callback()

    def cancel(self) -> None:
        self._callback = None
        self._unwatch()

    def _unwatch(self) -> None:
        watched = self.parent()  # the widget this filter was installed on
        if watched is not None:
            watched.removeEventFilter(self)
        self.deleteLater()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` (a folder scan) just after ``widget`` next paints, so the scan's
    thread never holds back the first frame; a call still waiting for the same widget's
    paint is replaced (the document changed again before the window drew it)."""
    for pending in widget.findChildren(QObject, "afterFirstPaint"):
        if isinstance(pending, _AfterPaint) and pending.parent() is widget:
            pending.cancel()
    _AfterPaint(widget, callback)
