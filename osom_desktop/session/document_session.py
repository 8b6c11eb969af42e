"""DocumentSession: one open document's life on disk, in one place (no Qt).

Owned by the one window showing the document. It knows the file (``path``), holds its
lock, remembers how the file looked on disk (``stamp``) so that saving over someone
else's change can ask first, and keeps this session's own crash-recovery copy: written
off the GUI thread from a cheap snapshot, deleted when the work is saved, undone back
to the saved state, discarded or closed, and never touched by any other session.

The window asks the person (lock conflicts, overwriting a changed file); the session
only reports and does.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

from osom_desktop.model.service import Revision, ServiceDocument
from osom_desktop.session.autosave import RecoveryWriter, recovery_writer
from osom_desktop.session.disk_stamp import DiskStamp
from osom_desktop.session.lock import DocumentLock, LockOwner
from osom_desktop.session.recovery import RecoveryEntry, RecoveryStore
from osom_desktop.session.snapshot import DocumentSnapshot


class DocumentSession:
    def __init__(self, store: RecoveryStore, writer: RecoveryWriter | None = None) -> None:
        self.store = store
        self.writer = writer or recovery_writer()
        self.path: Path | None = None
        self.read_only = False
        self.lock: DocumentLock | None = None
        self.stamp: DiskStamp | None = None
        self.recovery_key = store.key_for(None)
        # A recovery copy of ours may exist (written, queued, or claimed from a crash).
        self.has_recovery = False
        # What the last autosave was asked to write, and what was last written.
        self._submitted: Hashable | None = None
        self.autosaved: Hashable | None = None
        self.autosave_error: str | None = None

    # -- opening -----------------------------------------------------------------------

    @staticmethod
    def try_lock(path: Path) -> tuple[DocumentLock, LockOwner | None]:
        """Take ``path``'s lock; the other owner when someone live (or on another host) has it."""
        lock = DocumentLock(path)
        return lock, lock.acquire()

    @staticmethod
    def take_over(lock: DocumentLock, other: LockOwner) -> bool:
        """The person chose to open a locked file anyway: replace that one lock."""
        return lock.take_over(other)

    def attach(self, path: Path | None, lock: DocumentLock | None = None, *, read_only: bool = False) -> None:
        """This session now holds the document at ``path`` (None: new, never saved)."""
        self.discard_recovery()
        self.release_lock()
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        if lock is not None and lock.held and not read_only:
            self.lock = lock
        elif lock is not None:
            lock.release()
        self.stamp = DiskStamp.of(self.path) if self.path else None
        self.recovery_key = self.store.key_for(self.path)
        self.has_recovery = False
        self._submitted = self.autosaved = None
        self.autosave_error = None

    def restore(self, entry: RecoveryEntry) -> ServiceDocument | None:
        """Claim a crashed session's copy and read it; None if another app claimed it.

        Raises OsomError if the copy cannot be read. Call ``adopt(entry)`` once the
        window holds the document, so the copy is kept until this session replaces it.
        """
        if not self.store.claim(entry):
            return None
        return self.store.load(entry)

    def adopt(self, entry: RecoveryEntry) -> None:
        """The restored copy is now this session's own: kept until saved, discarded or
        replaced by this session's autosave (a crash before then offers it again)."""
        if self.recovery_key != entry.key:
            self.writer.discard(self.store, self.recovery_key)
        self.recovery_key = entry.key
        self.has_recovery = True

    # -- the file on disk -------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """Someone changed (or replaced) the file since we opened or saved it."""
        if self.path is None or self.stamp is None:
            return False
        now = DiskStamp.of(self.path)
        return now is not None and now != self.stamp

    def save(self, data: ServiceDocument, path: Path, *, author: str = "", summary: str = "") -> Revision:
        """Save ``data`` to ``path`` (raises StorageError); a new path moves the lock."""
        from osom_desktop.storage import save_document

        path = Path(path)
        revision = save_document(data, path, author=author, summary=summary)
        if self.path is None or path.resolve() != self.path.resolve() or self.read_only:
            lock, _other = self.try_lock(path)  # Save As: the file is now ours to hold
            self.release_lock()
            self.lock = lock if lock.held else None
            self.discard_recovery()
            self.path = path
            self.read_only = False
            self.recovery_key = self.store.key_for(path)
        self.stamp = DiskStamp.of(path)
        self.discard_recovery()
        return revision

    # -- recovery copy ---------------------------------------------------------------------

    def autosave(self, snapshot: Callable[[], DocumentSnapshot], version: Hashable,
                 done: Callable[[str | None], None] | None = None) -> bool:
        """Write a recovery copy if ``version`` differs from the last one asked for.

        ``snapshot`` is called here (GUI thread: it must be cheap); building and
        writing happen on the recovery writer's thread; ``done(error)`` is called there.
        """
        if self.read_only or version == self._submitted:
            return False
        self._submitted = version
        self.has_recovery = True

        def finished(error: str | None) -> None:
            self.autosave_error = error
            if error is None:
                self.autosaved = version
            if done is not None:
                done(error)

        self.writer.write(self.store, self.recovery_key, snapshot(), self.path, finished)
        return True

    def discard_recovery(self) -> None:
        """Nothing unsaved any more (saved, undone to the saved state, discarded)."""
        if self.has_recovery or self._submitted is not None:
            self.writer.discard(self.store, self.recovery_key)
        self.has_recovery = False
        self._submitted = self.autosaved = None

    def wait(self, timeout: float | None = None) -> None:
        """Block until this process's queued recovery writes are done (tests, benchmarks)."""
        self.writer.wait(timeout)

    # -- closing -----------------------------------------------------------------------

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def close(self, *, keep_recovery: bool = False) -> None:
        """The window closes: its lock goes; its recovery copy too unless kept (unsaved
        work a read-only window could not save stays offered)."""
        if not keep_recovery:
            self.discard_recovery()
        self.release_lock()
