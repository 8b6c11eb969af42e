"""Changes since the last assessment: the map as assessed, drawn faintly on the canvas."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from osom_desktop.commands import run
from osom_desktop.drawing.ghost import GhostRoot
from osom_desktop.model import Assessment, AssessmentKind, AssessmentOutcome
from osom_desktop.operations import edit_component, record_assessment
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow
from tests.views.conftest import press_drag_release, scene_point


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    w = MainWindow()
    assert w.open_path(path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()
    w.deleteLater()


def ghosts(w: MainWindow) -> list[GhostRoot]:
    return [i for i in w.scene.items() if isinstance(i, GhostRoot)]


def ghost_texts(w: MainWindow) -> dict[str, object]:
    return {i.text(): i for g in ghosts(w) for i in g.childItems() if isinstance(i, QGraphicsSimpleTextItem)}


def test_the_ghost_shows_what_moved_was_added_and_removed(qtbot, window: MainWindow) -> None:
    w = window
    m = w.document.map
    comps = [c for c in m.components if c.visibility is not None and c.evolution is not None and c.kind.value == "component"]
    comps.sort(key=lambda c: abs(c.evolution - 0.45) + abs(c.visibility - 0.5))  # away from the edges
    moved, removed = copy.deepcopy(comps[0]), copy.deepcopy(comps[-1])  # as they were
    old_moved = w.scene.draw_point(moved.visibility, moved.evolution)
    old_removed = w.scene.draw_point(removed.visibility, removed.evolution)
    run(w.stack, record_assessment(w.document, Assessment(
        date=dt.date.today(), kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET, assessors=["Exec"])))
    assert not w.assessments.act_changes.isChecked() and not ghosts(w)

    # Move one with the mouse, add one, delete one.
    qtbot.wait(300)  # the map fitted to the window first
    w.view.select_ids([])
    start = w.view.mapFromScene(w.scene.component_point(moved.id))
    target_e = min(0.95, moved.evolution + 0.25) if moved.evolution < 0.6 else moved.evolution - 0.3
    end = start + (scene_point(w, moved.visibility, target_e) - scene_point(w, moved.visibility, moved.evolution))
    press_drag_release(qtbot, w.view.viewport(), start, end)
    assert abs(w.document.map.component(moved.id).evolution - moved.evolution) > 0.1
    w.view.add_component_at(0.2, 0.2)
    added = w.document.map.components[-1]
    w.view.select_ids([removed.id])
    w.view.delete_selection()
    assert w.document.map.component(removed.id) is None

    w.assessments.act_changes.trigger()  # View > Changes Since the Last Assessment
    [root] = ghosts(w)
    kinds = {e.name: e.kind for e in root.entries}
    assert kinds == {moved.name: "moved", added.name: "added", removed.name: "removed"}
    texts = ghost_texts(w)
    # The moved and the removed component drawn faintly where they were when assessed.
    for name, old in ((moved.name, old_moved), (removed.name, old_removed)):
        label = texts[name]
        assert abs(label.sceneBoundingRect().left() - old.x()) < 15
        assert abs(label.sceneBoundingRect().bottom() - old.y()) < 15
        assert label.opacity() == 1 and label.brush().color().alphaF() < 0.6  # faint
    assert "removed" in texts and "new" in texts
    new_at = w.scene.component_point(added.id)
    assert abs(texts["new"].sceneBoundingRect().center().x() - new_at.x()) < 2
    assert "1 moved, 1 added, 1 removed" in w.statusBar().currentMessage()

    # A later edit is compared too; toggled off, nothing is left on the map.
    run(w.stack, edit_component(w.document, added.id, "Move", evolution=0.3))
    assert len(ghosts(w)) == 1
    w.assessments.changes_button.click()  # the dock's button is the same toggle
    assert not w.assessments.act_changes.isChecked()
    assert not ghosts(w)


def test_without_an_assessed_map_the_toggle_says_why(qtbot, window: MainWindow) -> None:
    w = window
    w.document.data.assessments.clear()
    w.assessments.refresh()
    w.assessments.changes_button.click()
    assert "No assessment has taken place yet" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not w.assessments.changes_button.isChecked(), timeout=2000)
    assert not w.assessments.act_changes.isChecked() and not ghosts(w)


def test_the_ghost_takes_the_new_theme_colours(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QGraphicsEllipseItem

    w = window
    c = next(c for c in w.document.map.components if c.visibility is not None and c.kind.value == "component")
    run(w.stack, record_assessment(w.document, Assessment(
        date=dt.date.today(), kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET, assessors=["Exec"])))
    run(w.stack, edit_component(w.document, c.id, "Move", evolution=0.05 if c.evolution > 0.5 else 0.95))
    w.assessments.changes_button.click()

    def faint_lightness() -> float:
        [root] = ghosts(w)
        ring = next(i for i in root.childItems() if isinstance(i, QGraphicsEllipseItem))
        return ring.pen().color().lightnessF()

    try:
        light = faint_lightness()
        w.set_theme_choice("dark")
        assert faint_lightness() > light + 0.3  # light ink on the dark map, not black
    finally:
        w.set_theme_choice("system")
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.styleHints().unsetColorScheme()
