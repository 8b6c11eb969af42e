"""Every shared OWM fixture reads with the counts a person reading the file expects,
and survives a round trip through our writer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osom_desktop.model.wardley import ComponentKind, FlowDirection, Method, RawKind
from osom_desktop.owm import parse_owm, write_owm
from tests.conftest import FIXTURES, OWM_FIXTURES

_ZERO = {
    "components": 0,
    "anchors": 0,
    "submaps": 0,
    "links": 0,
    "flows": 0,
    "evolves": 0,
    "pipelines": 0,
    "notes": 0,
    "annotations": 0,
    "areas": 0,
    "accelerators": 0,
    "urls": 0,
    "unknown_lines": 0,
}

# Counted by reading each file, not by running the parser.
EXPECTED: dict[str, dict[str, int]] = {
    "damonsk__onlinewardleymaps__ExampleMap_TeaShop.owm": {
        "anchors": 2,  # Business, Public
        "components": 7,  # Cup of Tea, Cup, Tea, Hot Water, Water, Kettle, Power
        "links": 8,
        "evolves": 2,  # Kettle->Electric Kettle, Power
        "notes": 1,
        "annotations": 2,
    },
    "damonsk__onlinewardleymaps__GoldenMasterMapText.owm": {
        # FooWithNoCoords, FooWithCoords, Build/Buy/OutsourceComponent, EcoSystem x2,
        # Market x2, EvolveComponennt, InertiaComponent, Inertia Alternative, foo,
        # Power, and the three pipeline children Wind, Batteries, Nuclear.
        "components": 17,
        "submaps": 1,  # Website
        "links": 1,  # FooWithCoords->InertiaComponent; Constraint
        "evolves": 2,  # EvolveComponennt, Batteries (inside the pipeline block)
        "pipelines": 2,  # foo (legacy), Power (block)
        "notes": 1,
        "annotations": 2,
        "areas": 3,  # pioneers, settlers, townplanners
        "accelerators": 2,  # accelerator, deaccelerator
        "urls": 1,
        # Five style lines: OWM uses the last (plain); the four before it are kept
        # verbatim as raw lines (with a warning) so nothing written is lost.
        "unknown_lines": 4,
    },
    "damonsk__wardley-maps-examples__Build_Buy_Outsource_Example.owm": {
        "components": 10,
        "links": 13,  # CRM->Compute appears twice
    },
    "damonsk__wardley-maps-examples__Decorating_Example.owm": {
        "anchors": 1,
        "components": 3,  # Happiness, Foo, AppStore
        "links": 1,  # Customer->Happiness, before Happiness is defined
        "evolves": 3,
    },
    "damonsk__wardley-maps-examples__Flow_Evolve_Inertia_Example.owm": {
        "components": 10,
        "links": 1,  # Business->Cup of Tea
        "flows": 8,
        "evolves": 1,  # Kettle, at the end of the file
    },
    "damonsk__wardley-maps-examples__Flow_Example.owm": {
        "anchors": 2,
        "components": 8,
        "links": 6,
        "flows": 3,  # +'+2'<>, +'+5'<>, +'+8'<>
        "notes": 1,
        "annotations": 2,
    },
    "damonsk__wardley-maps-examples__Market_Example.owm": {
        "anchors": 1,
        "components": 5,  # User Experience, Application, Payments, market AppStore, market x
        "links": 5,
        "notes": 3,
    },
    "damonsk__wardley-maps-examples__PST_Example.owm": {
        "anchors": 1,
        "components": 9,
        "links": 14,
        "areas": 10,  # 7 on the map + 3 for the legend
        "notes": 9,
    },
    "damonsk__wardley-maps-examples__Submap_Example.owm": {
        "components": 1,  # Bar
        "submaps": 1,  # Foo
        "links": 1,  # Foo->Bar
        "urls": 1,
    },
    "owulveryck__wardleyToGo__examples_parser_sample.owm": {
        "anchors": 2,
        # Cup of Tea, Cup, Tea, Hot Water, Water, Kettle, Power; "Cup" carries the
        # unknown decoration (dataProduct), ignored with a warning as OWM ignores it;
        # "build Kettle" repeats the (build) of Kettle's line and is kept as written.
        "components": 7,
        "links": 3,  # Business->Cup of Tea, Public->Cup of Tea, Hot Water->Water
        "evolves": 2,
        "notes": 1,
        "annotations": 2,
        # Cup (dataProduct), five -xxx> links, four team lines.
        "unknown_lines": 10,
    },
}

WARDLEY_TO_GO = "owulveryck__wardleyToGo__examples_parser_sample.owm"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_every_fixture_has_expectations(owm_fixtures: list[Path]) -> None:
    assert {p.name for p in owm_fixtures} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_counts(name: str) -> None:
    result = parse_owm(_read(name), name)
    assert result.map.counts() == {**_ZERO, **EXPECTED[name]}


@pytest.mark.parametrize("path", OWM_FIXTURES, ids=lambda p: p.stem)
def test_fixture_round_trip(path: Path) -> None:
    first = parse_owm(path.read_text(encoding="utf-8"), path.name)
    text = write_owm(first.map)
    second = parse_owm(text, "written.owm")
    assert second.map == first.map
    assert write_owm(second.map) == text  # a fixed point after one write
    # What could not be read the first time is reported again, on the same kind of line.
    assert len(second.errors) == len(first.errors)


@pytest.mark.parametrize("path", OWM_FIXTURES, ids=lambda p: p.stem)
def test_fixture_loses_no_line(path: Path) -> None:
    """Every non-blank source line is either an element or kept verbatim."""
    source = path.read_text(encoding="utf-8")
    written = write_owm(parse_owm(source).map)
    written_lines = set(written.splitlines())
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("//") or stripped == "":
            assert line in written_lines


@pytest.mark.parametrize("path", OWM_FIXTURES, ids=lambda p: p.stem)
def test_fixture_diagnostics_are_located(path: Path) -> None:
    result = parse_owm(path.read_text(encoding="utf-8"), path.name)
    pattern = re.compile(rf"^{re.escape(path.name)}:\d+: .+")
    for d in result.diagnostics:
        assert pattern.match(str(d))


def test_tea_shop_details() -> None:
    r = parse_owm(_read("damonsk__onlinewardleymaps__ExampleMap_TeaShop.owm"))
    m = r.map
    assert m.title == "Tea Shop"
    assert m.style == "wardley"
    assert m.annotations_legend == (0.72, 0.03)
    kettle = m.component_by_name("Kettle")
    assert kettle is not None and kettle.evolve is not None
    assert kettle.evolve.name == "Electric Kettle"
    assert kettle.evolve.evolution == 0.62
    assert kettle.label is not None and (kettle.label.dx, kettle.label.dy) == (-57, 4)
    cup_of_tea = m.component_by_name("Cup of Tea")
    assert cup_of_tea is not None and cup_of_tea.label is not None
    assert (cup_of_tea.label.dx, cup_of_tea.label.dy) == (-85.48, 3.78)
    hot_water = m.component_by_name("Hot Water")
    assert hot_water is not None
    limited = [lk for lk in m.links if lk.source == hot_water.id and lk.target == kettle.id]
    assert [lk.context for lk in limited] == ["limited by"]
    business = m.component_by_name("Business")
    assert business is not None and business.kind is ComponentKind.ANCHOR
    assert m.annotations[0].points == [(0.43, 0.49), (0.08, 0.79)]
    assert m.notes[0].text == "+a generic note appeared"


def test_golden_master_details() -> None:
    m = parse_owm(_read("damonsk__onlinewardleymaps__GoldenMasterMapText.owm")).map
    assert m.evolution_labels == ["one", "two", "three", "four"]
    assert m.style == "plain"  # the last style line wins, as in OWM
    by_name = {c.name: c for c in m.components}
    assert by_name["FooWithNoCoords"].visibility is None
    assert by_name["BuildComponent"].method is Method.BUILD
    assert by_name["OutsourceComponent"].method is Method.OUTSOURCE
    assert by_name["EcoSystemNoCoords"].ecosystem and by_name["MarketWithCoords"].market
    assert by_name["InertiaComponent"].inertia and by_name["Inertia Alternative"].inertia
    power_pipeline = next(p for p in m.pipelines if p.block)
    assert power_pipeline.component_id == by_name["Power"].id
    assert (power_pipeline.start, power_pipeline.end) == (0.1, 0.1)
    wind = by_name["Wind"]
    assert wind.pipeline_id == power_pipeline.id and wind.visibility is None and wind.evolution == 0.72
    legacy = next(p for p in m.pipelines if not p.block)
    assert (legacy.component_id, legacy.start, legacy.end) == (by_name["foo"].id, 0.24, 0.39)
    website = by_name["Website"]
    assert website.kind is ComponentKind.SUBMAP and website.url_ref == "submapUrl"
    assert m.urls[0].url == "https://onlinewardleymaps.com/#clone:qu4VDDQryoZEnuw0ZZ"
    assert m.links[0].context == "Constraint"
    superseded = [r.text for r in m.raw_lines if r.kind is RawKind.UNKNOWN]
    assert superseded == ["style colour", "style wardley", "style dark", "style handwritten"]


def test_build_buy_outsource_methods() -> None:
    m = parse_owm(_read("damonsk__wardley-maps-examples__Build_Buy_Outsource_Example.owm")).map
    methods = [c.method for c in m.components]
    assert methods.count(Method.BUILD) == 2
    assert methods.count(Method.BUY) == 6
    assert methods.count(Method.OUTSOURCE) == 1


def test_standalone_method_lines_apply_forward() -> None:
    m = parse_owm(_read("damonsk__wardley-maps-examples__Decorating_Example.owm")).map
    happiness = m.component_by_name("Happiness")
    assert happiness is not None
    assert happiness.method is Method.BUY  # "buy Happiness" comes before the component
    assert happiness.inertia
    assert happiness.evolve is not None and happiness.evolve.method is Method.BUILD
    app_store = m.component_by_name("AppStore")
    assert app_store is not None and app_store.evolve is not None and app_store.evolve.market


def test_pst_methods_belong_to_components_and_keep_their_lines() -> None:
    text = _read("damonsk__wardley-maps-examples__PST_Example.owm")
    m = parse_owm(text).map
    assert all(c.method is not None for c in m.components if c.kind is ComponentKind.COMPONENT)
    # Written where they were: OWM's current engine ignores such lines, so folding them
    # into "(build)" would change what OWM shows.
    assert write_owm(m) == text
    manip = m.component_by_name("Online Image Manip")
    assert manip is not None
    manip.method = Method.BUY
    written = write_owm(m)
    assert "buy Online Image Manip" in written and "build Online Image Manip" not in written


def test_flows() -> None:
    m = parse_owm(_read("damonsk__wardley-maps-examples__Flow_Evolve_Inertia_Example.owm")).map
    flows = [(lk.flow, lk.flow_value) for lk in m.links if lk.flow is not None]
    assert flows[0] == (FlowDirection.BOTH, "+$0.55")
    assert (FlowDirection.BOTH, "$0.10") in flows
    assert flows[-1] == (FlowDirection.BACKWARD, "+$0.05")


def test_legacy_market_lines() -> None:
    m = parse_owm(_read("damonsk__wardley-maps-examples__Market_Example.owm")).map
    app_store = m.component_by_name("AppStore")
    assert app_store is not None and app_store.market and app_store.label is not None
    assert "market AppStore [0.32, 0.65] label [30, 0]" in write_owm(m)  # unchanged: as written
    app_store.visibility = 0.3
    assert "component AppStore [0.3, 0.65] label [30, 0] (market)" in write_owm(m)


def test_wardley_to_go_diagnostics_name_the_right_lines() -> None:
    source = _read(WARDLEY_TO_GO)
    result = parse_owm(source, WARDLEY_TO_GO)
    lines = source.splitlines()
    errors = {d.line: d for d in result.diagnostics}
    assert sorted(errors) == [5, 15, 16, 17, 19, 20, 21, 31, 32, 33, 34]
    assert errors[21].severity == "warning" and "already (build)" in errors[21].message
    assert errors[5].severity == "warning"  # an unknown decoration: the component is kept
    assert "(dataProduct)" in lines[5 - 1] and "dataProduct" in errors[5].message
    for n in (15, 16, 17, 19, 20):
        assert "unknown link arrow" in errors[n].message
        arrow = re.search(r"-\w+>", lines[n - 1])
        assert arrow is not None and arrow.group() in errors[n].message
    assert lines[31 - 1].startswith("streamAlignedTeam")
    assert "streamAlignedTeam" in errors[31].message
    assert str(errors[31]).startswith(f"{WARDLEY_TO_GO}:31: ")
    # ...and every one of those lines is written back unchanged.
    written = write_owm(result.map).splitlines()
    for n in errors:
        assert lines[n - 1] in written
