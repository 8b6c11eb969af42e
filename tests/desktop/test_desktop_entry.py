"""``osom-desktop --install-desktop-entry``: a service file from an email opens with a double-click."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.desktop_entry import MIME_TYPE, install_desktop_entry, uninstall_desktop_entry


def _run_app(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share")}
    return subprocess.run([sys.executable, "-m", "osom_desktop", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_install_writes_a_valid_entry_mime_type_and_icon(tmp_path: Path) -> None:
    result = _run_app("--install-desktop-entry", home=tmp_path)
    assert result.returncode == 0, result.stderr
    base = tmp_path / "share"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(base / "applications" / "osom-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["MimeType"] == f"{MIME_TYPE};"
    assert section["Exec"].endswith(" %F")  # files chosen in the file manager arrive as arguments
    assert section["Icon"] == "osom-desktop"
    assert (base / "icons" / "hicolor" / "scalable" / "apps" / "osom-desktop.svg").read_bytes().startswith(b"<?xml")
    mime = (base / "mime" / "packages" / "osom-desktop.xml").read_text(encoding="utf-8")
    assert 'pattern="*.osom"' in mime
    assert f"wrote {base / 'applications' / 'osom-desktop.desktop'}" in result.stdout
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(base / "applications" / "osom-desktop.desktop")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info is not installed")
def test_the_desktop_knows_osom_files_after_install(tmp_path: Path) -> None:
    """update-mime-database compiles our type: the desktop's file manager now maps *.osom to us."""
    install_desktop_entry(tmp_path, command="osom-desktop")
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert f"{MIME_TYPE}:*.osom" in globs


def test_uninstall_removes_what_install_wrote(tmp_path: Path) -> None:
    report = install_desktop_entry(tmp_path, command="osom-desktop")
    removed = uninstall_desktop_entry(tmp_path)
    assert sorted(removed) == sorted(report.written)
    assert not any(p.exists() for p in report.written)


def test_install_into_a_place_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("a file where the data folder should be")
    result = _run_app("--install-desktop-entry", home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "share" in result.stderr
