"""Names and free text in OWM lines: when to quote, how to quote, how to read quotes back.

OWM reads a name after its keyword up to `` [`` and collapses runs of whitespace, so
plain names cannot carry line breaks, brackets, link arrows or doubled spaces. OWM's
newer engine accepts a double-quoted name with ``\\n``, ``\\r``, ``\\t``, ``\\"`` and
``\\\\`` escapes (``setName`` / ``unescapeComponentNameFromMapText``); we write exactly
that form whenever a plain name would not read back as itself, so every name survives
a round trip, and OWM shows it the same way.
"""

from __future__ import annotations

import re

# Every first word the parser dispatches on. A name starting with one of these (as a
# whole word) would turn a link line into that keyword's line, so link ends quote it.
KEYWORDS: frozenset[str] = frozenset(
    {
        "title",
        "evolution",
        "style",
        "anchor",
        "component",
        "market",
        "ecosystem",
        "build",
        "buy",
        "outsource",
        "evolve",
        "pipeline",
        "note",
        "annotation",
        "annotations",
        "pioneers",
        "settlers",
        "townplanners",
        "submap",
        "url",
        "accelerator",
        "deaccelerator",
        "size",
        "valuechain",
        "{",
        "}",
    }
)

# OWM's LinksExtractionStrategy skips any line that merely *starts with* one of these
# strings (``buyer->seller`` is not a link to OWM). Quoting the first name keeps such
# links readable by OWM too: its ``canProcessLine`` then sees a leading quote.
OWM_LINK_EXCLUDED_PREFIXES: tuple[str, ...] = (
    "evolution",
    "anchor",
    "evolve",
    "component",
    "style",
    "build",
    "buy",
    "outsource",
    "title",
    "annotation",
    "pipeline",
    "note",
    "pioneers",
    "settlers",
    "townplanners",
    "submap",
    "url",
    "{",
    "}",
    "accelerator",
    "deaccelerator",
    "size",
    "market",
    "ecosystem",
)

# Substrings that mean something to the line grammar wherever a plain name sits:
# link and flow arrows, the link context separator, comments, brackets (coordinates,
# labels), parentheses (decorations), quotes and escapes.
# Parentheses are not among them: ``A (B)`` reads back plain (a final ``)`` is checked
# apart), and quoting it trips an OWM bug that resets an evolve target to 0.85.
_SPECIAL = re.compile(r"->|\+[<>']|;|//|/\*|[\[\]\"\\]")
# Characters at least one of which every _SPECIAL match holds: a 4x cheaper first test.
_SPECIAL_CHAR = re.compile(r'[-+;/\[\]"\\]')

# Words that end a component line as decorations; a plain name ending in one of them
# would lose it to the decoration reader.
_TRAILING_WORDS = ("inertia", "label", "url")

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "[": "[", "]": "]"}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def normalise_plain(text: str) -> str:
    """What a plain (unquoted) name becomes: trimmed, inner whitespace runs collapsed.

    OWM's ``sanitizeComponentName`` does the same, so ``A  B`` and ``A B`` are one
    component there and here.
    """
    if "  " in text or "\t" in text or "\n" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


def needs_quotes(name: str) -> bool:
    """True when writing ``name`` plain would not read back as the same name.

    ``isprintable`` is false for every whitespace and control character except the
    plain space, so with the space checks it covers all that ``normalise_plain`` changes.
    """
    if not name or name[0] == " " or name[-1] == " " or "  " in name or not name.isprintable():
        return True
    if _SPECIAL_CHAR.search(name) and _SPECIAL.search(name):
        return True
    return name[name.rfind(" ") + 1 :] in _TRAILING_WORDS


def needs_quotes_at_line_start(name: str) -> bool:
    """Like ``needs_quotes``, for a name that starts a link line.

    Such a name must not read as a keyword line (ours: whole first word; OWM's: any
    prefix), nor as a comment or a block brace.
    """
    return needs_quotes(name) or _starts_like_a_keyword(name)


def _starts_like_a_keyword(name: str) -> bool:
    return name.split(" ", 1)[0] in KEYWORDS or name.startswith(OWM_LINK_EXCLUDED_PREFIXES)


def quote(text: str) -> str:
    """``text`` as an OWM quoted string (backslash first so escapes are not doubled)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def name_text(name: str) -> str:
    """A name as written after a keyword: plain when that reads back, else quoted."""
    return quote(name) if needs_quotes(name) else name


def link_end_texts(name: str) -> tuple[str, str]:
    """``name`` as a link's source and as its target, deciding quoting once."""
    if needs_quotes(name):
        quoted = quote(name)
        return quoted, quoted
    source = quote(name) if _starts_like_a_keyword(name) else name
    target = quote(name) if name[0] in "<>'" else name
    return source, target


def link_end_text(name: str, at_line_start: bool) -> str:
    """A link's source (``at_line_start``) or target as written in a link line.

    A target starting with ``<``, ``>`` or ``'`` would merge with a flow arrow
    (``A+<`` + ``>B`` reads as ``A+<>B``), so it is quoted too.
    """
    if at_line_start:
        return quote(name) if needs_quotes_at_line_start(name) else name
    if needs_quotes(name) or name[0] in "<>'":
        return quote(name)
    return name


def _unescape_one(match: re.Match[str]) -> str:
    char = match.group(1)
    # Unknown escapes keep their backslash: ``"C:\path"`` stays readable and nothing
    # the user typed disappears (OWM's lenient mode would drop the backslash).
    return _ESCAPES.get(char, "\\" + char)


def read_quoted(text: str, start: int = 0) -> tuple[str, int] | None:
    """Read the quoted string opening at ``text[start]``.

    Returns the unescaped value and the index just past the closing quote, or None
    when the quote is never closed. A quote counts as closing when an even number of
    backslashes precedes it.
    """
    pos = start + 1
    while True:
        end = text.find('"', pos)
        if end == -1:
            return None
        backslashes = 0
        k = end - 1
        while k > start and text[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2 == 0:
            break
        pos = end + 1
    body = text[start + 1 : end]
    if "\\" in body:
        body = _ESCAPE_RE.sub(_unescape_one, body)
    return body, end + 1


def single_line(text: str) -> str:
    """Free text (title, context, annotation...) has no quoted form in OWM: a line
    break would start a new line and could smuggle in an element, so it becomes a space."""
    if "\n" in text or "\r" in text:
        return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text
