"""A drag paints what stays put once (views/drag_layers): what the screen shows during
and after a drag, driven by real mouse events on the real window.

What the screen shows is read from the window's backing store (the frames as they
were painted, one dirty area at a time), not from a fresh paint of the widget."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem

from osom_desktop.drawing import map_scene
from osom_desktop.drawing.items import MapItem
from osom_desktop.views import drag_layers
from osom_desktop.views.drag_layers import MIN_FROZEN, DragLayers
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import open_map_window, scene_point
from tests.views.test_main_window import discard_changes

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
COLS, ROWS = 12, 10


def grid_map() -> str:
    """Components on a grid, each linked to its right and lower neighbours and a few
    long links across: enough items for the layers, nothing overlapping the middle one."""
    lines = ["title Grid"]
    for r in range(ROWS):
        for c in range(COLS):
            lines.append(f"component g{r}x{c} [{0.95 - r * 0.09:.2f}, {0.05 + c * 0.08:.2f}]")
    for r in range(ROWS):
        for c in range(COLS):
            if c + 1 < COLS:
                lines.append(f"g{r}x{c}->g{r}x{c + 1}")
            if r + 1 < ROWS:
                lines.append(f"g{r}x{c}->g{r + 1}x{c}")
    lines += ["g0x0->g9x11", "g9x0->g0x11", "g5x5->g0x0", "g5x5->g9x11"]
    # Other things a drag moves: a note, an annotation (and its box), an evolve arrow,
    # a pipeline with a child (under g2x3, which owns it).
    lines += ["note Kettles boil [0.52, 0.66]", "annotation 1 [0.40, 0.70] Boiling",
              "annotations [0.12, 0.02]", "evolve g3x8 0.9",
              "pipeline g2x3 [0.20, 0.34]", "{", "  component Inside [0.30]", "}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Labels placed where the map puts them, not avoiding one another (as on maps of
    # more than LABEL_AVOIDANCE_LIMIT components): a moved link then redraws no
    # other label, and the layers last the whole drag.
    monkeypatch.setattr(map_scene, "LABEL_AVOIDANCE_LIMIT", 0)
    # Layers for every drag, not only for those whose moving boxes cover much of the view.
    monkeypatch.setattr(drag_layers, "PAYOFF_COVER", 0.0)
    return open_grid(qtbot, tmp_path)


def open_grid(qtbot, tmp_path: Path):
    w = open_map_window(qtbot, tmp_path, "Grid", grid_map())
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.5, 0.45))
    QApplication.processEvents()
    qtbot.add_widget(w, before_close_func=discard_changes)
    return w


def shown(w: MainWindow) -> np.ndarray:
    """The viewport as the screen shows it now (RGB, int)."""
    QApplication.processEvents()
    vp = w.view.viewport()
    image = QApplication.primaryScreen().grabWindow(w.winId()).toImage()
    at = vp.mapTo(w, QPoint(0, 0))
    return _rgb(image.copy(at.x(), at.y(), vp.width(), vp.height()))


def fresh(w: MainWindow) -> np.ndarray:
    """The viewport painted afresh, every item painting itself."""
    return _rgb(w.view.viewport().grab().toImage())


def _rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rows = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4)[..., :3].astype(int)


def differing(a: np.ndarray, b: np.ndarray) -> int:
    """Pixels that differ by more than antialiasing rounding does."""
    return int((np.abs(a - b).max(axis=2) > 40).sum())


def start_drag(qtbot, w: MainWindow, name: str, steps: int) -> tuple[QPoint, QPoint]:
    c = w.document.map.component_by_name(name)
    assert c is not None
    vp = w.view.viewport()
    start = scene_point(w, c.visibility, c.evolution)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    p = start
    for i in range(1, steps + 1):
        p = start + QPoint(4 * i, -2 * i)
        qtbot.mouseMove(vp, pos=p)
        QApplication.processEvents()
    return start, p


def layers_of(w: MainWindow) -> DragLayers | None:
    drag = w.view._drag  # noqa: SLF001 - the drag in progress is the view's own state
    return drag.layers if drag is not None else None


def frozen_items(w: MainWindow) -> list[QGraphicsItem]:
    """Items a drag layer holds: without contents of their own, and not a bare link,
    which the scene's LinkLayer always draws."""
    return [i for i in w.scene.items()
            if isinstance(i, MapItem) and i.flags() & NO_CONTENTS and not getattr(i, "_layered", False)]


def test_during_a_drag_the_screen_shows_what_a_full_paint_shows(qtbot, window) -> None:
    _start, end = start_drag(qtbot, window, "g5x5", 8)
    layers = layers_of(window)
    assert layers is not None and layers.active
    assert len(layers.frozen) >= MIN_FROZEN  # the still items are not painted one by one
    moved = window.scene.item_for_id(window.document.map.component_by_name("g5x5").id)
    assert not moved.flags() & NO_CONTENTS
    during = shown(window)
    layers.stop()
    assert not frozen_items(window)
    assert differing(during, fresh(window)) < 30
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)


def test_after_the_drop_every_item_paints_itself_and_nothing_is_left_behind(qtbot, window) -> None:
    _start, end = start_drag(qtbot, window, "g5x5", 8)
    assert layers_of(window) is not None
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert window.stack.count() == 1  # one undo step, as before
    assert not frozen_items(window)
    assert all(isinstance(i, MapItem) or i.zValue() >= 999 for i in window.scene.items())  # no layer left
    assert differing(shown(window), fresh(window)) < 30
    # The moved component and its links are where the document says, on screen too.
    c = window.document.map.component_by_name("g5x5")
    assert c.evolution > 0.45


def test_another_edit_during_a_drag_stops_the_layers(qtbot, window) -> None:
    _start, end = start_drag(qtbot, window, "g5x5", 6)
    layers = layers_of(window)
    assert layers is not None
    # Something the drag does not move changes (the text pane, an undo, a script):
    # the still picture would be stale, so every item paints itself again.
    other = window.document.map.component_by_name("g4x4")
    window.document.update_element(other.id, name="Renamed while dragging")
    assert not layers.active
    assert not frozen_items(window)
    assert differing(shown(window), fresh(window)) < 30
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)


def test_zooming_during_a_drag_stops_the_layers_and_the_map_stays_whole(qtbot, window) -> None:
    _start, end = start_drag(qtbot, window, "g5x5", 6)
    layers = layers_of(window)
    assert layers is not None
    vp = window.view.viewport()
    wheel = QWheelEvent(QPointF(end), QPointF(vp.mapToGlobal(end)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, wheel)
    QApplication.processEvents()
    QApplication.processEvents()
    assert not layers.active
    assert differing(shown(window), fresh(window)) < 30
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def test_a_small_map_is_dragged_without_layers(qtbot, tmp_path: Path) -> None:
    from tests.views.test_main_window import tea_file

    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.show()
    qtbot.waitExposed(w)
    try:
        _start, end = start_drag(qtbot, w, "Kettle", 4)
        assert layers_of(w) is None
        qtbot.mouseRelease(w.view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    finally:
        discard_changes(w)
        w.close()
        w.deleteLater()


@pytest.mark.parametrize(("what", "where"), [
    ("note", lambda m: (m.notes[0].visibility, m.notes[0].evolution)),
    ("annotation", lambda m: m.annotations[0].points[0]),
    ("pipeline owner", lambda m: (m.component_by_name("g2x3").visibility, m.component_by_name("g2x3").evolution)),
    ("evolving component", lambda m: (m.component_by_name("g3x8").visibility, m.component_by_name("g3x8").evolution)),
])
def test_dragging_other_things_shows_what_a_full_paint_shows(qtbot, window, what: str, where) -> None:  # noqa: ANN001
    vp = window.view.viewport()
    start = scene_point(window, *where(window.document.map))
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    end = start
    for i in range(1, 7):
        end = start + QPoint(5 * i, 3 * i)
        qtbot.mouseMove(vp, pos=end)
        QApplication.processEvents()
    layers = layers_of(window)
    assert layers is not None and layers.active, what
    during = shown(window)
    layers.stop()
    assert differing(during, fresh(window)) < 30, what
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    assert window.stack.count() == 1, what
    assert differing(shown(window), fresh(window)) < 30, what


def test_with_labels_avoiding_one_another_the_screen_stays_right(qtbot, tmp_path: Path) -> None:
    """A label placed again because a moved link now crosses it is a still item the
    scene redraws: the layers stop rather than show it where it was."""
    window = open_grid(qtbot, tmp_path)
    _start, end = start_drag(qtbot, window, "g5x5", 8)
    layers = layers_of(window)
    assert layers is not None
    during = shown(window)
    layers.stop()
    assert differing(during, fresh(window)) < 30
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: not window.scene.settling)  # the drop's labels settle in slices
    assert differing(shown(window), fresh(window)) < 30


def test_layers_are_taken_only_where_they_pay(qtbot, tmp_path: Path) -> None:
    """A component linked to its neighbours repaints little without layers: no capture
    (it would only make the first step slow); one with links across the map does."""
    window = open_grid(qtbot, tmp_path)
    _start, end = start_drag(qtbot, window, "g7x2", 4)  # four short links
    assert layers_of(window) is None
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    _start, end = start_drag(qtbot, window, "g5x5", 4)  # and two to far corners
    assert layers_of(window) is not None
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=end)


def test_a_drag_whose_release_never_came_gives_way_to_the_next(qtbot, window) -> None:
    """A dialog that takes the mouse mid-drag swallows the release: the next press
    starts a new drag, and the old layers must not stay on the map."""
    _start, _end = start_drag(qtbot, window, "g5x5", 6)
    old = layers_of(window)
    assert old is not None
    c = window.document.map.component_by_name("g2x8")
    vp = window.view.viewport()
    press = scene_point(window, c.visibility, c.evolution)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=press)  # no release before it
    qtbot.waitUntil(lambda: not old.active, timeout=2000)  # at the repaint the press asks for
    end = press
    for i in range(1, 5):
        end = press + QPoint(-4 * i, 3 * i)
        qtbot.mouseMove(vp, pos=end)
        QApplication.processEvents()
    new = layers_of(window)
    assert new is not None and new is not old and new.active
    assert not [i for i in window.scene.items() if i in old.layers]
    during = shown(window)
    new.stop()
    assert differing(during, fresh(window)) < 30
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
