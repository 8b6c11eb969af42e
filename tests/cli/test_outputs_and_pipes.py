"""``osom`` and what a shell hands it: FIFOs and devices as ``-o``, pipes that close.

A tester found `osom export s.osom --format svg -o FIFO` (and `-o /dev/null`, and bash's
`-o >(gzip > f)`) replacing the target with a regular file, and `osom info f.osom |
head -2` printing "[Errno 32] Broken pipe". Real processes, real FIFOs and pipes.
"""

from __future__ import annotations

import gzip
import os
import shlex
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from tests.export.real_files import one_line_error, osom

ENV = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
OSOM = [sys.executable, "-m", "osom_desktop.cli"]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("svc") / "notifications.osom"
    save_document(sample_document(), path)
    return path


def into_fifo(fifo: Path, *args: str | Path) -> tuple[subprocess.CompletedProcess[str], bytes]:
    """Run osom writing to ``fifo`` while another process reads it; what was read."""
    os.mkfifo(fifo)
    got = fifo.with_name(fifo.name + ".got")
    with got.open("wb") as out:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=out)
    try:
        run = osom(*args)
    finally:
        try:
            reader.wait(timeout=15)
        except subprocess.TimeoutExpired:  # nothing ever wrote into the FIFO (it was replaced)
            reader.kill()
            reader.wait()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    return run, got.read_bytes()


@pytest.mark.parametrize(("fmt", "head"), [("svg", b"<?xml"), ("png", b"\x89PNG"), ("owm", b"title")])
def test_export_into_a_fifo(tmp_path: Path, service: Path, fmt: str, head: bytes) -> None:
    run, got = into_fifo(tmp_path / f"map.{fmt}", "export", service, "--format", fmt, "-o", tmp_path / f"map.{fmt}")
    assert run.returncode == 0, run.stderr
    assert got.startswith(head), got[:40]
    assert sorted(os.listdir(tmp_path)) == sorted([f"map.{fmt}", f"map.{fmt}.got"])


def test_pack_into_a_fifo(tmp_path: Path, service: Path) -> None:
    run, got = into_fifo(tmp_path / "pack.pdf", "pack", service, "-o", tmp_path / "pack.pdf")
    assert run.returncode == 0, run.stderr
    assert got.startswith(b"%PDF-") and got.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_export_to_dev_null_leaves_it_a_device(service: Path, fmt: str) -> None:
    run = osom("export", service, "--format", fmt, "-o", "/dev/null")
    st = os.stat("/dev/null")
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3), "/dev/null was replaced"
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_export_svg_to_dev_stdout(service: Path) -> None:
    run = subprocess.run([*OSOM, "export", str(service), "--format", "svg", "-o", "/dev/stdout"],
                         capture_output=True, env=ENV, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"<?xml") and run.stdout.rstrip().endswith(b"</svg>")


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("gzip") is None, reason="needs bash and gzip")
def test_export_to_a_process_substitution(tmp_path: Path, service: Path) -> None:
    """`-o >(gzip > map.svg.gz)`: osom sees /dev/fd/63, a pipe with no path of its own."""
    gz = tmp_path / "map.svg.gz"
    command = (f"{shlex.quote(sys.executable)} -m osom_desktop.cli export {shlex.quote(str(service))} "
               f"--format svg -o >(gzip > {shlex.quote(str(gz))})")
    run = subprocess.run(["bash", "-c", command + "; wait $!"], capture_output=True, text=True, env=ENV, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    deadline = time.monotonic() + 30  # gzip ends when the pipe closes, maybe after bash
    while time.monotonic() < deadline:
        try:
            data = gzip.decompress(gz.read_bytes())
            break
        except (EOFError, OSError):
            time.sleep(0.1)
    else:
        pytest.fail(f"{gz} never became a complete gzip file")
    assert data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("what", ["folder", "socket"])
def test_a_folder_or_socket_as_output_is_refused_in_one_line(tmp_path: Path, service: Path, what: str) -> None:
    import socket

    target = tmp_path / "out.svg"
    server = None
    if what == "folder":
        target.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(target))
    try:
        run = osom("export", service, "--format", "svg", "-o", target)
        assert run.returncode == 2
        assert one_line_error(run) == f"osom: {target}: is a {what}, not a file; nothing written"
        mode = os.lstat(target).st_mode
        assert stat.S_ISDIR(mode) if what == "folder" else stat.S_ISSOCK(mode)
    finally:
        if server is not None:
            server.close()
    assert os.listdir(tmp_path) == ["out.svg"]


# -- a reader that goes away ------------------------------------------------------------


def into_closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """osom with its stdout a pipe whose reader has already gone (as after `| head -0`):
    every write is EPIPE, deterministically."""
    r, w = os.pipe()
    os.close(r)
    try:
        return subprocess.run([*OSOM, *map(str, args)], stdout=w, stderr=subprocess.PIPE, env=ENV, timeout=120)
    finally:
        os.close(w)


@pytest.mark.parametrize("args", [
    ["info", "{s}"],
    ["check", "{s}"],
    ["check", "{s}", "{s}", "{s}"],  # no "broken pipe" for each later file either
    ["show", "{s}"],
    ["export", "{s}", "--format", "owm", "-o", "-"],
    ["export", "{s}", "--format", "json", "-o", "-"],
    ["export", "{s}", "--format", "svg", "-o", "/dev/stdout"],
    ["network", "{d}", "--format", "json", "-o", "-"],
])
def test_a_closed_pipe_ends_quietly(service: Path, args: list[str]) -> None:
    run = into_closed_pipe(*(a.format(s=service, d=service.parent) for a in args))
    assert run.stderr.decode() == ""
    assert run.returncode == 141  # as a tool SIGPIPE ended, to a shell


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_info_into_head_says_nothing(service: Path) -> None:
    """The tester's own line, many times over: head may leave before or after osom writes."""
    command = f"for i in 1 2 3 4 5; do {sys.executable} -m osom_desktop.cli info {service} | head -c 1 >/dev/null; done"
    run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=ENV, timeout=300)
    assert run.stderr == ""
