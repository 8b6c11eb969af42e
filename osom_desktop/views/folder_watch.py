"""Noticing services that appear in (or are saved into) the open file's folder.

The provider and dependency pickers list the folder's services. A colleague's file
copied in, or a service saved there from another window after this one opened, must
show up without reopening: the folder is watched, and a burst of changes (an atomic
save is a write, a rename and a lock file) becomes one ``changed`` a moment later.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 400  # long enough to fold one save's several events into one re-read


class FolderWatch(QObject):
    """Watches one folder; ``changed`` once its listing settles after a change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._poke)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.changed.emit)

    def watch(self, folder: Path | None) -> None:
        """Watch ``folder`` instead of the last one (None: nothing)."""
        folder = folder.resolve() if folder is not None else None
        if folder == self.folder:
            return
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.folder = folder
        # A folder that cannot be watched (gone, or the system's limit reached) only
        # loses the automatic refresh: Save As and reopening still re-read it.
        if folder is not None and folder.is_dir():
            self._watcher.addPath(str(folder))

    def _poke(self, _path: str) -> None:
        self._timer.start()
