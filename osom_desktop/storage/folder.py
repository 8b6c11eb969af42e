"""Which files of a folder are service files to read, decided without opening any of them.

A shared folder is untrusted like the files in it. Listed here from each entry's own
``lstat``/``stat``, before anything is opened:

* a name starting with ``.`` is skipped (a save's temp file, a sync tool's own);
* only regular files are candidates: a named pipe, a device or a socket named
  ``*.osom`` is listed as unreadable with the reason (opening a FIFO waits forever);
* a symlink is followed only when it stays inside the folder being scanned: one
  leading out of it (to ``/dev/zero``, to someone's home) is listed, not read;
* folders below are visited only when asked (``recursive``) and symlinked folders
  never (no loops).

The reader re-checks what it actually opens (``limits.read_limited``), so a file swapped
for a FIFO between this listing and the open still cannot block.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK

from osom_desktop.storage.limits import not_regular

SERVICE_SUFFIX = ".osom"


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """A ``*.osom`` name found in a folder: a file to read, or why it is not read."""

    where: str  # the path as found (a Path is made only when asked: thousands cost milliseconds)
    problem: str | None = None  # one line, starting with the file's name
    stat: os.stat_result | None = None  # of the file read (a symlink's target), when readable
    real: str = ""  # the file read, resolved (``os.path.realpath``), when readable

    @property
    def path(self) -> Path:
        return Path(self.where)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def service_files(folder: str | os.PathLike[str], recursive: bool = False) -> Iterator[FolderEntry]:
    """Every ``*.osom`` entry of ``folder`` (and below it if ``recursive``), sorted, folders first by name.

    A folder that cannot be listed is itself yielded as an entry with a problem.
    Never raises for anything found in the folder.
    """
    top = Path(folder)
    root = _real_folder(top)
    if isinstance(root, FolderEntry):
        yield root
        return
    problems: list[FolderEntry] = []

    def failed(exc: OSError) -> None:
        problems.append(FolderEntry(str(exc.filename or top), f"{exc.filename or top}: {exc.strerror or exc}"))

    for here, dirs, files in os.walk(top, onerror=failed):  # never follows symlinked folders: no loops
        yield from problems
        problems.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        # Folders below are reached through real folders only, so this is their real path
        # (one realpath per folder, not per file: it costs a few lstat calls).
        real_here = os.path.normpath(os.path.join(root, os.path.relpath(here, top)))
        for name in sorted(files):
            if _is_service_file(name):
                yield _entry(os.path.join(here, name), root, os.path.join(real_here, name))
    yield from problems


def _real_folder(top: Path) -> str | FolderEntry:
    """The folder's real path, or the entry saying why it cannot be listed."""
    try:
        if not top.is_dir():
            return FolderEntry(str(top), f"{top}: {'not a folder' if top.exists() else 'no such folder'}")
        return os.path.realpath(top)
    except OSError as exc:
        return FolderEntry(str(top), f"{top}: {exc.strerror or exc}")


def _is_service_file(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(SERVICE_SUFFIX)


def _entry(where: str, root: str, real: str) -> FolderEntry:
    name = os.path.basename(where)
    try:
        st = os.lstat(real)
        if S_ISLNK(st.st_mode):
            target = real = os.path.realpath(where)
            if not _inside(target, root):
                return FolderEntry(where, f"{name}: is a link to a file outside the folder ({target}); not read")
            try:
                st = os.stat(where)
            except FileNotFoundError:
                return FolderEntry(where, f"{name}: is a link to a file that does not exist")
    except OSError as exc:
        return FolderEntry(where, f"{name}: {exc.strerror or exc}")
    why = not_regular(st.st_mode)
    if why is not None:
        return FolderEntry(where, f"{name}: {why}")
    return FolderEntry(where, None, st, real)
