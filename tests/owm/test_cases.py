"""Specific OWM text cases: what users type, and what can go wrong with it."""

from __future__ import annotations

import time

from osom_desktop.model.wardley import (
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    Pipeline,
    RawKind,
    RawLine,
    WardleyMap,
)
from osom_desktop.owm import Diagnostic, ParseResult, parse_owm, write_owm


def _round_trips(text: str) -> ParseResult:
    """Parse, write, parse: the same map, and the written text is a fixed point."""
    first = parse_owm(text)
    written = write_owm(first.map)
    second = parse_owm(written)
    assert second.map == first.map, written
    assert write_owm(second.map) == written
    return first


def _names(m: WardleyMap) -> list[str]:
    return [c.name for c in m.components]


# -- the API ---------------------------------------------------------------------------


def test_diagnostic_prints_like_a_compiler() -> None:
    d = Diagnostic("map.owm", 12, "unknown keyword 'x'", "error")
    assert str(d) == "map.owm:12: unknown keyword 'x'"


def test_empty_text_and_empty_map() -> None:
    r = parse_owm("")
    assert r.map == WardleyMap() and r.diagnostics == [] and r.source_lines == {}
    assert write_owm(WardleyMap()) == ""


def test_source_lines() -> None:
    text = (
        "title Tea Shop\n"  # 1
        "anchor Business [0.95, 0.63]\n"  # 2
        "\n"  # 3
        "component Kettle [0.43, 0.35]\n"  # 4
        "evolve Kettle->Electric Kettle 0.62\n"  # 5
        "Business->Kettle\n"  # 6
        "note hot [0.1, 0.2]\n"  # 7
        "style wardley\n"  # 8
    )
    r = parse_owm(text)
    kettle = r.map.component_by_name("Kettle")
    business = r.map.component_by_name("Business")
    assert kettle is not None and business is not None
    assert r.source_lines["title"] == 1
    assert r.source_lines[business.id] == 2
    assert r.source_lines[kettle.id] == 4
    assert r.source_lines[f"{kettle.id}#evolve"] == 5
    assert r.source_lines[r.map.links[0].id] == 6
    assert r.source_lines[r.map.notes[0].id] == 7
    assert r.source_lines["style"] == 8
    assert r.source_lines[r.map.raw_lines[0].id] == 3
    assert set(r.source_lines) == set(r.map.layout)


def test_ids_are_kind_and_ordinal() -> None:
    r = parse_owm("component A [0.1, 0.2]\ncomponent B [0.3, 0.4]\nA->B\n// c\nnote n [0.1, 0.1]\n")
    assert [c.id for c in r.map.components] == ["c1", "c2"]
    assert r.map.links[0].id == "l1"
    assert r.map.raw_lines[0].id == "r1"
    assert r.map.notes[0].id == "n1"
    assert r.map.layout == ["c1", "c2", "l1", "r1", "n1"]


# -- line endings, comments, layout ----------------------------------------------------


def test_crlf_reads_like_lf() -> None:
    lf = "title T\ncomponent A [0.1, 0.2]\ncomponent B [0.3, 0.4]\n\n// note\nA->B; why\n"
    crlf = lf.replace("\n", "\r\n")
    a, b = parse_owm(lf), parse_owm(crlf)
    assert a.map == b.map and a.source_lines == b.source_lines
    assert b.diagnostics == []
    assert "\r" not in write_owm(b.map)
    assert b.map.links[0].context == "why"


def test_comments_and_blank_lines_stay_in_place() -> None:
    text = (
        "// header comment\n"
        "title T\n"
        "\n"
        "// components\n"
        "component A [0.1, 0.2]\n"
        "  // indented comment\n"
        "component B [0.3, 0.4]\n"
        "\n"
        "/* block\n"
        "   comment */\n"
        "A->B\n"
    )
    r = _round_trips(text)
    assert write_owm(r.map) == text
    kinds = [r.map.raw_lines[i].kind for i in range(len(r.map.raw_lines))]
    assert kinds.count(RawKind.COMMENT) == 5 and kinds.count(RawKind.BLANK) == 2


def test_trailing_comment_stays_on_its_line_until_the_element_changes() -> None:
    text = "component X [0.1, 0.2] // why it is here\nX->X // loop\n"
    r = _round_trips(text)
    assert r.map.components[0].visibility == 0.1
    assert write_owm(r.map) == text
    r.map.components[0].visibility = 0.3  # moved: written afresh, the comment follows it
    assert write_owm(r.map) == "component X [0.3, 0.2]\n// why it is here\nX->X // loop\n"


def test_double_slash_in_a_note_starts_a_comment_as_in_owm() -> None:
    # OWM cuts every line but url lines at its first "//": this note has no position.
    r = _round_trips("note see https://example.com/x [0.1, 0.2]\n")
    assert r.map.notes[0].text == "see https:"
    assert (r.map.notes[0].visibility, r.map.notes[0].evolution) == (0.9, 0.1)


def test_writer_follows_layout_and_appends_the_rest() -> None:
    m = parse_owm("component A [0.1, 0.2]\n// between\ncomponent B [0.3, 0.4]\n").map
    m.components.append(Component(id="c9", name="C", visibility=0.5, evolution=0.5))
    m.links.append(Link(id="l9", source="c1", target="c9"))
    m.layout.insert(0, "gone")  # a slot whose element was deleted is skipped
    m.title = "Added later"  # no slot: OWM reads the first title, so it goes first
    m.style = "dark"  # no slot: last
    m.components[0].evolve = Evolve(evolution=0.8)  # no slot: right after its component
    assert write_owm(m) == (
        "title Added later\n"
        "component A [0.1, 0.2]\n"
        "evolve A 0.8\n"
        "// between\n"
        "component B [0.3, 0.4]\n"
        "component C [0.5, 0.5]\n"
        "A->C\n"
        "style dark\n"
    )


def test_style_last_wins_and_earlier_lines_are_kept() -> None:
    r = _round_trips("style colour\ncomponent A [0.1, 0.2]\nstyle dark\n")
    assert r.map.style == "dark"
    assert [d.severity for d in r.diagnostics] == ["warning"]
    assert r.diagnostics[0].line == 1
    assert write_owm(r.map) == "style colour\ncomponent A [0.1, 0.2]\nstyle dark\n"


def test_title_first_wins_as_in_owm() -> None:
    r = _round_trips("title One\ntitle Two\n")
    assert r.map.title == "One"
    assert r.diagnostics[0].line == 2 and r.diagnostics[0].severity == "warning"


# -- names -----------------------------------------------------------------------------


def test_names_beginning_with_a_keyword() -> None:
    text = (
        "component buyer [0.5, 0.5]\n"
        "component seller [0.4, 0.4]\n"
        "component notebook [0.3, 0.3]\n"
        "component titled [0.2, 0.2]\n"
        "buyer->seller\n"
        "notebook->seller\n"
        "titled+>buyer\n"
    )
    r = _round_trips(text)
    assert r.diagnostics == []
    assert _names(r.map) == ["buyer", "seller", "notebook", "titled"]
    ends = [(lk.source, lk.target) for lk in r.map.links]
    assert ends == [("c1", "c2"), ("c3", "c2"), ("c4", "c1")]
    assert write_owm(r.map) == text  # unchanged lines are written back as they were
    for c in r.map.components:
        c.visibility = 0.25
    r.map.owm_source.clear()
    # Written afresh: quoted at the start of a link line, so OWM (which skips lines
    # merely starting with "buy" or "note") reads them as links too.
    assert '"buyer"->seller' in write_owm(r.map)


def test_a_name_that_is_a_keyword_phrase_round_trips() -> None:
    m = WardleyMap(
        components=[
            Component(id="c1", name="build tool", visibility=0.5, evolution=0.5),
            Component(id="c2", name="evolve", visibility=0.4, evolution=0.4),
        ],
        links=[Link(id="l1", source="c1", target="c2"), Link(id="l2", source="c2", target="c1")],
    )
    text = write_owm(m)
    assert '"build tool"->evolve' in text and '"evolve"->build tool' in text
    r = parse_owm(text)
    assert r.diagnostics == []
    assert [(lk.source, lk.target) for lk in r.map.links] == [("c1", "c2"), ("c2", "c1")]


def test_multi_line_quoted_names() -> None:
    text = (
        'component "Line one\\nLine two" [0.5, 0.5] label [10, 20]\n'
        "component Other [0.4, 0.4]\n"
        '"Line one\\nLine two"->Other\n'
        'evolve "Line one\\nLine two"->"Next\\nGeneration" 0.8\n'
        'Other->"Next\\nGeneration"\n'
    )
    r = _round_trips(text)
    assert r.diagnostics == []
    first = r.map.components[0]
    assert first.name == "Line one\nLine two"
    assert first.evolve is not None and first.evolve.name == "Next\nGeneration"
    assert r.map.links[1].target_evolved
    assert write_owm(r.map) == text


def test_quoted_names_with_quotes_backslashes_and_brackets() -> None:
    for name in ['say "hi"', "C:\\temp", "[draft] thing", "a->b", "x; y", "(market)", " padded ", "a  b"]:
        m = WardleyMap(components=[Component(id="c1", name=name, visibility=0.1, evolution=0.2)])
        r = parse_owm(write_owm(m))
        assert r.diagnostics == [] and r.map.components[0].name == name


def test_plain_names_collapse_spacing_as_owm_does() -> None:
    r = parse_owm("component  Cup   of Tea  [0.1, 0.2]\ncomponent Cup [0.3, 0.4]\nCup   of  Tea->Cup\n")
    assert _names(r.map) == ["Cup of Tea", "Cup"] and r.diagnostics == []


def test_names_match_ignoring_case_with_a_warning() -> None:
    r = parse_owm("component Cup of Tea [0.1, 0.2]\ncomponent Cup [0.3, 0.4]\ncup of tea->CUP\n")
    assert len(r.map.links) == 1
    assert [d.severity for d in r.diagnostics] == ["warning", "warning"]
    assert "cup of tea->CUP" in write_owm(r.map)  # as the author wrote it, which OWM reads so too
    r.map.components[0].name = "Pot of Tea"
    assert "Pot of Tea->Cup" in write_owm(r.map)


def test_unicode_names() -> None:
    r = _round_trips("component Thé vert 茶 [0.1, 0.2]\ncomponent Ünïcödé [0.3, 0.4]\nThé vert 茶->Ünïcödé\n")
    assert r.diagnostics == [] and len(r.map.links) == 1


def test_component_declared_twice_is_drawn_twice_as_in_owm() -> None:
    text = "component A [0.1, 0.2]\ncomponent A [0.3, 0.4] inertia\nanchor A [0.9, 0.5]\nA->B\ncomponent B [0.5, 0.5]\n"
    r = _round_trips(text)
    assert _names(r.map) == ["A", "A", "A", "B"]
    assert r.map.components[1].inertia  # re-declared on a spot to add inertia: kept
    assert r.map.links[0].source == r.map.components[0].id  # links bind to the first
    assert [(d.line, d.severity) for d in r.diagnostics] == [(2, "warning"), (3, "warning")]
    assert "line 1" in r.diagnostics[0].message
    assert write_owm(r.map) == text


# -- links -------------------------------------------------------------------------------


def test_link_to_unknown_component_is_reported_and_kept() -> None:
    text = "component A [0.1, 0.2]\nA->Nowhere; why\nA->A\n"
    r = _round_trips(text)
    assert [lk.id for lk in r.map.links] == ["l2"]  # l1 stays unused: ids do not shift
    assert r.diagnostics[0].line == 2 and "Nowhere" in r.diagnostics[0].message
    assert r.map.raw_lines[0].text == "A->Nowhere; why"
    assert write_owm(r.map) == text


def test_forward_references() -> None:
    text = "A->B\nevolve A->A2 0.8\nbuy B\nB->A2\ncomponent A [0.1, 0.2]\ncomponent B [0.2, 0.3]\nA->B\n"
    r = _round_trips(text)
    assert r.diagnostics == []
    a, b = r.map.components
    assert a.evolve is not None and a.evolve.name == "A2" and b.method is Method.BUY
    assert [lk.id for lk in r.map.links] == ["l1", "l2", "l3"]  # text order
    assert r.map.links[1].target_evolved and r.map.links[1].target == a.id


def test_flow_forms() -> None:
    text = (
        "component A [0.1, 0.2]\ncomponent B [0.3, 0.4]\n"
        "A+>B\nA+<B\nA+<>B\nA+'$0.10'>B\nA+'+$0.55'<>B\nA+'x'<B; ctx\nA->B; limited by\n"
    )
    r = _round_trips(text)
    got = [(lk.flow, lk.flow_value, lk.context) for lk in r.map.links]
    assert got == [
        (FlowDirection.FORWARD, None, None),
        (FlowDirection.BACKWARD, None, None),
        (FlowDirection.BOTH, None, None),
        (FlowDirection.FORWARD, "$0.10", None),
        (FlowDirection.BOTH, "+$0.55", None),
        (FlowDirection.BACKWARD, "x", "ctx"),
        (None, None, "limited by"),
    ]
    assert r.map.counts()["flows"] == 6 and r.map.counts()["links"] == 1


def test_names_with_plus_and_arrows_around_flows() -> None:
    m = WardleyMap(
        components=[
            Component(id="c1", name="C++", visibility=0.1, evolution=0.2),
            Component(id="c2", name=">next", visibility=0.3, evolution=0.4),
        ],
        links=[
            Link(id="l1", source="c1", target="c2", flow=FlowDirection.BACKWARD),
            Link(id="l2", source="c1", target="c2"),
        ],
    )
    r = parse_owm(write_owm(m))
    assert r.diagnostics == [] and r.map.links == m.links


def test_foreign_arrows_are_reported() -> None:
    r = parse_owm("component A [0.1, 0.2]\ncomponent B [0.1, 0.2]\nA-collaboration>B\n", "t.owm")
    assert str(r.diagnostics[0]).startswith("t.owm:3: unknown link arrow '-collaboration>'")
    assert r.map.counts()["unknown_lines"] == 1


# -- components and decorations ----------------------------------------------------------


def test_decorations_in_any_order() -> None:
    a = parse_owm("component X [0.1, 0.2] inertia (buy) label [1, 2] (market)\n").map.components[0]
    b = parse_owm("component X [0.1, 0.2] (market) label [1, 2] (inertia) (buy)\n").map.components[0]
    assert a == b
    assert a.inertia and a.market and a.method is Method.BUY and a.label == Offset(1, 2)


def test_components_without_coordinates() -> None:
    r = _round_trips("component Plain\ncomponent Eco (ecosystem)\ncomponent Slow inertia\n")
    assert [(c.name, c.visibility, c.ecosystem, c.inertia) for c in r.map.components] == [
        ("Plain", None, False, False),
        ("Eco", None, True, False),
        ("Slow", None, False, True),
    ]


def test_unknown_decoration_keeps_the_component_and_the_text() -> None:
    r = _round_trips("component Cup [0.7, 0.8] label [19,-4] (dataProduct)\n")
    assert _names(r.map) == ["Cup"] and r.map.raw_lines == []
    assert "(dataProduct)" in r.diagnostics[0].message and r.diagnostics[0].severity == "warning"
    r.map.components[0].evolution = 0.5
    # The label was not touched: it stays as written (issue 14: keep the user's numbers).
    assert write_owm(r.map) == "component Cup [0.7, 0.5] label [19,-4] (dataProduct)\n"


def test_conflicting_standalone_method_is_kept_with_a_warning() -> None:
    r = _round_trips("component A [0.1, 0.2] (buy)\nbuild A\n")
    assert r.map.components[0].method is Method.BUY
    assert r.diagnostics[0].severity == "warning" and r.map.raw_lines[0].text == "build A"


def test_evolve_forms() -> None:
    text = (
        "component K [0.4, 0.3]\ncomponent P [0.1, 0.7]\ncomponent X [0.2, 0.2]\ncomponent M [0.3, 0.3]\n"
        "evolve K->Electric Kettle 0.62 label [16, 5]\n"
        "evolve P 0.9 (build)\n"
        "evolve X 0.75 (market)\n"
        "evolve M 1.0\n"
    )
    r = _round_trips(text)
    k, p, x, m = (c.evolve for c in r.map.components)
    assert k == Evolve(evolution=0.62, name="Electric Kettle", label=Offset(16, 5))
    assert p == Evolve(evolution=0.9, method=Method.BUILD)
    assert x == Evolve(evolution=0.75, market=True)
    assert m == Evolve(evolution=1.0)
    # OWM finds an evolve target only with a decimal point: 1.0 stays 1.0.
    assert "evolve M 1.0" in write_owm(r.map)


def test_second_evolve_is_reported() -> None:
    r = _round_trips("component A [0.1, 0.2]\nevolve A 0.5\nevolve A 0.6\n")
    assert r.map.components[0].evolve == Evolve(evolution=0.5)
    assert r.diagnostics[0].line == 3 and "line 2" in r.diagnostics[0].message


def test_numbers_are_written_exactly_and_compactly() -> None:
    m = WardleyMap(
        components=[
            Component(id="c1", name="A", visibility=0.1 + 0.2, evolution=1e-05, label=Offset(-13.0, 35.0)),
        ],
        notes=[Note(id="n1", text="n", visibility=0.30, evolution=2.0)],
        layout=["c1", "n1"],
    )
    text = write_owm(m)
    assert text == "component A [0.30000000000000004, 1e-05] label [-13, 35]\nnote n [0.3, 2]\n"
    assert parse_owm(text).map == m


def test_non_finite_numbers_are_refused() -> None:
    r = parse_owm("component A [nan, 0.2]\ncomponent B [0.1, inf]\ncomponent C [1e999, 0.1]\n")
    assert r.map.components == [] and len(r.diagnostics) == 3


# -- pipelines ---------------------------------------------------------------------------


def test_pipeline_block_with_comments_inside() -> None:
    text = (
        "component Power [0.21, 0.67]\n"
        "pipeline Power [0.1, 0.9]\n"
        "{\n"
        "// sources\n"
        "component Wind [0.72] label [-13, 35]\n"
        "component Batteries [0.58]\n"
        "evolve Batteries 0.65\n"
        "}\n"
        "// after\n"
    )
    r = _round_trips(text)
    assert write_owm(r.map) == text
    p = r.map.pipelines[0]
    assert p == Pipeline(id="p1", component_id="c1", start=0.1, end=0.9, block=True)
    wind, batteries = r.map.components[1:]
    assert wind.pipeline_id == "p1" and wind.visibility is None and wind.evolution == 0.72
    assert batteries.evolve == Evolve(evolution=0.65)


def test_pipeline_children_written_inside_their_block() -> None:
    m = WardleyMap(
        components=[
            Component(id="c1", name="Power", visibility=0.2, evolution=0.6),
            Component(id="c2", name="Wind", evolution=0.7, pipeline_id="p1"),
        ],
        pipelines=[Pipeline(id="p1", component_id="c1", block=True)],
        layout=["c2", "p1", "c1"],  # child and pipeline above the owner: OWM reads that too
    )
    text = write_owm(m)
    assert text == "pipeline Power\n{\ncomponent Wind [0.7]\n}\ncomponent Power [0.2, 0.6]\n"
    read = parse_owm(text)
    assert read.diagnostics == []
    assert [(c.name, c.pipeline_id is not None) for c in read.map.components] == [("Wind", True), ("Power", False)]


def test_pipeline_of_an_unknown_component_keeps_its_block() -> None:
    text = "pipeline Ghost [0.1, 0.2]\n{\ncomponent Z [0.4]\n}\ncomponent A [0.1, 0.1]\n"
    r = _round_trips(text)
    assert _names(r.map) == ["A"] and r.map.pipelines == []
    assert [d.line for d in r.diagnostics] == [1, 2, 3, 4]
    assert write_owm(r.map) == text


def test_unclosed_block_is_closed_when_written() -> None:
    r = parse_owm("component P [0.1, 0.1]\npipeline P\n{\ncomponent C [0.5]\n")
    assert r.diagnostics[0].severity == "warning"
    assert write_owm(r.map).endswith("component C [0.5]\n}\n")


def test_stray_braces() -> None:
    r = _round_trips("}\n{\ncomponent A [0.1, 0.2]\n")
    assert len(r.diagnostics) == 2 and _names(r.map) == ["A"]


# -- the rest ----------------------------------------------------------------------------


def test_every_other_element() -> None:
    text = (
        "title All the rest\n"
        "evolution Uncharted->Emerging->Good->Best\n"
        'note "A note with [brackets]" [0.1, 0.2]\n'
        'note "two\\nlines" [0.3, 0.4]\n'
        "annotation 1 [[0.43, 0.49], [0.08, 0.79]] Standardising power\n"
        "annotation 2 [0.48, 0.85] Hot water\n"
        "annotations [0.72, 0.03]\n"
        "pioneers [0.9, 0.1, 0.8, 0.3]\n"
        "settlers [0.9, 0.4, 0.8, 0.6]\n"
        "townplanners [0.9, 0.7, 0.8, 0.9]\n"
        "submap Website [0.83, 0.5] url(site)\n"
        "url site [https://example.com/a]b]\n"
        "accelerator Fast [0.2, 0.6]\n"
        "deaccelerator Slow [0.3, 0.6]\n"
    )
    r = _round_trips(text)
    assert r.diagnostics == []
    m = r.map
    assert m.evolution_labels == ["Uncharted", "Emerging", "Good", "Best"]
    assert [n.text for n in m.notes] == ["A note with [brackets]", "two\nlines"]
    assert m.annotations[0].points == [(0.43, 0.49), (0.08, 0.79)]
    assert m.annotations[1].text == "Hot water"
    assert [a.kind for a in m.areas] == ["pioneers", "settlers", "townplanners"]
    assert m.components[0].kind is ComponentKind.SUBMAP and m.urls[0].url == "https://example.com/a]b"
    assert [a.kind for a in m.accelerators] == ["accelerator", "deaccelerator"]
    assert write_owm(m) == text
    # OWM cuts a plain note at its first " [", so a note holding brackets is quoted.
    m.notes[0].visibility = 0.15
    assert 'note "A note with [brackets]" [0.15, 0.2]' in write_owm(m)


def test_writer_never_lets_free_text_break_a_line() -> None:
    m = WardleyMap(
        title="Title\ncomponent Injected [0.5, 0.5]",
        components=[Component(id="c1", name="A", visibility=0.1, evolution=0.1)],
        links=[Link(id="l1", source="c1", target="c1", context="why\nnote x [0.1, 0.1]")],
        raw_lines=[RawLine(id="r1", text="raw\nline")],
        layout=["title", "c1", "l1", "r1"],
    )
    r = parse_owm(write_owm(m))
    assert _names(r.map) == ["A"] and r.map.notes == []
    assert r.map.title == "Title component Injected [0.5, 0.5]"


def test_hostile_input_does_not_hang_or_raise() -> None:
    inputs = [
        "component " + "(build)" * 50_000,
        "A" + "+'" * 50_000 + "->B",
        "note " + "[" * 100_000,
        '"' + "\\" * 100_000 + '"->x',
        "evolve " + "x " * 50_000 + "0.5",
        "component " + "a " * 100_000 + "[0.1, 0.2]",
        "annotation 1 " + "[[0.1,0.2]," * 20_000,
        "x" * 1_000_000,
        "//" + " //" * 50_000,
        "component a" + " label [1,2]" * 20_000,
        ('"' + " //") * 30_000,
        "A->" + '"' * 50_000 + " // x",
    ]
    start = time.perf_counter()
    for text in inputs:
        r = parse_owm(text, "big.owm")
        assert all(str(d).startswith("big.owm:1: ") and len(d.message) < 300 for d in r.diagnostics)
        assert not any("internal error" in d.message for d in r.diagnostics)
        write_owm(r.map)
    assert time.perf_counter() - start < 5


def test_pipeline_line_inside_another_pipelines_block_stays_inside() -> None:
    """Found by the property tests: a raw 'pipeline' line inside a block was written after
    the '}', where it read back as a second real pipeline (2 pipelines, then 3)."""
    text = "component A [0.5, 0.5]\ncomponent B [0.3, 0.4]\npipeline A\n{\ncomponent X [0.3]\n  pipeline B\n}\n"
    first = parse_owm(text)
    assert len(first.map.pipelines) == 1
    assert [d.line for d in first.diagnostics] == [6]
    written = write_owm(first.map)
    assert written.index("pipeline B") < written.index("}")
    again = parse_owm(written)
    assert len(again.map.pipelines) == 1
    assert write_owm(again.map) == written
