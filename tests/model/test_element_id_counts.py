"""The Document checks ids against counts it keeps, not by reading every element of
the map for each add (issue 14: ~2-3 ms an add or link at 5,000 components); the
answers stay those of reading the lists: after its own edits and undos, after a map
replaced, and after a list changed behind its back."""

from __future__ import annotations

import pytest

from osom_desktop.model import Component, Document, Link, Note, ServiceDocument
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.wardley import Pipeline, WardleyMap


def _doc() -> Document:
    return Document(ServiceDocument.model_construct(map=WardleyMap(
        components=[Component(id=f"c{i}", name=f"Part {i}", visibility=0.1 * i, evolution=0.5) for i in range(6)],
        links=[Link(id="l01", source="c0", target="c1"), Link(id="l12", source="c1", target="c2")],
        notes=[Note(id="n1", text="hot", visibility=0.2, evolution=0.2)],
    )))


def test_an_id_used_anywhere_is_refused_and_a_freed_one_taken_again() -> None:
    doc = _doc()
    for taken in ("c3", "l01", "n1"):
        with pytest.raises(ModelValidationError, match="already used"):
            doc.add_element(Component(id=taken, name="New", visibility=0.5, evolution=0.5))
    removed = doc.remove_elements(["c1"])  # takes l01 and l12 with it
    assert {e.id for _, _, e, _ in removed.entries} == {"c1", "l01", "l12"}
    doc.add_element(Note(id="l01", text="the link's id is free", visibility=0.3, evolution=0.3))
    with pytest.raises(ModelValidationError, match="no such component"):
        doc.add_element(Link(id="x", source="c0", target="c1"))  # c1 is gone
    doc.remove_elements(["l01"])
    doc.restore(removed)  # the undo: all three back where they were
    assert [c.id for c in doc.map.components] == [f"c{i}" for i in range(6)]
    assert [lk.id for lk in doc.map.links] == ["l01", "l12"]
    for taken in ("c1", "l12"):
        with pytest.raises(ModelValidationError, match="already used"):
            doc.add_element(Component(id=taken, name="New", visibility=0.5, evolution=0.5))
    doc.add_element(Link(id="x", source="c0", target="c1"))
    assert doc.update_element("l12", target="c5") == {"target": "c2"}
    with pytest.raises(ModelValidationError, match="no such element"):
        doc.update_element("gone", name="?")


def test_lists_changed_without_the_document_are_counted_again() -> None:
    doc = _doc()
    doc.add_element(Component(id="a", name="A", visibility=0.5, evolution=0.5))
    doc.map.components.append(Component(id="b", name="B", visibility=0.5, evolution=0.5))
    with pytest.raises(ModelValidationError, match="already used"):
        doc.add_element(Component(id="b", name="B2", visibility=0.5, evolution=0.5))
    doc.map.components[-1] = Component(id="d", name="D", visibility=0.5, evolution=0.5)  # same length
    doc.add_element(Component(id="b", name="B3", visibility=0.5, evolution=0.5))
    doc.map.links = [Link(id="only", source="c0", target="d")]  # another list
    doc.add_element(Link(id="l01", source="c0", target="c2"))
    assert doc.update_element("only", target="b") == {"target": "d"}
    old = doc.replace_map(WardleyMap(components=[Component(id="c0", name="Solo", visibility=0.5, evolution=0.5)]))
    doc.add_element(Component(id="a", name="A", visibility=0.4, evolution=0.4))  # the new map has no "a"
    with pytest.raises(ModelValidationError, match="already used"):
        doc.add_element(Note(id="c0", text="taken", visibility=0.1, evolution=0.1))
    doc.replace_map(old)
    with pytest.raises(ModelValidationError, match="already used"):
        doc.add_element(Note(id="only", text="taken again", visibility=0.1, evolution=0.1))


def test_removing_with_pipelines_and_a_shared_id_takes_what_reading_the_lists_takes() -> None:
    m = WardleyMap(
        components=[
            Component(id="k", name="Kettle", visibility=0.5, evolution=0.5),
            Component(id="e", name="Electric", visibility=None, evolution=0.6, pipeline_id="p"),
            Component(id="t", name="Tea", visibility=0.8, evolution=0.3),
        ],
        links=[Link(id="tk", source="t", target="k"), Link(id="te", source="t", target="e")],
        pipelines=[Pipeline(id="p", component_id="k", start=0.2, end=0.8)],
    )
    doc = Document(ServiceDocument.model_construct(map=m))
    removed = doc.remove_elements(["k"])  # its pipeline, the pipeline's child, their links
    assert {e.id for _, _, e, _ in removed.entries} == {"k", "p", "e", "tk", "te"}
    doc.restore(removed)
    assert [c.id for c in doc.map.components] == ["k", "e", "t"]
    # A link whose id is also a component's (a hand-made file): the component goes too,
    # as reading the lists in order always did.
    shared = WardleyMap(
        components=[Component(id="a", name="A", visibility=0.5, evolution=0.5),
                    Component(id="ab", name="AB", visibility=0.4, evolution=0.4)],
        links=[Link(id="ab", source="a", target="a")],
    )
    doc = Document(ServiceDocument.model_construct(map=shared))
    removed = doc.remove_elements(["a"])
    assert sorted(e.id for _, _, e, _ in removed.entries) == ["a", "ab", "ab"]
