"""The OWM text pane edits only the lines an edit touched, and the text it ends with is
always exactly what writing the whole map gives (issue 14: one edit at 5,000 components
in a frame, where rewriting the text took ~60 ms)."""

from __future__ import annotations

import pytest
import shiboken6
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QUndoStack

from osom_desktop.commands import (
    AddElementCommand,
    MoveComponentsCommand,
    RemoveElementsCommand,
    UpdateElementCommand,
    run,
)
from osom_desktop.model import Document, ServiceDocument
from osom_desktop.model.wardley import Component, Evolve, Link, Method, Note
from osom_desktop.owm import parse_owm, write_owm
from osom_desktop.views.text_editor import MapTextEditor
from tests.conftest import OWM_FIXTURES
from tests.property_settings import examples

# Names that need quoting somewhere (keywords, arrows, brackets, a leading quote).
NAMES = ["Kettle", "Tea", "build tool", "note", "a->b", "x; y", "C++", ">next", "'quoted'", "Power (build)", "Água", "evolve"]

STARTS = {
    "written": "title Tea\ncomponent Cup [0.8, 0.3]\ncomponent Tea [0.6, 0.5]\ncomponent Kettle [0.4, 0.4]\n"
    "Cup->Tea\nTea->Kettle\nevolve Kettle 0.7\n// a comment\nnote hot [0.2, 0.2]\n",
    "user spacing": "title  Tea\n\ncomponent Cup [0.80, 0.30] (build)\ncomponent Tea [0.6,0.5] inertia\n"
    "component Kettle [0.4, 0.40]\nevolve Kettle 0.70\nCup->Tea\nTea->Kettle; hot\nbuy Kettle\nstyle wardley\n",
    "pipeline": "component Kettle [0.5, 0.5]\npipeline Kettle [0.2, 0.8]\n{\n  component Electric [0.6]\n}\n"
    "component Cup [0.8, 0.3]\nCup->Kettle\nCup->Electric\n",
    "fixture": OWM_FIXTURES[0].read_text(encoding="utf-8") if OWM_FIXTURES else "component A [0.5, 0.5]\n",
}

ops = st.lists(
    st.tuples(
        st.sampled_from(["rename", "move", "add", "link", "delete", "evolve", "method", "note", "undo", "redo"]),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=25,
)


def _pane(start: str) -> MapTextEditor:
    doc = Document(ServiceDocument.model_construct(map=parse_owm(start).map))
    pane = MapTextEditor(doc, QUndoStack())
    return pane


def drop_pane(pane: MapTextEditor) -> None:
    """Delete a pane made here now, and untie it from its document first.

    ``deleteLater`` waits for an event loop these property loops never turn, and the
    document's hold on the pane kept each example's pane alive until a garbage
    collection destroyed it at a moment of its choosing, inside a later test's Qt call."""
    pane.document.changed.disconnect(pane._on_document_changed)  # noqa: SLF001
    shiboken6.delete(pane)


def drop_scene(scene) -> None:  # noqa: ANN001 - a MapScene (drawing is not imported here)
    """Close a scene made here and delete it now, with its items.

    A parentless scene left to Python was destroyed by a later garbage collection, which
    took its items' wrappers apart in no order and crashed an xdist worker twice in CI
    (segmentation fault "Garbage-collecting" at the start of a hypothesis example)."""
    scene.close()
    shiboken6.delete(scene)


def _step(pane: MapTextEditor, op: str, a: int, b: int, counter: list[int]) -> None:
    doc, stack = pane.document, pane.stack
    comps = doc.map.components
    counter[0] += 1
    n = counter[0]
    c = comps[a % len(comps)] if comps else None
    if op == "undo":
        stack.undo()
    elif op == "redo":
        stack.redo()
    elif op == "add" or c is None:
        run(stack, AddElementCommand(doc, Component(id=f"t-new{n}", name=f"New {n}", visibility=(a % 97) / 100, evolution=(b % 89) / 100)))
    elif op == "rename":
        name = f"{NAMES[b % len(NAMES)]} {n}"
        run(stack, UpdateElementCommand(doc, c.id, name=name))
    elif op == "move":
        run(stack, MoveComponentsCommand(doc, {c.id: ((a % 101) / 100, (b % 103) / 100)}, {c.id: (c.visibility, c.evolution)}))
        doc.move_components({c.id: ((a % 101) / 100, (b % 103) / 100)})
    elif op == "link":
        d = comps[b % len(comps)]
        if d.id != c.id and not any(lk.source == c.id and lk.target == d.id for lk in doc.map.links):
            run(stack, AddElementCommand(doc, Link(id=f"t-l{n}", source=c.id, target=d.id)))
    elif op == "delete":
        run(stack, RemoveElementsCommand(doc, [c.id]))
    elif op == "evolve":
        run(stack, UpdateElementCommand(doc, c.id, evolve=None if c.evolve else Evolve(evolution=0.9)))
    elif op == "method":
        run(stack, UpdateElementCommand(doc, c.id, method=None if c.method else list(Method)[b % len(Method)]))
    elif op == "note":
        run(stack, AddElementCommand(doc, Note(id=f"t-n{n}", text=f"note {n}", visibility=0.5, evolution=0.5)))


@pytest.mark.parametrize("start", sorted(STARTS))
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=ops)
def test_line_edits_after_any_edits_and_undos_give_the_full_write(qapp, start: str, steps: list[tuple[str, int, int]]) -> None:
    pane = _pane(STARTS[start])
    full_writes = []
    write_all = pane._text.full
    pane._text.full = lambda m: (full_writes.append(1), write_all(m))[1]  # type: ignore[method-assign]
    counter = [0]
    for op, a, b in steps:
        _step(pane, op, a, b, counter)
        assert pane.editor.toPlainText() == write_owm(pane.document.map)
    drop_pane(pane)


def test_plain_edits_on_a_written_map_never_write_the_whole_text(qapp) -> None:
    """Rename, add, link, delete and their undos are line edits (what makes them fast)."""
    pane = _pane(STARTS["written"])
    full_writes = []
    write_all = pane._text.full
    pane._text.full = lambda m: (full_writes.append(1), write_all(m))[1]  # type: ignore[method-assign]
    counter = [0]
    for op, a, b in [("rename", 1, 2), ("add", 3, 4), ("link", 0, 3), ("delete", 2, 0), ("evolve", 0, 0),
                     ("method", 1, 1), ("note", 0, 0), ("move", 5, 6)] + [("undo", 0, 0)] * 9 + [("redo", 0, 0)] * 9:
        _step(pane, op, a, b, counter)
        assert pane.editor.toPlainText() == write_owm(pane.document.map)
    assert full_writes == []


def test_an_edit_elsewhere_keeps_the_typists_cursor_on_its_line(qtbot) -> None:
    doc = Document(ServiceDocument.model_construct(map=parse_owm(STARTS["written"]).map))
    pane = MapTextEditor(doc, QUndoStack())
    qtbot.addWidget(pane)
    pane.show()
    text = pane.editor.toPlainText()
    # The cursor sits in the middle of the Kettle line, as someone reading it would leave it.
    line = next(i for i, t in enumerate(text.split("\n")) if t.startswith("component Kettle"))
    cursor = QTextCursor(pane.editor.document().findBlockByNumber(line))
    cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor, 12)
    pane.editor.setTextCursor(cursor)
    cup = doc.map.component_by_name("Cup")
    tea = doc.map.component_by_name("Tea")
    # Lines above it change, one is added at the end and one above goes away.
    run(pane.stack, UpdateElementCommand(doc, cup.id, name="Big cup"))
    run(pane.stack, AddElementCommand(doc, Component(id="milk", name="Milk", visibility=0.3, evolution=0.6)))
    pane.stack.undo()
    run(pane.stack, RemoveElementsCommand(doc, [tea.id]))
    now = pane.editor.textCursor()
    assert now.block().text().startswith("component Kettle")
    assert now.positionInBlock() == 12
    assert pane.editor.toPlainText() == write_owm(doc.map)
    assert "Big cup" in pane.editor.toPlainText()


def test_an_edit_above_the_view_keeps_the_same_lines_in_view(qtbot) -> None:
    """Deleting a line above what the person is reading does not scroll it by a line."""
    text = "".join(f"component C{i} [0.{i % 90 + 10}, 0.5]\n" for i in range(200))
    doc = Document(ServiceDocument.model_construct(map=parse_owm(text).map))
    pane = MapTextEditor(doc, QUndoStack())
    qtbot.addWidget(pane)
    pane.resize(400, 300)
    pane.show()
    qtbot.waitExposed(pane)
    bar = pane.editor.verticalScrollBar()
    bar.setValue(120)
    first = pane.editor.firstVisibleBlock().text()
    assert first.startswith("component C120")
    run(pane.stack, RemoveElementsCommand(doc, [doc.map.component_by_name("C5").id]))
    assert pane.editor.firstVisibleBlock().text() == first
    pane.stack.undo()
    assert pane.editor.firstVisibleBlock().text() == first
    assert pane.editor.toPlainText() == write_owm(doc.map)
