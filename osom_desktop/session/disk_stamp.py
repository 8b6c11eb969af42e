"""What a document file looked like on disk when we opened or last saved it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DiskStamp:
    """mtime and size alone miss a same-size ``cp -p`` (which puts the old mtime back).

    The inode (and device) change when a file is replaced by rename, as every atomic
    save does; the ctime changes on any write or ``utime`` and cannot be set back by
    anyone, so a rewrite in place is seen too. Comparing all of them costs one stat.
    """

    mtime_ns: int
    size: int
    inode: int
    device: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> DiskStamp | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev, st.st_ctime_ns)
