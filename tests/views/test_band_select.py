"""A rubber band selects what it encloses (issue 14, a person-like tester): a band that
only grazes a pipeline, an area, a link or a note leaves it alone; components (small,
point-like) are still picked as soon as the band covers them, as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt

from osom_desktop.drawing.items import PipelineItem
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, press_drag_release

BAND_MAP = """title Band
component Kettle [0.45, 0.43]
component Power [0.10, 0.70]
component Tea [0.80, 0.20]
Kettle->Power
pipeline Kettle [0.30, 0.70]
pioneers [0.95, 0.05, 0.70, 0.30]
note A long note written across the map [0.25, 0.15]
"""


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Band", BAND_MAP)
    w.view.zoom_fit()
    yield w
    w.stack.setClean()
    w.close()
    w.deleteLater()


def band(qtbot, w: MainWindow, a: QPointF, b: QPointF, modifier=Qt.KeyboardModifier.NoModifier) -> set[str]:
    """Drag a rubber band from scene point ``a`` to ``b`` (starting on empty canvas);
    the selected elements, as 'Kind:name'."""
    vp = w.view.viewport()
    start, end = w.view.mapFromScene(a), w.view.mapFromScene(b)
    if modifier == Qt.KeyboardModifier.NoModifier:
        press_drag_release(qtbot, vp, start, end)
    else:
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, modifier, pos=start)
        for i in range(1, 7):
            p = start + (end - start) * (i / 6)
            qtbot.mouseMove(vp, pos=QPoint(int(p.x()), int(p.y())))
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, pos=end)
    return names(w)


def names(w: MainWindow) -> set[str]:
    picked = set()
    for element_id in w.view.selected_ids():
        element = w.scene.element(element_id)
        picked.add(f"{type(element).__name__}:{getattr(element, 'name', None) or getattr(element, 'text', element_id)}")
    return picked


def pipeline_box(w: MainWindow) -> QRectF:
    pipe = w.document.map.pipelines[0]
    item = w.scene.item_for_id(pipe.id)
    assert isinstance(item, PipelineItem)
    return item.box()


def test_a_band_grazing_a_pipelines_end_leaves_the_pipeline(qtbot, window: MainWindow) -> None:
    box = pipeline_box(window)
    # From below the pipeline's right end, up and over it: covers its last 30 units only.
    picked = band(qtbot, window, QPointF(box.right() + 40, box.bottom() + 40), QPointF(box.right() - 30, box.top() - 2))
    assert not any(p.startswith("Pipeline") for p in picked), picked


def test_a_band_round_the_whole_pipeline_selects_it(qtbot, window: MainWindow) -> None:
    box = pipeline_box(window)
    picked = band(qtbot, window, box.bottomRight() + QPointF(12, 12), box.topLeft() - QPointF(12, 2))
    assert any(p.startswith("Pipeline") for p in picked), picked


def test_a_band_round_a_component_inside_an_area_picks_the_component_not_the_area(qtbot, window: MainWindow) -> None:
    tea = window.scene.to_scene(0.80, 0.20)
    picked = band(qtbot, window, tea + QPointF(-25, -25), tea + QPointF(25, 25))
    assert picked == {"Component:Tea"}, picked


def test_a_band_crossing_a_link_or_the_start_of_a_note_picks_neither(qtbot, window: MainWindow) -> None:
    middle = (window.scene.to_scene(0.45, 0.43) + window.scene.to_scene(0.10, 0.70)) / 2
    # Across the line (it runs down and to the right), from one side of it to the other.
    assert band(qtbot, window, middle + QPointF(-15, 15), middle + QPointF(15, -15)) == set()
    note = window.scene.to_scene(0.25, 0.15)
    assert band(qtbot, window, note + QPointF(-20, 12), note + QPointF(20, -20)) == set()


def test_a_band_just_touching_a_component_still_picks_it(qtbot, window: MainWindow) -> None:
    power = window.scene.to_scene(0.10, 0.70)
    # Covers only the left edge of Power's circle (radius about 6): small things are
    # picked when touched, as before.
    assert band(qtbot, window, power + QPointF(-30, 30), power + QPointF(-3, -30)) == {"Component:Power"}


def test_a_band_round_two_linked_components_picks_their_link_and_ctrl_adds(qtbot, window: MainWindow) -> None:
    kettle, power = window.scene.to_scene(0.45, 0.43), window.scene.to_scene(0.10, 0.70)
    box = QRectF(kettle, power).normalized().adjusted(-20, -20, 20, 20)
    # Round Kettle and Power, from below Power (empty canvas) to above-left of Kettle.
    picked = band(qtbot, window, box.bottomRight(), box.topLeft())
    assert {"Component:Kettle", "Component:Power", "Link:Kettle->Power"} <= {
        p if not p.startswith("Link") else "Link:Kettle->Power" for p in picked}, picked
    # Ctrl keeps what was selected and adds what the next band encloses; a grazed
    # pipeline is still left alone.
    pbox = pipeline_box(window)
    tea = window.scene.to_scene(0.80, 0.20)
    more = band(qtbot, window, tea + QPointF(25, 25), tea + QPointF(-25, -25), Qt.KeyboardModifier.ControlModifier)
    assert "Component:Tea" in more and "Component:Kettle" in more and "Component:Power" in more, more
    assert not any(p.startswith("Pipeline") or p.startswith("Area") for p in more), (more, pbox)
