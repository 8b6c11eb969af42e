"""Issue 11: on a full disk every export fails loudly and leaves nothing behind.

A real tmpfs, really full, and the real ``osom`` in its own process: ``osom pack -o
x.pdf`` used to exit 0 and print success over a truncated PDF; SVG came out as 0 bytes
and PNG half-written. Now: non-zero exit, one line naming the file, no partial file, no
temp file, and a previous version of the file left as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from tests.export.real_files import fill, full_file_system, one_line_error, osom, temps_in

EXPORTS = [
    ("pack.pdf", ["pack", "{src}", "-o", "{out}"]),
    ("pack.html", ["pack", "{src}", "-o", "{out}"]),
    ("map.svg", ["export", "{src}", "-f", "svg", "-o", "{out}"]),
    ("map.png", ["export", "{src}", "-f", "png", "-o", "{out}"]),
    ("map.owm", ["export", "{src}", "-f", "owm", "-o", "{out}"]),
    ("doc.json", ["export", "{src}", "-f", "json", "-o", "{out}"]),
    ("network.pdf", ["network", "{folder}", "-f", "pdf", "-o", "{out}"]),
    ("network.html", ["network", "{folder}", "-f", "html", "-o", "{out}"]),
    ("network.json", ["network", "{folder}", "-f", "json", "-o", "{out}"]),
    ("copy.osom", ["import", "{owm}", "-o", "{out}"]),
]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("services")
    path = folder / "notifications.osom"
    save_document(sample_document(), path)
    (folder / "tea.owm").write_text("title Tea\ncomponent Kettle [0.4, 0.6]\n", encoding="utf-8")
    return path


def _args(template: list[str], source: Path, out: Path) -> list[str]:
    return [a.format(src=source, folder=source.parent, out=out, owm=source.parent / "tea.owm") for a in template]


@pytest.mark.parametrize(("name", "template"), EXPORTS, ids=[n for n, _ in EXPORTS])
def test_full_disk_export_fails_with_one_line_and_leaves_nothing(
    tmp_path: Path, source: Path, name: str, template: list[str]
) -> None:
    with full_file_system(tmp_path / "disk") as disk:
        out = disk / name
        fill(disk)
        run = osom(*_args(template, source, out))
        assert run.returncode != 0, f"reported success on a full disk: {run.stderr}"
        line = one_line_error(run)
        assert name in line and "No space left on device" in line, line
        assert sorted(os.listdir(disk)) == ["filler"], "a partial or temp file was left"


@pytest.mark.parametrize(("name", "template"), EXPORTS[:4], ids=[n for n, _ in EXPORTS[:4]])
def test_full_disk_keeps_the_previous_version(tmp_path: Path, source: Path, name: str, template: list[str]) -> None:
    """Room for the old file, not for the new: the old one stays, byte for byte."""
    with full_file_system(tmp_path / "disk") as disk:
        out = disk / name
        old = b"the previous export, which someone may be reading\n"
        out.write_bytes(old)
        fill(disk)
        run = osom(*_args(template, source, out))
        assert run.returncode != 0
        assert name in one_line_error(run)
        assert out.read_bytes() == old
        assert temps_in(disk) == []


def test_nearly_full_disk_pdf_is_refused_not_truncated(tmp_path: Path, source: Path) -> None:
    """Room for part of the PDF only (the case that used to print success over a
    truncated file): refused, nothing left."""
    with full_file_system(tmp_path / "disk", size="32k") as disk:
        out = disk / "pack.pdf"
        run = osom("pack", source, "-o", out)
        assert run.returncode != 0, run.stderr
        assert "pack.pdf" in one_line_error(run)
        assert os.listdir(disk) == []


def test_with_room_the_same_exports_succeed(tmp_path: Path, source: Path) -> None:
    """The tests above fail for the right reason: with room, each export works."""
    with full_file_system(tmp_path / "disk", size="4m") as disk:
        for name, template in EXPORTS:
            run = osom(*_args(template, source, disk / name))
            assert run.returncode == 0, (name, run.stderr)
        assert sorted(os.listdir(disk)) == sorted(n for n, _ in EXPORTS)
        assert (disk / "pack.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_full_disk_behind_stdout_is_an_error(tmp_path: Path, source: Path) -> None:
    """``osom export ... -o - > file`` on a full disk: not a silent success."""
    import subprocess
    import sys

    with full_file_system(tmp_path / "disk") as disk:
        fill(disk)
        with open(disk / "out.json", "wb") as fh:
            run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "export", str(source), "-f", "json", "-o", "-"],
                                 stdout=fh, stderr=subprocess.PIPE, text=True, timeout=120)
        assert run.returncode != 0
        assert one_line_error(run) == "osom: standard output: not written: No space left on device"
