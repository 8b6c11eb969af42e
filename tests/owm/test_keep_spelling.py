"""Numbers stay as the person wrote them unless the element moved (issue 14 item 5)."""

from __future__ import annotations

from osom_desktop.model.wardley import Method, Offset
from osom_desktop.owm import parse_owm, write_owm


def test_an_edit_that_moves_nothing_keeps_the_numbers_as_written() -> None:
    m = parse_owm("component A [0.30, 0.70]\ncomponent B [0.450, 0.5] label [5, -10]\n").map
    a, b = m.components
    a.method = Method.BUY
    b.label = Offset(dx=12, dy=-10)
    assert write_owm(m) == "component A [0.30, 0.70] (buy)\ncomponent B [0.450, 0.5] label [12, -10]\n"


def test_a_moved_element_has_its_position_written_anew_and_its_label_kept() -> None:
    m = parse_owm("component B [0.450, 0.50] label [5.0, -10]\n").map
    m.components[0].evolution = 0.62
    assert write_owm(m) == "component B [0.45, 0.62] label [5.0, -10]\n"


def test_a_name_with_brackets_is_left_alone() -> None:
    m = parse_owm('anchor "X [1]" [0.90, 0.1]\n').map
    m.components[0].label = Offset(dx=1, dy=2)
    assert write_owm(m) == 'anchor "X [1]" [0.90, 0.1] label [1, 2]\n'
