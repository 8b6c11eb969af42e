"""The app's File > Export uses the same writer as ``osom``: a FIFO or a device chosen
as the target is written through, never replaced by a regular file; a folder is
refused in the export's error dialog. The real main window, its real menu actions; only
the save dialog's answer is given, as the file name a person would type."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("OSOM_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from osom_desktop.views.main_window import MainWindow

    path = tmp_path / "service" / "notifications.osom"
    path.parent.mkdir()
    save_document(sample_document(), path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()


def choose(monkeypatch: pytest.MonkeyPatch, target: Path | str, kind: str = "") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), kind)))


@pytest.fixture
def boxes(qtbot) -> Iterator[list[str]]:
    """Press OK on each message box that opens, keeping its text; stops with the test,
    so it never answers another test's box."""
    seen: list[str] = []
    armed = [True]

    def look() -> None:
        if not armed[0]:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    yield seen
    armed[0] = False


def read_fifo(fifo: Path) -> tuple[subprocess.Popen[bytes], Path]:
    os.mkfifo(fifo)
    got = fifo.with_name(fifo.name + ".got")
    with got.open("wb") as out:
        return subprocess.Popen(["cat", str(fifo)], stdout=out), got


def finish(reader: subprocess.Popen[bytes]) -> None:
    try:
        reader.wait(timeout=15)
    except subprocess.TimeoutExpired:  # nothing wrote into the FIFO: it was replaced
        reader.kill()
        reader.wait()


@pytest.mark.parametrize(("action", "name", "head"), [
    ("act_export_svg", "map.svg", b"<?xml"),
    ("act_export_png", "map.png", b"\x89PNG"),
    ("act_export_pack", "pack.pdf", b"%PDF-"),
])
def test_export_into_a_fifo(window, boxes, monkeypatch, tmp_path: Path, action: str, name: str, head: bytes) -> None:
    fifo = tmp_path / name
    reader, got = read_fifo(fifo)
    choose(monkeypatch, fifo)
    try:
        getattr(window, action).trigger()
    finally:
        finish(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert boxes == []
    assert got.read_bytes().startswith(head)


def test_export_to_a_device_leaves_it_a_device(window, boxes, monkeypatch, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers, ours to lose
    except PermissionError:
        pytest.skip("mknod needs root")
    choose(monkeypatch, node)
    window.act_export_svg.trigger()
    assert stat.S_ISCHR(os.lstat(node).st_mode), "the device node was replaced by a regular file"
    assert boxes == []


def test_a_folder_is_refused_in_the_dialog(window, boxes, monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "map.svg"
    folder.mkdir()
    choose(monkeypatch, folder)
    window.act_export_svg.trigger()
    assert boxes == ["Not exported — map.svg: is a folder, not a file; nothing written"]
    assert folder.is_dir() and os.listdir(folder) == []
