"""The canvas follows edits by touching only what they name (issue 14: an edit at 5,000
components in a frame); after any run of edits and undos it draws what a scene built
afresh from the same map draws."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from osom_desktop.commands import UpdateElementCommand, run
from osom_desktop.drawing.map_scene import MapScene
from tests.property_settings import examples
from tests.views.test_text_incremental import STARTS, _pane, _step, drop_pane, drop_scene, ops


def _drawn(scene: MapScene) -> dict[str, tuple]:
    """Each item's place (a link's line) and text, and which links end at each
    component. Not label places: where a label found room depends on what was there
    when it looked, on a fresh scene as on an edited one."""
    out: dict[str, tuple] = {}
    for element_id, item in scene._items.items():
        if hasattr(item, "line"):
            line = item.line()
            where = (line.x1(), line.y1(), line.x2(), line.y2())
        else:
            where = (item.pos().x(), item.pos().y())
        out[element_id] = (*(round(v, 3) for v in where), *item.texts())
    for cid, links in scene._links_of.items():
        if links:
            out[f"links of {cid}"] = tuple(sorted(links))
    return out


@pytest.mark.parametrize("start", ["written", "pipeline", "fixture"])
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=ops)
def test_after_any_edits_and_undos_the_canvas_draws_what_a_fresh_one_draws(qapp, start: str, steps) -> None:
    pane = _pane(STARTS[start])
    scene = MapScene(pane.document)
    counter = [0]
    for op, a, b in steps:
        _step(pane, op, a, b, counter)
        fresh = MapScene(pane.document)
        try:
            assert _drawn(scene) == _drawn(fresh)
        finally:
            drop_scene(fresh)
    drop_scene(scene)
    drop_pane(pane)


def test_a_rename_redraws_the_component_but_not_its_links(qapp) -> None:
    pane = _pane(STARTS["written"])
    scene = MapScene(pane.document)
    tea = pane.document.map.component_by_name("Tea")
    links = [scene.item_for_id(lk.id) for lk in pane.document.map.links if tea.id in (lk.source, lk.target)]
    assert links
    refreshed = []
    for item in links:
        item.refresh = lambda s, item=item, real=item.refresh: (refreshed.append(item.element_id), real(s))[1]
    run(pane.stack, UpdateElementCommand(pane.document, tea.id, name="Green tea"))
    assert scene.item_for_id(tea.id).texts()[0] == "Green tea"
    assert refreshed == []
    run(pane.stack, UpdateElementCommand(pane.document, tea.id, visibility=0.55))
    assert sorted(refreshed) == sorted(i.element_id for i in links)
    drop_scene(scene)


def _corner_captions(scene: MapScene) -> list[str]:
    grid = scene.item_for_id("grid")
    return [text for _font, _pen, texts in grid._texts for _x, _y, text in texts if text in ("Uncharted", "Industrialised")]


def test_a_component_dragged_into_a_corner_hides_its_caption_and_dragged_out_brings_it_back(qapp) -> None:
    """Found by the property test above: after a move into the top-left corner the live
    canvas still printed "Uncharted" over the component; a fresh drawing did not."""
    pane = _pane(STARTS["user spacing"])  # style wardley: the corner captions are drawn
    scene = MapScene(pane.document)
    tea = pane.document.map.component_by_name("Tea")
    assert _corner_captions(scene) == ["Uncharted", "Industrialised"]
    run(pane.stack, UpdateElementCommand(pane.document, tea.id, visibility=0.99, evolution=0.01, name="Uncharted tea"))
    fresh = MapScene(pane.document)
    assert _corner_captions(scene) == _corner_captions(fresh) == ["Industrialised"]
    pane.stack.undo()
    assert _corner_captions(scene) == ["Uncharted", "Industrialised"]
    drop_scene(fresh)
    drop_scene(scene)
