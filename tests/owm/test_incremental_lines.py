"""The text's lines follow many added and deleted lines in a row without re-reading
every slot after each (issue 14: that re-read cost ~2-4 ms an edit at 5,000
components), and stay exactly what writing the whole map gives."""

from __future__ import annotations

import random

from osom_desktop.model import Component, Document, Link, ServiceDocument
from osom_desktop.owm import parse_owm
from osom_desktop.owm.incremental import TextLines

START = (
    "title Tea\ncomponent Cup [0.8, 0.3]\ncomponent Tea [0.6, 0.5]\ncomponent Kettle [0.4, 0.4]\n"
    "Cup->Tea\nTea->Kettle\nevolve Kettle 0.7\n// a comment\nnote hot [0.2, 0.2]\n"
)


def _follow(start: str) -> tuple[Document, TextLines, list[str | None]]:
    doc = Document(ServiceDocument.model_construct(map=parse_owm(start).map))
    lines = TextLines()
    lines.full(doc.map)
    fell_back: list[str | None] = []

    def on_change(change) -> None:
        if lines.update(doc.map, change.what, change.ids) is None:
            fell_back.append(change.what)
            lines.full(doc.map)

    doc.changed.connect(on_change)
    return doc, lines, fell_back


def test_a_hundred_adds_and_deletes_in_a_row_keep_the_text_the_writers() -> None:
    doc, lines, fell_back = _follow(START)
    rnd = random.Random(14)
    added: list[str] = []
    for i in range(100):
        if added and rnd.random() < 0.4:
            doc.remove_elements([added.pop(rnd.randrange(len(added)))])
        else:
            cid = f"n{i}"
            doc.add_element(Component(id=cid, name=f"New {i}", visibility=rnd.random(), evolution=rnd.random()))
            added.append(cid)
            if rnd.random() < 0.5:
                doc.add_element(Link(id=f"l{i}", source=cid, target=doc.map.components[rnd.randrange(3)].id))
        if rnd.random() < 0.3:
            c = doc.map.components[rnd.randrange(len(doc.map.components))]
            doc.update_element(c.id, name=f"{c.name} ({i})")
        assert lines.text() == TextLines().full(doc.map), i
    assert fell_back == []  # every one of them was a line edit


def test_a_deleted_line_above_and_below_an_added_one_lands_each_edit_on_its_own_line() -> None:
    doc, lines, fell_back = _follow(START)
    doc.add_element(Component(id="a", name="Alpha", visibility=0.9, evolution=0.1), index=0, layout_index=1)
    doc.add_element(Component(id="z", name="Zulu", visibility=0.1, evolution=0.9))
    doc.remove_elements(["a"])
    doc.update_element("z", name="Zed")
    tea = next(c for c in doc.map.components if c.name == "Tea")
    doc.update_element(tea.id, name="Green tea")
    text = lines.text()
    assert text == TextLines().full(doc.map)
    assert "component Zed [0.1, 0.9]" in text and "Green tea->Kettle" in text and "Alpha" not in text
    assert fell_back == []


def test_an_add_and_its_delete_keep_the_slot_index_instead_of_reading_every_line_again() -> None:
    doc, lines, _ = _follow(START)
    doc.update_element(doc.map.components[0].id, name="Mug")  # looks a slot up: the index is made
    index = lines._where()  # what the edits below must not throw away
    components = lines._elements(doc.map, "components")  # id -> component, kept as well
    doc.add_element(Component(id="n", name="New", visibility=0.5, evolution=0.5))
    doc.add_element(Link(id="nl", source="n", target=doc.map.components[0].id))
    doc.remove_elements(["n"])
    doc.update_element(doc.map.components[0].id, name="Cup")
    assert lines._where() is index
    assert lines._elements(doc.map, "components") is components and "n" not in components
    assert lines.text() == TextLines().full(doc.map)
