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
        for part in token.split(","):
            word = part.strip()
            if word in METHODS and "method" in allowed:
                method = METHODS[word]
                if self.method is not None and self.method is not method:
                    raise LineError(f"both ({self.method}) and ({word})")
                self.method = method
            elif word == "market" and "market" in allowed:
                self.market = True
            elif word == "ecosystem" and "ecosystem" in allowed:
                self.ecosystem = True
            elif word == "inertia" and "inertia" in allowed:
                self.inertia = True
            else:
                return False
        return True

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
        if not text:
            return text, dec
        last = text[-1]
        if last == ")":
            k = text.rfind("(")
            if k == -1:
                raise LineError("')' without '('")
            token = text[k + 1 : -1].strip()
            head = text[:k]
            if head.endswith("url") and (len(head) == 3 or head[-4].isspace()) and "url" in allowed:
                if dec.url_ref is not None:
                    raise LineError("two url(...) decorations")
                dec.url_ref = token
                text = head[:-3]
                continue
            # What OWM does not know either (``color(#FF0000)``, ``(legacy)``): it draws the
            # component and ignores it; so do we, once the coordinates are found to its
            # left. Without them it is part of a plain name (``component A (B)``).
            glued = _GLUED_WORD.search(head)
            if glued is not None and (glued.start() == 0 or head[glued.start() - 1].isspace()):
                if "]" not in head and not placed:
                    return text, dec
                dec.unknown.append(text[glued.start() :])
                text = head[: glued.start()]
                continue
            if not dec.read_parenthesised(token, allowed):
                if "]" not in head and not placed:
                    return text, dec
                dec.unknown.append(f"({token})")
            text = head
            continue
        if last == "]":
            k = text.rfind("[")
            if k == -1:
                raise LineError("']' without '['")
            head = text[:k].rstrip()
            if head.endswith("label") and (len(head) == 5 or head[-6].isspace()):
                if "label" not in allowed:
                    raise LineError("label [..] is not allowed here")
                if dec.label is not None:
                    raise LineError("two label [..] decorations")
                dx, dy = pair(text[k + 1 : -1], "label")
                dec.label = Offset(dx, dy)
                text = head[:-5]
                continue
            return text, dec
        if text.endswith("inertia") and (len(text) == 7 or text[-8].isspace()) and "inertia" in allowed:
            dec.inertia = True
            text = text[:-7]
            continue
        if "evolve" in allowed and dec.evolve is None and text[-1].isdigit():
            inline = _INLINE_EVOLVE.search(text)
            if inline is not None:
                dec.evolve = num(inline.group(1), "evolve target")
                text = text[: inline.start()]
                continue
        return text, dec
    raise LineError(f"more than {_MAX_DECORATIONS} decorations")


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
