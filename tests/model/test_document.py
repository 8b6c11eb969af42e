"""The Document is the only way the model changes: it validates, emits once per real
change, and gives back what undo needs to restore the exact previous state."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from osom_desktop.model import (
    Assessment,
    Change,
    Component,
    Document,
    GuidanceDecision,
    GuidanceItem,
    Link,
    ModelValidationError,
    Note,
    Pipeline,
)


@pytest.fixture
def doc() -> Document:
    d = Document()
    for i, name in enumerate(["User", "Tea", "Water", "Kettle"]):
        d.add_element(Component(id=f"c{i}", name=name, visibility=1 - i * 0.2, evolution=0.2 + i * 0.1))
    d.add_element(Link(id="l0", source="c0", target="c1"))
    d.add_element(Link(id="l1", source="c1", target="c2", context="hot"))
    d.add_element(Link(id="l2", source="c2", target="c3"))
    d.add_element(Pipeline(id="p0", component_id="c3", start=0.1, end=0.5))
    d.add_element(Note(id="n0", text="a note", visibility=0.3, evolution=0.3))
    return d


def record(d: Document) -> list[Change]:
    seen: list[Change] = []
    d.changed.connect(seen.append)
    return seen


def test_update_emits_only_on_real_change(doc: Document) -> None:
    seen = record(doc)
    assert doc.update_element("c1", visibility=0.8) == {}
    assert seen == []
    assert doc.update_element("c1", visibility=0.5) == {"visibility": 0.8}
    assert seen == [Change("components", ("c1",))]


def test_bad_value_names_field_and_value_and_changes_nothing(doc: Document) -> None:
    before = copy.deepcopy(doc.data)
    with pytest.raises(ModelValidationError) as err:
        doc.update_element("c1", visibility="high")
    assert "Component.visibility" in str(err.value) and "'high'" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(ModelValidationError, match="Service.lifecycle"):
        doc.update_service(lifecycle="finished")
    with pytest.raises(ModelValidationError, match="Component.method"):
        doc.update_element("c1", method="steal")
    with pytest.raises(ModelValidationError, match="Component.evolution"):
        doc.move_components({"c1": (0.5, float("nan"))})
    with pytest.raises(ModelValidationError, match="Measure.target|measures"):
        doc.update_contract(measures=[{"name": "uptime", "target": float("inf")}])
    assert doc.data == before


def test_duplicate_names_and_dangling_links_are_refused(doc: Document) -> None:
    with pytest.raises(ModelValidationError, match="already has this name"):
        doc.update_element("c1", name="Water")
    with pytest.raises(ModelValidationError, match="already has this name"):
        doc.add_element(Component(id="cx", name="Kettle"))
    with pytest.raises(ModelValidationError, match="Link.target"):
        doc.add_element(Link(id="lx", source="c0", target="nope"))


def test_remove_component_takes_links_and_pipeline_and_restore_is_exact(doc: Document) -> None:
    before = copy.deepcopy(doc.data)
    removed = doc.remove_elements(["c2"])
    assert [c.name for c in doc.map.components] == ["User", "Tea", "Kettle"]
    assert [lk.id for lk in doc.map.links] == ["l0"]
    doc.restore(removed)
    assert doc.data == before
    removed = doc.remove_elements(["c3"])
    assert doc.map.pipelines == []
    doc.restore(removed)
    assert doc.data == before


def test_move_components_is_one_change_and_returns_old_positions(doc: Document) -> None:
    seen = record(doc)
    old = doc.move_components({"c0": (0.9, 0.3), "c1": (0.8, 0.3)})
    assert old == {"c0": (1.0, 0.2), "c1": (0.8, 0.30000000000000004)}
    assert len(seen) == 1 and set(seen[0].ids) == {"c0", "c1"}


def test_service_contract_and_records(doc: Document) -> None:
    seen = record(doc)
    old = doc.update_contract(user_needs=["Drink tea"], evolution_stage="product")
    assert old == {"user_needs": [], "evolution_stage": None}
    assert doc.data.contract.evolution_stage == "product"
    decision = GuidanceDecision(
        guidance=GuidanceItem(id="G1", title="Use the cloud"),
        status="rejected",
        reason="Data must stay on premises",
        decided_on=dt.date(2026, 1, 2),
    )
    doc.add_record("decisions", decision)
    assessment = Assessment(date=dt.date(2026, 2, 1), kind="transition", from_stage="beta", to_stage="live", outcome="met")
    doc.add_record("assessments", assessment)
    i, gone = doc.remove_record("decisions", decision.id)
    assert (i, gone) == (0, decision) and doc.data.decisions == []
    assert [c.what for c in seen] == ["contract", "decisions", "assessments", "decisions"]


def test_map_settings_validated(doc: Document) -> None:
    assert doc.update_map_settings(title="Tea Shop", style="dark") == {"title": None, "style": None}
    with pytest.raises(ModelValidationError, match="not a map setting"):
        doc.update_map_settings(components=[])
