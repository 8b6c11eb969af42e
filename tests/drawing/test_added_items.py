"""Elements added after the map was drawn stack, hit and go as built ones do: an added
component is drawn over the ones built before it where they overlap, an added link
under the components, and both leave with their element (issue 14: added items sit on
an unpainted parent per z value, so Qt does not re-sort every item for each one)."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsView

from osom_desktop.drawing.map_items import MapItem
from osom_desktop.drawing.map_scene import MapScene, document_for_map
from osom_desktop.model import Component, Link, WardleyMap


def _stack_at(scene: MapScene, point: QPointF) -> list[str]:
    """The map elements drawn at ``point`` (not the grid), topmost first."""
    return [i.element_id for i in scene.items(point) if isinstance(i, MapItem) and scene.element(i.element_id) is not None]


def _map() -> WardleyMap:
    return WardleyMap(
        components=[
            Component(id="a", name="Kettle", visibility=0.5, evolution=0.5),
            Component(id="b", name="Water", visibility=0.2, evolution=0.5),
        ],
        links=[Link(id="ab", source="a", target="b")],
    )


def test_an_added_component_and_link_stack_as_in_a_map_built_with_them(qapp) -> None:
    doc = document_for_map(_map())
    scene = MapScene(doc)
    view = QGraphicsView(scene)
    view.resize(600, 500)
    view.viewport().grab()  # a paint first: Qt sorts the items it draws
    doc.add_element(Component(id="c", name="Cup", visibility=0.5, evolution=0.5))  # on top of Kettle
    doc.add_element(Link(id="cb", source="c", target="b"))
    view.viewport().grab()
    fresh = MapScene(document_for_map(doc.map))  # the same map, built in one go
    try:
        kettle = scene.to_scene(0.5, 0.5)
        on_line = scene.to_scene(0.35, 0.5)  # on both links, between the two ends
        assert _stack_at(scene, kettle)[:2] == ["c", "a"]
        assert _stack_at(scene, kettle) == _stack_at(fresh, kettle)
        assert _stack_at(scene, on_line) == _stack_at(fresh, on_line) == ["cb", "ab"]
        link = scene.item_for_id("cb")
        link.setSelected(True)
        assert [i.element_id for i in scene.selectedItems()] == ["cb"]
    finally:
        fresh.close()
    doc.remove_elements(["cb", "c"])
    assert scene.item_for_id("c") is None and scene.item_for_id("cb") is None
    assert _stack_at(scene, kettle) == ["a", "ab"]
    scene.rebuild()  # a rebuild draws everything afresh, added items and all
    assert _stack_at(scene, kettle) == ["a", "ab"]
    scene.close()
