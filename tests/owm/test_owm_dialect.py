"""Maps written by people for OnlineWardleyMaps (OWM), read as OWM reads them: each test
is a line real maps hold that we used to read differently from OWM's own engine."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from osom_desktop.model.wardley import RawKind
from osom_desktop.owm import parse_owm, write_owm
from osom_desktop.owm.textfile import read_text_file
from tests.property_settings import examples


def _one(text: str):
    r = parse_owm(text)
    assert write_owm(r.map) == text  # and nothing of it is lost or rewritten
    return r


# -- 1. "//" anywhere starts a comment ---------------------------------------------------


def test_commented_out_pipeline_span_is_a_pipeline_without_span() -> None:
    r = _one("component A [0.5, 0.6]\npipeline A // [0.2, 0.8]\n")
    (pipeline,) = r.map.pipelines
    assert (pipeline.start, pipeline.end) == (None, None)
    assert r.diagnostics == []


def test_commented_out_coordinates_leave_the_component_unplaced() -> None:
    r = _one("component A // [0.5, 0.5]\n")
    (a,) = r.map.components
    assert (a.name, a.visibility, a.evolution) == ("A", None, None)


def test_url_lines_keep_their_double_slash() -> None:
    r = _one("url site [https://example.com]\n")
    assert r.map.urls[0].url == "https://example.com"


# -- 2. a name declared twice ------------------------------------------------------------


def test_redeclared_component_adds_its_inertia_drawn_on_its_own() -> None:
    r = _one("component A [0.5, 0.5]\ncomponent A [0.5, 0.5] inertia\ncomponent B [0.4, 0.4]\nA->B\n")
    assert [(c.name, c.inertia) for c in r.map.components] == [("A", False), ("A", True), ("B", False)]
    assert [d.severity for d in r.diagnostics] == ["warning"]


# -- 3. decorations -----------------------------------------------------------------------


def test_colour_decoration_keeps_the_component_and_its_links() -> None:
    r = _one("component A [0.5, 0.5] color(#FF0000)\ncomponent B [0.4, 0.4]\nA->B\n")
    assert [c.name for c in r.map.components] == ["A", "B"] and len(r.map.links) == 1
    assert [d.severity for d in r.diagnostics] == ["warning"]


def test_combined_decorations_as_documented_by_owm() -> None:
    r = _one("component A [0.5, 0.5] (market, outsource)\ncomponent B [0.3, 0.3] (ecosystem, build)\n")
    a, b = r.map.components
    assert a.market and a.method == "outsource"
    assert b.ecosystem and b.method == "build"
    assert r.diagnostics == []


# -- 4. lines dropped until now ---------------------------------------------------------


def test_inline_evolve() -> None:
    r = _one("component X [0.6, 0.8] evolve 0.9\n")
    (x,) = r.map.components
    assert x.evolve is not None and x.evolve.evolution == 0.9
    x.evolve.evolution = 0.95  # written afresh: the evolve gets its own line
    assert write_owm(r.map) == "component X [0.6, 0.8]\nevolve X 0.95\n"


def test_decoration_between_quoted_name_and_coordinates() -> None:
    r = _one('component "X" (legacy) [0.55, 0.74]\n')
    (x,) = r.map.components
    assert (x.name, x.visibility, x.evolution) == ("X", 0.55, 0.74)


def test_note_with_its_coordinates_written_twice_uses_the_first() -> None:
    r = _one("note hello [0.1, 0.2] [0.3, 0.4]\n")
    (note,) = r.map.notes
    assert (note.text, note.visibility, note.evolution) == ("hello", 0.1, 0.2)


def test_pipeline_line_above_its_component() -> None:
    r = _one("pipeline Q [0.1, 0.3]\ncomponent Q [0.4, 0.5]\n")
    (pipeline,) = r.map.pipelines
    assert pipeline.component_id == r.map.components[0].id and (pipeline.start, pipeline.end) == (0.1, 0.3)
    assert r.diagnostics == []


def test_accelerator_without_coordinates_sits_where_owm_puts_it() -> None:
    r = _one("accelerator Foo\n")
    (acc,) = r.map.accelerators
    assert (acc.name, acc.visibility, acc.evolution) == ("Foo", 0.9, 0.1)


def test_size_is_read() -> None:
    r = _one("size [800, 600]\n")
    assert r.map.size == (800, 600) and r.diagnostics == []


# -- 5. the 2026 axis syntax ------------------------------------------------------------


def test_hidden_evolution_axis_with_an_empty_stage_label() -> None:
    r = _one("evolution --hide Phase 1->Phase 2->->Phase 4\n")
    assert r.map.evolution_axis_hidden
    assert r.map.evolution_labels == ["Phase 1", "Phase 2", "", "Phase 4"]
    assert r.diagnostics == []


def test_hidden_value_chain_axis() -> None:
    r = _one("valuechain --hide\n")
    assert r.map.value_chain_hidden and r.diagnostics == []
    r = parse_owm("valuechain --show\n")
    assert not r.map.value_chain_hidden and r.diagnostics[0].severity == "error"


# -- 6. bad input -----------------------------------------------------------------------


def test_huge_annotation_number_is_one_error_on_its_line() -> None:
    r = parse_owm("annotation 99999999999999999999 [0.1, 0.2] x\ncomponent A [0.1, 0.2]\n")
    assert [(d.line, d.severity) for d in r.errors] == [(1, "error")]
    assert r.map.annotations == [] and r.map.raw_lines[0].kind is RawKind.UNKNOWN
    assert len(r.map.components) == 1


def test_control_characters_are_escaped_in_messages() -> None:
    r = parse_owm("\x1b[31mcomponent\x07 A [0.1, 0.2]\n", "map\x1b.owm")
    text = str(r.diagnostics[0])
    assert "\x1b" not in text and "\x07" not in text and "\\x1b" in text


def test_unclosed_block_comment_is_reported_on_its_line() -> None:
    r = _one("component A [0.1, 0.2]\n/* started\ncomponent B [0.3, 0.4]\n")
    assert [(d.line, d.severity) for d in r.diagnostics] == [(2, "warning")]
    assert [c.name for c in r.map.components] == ["A"]


def test_utf16_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "map.owm"
    path.write_bytes(codecs.BOM_UTF16_LE + "title Thé\ncomponent A [0.1, 0.2]\n".encode("utf-16-le"))
    assert read_text_file(path) == "title Thé\ncomponent A [0.1, 0.2]\n"


# -- 7. links to commented-out components -----------------------------------------------


def test_links_to_commented_out_components_are_one_warning_naming_them() -> None:
    text = (
        "component A [0.1, 0.2]\n"
        "// component Gone [0.3, 0.4]\n"
        "/*\ncomponent Old [0.5, 0.5]\n*/\n"
        "A->Gone\nGone->A\nA->Old\n"
    )
    r = _one(text)
    assert r.errors == []
    (warning,) = r.diagnostics
    assert warning.line == 6 and "3 links" in warning.message
    assert "'Gone'" in warning.message and "'Old'" in warning.message


# -- 8. writing -------------------------------------------------------------------------


def test_unchanged_lines_are_written_back_byte_for_byte() -> None:
    text = "component Cup of Tea [0.70, 0.60]\ncomponent A (B) [0.5,0.5]\ncup of tea -> A (B)\nevolve A (B) 0.80\n"
    r = parse_owm(text)
    assert write_owm(r.map) == text
    r.map.components[0].visibility = 0.75
    assert write_owm(r.map).splitlines()[0] == "component Cup of Tea [0.75, 0.6]"


def test_names_with_parentheses_are_written_plain() -> None:
    r = parse_owm("component A (B) [0.5, 0.5]\nevolve A (B) 0.8\n")
    r.map.owm_source.clear()
    # Quoted, OWM would reset the evolve target to 0.85; plain, it reads the same name.
    assert write_owm(r.map) == "component A (B) [0.5, 0.5]\nevolve A (B) 0.8\n"


# -- osom check, as a person runs it ----------------------------------------------------


def _osom(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


def test_check_passes_a_map_whose_only_oddity_is_commented_out_components(tmp_path: Path) -> None:
    path = tmp_path / "map.owm"
    path.write_text("component A [0.1, 0.2]\n// component Gone [0.3, 0.4]\nA->Gone\nGone->A\n", encoding="utf-8")
    run = _osom("check", path)
    assert run.returncode == 0, run.stdout + run.stderr
    warnings = [ln for ln in run.stdout.splitlines() if "commented out" in ln]
    assert len(warnings) == 1 and "'Gone'" in warnings[0] and f"{path}:3:" in warnings[0]


def test_check_fails_a_map_with_a_huge_annotation_number_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "map.owm"
    path.write_text("component A [0.1, 0.2]\nannotation 99999999999999999999 [0.1, 0.2] x\n", encoding="utf-8")
    run = _osom("check", path)
    assert run.returncode == 1 and f"{path}:2:" in run.stdout and "Traceback" not in run.stderr
    out = tmp_path / "map.osom"
    imported = _osom("import", path, "-o", out)
    assert imported.returncode == 0, imported.stderr


def test_block_of_a_pipeline_naming_no_component_stays_raw_with_its_evolve() -> None:
    text = "pipeline Power [0.1,0.1]\n{\ncomponent Wind [0.72]\nevolve Wind 0.65\n}\ncomponent X [0.1, 0.2]\n"
    r = _one(text)
    assert [c.name for c in r.map.components] == ["X"] and r.map.pipelines == []
    assert parse_owm(write_owm(r.map)).map == r.map


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=st.sampled_from("abcAB1 éx-><;/[]()\"\\'+\tnotebuylabelinertiaurl"), max_size=14))
def test_fast_plain_name_check_agrees_with_the_writer(name: str) -> None:
    # The parser decides "written as is" for most lines with a cheap check of each name;
    # it must agree with the writer's own quoting rules, or a line would be rewritten.
    from osom_desktop.owm.line_forms import plain_at_ends
    from osom_desktop.owm.names import link_end_texts, needs_quotes

    as_source, as_target = link_end_texts(name) if name else ("", "")
    if name:
        assert plain_at_ends(name) == (as_source == name, as_target == name, not needs_quotes(name))


def test_a_lone_carriage_return_inside_a_line_reads_as_a_space() -> None:
    """Found by the mutated-fixture property test: ``title T\\rea Shop`` was read with the CR
    and written with a space (free text has no quoted form), so the map read back differed."""
    for text in ["title T\rea Shop\n", "component A [0.5, 0.5]\ncomponent B [0.4, 0.4]\nA->B; ctx\rx\n",
                 "annotation 1 [0.5, 0.5] x\ry\n", "note A\rB [0.5, 0.5]\r\n"]:
        first = parse_owm(text, "cr.owm")
        written = write_owm(first.map)
        assert "\r" not in written
        assert parse_owm(written).map == first.map, written
    assert parse_owm("title T\rea Shop\n").map.title == "T ea Shop"
