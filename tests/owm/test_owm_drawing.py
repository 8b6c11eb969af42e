"""What OWM's 2026 axis syntax and pipelines look like on our canvas: drawn as OWM draws
them (real scene, real painting, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from osom_desktop.drawing.map_items import ComponentItem
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.drawing.themes import theme_for
from osom_desktop.export.image import svg_bytes
from osom_desktop.model import Document, ServiceDocument
from osom_desktop.owm import parse_owm


def _svg(text: str) -> str:
    return svg_bytes(parse_owm(text).map).decode("utf-8")


def test_hidden_axes_are_not_drawn(qapp) -> None:  # noqa: ANN001
    shown = _svg("component A [0.5, 0.5]\n")
    assert "Value Chain" in shown and "Evolution" in shown and "Genesis" in shown
    hidden = _svg("evolution --hide\nvaluechain --hide\ncomponent A [0.5, 0.5]\n")
    for caption in ("Value Chain", "Visible", "Evolution", "Genesis", "Commodity"):
        assert caption not in hidden, caption
    assert ">A<" in hidden or "A</" in hidden  # the map itself is still there


def test_hidden_evolution_axis_keeps_the_value_chain() -> None:
    svg = _svg("evolution --hide Phase 1->Phase 2->->Phase 4\ncomponent A [0.5, 0.5]\n")
    assert "Value Chain" in svg and "Phase 1" not in svg and "Evolution" not in svg


def _ink_at_square_corner(text: str, name: str, qapp) -> bool:  # noqa: ANN001
    doc = Document(ServiceDocument(map=parse_owm(text).map))
    scene = MapScene(doc, theme_for("plain"))
    try:
        item = next(i for i in scene.items() if isinstance(i, ComponentItem) and doc.map.component(i.element_id).name == name)
        image = QImage(60, 60, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.translate(QPointF(30, 30))
        item.paint(painter, QStyleOptionGraphicsItem(), None)
        painter.end()
        r = round(scene.theme.component_radius)
        # The corner of a square of side 2r (its outline) is far outside a circle of radius r.
        corner = [QColor(image.pixel(30 + r + dx, 30 + r + dy)) for dx in (-1, 0) for dy in (-1, 0)]
        return any(c != QColor("white") for c in corner)
    finally:
        scene.close()


def test_pipeline_owner_is_a_square_as_in_owm(qapp) -> None:  # noqa: ANN001
    assert _ink_at_square_corner("component P [0.5, 0.5]\npipeline P [0.2, 0.8]\n", "P", qapp)
    assert not _ink_at_square_corner("component P [0.5, 0.5]\n", "P", qapp)
