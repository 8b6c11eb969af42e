"""How much of a ``.osom`` file we are willing to read, and reading it without ever blocking.

A folder on a shared drive can hold anything: a named pipe called ``x.osom`` (opening it
for reading waits for a writer that never comes), a link to ``/dev/zero`` (endless
bytes), a real SQLite file with a million rows (a minute and gigabytes to build), a JSON
column nested thousands deep (``RecursionError``). Every reader of service files (open,
the folder summaries, the network) goes through ``read_limited`` and the row cap here,
so each of these becomes a one-line reason about that file, quickly.

The limits are far above any real service (the largest generated in the benchmarks,
16,000 components, is a 5 MB file) and are documented in ``docs/limits.md``.
``OSOM_MAX_FILE_BYTES`` and ``OSOM_MAX_ROWS`` change them (a portable copy handling a
giant file, or a test making a hostile file cheaply); they are read on each call.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from osom_desktop.storage.checks import FileProblem

DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
# Per table. 50,000 components is ten times a map anyone can read; a revision is
# appended per save, so 50,000 saves is a long life.
DEFAULT_MAX_ROWS = 50_000
# JSON values in columns are a list of four labels and a map snapshot (whose own
# nesting is a few levels): 64 is generous and far from the interpreter's limit.
MAX_JSON_DEPTH = 64

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file; not read"),
    (stat.S_ISCHR, "is a device, not a file; not read"),
    (stat.S_ISBLK, "is a device, not a file; not read"),
    (stat.S_ISSOCK, "is a socket, not a file; not read"),
)


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def max_file_bytes() -> int:
    return _env_int("OSOM_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def max_rows() -> int:
    return _env_int("OSOM_MAX_ROWS", DEFAULT_MAX_ROWS)


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, reason in _KINDS:
        if test(mode):
            return reason
    return "is not a regular file; not read"


def read_limited(path: Path) -> bytes:
    """The whole of a regular file of at most ``max_file_bytes()``; anything else is a FileProblem.

    Opened non-blocking (a FIFO swapped in after any earlier check cannot make us wait)
    and checked with ``fstat`` on what was actually opened; then at most cap + 1 bytes
    are read, so a file growing while read cannot take more memory than the cap.
    """
    cap = max_file_bytes()
    fd = _open_regular(path)
    try:
        st = os.fstat(fd)
        why = not_regular(st.st_mode)
        if why is not None:
            raise FileProblem(why)
        if st.st_size > cap:
            raise FileProblem(too_large(st.st_size, cap))
        return _read_at_most(fd, cap)
    except OSError as exc:
        raise FileProblem(f"could not read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _open_regular(path: Path) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # Named first by stat: opening a socket fails with an unhelpful errno.
        why = not_regular(os.stat(path).st_mode)
        if why is not None:
            raise FileProblem(why)
        return os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a folder, not a file") from None
    except PermissionError:
        raise FileProblem("not allowed to read this file") from None
    except OSError as exc:
        raise FileProblem(f"could not read the file: {exc.strerror or exc}") from None


def _read_at_most(fd: int, cap: int) -> bytes:
    """All of ``fd``; FileProblem once more than ``cap`` bytes came (a file growing
    while read cannot take more memory than the cap)."""
    chunks: list[bytes] = []
    got = 0
    while got <= cap:
        chunk = os.read(fd, min(cap + 1 - got, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    if got > cap:
        raise FileProblem(too_large(got, cap, at_least=True))
    return b"".join(chunks)


def too_large(size: int, cap: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (f"too large to be an OSOM service file ({more}{size:,} bytes; the limit is {cap:,}, "
            "set OSOM_MAX_FILE_BYTES to raise it)")


def too_many_rows(table: str, cap: int) -> str:
    return (f"too large to open: table {table} has more than {cap:,} rows "
            "(set OSOM_MAX_ROWS to raise the limit)")


def json_depth(text: str) -> int:
    """How deeply ``[`` and ``{`` nest in JSON text, brackets inside strings ignored.

    Checked before ``json.loads``, whose C parser recurses once per level and raises
    RecursionError (or worse, on a small thread stack) on text nested thousands deep.
    """
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


def read_head(path: str | os.PathLike[str], size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file, without ever blocking; None for
    anything else (a FIFO, a device, a folder, a missing or unreadable file).

    For deciding by content what a file is: ``open(path).read(16)`` on a FIFO named
    ``x.osom`` waits forever for a writer.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        if not_regular(os.stat(path).st_mode) is not None:
            return None
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not_regular(os.fstat(fd).st_mode) is not None:
            return None
        return os.read(fd, size)
    except OSError:
        return None
    finally:
        os.close(fd)
