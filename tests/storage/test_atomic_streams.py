"""A target that is not a regular file is never replaced (a tester's `osom export -o`).

The atomic rename put a regular file in place of a FIFO (its reader never got the
data) and, run as root, of a device node: `-o /dev/null` would have replaced the
machine's /dev/null. FIFOs and character devices are now written straight through;
folders, sockets and block devices are refused. Real FIFOs with a real reader
process, real device nodes (a private copy of /dev/null's numbers made with mknod, so
a failure here never damages the machine's own), real sockets.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from osom_desktop.export.output import check_svg
from osom_desktop.storage.atomic import (
    NotAFileError,
    WriteError,
    atomic_write_bytes,
    check_target,
    check_writable,
    replace_notes,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'
NULL_DEVICE = os.makedev(1, 3)


def reader_of(fifo: Path, into: Path) -> subprocess.Popen[bytes]:
    """Another process reading the FIFO to its end, as `gzip < fifo` would."""
    with into.open("wb") as out:
        return subprocess.Popen(["cat", str(fifo)], stdout=out)


def nothing_but(folder: Path, *names: str) -> None:
    assert sorted(os.listdir(folder)) == sorted(names)


def private_null(folder: Path) -> Path:
    """A character device node with /dev/null's numbers, ours to lose."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, NULL_DEVICE)
    except PermissionError:
        pytest.skip("mknod needs root (or CAP_MKNOD)")
    return node


def assert_null_device(path: Path) -> None:
    st = os.stat(path)
    assert stat.S_ISCHR(st.st_mode), f"{path} is no longer a character device"
    assert st.st_rdev == NULL_DEVICE


def test_a_fifo_gets_the_bytes_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "map.svg"
    os.mkfifo(fifo)
    reader = reader_of(fifo, tmp_path / "got")
    try:
        atomic_write_bytes(fifo, SVG, check=check_svg)
    finally:
        reader.wait(timeout=30)
    assert (tmp_path / "got").read_bytes() == SVG
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    nothing_but(tmp_path, "map.svg", "got")  # no temp file left beside it


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    node = private_null(tmp_path)
    atomic_write_bytes(node, SVG, check=check_svg)
    assert_null_device(node)
    nothing_but(tmp_path, "null")


def test_dev_null_stays_dev_null() -> None:
    atomic_write_bytes("/dev/null", SVG, check=check_svg)
    assert_null_device(Path("/dev/null"))


def test_a_link_through_proc_to_a_pipe_is_written_through(tmp_path: Path) -> None:
    """bash's `-o >(gzip > f)` names a pipe as /dev/fd/N; its realpath is "pipe:[123]"."""
    r, w = os.pipe()
    try:
        atomic_write_bytes(f"/dev/fd/{w}", SVG, check=check_svg)
        os.close(w)
        w = -1
        got = b""
        while chunk := os.read(r, 65536):
            got += chunk
    finally:
        os.close(r)
        if w != -1:
            os.close(w)
    assert got == SVG


def test_a_stream_gets_nothing_that_fails_its_check(tmp_path: Path) -> None:
    """Nothing can be read back from a stream: the bytes are checked in memory first."""
    node = private_null(tmp_path)
    with pytest.raises(WriteError, match="null: not written: the SVG is not well-formed"):
        atomic_write_bytes(node, b"<svg", check=check_svg)
    assert_null_device(node)


def test_a_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "out.svg"
    folder.mkdir()
    (folder / "inside").write_text("kept")
    with pytest.raises(NotAFileError) as caught:
        atomic_write_bytes(folder, SVG)
    assert str(caught.value) == "out.svg: is a folder, not a file; nothing written"
    assert folder.is_dir() and (folder / "inside").read_text() == "kept"
    nothing_but(tmp_path, "out.svg")
    with pytest.raises(NotAFileError):
        check_target(folder)


def test_a_socket_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.svg"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(NotAFileError, match=r"\As.svg: is a socket, not a file; nothing written\Z"):
            atomic_write_bytes(path, SVG)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()
    nothing_but(tmp_path, "s.svg")


def test_a_block_device_is_refused_and_left_alone(tmp_path: Path) -> None:
    node = tmp_path / "disk"
    try:  # a loop device's numbers; never opened
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 250))
    except PermissionError:
        pytest.skip("mknod needs root (or CAP_MKNOD)")
    with pytest.raises(NotAFileError, match="disk: is a block device"):
        atomic_write_bytes(node, SVG)
    assert stat.S_ISBLK(os.lstat(node).st_mode)
    nothing_but(tmp_path, "disk")


def test_nothing_to_warn_or_refuse_for_a_stream(tmp_path: Path) -> None:
    """No "belonged to root" note for /dev/null, no read-only question for a FIFO:
    neither is replaced."""
    fifo = tmp_path / "f"
    os.mkfifo(fifo, 0o444)
    check_writable(fifo)
    check_target(fifo)
    check_target("/dev/null")
    assert replace_notes(fifo) == [] and replace_notes("/dev/null") == []
