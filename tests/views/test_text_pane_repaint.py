"""The OWM text pane repaints only when an edit reaches the lines it shows, and what it
shows is what a fresh pane holding the same text shows (issue 14: at 5,000 components
a rename rewrote its line and its links' lines thousands of lines apart, and Qt dropped
the layout of every line between and repainted the whole pane; an added or removed line
repainted it too, wherever it was).

What is on screen is read from the window's backing store (``grabWindow``), not from
``grab()``, which paints the widget afresh and would hide a pane left stale."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtWidgets import QApplication

from osom_desktop.commands import AddElementCommand, RemoveElementsCommand, UpdateElementCommand, run
from osom_desktop.model import Document, ServiceDocument
from osom_desktop.model.wardley import Component, Link
from osom_desktop.owm import parse_owm, write_owm
from osom_desktop.views.text_editor import MapTextEditor

# 200 components, each linked to the one 120 lines on: a rename rewrites a line in
# view and one far below it.
TEXT = "".join(f"component C{i} [0.{i % 90 + 10}, 0.5]\n" for i in range(200)) + "".join(
    f"C{i}->C{i + 120}\n" for i in range(80)
)


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _pane(qtbot, text: str) -> MapTextEditor:
    doc = Document(ServiceDocument.model_construct(map=parse_owm(text).map))
    pane = MapTextEditor(doc, QUndoStack())
    pane.editor.setCursorWidth(0)  # a blinking cursor is in one picture and not the next
    qtbot.addWidget(pane)
    pane.resize(400, 300)
    pane.show()
    qtbot.waitExposed(pane)
    QApplication.processEvents()
    return pane


def _on_screen(pane: MapTextEditor) -> QImage:
    """The pane's text as the window last painted it."""
    QApplication.processEvents()
    viewport = pane.editor.viewport()
    corner = viewport.mapTo(pane.window(), viewport.rect().topLeft())
    shot = QApplication.primaryScreen().grabWindow(pane.window().winId())
    return shot.copy(corner.x(), corner.y(), viewport.width(), viewport.height()).toImage()


def _same_as_fresh(qtbot, pane: MapTextEditor) -> None:
    text = pane.editor.toPlainText()
    assert text == write_owm(pane.document.map)
    shown = _on_screen(pane)  # before the fresh pane opens over it
    fresh = _pane(qtbot, text)
    assert pane.editor.verticalScrollBar().maximum() == fresh.editor.verticalScrollBar().maximum()
    assert pane.editor.firstVisibleBlock().blockNumber() == fresh.editor.firstVisibleBlock().blockNumber()
    assert shown == _on_screen(fresh)
    fresh.close()
    QApplication.processEvents()


def test_edits_below_the_view_leave_the_pane_unpainted_and_the_scroll_bar_follows(qtbot) -> None:
    pane = _pane(qtbot, TEXT)
    doc, stack = pane.document, pane.stack
    paints = _Paints()
    pane.editor.viewport().installEventFilter(paints)
    far = doc.map.component_by_name("C190")
    steps = [
        lambda: run(stack, UpdateElementCommand(doc, far.id, name="Far away")),
        lambda: run(stack, AddElementCommand(doc, Component(id="new", name="New", visibility=0.5, evolution=0.5))),
        lambda: run(stack, AddElementCommand(doc, Link(id="nl", source=far.id, target="new"))),
        lambda: run(stack, RemoveElementsCommand(doc, ["nl"])),
        stack.undo,
        stack.undo,
        stack.undo,
        stack.undo,
    ]
    for step in steps:
        step()
        QApplication.processEvents()
    assert paints.count == 0
    _same_as_fresh(qtbot, pane)


def test_a_rename_in_view_with_links_far_below_shows_the_new_name(qtbot) -> None:
    pane = _pane(qtbot, TEXT)
    doc, stack = pane.document, pane.stack
    near = doc.map.component_by_name("C3")  # its line in view, its link's line far below
    run(stack, UpdateElementCommand(doc, near.id, name="Renamed"))
    assert "component Renamed" in pane.editor.firstVisibleBlock().next().next().next().text()
    _same_as_fresh(qtbot, pane)
    stack.undo()
    _same_as_fresh(qtbot, pane)


def test_a_line_added_under_the_last_of_a_short_text_shows(qtbot) -> None:
    pane = _pane(qtbot, "component A [0.5, 0.5]\ncomponent B [0.4, 0.4]\n")
    doc, stack = pane.document, pane.stack
    run(stack, AddElementCommand(doc, Component(id="c", name="Cee", visibility=0.3, evolution=0.3)))
    run(stack, AddElementCommand(doc, Link(id="l", source="c", target=doc.map.components[0].id)))
    _same_as_fresh(qtbot, pane)
    stack.undo()
    stack.undo()
    _same_as_fresh(qtbot, pane)


def test_an_edit_above_the_view_keeps_its_lines_and_paints_them(qtbot) -> None:
    pane = _pane(qtbot, TEXT)
    doc, stack = pane.document, pane.stack
    bar = pane.editor.verticalScrollBar()
    bar.setValue(60)
    QApplication.processEvents()
    first = pane.editor.firstVisibleBlock().text()
    run(stack, AddElementCommand(doc, Component(id="top", name="Top", visibility=0.9, evolution=0.1)))
    run(stack, RemoveElementsCommand(doc, [doc.map.component_by_name("C2").id]))
    assert pane.editor.firstVisibleBlock().text() == first
    on_screen = _on_screen(pane)
    assert on_screen == pane.editor.viewport().grab().toImage()
