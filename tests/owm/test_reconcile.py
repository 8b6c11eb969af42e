"""Editing a map's text keeps the ids (and the non-OWM fields) of what was not touched."""

from __future__ import annotations

from osom_desktop.model.wardley import ServiceRef
from osom_desktop.owm import parse_owm
from osom_desktop.owm.reconcile import reconcile

BASE = """title T
component A [0.9, 0.2]
component B [0.5, 0.5]
component C [0.2, 0.8]
A->B
B->C
note hello [0.1, 0.1]
"""


def _ids(m):
    return {c.name: c.id for c in m.components}


def test_untouched_elements_keep_ids_and_descriptions() -> None:
    old = parse_owm(BASE).map
    # Ids as the app would have them (random, not the parser's ordinals).
    for i, c in enumerate(old.components):
        c.id = f"keep-{i}"
    for lk in old.links:
        lk.source = {"c1": "keep-0", "c2": "keep-1", "c3": "keep-2"}.get(lk.source, lk.source)
        lk.target = {"c1": "keep-0", "c2": "keep-1", "c3": "keep-2"}.get(lk.target, lk.target)
    old.components[1].description = "the middle one"
    old.components[1].provided_by = ServiceRef("Hosting", "svc-1")
    edited = parse_owm(BASE.replace("component C [0.2, 0.8]", "component C [0.3, 0.7]") + "component D [0.1, 0.5]\nC->D\n").map
    new = reconcile(old, edited)
    ids = _ids(new)
    assert ids["A"] == "keep-0" and ids["B"] == "keep-1" and ids["C"] == "keep-2"
    assert ids["D"] not in {"keep-0", "keep-1", "keep-2"}
    b = new.component("keep-1")
    assert b.description == "the middle one" and b.provided_by == ServiceRef("Hosting", "svc-1")
    assert {(lk.source, lk.target) for lk in new.links} >= {("keep-0", "keep-1"), ("keep-1", "keep-2")}
    assert old.links[0].id in {lk.id for lk in new.links}
    assert all(slot.split("#")[0] in new.element_ids() | {"title"} for slot in new.layout)


def test_a_rename_in_the_text_keeps_the_id() -> None:
    old = parse_owm(BASE).map
    new = reconcile(old, parse_owm(BASE.replace("B", "Bee")).map)
    assert _ids(new)["Bee"] == _ids(old)["B"]


def test_ids_never_collide() -> None:
    old = parse_owm(BASE).map
    edited = parse_owm("component Z [0.5, 0.5]\n" + BASE).map  # every parser ordinal shifts
    new = reconcile(old, edited)
    all_ids = [e.id for e in new.components + new.links + new.notes]
    assert len(all_ids) == len(set(all_ids))
    assert _ids(new)["A"] == _ids(old)["A"]


def test_source_lines_follow_the_ids_kept_by_an_edit_of_the_text() -> None:
    from osom_desktop.owm import parse_owm, write_owm
    from osom_desktop.owm.reconcile import reconcile

    old = parse_owm("component B [0.30, 0.40]\n").map
    text = "component A [0.10, 0.20]\ncomponent B [0.30, 0.40] // kept\n"
    merged = reconcile(old, parse_owm(text).map)
    assert merged.component_by_name("B").id == old.component_by_name("B").id
    assert write_owm(merged) == text
