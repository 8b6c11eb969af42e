"""Replace a file atomically: the old version or the new one, never a mix.

Why: overwriting an SQLite file in place corrupted 21 of 25 files when the process
was killed mid-save (ENGINEERING.md); a temp file in the same folder, fsync,
``os.replace``, fsync of the folder left 25 of 25 valid. The folder must be the
target's own: ``os.replace`` is atomic only within one file system.

Temp files are named ``.<name>.tmp-<hex>`` (hidden, and never ending in ``.osom``) so
neither a person nor the network view's folder scan takes one for a document. A
process killed mid-save leaves one behind; the next save to the same file removes
those older than ``STALE_TEMP_SECONDS``, leaving younger ones alone because another
process (the same file open twice on a shared drive) may be writing them right now.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from pathlib import Path

# Older than this, a temp file's writer is gone: no save takes ten minutes.
STALE_TEMP_SECONDS = 600.0


def temp_prefix(target: Path) -> str:
    return f".{target.name}.tmp-"


def temp_pattern(target: Path) -> re.Pattern[str]:
    """Names of temp files a save of ``target`` may leave behind."""
    return re.compile(re.escape(temp_prefix(target)) + r"[0-9a-f]{12}\Z")


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The file a save should replace: through a symlink, so the link survives."""
    target = Path(os.path.abspath(path))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    return target


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":  # pragma: no cover - not our CI platform
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(target: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files of ``target`` left by saves that died; returns what was removed."""
    pattern = temp_pattern(target)
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to delete
            if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes | memoryview) -> None:
    """Write ``data`` to ``path`` so that any reader, even after a crash or power
    cut at any instant, finds either the previous file or the complete new one.

    For every file the app writes (documents, OWM text, exports). A symlink at
    ``path`` is followed, so the link stays a link. Keeps the permission bits of the file it replaces (a temp file would otherwise
    carry our umask's, and a shared document would silently become private).
    Raises OSError; on error the temp file is removed and ``path`` is untouched.
    """
    target = resolve_target(path)
    directory = target.parent
    mode: int | None = None  # a new file gets 0o666 less the umask, like any other
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(os.stat(target).st_mode)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = directory / (temp_prefix(target) + secrets.token_hex(6))
        try:
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if mode is not None and os.name == "posix":
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_directory(directory)
