"""Positions off the map are read and kept (OWM keeps them) but said, one warning a line."""

from __future__ import annotations

from osom_desktop.owm import parse_owm, write_owm


def test_a_position_off_the_map_gets_a_warning_naming_line_and_value() -> None:
    text = "title T\ncomponent A [0.30, 0.70]\nanchor X [2, -5]\nnote hi [1.2, 0.5]\nevolve A 1.4\npipeline A [0.2, 1.3]\n"
    result = parse_owm(text, "tea.owm")
    assert [str(d) for d in result.diagnostics] == [
        "tea.owm:3: anchor X: visibility 2, evolution -5 is off the map (positions run from 0 to 1)",
        "tea.owm:4: note: visibility 1.2 is off the map (positions run from 0 to 1)",
        "tea.owm:5: evolve A: evolution 1.4 is off the map (positions run from 0 to 1)",
        "tea.owm:6: pipeline: end 1.3 is off the map (positions run from 0 to 1)",
    ]
    assert all(d.severity == "warning" for d in result.diagnostics)
    assert write_owm(result.map) == text  # kept as written


def test_positions_on_the_edges_are_on_the_map() -> None:
    assert parse_owm("component A [0, 1]\ncomponent B [1, 0]\n").diagnostics == []
