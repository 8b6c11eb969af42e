"""Remembering the service files already read, so a reload re-reads only what changed.

``DocumentCache`` is keyed by a file's resolved path and holds, per file, the
``(mtime_ns, size, inode)`` it had when read (the inode too: saving
writes a new file and renames it over the old one, so a save within the file
system's timestamp tick, same size, is still seen) and what reading gave: the ``ServiceDocument``
or the one-line reason it could not be read. ``load_network(folder, cache=...)``
asks it for every file; a file whose stat is unchanged is not opened again.
Qt-free; one load at a time may use a cache (it is not locked).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.model.service import ServiceDocument
from osom_desktop.storage import StorageError, open_document


def cache_key(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.realpath(path))


@dataclass(slots=True)
class DocumentCache:
    """Resolved path -> ((mtime_ns, size, inode), document or one-line error)."""

    entries: dict[str, tuple[tuple[int, int, int], ServiceDocument | str]] = field(default_factory=dict)
    opened: int = 0  # how many times ``open_document`` ran through this cache

    def read(self, path: str | os.PathLike[str]) -> ServiceDocument | str:
        """The file's document, or the reason it cannot be read; opened only if new or changed."""
        key = cache_key(path)
        try:
            st = os.stat(key)
        except OSError as exc:
            self.entries.pop(key, None)
            return f"{path}: {exc.strerror or exc}"
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        hit = self.entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        self.opened += 1
        try:
            value: ServiceDocument | str = open_document(Path(path))
        except StorageError as exc:
            value = str(exc)
        self.entries[key] = (stamp, value)
        return value

    def retain(self, keys: Iterable[str]) -> None:
        """Forget every file not in ``keys`` (resolved paths): deleted or moved away."""
        keep = set(keys)
        for key in [k for k in self.entries if k not in keep]:
            del self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)
