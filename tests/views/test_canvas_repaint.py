"""What the canvas shows after an edit's partial repaint is what a full repaint draws
(issue 14, one edit at 5,000 components: the view no longer saves and restores the
painter round each item, and clips each repaint to its area so a long link is stroked
only there). A painter setting one item leaves behind (a pen, a brush, a font) would
show in a partial repaint, where items are drawn in a different company than in a full
one; a clip too tight would leave the old picture at the edge of the repainted area.

What is on screen is read from the window's backing store (``grabWindow``); ``grab()``
paints the whole viewport afresh, as a full repaint does. The two may differ by one
level of a colour along a line: Qt starts stroking a line where it enters the area it
repaints, and its antialiasing rounds a little differently from there (so it did before
this change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from osom_desktop.commands import AddElementCommand, MoveComponentsCommand, UpdateElementCommand, run
from osom_desktop.model import ServiceDocument
from osom_desktop.model.wardley import Component, Link
from osom_desktop.owm import parse_owm
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow
from tests.conftest import OWM_FIXTURES
from tests.views.test_drag_layers import fresh, shown
from tests.views.test_main_window import discard_changes

GOLDEN = next(p for p in OWM_FIXTURES if "GoldenMaster" in p.name)


@pytest.fixture
def window(qtbot, tmp_path: Path):
    doc = ServiceDocument()
    doc.service.name = "Golden"
    doc.map = parse_owm(GOLDEN.read_text(encoding="utf-8")).map
    path = tmp_path / "golden.osom"
    save_document(doc, path)
    w = MainWindow()
    assert w.open_path(path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def _differences(w: MainWindow) -> int:
    """Pixels on screen more than antialiasing's rounding away from a full repaint."""
    return int((abs(shown(w) - fresh(w)).max(axis=2) > 2).sum())


def _edits(w: MainWindow):
    doc, stack = w.document, w.stack
    comps = [c for c in doc.map.components if c.visibility is not None and c.evolution is not None]
    a, b = comps[len(comps) // 2], comps[-1]
    link = next(lk for lk in doc.map.links if lk.flow is None)
    yield lambda: run(stack, UpdateElementCommand(doc, a.id, name=a.name + " and more words"))
    yield lambda: run(stack, AddElementCommand(doc, Component(id="new", name="Brand new", visibility=0.55, evolution=0.45)))
    yield lambda: run(stack, AddElementCommand(doc, Link(id="nl", source="new", target=b.id)))
    yield lambda: run(stack, MoveComponentsCommand(doc, {b.id: (0.3, 0.7)}, {b.id: (b.visibility, b.evolution)}))
    yield lambda: w.scene.item_for_id(link.id).setSelected(True)
    yield lambda: w.scene.item_for_id(a.id).setSelected(True)
    yield stack.undo
    yield stack.undo
    yield w.scene.clearSelection
    yield stack.undo


@pytest.mark.parametrize("zoom", ["fit", "actual"])
def test_each_edit_repaints_what_a_full_repaint_draws(window: MainWindow, zoom: str) -> None:
    if zoom == "actual":
        window.view.zoom_actual()
        window.view.centerOn(window.scene.to_scene(0.5, 0.5))
    assert _differences(window) == 0
    for step, edit in enumerate(_edits(window)):
        edit()
        assert _differences(window) == 0, f"edit {step}: the partial repaint differs from a full one"
