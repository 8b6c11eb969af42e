"""MapScene draws the Document's map and follows its changes item by item.

Real Qt (offscreen, from conftest), real Document, no mocks: edits go through the
Document's own methods and the tests look at the items the scene holds.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsEllipseItem

from osom_desktop.drawing.map_items import LABEL_MAX_WIDTH, ComponentItem, LinkItem, MapItem
from osom_desktop.drawing.map_scene import MAP_HEIGHT, MAP_WIDTH, MapScene
from osom_desktop.drawing.themes import THEMES, theme_for
from osom_desktop.model import (
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Document,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    Pipeline,
    ServiceDocument,
    ServiceRef,
    WardleyMap,
)


def every_kind_map() -> WardleyMap:
    """A map with one of everything the canvas draws, built in code."""
    comps = [
        Component(id="user", name="Customer", kind=ComponentKind.ANCHOR, visibility=0.95, evolution=0.5),
        Component(id="tea", name="Cup of Tea", visibility=0.8, evolution=0.6, label=Offset(-80, 4)),
        Component(id="water", name="Hot Water", visibility=0.5, evolution=0.8, method=Method.BUY),
        Component(
            id="kettle",
            name="Kettle",
            visibility=0.4,
            evolution=0.35,
            inertia=True,
            evolve=Evolve(evolution=0.62, name="Electric Kettle"),
        ),
        Component(id="power", name="Power", visibility=0.1, evolution=0.7, method=Method.OUTSOURCE),
        Component(id="store", name="App Store", visibility=0.3, evolution=0.55, market=True),
        Component(id="eco", name="Partners", visibility=0.2, evolution=0.9, ecosystem=True),
        Component(id="site", name="Website", kind=ComponentKind.SUBMAP, visibility=0.85, evolution=0.3),
        Component(
            id="pay",
            name="Payments",
            visibility=0.6,
            evolution=0.45,
            provided_by=ServiceRef(name="Payments Service", service_id="svc-pay"),
        ),
        Component(id="loose", name="Somewhere Later"),
        Component(id="owner", name="Energy", visibility=0.25, evolution=0.3),
        Component(id="wind", name="Wind", evolution=0.2, pipeline_id="pipe"),
        Component(id="coal", name="Coal", evolution=0.4, pipeline_id="pipe"),
    ]
    return WardleyMap(
        title="Everything",
        style="wardley",
        components=comps,
        links=[
            Link(id="l1", source="user", target="tea"),
            Link(id="l2", source="tea", target="water", context="limited by"),
            Link(id="l3", source="water", target="kettle", flow=FlowDirection.FORWARD, flow_value="$0.10"),
            Link(id="l4", source="kettle", target="power"),
            Link(id="l5", source="tea", target="kettle", target_evolved=True),
            Link(id="l6", source="tea", target="pay"),
        ],
        pipelines=[Pipeline(id="pipe", component_id="owner", block=True)],
        notes=[Note(id="n1", text="A note on the map", visibility=0.9, evolution=0.05)],
        annotations=[
            Annotation(id="a1", number=1, points=[(0.45, 0.5), (0.1, 0.8)], text="Power standardises"),
            Annotation(id="a2", number=2, points=[(0.5, 0.9)], text="Obvious"),
        ],
        annotations_legend=(0.7, 0.03),
        areas=[Area(id="ar1", kind=AreaKind.PIONEERS, top=0.9, left=0.1, bottom=0.7, right=0.4)],
        accelerators=[
            Accelerator(id="acc", kind=AcceleratorKind.ACCELERATOR, name="Open source", visibility=0.3, evolution=0.2)
        ],
    )


@pytest.fixture
def doc(qapp) -> Document:  # noqa: ANN001 (pytest-qt fixture)
    return Document(ServiceDocument(map=every_kind_map()))


@pytest.fixture
def scene(doc: Document):
    s = MapScene(doc)
    yield s
    s.close()


def test_every_element_has_an_item_both_ways(doc: Document, scene: MapScene) -> None:
    m = doc.map
    ids = [e.id for group in (m.components, m.links, m.pipelines, m.notes, m.annotations, m.areas, m.accelerators) for e in group]
    ids += ["kettle#evolve", "annotations", "title", "grid"]
    for element_id in ids:
        item = scene.item_for_id(element_id)
        assert item is not None, element_id
        assert scene.id_for_item(item) == element_id
        assert item.scene() is scene
    assert scene.id_for_item(QGraphicsEllipseItem()) is None


def test_items_are_selectable_not_movable(scene: MapScene) -> None:
    item = scene.item_for_id("tea")
    assert isinstance(item, ComponentItem)
    assert item.element_id == "tea"
    flags = item.flags()
    assert flags & item.GraphicsItemFlag.ItemIsSelectable
    assert flags & item.GraphicsItemFlag.ItemIsFocusable
    assert not flags & item.GraphicsItemFlag.ItemIsMovable


def test_coordinates_round_trip(scene: MapScene) -> None:
    assert scene.to_scene(1.0, 0.0) == QPointF(0, 0)
    assert scene.to_scene(0.0, 1.0) == QPointF(MAP_WIDTH, MAP_HEIGHT)
    vis, evo = scene.to_map(scene.to_scene(0.37, 0.81))
    assert vis == pytest.approx(0.37)
    assert evo == pytest.approx(0.81)
    assert scene.item_for_id("tea").pos() == scene.to_scene(0.8, 0.6)


def test_moving_a_component_moves_its_item_links_and_evolved_copy(doc: Document, scene: MapScene) -> None:
    doc.move_components({"kettle": (0.3, 0.25)})
    target = scene.to_scene(0.3, 0.25)
    assert scene.item_for_id("kettle").pos() == target
    l3 = scene.item_for_id("l3")
    assert isinstance(l3, LinkItem)
    assert l3.line().p2() == target
    assert scene.item_for_id("l4").line().p1() == target
    # The evolved copy keeps its evolution but follows the visibility.
    assert scene.item_for_id("kettle#evolve").pos() == scene.to_scene(0.3, 0.62)
    assert scene.item_for_id("l5").line().p2() == scene.to_scene(0.3, 0.62)


def test_a_move_refreshes_only_what_depends_on_it(doc: Document, scene: MapScene, monkeypatch: pytest.MonkeyPatch) -> None:
    refreshed: list[str] = []
    for cls in {type(i) for i in scene.items() if isinstance(i, MapItem)}:
        original = cls.refresh

        def counting(self, s, _original=original):  # noqa: ANN001, ANN202
            refreshed.append(self.element_id)
            return _original(self, s)

        monkeypatch.setattr(cls, "refresh", counting)
    before = {i.element_id: i.drawn_state() for i in scene.items() if isinstance(i, MapItem)}
    doc.move_components({"power": (0.15, 0.75)})
    # The labels that looked where the moved line ran or now runs are placed again:
    # Kettle's stays, App Store's moves off the line that now crosses it; nothing
    # else is looked at.
    assert {"l4", "power"} <= set(refreshed) <= {"l4", "power", "kettle", "store"}
    changed = [i.element_id for i in scene.items() if isinstance(i, MapItem) and i.drawn_state() != before[i.element_id]]
    assert sorted(changed) == ["#links", "l4", "power", "store"]  # the layer draws l4's new line


def test_pipeline_children_ride_on_their_owner(doc: Document, scene: MapScene) -> None:
    before = scene.item_for_id("wind").pos()
    box = scene.item_for_id("pipe").sceneBoundingRect()
    assert box.left() < before.x() < box.right()
    doc.move_components({"owner": (0.5, 0.3)})
    after = scene.item_for_id("wind").pos()
    assert after.x() == before.x()
    assert after.y() == pytest.approx(before.y() - 0.25 * MAP_HEIGHT)
    assert scene.item_for_id("pipe").sceneBoundingRect().top() > scene.to_scene(0.5, 0.3).y()


def test_remove_and_restore_through_the_document(doc: Document, scene: MapScene) -> None:
    removed = doc.remove_elements(["kettle"])
    for gone in ("kettle", "kettle#evolve", "l3", "l4", "l5"):
        assert scene.item_for_id(gone) is None, gone
    assert scene.item_for_id("tea") is not None
    doc.restore(removed)
    for back in ("kettle", "kettle#evolve", "l3", "l4", "l5"):
        item = scene.item_for_id(back)
        assert item is not None and item.scene() is scene, back
    assert scene.item_for_id("l4").line().p1() == scene.to_scene(0.4, 0.35)


def test_adding_and_editing_elements(doc: Document, scene: MapScene) -> None:
    doc.add_element(Component(id="milk", name="Milk", visibility=0.6, evolution=0.9))
    doc.add_element(Link(id="l9", source="tea", target="milk"))
    assert scene.item_for_id("milk").pos() == scene.to_scene(0.6, 0.9)
    assert scene.item_for_id("l9").line().p2() == scene.to_scene(0.6, 0.9)
    doc.update_element("milk", name="Oat Milk")
    assert scene.item_for_id("milk").texts() == ["Oat Milk"]
    doc.update_element("kettle", evolve=None)
    assert scene.item_for_id("kettle#evolve") is None
    assert scene.item_for_id("l5") is None  # its end (the evolved copy) is gone
    doc.add_element(Note(id="n2", text="Later", visibility=0.5, evolution=0.5))
    assert scene.item_for_id("n2").texts() == ["Later"]


def test_components_without_coordinates_get_a_place_until_they_have_one(doc: Document, scene: MapScene) -> None:
    tray = scene.tray_top()
    assert tray is not None and tray > MAP_HEIGHT
    assert scene.item_for_id("loose").pos().y() > MAP_HEIGHT
    doc.move_components({"loose": (0.5, 0.5)})
    assert scene.item_for_id("loose").pos() == scene.to_scene(0.5, 0.5)
    assert scene.tray_top() is None


def test_map_settings_rebuild_and_retheme(doc: Document, scene: MapScene) -> None:
    assert scene.theme.name == "wardley"
    scene.item_for_id("tea").setSelected(True)
    doc.update_map_settings(style="dark", title="Renamed")
    assert scene.theme.name == "dark"
    assert scene.backgroundBrush().color().lightness() < 80
    assert scene.item_for_id("title").texts() == ["Renamed"]
    assert scene.item_for_id("tea").isSelected()  # selection survives a rebuild


def test_items_of_the_interaction_layer_survive_a_rebuild(doc: Document, scene: MapScene) -> None:
    handle = QGraphicsEllipseItem(0, 0, 5, 5)
    scene.addItem(handle)
    doc.update_map_settings(style="plain")
    assert handle.scene() is scene


def test_replacing_the_map_draws_the_new_one(doc: Document, scene: MapScene) -> None:
    doc.replace_map(WardleyMap(components=[Component(id="x", name="X", visibility=0.5, evolution=0.5)]))
    assert scene.item_for_id("tea") is None
    assert scene.item_for_id("x") is not None


def test_scene_rect_holds_every_label(doc: Document, scene: MapScene) -> None:
    doc.add_element(Component(id="edge", name="Right at the edge", visibility=0.0, evolution=1.0, label=Offset(30, 40)))
    rect = scene.sceneRect()
    for item in scene.items():
        if isinstance(item, MapItem):
            assert rect.contains(item.sceneBoundingRect()), item.element_id


def test_long_names_wrap_and_stay_whole(doc: Document, scene: MapScene) -> None:
    name = "Customer relationship management platform for regional offices"
    doc.add_element(Component(id="long", name=name, visibility=0.5, evolution=0.2))
    item = scene.item_for_id("long")
    lines = item.texts()
    assert len(lines) > 1
    assert " ".join(lines) == name
    fm = scene.paints.fm
    assert all(fm.horizontalAdvance(line) <= LABEL_MAX_WIDTH for line in lines)


def test_default_labels_move_off_other_labels(qapp) -> None:  # noqa: ANN001
    # Two components so close that OWM's default labels would print over each other;
    # a third with an explicit offset keeps it even though it overlaps.
    m = WardleyMap(
        components=[
            Component(id="a", name="Alpha component", visibility=0.5, evolution=0.5),
            Component(id="b", name="Beta component", visibility=0.49, evolution=0.5),
            Component(id="c", name="Gamma", visibility=0.2, evolution=0.2, label=Offset(-40, 3)),
        ]
    )
    doc = Document(ServiceDocument(map=m))
    scene = MapScene(doc)
    a, b, c = (scene.item_for_id(i) for i in "abc")
    assert not a.label_rect().intersects(b.label_rect())
    assert c.label_rect().left() == pytest.approx(c.pos().x() - 40)
    # Dragging one onto the other keeps them apart too.
    doc.move_components({"c": (0.51, 0.5)})
    assert not c.label_rect().intersects(a.label_rect()) or c.label_rect().left() == pytest.approx(c.pos().x() - 40)
    doc.update_element("c", label=None)
    assert not c.label_rect().intersects(a.label_rect())
    assert not c.label_rect().intersects(b.label_rect())
    scene.close()


def test_provided_component_says_by_whom(scene: MapScene) -> None:
    assert scene.item_for_id("pay").texts() == ["Payments", "provided by Payments Service"]


def test_theme_for_styles() -> None:
    assert theme_for(None).name == "plain"
    assert theme_for("Dark").name == "dark"
    assert theme_for("no such style").name == "plain"
    assert set(THEMES) == {"plain", "wardley", "colour", "handwritten", "dark"}


def test_close_stops_following(doc: Document, qapp) -> None:  # noqa: ANN001
    scene = MapScene(doc)
    scene.close()
    doc.move_components({"tea": (0.1, 0.1)})
    assert scene.item_for_id("tea").pos() == scene.to_scene(0.8, 0.6)


@pytest.mark.parametrize("style", ["plain", "colour"])
def test_items_paint_inside_their_bounds(style: str, qapp) -> None:  # noqa: ANN001
    # A view repaints only an item's bounding rect: ink outside it leaves trails.
    # (QPicture measures shapes, not text; text rects come from the font metrics
    # the bounds are built from.)
    from PySide6.QtGui import QPainter, QPicture
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    scene = MapScene(Document(ServiceDocument(map=every_kind_map())), theme_for(style))
    for item in scene.items():
        if not isinstance(item, MapItem):
            continue
        picture = QPicture()
        painter = QPainter(picture)
        item.paint(painter, QStyleOptionGraphicsItem(), None)
        painter.end()
        drawn = picture.boundingRect()
        if drawn.isEmpty():
            continue
        assert item.boundingRect().adjusted(-1, -1, 1, 1).contains(drawn.toRectF()), (item.element_id, drawn, item.boundingRect())
    scene.close()


def test_a_scene_deleted_by_qt_does_not_break_edits(qapp) -> None:  # noqa: ANN001
    import shiboken6
    from PySide6.QtCore import QObject

    doc = Document(ServiceDocument(map=every_kind_map()))
    parent = QObject()
    scene = MapScene(doc, parent=parent)
    shiboken6.delete(parent)  # takes the scene with it, as a closing window would
    assert not shiboken6.isValid(scene)
    doc.move_components({"tea": (0.1, 0.1)})  # must not raise
    doc.move_components({"tea": (0.2, 0.1)})


def test_pipelines_come_and_go_with_their_owner(doc: Document, scene: MapScene) -> None:
    doc.add_element(Pipeline(id="legacy", component_id="tea", start=0.5, end=0.75))
    box = scene.item_for_id("legacy").sceneBoundingRect()
    assert box.left() < 0.5 * MAP_WIDTH < box.right() and box.left() < 0.75 * MAP_WIDTH < box.right()
    removed = doc.remove_elements(["owner"])  # takes its pipeline and the children on it
    for gone in ("owner", "pipe", "wind", "coal"):
        assert scene.item_for_id(gone) is None, gone
    doc.restore(removed)
    for back in ("owner", "pipe", "wind", "coal"):
        assert scene.item_for_id(back) is not None, back
    assert scene.item_for_id("wind").pos().y() > scene.item_for_id("owner").pos().y()


def _drawn(scene: MapScene, element_id: str):  # noqa: ANN202 - a QImage
    """The scene drawn over one element's box, as a picture of that box."""
    from PySide6.QtGui import QImage, QPainter

    box = scene.item_for_id(element_id).sceneBoundingRect()
    image = QImage(box.size().toSize(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), box)
    painter.end()
    return image


@pytest.mark.parametrize("style", ["dark", "plain"])
def test_the_annotations_box_follows_the_theme(style: str, qapp) -> None:  # noqa: ANN001
    """The dark theme drew the annotations box white with black text, the one bright
    thing on a dark map: the box's inside is now as dark as the page (and light on plain)."""
    m = WardleyMap(style=style, annotations_legend=(0.9, 0.05), components=[
        Component(id="a", name="A", visibility=0.5, evolution=0.5)],
        annotations=[Annotation(id="n1", number=1, points=[(0.4, 0.4)], text="Standardising")])
    scene = MapScene(Document(ServiceDocument(map=m)))
    image = _drawn(scene, "annotations")
    # Just inside the box's bottom-right corner, clear of the text.
    inside = image.pixelColor(image.width() - 6, image.height() - 6)
    assert (inside.lightness() < 100) if style == "dark" else (inside.lightness() > 200), inside.name()
    scene.close()


@pytest.mark.parametrize("style", ["dark", "plain"])
def test_an_area_s_caption_reads_on_its_theme(style: str, qapp) -> None:  # noqa: ANN001
    """The dark theme drew "Pioneers" in dark blue on the area's blue fill: its letters
    are now lighter than the fill on a dark page (and darker on a light one)."""
    m = WardleyMap(style=style, areas=[Area(id="ar1", kind=AreaKind.PIONEERS, top=0.9, left=0.1, bottom=0.7, right=0.4)])
    scene = MapScene(Document(ServiceDocument(map=m)))
    image = _drawn(scene, "ar1")
    fill = image.pixelColor(image.width() // 2, image.height() - 8).lightness()  # inside, below the caption
    # The word's pixels (left of the stage line at x ~ 79): clearly lighter than the fill on
    # a dark page, darker on a light one. Before, "Pioneers" was within a few levels of it.
    caption = [image.pixelColor(x, y).lightness() for x in range(4, 75) for y in range(4, 26)]
    stands_out = [v for v in caption if (v > fill + 40 if style == "dark" else v < fill - 40)]
    assert len(stands_out) > 30, (len(stands_out), fill)
    scene.close()


def test_a_label_keeps_off_the_axes_captions(qapp) -> None:  # noqa: ANN001
    """A component on the evolution axis just before "Product", its usual place taken by
    another's symbol: its name went below the axis, over "Product (+rental)" (the axes'
    captions were not among what labels avoid). Now it takes a free side instead."""
    from PySide6.QtGui import QFontMetricsF

    from osom_desktop.model.wardley import STAGE_BOUNDARIES

    m = WardleyMap(components=[
        Component(id="a", name="Warehouse service", visibility=0.0, evolution=0.385),
        Component(id="b", name="B", visibility=0.03, evolution=0.41),  # where a's name would go
    ])
    scene = MapScene(Document(ServiceDocument(map=m)))
    fm = QFontMetricsF(scene.paints.grid_font)
    x = STAGE_BOUNDARIES[1] * MAP_WIDTH + 5
    product = QRectF(x, MAP_HEIGHT + 4, fm.horizontalAdvance("Product"), fm.height())
    label = scene.item_for_id("a").label_rect()
    assert not label.intersects(product), (label, product)
    assert not label.intersects(scene.item_for_id("b").sceneBoundingRect())
    scene.close()
