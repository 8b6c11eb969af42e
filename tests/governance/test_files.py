"""Criteria catalogues and mandate files are untrusted: one line per problem, naming
file, line and field; nothing recorded in a service file changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from osom_desktop.governance import load_criteria, load_mandates, parse_criteria, parse_mandates, scale_problems, shipped_sets
from osom_desktop.governance.criteria import criteria_text
from osom_desktop.guidance import CatalogueError
from osom_desktop.paths import RESOURCES
from osom_desktop.storage import open_document, save_document
from tests.governance.records import governed_document

GOOD = """[set]
id = "s"
title = "Set"
scale = "met-not-met"
applies_to = ["alpha->beta"]

[[criterion]]
id = "a"
title = "First"
"""


def test_shipped_sets_load_with_their_sizes() -> None:
    sets = {s.id: s for s in shipped_sets()}
    assert len(sets["uk-service-standard"].criteria) == 14
    doctrine = sets["wardley-doctrine"]
    assert len(doctrine.criteria) == 40
    assert len({c.group for c in doctrine.criteria}) == 4
    assert sets["osom-common"].scale == "red-amber-green"


def test_shipped_mandates_load() -> None:
    mandates = load_mandates(RESOURCES / "mandates" / "example-mandates.toml")
    assert [m.id for m in mandates] == ["M-2026-01", "M-2026-02"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + 'colour = "red"\n', "f.toml:10: unknown field 'colour' in criterion 'a'"),
        (GOOD.replace('scale = "met-not-met"', "scale = 5"), "f.toml:4: scale of [set] must be text"),
        (GOOD.replace("met-not-met", "traffic"), "f.toml:4: scale 'traffic' is not one of"),
        (GOOD + '\n[[criterion]]\nid = "a"\ntitle = "Again"\n', "f.toml:12: criterion id 'a' is used twice (lines 8 and 12)"),
        (GOOD.replace('"alpha->beta"', '"alpha->live"'), "f.toml:5: applies_to: 'alpha->live' is not one of"),
        (GOOD.replace('title = "First"', ""), "f.toml:7: criterion 'a' has no title"),
        (GOOD.replace('id = "s"', 'id = "s"\nowner = "x"'), "f.toml:3: unknown field 'owner' in [set]"),
        ("[set\n", "f.toml:1: not valid TOML"),
    ],
)
def test_bad_criteria_are_one_line_naming_file_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(CatalogueError) as err:
        parse_criteria(text, "f.toml")
    assert str(err.value).startswith(expected), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = 2026-13-01\nservices = ["A"]\n', "m.toml:4: not valid TOML"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = "1st May"\nservices = ["A"]\n', "m.toml:4: issued of mandate 'M' must be a date"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = 2026-05-01\nservices = "A"\n', "m.toml:5: services of mandate 'M' must be a list"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = 2026-05-01\ndue = 2026-04-01\nservices = ["A"]\n', "m.toml:5: due of mandate 'M'"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = 2026-05-01\nservices = ["A"]\nurgent = true\n', "m.toml:6: unknown field 'urgent'"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nissued = 2026-05-01\nservices = ["A"]\n'
         '[[mandate]]\nid = "M"\ntitle = "U"\nissued = 2026-05-01\nservices = ["A"]\n', "m.toml:7: mandate id 'M' is used twice"),
        ('[[mandate]]\nid = "M"\ntitle = "T"\nservices = ["A"]\n', "m.toml:1: mandate 'M' has no issued"),
    ],
)
def test_bad_mandates_are_one_line(text: str, expected: str) -> None:
    with pytest.raises(CatalogueError) as err:
        parse_mandates(text, "m.toml")
    assert str(err.value).startswith(expected), str(err.value)


def test_a_scale_that_does_not_match_recorded_decisions_is_reported_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "svc.osom"
    save_document(governed_document(), path)
    before = path.read_bytes()
    doc = open_document(path)
    # The executive changed osom-common's scale after the assessment was recorded.
    changed = tmp_path / "common.toml"
    changed.write_text(GOOD.replace('id = "s"', 'id = "osom-common"').replace("met-not-met", "one-to-five"))
    problems = scale_problems(load_criteria(changed), doc.assessments)
    assert problems == [
        f"{changed}:4: scale 'one-to-five' does not have the decision 'green' recorded for criterion 'users' on 2026-01-10 (the record is kept as it is)",
        f"{changed}:4: scale 'one-to-five' does not have the decision 'amber' recorded for criterion 'reliable' on 2026-01-10 (the record is kept as it is)",
    ]
    assert open_document(path).assessments == doc.assessments
    assert path.read_bytes() == before


def test_a_set_edited_in_the_app_reads_back_the_same() -> None:
    s = shipped_sets()[0]
    s.criteria[0] = type(s.criteria[0])(id="x\"y", title='Quote " and \\ and \x01', text="multi\nline")
    back = parse_criteria(criteria_text(s))
    assert back.criteria == s.criteria and back.applies_to == s.applies_to
