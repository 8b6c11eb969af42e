"""Mermaid wardley-beta: what we write, Mermaid's own parser reads as we meant it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.formats.mermaid import MermaidError, parse_mermaid, write_mermaid
from osom_desktop.model import (
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Url,
    WardleyMap,
)
from osom_desktop.owm import parse_owm
from tests.conftest import OWM_FIXTURES

REPO = Path(__file__).resolve().parents[2]


def _map() -> WardleyMap:
    return WardleyMap(
        title="Tea 100% \"fresh\"",
        components=[
            Component(id="a", name="Business", kind=ComponentKind.ANCHOR, visibility=1, evolution=0),
            Component(id="b", name='Cup "of" Tea', visibility=0.79, evolution=0.61),
            Component(id="c", name="note taker", visibility=1.4, evolution=-0.2, inertia=True),  # outside 0..1
            Component(id="d", name="Kettle -> v2", visibility=0.45, evolution=0.35, ecosystem=True,
                      evolve=Evolve(evolution=0.62, name="Electric Kettle")),
            Component(id="e", name="Site", kind=ComponentKind.SUBMAP, visibility=0.5, evolution=0.5, url_ref="u"),
        ],
        links=[
            Link(id="l1", source="a", target="b"),
            Link(id="l2", source="b", target="c", flow=FlowDirection.FORWARD, flow_value="$5"),
            Link(id="l3", source="b", target="d", context="limited by"),
        ],
        annotations=[Annotation(id="n1", number=1, points=[(0.5, 0.5), (0.6, 0.6)], text="two points")],
        areas=[Area(id="p1", kind=AreaKind.PIONEERS, top=0.9, left=0.1, bottom=0.8, right=0.2)],
        urls=[Url(id="u1", name="u", url="https://example.org")],
        style="wardley",
    )


def test_integers_and_out_of_range_are_written_as_decimals_in_0_to_1(mermaid_parser, tmp_path: Path) -> None:
    text = write_mermaid(_map()).text
    assert 'anchor "Business" [1.0, 0.0]' in text  # OWM's own exporter writes [1, 0]: a syntax error
    assert 'component "note taker" [1.0, 0.0] inertia' in text
    result = mermaid_parser.parse_text(tmp_path, text)
    assert result["ok"], result.get("error")
    assert result["points"][:3] == [[1, 0], [0.79, 0.61], [1, 0]]


def test_mermaid_refuses_integer_coordinates(mermaid_parser, tmp_path: Path) -> None:
    """The reason numbers always carry a point: the real grammar refuses [1, 0]."""
    result = mermaid_parser.parse_text(tmp_path, 'wardley-beta\ncomponent "A" [1, 0]\n')
    assert not result["ok"] and "WARDLEY_NUMBER" in result["error"]


def test_a_link_label_keeps_its_percent_signs(mermaid_parser, tmp_path: Path) -> None:
    m = _map()
    m.links[2].context = "limited by %% of staff"
    text = write_mermaid(m).text
    assert mermaid_parser.parse_text(tmp_path, text)["links"][2][3] == "limited by %% of staff"
    assert parse_mermaid(text).links[2].context == "limited by %% of staff"


TRICKY = ["back\\slash", "tab\there", "two\nlines", "100%% done", "it's", "[x] {y}", "a -> b", "note", "title x",
          "Ünïcødé ☕", "  padded  ", "évolve 0.5"]


def test_any_name_survives_mermaids_parser_and_ours(mermaid_parser, tmp_path: Path) -> None:
    m = WardleyMap(components=[Component(id=f"c{i}", name=n, visibility=0.5, evolution=0.5) for i, n in enumerate(TRICKY)])
    text = write_mermaid(m).text
    result = mermaid_parser.parse_text(tmp_path, text)
    assert result["ok"], result.get("error")
    assert result["names"] == TRICKY
    assert [c.name for c in parse_mermaid(text).components] == TRICKY


def test_names_are_quoted_and_read_back_exactly(mermaid_parser, tmp_path: Path) -> None:
    result = mermaid_parser.parse_text(tmp_path, write_mermaid(_map()).text)
    assert result["names"] == ["Business", 'Cup "of" Tea', "note taker", "Kettle -> v2", "Site"]
    assert result["links"] == [
        ["Business", 'Cup "of" Tea', "->", None],
        ['Cup "of" Tea', "note taker", "+'$5'>", None],
        ['Cup "of" Tea', "Kettle -> v2", "->", "limited by"],
    ]
    assert result["evolves"] == [["Kettle -> v2", 0.62]]
    assert result["stages"] == [["Genesis", 0.175], ["Custom-Built", 0.4], ["Product (+rental)", 0.7],
                                ["Commodity (+utility)", 1]]


def test_what_mermaid_cannot_express_is_reported() -> None:
    losses = "\n".join(write_mermaid(_map()).losses)
    for expected in ("'ecosystem' has no Mermaid form", "no submaps", "pioneers area", "url 'u'",
                     "style wardley", "cannot rename the evolved copy ('Electric Kettle')",
                     "annotation 1: Mermaid takes one point", "component 'note taker': position [1.4, -0.2]"):
        assert expected in losses


@pytest.mark.parametrize("fixture", OWM_FIXTURES, ids=lambda p: p.stem)
def test_every_owm_fixture_exports_to_text_mermaid_accepts(fixture: Path, mermaid_parser, tmp_path: Path) -> None:
    m = parse_owm(fixture.read_text(encoding="utf-8")).map
    result = mermaid_parser.parse_text(tmp_path, write_mermaid(m).text)
    assert result["ok"], result.get("error")
    placed = [c.name for c in m.components if c.pipeline_id is None and c.visibility is not None]
    assert result["names"][: len(placed)] == placed


@pytest.mark.parametrize("fixture", OWM_FIXTURES, ids=lambda p: p.stem)
def test_import_reads_our_export_back(fixture: Path) -> None:
    m = parse_owm(fixture.read_text(encoding="utf-8")).map
    text = write_mermaid(m).text
    back = parse_mermaid(text, "x.mmd")
    assert write_mermaid(back).text == text  # nothing Mermaid can hold is lost on the way in
    drawn = {c.name for c in m.components if c.visibility is not None and c.pipeline_id is None}
    assert drawn <= {c.name for c in back.components}


def test_import_reads_what_mermaid_users_write() -> None:
    text = """%% a comment
wardley-beta
title Tea Shop
size [1100, 800]
evolution Genesis -> Custom Built -> Product / Rental -> Commodity
anchor Business [0.95, 0.63]
component Cup of Tea [0.79, 0.61] label [-19, 4] (buy) inertia
component 'Kettle' [45, 35]
Business -> Cup of Tea ; needs it %% badly
Cup of Tea +<> Kettle
evolve Kettle 0.62
note "Kettles %% are hot" [0.3, 0.3]
annotation 1,[0.5, 0.5] "first"
annotation 1,[0.6, 0.6] "first"
"""
    m = parse_mermaid(text, "shop.mmd")
    assert m.title == "Tea Shop"
    assert m.evolution_labels == ["Genesis", "Custom Built", "Product / Rental", "Commodity"]
    cup, kettle = m.components[1], m.components[2]
    assert (cup.name, cup.method and cup.method.value, cup.inertia, cup.label.dx) == ("Cup of Tea", "buy", True, -19)
    assert (kettle.visibility, kettle.evolution, kettle.evolve.evolution) == (0.45, 0.35, 0.62)  # percentages
    assert m.links[0].context == "needs it %% badly" and m.links[1].flow is FlowDirection.BOTH
    assert m.notes[0].text == "Kettles %% are hot"
    assert m.annotations[0].points == [(0.5, 0.5), (0.6, 0.6)]


@pytest.mark.parametrize(("text", "message"), [
    ("component A [0.1, 0.2]\n", "x.mmd:1: a Mermaid Wardley map starts with 'wardley-beta'"),
    ("wardley-beta\ncomponent A [0.1]\n", "x.mmd:2: cannot read this 'component' line"),
    ("wardley-beta\ncomponent A [0.1, 150.0]\n", "x.mmd:2: evolution 150.0 is outside 0-1"),
    ("wardley-beta\ncomponent A [0.1, 0.2]\nA -> B\n", "x.mmd:3: the link's 'to' end names 'B'"),
    ("wardley-beta\npipeline A {\n", "x.mmd:2: pipeline 'A': no component of that name"),
])
def test_bad_mermaid_is_one_line_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(MermaidError) as err:
        parse_mermaid(text, "x.mmd")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def _osom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_export_and_import_mermaid(tmp_path: Path, mermaid_parser) -> None:
    owm = tmp_path / "map.owm"
    owm.write_text((REPO / "tests/fixtures/owm/damonsk__wardley-maps-examples__PST_Example.owm").read_text())
    done = _osom("import", str(owm), "-o", str(tmp_path / "a.osom"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _osom("export", str(tmp_path / "a.osom"), "--format", "mermaid", "-o", str(tmp_path / "a.mmd"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pioneers area: Mermaid has no pioneer/settler/town planner areas" in done.stderr  # reported
    assert mermaid_parser.parse(tmp_path / "a.mmd")[0]["ok"]
    done = _osom("import", str(tmp_path / "a.mmd"), "-o", str(tmp_path / "b.osom"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    again = _osom("export", str(tmp_path / "b.osom"), "--format", "mermaid", "-o", "-", cwd=tmp_path)
    assert again.stdout == (tmp_path / "a.mmd").read_text()


def test_cli_import_of_bad_mermaid_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mmd"
    bad.write_text("wardley-beta\ncomponent A [0.1, 0.2]\nA -> Nowhere\n")
    done = _osom("import", str(bad), "-o", str(tmp_path / "b.osom"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"osom: {bad}:3: the link's 'to' end names 'Nowhere', which no component has"]
    assert not (tmp_path / "b.osom").exists()
