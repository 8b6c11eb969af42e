"""The text dock rewrites only what changed and always ends equal to the writer's text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from osom_desktop.model import Document
from osom_desktop.views.text_editor import MapTextEditor
from tests.property_settings import examples

lines = st.lists(st.sampled_from(["a", "b", "c", "", "component X [0.1, 0.2]"]), min_size=1, max_size=8)  # str.split never gives []


@pytest.fixture(scope="module")
def editor(qapp) -> MapTextEditor:
    return MapTextEditor(Document(), QUndoStack())


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=lines, new=lines)
def test_replacing_changed_lines_gives_exactly_the_new_text(editor: MapTextEditor, old: list[str], new: list[str]) -> None:
    editor.editor.blockSignals(True)
    editor.editor.setPlainText("\n".join(old))
    editor._replace_changed_lines(old, new)
    editor.editor.blockSignals(False)
    assert editor.editor.toPlainText() == "\n".join(new)


def test_a_long_line_wraps_in_the_narrow_pane_instead_of_scrolling_sideways(qtbot) -> None:
    from PySide6.QtCore import Qt

    pane = MapTextEditor(Document(), QUndoStack())
    qtbot.addWidget(pane)
    pane.resize(300, 400)
    pane.show()
    qtbot.waitExposed(pane)
    pane.editor.setFocus()
    qtbot.keyClicks(pane.editor, "component A very long component name that goes on and on [0.50, 0.50] label [10, -8]")
    qtbot.keyClick(pane.editor, Qt.Key.Key_End)
    assert pane.editor.horizontalScrollBar().maximum() == 0
    assert pane.editor.horizontalScrollBar().value() == 0


def test_text_waiting_to_be_parsed_is_not_applied_from_inside_the_windows_destructor(qtbot) -> None:
    """Deleting the window that holds the pane deactivates it from inside Qt's C++
    destructor: the editor lost focus there and the pane parsed the text, pushed an undo
    step and told the Document's panels, all in a half-deleted window. The waiting text
    goes with the window instead."""
    import shiboken6
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    doc, stack = Document(), QUndoStack()
    holder = QWidget()
    pane = MapTextEditor(doc, stack, parent=holder)
    QVBoxLayout(holder).addWidget(pane)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    pane.editor.setFocus()
    qtbot.waitUntil(pane.editor.hasFocus)
    qtbot.keyClicks(pane.editor, "component Zed [0.5, 0.5]")
    assert pane._timer.isActive()
    heard: list[object] = []
    doc.changed.connect(heard.append)
    shiboken6.delete(holder)
    qtbot.wait(10)
    assert heard == [] and stack.count() == 0 and doc.map.components == []


def test_text_waiting_to_be_parsed_is_applied_when_another_window_takes_the_focus(qtbot) -> None:
    """Leaving the window is still leaving the editor: what was typed is applied (on the
    next turn of the event loop) without waiting for the parse delay."""
    from PySide6.QtWidgets import QLineEdit

    doc, stack = Document(), QUndoStack()
    pane = MapTextEditor(doc, stack)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    pane.editor.setFocus()
    qtbot.waitUntil(pane.editor.hasFocus)
    pane._timer.setInterval(60_000)  # only leaving the editor can apply it within the test
    qtbot.keyClicks(pane.editor, "component Zed [0.5, 0.5]")
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    other.activateWindow()
    qtbot.waitUntil(lambda: [c.name for c in doc.map.components] == ["Zed"])
    assert stack.count() == 1


def test_a_pane_deleted_as_its_problem_list_opens_leaves_no_call_behind(qtbot) -> None:
    """Opening the problem list asks, on the next turn of the event loop, to keep the line
    being typed in sight; a pane deleted before then must not be called afterwards."""
    import shiboken6

    pane = MapTextEditor(Document(), QUndoStack())
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    pane.editor.setFocus()
    qtbot.waitUntil(pane.editor.hasFocus)
    qtbot.keyClicks(pane.editor, "anchor X [2, -5]")
    pane.apply_text()
    assert pane.problems.isVisible()
    shiboken6.delete(pane)
    qtbot.wait(20)  # pytest-qt fails the test on an exception raised in a Qt callback
