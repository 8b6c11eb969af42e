"""Decorations read off the end of an element line: ``label [..]``, ``(build)``,
``(market, outsource)``, ``inertia``, ``url(..)``, an inline ``evolve 0.9``, and what
OWM ignores but we keep (``color(#f00)``).

Right to left, because a plain name may hold spaces and numbers: the first bracket pair
that is not a ``label`` is the coordinates and stops the reader.
"""

from __future__ import annotations

import re

from osom_desktop.model.wardley import Method, Offset
from osom_desktop.owm.line_forms import METHODS, LineError, num, pair

_MAX_DECORATIONS = 12
_FLAGS = frozenset({"market", "ecosystem", "inertia"})


class Decorations:
    __slots__ = ("label", "method", "market", "ecosystem", "inertia", "url_ref", "unknown", "evolve")

    def __init__(self) -> None:
        self.label: Offset | None = None
        self.method: Method | None = None
        self.market = False
        self.ecosystem = False
        self.inertia = False
        self.url_ref: str | None = None
        self.unknown: list[str] = []  # as written, right to left
        self.evolve: float | None = None  # ``component X [..] evolve 0.9``

    def read_parenthesised(self, token: str, allowed: frozenset[str]) -> bool:
        """``(build)``, or OWM's combined ``(market, outsource)``; False when unknown."""
        return all(self._read_word(part.strip(), allowed) for part in token.split(","))

    def _read_word(self, word: str, allowed: frozenset[str]) -> bool:
        if word in METHODS:
            if "method" not in allowed:
                return False
            method = METHODS[word]
            if self.method is not None and self.method is not method:
                raise LineError(f"both ({self.method}) and ({word})")
            self.method = method
            return True
        if word in _FLAGS and word in allowed:
            setattr(self, word, True)
            return True
        return False

    def unknown_text(self) -> str:
        return " ".join(reversed(self.unknown))


# ``evolve 0.9`` at the end of a component line (OWM's DSL reference), ``inertia`` may follow.
_INLINE_EVOLVE = re.compile(r"(?:^|\s)evolve\s+([-+]?[\d.]+(?:[eE][-+]?\d+)?)$")
# ``color(#FF0000)`` and the like: a word glued to its parentheses.
_GLUED_WORD = re.compile(r"[A-Za-z][\w-]*$")


def strip_decorations(text: str, allowed: frozenset[str], placed: bool = False) -> tuple[str, Decorations]:
    """Read decorations off the end of ``text`` (any order); return what precedes them.

    Right to left because a plain name may hold spaces and numbers; the first bracket
    pair that is not a ``label`` is the coordinates and stops the reader. ``placed``:
    the coordinates are known to follow (decorations between a quoted name and them).
    """
    dec = Decorations()
    for _ in range(_MAX_DECORATIONS + 1):
        text = text.rstrip()
        before = _strip_one(text, allowed, placed, dec)
        if before is None:
            return text, dec
        text = before
    raise LineError(f"more than {_MAX_DECORATIONS} decorations")


def _ends_with_word(text: str, word: str) -> bool:
    """``text`` ends with ``word`` standing alone (at the start or after a space)."""
    return text.endswith(word) and (len(text) == len(word) or text[-len(word) - 1].isspace())


def _strip_one(text: str, allowed: frozenset[str], placed: bool, dec: Decorations) -> str | None:
    """The text before the last decoration, which is read into ``dec``; None when the
    text does not end in one."""
    if not text:
        return None
    last = text[-1]
    if last == ")":
        return _strip_parenthesised(text, allowed, placed, dec)
    if last == "]":
        return _strip_label(text, allowed, dec)
    if "inertia" in allowed and _ends_with_word(text, "inertia"):
        dec.inertia = True
        return text[:-7]
    if "evolve" in allowed and dec.evolve is None and last.isdigit():
        inline = _INLINE_EVOLVE.search(text)
        if inline is not None:
            dec.evolve = num(inline.group(1), "evolve target")
            return text[: inline.start()]
    return None


def _strip_parenthesised(text: str, allowed: frozenset[str], placed: bool, dec: Decorations) -> str | None:
    k = text.rfind("(")
    if k == -1:
        raise LineError("')' without '('")
    token = text[k + 1 : -1].strip()
    head = text[:k]
    if "url" in allowed and _ends_with_word(head, "url"):
        if dec.url_ref is not None:
            raise LineError("two url(...) decorations")
        dec.url_ref = token
        return head[:-3]
    return _strip_unknown(text, head, token, allowed, "]" not in head and not placed, dec)


def _strip_unknown(
    text: str, head: str, token: str, allowed: frozenset[str], part_of_name: bool, dec: Decorations
) -> str | None:
    """``(build)`` and the like, or what OWM does not know either (``color(#FF0000)``,
    ``(legacy)``): it draws the component and ignores it; so do we, once the coordinates
    are found to its left. Without them (``part_of_name``) it is part of a plain name
    (``component A (B)``)."""
    glued = _GLUED_WORD.search(head)
    if glued is not None and (glued.start() == 0 or head[glued.start() - 1].isspace()):
        if part_of_name:
            return None
        dec.unknown.append(text[glued.start() :])
        return head[: glued.start()]
    if not dec.read_parenthesised(token, allowed):
        if part_of_name:
            return None
        dec.unknown.append(f"({token})")
    return head


def _strip_label(text: str, allowed: frozenset[str], dec: Decorations) -> str | None:
    """``label [dx, dy]``; None for any other bracket pair (the coordinates)."""
    k = text.rfind("[")
    if k == -1:
        raise LineError("']' without '['")
    head = text[:k].rstrip()
    if not _ends_with_word(head, "label"):
        return None
    if "label" not in allowed:
        raise LineError("label [..] is not allowed here")
    if dec.label is not None:
        raise LineError("two label [..] decorations")
    dx, dy = pair(text[k + 1 : -1], "label")
    dec.label = Offset(dx, dy)
    return head[:-5]


def strip_decorations_before(tail: str, dec: Decorations) -> tuple[str, Decorations]:
    """Decorations between a quoted name and its coordinates, added to ``dec``."""
    more_tail, more = strip_decorations(tail, COMPONENT_DECORATIONS - {"evolve"}, placed=True)
    for flag in ("market", "ecosystem", "inertia"):
        if getattr(more, flag):
            setattr(dec, flag, True)
    if more.method is not None:
        dec.method = dec.method or more.method
    if more.label is not None and dec.label is None:
        dec.label = more.label
    dec.unknown.extend(more.unknown)
    return more_tail, dec


COMPONENT_DECORATIONS = frozenset({"label", "method", "market", "ecosystem", "inertia", "url", "evolve"})
EVOLVE_DECORATIONS = frozenset({"label", "method", "market", "ecosystem"})
