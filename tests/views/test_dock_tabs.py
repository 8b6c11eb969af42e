"""Every dock's tab shows its whole title beside the map (a person-like tester at
1920x1080): the seven docks were tabbed in one row across a 330 px column, so
Governance and Findings hid behind scroll arrows even on a large screen.

The real MainWindow on a real .osom file, at the sizes a laptop and a desktop give it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QTabBar

from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window
from tests.views.test_canvas_manners import TEA_MAP

TITLES = {"Map text", "Inspector", "Contract", "Guidance", "Assessments", "Governance", "Findings"}


def dock_tab_bar(w: MainWindow) -> QTabBar:
    bars = [b for b in w.findChildren(QTabBar) if b.parent() is w and b.isVisible()  # "Findings (3)" is Findings
            and {b.tabText(i).split(" (")[0] for i in range(b.count())} == TITLES]
    assert len(bars) == 1, [[b.tabText(i) for i in range(b.count())] for b in w.findChildren(QTabBar)]
    return bars[0]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_every_dock_tab_shows_its_whole_title(qtbot, tmp_path: Path, size: tuple[int, int]) -> None:
    w = open_map_window(qtbot, tmp_path, "Tea shop", TEA_MAP, size=size)
    try:
        qtbot.wait(50)  # the tab bars are set up on the first turn of the event loop
        bar = dock_tab_bar(w)
        hidden = [bar.tabText(i) for i in range(bar.count()) if not bar.rect().contains(bar.tabRect(i))]
        assert hidden == [], f"behind the scroll arrows at {size}: {hidden}"
        for i in range(bar.count()):  # each title whole, not "Gove…"
            text_room = bar.tabRect(i).height() if bar.shape() in (
                QTabBar.Shape.RoundedEast, QTabBar.Shape.RoundedWest) else bar.tabRect(i).width()
            assert text_room >= bar.fontMetrics().horizontalAdvance(bar.tabText(i)), bar.tabText(i)
        # The map keeps most of the window.
        assert w.view.width() >= 0.6 * size[0]
    finally:
        w.stack.setClean()
        w.close()
        w.deleteLater()
