"""write_catalogue: a Catalogue -> TOML text a person can read and edit.

Hand-written rather than a dependency: the schema is flat (one table, one array of
tables, strings and dates), so the only subtle part is escaping strings, done here to
the TOML 1.0 rules and proven by a round-trip property test through ``tomllib``.
Texts with line breaks are written as multi-line strings so a long guidance text
reads as paragraphs in the file, not as one line full of ``\\n``.
"""

from __future__ import annotations

import datetime as dt

from osom_desktop.guidance.catalogue import Catalogue, CatalogueError
from osom_desktop.model.service import GuidanceItem

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escaped(text: str, keep_newlines: bool) -> str:
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:  # other control characters are not allowed raw
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:  # TOML (and UTF-8) cannot hold a lone surrogate
            raise CatalogueError("<catalogue>", None, f"not written: a text holds an unpaired surrogate (U+{code:04X})")
        else:
            out.append(ch)
    return "".join(out)


def toml_string(text: str) -> str:
    """``text`` as a TOML string literal: basic, or multi-line basic if it has line breaks."""
    if "\n" in text:
        # The newline right after the opening quotes is dropped by TOML readers, so the
        # text starts on its own line; every '"' is escaped, so no run of three can close early.
        return '"""\n' + _escaped(text, keep_newlines=True) + '"""'
    return '"' + _escaped(text, keep_newlines=False) + '"'


def _value(value: str | dt.date) -> str:
    return value.isoformat() if isinstance(value, dt.date) else toml_string(value)


def _entry(item: GuidanceItem) -> list[str]:
    lines = ["[[guidance]]"]
    for key in ("id", "version", "title", "text", "source", "published"):
        value = getattr(item, key)
        if key in ("id", "version", "title") or value:  # required always; optional only when set
            lines.append(f"{key} = {_value(value)}")
    return lines


def write_catalogue(catalogue: Catalogue) -> str:
    """The catalogue as TOML; ``parse_catalogue`` of the result gives it back equal."""
    lines = ["# OSOM guidance catalogue: see docs/guidance-catalogue.md for the format.", ""]
    head = [(k, getattr(catalogue, k)) for k in ("title", "publisher", "published")]
    if any(v for _, v in head):
        lines.append("[catalogue]")
        lines.extend(f"{k} = {_value(v)}" for k, v in head if v)
        lines.append("")
    for item in catalogue.items:
        lines.extend(_entry(item))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
