"""Helpers for storage tests: proving a file (and its folder) did not change."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Snapshot:
    """Bytes and mtime of a file, plus its folder's listing and mtime.

    The folder's mtime changes whenever an entry is created or removed in it, even
    briefly, so an unchanged folder mtime shows no journal or temp file appeared.
    """

    data: bytes
    mtime_ns: int
    listing: tuple[str, ...]
    folder_mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        return cls(
            data=path.read_bytes(),
            mtime_ns=os.stat(path).st_mtime_ns,
            listing=tuple(sorted(os.listdir(path.parent))),
            folder_mtime_ns=os.stat(path.parent).st_mtime_ns,
        )


def flip_bytes(path: Path, offset: int, count: int = 1) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
