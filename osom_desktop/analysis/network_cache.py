"""Remembering the service files already read, so a reload re-reads only what changed.

``DocumentCache`` is keyed by a file's resolved path and holds, per file, the
``(mtime_ns, size, inode, ctime_ns)`` it had when read (the inode and ctime too: saving
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
from osom_desktop.storage.network_read import read_network_document


def read_document(path: Path, light: bool = False) -> ServiceDocument | str:
    """The document in ``path``, or the one-line reason it cannot be read; never raises.

    ``light``: only what the network uses (``storage.network_read``: no map drawing,
    no revisions, no fingerprint comparison), about a fifth of ``open_document``'s
    cost; every network answer is the same. Bounded by the reader's limits; whatever
    else goes wrong on one file (a bug of ours included) is that file's reason, so
    the rest of the folder still loads.
    """
    try:
        return read_network_document(path) if light else open_document(path)
    except StorageError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - one file must never hide the folder
        return f"{path.name}: could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"


def cache_key(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.realpath(path))


@dataclass(slots=True)
class DocumentCache:
    """Resolved path -> ((mtime_ns, size, inode, ctime_ns), document or one-line error)."""

    entries: dict[str, tuple[tuple[int, int, int, int], ServiceDocument | str]] = field(default_factory=dict)
    opened: int = 0  # how many times a file was read through this cache
    light: bool = False  # read only what the network uses (``read_document(light=True)``)

    def read(self, path: str | os.PathLike[str]) -> ServiceDocument | str:
        """The file's document, or the reason it cannot be read; opened only if new or changed.

        Never raises (``read_document``).
        """
        key = cache_key(path)
        try:
            st = os.stat(key)
        except OSError as exc:
            self.entries.pop(key, None)
            return f"{path}: {exc.strerror or exc}"
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        hit = self.entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        self.opened += 1
        value = read_document(Path(path), self.light)
        self.entries[key] = (stamp, value)
        return value

    def retain(self, keys: Iterable[str]) -> None:
        """Forget every file not in ``keys`` (resolved paths): deleted or moved away."""
        keep = set(keys)
        for key in [k for k in self.entries if k not in keep]:
            del self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)
