"""User text made safe for each place it is shown: documents we write, and terminals.

People paste names and notes from Word, e-mail and web pages, and with them control
characters: Word's manual line break is a vertical tab (U+000B), its page break a form
feed. XML (so SVG) cannot carry C0 controls other than tab, newline and carriage
return at all; one of them made the pack's SVG unparseable and the whole pack fail.
A terminal obeys ESC/CSI sequences and bidi overrides in a printed name, so a service
named ``"\\x1b[2J"`` cleared the screen of whoever ran ``osom info``.

The rules live here, once; every output calls one of these at its boundary:

* ``for_document(text)``: documents (HTML, SVG, PDF). Word's line and page breaks
  (VT, FF) and NEL become line breaks, as their writer meant; any other control
  character, bidi override, unpaired surrogate or non-character is shown as a visible
  escape (``\\x1b``, ``\\u202e``, ``\\ud800``) so the reader sees something is there and what. No glyph
  is needed that the pack's fonts lack (DejaVu has no Control Pictures block).
* ``scrubbed(obj)``: a copy of a model object (dataclasses, pydantic models, lists,
  dicts) with ``for_document`` applied to every text in it, for drawing code that
  takes objects rather than text.
* ``for_terminal(text)``: text printed to a terminal. Every control character
  (ESC, CSI, BEL, C1, DEL), bidi override and unpaired surrogate is escaped; newlines
  and tabs are escaped too unless kept (a name must not split a one-line message).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x85: "\n"}
_KEPT_IN_DOCUMENTS = {0x09, 0x0A, 0x0D}

# Characters a document cannot carry (XML 1.0 ``Char`` excludes them) or that mean
# nothing to a reader: C0 (but tab, LF, CR), DEL, C1, surrogates, U+FFFE/U+FFFF; and
# the legacy bidi embeddings and overrides (U+202A-U+202E), which, left open in a name,
# turned the rest of the PDF's header line backwards ("kcap ecnanrevog"). Isolates
# (U+2066-U+2069) and the LRM/RLM marks stay: right-to-left names need them.
_DOCUMENT_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff\ufffe\uffff]")

# Bidi embeddings, overrides and isolates reorder the rest of a terminal line
# ("Trojan Source"); LRM/RLM/ALM are invisible marks that do the same in small.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_TERMINAL_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")
_TERMINAL_UNSAFE_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")


_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """One character as Python writes it in a string literal: ``\\x1b``, ``\\u202e``."""
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _for_document_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _LINE_BREAKS.get(ord(ch)) or escape_char(ch)


def for_document(text: str) -> str:
    """``text`` with nothing an HTML, SVG (XML) or PDF file cannot carry or a reader
    cannot see; clean text comes back as it was (the same object)."""
    if not _DOCUMENT_UNSAFE.search(text):
        return text
    return _DOCUMENT_UNSAFE.sub(_for_document_char, text)


def for_terminal(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control sequence, bidi override and unpaired surrogate
    escaped, so printing it cannot move the cursor, clear the screen, retitle the
    window, ring the bell or reorder the line. ``keep_lines``: newlines and tabs stay
    (for output we composed of several lines)."""
    pattern = _TERMINAL_UNSAFE_BUT_LINES if keep_lines else _TERMINAL_UNSAFE
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: escape_char(m.group(0)), text)


def scrubbed(obj: T) -> T:
    """A copy of ``obj`` with ``for_document`` applied to every text in it.

    Walks dataclasses, pydantic models, lists, tuples, sets and dicts; anything else
    (numbers, dates, enums, which are ``str`` subclasses with fixed safe values) is
    shared, not copied. Objects without unsafe text come back as they were, so a
    clean document costs one walk and no copies.
    """
    copy: T = _scrub(obj)  # the walk gives back what it was given (a copy of the same type)
    return copy


@functools.cache
def _dataclass_fields(cls: type) -> tuple[tuple[str, ...], frozenset[str]]:
    fields = dataclasses.fields(cls)
    return tuple(f.name for f in fields), frozenset(f.name for f in fields if f.init)


# Types that hold no text: returned at once (most values of a big map are numbers).
_ATOMS = (int, float, bool, type(None), dt.date, dt.time, dt.timedelta, Enum)


def _scrub(obj: Any) -> Any:
    # Strings and atoms first, inline: they are most of what a document holds.
    if type(obj) is str:
        return for_document(obj) if _DOCUMENT_UNSAFE.search(obj) else obj
    if isinstance(obj, _ATOMS):
        return obj
    if isinstance(obj, BaseModel):
        return _scrub_model(obj)
    if dataclasses.is_dataclass(obj):
        return _scrub_dataclass(obj)
    if isinstance(obj, (list, tuple)):
        return _scrub_sequence(obj)
    if isinstance(obj, (set, frozenset)):
        return _scrub_set(obj)
    if isinstance(obj, dict):
        return _scrub_dict(obj)
    return obj


def _changed_fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The fields of ``obj`` whose scrubbed value is a new object."""
    changed = {}
    for name in names:
        value = getattr(obj, name)
        clean = _scrub(value)
        if clean is not value:
            changed[name] = clean
    return changed


def _scrub_model(obj: BaseModel) -> BaseModel:
    names = type(obj).model_fields
    changed = _changed_fields(obj, names)
    if not changed:
        return obj
    # Validated already; a copy with only texts replaced needs no second validation.
    values = {name: changed.get(name, getattr(obj, name)) for name in names}
    return type(obj).model_construct(_fields_set=obj.model_fields_set, **values)


def _scrub_dataclass(obj: Any) -> Any:
    if isinstance(obj, type):  # a dataclass itself, not an instance: holds no user text
        return obj
    names, init = _dataclass_fields(obj.__class__)
    changed = _changed_fields(obj, names)
    if not changed:
        return obj
    copy = dataclasses.replace(obj, **{k: v for k, v in changed.items() if k in init})
    for k, v in changed.items():  # fields outside __init__ (rare): set directly
        if k not in init:
            object.__setattr__(copy, k, v)
    return copy


def _scrub_sequence(obj: list[Any] | tuple[Any, ...]) -> Any:
    items = [_scrub(v) for v in obj]
    if all(a is b for a, b in zip(items, obj, strict=True)):
        return obj
    if type(obj) is list:
        return items
    if isinstance(obj, list):
        return type(obj)(items)
    return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)


def _scrub_set(obj: set[Any] | frozenset[Any]) -> Any:
    items = {_scrub(v) for v in obj}
    return obj if items == obj else type(obj)(items)


def _scrub_dict(obj: dict[Any, Any]) -> Any:
    pairs = [(_scrub(k), _scrub(v)) for k, v in obj.items()]
    if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, obj.items(), strict=True)):
        return obj
    return dict(pairs) if type(obj) is dict else type(obj)(pairs)
