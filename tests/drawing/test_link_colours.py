"""A link is drawn in the link colour, in the evolved colour when it ends at an evolved
copy, and in the selection colour while selected (its look is decided when it
refreshes, not looked up at every paint: issue 14)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from osom_desktop.drawing.map_scene import MapScene, document_for_map
from osom_desktop.model import Component, Evolve, Link, WardleyMap


def _colours_along(scene: MapScene, a: QPointF, b: QPointF) -> set[str]:
    """The colours drawn on and beside the middle half of the line from ``a`` to ``b``."""
    rect = scene.sceneRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)  # no antialiasing: the line's own colour, not a blend
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    seen = set()
    for k in range(25, 76):
        p = a + (b - a) * (k / 100) - rect.topLeft()
        for dx in (-1, 0, 1):  # a one-unit line lands on one of these pixels
            seen.add(image.pixelColor(int(p.x()) + dx, int(p.y())).name())
    return seen


def _has(seen: set[str], colour: str) -> bool:
    """Whether a colour close to ``colour`` is among ``seen`` (pens may be a shade off)."""
    want = QColor(colour)
    return any(
        max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) <= 8
        for c in map(QColor, seen)
    )


def test_links_take_the_link_evolved_and_selection_colours(qapp) -> None:
    doc = document_for_map(WardleyMap(
        components=[
            Component(id="a", name="Kettle", visibility=0.8, evolution=0.2),
            Component(id="b", name="Water", visibility=0.2, evolution=0.2),
            Component(id="c", name="Power", visibility=0.8, evolution=0.4, evolve=Evolve(evolution=0.8)),
            Component(id="d", name="Grid", visibility=0.2, evolution=0.8),
        ],
        links=[Link(id="ab", source="a", target="b"), Link(id="cd", source="c", target="d", source_evolved=True)],
    ))
    scene = MapScene(doc)
    theme = scene.theme
    ab = scene.item_for_id("ab").line()
    cd = scene.item_for_id("cd").line()
    assert _has(_colours_along(scene, ab.p1(), ab.p2()), theme.link)
    assert _has(_colours_along(scene, cd.p1(), cd.p2()), theme.evolved)
    scene.item_for_id("ab").setSelected(True)
    along = _colours_along(scene, ab.p1(), ab.p2())
    assert _has(along, theme.selection) and not _has(along, theme.link)
    scene.item_for_id("ab").setSelected(False)
    assert _has(_colours_along(scene, ab.p1(), ab.p2()), theme.link)
    scene.close()
