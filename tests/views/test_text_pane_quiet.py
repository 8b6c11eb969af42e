"""A line added to the text pane moves its scroll bar and repaints no more than that:
the bar's strip fills its own background, so Qt no longer repainted it through the
window, the text dock (whose title bar looked up its icons again), the splitter and
the pane's frame, about a fifth of an added component's time at 5,000 components.
The bar still follows the text's new length."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QApplication, QDockWidget, QPlainTextEdit

from osom_desktop.commands import AddElementCommand, run
from osom_desktop.model import Component
from tests.views.conftest import close_discarding, open_map_window, settled

OWM = "title Long text\n" + "".join(
    f"component Part {k} [{0.05 + (k % 19) / 20:.2f}, {0.05 + (k * 7 % 19) / 20:.2f}]\n" for k in range(120)
)


class PaintCount(QObject):
    """Each paint event's widget and the area it paints, in global coordinates."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, QRect]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            area = event.region().boundingRect()
            self.seen.append((watched.objectName() or type(watched).__name__,
                              QRect(watched.mapToGlobal(area.topLeft()), area.size())))
        return False


def test_a_line_added_moves_the_scroll_bar_without_repainting_the_dock_beneath(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Long", OWM)
    settled(qtbot, w)
    try:
        dock = w.findChild(QDockWidget, "textDock")
        pane = w.findChild(QPlainTextEdit, "owmText")
        bar = pane.verticalScrollBar()
        assert dock.isVisible() and bar.isVisible()  # 120 lines do not fit the pane
        before = bar.maximum()
        count = PaintCount()
        for watched in (w, dock, bar):
            watched.installEventFilter(count)
        try:
            run(w.stack, AddElementCommand(w.document, Component(id="added", name="Added", visibility=0.5, evolution=0.5)))
            for _ in range(3):
                QApplication.processEvents()
        finally:
            for watched in (w, dock, bar):
                watched.removeEventFilter(count)
        assert bar.maximum() == before + 1  # one more line to scroll to
        painted = {name for name, _ in count.seen}
        assert "QScrollBar" in painted  # the bar shows its new length
        strip = QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size())
        beneath = [name for name, area in count.seen if name != "QScrollBar" and area.intersects(strip)]
        assert beneath == []  # (the window may repaint elsewhere: Undo's button comes alive)
    finally:
        close_discarding(w)
