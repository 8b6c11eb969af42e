"""A drag places only the dragged elements' own labels at each step (issue 14: a drag
step through a crowd placed ~100 other labels again, ~100 ms at 600 components); the
labels it unsettles are placed once, at the drop, where a fresh scene puts them.

Driven by real mouse events on the real MainWindow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QGraphicsItem

from osom_desktop.drawing import map_scene
from osom_desktop.drawing.items import MapItem
from osom_desktop.drawing.map_items import ComponentItem, EvolveItem, LinkItem
from osom_desktop.views import drag_layers, map_base
from osom_desktop.views.main_window import MainWindow
from tests.drawing.test_label_stability import _fresh_labels, _labels
from tests.views.conftest import open_map_window, scene_point
from tests.views.test_drag_layers import differing, fresh, open_grid, shown, start_drag
from tests.views.test_main_window import discard_changes

NO_CACHE = QGraphicsItem.CacheMode.NoCache


def crowd_map() -> str:
    """``Mover`` first (ranked before the crowd: every label of the crowd sees it), two
    close rows for it to pass through, linked in pairs, and one component far away."""
    lines = ["title Crowd", "component Mover [0.50, 0.20]"]
    for i in range(9):
        evolution = 0.34 + i * 0.045
        lines.append(f"component Row one {i} [0.52, {evolution:.3f}]")
        lines.append(f"component Row two {i} [0.47, {evolution + 0.02:.3f}]")
        lines.append(f"Row one {i}->Row two {i}")
    lines += ["component Far away [0.92, 0.90]", "Mover->Far away", "evolve Row two 4 0.95"]
    return "\n".join(lines) + "\n"


def label_places(w: MainWindow) -> dict[str, tuple[float, ...]]:
    """Every label as drawn now (nothing settled first), by element id."""
    out: dict[str, tuple[float, ...]] = {}
    for item in w.scene.items():
        if isinstance(item, (ComponentItem, EvolveItem)):
            r = item.label_rect()
            out[item.element_id] = (r.x(), r.y(), r.width(), r.height())
        elif isinstance(item, LinkItem):
            out[item.element_id] = tuple(v for attr in ("_texts", "_flow_texts") for x, y, _ in getattr(item, attr)
                                         for v in (x, y))
    return out


def test_a_drag_places_other_labels_once_at_the_drop_where_a_fresh_scene_puts_them(qtbot, tmp_path: Path) -> None:
    w = open_crowd(qtbot, tmp_path)

    m = w.document.map
    mover = m.component_by_name("Mover")
    far = m.component_by_name("Far away")
    assert mover is not None and far is not None
    # What the drag itself redraws: the dragged component and its link.
    own = {mover.id} | {lk.id for lk in m.links if mover.id in (lk.source, lk.target)}
    before = label_places(w)

    vp = w.view.viewport()
    start = scene_point(w, mover.visibility, mover.evolution)
    end = scene_point(w, 0.50, 0.58)  # through both rows, into the middle of the crowd
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    steps = 12
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(vp, pos=QPoint(round(p.x()), round(p.y())))
        QApplication.processEvents()
        during = label_places(w)
        moved = sorted(k for k in before if k not in own and during.get(k) != before[k])
        assert moved == [], f"step {i}: labels of elements not dragged placed again: {moved}"
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    # The release itself places none of them: they settle on later event-loop turns.
    assert w.scene.settling
    assert {k: v for k, v in label_places(w).items() if k not in own} == {k: v for k, v in during.items() if k not in own}
    qtbot.waitUntil(lambda: not w.scene.settling)

    after = label_places(w)
    assert after[far.id] == before[far.id]
    # The settle placed the crowd's labels around where Mover landed ...
    assert any(after[k] != before[k] for k in before if k not in own)
    # ... where the same map opened afresh has them, with nothing left to settle.
    assert w.scene._unsettled == []  # noqa: SLF001 - nothing waits for the settle timer
    assert _labels(w.scene) == _fresh_labels(w.document)
    # One undo step for the drag, and undoing it puts every label back.
    w.stack.undo()
    qtbot.waitUntil(lambda: not w.scene.settling)
    assert label_places(w) == before


def open_crowd(qtbot, tmp_path: Path) -> MainWindow:
    w = open_map_window(qtbot, tmp_path, "Crowd", crowd_map())
    qtbot.add_widget(w, before_close_func=discard_changes)
    w.view.zoom_actual()
    w.view.centerOn(w.scene.to_scene(0.5, 0.5))
    QApplication.processEvents()
    return w


def drag_component(qtbot, w: MainWindow, name: str, to: tuple[float, float], steps: int = 6) -> None:
    c = w.document.map.component_by_name(name)
    assert c is not None
    vp = w.view.viewport()
    start = scene_point(w, c.visibility, c.evolution)
    end = scene_point(w, *to)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(vp, pos=QPoint(round(p.x()), round(p.y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def one_slice(w: MainWindow) -> None:
    """Let the settle place one slice (one label: ``SETTLE_SLICE_MS`` is 0 here)."""
    w.scene._slice_timer.timeout.emit()  # noqa: SLF001 - the 0 ms timer's next turn, without waiting for it
    w.scene._slice_timer.stop()  # noqa: SLF001 - it is started again while labels are left


@pytest.mark.parametrize("then", ["drag", "undo", "edit"])
def test_what_comes_before_the_drop_has_settled_merges_with_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str
) -> None:
    """A drag, a second drag, an undo or an edit arriving while the first drop's labels
    are still being placed, slice by slice: every label still ends where a fresh scene
    of the final map puts it."""
    monkeypatch.setattr(map_scene, "SETTLE_SLICE_MS", 0.0)  # one label a slice
    w = open_crowd(qtbot, tmp_path)
    before = label_places(w)
    drag_component(qtbot, w, "Mover", (0.50, 0.58))
    slices = 0
    for _ in range(3):
        one_slice(w)
        slices += 1
    assert w.scene.settling  # the chain is longer than three labels: still under way
    if then == "drag":
        drag_component(qtbot, w, "Row one 3", (0.44, 0.52))
    elif then == "undo":
        w.stack.undo()
    else:
        c = w.document.map.component_by_name("Row two 5")
        assert c is not None
        w.document.update_element(c.id, name="Row two five, renamed longer")
    qtbot.waitUntil(lambda: not w.scene.settling)
    assert _labels(w.scene) == _fresh_labels(w.document)
    if then == "undo":
        assert label_places(w) == before
    w.stack.undo()  # and back to the start, every label with it
    w.stack.undo()
    qtbot.waitUntil(lambda: not w.scene.settling)
    assert _labels(w.scene) == _fresh_labels(w.document)


def test_on_a_map_too_big_to_cache_a_drag_caches_the_items_around_it_until_the_drop(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a map above CACHE_MAX_COMPONENTS: the scene caches nothing; and no drag layers.
    monkeypatch.setattr(map_base, "CACHE_MAX_COMPONENTS", 0)
    monkeypatch.setattr(drag_layers, "PAYOFF_COVER", 2.0)
    w = open_grid(qtbot, tmp_path)
    assert not w.scene.caching
    cached = lambda: [i for i in w.scene.items() if isinstance(i, MapItem) and i.cacheMode() != NO_CACHE]  # noqa: E731
    assert cached() == []
    start, end = start_drag(qtbot, w, "g5x5", 8)
    drag = w.view._drag  # noqa: SLF001 - the drag in progress is the view's own state
    assert drag is not None and drag.layers is None and drag.cache is not None
    during = cached()
    moving = drag.cache.live
    assert during and not any(i.element_id in moving for i in during)  # what moves paints itself
    assert differing(shown(w), fresh(w)) < 30  # the cached items look as they paint
    qtbot.mouseRelease(w.view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert cached() == []  # back to painting themselves: nothing held in the pixmap cache
    assert w.stack.count() == 1
    qtbot.waitUntil(lambda: not w.scene.settling)  # the labels the drop unsettled, placed in slices
    assert differing(shown(w), fresh(w)) < 30
