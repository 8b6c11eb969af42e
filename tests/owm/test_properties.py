"""Property tests: any map survives OWM text, and no text makes the parser raise."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osom_desktop.model.wardley import (
    STYLES,
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
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
    Url,
    WardleyMap,
)
from osom_desktop.owm import parse_owm, write_owm
from tests.conftest import OWM_FIXTURES
from tests.property_settings import examples

_SETTINGS = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- maps ----------------------------------------------------------------------------------

# Names people (and fuzzers) write: spaces, keywords at the start, OWM syntax inside,
# quotes, backslashes, line breaks, unicode.
_AWKWARD_NAMES = [
    "buyer",
    "notebook",
    "build tool",
    "component",
    "evolve",
    "note",
    "title",
    "url",
    "market stall",
    "a->b",
    "x; y",
    "C++",
    "A+",
    ">next",
    "'quoted'",
    'say "hi"',
    "C:\\temp\\",
    "Line one\nLine two",
    "tab\there",
    "Thé vert 茶",
    " padded ",
    "a  b",
    "label",
    "Foo label",
    "Foo inertia",
    "(market)",
    "[x]",
    "{",
    "}",
    "//x",
    "/*x",
    "100",
    "0.5 0.6",
    "https://x.y/z",
]
_names = st.one_of(
    st.sampled_from(_AWKWARD_NAMES),
    st.text(min_size=1, max_size=12),
    st.text(alphabet="ab ->+<';[]()\"\\/{}\n", min_size=1, max_size=8),
)
_floats = st.floats(allow_nan=False, allow_infinity=False)
_coords = st.one_of(st.floats(min_value=0, max_value=1), _floats)
# Free text OWM cannot quote: one line, trimmed, and no "//" (OWM reads a comment).
_free_text = st.text(min_size=0, max_size=16).map(lambda t: " ".join(t.split())).filter(lambda t: "//" not in t)
_identifier = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)


@st.composite
def wardley_maps(draw: st.DrawFn) -> WardleyMap:
    """A map with its ``layout`` in an order the parser reproduces, and ids numbered
    in that order (as parsing written text numbers them)."""
    names = draw(st.lists(_names, min_size=0, max_size=8, unique=True))
    evolved_pool = [f"{n} (next)" if i % 2 else f"Evolved\n{n}" for i, n in enumerate(names)]

    def make_component(name: str, child_of: str | None, evolved_name: str) -> Component:
        kind = ComponentKind.COMPONENT if child_of else draw(st.sampled_from(list(ComponentKind)))
        if child_of:
            visibility = draw(st.none() | _coords)
            evolution = draw(st.none() | _coords) if visibility is None else draw(_coords)
        elif draw(st.booleans()):
            visibility, evolution = draw(_coords), draw(_coords)
        else:
            visibility = evolution = None
        evolve = None
        if draw(st.booleans()):
            evolve = Evolve(
                evolution=draw(_floats),
                name=draw(st.none() | st.just(evolved_name)),
                label=draw(st.none() | st.builds(Offset, _floats, _floats)),
                method=draw(st.none() | st.sampled_from(list(Method))),
                market=draw(st.booleans()),
                ecosystem=draw(st.booleans()),
            )
        return Component(
            id=f"tmp-{name}",
            name=name,
            kind=kind,
            visibility=visibility,
            evolution=evolution,
            label=draw(st.none() | st.builds(Offset, _floats, _floats)),
            method=draw(st.none() | st.sampled_from(list(Method))),
            inertia=draw(st.booleans()),
            market=draw(st.booleans()),
            ecosystem=draw(st.booleans()),
            evolve=evolve,
            url_ref=draw(st.none() | _identifier) if kind is ComponentKind.SUBMAP else None,
            pipeline_id=child_of,
        )

    # Units: runs of layout slots that stay together (a block pipeline and its children).
    units: list[list[Any]] = []
    components: list[Component] = []
    pipelines: list[Pipeline] = []
    owners: list[Component] = []
    remaining = list(zip(names, evolved_pool, strict=True))  # one evolved name per name
    while remaining:
        name, evolved_name = remaining.pop(0)
        c = make_component(name, None, evolved_name)
        components.append(c)
        units.append([c])
        if c.evolve is not None and draw(st.booleans()):
            units[-1].append(("evolve", c))  # the evolve line right below its component
        if c.kind is ComponentKind.COMPONENT and draw(st.integers(0, 3)) == 0:
            owners.append(c)
    for owner in owners:
        block = draw(st.booleans())
        start_end = draw(st.none() | st.tuples(_coords, _coords))
        p = Pipeline(
            id=f"tmp-p-{owner.name}",
            component_id=owner.id,
            start=start_end[0] if start_end else None,
            end=start_end[1] if start_end else None,
            block=block,
        )
        pipelines.append(p)
        unit: list[Any] = [p]
        if block:
            for _ in range(draw(st.integers(0, min(2, len(remaining))))):
                name, evolved_name = remaining.pop(0)
                child = make_component(name, p.id, evolved_name)
                components.append(child)
                unit.append(child)
                if child.evolve is not None and draw(st.booleans()):
                    unit.append(("evolve", child))  # inside the block
            unit.append(("end", p))  # the "}" closing the block has its own slot
        units.append(unit)
    # Every evolve has a slot (parsing always gives one); the rest go anywhere at all.
    placed = {id(item[1]) for unit in units for item in unit if isinstance(item, tuple) and item[0] == "evolve"}
    for c in components:
        if c.evolve is not None and id(c) not in placed:
            units.append([("evolve", c)])

    links: list[Link] = []
    if components:
        for _ in range(draw(st.integers(0, 6))):
            s = draw(st.sampled_from(components))
            t = draw(st.sampled_from(components))
            flow = draw(st.none() | st.sampled_from(list(FlowDirection)))
            value = draw(st.none() | st.text(max_size=6).filter(lambda v: not set(v) & set("'\n\r")))
            link = Link(
                id="tmp",
                source=s.id,
                target=t.id,
                context=draw(st.none() | _free_text.filter(bool)),
                flow=flow,
                flow_value=value if flow is not None else None,
                source_evolved=bool(s.evolve and s.evolve.name and draw(st.booleans())),
                target_evolved=bool(t.evolve and t.evolve.name and draw(st.booleans())),
            )
            links.append(link)
            units.append([link])
    notes = [
        Note(id="tmp", text=draw(_names | st.just("")), visibility=draw(_coords), evolution=draw(_coords))
        for _ in range(draw(st.integers(0, 2)))
    ]
    annotations = [
        Annotation(
            id="tmp",
            number=draw(st.integers(-5, 99)),
            points=draw(st.lists(st.tuples(_coords, _coords), min_size=1, max_size=3)),
            text=draw(_free_text),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    areas = [
        Area(id="tmp", kind=draw(st.sampled_from(list(AreaKind))), top=draw(_coords), left=draw(_coords),
             bottom=draw(_coords), right=draw(_coords))
        for _ in range(draw(st.integers(0, 2)))
    ]
    accelerators = [
        Accelerator(id="tmp", kind=draw(st.sampled_from(list(AcceleratorKind))), name=draw(_names),
                    visibility=draw(_coords), evolution=draw(_coords))
        for _ in range(draw(st.integers(0, 2)))
    ]
    urls = [
        Url(id="tmp", name=draw(_names), url=draw(_free_text))
        for _ in range(draw(st.integers(0, 2)))
    ]
    raws = [
        RawLine(id="tmp", text=draw(st.sampled_from(["", "   ", "// a comment", "  // indented", "/* block */"])),
                kind=RawKind.BLANK)
        for _ in range(draw(st.integers(0, 3)))
    ]
    for r in raws:
        r.kind = RawKind.BLANK if not r.text.strip() else RawKind.COMMENT
    for group in (notes, annotations, areas, accelerators, urls, raws):
        units.extend([e] for e in group)
    singles = {
        "title": draw(st.none() | _free_text),
        "evolution": draw(st.none() | st.lists(_free_text.filter(lambda t: "->" not in t), min_size=4, max_size=4)),
        "style": draw(st.none() | st.sampled_from(STYLES)),
        "annotations": draw(st.none() | st.tuples(_coords, _coords)),
    }
    units.extend([slot] for slot, value in singles.items() if value is not None)

    order = draw(st.permutations(units))
    # A pipeline line must follow its component's line.
    for unit in list(order):
        if isinstance(unit[0], Pipeline):
            owner_unit = next(u for u in order if u[0] is not unit[0] and isinstance(u[0], Component)
                              and u[0].id == unit[0].component_id)
            if order.index(owner_unit) > order.index(unit):
                order.remove(unit)
                order.insert(order.index(owner_unit) + 1, unit)

    # Renumber in layout order, as the parser does.
    new_ids: dict[int, str] = {}
    counters: dict[str, int] = {}
    layout_items = [item for unit in order for item in unit]

    def next_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    prefixes = [(Component, "c"), (Link, "l"), (Pipeline, "p"), (Note, "n"), (Annotation, "a"), (Area, "pst"),
                (Accelerator, "acc"), (Url, "u"), (RawLine, "r")]
    for item in layout_items:
        for cls, prefix in prefixes:
            if isinstance(item, cls):
                new_ids[id(item)] = next_id(prefix)
    old_to_new = {c.id: new_ids[id(c)] for c in components}
    old_to_new.update({p.id: new_ids[id(p)] for p in pipelines})
    for item in layout_items:
        if isinstance(item, (str, tuple)):
            continue
        item.id = new_ids[id(item)]
    for c in components:
        if c.pipeline_id is not None:
            c.pipeline_id = old_to_new[c.pipeline_id]
    for p in pipelines:
        p.component_id = old_to_new[p.component_id]
    for lk in links:
        lk.source, lk.target = old_to_new[lk.source], old_to_new[lk.target]

    def in_order(group: list[Any]) -> list[Any]:
        return sorted(group, key=lambda e: layout_items.index(e))

    layout = []
    for item in layout_items:
        if isinstance(item, str):
            layout.append(item)
        elif isinstance(item, tuple):
            layout.append(f"{item[1].id}#{item[0]}")
        else:
            layout.append(item.id)
    return WardleyMap(
        title=singles["title"],
        evolution_labels=singles["evolution"],
        style=singles["style"],
        annotations_legend=singles["annotations"],
        components=in_order(components),
        links=in_order(links),
        pipelines=in_order(pipelines),
        notes=in_order(notes),
        annotations=in_order(annotations),
        areas=in_order(areas),
        accelerators=in_order(accelerators),
        urls=in_order(urls),
        raw_lines=in_order(raws),
        layout=layout,
    )


def not_range_warnings(diagnostics: list[Any]) -> list[Any]:
    """Diagnostics other than "off the map" warnings: generated maps put elements
    anywhere, and such a warning says nothing about the round trip."""
    return [d for d in diagnostics if not (d.severity == "warning" and "is off the map" in d.message)]


@_SETTINGS
@given(wardley_maps())
def test_any_map_survives_owm_text(m: WardleyMap) -> None:
    text = write_owm(m)
    result = parse_owm(text, "generated.owm")
    assert not_range_warnings(result.diagnostics) == [], text
    assert result.map == m, text
    assert write_owm(result.map) == text


@_SETTINGS
@given(wardley_maps(), st.randoms(use_true_random=False))
def test_writer_copes_with_any_layout(m: WardleyMap, rnd: Any) -> None:
    """A shuffled, partial layout (elements added or moved by editing) still gives
    text that reads back as the same elements."""
    layout = list(m.layout)
    rnd.shuffle(layout)
    del layout[: rnd.randint(0, len(layout))]
    shuffled = replace(m, layout=layout + ["deleted-element"])
    result = parse_owm(write_owm(shuffled))
    assert not_range_warnings(result.diagnostics) == []
    got, want = result.map, m

    def key(c: Component) -> tuple[Any, ...]:
        return (c.name, c.kind, c.visibility, c.evolution, c.label, c.method, c.inertia, c.market,
                c.ecosystem, c.evolve, c.url_ref, c.pipeline_id is not None)

    assert sorted(map(key, got.components), key=repr) == sorted(map(key, want.components), key=repr)
    assert len(got.links) == len(want.links) and len(got.pipelines) == len(want.pipelines)
    assert (got.title, got.style, got.evolution_labels) == (want.title, want.style, want.evolution_labels)


# -- text -------------------------------------------------------------------------------------

_DIAGNOSTIC = re.compile(r"^fuzz\.owm:\d+: .+")
_FIXTURE_TEXTS = [p.read_text(encoding="utf-8") for p in OWM_FIXTURES]


def _check_never_raises(text: str) -> None:
    result = parse_owm(text, "fuzz.owm")
    n_lines = text.count("\n") + 1
    for d in result.diagnostics:
        assert _DIAGNOSTIC.match(str(d)), str(d)
        assert 1 <= d.line <= n_lines
        assert "internal error" not in d.message, d.message
    written = write_owm(result.map)
    # Whatever was read, written and read again is the same map.
    again = parse_owm(written)
    assert again.map == result.map, written
    assert write_owm(again.map) == written


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    _check_never_raises(text)


@settings(max_examples=examples(150), deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check_never_raises(data.decode("utf-8", errors="replace"))


_owm_ish = st.sampled_from(
    ["component ", "anchor ", "evolve ", "->", "+>", "+<>", "+'", "'", "[", "]", ",", "0.5", " label ",
     "(build)", "(market)", "inertia", "pipeline ", "{", "}", "\n", "\r\n", '"', "\\", ";", "//", "/*",
     "*/", "note ", "annotation ", "url(", ")", "style ", "title ", "evolution ", "build ", " "]
)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_FIXTURE_TEXTS))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["del_char", "dup_char", "swap_char", "ins", "del_line", "dup_line",
                                   "swap_lines"]))
        if op.endswith("line") or op == "swap_lines":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "del_line":
                del lines[i]
            elif op == "dup_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif text:
            i = draw(st.integers(0, len(text) - 1))
            if op == "del_char":
                text = text[:i] + text[i + 1 :]
            elif op == "dup_char":
                text = text[:i] + text[i] + text[i:]
            elif op == "swap_char" and i + 1 < len(text):
                text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            else:
                text = text[:i] + draw(_owm_ish | st.text(max_size=3)) + text[i:]
    return text


@settings(max_examples=examples(300), deadline=None)
@given(mutated_fixture())
def test_mutated_fixtures_never_raise(text: str) -> None:
    _check_never_raises(text)
