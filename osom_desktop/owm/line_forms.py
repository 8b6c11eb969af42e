"""The pieces OWM lines are made of: numbers, names (quoted or plain), trailing
comments, and the regexes of the line forms the parser reads on its fast paths.

Split from ``parser.py`` so the reader of one line form finds its vocabulary here, and
the parse loop in ``parser.py`` stays about the loop. ``LineError`` is how every reader
says "this line cannot be placed"; the loop keeps such a line raw and reports why.
"""

from __future__ import annotations

import re

from osom_desktop.model.wardley import FlowDirection, Method
from osom_desktop.owm.names import (
    KEYWORDS,
    OWM_LINK_EXCLUDED_PREFIXES,
    link_end_texts,
    needs_quotes,
    normalise_plain,
    read_quoted,
)
from osom_desktop.owm.numbers import read_number
from osom_desktop.owm.result import Severity, safe_text


class LineError(Exception):
    """This line cannot be placed; the main loop keeps it raw and reports why."""

    def __init__(self, message: str, severity: Severity = "error") -> None:
        super().__init__(message)
        self.message = message
        self.severity = severity


def excerpt(text: str, limit: int = 60) -> str:
    """User text quoted in a message, short enough for one line of a terminal, with
    control characters shown as escapes (an ESC from a map must not reach a terminal)."""
    text = safe_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def num(text: str, what: str) -> float:
    try:
        return read_number(text)
    except ValueError:
        raise LineError(f"{what}: '{excerpt(text.strip())}' is not a number") from None


def number_list(inner: str, what: str) -> list[float]:
    return [num(part, what) for part in inner.split(",")]


def pair(inner: str, what: str) -> tuple[float, float]:
    values = number_list(inner, what)
    if len(values) != 2:
        raise LineError(f"{what} needs 2 numbers [a, b], found {len(values)}")
    return values[0], values[1]


def plain_name(text: str, what: str) -> str:
    name = normalise_plain(text)
    if not name:
        raise LineError(f"{what} has no name")
    if "[" in name or "]" in name:
        raise LineError(f"unexpected '[' or ']' in {what} '{excerpt(name)}' (quote the name)")
    return name


def name_and_tail(rest: str, what: str) -> tuple[str | None, str]:
    """A quoted name and the text after it, or (None, rest) when the name is plain."""
    if rest.startswith('"'):
        got = read_quoted(rest)
        if got is None:
            raise LineError(f"{what} name opens a quote that is never closed")
        name, end = got
        return name, rest[end:].strip()
    return None, rest


# -- plain names ----------------------------------------------------------------------------

# Letters, digits and single spaces, not starting like a keyword (OWM skips a link line
# that merely starts with one) nor ending in a decoration word: the names of nearly every
# map, written plain everywhere. One regex call per name; others take names.py's rules.
_PLAIN_EVERYWHERE = re.compile(
    r"(?!(?:" + "|".join(map(re.escape, sorted(KEYWORDS | set(OWM_LINK_EXCLUDED_PREFIXES), key=len, reverse=True))) + r"))"
    r"(?!(?:inertia|label|url)$)"
    r"[^\W_]+(?: [^\W_]+)*(?<! inertia)(?<! label)(?<! url)"
)
_PLAIN = (True, True, True)


def plain_at_ends(name: str) -> tuple[bool, bool, bool]:
    """Whether ``name`` is written plain as a link's source, as its target, and after a
    keyword: what ``names.link_end_texts``/``needs_quotes`` decide, cheaply for the
    usual names (parsing checks every line of a map against the writer's form)."""
    if _PLAIN_EVERYWHERE.fullmatch(name):
        return _PLAIN
    as_source, as_target = link_end_texts(name)
    return (as_source == name, as_target == name, not needs_quotes(name))


# -- trailing comments ------------------------------------------------------------------

# Quoted strings (skipped) and ``//``.
_COMMENT_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|//')


def split_trailing_comment(s: str) -> tuple[str, str | None]:
    """``pipeline A // [0.2, 0.8]`` -> ``pipeline A`` and ``// [0.2, 0.8]``.

    OWM (``Converter.stripComments``) cuts every line but ``url`` lines at its first
    ``//``, wherever it is: ``note see https://x [..]`` loses its coordinates there, and
    the community comments out a pipeline's span that way. We do the same, except
    inside a double-quoted name: that form is ours and OWM's newer engine, and a name
    holding ``//`` must read back as itself. The comment is kept (the element's source
    line holds it; written afresh, it follows on a line of its own).
    """
    for match in _COMMENT_SCAN.finditer(s):
        if match.group() == "//":
            pos = match.start()
            return s[:pos].rstrip(), s[pos:]
    return s, None


# -- what lines share ---------------------------------------------------------------------

# Where OWM puts an element whose line gives no position: [visibility, evolution].
OWM_DEFAULT_POSITION = (0.9, 0.1)

METHODS = {"build": Method.BUILD, "buy": Method.BUY, "outsource": Method.OUTSOURCE}
COMPONENT_WORDS = frozenset({"component", "anchor", "submap", "market", "ecosystem"})
# Annotation numbers: JavaScript's largest exact integer (OWM) and well inside SQLite's.
MAX_ANNOTATION_NUMBER = 2**53 - 1

# The everyday component line, as OWM users and our writer put it: plain name,
# [v, e], then optionally label, method and inertia in that order, single spaces.
# Greedy and anchored, so it is linear even on hostile lines. Anything else (quotes,
# other decorations or orders, no coordinates, pipeline children) takes the general
# reader, which gives the same result for every line this one accepts.
_NUMBER = r"([-+.\deE ]+)"
FAST_COMPONENT = re.compile(
    r'\s*([^\[\]"()]+)\[' + _NUMBER + "," + _NUMBER + r"\]"
    r"(?: label \[" + _NUMBER + "," + _NUMBER + r"\])?"
    r"(?: \((build|buy|outsource)\))?( inertia)?\s*$"
)

# Link and flow operators, leftmost first: ``->``, ``+>``, ``+<``, ``+<>``,
# ``+'value'>``, ``+'value'<``, ``+'value'<>``. A value holds no quote, which keeps the
# search linear on hostile lines.
LINK_OP = re.compile(r"->|\+(<>|<|>)|\+'([^']*)'(<>|<|>)")
FLOWS = {">": FlowDirection.FORWARD, "<": FlowDirection.BACKWARD, "<>": FlowDirection.BOTH}
FOREIGN_ARROW = re.compile(r"-[\w-]+>")

ANNOTATION_MANY = re.compile(r"\[\s*(\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*)\s*\]")
ANNOTATION_ONE = re.compile(r"\[([^\[\]]*)\]")
BRACKETED = re.compile(r"\[([^\[\]]*)\]")
