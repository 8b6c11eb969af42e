"""A map shown in a view finds its items by Qt's BSP tree, and finds the same ones in
the same order as walking them all (issue 14: without an index every paint and every
hit test looked at all ~15,000 items of a 5,000-component map, ~5-7 ms a paint of
the few items one edit changed)."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtWidgets import QGraphicsScene

from osom_desktop.commands import AddElementCommand, MoveComponentsCommand, UpdateElementCommand, run
from osom_desktop.drawing.map_items import MapItem
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.model import Component, Document, Link, ServiceDocument
from osom_desktop.model.wardley import WardleyMap
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.map_view import MapView


def _saved_map(tmp_path: Path, n: int) -> Path:
    """A crowded map of ``n`` components, each linked to two near it, saved to a
    real file and read back."""
    rnd = random.Random(n)
    comps = [Component(id=f"c{i}", name=f"Part {i} of {n}", visibility=round(rnd.random(), 3),
                       evolution=round(rnd.random(), 3)) for i in range(n)]
    links = []
    for i, c in enumerate(comps):
        near = sorted(comps, key=lambda d: abs(d.visibility - c.visibility) + abs(d.evolution - c.evolution))[1:3]
        links += [Link(id=f"l{i}-{d.id}", source=c.id, target=d.id) for d in near if n > 2]
    doc = ServiceDocument()
    doc.map = WardleyMap(components=comps, links=links)
    path = tmp_path / f"map-{n}.osom"
    save_document(doc, path)
    return path


def _shown(path: Path, qtbot) -> MapView:
    """The canvas of the real window with the file open and painted once."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.open_path(path, ask_when_locked=False)
    view = window.view
    view.viewport().repaint()
    qtbot.waitUntil(lambda: view.map_scene.indexed)
    return view


def _at(scene: MapScene, where: QPointF | QRectF) -> list[str]:
    return [i.element_id for i in scene.items(where) if isinstance(i, MapItem)]


def test_a_shown_map_is_indexed_after_its_first_paint_and_an_export_scene_is_not(tmp_path, qtbot) -> None:
    view = _shown(_saved_map(tmp_path, 120), qtbot)
    scene = view.map_scene
    assert scene.itemIndexMethod() is QGraphicsScene.ItemIndexMethod.BspTreeIndex
    # As deep as Qt would choose for the items there are (at least 5 levels).
    assert scene.bspTreeDepth() == max(5, math.ceil(math.log2(len(scene.items()))))
    export = MapScene(Document(open_document(_saved_map(tmp_path, 40))))  # drawn once: no index
    assert export.itemIndexMethod() is QGraphicsScene.ItemIndexMethod.NoIndex
    export.close()


def test_the_index_finds_what_the_walk_finds_in_the_same_order_after_edits(tmp_path, qtbot) -> None:
    view = _shown(_saved_map(tmp_path, 300), qtbot)
    scene, stack, doc = view.map_scene, view.stack, view.document
    comps = doc.map.components
    # Edits that move, grow, add and link items after the tree was built.
    old = {c.id: (c.visibility, c.evolution) for c in (comps[3], comps[9])}
    run(stack, MoveComponentsCommand(doc, {comps[3].id: (0.42, 0.57), comps[9].id: (0.05, 0.95)}, old))
    run(stack, UpdateElementCommand(doc, comps[5].id, name="A much longer name than it had before"))
    run(stack, AddElementCommand(doc, Component(id="new", name="New one", visibility=0.5, evolution=0.5)))
    run(stack, AddElementCommand(doc, Link(id="new-link", source="new", target=comps[3].id)))
    stack.undo()  # the link goes again
    view.viewport().repaint()
    scene.settle_labels()
    places = [scene.to_scene(vis, evo) for vis in (0.05, 0.3, 0.5, 0.57, 0.8, 0.95) for evo in (0.05, 0.3, 0.42, 0.5, 0.8, 0.95)]
    areas = [QRectF(p, p + QPointF(60, 20)) for p in places]
    assert scene.itemIndexMethod() is QGraphicsScene.ItemIndexMethod.BspTreeIndex
    # Every item, topmost first (a sort of them all, not a look-up in the tree), kept
    # if it is at the place.
    every = [i for i in scene.items(Qt.SortOrder.DescendingOrder) if isinstance(i, MapItem)]
    found = 0
    for point, area in zip(places, areas, strict=True):
        pixel = QRectF(point, QSizeF(1, 1))  # Qt's test: the box, then the shape
        walked = [i.element_id for i in every
                  if i.sceneBoundingRect().intersects(pixel) and i.contains(i.mapFromScene(point))]
        assert _at(scene, point) == walked, point
        by_box = scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        walked = [i.element_id for i in every if i.sceneBoundingRect().intersects(area)]
        assert [i.element_id for i in by_box if isinstance(i, MapItem)] == walked, area
        found += len(walked)
    assert found > 100  # a crowded map: many items at each place
    stack.setClean()  # nothing to ask about when the window closes


def test_a_map_replaced_by_a_bigger_one_gets_a_deeper_tree(tmp_path, qtbot) -> None:
    """Qt picks the tree's depth from the first count it sees and never again: a map
    opened small and then replaced (its OWM text pasted over) would keep 32 leaves."""
    view = _shown(_saved_map(tmp_path, 10), qtbot)
    scene, doc = view.map_scene, view.document
    assert scene.bspTreeDepth() == 5
    doc.replace_map(open_document(_saved_map(tmp_path, 400)).map)
    count = len(scene.items())
    assert scene.bspTreeDepth() == math.ceil(math.log2(count)) > 5
    point = scene.to_scene(doc.map.components[7].visibility, doc.map.components[7].evolution)
    assert doc.map.components[7].id in _at(scene, point)
