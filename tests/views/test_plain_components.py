"""A component with a one-font name (a circle, with a method's disc, a pipeline
owner's square or an inertia bar) is drawn on the canvas by a short path worked out
when the component changes, not looked up at every paint (at 5,000
components a repaint after one edit paints ~700 of them). A person must see the same
map either way, and a component that gains inertia or is selected must show it at
once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from osom_desktop.commands import UpdateElementCommand, run
from osom_desktop.drawing.items import ComponentItem
from tests.views.conftest import close_discarding, open_map_window, settled
from tests.views.test_link_layer import near, same, shown

OWM = """title Plain and not
component Customer [0.92, 0.2]
component Tea [0.72, 0.32] label [-40, -12]
component Cup [0.7, 0.36]
component Water [0.45, 0.6]
component Kettle [0.3, 0.45] inertia
component Power [0.1, 0.85] (build)
market Shops [0.55, 0.2]
component Long name that wraps onto two lines [0.2, 0.15]
Customer->Tea
Tea->Water
Water->Kettle
Cup->Water
"""


def _items(w) -> dict[str, ComponentItem]:  # noqa: ANN001 - a MainWindow
    names = {c.id: c.name for c in w.document.map.components}
    return {names[i.element_id]: i for i in w.scene.items() if isinstance(i, ComponentItem)}


def _plain(item: ComponentItem) -> bool:
    return item._plain is not None  # noqa: SLF001 - the short path is what is under test


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "painted each time"])
def test_the_short_path_draws_what_the_long_way_draws(qtbot, tmp_path: Path, cached: bool) -> None:
    w = open_map_window(qtbot, tmp_path, "Plain", OWM)
    settled(qtbot, w)
    try:
        w.scene.set_item_caching(cached)  # a map over 3,000 components is not cached
        items = _items(w)
        # A market (and anchors, ecosystems, submaps, provided components) paint the long way.
        assert {n for n, i in items.items() if _plain(i)} == {
            "Customer", "Tea", "Cup", "Water", "Kettle", "Power", "Long name that wraps onto two lines"}
        short = shown(w)
        for item in items.values():
            item._plain = None  # noqa: SLF001 - every component the long way
            item.update()
        long_way = shown(w)
        assert same(short, long_way)
        assert (short != 255).any()  # a map was drawn, not two blank views
    finally:
        close_discarding(w)


def test_a_plain_component_shows_inertia_and_its_selection_at_once(qtbot, tmp_path: Path) -> None:
    w = open_map_window(qtbot, tmp_path, "Plain", OWM)
    settled(qtbot, w)
    try:
        water = _items(w)["Water"]
        assert _plain(water)
        centre = water.scenePos()
        r = water._radius  # noqa: SLF001
        # OWM's inertia bar: just right of the symbol (Water evolves nowhere).
        bar = w.view.mapFromScene(centre + QPointF(r + 8 + 3, 0))
        ring = w.view.mapFromScene(centre + QPointF(0, -(r + 4)))
        ink = QColor(w.scene.theme.inertia).name()
        before = shown(w)
        assert not near(before, bar, ink, reach=1)

        water_id = water.element_id
        run(w.stack, UpdateElementCommand(w.document, water_id, "Inertia", inertia=True))
        water = w.scene.item_for_id(water_id)
        assert near(shown(w), bar, ink, reach=1)

        w.stack.undo()
        water = w.scene.item_for_id(water_id)
        assert _plain(water)
        assert not near(shown(w), bar, ink, reach=1)

        selection = w.scene.theme.selection
        assert not near(shown(w), ring, selection, reach=1)
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=w.view.mapFromScene(centre))
        assert water.isSelected()
        assert near(shown(w), ring, selection, reach=1)
    finally:
        close_discarding(w)
