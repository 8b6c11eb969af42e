"""Bare link lines are drawn by one item, the scene's LinkLayer (one Python paint per
repaint instead of one per link); a person sees the same map: each line where it
belongs, a clicked link in the selection's dashes and not also in grey beneath, an
added link drawn and an undone one gone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QGraphicsItem

from osom_desktop.commands import AddElementCommand, run
from osom_desktop.drawing.items import LinkItem
from osom_desktop.model import Link
from tests.views.conftest import close_discarding, open_map_window, settled

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents

OWM = """title Layered links
component Customer [0.9, 0.2]
component Tea [0.7, 0.3]
component Water [0.45, 0.6]
component Kettle [0.2, 0.45]
component Power [0.05, 0.85]
Customer->Tea
Tea->Water
Water->Kettle
"""


def shown(w) -> np.ndarray:  # noqa: ANN001 - a MainWindow
    QApplication.processEvents()
    vp = w.view.viewport()
    image = QApplication.primaryScreen().grabWindow(w.winId()).toImage()
    at = vp.mapTo(w, QPoint(0, 0))
    image = image.copy(at.x(), at.y(), vp.width(), vp.height()).convertToFormat(image.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return data[:, : image.width(), 2::-1].astype(int)  # BGRA in memory -> RGB


def middle_of(w, link_id: str) -> QPoint:  # noqa: ANN001
    line = w.scene.item_for_id(link_id).line()
    return w.view.mapFromScene(QPointF((line.x1() + line.x2()) / 2, (line.y1() + line.y2()) / 2))


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same picture, but for antialiasing's rounding (a repaint of part of the view
    blends a line's edge a level or two off a full one's)."""
    return not (abs(a - b).max(axis=2) > 16).any()


def near(image: np.ndarray, at: QPoint, colour: str, reach: int = 3, tolerance: int = 60) -> bool:
    """Whether a pixel within ``reach`` of ``at`` is about ``colour``."""
    c = QColor(colour)
    patch = image[at.y() - reach : at.y() + reach + 1, at.x() - reach : at.x() + reach + 1]
    return bool((np.abs(patch - [c.red(), c.green(), c.blue()]).sum(axis=2) < tolerance).any())


def inked(image: np.ndarray, at: QPoint, reach: int = 2) -> bool:
    patch = image[at.y() - reach : at.y() + reach + 1, at.x() - reach : at.x() + reach + 1]
    return bool((patch.sum(axis=2) < 3 * 200).any())


def test_bare_lines_are_drawn_by_the_layer_and_a_clicked_link_in_the_selection_s_dashes(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Layered", OWM)
    settled(qtbot, w)
    try:
        names = {c.id: c.name for c in w.document.map.components}
        links = {(names[k.source], names[k.target]): k.id for k in w.document.map.links}
        water_kettle = links[("Water", "Kettle")]
        item = w.scene.item_for_id(water_kettle)
        assert isinstance(item, LinkItem) and item.flags() & NO_CONTENTS  # the layer draws it
        before = shown(w)
        at = middle_of(w, water_kettle)
        assert inked(before, at)  # the line is there all the same
        selection = w.scene.theme.selection
        assert not near(before, at, selection)

        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
        assert item.isSelected()
        picked = shown(w)
        assert near(picked, at, selection)
        # Dashes only: where the dashes leave a gap, no grey line from the layer beneath.
        grey = QColor(w.scene.theme.link)
        line = item.line()
        gaps_grey = 0
        for i in range(10, 90):
            p = w.view.mapFromScene(line.pointAt(i / 100))
            rgb = picked[p.y(), p.x()]
            if abs(int(rgb[0]) - grey.red()) + abs(int(rgb[1]) - grey.green()) + abs(int(rgb[2]) - grey.blue()) < 30:
                gaps_grey += 1
        assert gaps_grey == 0

        empty = w.view.mapFromScene(w.scene.to_scene(0.95, 0.95))
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
        assert not item.isSelected()
        assert same(shown(w), before)  # back in the layer, drawn as it was
    finally:
        close_discarding(w)


def test_an_added_link_is_drawn_and_its_undo_takes_the_line_away(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Layered", OWM)
    settled(qtbot, w)
    try:
        before = shown(w)
        kettle = w.document.map.component_by_name("Kettle")
        power = w.document.map.component_by_name("Power")
        run(w.stack, AddElementCommand(w.document, Link(id="kettle-power", source=kettle.id, target=power.id)))
        at = middle_of(w, "kettle-power")
        assert not inked(before, at)
        assert inked(shown(w), at)
        w.stack.undo()
        assert same(shown(w), before)
        w.stack.redo()
        assert inked(shown(w), middle_of(w, "kettle-power"))
    finally:
        close_discarding(w)
