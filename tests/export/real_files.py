"""Shared by the export and CLI tests: a really full file system, a service file full
of control characters, and what "nothing left behind" means."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from osom_desktop.model import Component, Note, ServiceDocument
from osom_desktop.model.service import Dependency, Measure
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document

# What a Word paste, a terminal and a hostile file put in names: vertical tab (Word's
# line break), NUL, ESC with a CSI "clear screen", BEL, a C1 control (NEL, CSI), DEL,
# a bidi override, a form feed.
CONTROL = "A\x0bB\x00C\x1b[2JD\x07E\x85F\x9bG\x7fH\u202eI\x0cJ"
OUR_TEMP = re.compile(r"\A\..+\.tmp-[0-9a-f]{12}\Z")


def osom(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``osom`` as a person runs it: a new process, no display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=180, errors="surrogateescape",
    )


def one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, run.stderr
    return lines[0]


def temps_in(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if OUR_TEMP.match(n) or n.endswith(".partial")]


def control_document() -> ServiceDocument:
    """The sample service with control characters in every kind of text a pack shows."""
    doc = sample_document()
    doc.service.name = f"Notify {CONTROL}"
    doc.service.manager = f"Åsa {CONTROL}"
    c = doc.contract
    c.purpose = c.usage = c.expectations_success = c.expectations_failure = c.help = f"Text {CONTROL} end"
    c.user_needs = [f"Need {CONTROL}"]
    c.measures.append(Measure(name=f"Measure {CONTROL}", unit=f"u{CONTROL}"))
    c.dependencies.append(Dependency(service_name=f"Dep {CONTROL}", description=f"why {CONTROL}"))
    doc.map.title = f"Map {CONTROL}"
    doc.map.components.append(Component(id="c-ctl", name=f"Kettle {CONTROL}", visibility=0.4, evolution=0.6))
    doc.map.notes.append(Note(id="n-ctl", text=f"Note {CONTROL}", visibility=0.2, evolution=0.3))
    doc.assessments[0].notes = f"Notes {CONTROL}"
    return doc


def save_control_document(path: Path) -> Path:
    save_document(control_document(), path, author=f"Bob {CONTROL}", summary=f"saved {CONTROL}")
    return path


@contextlib.contextmanager
def full_file_system(where: Path, size: str = "64k") -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``where``, filled to the last byte.

    Skips (with the reason) where mounting is not permitted: not root, or a
    container without CAP_SYS_ADMIN.
    """
    where.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {run.stderr.strip() or 'mount failed'}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    """Write a filler file until the file system says it is full."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        block = b"\0" * 4096
        try:
            while True:
                fh.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        try:
            while True:
                fh.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
