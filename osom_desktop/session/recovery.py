"""Crash recovery: unsaved work is copied every few seconds to the user's local app-data
folder (never beside the document, which may sit in a sync folder), and offered back on
the next start if the app did not close cleanly.

Each open document *session* (one window of one running app) owns its own pair,
``<key>.osom`` (the unsaved document) and ``<key>.json`` (which file it belongs to, when,
and which process owns it). The key joins a hash of the document's path with a random
token, so two windows or two copies of the app on the same file never share, overwrite
or delete each other's copy. An entry is offered back only when its owning process is
provably gone (PID dead, reused by another process, or from before a reboot).

Restoring *claims* the entry (its ``.json`` is rewritten naming the new owner) instead
of deleting it: the copy stays until the new owner saves, discards, or writes its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osom_desktop.model.service import Revision, ServiceDocument
from osom_desktop.session.process import ProcessId

AUTOSAVE_SUMMARY = "autosave"


@dataclass(frozen=True, slots=True)
class RecoveryEntry:
    key: str
    document_path: Path | None  # None: a new, never-saved document
    saved_at: float
    data_path: Path

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        what = str(self.document_path) if self.document_path else "an unsaved new service"
        return f"{what} (unsaved changes from {when})"


def _owner(meta: dict[str, Any]) -> ProcessId | None:
    try:
        data = dict(meta)
        data.setdefault("host", ProcessId.current().host)  # older entries: this machine
        return ProcessId.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key_for(self, document_path: Path | None) -> str:
        """A key of its own for one session on ``document_path`` (never shared)."""
        token = secrets.token_hex(6)
        if document_path is None:
            return f"new-{token}"
        digest = hashlib.sha256(str(Path(document_path).resolve()).encode()).hexdigest()[:20]
        return f"{digest}-{token}"

    def _meta_path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _write_meta(self, key: str, document_path: Path | None, saved_at: float,
                    owner: ProcessId | None = None) -> None:
        me = owner or ProcessId.current()
        meta = {"document": str(document_path) if document_path else None, "saved_at": saved_at, **me.as_json()}
        # Through the savers' writer (fsync of file and folder): after a power cut a
        # recovery copy whose note of ownership was lost would be offered to no one.
        from osom_desktop.storage.atomic import atomic_write_bytes

        atomic_write_bytes(self._meta_path(key), json.dumps(meta).encode("utf-8"))

    def write(self, key: str, doc: ServiceDocument, document_path: Path | None, *,
              owner: ProcessId | None = None) -> None:
        """Write ``doc`` (a private copy: its revisions are not touched) as ``key``,
        owned by ``owner`` (default: this process; the autosave child writes for the app).

        No fingerprint is computed: it is pydantic's JSON of the whole document, one C
        call holding the GIL (~20 ms at 5,000 components) that would stall the GUI
        thread while this runs beside it; the SQLite integrity check on opening still
        catches a damaged copy. Raises OsomError or OSError.
        """
        from osom_desktop.storage.atomic import atomic_write_bytes
        from osom_desktop.storage.checks import FileProblem
        from osom_desktop.storage.errors import StorageError
        from osom_desktop.storage.writer import build_image

        self.folder.mkdir(parents=True, exist_ok=True)
        data_path = self.folder / f"{key}.osom"
        now = dt.datetime.now(dt.UTC)
        autosave = Revision(number=max((r.number for r in doc.revisions), default=0) + 1, saved_at=now,
                            summary=AUTOSAVE_SUMMARY)
        try:
            image = build_image(doc, [*doc.revisions, autosave])
        except FileProblem as exc:
            raise StorageError(data_path, f"not saved: {exc}") from None
        atomic_write_bytes(data_path, image)  # also clears temps a killed autosave left
        self._write_meta(key, document_path, now.timestamp(), owner)

    def discard(self, key: str) -> None:
        for name in (f"{key}.json", f"{key}.osom", f"{key}.claim"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()

    def exists(self, key: str) -> bool:
        return self._meta_path(key).exists()

    def entries(self) -> list[RecoveryEntry]:
        """Recovery files whose owner is no longer running, newest first.

        A running app (this one, or a second copy) still owns its files: offering them
        would hand the same unsaved work to two windows.
        """
        out: list[RecoveryEntry] = []
        if not self.folder.is_dir():
            return out
        for meta_path in self.folder.glob("*.json"):
            if meta_path.name.startswith("."):
                continue
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            data_path = meta_path.with_suffix(".osom")
            owner = _owner(meta)
            if not data_path.exists() or (owner is not None and owner.is_running() is not False):
                continue
            doc = meta.get("document")
            try:
                saved_at = float(meta.get("saved_at", 0))
            except (TypeError, ValueError):
                saved_at = 0.0
            out.append(RecoveryEntry(meta_path.stem, Path(doc) if doc else None, saved_at, data_path))
        return sorted(out, key=lambda e: -e.saved_at)

    def claim(self, entry: RecoveryEntry) -> bool:
        """Make this process the entry's owner (restoring it); False if another live
        process claimed it first (two copies of the app started at once)."""
        claim = self.folder / f"{entry.key}.claim"
        for _attempt in range(2):
            try:
                fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                try:
                    holder = _owner(json.loads(claim.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    holder = None
                if holder is not None and holder.is_running() is not False:
                    return False
                with contextlib.suppress(OSError):
                    claim.unlink()  # its claimant died half-way
                continue
            try:
                os.write(fd, json.dumps(ProcessId.current().as_json()).encode())
                os.close(fd)
                try:
                    meta = json.loads(self._meta_path(entry.key).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    return False  # discarded meanwhile
                owner = _owner(meta)
                if owner is not None and owner != ProcessId.current() and owner.is_running() is not False:
                    return False
                self._write_meta(entry.key, entry.document_path, entry.saved_at)
                return True
            finally:
                with contextlib.suppress(OSError):
                    claim.unlink()
        return False

    def load(self, entry: RecoveryEntry) -> ServiceDocument:
        """The recovered document, its revision history trimmed of the autosave."""
        from osom_desktop.storage import open_document

        doc = open_document(entry.data_path)
        if doc.revisions and doc.revisions[-1].summary == AUTOSAVE_SUMMARY:
            doc.revisions.pop()
        return doc
