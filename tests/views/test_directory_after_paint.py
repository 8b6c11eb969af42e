"""The folder scan starts after the map's first paint, never before it (issue 11).

Started before the paint, the scan's thread competed with the GUI thread for the
interpreter: a service beside 2,000 files painted 0.4-0.6 s later than the same file
alone. A real window on a real folder of service files; the order of the viewport's
first paint and the scan's start is recorded as it happens.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject

from osom_desktop.views import directory_loader
from osom_desktop.views.main_window import MainWindow
from tests.views.test_service_links import SHOP, write_service


class _Order(QObject):
    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.seen.append("paint")
        return False


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_service(tmp_path, "power.osom", "Power Grid", lifecycle="retired")
    write_service(tmp_path, "shop.osom", "Tea Shop", SHOP)
    for i in range(10):
        write_service(tmp_path, f"other-{i}.osom", f"Other {i}")
    return tmp_path


@pytest.fixture
def seen(monkeypatch, folder: Path) -> list[str]:
    seen: list[str] = []
    start = directory_loader.DirectoryLoader.start_scan

    def recorded(self: directory_loader.DirectoryLoader) -> None:
        # Only scans of this test's folder: a window of an earlier test, not yet
        # collected, may still run its own late scan (its 10 s fallback) meanwhile.
        if self.folder is not None and Path(self.folder).resolve() == folder.resolve():
            seen.append("scan")
        start(self)

    monkeypatch.setattr(directory_loader.DirectoryLoader, "start_scan", recorded)
    return seen


def test_scan_starts_after_the_first_paint(qtbot, folder: Path, seen: list[str]) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    order = _Order(seen)
    w.view.viewport().installEventFilter(order)
    assert w.open_path(folder / "shop.osom", ask_when_locked=False)
    w.show()
    qtbot.waitUntil(lambda: len(w.directory.services) == 12, timeout=20000)
    assert seen[0] == "paint", seen
    assert seen.count("scan") == 1, seen  # one scan for the opened file (none left over from the empty window)
    w.stack.setClean()


def test_a_window_never_shown_still_reads_its_folder(qtbot, folder: Path, seen: list[str]) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(folder / "shop.osom", ask_when_locked=False)
    qtbot.waitUntil(lambda: len(w.directory.services) == 12, timeout=directory_loader.HIDDEN_MS + 10000)
    assert seen == ["scan"]
    w.stack.setClean()
