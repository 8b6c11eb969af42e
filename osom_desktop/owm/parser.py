"""OWM text -> ``WardleyMap``, with line numbers, diagnostics and nothing lost.

One pass over the lines, dispatching on the first word (a dict look-up, keywords are
whole words so ``buyer->seller`` is a link and ``component notebook`` a component).
Lines that name other elements (links, evolves, standalone ``build X``) may point
forward: those not resolvable on the spot are parked with their index in ``layout``
and resolved once, through name dicts, when every component is known. A line that
cannot be placed becomes a ``RawLine`` at its place in ``layout`` plus a
``Diagnostic``: writing the map back then reproduces it byte for byte.

Ids are the element kind plus its ordinal in the text (``c1``, ``l1``, ``r1``...), so
text written by ``write_owm`` (which follows ``layout``) parses back to the same ids.
Link ordinals count every link line, so one that cannot be resolved leaves a gap
rather than renumbering the rest; raw lines are numbered as they are found.

Speed matters (15,000 lines in < 35 ms): the common component and link lines take a
precompiled-regex / ``str.find`` fast path and build slotted dataclasses directly; the
general readers below handle everything else.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable

from osom_desktop.model.wardley import (
    BLOCK_END_SUFFIX,
    METHOD_SUFFIX,
    STYLES,
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    Pipeline,
    RawKind,
    RawLine,
    SourceLine,
    Url,
    WardleyMap,
)
from osom_desktop.owm.names import (
    KEYWORDS,
    OWM_LINK_EXCLUDED_PREFIXES,
    link_end_texts,
    needs_quotes,
    normalise_plain,
    read_quoted,
)
from osom_desktop.owm.numbers import read_number, write_number
from osom_desktop.owm.writer import NO_FINAL_NEWLINE, SlotTexts
from osom_desktop.owm.result import Diagnostic, ParseResult, Severity, safe_text

__all__ = ["parse_owm"]


class _LineError(Exception):
    """This line cannot be placed; the main loop keeps it raw and reports why."""

    def __init__(self, message: str, severity: Severity = "error") -> None:
        super().__init__(message)
        self.message = message
        self.severity = severity


def _excerpt(text: str, limit: int = 60) -> str:
    """User text quoted in a message, short enough for one line of a terminal, with
    control characters shown as escapes (an ESC from a map must not reach a terminal)."""
    text = safe_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(text: str, what: str) -> float:
    try:
        return read_number(text)
    except ValueError:
        raise _LineError(f"{what}: '{_excerpt(text.strip())}' is not a number") from None


def _numbers(inner: str, what: str) -> list[float]:
    return [_num(part, what) for part in inner.split(",")]


def _pair(inner: str, what: str) -> tuple[float, float]:
    values = _numbers(inner, what)
    if len(values) != 2:
        raise _LineError(f"{what} needs 2 numbers [a, b], found {len(values)}")
    return values[0], values[1]


def _plain_name(text: str, what: str) -> str:
    name = normalise_plain(text)
    if not name:
        raise _LineError(f"{what} has no name")
    if "[" in name or "]" in name:
        raise _LineError(f"unexpected '[' or ']' in {what} '{_excerpt(name)}' (quote the name)")
    return name


def _name_and_tail(rest: str, what: str) -> tuple[str | None, str]:
    """A quoted name and the text after it, or (None, rest) when the name is plain."""
    if rest.startswith('"'):
        got = read_quoted(rest)
        if got is None:
            raise _LineError(f"{what} name opens a quote that is never closed")
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


def _plain_at_ends(name: str) -> tuple[bool, bool, bool]:
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


def _split_trailing_comment(s: str) -> tuple[str, str | None]:
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


# -- decorations -------------------------------------------------------------------------

# Where OWM puts an element whose line gives no position: [visibility, evolution].
_OWM_DEFAULT_POSITION = (0.9, 0.1)

_METHODS = {"build": Method.BUILD, "buy": Method.BUY, "outsource": Method.OUTSOURCE}
_COMPONENT_WORDS = frozenset({"component", "anchor", "submap", "market", "ecosystem"})
_MAX_DECORATIONS = 12
# Annotation numbers: JavaScript's largest exact integer (OWM) and well inside SQLite's.
_MAX_ANNOTATION_NUMBER = 2**53 - 1  # bounds the right-to-left reader on hostile huge lines


class _Decorations:
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
            if word in _METHODS and "method" in allowed:
                method = _METHODS[word]
                if self.method is not None and self.method is not method:
                    raise _LineError(f"both ({self.method}) and ({word})")
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


def _strip_decorations(text: str, allowed: frozenset[str], placed: bool = False) -> tuple[str, _Decorations]:
    """Read decorations off the end of ``text`` (any order); return what precedes them.

    Right to left because a plain name may hold spaces and numbers; the first bracket
    pair that is not a ``label`` is the coordinates and stops the reader. ``placed``:
    the coordinates are known to follow (decorations between a quoted name and them).
    """
    dec = _Decorations()
    for _ in range(_MAX_DECORATIONS + 1):
        text = text.rstrip()
        if not text:
            return text, dec
        last = text[-1]
        if last == ")":
            k = text.rfind("(")
            if k == -1:
                raise _LineError("')' without '('")
            token = text[k + 1 : -1].strip()
            head = text[:k]
            if head.endswith("url") and (len(head) == 3 or head[-4].isspace()) and "url" in allowed:
                if dec.url_ref is not None:
                    raise _LineError("two url(...) decorations")
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
                raise _LineError("']' without '['")
            head = text[:k].rstrip()
            if head.endswith("label") and (len(head) == 5 or head[-6].isspace()):
                if "label" not in allowed:
                    raise _LineError("label [..] is not allowed here")
                if dec.label is not None:
                    raise _LineError("two label [..] decorations")
                dx, dy = _pair(text[k + 1 : -1], "label")
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
                dec.evolve = _num(inline.group(1), "evolve target")
                text = text[: inline.start()]
                continue
        return text, dec
    raise _LineError(f"more than {_MAX_DECORATIONS} decorations")


def _strip_decorations_before(tail: str, dec: _Decorations) -> tuple[str, _Decorations]:
    """Decorations between a quoted name and its coordinates, added to ``dec``."""
    more_tail, more = _strip_decorations(tail, _COMPONENT_DECORATIONS - {"evolve"}, placed=True)
    for flag in ("market", "ecosystem", "inertia"):
        if getattr(more, flag):
            setattr(dec, flag, True)
    if more.method is not None:
        dec.method = dec.method or more.method
    if more.label is not None and dec.label is None:
        dec.label = more.label
    dec.unknown.extend(more.unknown)
    return more_tail, dec


_COMPONENT_DECORATIONS = frozenset({"label", "method", "market", "ecosystem", "inertia", "url", "evolve"})
_EVOLVE_DECORATIONS = frozenset({"label", "method", "market", "ecosystem"})

# The everyday component line, as OWM users and our writer put it: plain name,
# [v, e], then optionally label, method and inertia in that order, single spaces.
# Greedy and anchored, so it is linear even on hostile lines. Anything else (quotes,
# other decorations or orders, no coordinates, pipeline children) takes the general
# reader, which gives the same result for every line this one accepts.
_NUMBER = r"([-+.\deE ]+)"
_FAST_COMPONENT = re.compile(
    r'\s*([^\[\]"()]+)\[' + _NUMBER + "," + _NUMBER + r"\]"
    r"(?: label \[" + _NUMBER + "," + _NUMBER + r"\])?"
    r"(?: \((build|buy|outsource)\))?( inertia)?\s*$"
)

# Link and flow operators, leftmost first: ``->``, ``+>``, ``+<``, ``+<>``,
# ``+'value'>``, ``+'value'<``, ``+'value'<>``. A value holds no quote, which keeps the
# search linear on hostile lines.
_LINK_OP = re.compile(r"->|\+(<>|<|>)|\+'([^']*)'(<>|<|>)")
_FLOWS = {">": FlowDirection.FORWARD, "<": FlowDirection.BACKWARD, "<>": FlowDirection.BOTH}
_FOREIGN_ARROW = re.compile(r"-[\w-]+>")

_ANNOTATION_MANY = re.compile(r"\[\s*(\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*)\s*\]")
_ANNOTATION_ONE = re.compile(r"\[([^\[\]]*)\]")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


# -- lines resolved at the end ----------------------------------------------------------


class _DeferredEvolve:
    """An evolve line; its component may be defined further down."""

    __slots__ = ("at", "line", "text", "name", "evolve")

    def __init__(self, at: int, line: int, text: str, name: str, evolve: Evolve) -> None:
        self.at = at  # index of its placeholder in layout
        self.line = line
        self.text = text
        self.name = name
        self.evolve = evolve


class _DeferredMethod:
    """A standalone ``build X`` line; X may be defined further down."""

    __slots__ = ("at", "line", "text", "name", "method")

    def __init__(self, at: int, line: int, text: str, name: str, method: Method) -> None:
        self.at = at
        self.line = line
        self.text = text
        self.name = name
        self.method = method


# A link whose ends were not both known when read: (layout index, line number, line
# text, link id, source name, target name, context, flow, flow value). A tuple because
# a map written links-first has thousands.
_DeferredLink = tuple[int, int, str, str, str, str, "str | None", "FlowDirection | None", "str | None"]

_RAW_PIPELINE = object()  # a pipeline line that could not be read: its block stays raw


class _Parser:
    """One parse. Every element gets its id (kind + ordinal in the text), its layout
    slot and its source line the moment its line is read; only deferred lines are
    patched at the end, by index. (A final walk over all elements cost a fifth of a
    large parse and grew faster than the input: it touches every object again, long
    after it left the CPU cache.)"""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.map = WardleyMap()
        self.components: list[Component] = self.map.components
        # Name -> component id. One dict, not two: ids are c<n>, so the Component is
        # components[n - 1] (see _component_named); on a large map every extra dict is
        # cache misses.
        self.id_by_name: dict[str, str] = {}
        self.layout: list[str | None] = []
        # Line of each layout entry. ``source_lines`` is built from both at the end in
        # one C-level dict(zip()), cheaper than a dict store per element in the loop.
        self.layout_lines: list[int] = []
        self.component_lines: list[int] = []  # line of component c<n> at [n - 1]
        self.evolve_lines: dict[str, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self.link_count = 0  # every link line, resolved or not: ids do not depend on resolution
        self.link_lines: list[int] = []  # line of each link in map.links, to merge late ones in order
        self.deferred_links: list[_DeferredLink] = []
        self.deferred_evolves: list[_DeferredEvolve] = []
        self.deferred_methods: list[_DeferredMethod] = []
        self.block: Pipeline | None = None
        self.block_line = 0
        self.title_line = 0
        self.evolution_line = 0
        self.style_at: tuple[int, str, int] | None = None  # layout index, text, line
        self.legend_at: tuple[int, str, int] | None = None
        self.texts: list[str] = []  # every line as written (see _record_sources)
        self.canonical_lines: set[int] = set()  # lines known to be as the writer writes them
        # Line -> (slot, what the writer makes of it), for the common lines whose text is
        # not that: found in the loop, where it is cheap.
        self.made_here: dict[int, tuple[str, str]] = {}
        self.plain_names: dict[str, tuple[bool, bool, bool]] = {}  # see _plain_at_ends
        self.removed: set[str] = set()  # children of a pipeline that names no component
        self.open_lines: dict[str, str] = {}  # "{" of pipelines whose owner comes later
        self.dropped = False  # layout holds None slots to filter out
        self.ends_with_newline = True
        self.size_at: tuple[int, str, int] | None = None
        self.deferred_pipelines: list[tuple[int, int, str, str, Pipeline]] = []  # at, line, text, name
        # Per line, text OWM reads but we do not model (``color(#f00)``): kept when the
        # element is written afresh.
        self.kept: dict[int, str] = {}
        self.component_handler = self._component
        self.handlers: dict[str, Callable[[str, str, int], object]] = {
            "title": self._title,
            "evolution": self._evolution,
            "style": self._style,
            "anchor": self._anchor,
            "component": self.component_handler,
            "market": self._market,
            "ecosystem": self._ecosystem,
            "submap": self._submap,
            "build": self._method,
            "buy": self._method,
            "outsource": self._method,
            "evolve": self._evolve,
            "pipeline": self._pipeline,
            "note": self._note,
            "annotation": self._annotation,
            "annotations": self._annotations,
            "pioneers": self._area,
            "settlers": self._area,
            "townplanners": self._area,
            "url": self._url,
            "accelerator": self._accelerator,
            "deaccelerator": self._accelerator,
            "size": self._size,
            "valuechain": self._valuechain,
            "{": self._open_brace,
            "}": self._close_brace,
        }

    # -- the loop ------------------------------------------------------------------------

    def parse(self, text: str) -> ParseResult:
        lines = text.split("\n")
        # No line break after the last line: kept so, unless that line is blank (written
        # without its break it would vanish).
        self.ends_with_newline = lines[-1].rstrip("\r") == ""
        if lines[-1] == "":
            lines.pop()  # a final newline ends the last line, it does not start one
        if "\r" in text:
            lines = [line.rstrip("\r") for line in lines]
        layout = self.layout
        append = layout.append
        append_line = self.layout_lines.append
        append_component_line = self.component_lines.append
        handlers = self.handlers
        id_by_name = self.id_by_name
        components = self.components
        links = self.map.links
        link_lines = self.link_lines
        link_count = 0
        fast_component = _FAST_COMPONENT.match
        component_handler = self.component_handler
        raw = self._raw
        canonical = self.canonical_lines.add
        made_here = self.made_here
        plain_names = self.plain_names
        wn = write_number
        in_comment_block = False
        comment_block_line = 0
        expect_brace: object = None  # the pipeline a following "{" would open
        raw_pipeline_line = 0  # line of the last pipeline that could not be read
        raw_block_line = 0  # inside the "{ }" of such a pipeline: every line stays raw
        lineno = 0
        # Lines are taken off the list as they are read, so the memory of those not
        # kept goes to the map being built instead of fresh pages (page faults were a
        # tenth of the time of a 50,000-line parse).
        # Every line as written, by number - 1: an element read from it is written back
        # as it was while it stays unchanged (see _record_sources).
        self.texts = lines[:]
        lines.reverse()
        pop = lines.pop
        while lines:
            line = pop()
            lineno += 1
            s = line.strip()
            if not s:
                raw(line, RawKind.BLANK, lineno)
                continue
            if in_comment_block:
                raw(line, RawKind.COMMENT, lineno)
                in_comment_block = "*/" not in s
                continue
            if s[0] == "/":
                if s.startswith("//"):
                    raw(line, RawKind.COMMENT, lineno)
                    continue
                if s.startswith("/*"):
                    raw(line, RawKind.COMMENT, lineno)
                    in_comment_block = "*/" not in s[2:]
                    comment_block_line = lineno
                    continue
            if raw_block_line:
                self._unknown(line, lineno, f"inside the block of the unreadable pipeline on line {raw_block_line}")
                if s == "}":
                    raw_block_line = 0
                continue
            sp = s.find(" ")
            word = s if sp == -1 else s[:sp]
            if "\t" in word:
                word = word.split("\t", 1)[0]
            comment = None
            if "//" in s and not s.startswith("url"):
                s, comment = _split_trailing_comment(s)
            if expect_brace is not None:
                pending, expect_brace = expect_brace, None
                if s == "{":
                    if pending is _RAW_PIPELINE:
                        raw_block_line = raw_pipeline_line
                        self._unknown(line, lineno, f"opens the block of the unreadable pipeline on line {raw_block_line}")
                        continue
                    assert isinstance(pending, Pipeline)
                    pending.block = True
                    self.block = pending
                    self.block_line = lineno
                    if not pending.component_id:  # owner not known yet: the "{" may stay raw
                        self._place(f"{pending.id}#open", lineno)
                        self.open_lines[pending.id] = line
                    if comment is not None:
                        raw(comment, RawKind.COMMENT, lineno)
                    continue
            handler = handlers.get(word)
            if comment is None:
                # Fast paths for the two forms that make up nearly all of a big map.
                # Anything unusual falls through to the general readers below.
                if handler is None:
                    if "+" not in s and '"' not in s:
                        arrow = s.find("->")
                        if arrow > 0:
                            source = s[:arrow]
                            target = s[arrow + 2 :]
                            context = None
                            semi = target.find(";")
                            if semi != -1:
                                context = target[semi + 1 :].strip() or None
                                target = target[:semi]
                            if "  " in s or "\t" in s:
                                source = normalise_plain(source)
                                target = normalise_plain(target)
                            else:
                                source = source.rstrip()
                                target = target.strip()
                            if source and target:
                                link_count += 1
                                lid = f"l{link_count}"
                                src = id_by_name.get(source)
                                tgt = id_by_name.get(target)
                                if src is not None and tgt is not None:
                                    # Both ends known: resolving now gives what the end
                                    # would (an exact name never changes meaning).
                                    links.append(Link(id=lid, source=src, target=tgt, context=context))
                                    link_lines.append(lineno)
                                    # What the writer makes of it, found here cheaply for
                                    # the bulk of a map (see _record_sources).
                                    ends = plain_names.get(source)
                                    if ends is None:
                                        ends = plain_names[source] = _plain_at_ends(source)
                                    ends_t = plain_names.get(target)
                                    if ends_t is None:
                                        ends_t = plain_names[target] = _plain_at_ends(target)
                                    if ends[0] and ends_t[1]:
                                        made = source + "->" + target if context is None else f"{source}->{target}; {context}"
                                        if line == made:
                                            canonical(lineno)
                                        else:
                                            made_here[lineno] = (lid, made)
                                else:
                                    self.deferred_links.append(
                                        (len(layout), lineno, line, lid, source, target, context, None, None)
                                    )
                                append(lid)
                                append_line(lineno)
                                continue
                elif handler is component_handler and self.block is None:
                    match = fast_component(s, 9)
                    if match is not None:
                        name, v, e, dx, dy, method, inertia = match.groups()
                        if "  " in name or "\t" in name:
                            name = normalise_plain(name)
                        else:
                            name = name.rstrip()
                        if name and not name.endswith("label") and (name not in id_by_name or self._declared_again(name, lineno)):
                            try:
                                visibility = float(v)
                                evolution = float(e)
                                label = None if dx is None else Offset(float(dx), float(dy))
                                total = visibility + evolution
                                if label is not None:
                                    total += label.dx + label.dy
                                ok = total - total == 0.0  # all finite (no inf/nan)
                            except ValueError:
                                ok = False  # e.g. "1.2.3": the general reader reports it
                            if ok:
                                cid = f"c{len(components) + 1}"
                                component = Component(
                                    id=cid,
                                    name=name,
                                    visibility=visibility,
                                    evolution=evolution,
                                    label=label,
                                    method=None if method is None else _METHODS[method],
                                    inertia=inertia is not None,
                                )
                                components.append(component)
                                id_by_name.setdefault(name, cid)  # links bind to the first, as in OWM
                                append_component_line(lineno)
                                append(cid)
                                append_line(lineno)
                                plain = plain_names.get(name)
                                if plain is None:
                                    plain = plain_names[name] = _plain_at_ends(name)
                                if plain[2]:
                                    # The writer's numbers: shortest repr, no ".0" (numbers.write_number).
                                    rv, re_ = repr(visibility), repr(evolution)
                                    if rv[-2:] == ".0":
                                        rv = rv[:-2]
                                    if re_[-2:] == ".0":
                                        re_ = re_[:-2]
                                    made = f"component {name} [{rv}, {re_}]"
                                    if label is not None:
                                        made += f" label [{wn(label.dx)}, {wn(label.dy)}]"
                                    if method is not None:
                                        made += f" ({method})"
                                    if inertia is not None:
                                        made += " inertia"
                                    if line == made:
                                        canonical(lineno)
                                    else:
                                        made_here[lineno] = (cid, made)
                                continue
            try:
                # With a trailing comment split off, a line that fails later (a
                # deferred link, say) is kept without it: the comment has its own line.
                code = line if comment is None else s
                if handler is None:
                    self.link_count = link_count
                    self._link(s, code, lineno)
                    link_count = self.link_count
                else:
                    expect_brace = handler(s[len(word) :].strip(), code, lineno)
            except _LineError as exc:
                self._unknown(line, lineno, exc.message, exc.severity)
                if word == "pipeline":
                    expect_brace = _RAW_PIPELINE
                    raw_pipeline_line = lineno
                continue
            if comment is not None:
                raw(comment, RawKind.COMMENT, lineno)
        if in_comment_block:
            self._diag(
                comment_block_line,
                "'/*' is never closed with '*/': every line after it is a comment (to OWM too)",
                "warning",
            )
        if self.block is not None:
            self._diag(self.block_line, "pipeline block not closed with '}' (added when written)", "warning")
        if raw_block_line:
            self._diag(raw_block_line, "pipeline block not closed with '}'", "warning")
        self._finish()
        if self.block is not None:  # after _finish: it patches layout slots by index
            self._close_at_last_child(self.block)
        self._record_sources()
        source_lines = dict(zip(self.layout, self.layout_lines))
        source_lines.pop(None, None)  # type: ignore[call-overload]  # folded method lines
        self.diagnostics.sort(key=lambda d: d.line)
        return ParseResult(self.map, self.diagnostics, source_lines)  # type: ignore[arg-type]

    # -- bookkeeping ---------------------------------------------------------------------

    def _record_sources(self) -> None:
        """Keep the text of every line that the writer would not reproduce as it is
        (``0.70``, ``[a,b]``, ``a->B``, a trailing comment...), with what the writer
        makes of its elements now: ``write_owm`` reuses the line while that stays so."""
        texts = self.texts
        kept = self.kept
        fingerprints = SlotTexts(self.map)
        raw_ids = {r.id for r in self.map.raw_lines}
        sources = self.map.owm_source
        if texts and not self.ends_with_newline:
            sources[NO_FINAL_NEWLINE] = SourceLine("", "")
        known = self.canonical_lines
        for lineno, (slot, made) in self.made_here.items():
            sources[slot] = SourceLine(texts[lineno - 1], made)
        known.update(self.made_here)
        # The slots of each line not already known to be written as it is; a line that
        # starts raw (blank, comment, unknown) is written verbatim anyway.
        runs: dict[int, list[str]] = {}
        pending = [
            (slot, lineno)
            for slot, lineno in zip(self.layout, self.layout_lines)  # noqa: B905 (same length)
            if lineno not in known and slot is not None
        ]
        for slot, lineno in pending:
            run = runs.get(lineno)
            if run is None:
                if slot not in raw_ids:
                    runs[lineno] = [slot]
                else:
                    known.add(lineno)
            elif not slot.endswith(BLOCK_END_SUFFIX):  # a "}" added after an unclosed block
                run.append(slot)
        for lineno, run in runs.items():
            if not 0 < lineno <= len(texts):
                continue
            text = texts[lineno - 1]
            made = [fingerprints.text(slot) for slot in run]
            if any(m is None for m in made):
                continue
            fingerprint = "\n".join(made)  # type: ignore[arg-type]
            keep = kept.get(lineno, "")
            if text != fingerprint or keep:
                sources[run[0]] = SourceLine(text, fingerprint, tuple(run[1:]), keep)

    def _close_at_last_child(self, block: Pipeline) -> None:
        """An unclosed block ends where the writer will put its "}": after its last child
        (and that child's evolve line), so reading the written text gives the same layout."""
        inside = {block.id} | {c.id for c in self.components if c.pipeline_id == block.id}
        inside |= {f"{cid}#evolve" for cid in inside}
        at = max((i for i, slot in enumerate(self.layout) if slot in inside), default=len(self.layout) - 1)
        self.layout.insert(at + 1, f"{block.id}{BLOCK_END_SUFFIX}")
        self.layout_lines.insert(at + 1, self.layout_lines[at] if at >= 0 else 0)

    def _diag(self, line: int, message: str, severity: Severity = "error") -> None:
        self.diagnostics.append(Diagnostic(self.filename, line, message, severity))

    def _new_raw(self, text: str, kind: RawKind) -> str:
        """A raw line not yet in layout (it replaces a placeholder there)."""
        raw_lines = self.map.raw_lines
        rid = f"r{len(raw_lines) + 1}"
        raw_lines.append(RawLine(id=rid, text=text, kind=kind))
        return rid

    def _raw(self, text: str, kind: RawKind, lineno: int) -> None:
        self.layout.append(self._new_raw(text, kind))
        self.layout_lines.append(lineno)

    def _unknown(self, line: str, lineno: int, message: str, severity: Severity = "error") -> None:
        self._raw(line, RawKind.UNKNOWN, lineno)
        self._diag(lineno, message, severity)

    def _component_named(self, name: str) -> Component | None:
        cid = self.id_by_name.get(name)
        return None if cid is None else self.components[int(cid[1:]) - 1]

    def _place(self, element_id: str | None, lineno: int) -> None:
        self.layout.append(element_id)
        self.layout_lines.append(lineno)

    # -- components ----------------------------------------------------------------------

    def _component(self, rest: str, line: str, lineno: int) -> None:
        self._add_component(rest, lineno, ComponentKind.COMPONENT, "component")

    def _anchor(self, rest: str, line: str, lineno: int) -> None:
        self._add_component(rest, lineno, ComponentKind.ANCHOR, "anchor")

    def _submap(self, rest: str, line: str, lineno: int) -> None:
        self._add_component(rest, lineno, ComponentKind.SUBMAP, "submap")

    def _market(self, rest: str, line: str, lineno: int) -> None:
        self._add_component(rest, lineno, ComponentKind.COMPONENT, "market", market=True)

    def _ecosystem(self, rest: str, line: str, lineno: int) -> None:
        self._add_component(rest, lineno, ComponentKind.COMPONENT, "ecosystem", ecosystem=True)

    def _add_component(
        self,
        rest: str,
        lineno: int,
        kind: ComponentKind,
        keyword: str,
        market: bool = False,
        ecosystem: bool = False,
    ) -> None:
        # Only ``component`` lines inside ``{ }`` are pipeline children (as in OWM).
        block = self.block if keyword == "component" else None
        quoted, tail = _name_and_tail(rest, keyword)
        tail, dec = _strip_decorations(tail, _COMPONENT_DECORATIONS)
        coords: list[float] | None = None
        if tail.endswith("]"):
            k = tail.rfind("[")
            if k == -1:
                raise _LineError("']' without '['")
            coords = _numbers(tail[k + 1 : -1], "coordinates")
            tail = tail[:k]
        if quoted is None:
            name = _plain_name(tail, keyword)
        else:
            if tail.strip():
                # ``component "X" (legacy) [0.55, 0.74]``: decorations before the
                # coordinates; OWM reads the quoted name and the coordinates.
                tail, dec = _strip_decorations_before(tail, dec)
                if tail.strip():
                    raise _LineError(f"unexpected text after the name: '{_excerpt(tail.strip())}'")
            name = quoted
        if name in self.id_by_name:
            self._declared_again(name, lineno)
        if dec.unknown:
            kept = dec.unknown_text()
            self.kept[lineno] = " " + kept
            self._diag(lineno, f"'{_excerpt(kept)}' is not an OWM decoration: ignored (as OWM does), kept in the text", "warning")
        visibility: float | None = None
        evolution: float | None = None
        if coords is not None:
            if block is not None and len(coords) == 1:
                evolution = coords[0]
            elif len(coords) == 2:
                visibility, evolution = coords
            else:
                wanted = "[evolution] or [visibility, evolution]" if block else "[visibility, evolution]"
                raise _LineError(f"coordinates need {wanted}, found {len(coords)} numbers")
        component = Component(
            id=f"c{len(self.components) + 1}",
            name=name,
            kind=kind,
            visibility=visibility,
            evolution=evolution,
            label=dec.label,
            method=dec.method,
            inertia=dec.inertia,
            market=market or dec.market,
            ecosystem=ecosystem or dec.ecosystem,
            url_ref=dec.url_ref,
            pipeline_id=block.id if block is not None else None,
            evolve=None if dec.evolve is None else Evolve(evolution=dec.evolve),
        )
        self.components.append(component)
        self.id_by_name.setdefault(name, component.id)  # links bind to the first, as in OWM
        self.component_lines.append(lineno)
        self._place(component.id, lineno)
        if dec.evolve is not None:
            self.evolve_lines[component.id] = lineno
            self._place(f"{component.id}#evolve", lineno)

    def _declared_again(self, name: str, lineno: int) -> bool:
        """OWM draws a component declared twice twice, and binds links to the first."""
        first = self.component_lines[int(self.id_by_name[name][1:]) - 1]
        self._diag(
            lineno,
            f"'{_excerpt(name)}' is declared again (first on line {first}): drawn twice, as OWM does; links use the first",
            "warning",
        )
        return True

    # -- lines that name components (possibly further down) ------------------------------

    def _method(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        quoted, tail = _name_and_tail(rest, word)
        if quoted is None:
            name = _plain_name(tail, word)
        elif tail:
            raise _LineError(f"unexpected text after the name: '{_excerpt(tail)}'")
        else:
            name = quoted
        self.deferred_methods.append(_DeferredMethod(len(self.layout), lineno, line, name, _METHODS[word]))
        self._place(None, lineno)

    def _evolve(self, rest: str, line: str, lineno: int) -> None:
        tail, dec = _strip_decorations(rest, _EVOLVE_DECORATIONS)
        cut = max(tail.rfind(" "), tail.rfind("\t"))
        if cut == -1:
            raise _LineError("evolve needs a name and a target evolution: evolve NAME 0.8")
        maturity = _num(tail[cut + 1 :], "evolve target")
        names = tail[:cut].strip()
        quoted, after = _name_and_tail(names, "evolve")
        new_name: str | None = None
        if quoted is not None:
            name = quoted
            if after.startswith("->"):
                new_name = self._evolved_name(after[2:].strip())
            elif after:
                raise _LineError(f"unexpected text after the name: '{_excerpt(after)}'")
        else:
            arrow = names.find("->")
            if arrow == -1:
                name = _plain_name(names, "evolve")
            else:
                name = _plain_name(names[:arrow], "evolve")
                new_name = self._evolved_name(names[arrow + 2 :].strip())
        evolve = Evolve(
            evolution=maturity,
            name=new_name,
            label=dec.label,
            method=dec.method,
            market=dec.market,
            ecosystem=dec.ecosystem,
        )
        self.deferred_evolves.append(_DeferredEvolve(len(self.layout), lineno, line, name, evolve))
        self._place(None, lineno)

    @staticmethod
    def _evolved_name(text: str) -> str:
        quoted, after = _name_and_tail(text, "evolved")
        if quoted is None:
            return _plain_name(text, "evolved component")
        if after:
            raise _LineError(f"unexpected text after the evolved name: '{_excerpt(after)}'")
        return quoted

    def _link(self, s: str, line: str, lineno: int) -> None:
        """Every link and flow form; the loop's fast path takes plain ``A->B`` lines."""
        if s[0] == '"':
            got = read_quoted(s)
            if got is None:
                raise _LineError("a quote that is never closed")
            source, pos = got
            while pos < len(s) and s[pos].isspace():
                pos += 1
            match = _LINK_OP.match(s, pos)
            if match is None:
                raise _LineError(f"expected a link arrow after '{_excerpt(source)}'")
        else:
            match = _LINK_OP.search(s)
            if match is None:
                raise self._not_a_line(s)
            source = normalise_plain(s[: match.start()])
        flow: FlowDirection | None = None
        value: str | None = None
        if match.group(1) is not None:
            flow = _FLOWS[match.group(1)]
        elif match.group(3) is not None:
            flow = _FLOWS[match.group(3)]
            value = match.group(2)
        rest = s[match.end() :].strip()
        quoted, tail = _name_and_tail(rest, "link target")
        context: str | None = None
        if quoted is not None:
            target = quoted
            if tail:
                if tail[0] != ";":
                    raise _LineError(f"unexpected text after the link target: '{_excerpt(tail)}'")
                context = tail[1:].strip() or None
        else:
            semi = rest.find(";")
            if semi != -1:
                context = rest[semi + 1 :].strip() or None
                rest = rest[:semi]
            target = normalise_plain(rest)
        if not source or not target:
            raise _LineError("a link needs a name on both sides of its arrow")
        self.link_count += 1
        lid = f"l{self.link_count}"
        src = self.id_by_name.get(source)
        tgt = self.id_by_name.get(target)
        if src is not None and tgt is not None:
            self.map.links.append(Link(id=lid, source=src, target=tgt, context=context, flow=flow, flow_value=value))
            self.link_lines.append(lineno)
        else:
            self.deferred_links.append((len(self.layout), lineno, line, lid, source, target, context, flow, value))
        self._place(lid, lineno)

    @staticmethod
    def _not_a_line(s: str) -> _LineError:
        arrow = _FOREIGN_ARROW.search(s)
        if arrow is not None:
            return _LineError(f"unknown link arrow '{_excerpt(arrow.group())}' (OWM links are '->' and flows '+>')")
        word = s.split(None, 1)[0]
        return _LineError(f"unknown keyword '{_excerpt(word)}' (not an OWM element or link)")

    # -- pipelines -----------------------------------------------------------------------

    def _pipeline(self, rest: str, line: str, lineno: int) -> Pipeline:
        if self.block is not None:
            raise _LineError("pipeline inside a pipeline block")
        quoted, tail = _name_and_tail(rest, "pipeline")
        start: float | None = None
        end: float | None = None
        k = tail.find("[")
        if k != -1:
            if not tail.endswith("]"):
                raise _LineError(f"unexpected text after the pipeline's [start, end]: '{_excerpt(tail)}'")
            start, end = _pair(tail[k + 1 : -1], "pipeline [start, end]")
            tail = tail[:k]
        if quoted is None:
            name = _plain_name(tail, "pipeline")
        elif tail.strip():
            raise _LineError(f"unexpected text after the name: '{_excerpt(tail.strip())}'")
        else:
            name = quoted
        # OWM finds the owner by name anywhere in the map: one defined further down is
        # resolved at the end (its block's children are read in place meanwhile).
        owner = self._component_named(name)
        pipeline = Pipeline(
            id=f"p{len(self.map.pipelines) + 1}", component_id="" if owner is None else owner.id, start=start, end=end
        )
        if owner is None:
            self.deferred_pipelines.append((len(self.layout), lineno, line, name, pipeline))
        self.map.pipelines.append(pipeline)
        self._place(pipeline.id, lineno)
        return pipeline

    def _open_brace(self, rest: str, line: str, lineno: int) -> None:
        raise _LineError("'{' that does not follow a pipeline line")

    def _close_brace(self, rest: str, line: str, lineno: int) -> None:
        if self.block is None or rest:
            raise _LineError("'}' without an open pipeline block")
        # Where the block closed: lines kept raw inside the braces are written back inside
        # them (written after the "}", a raw "pipeline" line would read as a real pipeline).
        self._place(f"{self.block.id}{BLOCK_END_SUFFIX}", lineno)
        self.block = None

    # -- singletons ----------------------------------------------------------------------

    def _title(self, rest: str, line: str, lineno: int) -> None:
        if self.title_line:
            raise _LineError(f"second title: OWM shows the first (line {self.title_line}); kept as written", "warning")
        self.map.title = rest
        self.title_line = lineno
        self._place("title", lineno)

    def _evolution(self, rest: str, line: str, lineno: int) -> None:
        if self.evolution_line:
            raise _LineError(
                f"second evolution line: OWM uses the first (line {self.evolution_line}); kept as written", "warning"
            )
        hidden = False
        if rest == "--hide" or rest.startswith(("--hide ", "--hide\t")):
            # OWM 2026: ``evolution --hide [labels]`` hides the axis, labels optional.
            hidden = True
            rest = rest[6:].strip()
        elif rest == "--show" or rest.startswith(("--show ", "--show\t")):
            raise _LineError("evolution --show is not OWM's (the axis shows unless --hide)")
        if rest or not hidden:
            labels = [part.strip() for part in rest.split("->")]
            if len(labels) != 4:
                self._diag(lineno, f"evolution has {len(labels)} stage labels; OWM shows 4", "warning")
            self.map.evolution_labels = labels
        self.map.evolution_axis_hidden = hidden
        self.evolution_line = lineno
        self._place("evolution", lineno)

    def _valuechain(self, rest: str, line: str, lineno: int) -> None:
        # OWM 2026: ``valuechain --hide`` hides the value chain axis; text after it is ignored.
        if not (rest == "--hide" or rest.startswith(("--hide ", "--hide\t"))):
            raise _LineError("valuechain takes --hide (valuechain --hide)")
        if self.map.value_chain_hidden:
            raise _LineError("second valuechain line; kept as written", "warning")
        self.map.value_chain_hidden = True
        self._place("valuechain", lineno)

    def _size(self, rest: str, line: str, lineno: int) -> None:
        if not (rest.startswith("[") and rest.endswith("]")):
            raise _LineError("size needs [width, height]")
        self.map.size = _pair(rest[1:-1], "size")
        self._supersede(self.size_at, "size", lineno)
        self.size_at = (len(self.layout), line, lineno)
        self._place("size", lineno)

    def _style(self, rest: str, line: str, lineno: int) -> None:
        if rest not in STYLES:
            raise _LineError(f"unknown style '{_excerpt(rest)}' (one of {', '.join(STYLES)})", "warning")
        self._supersede(self.style_at, "style", lineno)
        self.map.style = rest
        self.style_at = (len(self.layout), line, lineno)
        self._place("style", lineno)

    def _annotations(self, rest: str, line: str, lineno: int) -> None:
        if not (rest.startswith("[") and rest.endswith("]")):
            raise _LineError("annotations needs [visibility, evolution]")
        self.map.annotations_legend = _pair(rest[1:-1], "annotations")
        self._supersede(self.legend_at, "annotations", lineno)
        self.legend_at = (len(self.layout), line, lineno)
        self._place("annotations", lineno)

    def _supersede(self, previous: tuple[int, str, int] | None, what: str, lineno: int) -> None:
        """OWM lets the last ``style``/``annotations`` line win; the earlier one stays
        in the text, as a raw line, so nothing the user wrote disappears."""
        if previous is None:
            return
        index, text, line = previous
        self.layout[index] = self._new_raw(text, RawKind.UNKNOWN)
        self._diag(line, f"{what} set again on line {lineno}, which OWM uses; kept as written", "warning")

    # -- everything else -----------------------------------------------------------------

    def _note(self, rest: str, line: str, lineno: int) -> None:
        quoted, tail = _name_and_tail(rest, "note")
        if not tail.endswith("]"):
            if quoted is not None and tail:
                raise _LineError(f"unexpected text after the note: '{_excerpt(tail)}'")
            text = quoted if quoted is not None else normalise_plain(tail)
            self._diag(lineno, f"note has no [visibility, evolution]: placed where OWM puts it {list(_OWM_DEFAULT_POSITION)}", "warning")
            note = Note(id=f"n{len(self.map.notes) + 1}", text=text, visibility=0.9, evolution=0.1)
            self.map.notes.append(note)
            self._place(note.id, lineno)
            return
        # OWM: the text runs to the first " [", the position is the first [..] pair;
        # anything after it (a second pair, say) is ignored.
        k = tail.find("[") if quoted is not None or tail.startswith("[") else tail.find(" [") + 1
        close = tail.find("]", k)
        if k <= 0 and not tail.startswith("["):
            k = tail.rfind("[")
            close = len(tail) - 1
        if k == -1:
            raise _LineError("']' without '['")
        try:
            visibility, evolution = _pair(tail[k + 1 : close], "note")
        except _LineError as exc:
            visibility, evolution = _OWM_DEFAULT_POSITION
            self._diag(lineno, f"{exc.message}: the note is placed where OWM puts it {list(_OWM_DEFAULT_POSITION)}", "warning")
        extra = tail[close + 1 :].strip()
        if extra:
            self._diag(lineno, f"'{_excerpt(extra)}' after the note's [visibility, evolution] is ignored, as OWM does", "warning")
        head = tail[:k].strip()
        if quoted is None:
            text = head
        elif head:
            raise _LineError(f"unexpected text after the note: '{_excerpt(head)}'")
        else:
            text = quoted
        note = Note(id=f"n{len(self.map.notes) + 1}", text=text, visibility=visibility, evolution=evolution)
        self.map.notes.append(note)
        self._place(note.id, lineno)

    def _annotation(self, rest: str, line: str, lineno: int) -> None:
        k = rest.find("[")
        if k == -1:
            raise _LineError("annotation needs a number and [visibility, evolution]")
        try:
            number = int(rest[:k].strip())
        except ValueError:
            raise _LineError(f"annotation number '{_excerpt(rest[:k].strip())}' is not a whole number") from None
        if abs(number) > _MAX_ANNOTATION_NUMBER:
            raise _LineError(f"annotation number '{_excerpt(rest[:k].strip())}' is too large (at most {_MAX_ANNOTATION_NUMBER})")
        many = _ANNOTATION_MANY.match(rest, k)
        points: list[tuple[float, float]]
        if many is not None:
            points = [_pair(part, "annotation point") for part in _BRACKETED.findall(many.group(1))]
            end = many.end()
        else:
            one = _ANNOTATION_ONE.match(rest, k)
            if one is None:
                raise _LineError("annotation needs [visibility, evolution] or [[v, e], [v, e], ...]")
            points = [_pair(one.group(1), "annotation point")]
            end = one.end()
        annotation = Annotation(
            id=f"a{len(self.map.annotations) + 1}", number=number, points=points, text=rest[end:].strip()
        )
        self.map.annotations.append(annotation)
        self._place(annotation.id, lineno)

    def _area(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        if not (rest.startswith("[") and rest.endswith("]")):
            raise _LineError(f"{word} needs [top, left, bottom, right]")
        values = _numbers(rest[1:-1], word)
        if len(values) != 4:
            raise _LineError(f"{word} needs 4 numbers [top, left, bottom, right], found {len(values)}")
        area = Area(
            id=f"pst{len(self.map.areas) + 1}",
            kind=AreaKind(word),
            top=values[0],
            left=values[1],
            bottom=values[2],
            right=values[3],
        )
        self.map.areas.append(area)
        self._place(area.id, lineno)

    def _accelerator(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        quoted, tail = _name_and_tail(rest, word)
        if tail.endswith("]"):
            k = tail.rfind("[")
            if k == -1:
                raise _LineError("']' without '['")
            visibility, evolution = _pair(tail[k + 1 : -1], word)
            head = tail[:k]
        else:
            # OWM places it at its default spot, top left.
            visibility, evolution = _OWM_DEFAULT_POSITION
            head = tail
            self._diag(lineno, f"{word} has no [visibility, evolution]: placed where OWM puts it {list(_OWM_DEFAULT_POSITION)}", "warning")
        if quoted is None:
            name = _plain_name(head, word)
        elif head.strip():
            raise _LineError(f"unexpected text after the name: '{_excerpt(head.strip())}'")
        else:
            name = quoted
        accelerator = Accelerator(
            id=f"acc{len(self.map.accelerators) + 1}",
            kind=AcceleratorKind(word),
            name=name,
            visibility=visibility,
            evolution=evolution,
        )
        self.map.accelerators.append(accelerator)
        self._place(accelerator.id, lineno)

    def _url(self, rest: str, line: str, lineno: int) -> None:
        quoted, tail = _name_and_tail(rest, "url")
        k = tail.find("[")
        if k == -1 or not tail.endswith("]"):
            raise _LineError("url needs a name and [address]: url NAME [https://...]")
        if quoted is None:
            name = _plain_name(tail[:k], "url")
        elif tail[:k].strip():
            raise _LineError(f"unexpected text after the name: '{_excerpt(tail[:k].strip())}'")
        else:
            name = quoted
        url = Url(id=f"u{len(self.map.urls) + 1}", name=name, url=tail[k + 1 : -1].strip())
        self.map.urls.append(url)
        self._place(url.id, lineno)

    def _unsupported(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        raise _LineError(f"'{word}' is not supported yet; kept as written", "warning")

    # -- resolution ----------------------------------------------------------------------

    def _finish(self) -> None:
        """Resolve the deferred lines and patch their layout placeholders."""
        layout = self.layout
        names = _Names(self)
        if self.deferred_pipelines:
            self._resolve_pipelines(names)
        for ev in self.deferred_evolves:
            layout[ev.at] = self._resolve_evolve(ev, names)
        names.add_evolved(self.components)
        late: list[tuple[int, Link]] = []
        commented_out: dict[str, list[int]] | None = None
        to_commented: dict[str, list[int]] = {}
        for at, lineno, text, lid, source, target, context, flow, value in self.deferred_links:
            src, src_evolved = names.find_link_end(source, lineno, self)
            tgt, tgt_evolved = names.find_link_end(target, lineno, self)
            if src is None or tgt is None:
                missing = source if src is None else target
                layout[at] = self._new_raw(text, RawKind.UNKNOWN)
                if commented_out is None:
                    commented_out = self._commented_out_names()
                if missing in commented_out:
                    to_commented.setdefault(missing, []).append(lineno)
                else:
                    self._diag(lineno, f"link to unknown component '{_excerpt(missing)}'")
                continue
            link = Link(
                id=lid,
                source=src.id,
                target=tgt.id,
                context=context,
                flow=flow,
                flow_value=value,
                source_evolved=src_evolved,
                target_evolved=tgt_evolved,
            )
            late.append((lineno, link))
        if late:
            self._merge_links(late)
        if to_commented:
            self._report_commented_out(to_commented, commented_out or {})
        dropped = self.dropped
        for method in self.deferred_methods:
            rid = self._resolve_method(method, names)
            layout[method.at] = rid
            dropped = dropped or rid is None
        self.map.layout = [slot for slot in layout if slot is not None] if dropped else layout  # type: ignore[misc]
        if self.removed:
            self.map.components = self.components = [c for c in self.components if c.id not in self.removed]

    def _resolve_pipelines(self, names: _Names) -> None:
        """Pipelines read above their component; one naming no component stays raw, and
        its block's children become plain components (OWM draws neither the pipeline)."""
        unresolved: set[str] = set()
        for at, lineno, text, name, pipeline in self.deferred_pipelines:
            owner = names.find(name, lineno, self)
            if owner is not None:
                pipeline.component_id = owner.id
                continue
            self._diag(lineno, f"pipeline '{_excerpt(name)}' names no component")
            self.layout[at] = self._new_raw(text, RawKind.UNKNOWN)
            unresolved.add(pipeline.id)
        if unresolved:
            self.map.pipelines = [p for p in self.map.pipelines if p.id not in unresolved]
            # Its block stays raw as a whole: OWM draws none of its children either.
            where = {slot: i for i, slot in enumerate(self.layout) if slot is not None}
            for c in self.components:
                if c.pipeline_id in unresolved:
                    self.removed.add(c.id)
                    if self.id_by_name.get(c.name) == c.id:
                        del self.id_by_name[c.name]
                    lineno = self.component_lines[int(c.id[1:]) - 1]
                    self.layout[where[c.id]] = self._new_raw(self.texts[lineno - 1], RawKind.UNKNOWN)
                    self._diag(lineno, "inside the block of a pipeline that names no component")
            names.forget_folded()  # built before these children were taken out
            end_slots = {f"{pid}{BLOCK_END_SUFFIX}" for pid in unresolved}
            for i, slot in enumerate(self.layout):
                if slot in end_slots:
                    self.layout[i] = self._new_raw(self.texts[self.layout_lines[i] - 1], RawKind.UNKNOWN)
                    self._diag(self.layout_lines[i], "closes the block of a pipeline that names no component")
        for i, slot in enumerate(self.layout):
            if slot is not None and slot.endswith("#open"):
                pid = slot[:-5]
                if pid in unresolved:
                    self.layout[i] = self._new_raw(self.open_lines[pid], RawKind.UNKNOWN)
                    self._diag(self.layout_lines[i], "opens the block of a pipeline that names no component")
                else:
                    self.layout[i] = None
                    self.dropped = True
            if self.block is not None and self.block.id in unresolved:
                self.block = None

    def _commented_out_names(self) -> dict[str, list[int]]:
        """Names of components declared in comments (``// component X [..]``), with
        their lines: links to them are the author's doing, not mistakes."""
        found: dict[str, list[int]] = {}
        lines_of = {slot: n for slot, n in zip(self.layout, self.layout_lines, strict=False) if slot}
        for raw in self.map.raw_lines:
            if raw.kind is not RawKind.COMMENT:
                continue
            text = raw.text.strip().lstrip("/*").strip()
            word, _, rest = text.partition(" ")
            if word not in _COMPONENT_WORDS:
                continue
            rest = rest.strip()
            if rest.startswith('"'):
                got = read_quoted(rest)
                name = got[0] if got else rest
            else:
                name = normalise_plain(rest.split("[", 1)[0].split("(", 1)[0].split("//", 1)[0])
            if name:
                found.setdefault(name, []).append(lines_of.get(raw.id, 0))
        return found

    def _report_commented_out(self, links: dict[str, list[int]], declared: dict[str, list[int]]) -> None:
        """One warning for all links to commented-out components, naming them."""
        count = sum(len(lines) for lines in links.values())
        first = min(min(lines) for lines in links.values())
        names = sorted(links, key=lambda n: min(links[n]))
        shown = ", ".join(f"'{_excerpt(n, 30)}'" for n in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        self._diag(
            first,
            f"{count} link{'s' if count != 1 else ''} to component{'s' if len(names) != 1 else ''} "
            f"commented out ({shown}{more}): not drawn, as in OWM; kept as written",
            "warning",
        )

    def _merge_links(self, late: list[tuple[int, Link]]) -> None:
        """Links resolved at the end join ``map.links`` in text order (by line number,
        without touching the links already there)."""
        links, lines = self.map.links, self.link_lines
        merged: list[Link] = []
        i = 0
        for lineno, link in late:
            while i < len(links) and lines[i] < lineno:
                merged.append(links[i])
                i += 1
            merged.append(link)
        merged.extend(links[i:])
        self.map.links = merged

    def _resolve_evolve(self, ev: _DeferredEvolve, names: _Names) -> str:
        component = names.find(ev.name, ev.line, self)
        if component is None:
            self._diag(ev.line, f"evolve names no component '{_excerpt(ev.name)}'")
            return self._new_raw(ev.text, RawKind.UNKNOWN)
        slot = f"{component.id}#evolve"
        if component.evolve is not None:
            first = self.evolve_lines[component.id]
            self._diag(ev.line, f"second evolve for '{_excerpt(component.name)}' (first on line {first})")
            return self._new_raw(ev.text, RawKind.UNKNOWN)
        component.evolve = ev.evolve
        self.evolve_lines[component.id] = ev.line
        return slot

    def _resolve_method(self, method: _DeferredMethod, names: _Names) -> str | None:
        """The slot ``"<component id>#method"``: the method is the component's, and the
        line stays a line of its own (OWM's current engine ignores such lines; writing
        them into the component's line would change what OWM shows)."""
        component = names.find(method.name, method.line, self)
        if component is None:
            self._diag(method.line, f"{method.method} names no component '{_excerpt(method.name)}'")
            return self._new_raw(method.text, RawKind.UNKNOWN)
        if component.method is not None and component.method is not method.method:
            self._diag(
                method.line,
                f"'{_excerpt(component.name)}' is already ({component.method}); this line is kept as written",
                "warning",
            )
            return self._new_raw(method.text, RawKind.UNKNOWN)
        if component.method is not None:
            self._diag(method.line, f"'{_excerpt(component.name)}' is already ({component.method}); this line repeats it", "warning")
            return self._new_raw(method.text, RawKind.UNKNOWN)
        component.method = method.method
        return f"{component.id}{METHOD_SUFFIX}"


class _Names:
    """Name look-ups for the resolution pass.

    Exact names first. Failing that, OWM's own rule (``componentNamesMatch``): the same
    name ignoring case and spacing, with a warning, as the writer will then use the
    component's real name. The folded dicts are built only when first needed.
    """

    def __init__(self, parser: _Parser) -> None:
        self.exact = parser._component_named
        self.components = parser.components
        self.removed = parser.removed
        self.evolved: dict[str, Component] = {}
        self._folded: dict[str, Component] | None = None
        self._folded_evolved: dict[str, Component] | None = None

    def forget_folded(self) -> None:
        self._folded = None

    def add_evolved(self, components: list[Component]) -> None:
        for c in components:
            if c.evolve is not None and c.evolve.name is not None:
                self.evolved.setdefault(c.evolve.name, c)

    @staticmethod
    def _fold(name: str) -> str:
        return " ".join(name.split()).lower()

    def find(self, name: str, lineno: int, parser: _Parser) -> Component | None:
        component = self.exact(name)
        if component is not None:
            return component
        if self._folded is None:
            self._folded = {}
            for c in self.components:
                if c.id not in self.removed:
                    self._folded.setdefault(self._fold(c.name), c)
        component = self._folded.get(self._fold(name))
        if component is not None:
            parser._diag(lineno, f"'{_excerpt(name)}' taken as '{_excerpt(component.name)}'", "warning")
        return component

    def find_link_end(self, name: str, lineno: int, parser: _Parser) -> tuple[Component | None, bool]:
        """A link end: a component, else an evolved copy's new name (``A->Electric
        Kettle``), else the folded matches of both."""
        component = self.exact(name)
        if component is not None:
            return component, False
        component = self.evolved.get(name)
        if component is not None:
            return component, True
        component = self.find(name, lineno, parser)
        if component is not None:
            return component, False
        if self._folded_evolved is None:
            self._folded_evolved = {}
            for evolved_name, owner in self.evolved.items():
                self._folded_evolved.setdefault(self._fold(evolved_name), owner)
        owner = self._folded_evolved.get(self._fold(name))
        if owner is not None and owner.evolve is not None:
            parser._diag(lineno, f"'{_excerpt(name)}' taken as '{_excerpt(owner.evolve.name or '')}'", "warning")
            return owner, True
        return None, False


def parse_owm(text: str, filename: str = "<text>") -> ParseResult:
    """Read OWM text. Never raises: what cannot be placed is kept and reported.

    The cyclic garbage collector is paused while the map is built: a 16,000-component
    map allocates ~100,000 objects, none in cycles, and the collector's passes over
    them made parse time grow faster than the input.
    """
    collecting = gc.isenabled()
    gc.disable()
    parser = _Parser(filename)
    try:
        return parser.parse(text)
    except Exception as exc:  # noqa: BLE001 - a bug must not lose the user's text
        return _fallback(text, filename, exc)
    finally:
        parser.handlers.clear()  # bound methods: break the cycle so it frees at once
        if collecting:
            gc.enable()


def _fallback(text: str, filename: str, exc: Exception) -> ParseResult:
    """Every line kept raw, and one error saying why: the last line of defence for
    "parse never raises and loses nothing" if the parser itself has a bug."""
    m = WardleyMap()
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for i, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        m.raw_lines.append(RawLine(id=f"r{i}", text=line, kind=RawKind.UNKNOWN if line.strip() else RawKind.BLANK))
        m.layout.append(f"r{i}")
    message = (
        f"internal error while reading the map ({type(exc).__name__}: {_excerpt(str(exc))}); "
        "every line kept as written"
    )
    return ParseResult(m, [Diagnostic(filename, 1, message)], {f"r{i}": i for i in range(1, len(lines) + 1)})
