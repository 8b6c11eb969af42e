"""What a person looking at a screenshot called wrong (a person-like tester): the names
of a pipeline's children, a few hundredths apart, printed over each other under the
pipeline; pioneers, settlers and town planners were three blue boxes with no word to
tell them apart.

A real .osom file made from OWM text, opened and drawn by the real MapScene; the
checks are on what the items draw."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from osom_desktop.drawing.items import ComponentItem
from osom_desktop.drawing.items.areas import AreaItem
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.model import Document, ServiceDocument
from osom_desktop.owm import parse_owm
from osom_desktop.storage import open_document, save_document

KETTLES = """title Kettles
component Kettle [0.45, 0.57]
component Power [0.1, 0.7]
Kettle->Power
pipeline Kettle
{
  component Campfire Kettle [0.50]
  component Electric Kettle [0.56]
  component Induction Kettle [0.62]
}
pioneers [0.98, 0.05, 0.80, 0.30]
settlers [0.60, 0.35, 0.45, 0.55]
townplanners [0.30, 0.70, 0.05, 0.95]
townplanners [0.02, 0.02, 0.01, 0.03]
"""


@pytest.fixture
def scene(qapp, tmp_path: Path):  # noqa: ANN001 (pytest-qt fixture)
    data = ServiceDocument()
    data.map = parse_owm(KETTLES).map
    path = tmp_path / "kettles.osom"
    save_document(data, path)
    doc = Document(open_document(path))
    s = MapScene(doc)
    yield s
    s.close()


def test_the_names_of_a_pipelines_children_do_not_print_over_each_other(scene: MapScene) -> None:
    m = scene.document.map
    items = {c.name: scene.item_for_id(c.id) for c in m.components}
    assert all(isinstance(i, ComponentItem) for i in items.values())
    overlaps = [(a, b) for (a, ia), (b, ib) in itertools.combinations(items.items(), 2)
                if ia.label_rect().intersects(ib.label_rect())]
    assert overlaps == []
    # The first keeps OWM's place, centred under the box; the names stay beside their circles.
    campfire = items["Campfire Kettle"]
    assert campfire.label_rect().center().x() == pytest.approx(campfire.pos().x(), abs=1)
    assert campfire.label_rect().top() > campfire.pos().y()
    for name in ("Electric Kettle", "Induction Kettle"):
        item = items[name]
        assert abs(item.label_rect().center().x() - item.pos().x()) < item.label_rect().width()


def test_each_area_says_what_it_is_inside_its_box(scene: MapScene) -> None:
    areas = [(a, scene.item_for_id(a.id)) for a in scene.document.map.areas]
    named = {a.kind.value: item.name_rect() for a, item in areas if isinstance(item, AreaItem) and item.texts()}
    assert {a.kind.value: t for a, item in areas if isinstance(item, AreaItem) for t in item.texts()} == {
        "pioneers": "Pioneers", "settlers": "Settlers", "townplanners": "Town planners"}
    for a, item in areas:
        if item.texts():
            assert item.sceneBoundingRect().contains(named[a.kind.value])
    # A sliver too small for its name shows none, rather than a word hanging outside it.
    sliver = areas[-1][1]
    assert sliver.texts() == []
