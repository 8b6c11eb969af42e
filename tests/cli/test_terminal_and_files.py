"""Issue 11, at the terminal and on the file system, through the real ``osom``:
escape sequences in a file's texts never reach the terminal raw; a read-only file is
not replaced without ``--replace-read-only``; what a replace cannot keep is said."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from osom_desktop.model.service import ServiceDocument
from osom_desktop.storage import open_document, save_document
from tests.export.real_files import one_line_error, osom, save_control_document

TEA = "title Tea\ncomponent Kettle [0.4, 0.6]\n"
# Bytes a terminal acts on: C0 but tab/LF, DEL, ESC-introduced and C1 (UTF-8 encoded)
# sequences, and the bidi controls that reorder a line.
TERMINAL_ACTS_ON = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + [chr(0x7F)] + [
    chr(c) for c in range(0x80, 0xA0)
] + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def assert_inert(output: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in output if ch in TERMINAL_ACTS_ON})
    assert not found, f"reached the terminal raw: {found}\n{output!r}"


def test_info_prints_no_escape_sequence(tmp_path: Path) -> None:
    path = tmp_path / "evil.osom"
    doc = ServiceDocument()
    doc.service.name = "Evil\x1b[2J\x1b]0;pwned\x07"
    doc.service.manager = "\u202eeve"
    save_document(doc, path, author="m\x1b[31mallory")
    run = osom("info", path)
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout
    assert_inert(run.stdout + run.stderr)
    first = run.stdout.splitlines()[0]
    assert first == "Evil\\x1b[2J\\x1b]0;pwned\\x07 — managed by \\u202eeve"


def test_every_command_escapes_user_text(tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    src = save_control_document(folder / "notify.osom")
    runs = [
        osom("info", src),
        osom("check", src),
        osom("pack", src, "-o", tmp_path / "pack.html"),
        osom("network", folder, "-f", "json", "-o", tmp_path / "n.json"),
        osom("export", src, "-f", "owm", "-o", tmp_path / "map.owm"),
    ]
    for run in runs:
        assert "Traceback" not in run.stderr
        assert_inert(run.stdout + run.stderr)
    assert "Notify A\\x0bB\\x00C\\x1b[2JD" in runs[0].stdout
    assert "governance pack of Notify A\\x0bB" in runs[2].stderr


def test_errors_and_file_names_are_escaped_too(tmp_path: Path) -> None:
    bad = tmp_path / "bad\x1b[2Jname.osom"
    bad.write_bytes(b"SQLite format 3\x00 but not really")
    run = osom("info", bad)
    assert run.returncode == 2
    assert_inert(one_line_error(run))
    misuse = osom("export", bad, "--format", "doc\x1b[2J", "-o", "-")
    assert misuse.returncode == 2
    assert_inert(misuse.stderr)


def test_stdout_data_is_left_as_the_user_asked(tmp_path: Path) -> None:
    """``-o -`` is data (OWM text, JSON), not a message: JSON escapes it itself."""
    src = save_control_document(tmp_path / "notify.osom")
    run = osom("export", src, "-f", "json", "-o", "-")
    assert run.returncode == 0 and "\\u001b[2J" in run.stdout and "\x1b" not in run.stdout


# -- read-only targets ---------------------------------------------------------------------


@pytest.fixture
def read_only_service(tmp_path: Path) -> Path:
    path = tmp_path / "tea.osom"
    doc = ServiceDocument()
    doc.service.name = "Keep me"
    save_document(doc, path)
    os.chmod(path, 0o444)
    return path


def test_import_force_refuses_a_read_only_file(tmp_path: Path, read_only_service: Path) -> None:
    owm = tmp_path / "tea.owm"
    owm.write_text(TEA, encoding="utf-8")
    before = read_only_service.read_bytes()
    run = osom("import", owm, "-o", read_only_service, "--force")
    assert run.returncode == 2
    line = one_line_error(run)
    assert "tea.osom" in line and "read-only" in line and "--replace-read-only" in line
    assert read_only_service.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["tea.osom", "tea.owm"]

    run = osom("import", owm, "-o", read_only_service, "--force", "--replace-read-only")
    assert run.returncode == 0, run.stderr
    assert open_document(read_only_service).service.name == "Tea"
    assert stat.S_IMODE(os.stat(read_only_service).st_mode) == 0o444  # still read-only


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("pack.pdf", ["pack", "{src}", "-o", "{out}"]),
        ("pack.html", ["pack", "{src}", "-o", "{out}"]),
        ("map.svg", ["export", "{src}", "-f", "svg", "-o", "{out}"]),
        ("map.png", ["export", "{src}", "-f", "png", "-o", "{out}"]),
        ("map.owm", ["export", "{src}", "-f", "owm", "-o", "{out}"]),
        ("network.json", ["network", "{folder}", "-f", "json", "-o", "{out}"]),
    ],
)
def test_no_write_replaces_a_read_only_file(tmp_path: Path, name: str, args: list[str]) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    src = folder / "tea.osom"
    save_document(ServiceDocument(), src)
    out = tmp_path / name
    out.write_bytes(b"someone's file, made read-only on purpose")
    os.chmod(out, 0o444)
    run = osom(*[a.format(src=src, folder=folder, out=out) for a in args])
    assert run.returncode == 2
    assert "read-only" in one_line_error(run)
    assert out.read_bytes() == b"someone's file, made read-only on purpose"


def test_hard_link_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "tea.osom"
    save_document(ServiceDocument(), src)
    out = tmp_path / "map.owm"
    out.write_text("old\n", encoding="utf-8")
    os.link(out, tmp_path / "also.owm")
    run = osom("export", src, "-f", "owm", "-o", out)
    assert run.returncode == 0
    warning = one_line_error(run)
    assert warning.startswith("osom: warning: map.owm: has 1 other name")
    assert (tmp_path / "also.owm").read_text(encoding="utf-8") == "old\n"  # as the warning said


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_import_force_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    owm = tmp_path / "tea.owm"
    owm.write_text(TEA, encoding="utf-8")
    out = tmp_path / "shared.osom"
    save_document(ServiceDocument(), out)
    os.chown(out, 4321, 8765)
    os.chmod(out, 0o660)
    run = osom("import", owm, "-o", out, "--force")
    assert run.returncode == 0, run.stderr
    st = os.stat(out)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 8765, 0o660)
