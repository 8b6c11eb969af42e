"""A warm process that answers ``osom check`` for one user's shell loops (issue 11).

``for f in folder/*.osom; do osom check "$f"; done`` starts a process per file. Most of
such a process is Python importing pydantic and building the model classes (~300 ms on a
2-core box) before the file (a few ms) is even opened, so 500 files took ~3 minutes. The
same answer costs ~40 ms when a process that already holds those modules does the work:
the way sccache, Bazel and Gradle answer their command lines.

How it goes:

- ``osom check`` first asks a server over a Unix socket (``ask``). The server runs the
  very same ``cli.run`` on the request's arguments, in the client's working folder and
  umask, and streams back each write to stdout and stderr in order, then the exit code;
  the client writes them out. Nothing is cached between requests but code: every file is
  read afresh, so no verdict can be stale.
- No server (none yet, or it stopped): the check runs in the process as it always did,
  then a server is started in the background for the next ``osom check`` (``start``).
  So does a check the server has not started within ``FIRST_FRAME_SECONDS`` (it is busy
  writing to a reader that stopped reading, ``osom check … | less``).
- Ctrl-C ends the client quietly by SIGINT, so a shell stops its loop; argparse's
  ``--help`` wraps to the client's terminal, not the server's (none).
- A server answers only a client of the same user (the socket's folder is the user's,
  mode 0700, and the peer's uid is checked) with the same code (every module's mtime and
  size), the same Python and the same environment (``identity``): anything else gets or
  starts its own server. It exits after ``IDLE_SECONDS`` without a request, or when its
  memory has grown past ``MAX_RSS_KB`` (a hostile file's request).
- ``OSOM_CHECK_SERVER=0`` turns it off: every ``osom check`` runs in its own process.

Only the standard library is imported here: this is what every ``osom check`` pays.
"""

from __future__ import annotations

# The C module, not socket.py: the client needs only AF_UNIX streams, and socket.py's
# enums and selectors cost each osom check ~5 ms (the server imports socket.py).
import _socket
import io
import marshal
import os
import stat
import struct
import sys
import zlib

TYPE_CHECKING = False  # typing is not imported for this (mypy reads the name as True)
if TYPE_CHECKING:
    import socket
    from collections.abc import Callable, Mapping

SWITCH = "OSOM_CHECK_SERVER"  # "0": never use or start a server
IDLE_SECONDS = 300.0
MAX_RSS_KB = 1024 * 1024  # a server that grew past 1 GB (a huge file checked) exits after replying
# Variables a shell changes from one command to the next: not part of what the check sees.
_VOLATILE_ENV = frozenset({"_", "PWD", "OLDPWD", "SHLVL"})
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS

# A frame: one tag byte and a 4-byte length, then the payload.
_HEADER = struct.Struct("!cI")
OUT, ERR, EXIT, REFUSED = b"o", b"e", b"x", b"r"
STARTED = b"s"  # the server has taken the request and runs it
# A client that hears nothing from the server this long runs the check itself: the
# server answers one check at a time, and the one before may be stuck writing to a
# reader that stopped reading (``osom check … | less``), which held up every other
# check of the user until the pager quit.
FIRST_FRAME_SECONDS = 2.0
EXIT_BROKEN_PIPE = 141  # cli's: what a shell reports for a tool SIGPIPE ended


# -- who may share a server ---------------------------------------------------------


def identity(package: str = _PACKAGE, environ: dict[str, str] | None = None) -> str:
    """What a served check depends on besides its arguments, in two lines: where it runs
    (this Python, the package's folder, sys.path, the user, the environment), which names
    the server's socket; then the code (each file's path, mtime and size, and the
    site-packages folders' mtimes, which pip changes), which the server compares on every
    request. Two processes with equal identities give the same output for the same
    arguments, folder and files. New code at the same place makes its server leave, so
    edits never pile up servers."""
    env = os.environ if environ is None else environ
    code: list[str] = []
    _stamp_files(package, "", code)
    # Not the mtime of other folders on sys.path: with ``python -m`` the first is the
    # working folder, which a loop's output files change. A set, in order: the server
    # puts an installed copy's site-packages first on its path, a second time.
    installed: list[tuple[str, int | None]] = []
    for entry in sorted({e for e in sys.path if os.path.basename(e) in ("site-packages", "dist-packages")}):
        try:
            installed.append((entry, os.stat(entry).st_mtime_ns))
        except OSError:
            installed.append((entry, None))
    variables = sorted((k, v) for k, v in env.items() if k not in _VOLATILE_ENV)
    # repr of lists of str and int: one line, the same for the same values, no json to import
    where = repr([sys.executable, sys.version, os.getuid(), package, variables])
    return where + "\n" + repr([code, installed])


def _stamp_files(folder: str, prefix: str, out: list[str]) -> None:
    """"path mtime size" of every file under ``folder`` (bytecode caches left out), in
    a stable order. Every ``osom check`` pays for this walk: plain scandir, no os.walk."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _stamp_files(entry.path, f"{prefix}{entry.name}/", out)
                continue
            st = entry.stat()
        except OSError:
            continue
        out.append(f"{prefix}{entry.name} {st.st_mtime_ns} {st.st_size}")


def socket_path(ident: str, environ: dict[str, str] | None = None) -> str | None:
    """The server's socket for this identity, in a folder only this user can enter; None
    where there is no such folder (then every check runs in its own process)."""
    env = os.environ if environ is None else environ
    folder = _private_folder(env)
    if folder is None:
        return None
    where = ident.split("\n", 1)[0].encode()  # the code is checked per request, not named here
    path = os.path.join(folder, f"check-{zlib.crc32(where):08x}-{zlib.adler32(where):08x}.sock")
    return path if len(path.encode()) <= _MAX_SOCKET_PATH else None


def _private_folder(env: Mapping[str, str]) -> str | None:
    """``$XDG_RUNTIME_DIR/osom``, else ``$TMPDIR/osom-<uid>`` (``/tmp``): short paths, as
    a socket's must be (not under OSOM_HOME, which can be deep; the identity holds
    OSOM_HOME, so each home still has its own server). Made with mode 0700; a folder
    that is not ours, is a symlink, or others can enter is not used."""
    uid = os.getuid()
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        folder = os.path.join(runtime, "osom")
    else:
        folder = os.path.join(env.get("TMPDIR") or "/tmp", f"osom-{uid}")
    try:
        os.makedirs(os.path.dirname(folder), exist_ok=True)
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o077:
        return None
    return folder


# -- the client ---------------------------------------------------------------------


def served_or_run(argv: list[str], run_here: Callable[[list[str]], int]) -> int:
    """``osom`` with ``argv``: an ``osom check`` is sent to the warm server where one
    answers; anything else, or a check no server answered, is ``run_here``, and then a
    server is started for the next check.

    Ctrl-C (SIGINT) ends the process quietly, by SIGINT: a served check waits in
    ``_relay`` nearly all its life, where Ctrl-C printed a KeyboardInterrupt traceback;
    dying of the signal (not exiting 130) is what makes the shell running a loop of
    checks stop the loop rather than go on to the next file."""
    try:
        place = _place(argv)
        if place is None:
            return run_here(argv)
        try:
            return ask(argv, *place)
        except NoServer:
            pass  # none answered: the check runs here, and a server is started for the next
        environ = dict(os.environ)  # as we were started: what the server must see
        try:
            return run_here(argv)
        finally:
            start(*place, environ)
    except KeyboardInterrupt:
        _die_of_sigint()
        raise


def _die_of_sigint() -> None:
    """End this process by SIGINT, as Python's default handler would have, without the
    traceback (what was written so far is flushed first)."""
    import signal

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)


def _place(argv: list[str]) -> tuple[str, str] | None:
    """(identity, socket) of the server that may answer this command; None for other
    commands, with OSOM_CHECK_SERVER=0, or where the user has no private folder."""
    if argv[:1] != ["check"] or os.environ.get(SWITCH) == "0":
        return None
    ident = identity()
    path = socket_path(ident)
    return None if path is None else (ident, path)


class NoServer(Exception):
    """No server answered before anything was written: run the check here."""


def ask(argv: list[str], ident: str, path: str) -> int:
    """Have the server at ``path`` run ``osom`` with ``argv``; write what it writes.
    Raises NoServer when none answered before any output, so the caller runs the check
    itself: a check only reads, so running it again is safe."""
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            conn.connect(path)
            _send(conn, marshal.dumps(_request(argv, ident)))
        except OSError as exc:
            raise NoServer(str(exc)) from None
        conn.settimeout(FIRST_FRAME_SECONDS)  # until the server says it has started: see FIRST_FRAME_SECONDS
        return _relay(conn)
    finally:
        conn.close()


def _request(argv: list[str], ident: str) -> dict[str, object]:
    umask = os.umask(0o022)
    os.umask(umask)
    return {
        "identity": ident,
        "argv": argv,
        "cwd": os.getcwd(),
        "umask": umask,
        "stdout": [sys.stdout.encoding, sys.stdout.errors],
        "stderr": [sys.stderr.encoding, sys.stderr.errors],
        "terminal": _terminal(),
    }


def _terminal() -> list[int] | None:
    """The size of the terminal our stdout is (None: not a terminal), which argparse
    wraps ``--help`` to: the server's stdout is none."""
    try:
        size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return None
    return [size.columns, size.lines]


def _relay(conn: _socket.socket) -> int:
    """Write each frame to our stdout or stderr as it comes, in the server's order (so a
    terminal shows the lines interleaved as a process of our own would)."""
    wrote = False
    while True:
        try:
            tag, size = _HEADER.unpack(_exactly(conn, _HEADER.size))
            payload = _exactly(conn, size)
        except OSError:  # TimeoutError among them: no word from a busy server
            if wrote:  # part of the answer is out: running it again would repeat it
                sys.stderr.write("osom: the check server stopped before the check ended; run it again\n")
                return 2
            raise NoServer("the server closed the connection or did not answer") from None
        conn.settimeout(None)  # it has answered: a long check is waited for
        if tag == STARTED:
            continue
        if tag == EXIT:
            return int(payload)
        if tag == REFUSED:
            raise NoServer(payload.decode(errors="replace"))
        stream = sys.stdout if tag == OUT else sys.stderr
        try:
            if tag == ERR:
                sys.stdout.flush()
            stream.buffer.write(payload)
            stream.flush()
        except BrokenPipeError:  # our reader left (``osom check … | head -1``): as cli does
            silence_closed_streams()
            return EXIT_BROKEN_PIPE
        except OSError as exc:  # e.g. output redirected to a full disk: one line, as cli says
            silence_closed_streams()
            try:
                sys.stderr.write(f"osom: cannot write the output: {exc.strerror or exc}\n")
            except OSError:
                pass
            return 2
        wrote = True


def silence_closed_streams() -> None:
    """A closed stdout or stderr pointed at /dev/null, so Python's flush at exit prints
    no "Exception ignored ... BrokenPipeError" (the recipe of Python's signal docs).
    cli uses it too: here, because a served check must not import cli."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
                os.close(null)
            except (OSError, ValueError, AttributeError):
                pass


def start(ident: str, path: str, environ: dict[str, str]) -> None:
    """Start a server for the next ``osom check`` in the background, unless one is
    starting or running. Its own session, no terminal, no inherited descriptors: a pipe
    the caller reads (``osom check f | head``, CI's log) is never held open by it."""
    import fcntl
    import subprocess

    try:
        with open(path + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: a server is up or starting
    except OSError:
        return
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _BOOT, os.path.dirname(_PACKAGE), path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/", env=environ, start_new_session=True, close_fds=True,
        )
        assert child.stdin is not None
        child.stdin.write(ident.encode())  # not in argv: ps shows argv to every user
        child.stdin.close()
    except OSError:
        pass  # no server this time: the next check runs in its own process again


# -- the server ---------------------------------------------------------------------


# The server's first lines: the package from the client's folder, whatever else could
# provide one (an editable install's finder maps the name to its own tree): a finder
# that would find the package elsewhere is set aside.
_BOOT = """
import sys
sys.path.insert(0, sys.argv[1])
for finder in list(sys.meta_path):
    try:
        spec = finder.find_spec("osom_desktop", None)
    except Exception:
        continue
    if spec is not None and not (spec.origin or "").startswith(sys.argv[1]):
        sys.meta_path.remove(finder)
from osom_desktop.check_server import serve_from_stdin
serve_from_stdin(sys.argv[2])
"""


def serve_from_stdin(path: str) -> None:
    ident = sys.stdin.buffer.read().decode()
    sys.stdin.close()
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the server's stdin for its whole life
    if identity() != ident:  # not the code or environment its client has: serve no one
        return
    serve(ident, path)


def serve(ident: str, path: str, idle: float | None = None) -> None:
    """Answer requests one at a time until idle for ``idle`` seconds."""
    import fcntl
    import signal
    import socket

    if idle is None:
        idle = float(os.environ.get("OSOM_CHECK_SERVER_IDLE", IDLE_SECONDS))
    # Stopped (kill, a bench's clean-up): leave through the finally below, which removes
    # the socket, rather than leave it for the next server to find.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    lock = open(path + ".lock", "a+")  # noqa: SIM115 - held for the server's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another server holds it
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    try:
        os.unlink(path)  # a server that was killed left its socket
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(64)  # clients that come while the modules load wait in the backlog
    mine = os.stat(path).st_ino
    try:
        _warm()
        listener.settimeout(idle)
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                break
            conn.settimeout(None)
            with conn:
                try:
                    _answer(conn, ident)
                except _Replaced:
                    break
            if _rss_kb() > MAX_RSS_KB:
                break
    finally:
        try:
            if os.stat(path).st_ino == mine:
                os.unlink(path)
        except OSError:
            pass
        listener.close()
        lock.close()


def _warm() -> None:
    """What every check needs, loaded before the first request is answered."""
    import osom_desktop.analysis.service_checks  # noqa: F401
    import osom_desktop.cli  # noqa: F401
    import osom_desktop.folder  # noqa: F401
    import osom_desktop.model.service  # noqa: F401
    import osom_desktop.model.text_safety  # noqa: F401
    import osom_desktop.storage  # noqa: F401

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as cli.main does


def _rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peer_uid(conn: socket.socket) -> int | None:
    try:
        _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, struct.calcsize("3i")))
    except (OSError, AttributeError):  # no SO_PEERCRED (not Linux): the folder's 0700 is the guard
        return os.getuid()
    return uid


class _Replaced(Exception):
    """A client with other code at this server's place: the server leaves."""


def _answer(conn: socket.socket, ident: str) -> None:
    if _peer_uid(conn) != os.getuid():
        return
    try:
        request = marshal.loads(_receive(conn))  # from a process of this user (peer uid checked)
    except (OSError, ValueError, EOFError, TypeError):
        return
    if request.get("identity") != ident:
        _frame(conn, REFUSED, b"another version or environment")
        raise _Replaced  # the code changed here: the client runs the check and starts its successor
    try:
        _frame(conn, STARTED, b"")
        code = _run(conn, request)
    except OSError:  # the client went away
        return
    try:
        _frame(conn, EXIT, str(code).encode())
    except OSError:
        pass


def _run(conn: socket.socket, request: dict) -> int:
    """``cli.run`` on the request's arguments, in its folder and umask, with stdout and
    stderr sent to the client as they are written."""
    import shutil
    import traceback

    from osom_desktop import cli

    saved = sys.stdout, sys.stderr, os.getcwd(), os.umask(int(request["umask"]))
    out, err = (_text_to(conn, tag, *request[name]) for tag, name in ((OUT, "stdout"), (ERR, "stderr")))
    sys.stdout, sys.stderr = out, err
    own_size = shutil.get_terminal_size
    shutil.get_terminal_size = _size_for(request.get("terminal"))
    try:
        os.chdir(request["cwd"])
        try:
            code = cli.run(list(request["argv"]))
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:  # noqa: BLE001 - what a process of its own would print (OSOM_DEBUG=1)
            traceback.print_exc()
            code = 1
        for stream in (out, err):
            try:
                stream.flush()
            except OSError:
                pass
        return code
    finally:
        shutil.get_terminal_size = own_size
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.chdir(saved[2])
        os.umask(saved[3])


def _size_for(terminal: object) -> Callable[..., os.terminal_size]:
    """``shutil.get_terminal_size`` as the client's process answers it: its rule
    (COLUMNS and LINES first, the environment being the client's), with the client's
    terminal where it asks its stdout's (the server's is none: --help came back wrapped
    at 80 columns in a wider terminal)."""

    def get_terminal_size(fallback: tuple[int, int] = (80, 24)) -> os.terminal_size:
        sizes = []
        for name in ("COLUMNS", "LINES"):
            try:
                sizes.append(int(os.environ[name]))
            except (KeyError, ValueError):
                sizes.append(0)
        columns, lines = sizes
        if columns <= 0 or lines <= 0:
            ok = isinstance(terminal, list) and len(terminal) == 2 and all(isinstance(n, int) for n in terminal)
            size = os.terminal_size(terminal if ok else fallback)  # type: ignore[arg-type]
            columns = columns if columns > 0 else (size.columns or fallback[0])
            lines = lines if lines > 0 else (size.lines or fallback[1])
        return os.terminal_size((columns, lines))

    return get_terminal_size


def _text_to(conn: socket.socket, tag: bytes, encoding: str, errors: str) -> io.TextIOWrapper:
    """A text stream like the client's (its encoding and error handler), sent line by line."""
    return io.TextIOWrapper(io.BufferedWriter(_Stream(conn, tag)), encoding=encoding, errors=errors, line_buffering=True)


class _Stream(io.RawIOBase):
    """A write-only raw stream whose every write is one frame to the client."""

    def __init__(self, conn: socket.socket, tag: bytes) -> None:
        super().__init__()
        self._conn, self._tag = conn, tag

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # noqa: ANN001 - bytes-like
        data = bytes(data)
        if data:
            _frame(self._conn, self._tag, data)
        return len(data)



def _frame(conn: socket.socket, tag: bytes, payload: bytes) -> None:
    conn.sendall(_HEADER.pack(tag, len(payload)) + payload)


def _send(conn: _socket.socket, payload: bytes) -> None:
    conn.sendall(struct.pack("!I", len(payload)) + payload)


def _receive(conn: socket.socket) -> bytes:
    head = _exactly(conn, 4)
    (size,) = struct.unpack("!I", head)
    if size > 16 * 1024 * 1024:
        raise ValueError("request too large")
    return _exactly(conn, size)


def _exactly(conn: _socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(left)
        if not chunk:
            raise OSError("connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- tests and people: is a server up, stop it --------------------------------------


def server_pid(path: str) -> int | None:
    """The pid of the server holding ``path``'s lock, or None when none runs."""
    import fcntl

    try:
        with open(path + ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.seek(0)
                text = lock.read().strip()
                return int(text) if text.isdigit() else None
            return None
    except OSError:
        return None
