"""The text dock rewrites only what changed and always ends equal to the writer's text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.property_settings import examples
from PySide6.QtGui import QUndoStack

from osom_desktop.model import Document
from osom_desktop.views.text_editor import MapTextEditor

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
