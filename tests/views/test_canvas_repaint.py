"""What the canvas shows after an edit's partial repaint is what a full repaint draws
(issue 14, one edit at 5,000 components: the view no longer saves and restores the
painter round each item, and clips each repaint to its area so a long link is stroked
only there). A painter setting one item leaves behind (a pen, a brush, a font) would
show in a partial repaint, where items are drawn in a different company than in a full
one; a clip too tight would leave the old picture at the edge of the repainted area.

What is on screen is read from the window's backing store (``grabWindow``); ``grab()``
paints the whole viewport afresh, as a full repaint does. The two may differ by a few
levels of a colour along a line: Qt starts stroking a line where it enters the area it
repaints, and its antialiasing rounds a little differently from there (so it did before
this change, by one level; with the clip, by up to three here)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QGraphicsItem

from osom_desktop.commands import AddElementCommand, MoveComponentsCommand, UpdateElementCommand, run
from osom_desktop.model.wardley import Component, Link
from osom_desktop.views.main_window import MainWindow
from tests.conftest import OWM_FIXTURES
from tests.views.conftest import close_discarding, open_map_window, settled
from tests.views.test_drag_layers import shown

GOLDEN = next(p for p in OWM_FIXTURES if "GoldenMaster" in p.name)
KINDS = ["", " (build)", " (buy)", " (outsource)", " inertia", " market", " ecosystem"]
# 160 components a few units apart, every kind of symbol, names long and short, half
# of them linked: each repaint cuts through symbols and labels at every angle.
CROWD = "".join(
    f"{'market' if k % 13 == 5 else 'component'} Part {k}{' with a longer name' * (k % 3 == 0)} "
    f"[{0.3 + (k * 37 % 40) / 100:.2f}, {0.3 + (k * 53 % 45) / 100:.2f}]"
    f"{KINDS[k % 7] if k % 13 != 5 and KINDS[k % 7] != ' market' else ''}\n"
    for k in range(160)
) + "".join(f"Part {k}->Part {(k * 7 + 3) % 160}\n" for k in range(0, 160, 2)) + "evolve Part 4 0.9\n"


@pytest.fixture(params=["golden", "crowd"])
def window(qtbot, tmp_path: Path, request):
    text = GOLDEN.read_text(encoding="utf-8") if request.param == "golden" else CROWD
    w = open_map_window(qtbot, tmp_path, "Golden", text)
    assert len(w.document.map.components) > 10
    QApplication.processEvents()
    yield w
    close_discarding(w)


def _differences(w: MainWindow) -> np.ndarray:
    """Where the screen is more than antialiasing's rounding away from a full repaint,
    once the labels an edit unsettled are placed (on timers, in slices) and shown."""
    deadline = time.monotonic() + 10
    while w.scene.settling and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert not w.scene.settling
    for _ in range(3):  # what the edit queued besides (a scroll bar come or gone) is done
        QApplication.processEvents()
    partial = shown(w)
    return np.asarray(abs(partial - _full(w)).max(axis=2) > 16)


def _full(w: MainWindow) -> np.ndarray:
    """What the window shows after a full repaint of the canvas. Not ``grab()``: at 1:1
    the view's offset is a fraction of a pixel, and ``grab()`` draws lines that a
    fraction of a pixel elsewhere (by up to 54 pixels on the crowd)."""
    w.view.viewport().repaint()
    return shown(w)


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


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("zoom", ["fit", "actual"])
def test_each_edit_repaints_what_a_full_repaint_draws(window: MainWindow, zoom: str, cached: bool) -> None:
    # Items are cached as pixmaps up to CACHE_MAX_COMPONENTS; above, they paint
    # themselves into each repaint and leave out what it does not reach.
    if not cached:
        window.scene.set_item_caching(False)  # it left every item's cache on until session 8
        assert all(item.cacheMode() == QGraphicsItem.CacheMode.NoCache for item in window.scene.items())
    if zoom == "actual":
        window.view.zoom_actual()
        window.view.centerOn(window.scene.to_scene(0.5, 0.5))
    window.view.viewport().update()  # not the pixels of the cached items
    assert _differences(window).sum() == 0
    for step, edit in enumerate(_edits(window)):
        edit()
        assert _differences(window).sum() == 0, f"edit {step}: the partial repaint differs from a full one"


@pytest.mark.parametrize("window", ["golden"], indirect=True)
def test_small_repaints_along_the_axes_draw_the_captions_a_full_repaint_draws(qtbot, window: MainWindow) -> None:
    """The grid leaves out of a repaint the captions (stage names, "Evolution", the
    value chain's words up the edge, the corners') that lie wholly outside it: a caption
    whose box were taken too small would be wiped by a repaint of its edge and not drawn
    again. Small areas swept along both axes' bands each show what a full repaint shows."""
    settled(qtbot, window)
    view = window.view
    full = _full(window)
    top_left = view.mapFromScene(window.scene.to_scene(1.0, 0.0))
    bottom_right = view.mapFromScene(window.scene.to_scene(0.0, 1.0))
    vp = view.viewport().rect()
    step = 9
    areas = []
    for x in range(max(0, top_left.x() - 60), min(vp.width(), bottom_right.x() + 40), step):  # under the evolution axis
        for y in range(bottom_right.y() - 6, min(vp.height(), bottom_right.y() + 50), step):
            areas.append((x, y))
    for x in range(max(0, top_left.x() - 40), top_left.x() + 12, step):  # up the value chain
        for y in range(max(0, top_left.y() - 10), bottom_right.y() + 10, step):
            areas.append((x, y))
    assert len(areas) > 200
    for x, y in areas:
        view.viewport().repaint(x, y, step, step)
    QApplication.processEvents()
    assert not (abs(shown(window) - full).max(axis=2) > 16).any()


# Flows with values, labelled links and links whose labels sit over other lines, close
# enough that small repaints cut through every part of them.
LABELLED = (
    "component Shop [0.9, 0.3]\ncomponent Till [0.7, 0.5]\ncomponent Bank [0.5, 0.7]\n"
    "component Card [0.65, 0.35]\ncomponent Ledger [0.3, 0.55]\ncomponent Cloud [0.2, 0.8]\n"
    "Shop+'$12.50'>Till\nTill+'$0.10'<>Bank\nCard+>Bank\nShop->Card; pays with a card\n"
    "Bank->Ledger; a long label that wraps onto a second line\nLedger+'$3'<Cloud; hosted\n"
    "Till->Ledger\nCard->Ledger; settles\n"
    "component Left [0.4, 0.3]\ncomponent Right [0.4, 0.6]\nLeft+'$1'>Right\n"  # level: a box as thin as the line
    "evolve Card 0.8\nevolve Ledger 0.75 label [-30, 12]\n"  # evolve arrows across the links
)


def test_small_repaints_across_labelled_links_flows_and_evolve_arrows_draw_what_a_full_repaint_draws(qtbot, tmp_path: Path) -> None:
    """A link with a label or a flow leaves out of a repaint its line, its label and its
    flow value each when that part is wholly outside it, and an evolve arrow its arrow,
    the evolved symbol and its name: a part whose box were taken
    too small would be wiped by a repaint of its edge and not drawn again. Small areas
    swept over the whole map each show what a full repaint shows."""
    w = open_map_window(qtbot, tmp_path, "Labelled", LABELLED)
    try:
        settled(qtbot, w)
        w.scene.set_item_caching(False)  # a cached item paints whole, into its pixmap
        labelled = [lk for lk in w.document.map.links if lk.context or lk.flow_value]
        assert len(labelled) == 7
        _sweep_matches_full(w, (0.95, 0.25), (0.15, 0.85), step=11)
    finally:
        close_discarding(w)


def _sweep_matches_full(w: MainWindow, top_left: tuple[float, float], bottom_right: tuple[float, float], step: int) -> None:
    """Repaint small areas one by one over the map between two of its points
    (visibility, evolution), uncached; the view then shows what a full repaint shows."""
    view = w.view
    full = _full(w)
    a = view.mapFromScene(w.scene.to_scene(*top_left))
    b = view.mapFromScene(w.scene.to_scene(*bottom_right))
    areas = [(x, y) for x in range(a.x(), b.x(), step) for y in range(a.y(), b.y(), step)]
    assert len(areas) > 200
    for x, y in areas:
        view.viewport().repaint(x, y, step, step)
    QApplication.processEvents()
    assert not (abs(shown(w) - full).max(axis=2) > 16).any()


# Components with names of one, two and three lines, methods and inertia, close enough
# that names cross each other's symbols and small repaints cut through every line.
NAMES = "".join(
    f"component {name} {k} [{0.75 - (k % 5) * 0.1:.2f}, {0.3 + (k // 5) * 0.12 + (k % 2) * 0.03:.2f}]"
    f"{[' (build)', '', ' inertia', '', ' (buy)'][k % 5]}\n"
    for k, name in enumerate(["Pay", "Card payments gateway for shops", "Ledger",
                              "A long name that wraps onto two or three lines of the label",
                              "Tea", "Kettle and water supply", "Cups", "Hosting", "Identity and access management",
                              "Queue", "Notifications to citizens", "Cache"] * 2)
)


def test_small_repaints_across_names_of_several_lines_draw_what_a_full_repaint_draws(qtbot, tmp_path: Path) -> None:
    """A component's name leaves out of a repaint each of its lines wholly outside it
    (a glyph costs its look-up even where it is clipped away): a line whose box were
    taken too small would be wiped by a repaint of its edge and not drawn again."""
    w = open_map_window(qtbot, tmp_path, "Names", NAMES)
    try:
        settled(qtbot, w)
        w.scene.set_item_caching(False)  # a cached item paints whole, into its pixmap
        _sweep_matches_full(w, (0.85, 0.2), (0.25, 0.95), step=7)
    finally:
        close_discarding(w)
