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
