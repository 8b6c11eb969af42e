"""A served ``osom check`` in a terminal says what its own process says there.

argparse wraps ``--help`` to the terminal's width, which it asks of
the process's stdout. A served check's stdout is the server's (no terminal: 80
columns), so in a 160-column terminal ``osom check --help`` came back wrapped at 80
when served and unwrapped in its own process (and in a 50-column one, wider than the
terminal). Real processes on a real pseudo-terminal, served and not.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
from pathlib import Path

import pytest

from tests.cli.test_check_server import _env, home, wait_for_server  # noqa: F401 - home is a fixture

RUN = "import sys\nfrom osom_desktop.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def in_terminal(env: dict[str, str], columns: int, *args: str) -> tuple[int, bytes]:
    """Exit code and what ``osom`` wrote to a terminal ``columns`` wide."""
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
        try:
            os.execve(sys.executable, [sys.executable, "-c", RUN, *args], env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out


def ctrl_c_in(loop: str, env: dict[str, str]) -> tuple[bytes, int]:
    """Run the shell ``loop`` on a terminal nobody reads for 4 s (a check's lines fill it
    and its writes wait), then press Ctrl-C there: what the terminal got, and the wait
    status of the shell."""
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:
        try:
            # A terminal starts its shell with Ctrl-C at its default; a run started in
            # the background (``pytest &``, some CI runners) ignores SIGINT, and the
            # shell and its checks would inherit that and never see the Ctrl-C.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execve("/bin/bash", ["bash", "-c", loop], env)
        finally:
            os._exit(127)
    time.sleep(4.0)
    assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the loop ended before Ctrl-C"
    os.write(fd, b"\x03")  # Ctrl-C at the terminal: SIGINT to its foreground processes
    out, end = b"", time.monotonic() + 60
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return out, status


@pytest.mark.parametrize("columns", [160, 50])
def test_help_wraps_to_the_callers_terminal(tmp_path: Path, home: Path, columns: int) -> None:  # noqa: F811
    served, own = _env(home), _env(home, served=False)
    in_terminal(served, columns, "check", str(tmp_path / "none.osom"))  # starts the server
    wait_for_server(home)
    assert in_terminal(served, columns, "check", "--help") == in_terminal(own, columns, "check", "--help")


def test_ctrl_c_while_served_stops_the_loop_without_a_traceback(tmp_path: Path, home: Path) -> None:  # noqa: F811
    """Ctrl-C in a loop of served checks: the client waits for the server nearly all its
    life, and there Ctrl-C printed a KeyboardInterrupt traceback. It must end quietly,
    by SIGINT, so that the shell stops the loop instead of going on to the next file.

    The client is surely in the middle of relaying a served answer when Ctrl-C comes:
    its answer (1,200 files' lines) is far larger than the terminal's buffer, and the
    terminal is not read until Ctrl-C has been pressed, so its writes wait."""
    import shlex
    import shutil

    from tests.analysis.services import document, saved

    target = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    files = [target]
    for i in range(1200):
        files.append(target.with_name(f"copy-{i}.osom"))
        shutil.copy2(target, files[-1])
    served = _env(home)
    in_terminal(served, 80, "check", str(target))  # starts the server
    wait_for_server(home)
    check = shlex.join([sys.executable, "-c", RUN, "check", *map(str, files)])
    loop = f"for i in 1 2 3; do {check}; echo NEXT-$i; done; echo LOOP-DONE"
    out, status = ctrl_c_in(loop, served)  # the client has its answer coming, and waits on the full terminal
    assert b"Traceback" not in out and b"KeyboardInterrupt" not in out, out[-2000:]
    assert b"NEXT-" not in out and b"LOOP-DONE" not in out, out[-2000:]  # the shell stopped the loop
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == 2, status


def test_a_reader_that_stops_reading_does_not_hold_up_other_checks(tmp_path: Path, home: Path) -> None:  # noqa: F811
    """``osom check many.osom ... | less``: the pager stops reading, so the server, which
    answers one check at a time, waits to write to it; every other ``osom check`` of the
    user (another terminal's loop) waited with it, until the pager quit. One that gets
    no word from the server within ``FIRST_FRAME_SECONDS`` runs in its own process."""
    import subprocess
    import time

    from osom_desktop import check_server
    from tests.analysis.services import document, saved
    from tests.cli.test_check_server import check

    target = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    served, own = _env(home), _env(home, served=False)
    check(served, target)  # starts the server
    wait_for_server(home)
    # ~1 MB of answers to a reader that never reads: the server blocks writing to it.
    stuck = subprocess.Popen([sys.executable, "-c", RUN, "check", *[str(target)] * 4000],
                             env=served, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        time.sleep(3)
        assert stuck.poll() is None
        began = time.monotonic()
        by_server = check(served, target)
        took = time.monotonic() - began
        assert by_server[:3] == check(own, target)[:3]
        assert took < check_server.FIRST_FRAME_SECONDS + 10
    finally:
        stuck.kill()
        stuck.communicate()


def test_ctrl_c_in_its_own_process_stops_the_loop_too(tmp_path: Path, home: Path) -> None:  # noqa: F811
    """With the server off (or on a session's first check), Ctrl-C ended the check with
    exit 130: the shell went on to the next file, so a loop over 200 files printed 199
    verdicts and silently skipped one. It ends by SIGINT, as when served."""
    import shlex
    import shutil

    from tests.analysis.services import document, saved

    first = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    files = [first]
    for i in range(1200):  # its lines fill the terminal, which is not read: it waits mid-check
        files.append(first.with_name(f"copy-{i}.osom"))
        shutil.copy2(first, files[-1])
    check = shlex.join([sys.executable, "-c", RUN, "check", *map(str, files)])
    loop = f"for i in 1 2 3; do {check}; echo NEXT-$i; done; echo LOOP-DONE"
    out, status = ctrl_c_in(loop, _env(home, served=False))  # inside the first check, on the full terminal
    assert b"NEXT-" not in out and b"LOOP-DONE" not in out, out
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == 2, status
