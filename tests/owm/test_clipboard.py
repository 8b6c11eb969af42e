"""Copy and paste as OWM text, headless: the rules a person sees when pasting into a map
(Edit > Copy/Paste and Duplicate on the canvas run these same functions)."""

from __future__ import annotations

from osom_desktop.owm import parse_owm, write_owm
from osom_desktop.owm.clipboard import PASTE_STEP, copy_as_owm, paste_into

TEA = """title Tea
component Customer [0.95, 0.6]
component Cup of Tea [0.8, 0.7]
component Kettle [0.4, 0.3]
component Power [0.1, 0.8]
pipeline Kettle [0.2, 0.6]
{
  component Electric [0.35]
  component Gas [0.5]
}
Customer->Cup of Tea
Cup of Tea->Kettle
Kettle->Power
note boil first [0.5, 0.5]
annotation 1 [0.6, 0.4] mind the power
"""


def _names(m):
    return [c.name for c in m.components]


def test_copy_takes_the_links_among_the_chosen_and_a_pipeline_with_its_children() -> None:
    m = parse_owm(TEA).map
    ids = {c.name: c.id for c in m.components}
    text = copy_as_owm(m, [ids["Cup of Tea"], ids["Kettle"]])
    copied = parse_owm(text).map
    assert sorted(_names(copied)) == ["Cup of Tea", "Electric", "Gas", "Kettle"]
    # Only the link between two chosen components: not Customer->Cup of Tea nor Kettle->Power.
    assert [(lk.source, lk.target) for lk in copied.links] == [
        (copied.components[_names(copied).index("Cup of Tea")].id, copied.components[_names(copied).index("Kettle")].id)
    ]
    assert len(copied.pipelines) == 1 and copied.pipelines[0].start == 0.2
    assert "note" not in text and "annotation" not in text


def test_pasting_on_a_map_that_has_the_names_renames_and_moves_the_paste_beside() -> None:
    m = parse_owm(TEA).map
    ids = {c.name: c.id for c in m.components}
    pasted = paste_into(m, copy_as_owm(m, [ids["Power"], m.notes[0].id]))
    names = _names(pasted.map)
    assert names[: len(m.components)] == _names(m)  # what was there is untouched
    assert "Power (2)" in names
    power2 = pasted.map.components[names.index("Power (2)")]
    assert (power2.visibility, power2.evolution) == (round(0.1 + PASTE_STEP[0], 2), round(0.8 + PASTE_STEP[1], 2))
    assert pasted.renamed == 1 and pasted.offset and pasted.components == 1
    assert len(pasted.map.notes) == 2
    assert set(pasted.ids).isdisjoint({e for e in m.element_ids()})  # fresh ids only
    assert "1 renamed" in pasted.summary and "beside the originals" in pasted.summary
    # A second paste of the same text lands beside the first, not on it.
    again = paste_into(pasted.map, copy_as_owm(m, [ids["Power"]]))
    power3 = again.map.components[_names(again.map).index("Power (3)")]
    assert (power3.visibility, power3.evolution) != (power2.visibility, power2.evolution)


def test_pasting_into_an_empty_map_takes_the_text_whole() -> None:
    empty = parse_owm("").map
    pasted = paste_into(empty, TEA)
    assert pasted.map.title == "Tea" and not pasted.offset and pasted.renamed == 0
    assert write_owm(pasted.map) == write_owm(parse_owm(TEA).map)


def test_text_without_anything_to_draw_changes_nothing() -> None:
    m = parse_owm(TEA).map
    pasted = paste_into(m, "title only a title\nstyle wardley\n")
    assert pasted.map is m and pasted.ids == [] and pasted.components == 0


def test_pasted_pipeline_children_join_the_pasted_pipeline_not_the_original() -> None:
    m = parse_owm(TEA).map
    kettle = next(c for c in m.components if c.name == "Kettle")
    pasted = paste_into(m, copy_as_owm(m, [kettle.id]))
    new_pipeline = pasted.map.pipelines[-1]
    assert new_pipeline.id != m.pipelines[0].id
    children = [c.name for c in pasted.map.components if c.pipeline_id == new_pipeline.id]
    assert sorted(children) == ["Electric (2)", "Gas (2)"]
