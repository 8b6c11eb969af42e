"""Replace a file atomically: the old version or the new one, never a mix.

Why: overwriting an SQLite file in place corrupted 21 of 25 files when the process
was killed mid-save; a temp file in the same folder, fsync, ``os.replace``, fsync of
the folder left 25 of 25 valid. The folder must be the target's own: ``os.replace`` is
atomic only within one file system. Every file the app and ``osom`` write goes through
``atomic_write_bytes``: documents, OWM text, JSON, SVG, PNG and the packs (the Qt
writers draw into memory first; see ``osom_desktop.export.output``).

Every write is checked. A full disk, a quota or an I/O error raises ``WriteError``
(one line naming the file); the temp file is removed and the target is untouched, so
nothing reports success unless the complete file is in place.

Respecting the file being replaced:

* Read-only (no write permission bit, or not writable by us): refused with
  ``ReadOnlyFileError`` unless the caller passes ``replace_read_only=True`` after
  asking the person (the app asks; ``osom`` has ``--replace-read-only``).
* Permission bits, owner and group are copied to the new file. Owner and group can be
  kept only by root or, for the group, by a member of it; ``replace_notes`` says
  beforehand what cannot be kept, for the caller to tell the person.
* Hard links: an atomic replace gives this name a new file, so other names of the old
  file keep the old content. Writing in place instead would keep the link but lose
  atomicity (a crash mid-write damages every name), so we keep the replace and
  ``replace_notes`` warns when ``st_nlink > 1``.
* Not a regular file: never replaced. A rename over a FIFO or a device node would put
  a regular file in its place (``osom export -o /dev/null`` as root replaced the
  machine's /dev/null; a FIFO's reader never got its data). A FIFO or a character
  device (``/dev/stdout``, a terminal, bash's ``>(gzip > f)`` seen as ``/dev/fd/N``)
  is written straight through, as ``cat > target`` would: it is a stream, so there is
  nothing to rename over and no atomicity to have; the ``check`` runs on the bytes in
  memory first. A folder, a socket or a block device is refused (``NotAFileError``).
  So is a target that names a folder, existing or not (``out/``, ``out/.``): the
  path's own resolution drops the trailing separator, so ``-o nosuchdir/`` had
  written a file named ``nosuchdir``.

Temp files are named ``.<name>.tmp-<hex>`` (hidden, never ending in ``.osom``) so
neither a person nor the network view's folder scan takes one for a document. The
writer holds an ``flock`` on its temp file until the rename. A process killed mid-save
leaves its temp file behind; the next write into the same folder (and the next open
of a document there) removes every such file of ours that is older than
``STALE_TEMP_SECONDS`` and not locked, so a temp file a live process (the same file
open twice on a shared drive) is writing is never touched.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno as errno_codes
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from osom_desktop.storage.errors import StorageError

try:  # POSIX: lets a cleaner tell a live writer's temp file from a dead one's
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# Older than this and not locked, a temp file's writer is gone. The age guard covers
# file systems where flock is not shared between machines (some network drives).
STALE_TEMP_SECONDS = 60.0

# Any temp file of ours, whatever document or export it was for.
OUR_TEMP = re.compile(r"\A\..+\.tmp-[0-9a-f]{12}\Z")


class WriteError(StorageError, OSError):
    """A file could not be written; the previous version (if any) is untouched.

    Both a StorageError (one line naming the file, for people) and an OSError (for
    callers that handle file-system errors), with ``errno`` kept.
    """

    def __init__(
        self, path: str | os.PathLike[str], problem: str, code: int | None = None, strerror: str | None = None
    ) -> None:
        StorageError.__init__(self, path, problem)
        self.errno = code
        self.strerror = strerror or self.problem  # the OS's words, for "not saved: ..."
        self.filename = self.path

    def __str__(self) -> str:
        return str(self.args[0])


class ReadOnlyFileError(WriteError):
    """The target is read-only: replacing it needs the person's say-so."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            path, "is read-only; not replaced", errno_codes.EACCES, "the file is read-only (not replaced)"
        )


class NotAFileError(WriteError):
    """The target is a folder, a socket or a block device: nothing is written to it."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        code = errno_codes.EISDIR if kind == "a folder" else errno_codes.EINVAL
        super().__init__(path, f"is {kind}, not a file; nothing written", code, f"{kind}, not a file")

    @classmethod
    def named_folder(cls, path: str | os.PathLike[str]) -> NotAFileError:
        """``path`` ends in a separator (or ``.``/``..``): it names a folder, which may
        not exist. Shown as typed at its end (``nosuchdir/``), so the person sees the
        slash that made it a folder."""
        error = cls(path, "a folder")
        error.problem = "names a folder, not a file; nothing written"
        error.strerror = "names a folder, not a file"
        text = os.fsdecode(os.fspath(path))
        shown = os.path.basename(text.rstrip(_SEPARATORS)) + text[len(text.rstrip(_SEPARATORS)):]
        error.args = (f"{shown or text}: {error.problem}",)
        return error


_SEPARATORS = os.sep + (os.altsep or "")


def names_a_folder(path: str | os.PathLike[str]) -> bool:
    """``out/`` or ``out/.``: a folder by its spelling, whether or not it exists.
    ``resolve_target`` (``abspath``) would drop the separator and write a file ``out``."""
    text = os.fsdecode(os.fspath(path))
    return text.endswith(tuple(_SEPARATORS)) or os.path.basename(text) in (".", "..")


def temp_prefix(target: Path) -> str:
    return f".{target.name}.tmp-"


def temp_pattern(target: Path) -> re.Pattern[str]:
    """Names of temp files a save of ``target`` may leave behind."""
    return re.compile(re.escape(temp_prefix(target)) + r"[0-9a-f]{12}\Z")


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The file a save should replace: through a symlink, so the link survives.

    A link to a stream stays as it is: ``/dev/stdout`` and ``/dev/fd/N`` lead through
    /proc to a pipe whose "path" (``pipe:[123]``) is no file at all, while opening the
    link itself reaches the pipe.
    """
    target = Path(os.path.abspath(path))
    if target.is_symlink():
        with contextlib.suppress(OSError):
            if is_stream(os.stat(target)):
                return target
        target = Path(os.path.realpath(target))
    return target


def is_stream(st: os.stat_result) -> bool:
    """A FIFO or a character device: written straight through, never replaced."""
    return stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)


def _not_a_file(st: os.stat_result) -> str | None:
    """What the target is when nothing may be written to it (None: a file or a stream)."""
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISREG(mode) or is_stream(st):
        return None
    return "not a regular file"  # pragma: no cover - a door, a whiteout: not on Linux


def check_target(path: str | os.PathLike[str]) -> None:
    """Raise NotAFileError when ``path`` is a folder, a socket or a block device, so a
    command can refuse before doing its work (``atomic_write_bytes`` refuses too);
    also when ``path`` names a folder by its spelling (``names_a_folder``)."""
    if names_a_folder(path):
        raise NotAFileError.named_folder(path)
    target = resolve_target(path)
    try:
        st = os.stat(target)
    except OSError:
        return
    kind = _not_a_file(st)
    if kind is not None:
        raise NotAFileError(target, kind)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":  # pragma: no cover - not our CI platform
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the file being replaced -----------------------------------------------------------


def is_read_only(st: os.stat_result, path: Path) -> bool:
    """No write bit at all (``chmod a-w``: someone meant it, even for root), or not
    writable by us."""
    return not st.st_mode & 0o222 or not os.access(path, os.W_OK)


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ReadOnlyFileError when ``path`` exists and is read-only (a new file is fine)."""
    target = resolve_target(path)
    try:
        st = os.stat(target)
    except OSError:
        return
    if stat.S_ISREG(st.st_mode) and is_read_only(st, target):
        raise ReadOnlyFileError(target)


# Read-only files the person said may be replaced, for writes that reach us through
# code that does not pass ``replace_read_only`` along (a session's save).
_ALLOWED_READ_ONLY: contextvars.ContextVar[frozenset[Path]] = contextvars.ContextVar(
    "allowed_read_only", default=frozenset()
)


@contextlib.contextmanager
def replacing_read_only(path: str | os.PathLike[str]) -> Iterator[None]:
    """Within this block, writes may replace ``path`` though it is read-only (the
    person was asked). Only this path, only this thread of work."""
    token = _ALLOWED_READ_ONLY.set(_ALLOWED_READ_ONLY.get() | {resolve_target(path)})
    try:
        yield
    finally:
        _ALLOWED_READ_ONLY.reset(token)


def _can_keep_group(gid: int) -> bool:
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def replace_notes(path: str | os.PathLike[str]) -> list[str]:
    """One line for each thing a replace of ``path`` cannot keep, to tell the person
    before (or as) it happens: hard links, owner, group. Empty for a new file."""
    if os.name != "posix":  # pragma: no cover
        return []
    target = resolve_target(path)
    try:
        st = os.stat(target)
    except OSError:
        return []
    if not stat.S_ISREG(st.st_mode):  # written through or refused: nothing of it is replaced
        return []
    name = target.name
    notes = []
    if st.st_nlink > 1:
        notes.append(
            f"{name}: has {st.st_nlink - 1} other name(s) (hard links); they keep the previous "
            "version, this name gets the new one"
        )
    if os.geteuid() != 0:
        if st.st_uid != os.geteuid():
            notes.append(f"{name}: belonged to {_user_name(st.st_uid)}; the new version belongs to you")
        elif not _can_keep_group(st.st_gid):
            notes.append(f"{name}: was in group {_group_name(st.st_gid)}; the new version is in your group")
    return notes


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


# -- stale temp files ------------------------------------------------------------------


def _locked_by_someone(path: str) -> bool:
    """Another process holds our writer's lock on ``path`` (it is being written)."""
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return True  # cannot look: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # releases our probe lock
    return False


def remove_stale_temps_in(folder: str | os.PathLike[str], older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files of ours in ``folder`` that dead writers left behind.

    Only names of our pattern, only regular files, only those older than
    ``older_than`` seconds and not locked by a live writer. Never raises: a folder we
    cannot list or a file we may not delete is simply left.
    """
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not OUR_TEMP.match(entry.name):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to delete
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime <= older_than:
                continue
            if _locked_by_someone(entry.path):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


_TIDIED: dict[str, float] = {}  # folder -> when this process last cleaned it


def tidy_folder_of(path: str | os.PathLike[str]) -> None:
    """On opening a document: remove stale temps beside it, at most once a minute per
    folder, so loading a folder of 500 services lists the folder once, not 500 times."""
    folder = os.path.dirname(os.path.abspath(path))
    now = time.monotonic()
    if now - _TIDIED.get(folder, -STALE_TEMP_SECONDS) < STALE_TEMP_SECONDS:
        return
    _TIDIED[folder] = now
    remove_stale_temps_in(folder)


# -- writing -----------------------------------------------------------------------------


def _failed(target: Path, exc: OSError) -> WriteError:
    words = exc.strerror or str(exc)
    if exc.errno in (errno_codes.ENOSPC, errno_codes.EDQUOT):
        return WriteError(target, f"not written: {words}; any previous version is unchanged", exc.errno, words)
    return WriteError(target, f"not written: {words}", exc.errno, words)


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes | bytearray | memoryview,
    *,
    replace_read_only: bool = False,
    check: Callable[[bytes], None] | None = None,
) -> Path:
    """Write ``data`` to ``path`` so that any reader, even after a crash or power
    cut at any instant, finds either the previous file or the complete new one.

    A symlink at ``path`` is followed, so the link stays a link. The new file gets the
    permission bits, and where allowed the owner and group, of the file it replaces
    (a temp file would otherwise carry our umask's, and a shared document would
    silently become private). A read-only target raises ReadOnlyFileError unless
    ``replace_read_only``. ``check``, when given, reads the bytes back from the temp
    file and raises ValueError if they are not a complete file of their kind.

    A FIFO or a character device at ``path`` is written straight through, never
    replaced; a folder, socket or block device raises NotAFileError (module docstring).

    Raises WriteError (a StorageError and an OSError) naming the file; on error the
    temp file is removed and ``path`` is untouched. Returns the file written.
    """
    if names_a_folder(path):
        raise NotAFileError.named_folder(path)
    target = resolve_target(path)
    directory = target.parent
    old = _existing(target, replace_read_only)
    if old is not None and not stat.S_ISREG(old.st_mode):
        kind = _not_a_file(old)
        if kind is not None:
            raise NotAFileError(target, kind)
        return _write_through(target, data, check)
    remove_stale_temps_in(directory)
    temp, fd = _open_temp(target)
    closed = False
    try:
        _fill(fd, data, old, check)
        if os.name != "posix":  # pragma: no cover - Windows cannot rename an open file
            closed = True
            os.close(fd)
        os.replace(temp, target)
    except BaseException as exc:
        if not closed:
            with contextlib.suppress(OSError):
                os.close(fd)
            closed = True
        with contextlib.suppress(OSError):
            os.unlink(temp)
        error = _as_write_error(target, exc)
        if error is None or error is exc:
            raise
        raise error from None
    finally:
        if not closed:
            with contextlib.suppress(OSError):
                os.close(fd)
    try:
        fsync_directory(directory)
    except OSError as exc:
        raise WriteError(target, f"written, but the folder could not be synced: {exc.strerror or exc}", exc.errno) from None
    return target


def _write_through(target: Path, data: bytes | bytearray | memoryview, check: Callable[[bytes], None] | None) -> Path:
    """Write ``data`` into a FIFO or a character device as it is.

    Not atomic, and it cannot be: a stream has no file to rename over, and a reader
    takes the bytes as they come (``cat > fifo`` is no different). So the check runs on
    the bytes in memory before any is sent; what can still go wrong midway (the reader
    goes away: EPIPE) is raised as a WriteError like any failed write. Blocks until a
    FIFO has a reader, as any writer of a FIFO does.
    """
    if check is not None:
        try:
            check(bytes(data))
        except ValueError as exc:
            raise WriteError(target, f"not written: {exc}") from None
    # No O_CREAT: if the stream went away since we looked, a regular file is not made
    # in its place. O_NOCTTY: a terminal we write to must not become our controlling one.
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise _failed(target, exc) from None
    try:
        st = os.fstat(fd)
        if not is_stream(st):  # swapped for something else between our look and the open
            raise NotAFileError(target, _not_a_file(st) or "no longer a FIFO or device")
        view = memoryview(data).cast("B")
        while view:
            view = view[os.write(fd, view):]
    except WriteError:
        raise
    except OSError as exc:
        raise _failed(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    return target


def _existing(target: Path, replace_read_only: bool) -> os.stat_result | None:
    """The file being replaced, if any; ReadOnlyFileError when it may not be."""
    old: os.stat_result | None = None
    with contextlib.suppress(FileNotFoundError):
        old = os.stat(target)
    if (
        old is not None
        and not replace_read_only
        and target not in _ALLOWED_READ_ONLY.get()
        and stat.S_ISREG(old.st_mode)
        and is_read_only(old, target)
    ):
        raise ReadOnlyFileError(target)
    return old


def _open_temp(target: Path) -> tuple[Path, int]:
    """A new temp file of ours beside ``target``, open for writing."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        while True:
            temp = target.parent / (temp_prefix(target) + secrets.token_hex(6))
            try:
                return temp, os.open(temp, flags, 0o666)
            except FileExistsError:  # pragma: no cover - 48 random bits collided
                continue
    except OSError as exc:
        raise _failed(target, exc) from None


def _fill(
    fd: int, data: bytes | bytearray | memoryview, old: os.stat_result | None, check: Callable[[bytes], None] | None
) -> None:
    """Write ``data`` to the temp file, give it the old file's identity, sync it, and
    make sure what is on disk is all of it (and, with ``check``, a whole file)."""
    if fcntl is not None:
        # Ours until the rename: no cleaner takes it. A network drive without lock
        # support still gets its save (the age guard then protects the temp file).
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
    view = memoryview(data).cast("B")
    expected = len(view)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    if old is not None and os.name == "posix":
        _copy_identity(fd, old)
    os.fsync(fd)  # where a network drive or a quota reports a failed write
    if os.fstat(fd).st_size != expected:
        raise OSError(errno_codes.EIO, "the file on disk came out shorter than written")
    if check is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        _check_back(fd, expected, check)


def _as_write_error(target: Path, exc: BaseException) -> WriteError | None:
    """What a failed write raises: a WriteError naming the file, or None to let
    ``exc`` (KeyboardInterrupt, a bug) go on as it is."""
    if isinstance(exc, WriteError):
        return exc
    if isinstance(exc, OSError):
        return _failed(target, exc)
    if isinstance(exc, ValueError):
        return WriteError(target, f"not written: {exc}")
    return None


def _copy_identity(fd: int, old: os.stat_result) -> None:
    """Mode, and owner and group where the OS lets us (root, or a member of the group)."""
    with contextlib.suppress(PermissionError):
        os.fchown(fd, old.st_uid, old.st_gid)
    if os.fstat(fd).st_gid != old.st_gid and _can_keep_group(old.st_gid):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, old.st_gid)
    # After chown: changing owner clears set-id bits, so the mode goes last. Some
    # file systems (FAT, some SMB mounts) have no modes to set: not a reason to fail.
    with contextlib.suppress(PermissionError):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _check_back(fd: int, size: int, check: Callable[[bytes], None]) -> None:
    chunks = []
    left = size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    check(b"".join(chunks))
