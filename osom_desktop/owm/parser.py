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
general readers handle everything else.

The parser is one ``_Parser`` made of parts, each in a module of its own: the line
vocabulary (``line_forms.py``, ``decorations.py``), the shared state (``parse_state.py``),
the reader of each line form (``element_lines.py``) and the resolution pass
(``resolution.py``). This module keeps the loop and the bookkeeping at its end.

``parse`` is one long function on purpose (radon rates it F): it binds what the loop
uses to locals once and keeps the two fast paths inline. With those paths moved into
methods (a call and a dozen attribute look-ups on nearly every line) the 5,000-component
map parsed 14-20 % slower, best of 31 interleaved runs (December 2026).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from osom_desktop.model.wardley import (
    BLOCK_END_SUFFIX,
    Component,
    Link,
    Offset,
    Pipeline,
    RawKind,
    RawLine,
    SourceLine,
    WardleyMap,
)
from osom_desktop.owm.element_lines import ElementLines
from osom_desktop.owm.line_forms import (
    FAST_COMPONENT,
    METHODS,
    LineError,
    excerpt,
    plain_at_ends,
    split_trailing_comment,
)
from osom_desktop.owm.names import normalise_plain
from osom_desktop.owm.numbers import write_number
from osom_desktop.owm.ranges import range_warnings
from osom_desktop.owm.resolution import Resolution
from osom_desktop.owm.result import Diagnostic, ParseResult
from osom_desktop.owm.writer import NO_FINAL_NEWLINE, SlotTexts

__all__ = ["parse_owm"]

_RAW_PIPELINE = object()  # a pipeline line that could not be read: its block stays raw


class _Parser(ElementLines, Resolution):
    """One parse. Every element gets its id (kind + ordinal in the text), its layout
    slot and its source line the moment its line is read; only deferred lines are
    patched at the end, by index. (A final walk over all elements cost a fifth of a
    large parse and grew faster than the input: it touches every object again, long
    after it left the CPU cache.)"""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
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
            # CRLF ends a line; a lone CR inside one (pasted from an old Mac file or a
            # web form) is read as a space, the way the writer writes free text, so the
            # map read back from what we write is the map read here.
            lines = [line.rstrip("\r").replace("\r", " ") for line in lines]
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
        fast_component = FAST_COMPONENT.match
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
                s, comment = split_trailing_comment(s)
            if expect_brace is not None:
                pending, expect_brace = expect_brace, None
                if s == "{":
                    raw_block_line = self._open_block(pending, line, lineno, comment, raw_pipeline_line)
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
                                        ends = plain_names[source] = plain_at_ends(source)
                                    ends_t = plain_names.get(target)
                                    if ends_t is None:
                                        ends_t = plain_names[target] = plain_at_ends(target)
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
                                    method=None if method is None else METHODS[method],
                                    inertia=inertia is not None,
                                )
                                components.append(component)
                                id_by_name.setdefault(name, cid)  # links bind to the first, as in OWM
                                append_component_line(lineno)
                                append(cid)
                                append_line(lineno)
                                plain = plain_names.get(name)
                                if plain is None:
                                    plain = plain_names[name] = plain_at_ends(name)
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
            except LineError as exc:
                self._unknown(line, lineno, exc.message, exc.severity)
                if word == "pipeline":
                    expect_brace = _RAW_PIPELINE
                    raw_pipeline_line = lineno
                continue
            if comment is not None:
                raw(comment, RawKind.COMMENT, lineno)
        self._report_unclosed(comment_block_line if in_comment_block else 0, raw_block_line)
        self._finish()
        if self.block is not None:  # after _finish: it patches layout slots by index
            self._close_at_last_child(self.block)
        self._record_sources()
        source_lines = dict(zip(self.layout, self.layout_lines))  # noqa: B905 (same length)
        source_lines.pop(None, None)  # folded method lines
        self.diagnostics.sort(key=lambda d: d.line)
        return ParseResult(self.map, self.diagnostics, source_lines)  # type: ignore[arg-type]

    def _open_block(self, pending: object, line: str, lineno: int, comment: str | None, raw_pipeline_line: int) -> int:
        """A "{" after a pipeline line; returns the line of that pipeline when it could
        not be read (the block then stays raw as a whole), else 0."""
        if pending is _RAW_PIPELINE:
            self._unknown(line, lineno, f"opens the block of the unreadable pipeline on line {raw_pipeline_line}")
            return raw_pipeline_line
        assert isinstance(pending, Pipeline)
        pending.block = True
        self.block = pending
        self.block_line = lineno
        if not pending.component_id:  # owner not known yet: the "{" may stay raw
            self._place(f"{pending.id}#open", lineno)
            self.open_lines[pending.id] = line
        if comment is not None:
            self._raw(comment, RawKind.COMMENT, lineno)
        return 0

    def _report_unclosed(self, comment_block_line: int, raw_block_line: int) -> None:
        """Warnings for a "/*" or a block still open at the end of the text."""
        if comment_block_line:
            self._diag(
                comment_block_line,
                "'/*' is never closed with '*/': every line after it is a comment (to OWM too)",
                "warning",
            )
        if self.block is not None:
            self._diag(self.block_line, "pipeline block not closed with '}' (added when written)", "warning")
        if raw_block_line:
            self._diag(raw_block_line, "pipeline block not closed with '}'", "warning")

    # -- bookkeeping ---------------------------------------------------------------------

    def _record_sources(self) -> None:
        """Keep the text of every line that the writer would not reproduce as it is
        (``0.70``, ``[a,b]``, ``a->B``, a trailing comment...), with what the writer
        makes of its elements now: ``write_owm`` reuses the line while that stays so."""
        texts = self.texts
        kept = self.kept
        sources = self.map.owm_source
        if texts and not self.ends_with_newline:
            sources[NO_FINAL_NEWLINE] = SourceLine("", "")
        for lineno, (slot, made) in self.made_here.items():
            sources[slot] = SourceLine(texts[lineno - 1], made)
        self.canonical_lines.update(self.made_here)
        fingerprints = SlotTexts(self.map)
        for lineno, run in self._unknown_runs().items():
            if 0 < lineno <= len(texts):
                source = _source_line(texts[lineno - 1], run, fingerprints, kept.get(lineno, ""))
                if source is not None:
                    sources[run[0]] = source

    def _unknown_runs(self) -> dict[int, list[str]]:
        """The slots of each line not already known to be written as it is; a line that
        starts raw (blank, comment, unknown) is written verbatim anyway."""
        known = self.canonical_lines
        raw_ids = {r.id for r in self.map.raw_lines}
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
        return runs

    def _close_at_last_child(self, block: Pipeline) -> None:
        """An unclosed block ends where the writer will put its "}": after its last child
        (and that child's evolve line), so reading the written text gives the same layout."""
        inside = {block.id} | {c.id for c in self.components if c.pipeline_id == block.id}
        inside |= {f"{cid}#evolve" for cid in inside}
        at = max((i for i, slot in enumerate(self.layout) if slot in inside), default=len(self.layout) - 1)
        self.layout.insert(at + 1, f"{block.id}{BLOCK_END_SUFFIX}")
        self.layout_lines.insert(at + 1, self.layout_lines[at] if at >= 0 else 0)


def _source_line(text: str, run: list[str], fingerprints: SlotTexts, keep: str) -> SourceLine | None:
    """The line ``text`` (holding the slots ``run``) kept for the writer, unless the
    writer makes it as it is anyway (or makes nothing of one of its slots)."""
    prints = [p for p in (fingerprints.text(slot) for slot in run) if p is not None]
    if len(prints) != len(run):  # a slot the writer makes nothing of
        return None
    fingerprint = "\n".join(prints)
    if text != fingerprint or keep:
        return SourceLine(text, fingerprint, tuple(run[1:]), keep)
    return None


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
        result = parser.parse(text)
        if warnings := range_warnings(result, filename):  # positions off the map
            result.diagnostics = sorted(result.diagnostics + warnings, key=lambda d: d.line)
        return result
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
        f"internal error while reading the map ({type(exc).__name__}: {excerpt(str(exc))}); "
        "every line kept as written"
    )
    return ParseResult(m, [Diagnostic(filename, 1, message)], {f"r{i}": i for i in range(1, len(lines) + 1)})
