"""Crash recovery: unsaved work is copied every few seconds to the user's local app-data
folder (never beside the document, which may sit in a sync folder), and offered back on
the next start if the app did not close cleanly.

Each open document gets a pair: ``<key>.osom`` (the unsaved document, written with the
same atomic save as real files) and ``<key>.json`` (which file it belongs to, when).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from osom_desktop.model.service import ServiceDocument
from osom_desktop.session.lock import process_alive


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


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key_for(self, document_path: Path | None) -> str:
        """One key per document file, so a second autosave replaces the first."""
        if document_path is None:
            return "new-" + uuid.uuid4().hex[:12]
        return hashlib.sha256(str(document_path.resolve()).encode()).hexdigest()[:20]

    def write(self, key: str, doc: ServiceDocument, document_path: Path | None) -> None:
        from osom_desktop.storage import save_document

        self.folder.mkdir(parents=True, exist_ok=True)
        data_path = self.folder / f"{key}.osom"
        # Autosave must not add revisions to the user's document history.
        snapshot = doc.model_copy(deep=True)
        save_document(snapshot, data_path, summary="autosave")
        meta = {"document": str(document_path) if document_path else None, "saved_at": time.time(), "pid": os.getpid()}
        tmp = self.folder / f".{key}.json.tmp"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.folder / f"{key}.json")

    def discard(self, key: str) -> None:
        for suffix in (".osom", ".json"):
            try:
                (self.folder / f"{key}{suffix}").unlink()
            except FileNotFoundError:
                pass

    def entries(self) -> list[RecoveryEntry]:
        """Recovery files left by an app that is no longer running, newest first.

        A running app (this one, or a second copy) still owns its files: offering them
        would hand the same unsaved work to two windows.
        """
        out: list[RecoveryEntry] = []
        if not self.folder.is_dir():
            return out
        for meta_path in self.folder.glob("*.json"):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            data_path = meta_path.with_suffix(".osom")
            pid = meta.get("pid")
            if not data_path.exists() or (isinstance(pid, int) and process_alive(pid)):
                continue
            doc = meta.get("document")
            out.append(RecoveryEntry(meta_path.stem, Path(doc) if doc else None, float(meta.get("saved_at", 0)), data_path))
        return sorted(out, key=lambda e: -e.saved_at)

    def load(self, entry: RecoveryEntry) -> ServiceDocument:
        """The recovered document, its revision history trimmed of the autosave."""
        from osom_desktop.storage import open_document

        doc = open_document(entry.data_path)
        if doc.revisions and doc.revisions[-1].summary == "autosave":
            doc.revisions.pop()
        return doc

