"""The one place user text is made safe for documents and terminals."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from osom_desktop.model import Component, ServiceDocument, WardleyMap
from osom_desktop.model.service import LifecycleStage
from osom_desktop.model.text_safety import for_document, for_terminal, scrubbed


def test_word_line_and_page_breaks_become_line_breaks() -> None:
    assert for_document("Line one\x0bline two\x0cpage two") == "Line one\nline two\npage two"


def test_other_controls_are_shown_as_escapes() -> None:
    assert for_document("a\x00b\x1b[2Jc\x07d\x7fe\x9bf") == "a\\x00b\\x1b[2Jc\\x07d\\x7fe\\x9bf"
    assert for_document("rtl\u202eoverride") == "rtl\\u202eoverride"
    assert for_document("lone \ud800 surrogate \uffff") == "lone \\ud800 surrogate \\uffff"


def test_clean_text_is_returned_as_is() -> None:
    text = "Tea — Åsa's café\tnext\nline שלום"
    assert for_document(text) is text
    assert for_terminal(text, keep_lines=True) is text
    isolated = "the \u2067שלום\u2069 service"  # right-to-left names need isolates in documents
    assert for_document(isolated) is isolated


@given(st.text())
def test_any_text_goes_into_xml(text: str) -> None:
    safe = for_document(text)
    root = ET.fromstring(f"<t>{safe.replace('&', '&amp;').replace('<', '&lt;')}</t>".encode())
    assert root.tag == "t"


@given(st.text())
def test_any_text_is_inert_on_a_terminal(text: str) -> None:
    safe = for_terminal(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in safe)
    assert not any(ch in safe for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
    safe.encode("utf-8")  # printable: no lone surrogate left to crash the print


def test_terminal_escapes_everything_a_terminal_acts_on() -> None:
    assert for_terminal("Evil\x1b[2J\x1b]0;title\x07\x9b31m") == "Evil\\x1b[2J\\x1b]0;title\\x07\\x9b31m"
    assert for_terminal("two\nlines") == "two\\nlines"
    assert for_terminal("two\nlines\tok", keep_lines=True) == "two\nlines\tok"
    assert for_terminal("\u202eevil") == "\\u202eevil"


def test_scrubbed_copies_only_what_needs_it() -> None:
    doc = ServiceDocument()
    doc.service.name = "Tea\x0bShop"
    doc.service.lifecycle = LifecycleStage.LIVE
    doc.map = WardleyMap(title="Map", components=[Component(id="c1", name="Kettle\x1b")])
    clean = scrubbed(doc)
    assert clean.service.name == "Tea\nShop" and clean.map.components[0].name == "Kettle\\x1b"
    assert clean.service.lifecycle is LifecycleStage.LIVE
    assert doc.service.name == "Tea\x0bShop"  # the original is untouched
    assert clean.contract is doc.contract  # nothing to change: shared, not copied
    plain = ServiceDocument()
    assert scrubbed(plain) is plain
    assert scrubbed({"k\x00": ("a\x07", dt.date(2026, 1, 1))}) == {"k\\x00": ("a\\x07", dt.date(2026, 1, 1))}
