"""Loading, checking and writing the executive's guidance catalogue (TOML)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osom_desktop.guidance import (
    EXAMPLE_CATALOGUE,
    Catalogue,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
    write_catalogue,
)
from osom_desktop.model.service import GuidanceItem
from osom_desktop.samples import sample_document
from tests.property_settings import examples


def toml(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def error_of(text: str, filename: str = "cat.toml") -> str:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(toml(text), filename)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    return message


GOOD = """
[catalogue]
title = "Guidance"

[[guidance]]
id = "G-1"
version = "1"
title = "First"

[[guidance]]
id = "G-2"
version = "3"
title = "Second"
published = 2026-01-05
"""

# -- the example we ship -----------------------------------------------------------------


def test_example_catalogue_loads_with_unique_ids() -> None:
    cat = load_catalogue(EXAMPLE_CATALOGUE)
    assert cat.path == EXAMPLE_CATALOGUE
    assert cat.title == "Executive guidance catalogue" and cat.publisher == "OSOM Executive"
    assert cat.published == dt.date(2026, 3, 1)
    assert 7 <= len(cat.items) <= 10
    assert len({it.id for it in cat.items}) == len(cat.items)
    assert all(it.text and it.source and it.published for it in cat.items)


def test_example_g014_is_what_the_sample_service_decided_on() -> None:
    """The sample's rejection was of G-014 v2: the example catalogue publishes exactly that."""
    cat = load_catalogue(EXAMPLE_CATALOGUE)
    snapshot = sample_document().decisions[0].guidance
    assert cat.item("G-014") == snapshot


# -- round trip ------------------------------------------------------------------------


def test_example_round_trips_through_writer() -> None:
    cat = load_catalogue(EXAMPLE_CATALOGUE)
    again = parse_catalogue(write_catalogue(cat))
    assert again.items == cat.items
    assert (again.title, again.publisher, again.published) == (cat.title, cat.publisher, cat.published)


def test_writer_makes_readable_multiline_text() -> None:
    item = GuidanceItem(id="G-9", title='Say "hi"', text='Line one\nLine two with \\ and """ quotes"')
    out = write_catalogue(Catalogue(items=[item]))
    assert 'title = "Say \\"hi\\""' in out
    assert "Line one\nLine two" in out  # a real line break in the file, not \n
    assert parse_catalogue(out).items == [item]


_texts = st.text(max_size=80)
_names = st.text(min_size=1, max_size=40).map(str.strip).filter(bool)
_dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
_items = st.builds(
    GuidanceItem, id=_names, version=_names, title=_names, text=_texts, source=_texts, published=_dates
)


@settings(max_examples=examples(300), deadline=None)
@given(
    title=_texts,
    publisher=_texts,
    published=_dates,
    items=st.lists(_items, max_size=5, unique_by=lambda it: it.id),
)
def test_any_catalogue_round_trips(
    title: str, publisher: str, published: dt.date | None, items: list[GuidanceItem]
) -> None:
    cat = Catalogue(title=title, publisher=publisher, published=published, items=items)
    assert parse_catalogue(write_catalogue(cat), "x.toml") == cat


# -- what parses -------------------------------------------------------------------------


def test_optional_fields_default_and_catalogue_table_is_optional() -> None:
    cat = parse_catalogue(toml('[[guidance]]\nid = "A"\nversion = "1"\ntitle = "T"\n'))
    assert cat.title == "" and cat.published is None and cat.path is None
    assert cat.items == [GuidanceItem(id="A", version="1", title="T")]


def test_empty_file_is_an_empty_catalogue() -> None:
    assert parse_catalogue("") == Catalogue()


def test_quoted_iso_date_is_accepted() -> None:
    cat = parse_catalogue(toml('[[guidance]]\nid = "A"\nversion = "1"\ntitle = "T"\npublished = "2026-03-01"\n'))
    assert cat.items[0].published == dt.date(2026, 3, 1)


def test_parse_keeps_order() -> None:
    assert [it.id for it in parse_catalogue(toml(GOOD)).items] == ["G-1", "G-2"]


# -- errors: one line, file and line --------------------------------------------------------


def test_toml_syntax_error_is_file_line_message() -> None:
    msg = error_of('[[guidance]]\nid = "A"\nversion "1"\n')
    assert msg.startswith("cat.toml:3: not valid TOML: ")
    assert "column" in msg


def test_unterminated_multiline_string_points_at_its_start() -> None:
    msg = error_of('[[guidance]]\nid = "A"\ntext = """\nnever\nclosed\n\n')
    assert msg.startswith("cat.toml:3: not valid TOML: a string is opened here but never closed")


def test_error_at_end_of_document_names_last_line() -> None:
    msg = error_of('[[guidance]]\nid = "A"\nversion =')
    assert msg.startswith("cat.toml:3: not valid TOML: ")


def test_missing_id_points_at_entry_header() -> None:
    msg = error_of(GOOD + '\n[[guidance]]\nversion = "1"\ntitle = "Third"\n')
    assert msg == "cat.toml:15: guidance entry 3 has no id (every entry needs id, version, title)"


def test_missing_title_names_the_entry() -> None:
    msg = error_of('[[guidance]]\nid = "A"\nversion = "1"\n')
    assert msg.startswith("cat.toml:1: guidance 'A' has no title")


def test_empty_id_is_refused() -> None:
    assert error_of('[[guidance]]\nid = "  "\nversion = "1"\ntitle = "T"\n').startswith("cat.toml:2: id of")


def test_wrong_type_names_field_and_line() -> None:
    msg = error_of('[[guidance]]\nid = "A"\nversion = 2\ntitle = "T"\n')
    assert msg == "cat.toml:3: version of guidance 'A' must be text in quotes, e.g. version = \"2\" (got a number)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"1 March 2026"', "got text '1 March 2026'"),
        ("2026-03-01T10:00:00", "got a date with a time"),
        ('"2026-02-30"', "not a real date"),
        ("20260301", "got a number"),
    ],
)
def test_bad_date_names_field_and_line(value: str, expected: str) -> None:
    msg = error_of(f'[[guidance]]\nid = "A"\nversion = "1"\ntitle = "T"\n\npublished = {value}\n')
    assert msg.startswith("cat.toml:6: published of guidance 'A' ")
    assert expected in msg


def test_bad_catalogue_date() -> None:
    msg = error_of('[catalogue]\ntitle = "C"\npublished = "soon"\n')
    assert msg.startswith("cat.toml:3: published of [catalogue] must be a date")


def test_duplicate_id_names_both_lines() -> None:
    msg = error_of(GOOD + '\n[[guidance]]\ntitle = "Again"\nid = "G-1"\nversion = "2"\n')
    assert msg == "cat.toml:17: guidance id 'G-1' is used twice (lines 5 and 17); each item needs its own id"


def test_unknown_field_names_field_and_line() -> None:
    msg = error_of(GOOD.replace('title = "Second"', 'title = "Second"\nsummary = "x"'))
    assert msg.startswith("cat.toml:13: unknown field 'summary' in guidance 'G-2' (known fields: id, version")


def test_unknown_field_as_subtable_points_at_its_header() -> None:
    msg = error_of(GOOD + '\n[guidance.links]\nurl = "https://example.org"\n')
    assert msg.startswith("cat.toml:15: unknown field 'links' in guidance 'G-2'")


def test_unknown_catalogue_field_and_top_level_table() -> None:
    assert error_of('[catalogue]\nauthor = "me"\n').startswith("cat.toml:2: unknown field 'author' in [catalogue]")
    msg = error_of(GOOD + '\n[[guidence]]\nid = "typo"\n')
    assert msg.startswith("cat.toml:15: unknown table or key 'guidence'")


def test_single_bracket_guidance_is_explained() -> None:
    msg = error_of('[guidance]\nid = "A"\nversion = "1"\ntitle = "T"\n')
    assert msg.startswith("cat.toml:1: guidance entries are tables written [[guidance]]")


def test_lines_are_right_after_strings_that_look_like_toml() -> None:
    """Strings holding '[[guidance]]' and 'id = ...', comments and arrays must not shift the count."""
    lines = [
        "[catalogue]",
        "title = ''''",  # a multi-line literal string with a quote at each end
        "[[guidance]]",
        "id = \"fake\"'''''",
        r'publisher = "esc \" [[guidance]]"',
        "[[guidance]]",
        'id = "A"',
        'version = "1"',
        'title = "T"',
        'text = """',
        "[[guidance]]",
        'id = "fake" # not a key',
        '"""',
        r"source = 'lit [[guidance]] \' # x",
        "tags = [",  # line 15
        '  "x", # a comment ]',
        '  "y",',
        "]",
    ]
    with pytest.raises(CatalogueError) as info:
        parse_catalogue("\n".join(lines) + "\n", "cat.toml")
    assert str(info.value).startswith("cat.toml:15: unknown field 'tags' in guidance 'A'")


def test_inline_array_form_falls_back_to_the_key_line() -> None:
    msg = error_of('# c\nguidance = [\n  {id = "A", version = "1", title = "T"},\n  {id = "A", version = "1", title = "U"},\n]\n')
    assert msg == "cat.toml:2: guidance id 'A' is used twice; each item needs its own id"


def test_message_stays_one_line_with_newlines_in_values() -> None:
    error_of('[[guidance]]\nid = "A\\nB"\nversion = "1"\ntitle = "T"\npublished = "x\\ny"\n')


# -- files ----------------------------------------------------------------------------------


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"nope\.toml: no such file$"):
        load_catalogue(tmp_path / "nope.toml")
    with pytest.raises(CatalogueError, match="is a folder"):
        load_catalogue(tmp_path)
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'[catalogue]\ntitle = "caf\xe9"\n')
    with pytest.raises(CatalogueError, match=r"latin\.toml:2: not UTF-8 text"):
        load_catalogue(bad)


def test_load_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + toml(GOOD).encode())
    assert len(load_catalogue(path).items) == 2


def test_written_file_loads_back(tmp_path: Path) -> None:
    cat = load_catalogue(EXAMPLE_CATALOGUE)
    path = tmp_path / "copy.toml"
    path.write_text(write_catalogue(cat), encoding="utf-8")
    again = load_catalogue(path)
    assert again.items == cat.items and again.path == path


def test_guidance_package_imports_no_qt() -> None:
    code = (
        "import sys, osom_desktop.guidance\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


_JUNK = st.text(alphabet=list("[]{}\"'=#.\n \\abc,1-"), max_size=12)


@settings(max_examples=examples(300), deadline=None)
@given(pos=st.integers(0, 4000), cut=st.integers(0, 40), junk=_JUNK)
def test_damaged_catalogue_is_only_ever_a_one_line_error(pos: int, cut: int, junk: str) -> None:
    """Any edit of the example either loads or raises CatalogueError: the line scanner,
    which also runs on broken text to find an unterminated string, always finishes."""
    base = EXAMPLE_CATALOGUE.read_text(encoding="utf-8")
    text = base[:pos] + junk + base[pos + cut :]
    try:
        parse_catalogue(text, "f.toml")
    except CatalogueError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("f.toml:")
