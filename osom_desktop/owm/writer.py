"""``WardleyMap`` -> canonical OWM text that reads back (here and in OWM) as the same map.

The writer follows ``m.layout`` so comments, blank lines and unknown lines stay where the
user put them. Slots whose element is gone are skipped; elements without a slot come
after the laid-out text, except where OWM's reading order needs otherwise:

* a missing ``title`` / ``evolution`` slot goes first (OWM uses the first such line);
* an evolve, or a pipeline, without a slot goes right after its component's line;
* a block pipeline's children are written inside its ``{ }``, together with whatever
  the layout holds between the pipeline and its last child (comments inside the block
  stay inside).

A line the map was read from (``m.owm_source``) is written back byte for byte while
the writer would still write its element(s) exactly as it did when the line was read:
an edit anywhere (a move, a rename of one end of a link) changes that and drops it.

Free text that OWM cannot quote (title, annotation text, link context, flow values,
stage labels, raw lines) has its line breaks turned into spaces: a line break would
start a new line and could smuggle in an element.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from osom_desktop.model.wardley import (
    BLOCK_END_SUFFIX,
    METHOD_SUFFIX,
    Accelerator,
    Annotation,
    Area,
    Component,
    ComponentKind,
    FlowDirection,
    Link,
    Note,
    Pipeline,
    RawLine,
    SourceLine,
    Url,
    WardleyMap,
)
from osom_desktop.owm.names import link_end_text, link_end_texts, name_text, quote, single_line
from osom_desktop.owm.numbers import read_number, write_maturity, write_number

__all__ = ["write_owm"]

_KIND_WORD = {
    ComponentKind.COMPONENT: "component",
    ComponentKind.ANCHOR: "anchor",
    ComponentKind.SUBMAP: "submap",
}
_FLOW_ARROW = {FlowDirection.FORWARD: ">", FlowDirection.BACKWARD: "<", FlowDirection.BOTH: "<>"}
# ``owm_source`` key saying the text read had no line break after its last line.
NO_FINAL_NEWLINE = "#eof"
_SINGLETONS = ("title", "evolution", "valuechain", "size", "style", "annotations")


_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def keep_spelling(text: str, source: Any) -> str:
    """``text``, an element's line written afresh after an edit, with each ``[...]``
    whose values the edit left alone spelled as the person wrote it: changing a
    component's method or dragging its label keeps ``[0.30, 0.70]``, not ``[0.3, 0.7]``.
    A moved element's position is written anew (two decimals from the canvas)."""
    written, made = _BRACKETED.findall(source.text), _BRACKETED.findall(source.fingerprint)
    if not written or written == made or len(written) != len(made):
        return text
    try:
        for w, m in zip(written, made, strict=True):
            ws, ms = w.split(","), m.split(",")
            if len(ws) != len(ms) or any(read_number(a) != read_number(b) for a, b in zip(ws, ms, strict=True)):
                return text  # not the same numbers: a name with brackets, or not read alike
    except ValueError:
        return text
    spelled = dict(zip(made, written, strict=True))  # canonical inside of a bracket -> as written
    return _BRACKETED.sub(lambda match: f"[{spelled.get(match.group(1), match.group(1))}]", text)


def _pair(a: float, b: float) -> str:
    return f"[{write_number(a)}, {write_number(b)}]"


def component_line(c: Component, child: bool = False, name: str | None = None, method: bool = True) -> str:
    """``name``: the name as already quoted (the writer caches it). ``method``: False
    when a standalone ``build X`` line of its own says it."""
    parts = [_KIND_WORD.get(c.kind, "component"), name_text(c.name) if name is None else name]
    _add_position(parts, c, child)
    if c.label is not None:
        parts.append(f"label {_pair(c.label.dx, c.label.dy)}")
    if c.method is not None and method:
        parts.append(f"({c.method})")
    _add_flags(parts, c)
    return " ".join(parts)


def _add_position(parts: list[str], c: Component, child: bool) -> None:
    if c.visibility is not None and c.evolution is not None:
        parts.append(_pair(c.visibility, c.evolution))
    elif child and c.evolution is not None:
        parts.append(f"[{write_number(c.evolution)}]")
    elif c.name.endswith(")") and parts[1] == c.name:
        # Nothing after the name: read right to left, "A (build)" would lose "(build)".
        parts[1] = quote(c.name)
    # A top-level component with only one coordinate has no OWM form; it is written
    # without coordinates rather than with a misleading one.


def _add_flags(parts: list[str], c: Component) -> None:
    if c.market:
        parts.append("(market)")
    if c.ecosystem:
        parts.append("(ecosystem)")
    if c.inertia:
        parts.append("inertia")
    if c.url_ref is not None:
        parts.append(f"url({c.url_ref})")


def method_line(c: Component) -> str:
    """A standalone ``build X`` line (OWM's older form, kept where the text had it)."""
    assert c.method is not None
    return f"{c.method} {name_text(c.name)}"


def evolve_line(c: Component) -> str:
    ev = c.evolve
    assert ev is not None
    head = f"evolve {name_text(c.name)}"
    if ev.name is not None:
        head += f"->{name_text(ev.name)}"
    parts = [head, write_maturity(ev.evolution)]
    if ev.label is not None:
        parts.append(f"label {_pair(ev.label.dx, ev.label.dy)}")
    if ev.method is not None:
        parts.append(f"({ev.method})")
    if ev.market:
        parts.append("(market)")
    if ev.ecosystem:
        parts.append("(ecosystem)")
    return " ".join(parts)


def link_line(link: Link, source: Component, target: Component) -> str:
    src = source.evolve.name if link.source_evolved and source.evolve and source.evolve.name else source.name
    tgt = target.evolve.name if link.target_evolved and target.evolve and target.evolve.name else target.name
    return _link_text(link, link_end_text(src, True), link_end_text(tgt, False))


def _link_text(link: Link, source: str, target: str) -> str:
    if link.flow is None:
        text = f"{source}->{target}"
    elif link.flow_value is None:
        text = f"{source}+{_FLOW_ARROW[link.flow]}{target}"
    else:
        text = f"{source}+'{single_line(link.flow_value)}'{_FLOW_ARROW[link.flow]}{target}"
    if link.context:
        text += f"; {single_line(link.context).strip()}"
    return text


def _title_line(m: WardleyMap) -> str | None:
    if m.title is None:
        return None
    title = single_line(m.title).strip()
    return f"title {title}" if title else "title"


def _evolution_line(m: WardleyMap) -> str | None:
    if m.evolution_labels is None and not m.evolution_axis_hidden:
        return None
    labels = "" if m.evolution_labels is None else "->".join(single_line(x).strip() for x in m.evolution_labels)
    if m.evolution_axis_hidden:
        return f"evolution --hide {labels}".rstrip()
    return f"evolution {labels}"


def _style_line(m: WardleyMap) -> str | None:
    return None if m.style is None else f"style {single_line(m.style).strip()}"


_SINGLETON_LINES: dict[str, Callable[[WardleyMap], str | None]] = {
    "title": _title_line,
    "evolution": _evolution_line,
    "valuechain": lambda m: "valuechain --hide" if m.value_chain_hidden else None,
    "size": lambda m: None if m.size is None else f"size {_pair(*m.size)}",
    "style": _style_line,
    "annotations": lambda m: None if m.annotations_legend is None else f"annotations {_pair(*m.annotations_legend)}",
}


def singleton_line(m: WardleyMap, slot: str) -> str | None:
    """The line of a map-wide setting (``title``, ``evolution``...), None when unset."""
    line_of = _SINGLETON_LINES.get(slot)
    return None if line_of is None else line_of(m)


def note_line(n: Note) -> str:
    return f"note {name_text(n.text)} {_pair(n.visibility, n.evolution)}"


def annotation_line(a: Annotation) -> str:
    if len(a.points) == 1:
        where = _pair(*a.points[0])
    else:
        where = "[" + ", ".join(_pair(v, e) for v, e in a.points) + "]"
    text = single_line(a.text).strip()
    return f"annotation {a.number} {where}" + (f" {text}" if text else "")


def area_line(ar: Area) -> str:
    return f"{ar.kind} [{write_number(ar.top)}, {write_number(ar.left)}, {write_number(ar.bottom)}, {write_number(ar.right)}]"


def accelerator_line(acc: Accelerator) -> str:
    return f"{acc.kind} {name_text(acc.name)} {_pair(acc.visibility, acc.evolution)}"


def url_line(u: Url) -> str:
    return f"url {name_text(u.name)} [{single_line(u.url).strip()}]"


def raw_line(r: RawLine) -> str:
    # Verbatim: the parser splits on "\n" only, so only that could break it.
    return r.text.replace("\n", " ")


# The map lists of elements written as one finished line each, and how.
_OTHER_LINES: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("notes", note_line),
    ("annotations", annotation_line),
    ("areas", area_line),
    ("accelerators", accelerator_line),
    ("urls", url_line),
    ("raw_lines", raw_line),
)
OTHER_LINE = dict(_OTHER_LINES)


def pipeline_line(p: Pipeline, owner: Component) -> str:
    text = f"pipeline {name_text(owner.name)}"
    if p.start is not None and p.end is not None:
        text += f" {_pair(p.start, p.end)}"
    return text


def _children(components: list[Component], pipelines: dict[str, Pipeline]) -> dict[str, list[Component]]:
    """Pipeline id -> its children, in map order."""
    children: dict[str, list[Component]] = {}
    for c in components:
        if c.pipeline_id is not None and c.pipeline_id in pipelines:
            children.setdefault(c.pipeline_id, []).append(c)
    return children


class _Writer:
    def __init__(self, m: WardleyMap) -> None:
        self.m = m
        self.out: list[str] = []
        # Written components, evolve slots, pipelines and singletons. Links and the
        # simple elements need no such set: each is written at its (first) slot, or
        # after the layout when it has none.
        self.done: set[str] = set()
        self.slots: dict[str, None] = dict.fromkeys(m.layout)  # first occurrences, in order
        self.layout: list[str] = list(self.slots)
        self.components = {c.id: c for c in m.components}
        self.links = {lk.id: lk for lk in m.links}
        self.others: dict[str, str] = {}  # id -> finished line, for simple elements
        for kind, make in _OTHER_LINES:
            for e in getattr(m, kind):
                self.others[e.id] = make(e)
        # Pipelines whose component exists; children of any other pipeline are plain.
        self.pipelines = {p.id: p for p in m.pipelines if p.component_id in self.components}
        self.pipelines_of: dict[str, list[Pipeline]] = {}
        for p in self.pipelines.values():
            self.pipelines_of.setdefault(p.component_id, []).append(p)
        self.children = _children(m.components, self.pipelines)
        self.child_ids = {c.id for kids in self.children.values() for c in kids}
        self.index_of: dict[str, int] | None = None  # built if a block pipeline needs it
        self.waiting_for_owner: dict[str, list[Pipeline]] = {}
        # The slot each output line was written for (None for a block's "{"), and how
        # many lines the walk of the layout wrote: kept only for an editor that then
        # rewrites single lines (``owm.incremental``); None costs nothing.
        self.line_slots: list[str | None] | None = None
        self.walk_end = 0
        # Quoting is decided once per component, not once per mention: a name sits in
        # many links, and on a large map re-deriving it per link costs more than all
        # the rest of writing a link.
        # One dict for the usual case where a name is spelt the same at both ends of a
        # link (half the memory to hop through on a large map), two for the rest.
        self.as_end: dict[str, str] = {}  # component id -> name as either link end
        self.as_source: dict[str, str] = {}
        self.as_target: dict[str, str] = {}
        self.link_cursor = 0  # see _walk
        self.source = m.owm_source
        self.covered: set[str] = set()  # slots whose text went out inside another's source line
        self.slot_texts: SlotTexts | None = None  # built when a source line is checked

    def _emit(self, slot: str, text: str) -> None:
        """``text`` for ``slot``, or the line it was read from while that still holds."""
        if self.line_slots is not None:
            self.line_slots.append(slot)
        if not self.source:
            self.out.append(text)
            return
        source = self.source.get(slot)
        if source is None:
            self.out.append(text)
        elif self._unchanged(text, source):
            self.out.append(source.text)
            if source.covers:
                self.covered.update(source.covers)
                self.done.update(source.covers)
        else:
            self.out.append(keep_spelling(text, source) + source.keep)

    def _unchanged(self, text: str, source: SourceLine) -> bool:
        """The line ``source`` was read from still says what the writer makes of its
        slots now (``text`` and those it covers)."""
        if self.slot_texts is None:
            self.slot_texts = SlotTexts(self.m)
        if source.covers:
            made = "\n".join([text, *(self.slot_texts.text(s) or "" for s in source.covers)])
        else:
            made = text
        # A line break in a stored source line (a hand-edited file) must not add lines.
        return made == source.fingerprint and "\n" not in source.text and "\r" not in source.text

    # -- whole map -------------------------------------------------------------------------

    def write(self) -> str:
        # Settings not in the layout open the text (singleton_line: None when unset).
        for setting in ("title", "evolution", "valuechain", "size"):
            if setting not in self.slots:
                self._singleton(setting)
        self._walk(self.layout, 0, len(self.layout))
        self.walk_end = len(self.out)
        self._not_in_layout()
        self._singleton("style")
        self._singleton("annotations")
        if not self.out:
            return ""
        if NO_FINAL_NEWLINE in self.source:
            return "\n".join(self.out)  # as the text was read
        return "\n".join(self.out) + "\n"

    def _not_in_layout(self) -> None:
        """Elements the layout does not place (added by editing) go after it."""
        m = self.m
        slots = self.slots
        for c in m.components:
            if c.id not in self.child_ids:
                self._component(c)
        for lk in m.links:
            if lk.id not in slots:
                self._link(lk)
        for group in (m.notes, m.annotations, m.areas, m.accelerators, m.urls, m.raw_lines):
            self._unplaced([e.id for e in group if e.id not in slots])
        self._pipelines_left()

    def _pipelines_left(self) -> None:
        """Only a pipeline whose owner sits inside another block is left by now."""
        for p in self.pipelines.values():
            if p.id not in self.done and p.component_id in self.done:
                self._pipeline(p, [], 0, 0)

    def _unplaced(self, ids: list[str]) -> None:
        self.out += [self.others[eid] for eid in ids]
        if self.line_slots is not None:
            self.line_slots += ids

    def _walk(self, layout: list[str], start: int, stop: int) -> None:
        links = self.links
        pipelines = self.pipelines
        done = self.done
        write_link = self._link
        write_slot = self._slot
        # A parsed map lists links in ``m.links`` in layout order, with the very same id
        # objects: a cursor finds the next one by identity. On a large map that saves a
        # hash look-up (cache misses) per link; any other order falls back to the dict.
        in_order = self.m.links
        n_links = len(in_order)
        cursor = self.link_cursor
        i = start
        while i < stop:
            slot = layout[i]
            if cursor < n_links and in_order[cursor].id is slot:
                link: Link | None = in_order[cursor]
                cursor += 1
            else:
                link = links.get(slot)
            if link is not None:
                write_link(link)
                i += 1
                continue
            if pipelines:
                pipeline = pipelines.get(slot)
                # Where the text had it, even above its component: OWM, and our parser,
                # find the owner by name anywhere.
                if pipeline is not None and slot not in done:
                    self.link_cursor = cursor
                    i = self._pipeline(pipeline, layout, i, stop)
                    cursor = self.link_cursor
                    continue
            write_slot(slot)
            i += 1
        self.link_cursor = cursor

    # -- one slot --------------------------------------------------------------------------

    def _slot(self, slot: str) -> None:
        component = self.components.get(slot)
        if component is not None:
            if component.id not in self.child_ids:
                self._component(component)
            return
        text = self.others.get(slot)
        if text is not None:
            if slot not in self.covered:
                self._emit(slot, text)
            return
        link = self.links.get(slot)
        if link is not None:
            self._link(link)
            return
        if slot not in self.done:
            self._other_slot(slot)

    def _other_slot(self, slot: str) -> None:
        """A method or evolve line, a pipeline placed above its owner, or a setting."""
        if slot.endswith(METHOD_SUFFIX):
            owner = self.components.get(slot[: -len(METHOD_SUFFIX)])
            if owner is not None and owner.method is not None:
                self.done.add(slot)
                self._emit(slot, method_line(owner))
            return
        if slot.endswith("#evolve"):
            self._evolve_slot(slot)
            return
        pipeline = self.pipelines.get(slot)
        if pipeline is not None:
            # Its owner is not written yet: it follows the owner's line instead.
            self.waiting_for_owner.setdefault(pipeline.component_id, []).append(pipeline)
            return
        if slot in _SINGLETONS:
            self._singleton(slot)

    def _evolve_slot(self, slot: str) -> None:
        owner = self.components.get(slot[: -len("#evolve")])
        if owner is not None and owner.evolve is not None:
            self.done.add(slot)
            self._emit(slot, evolve_line(owner))

    def _singleton(self, slot: str) -> None:
        if slot in self.done:
            return
        line = singleton_line(self.m, slot)
        if line is not None:
            self.done.add(slot)
            self._emit(slot, line)

    def _link(self, link: Link) -> None:
        if link.source_evolved or link.target_evolved:
            source = self.components.get(link.source)
            target = self.components.get(link.target)
            if source is not None and target is not None:  # else an end was deleted: so is the link
                self._emit(link.id, link_line(link, source, target))
            return
        as_end = self.as_end
        src = as_end.get(link.source) or self._end_text(link.source, True)
        tgt = as_end.get(link.target) or self._end_text(link.target, False)
        if src and tgt:  # "" when an end was deleted: so is the link
            self._emit(link.id, _link_text(link, src, tgt))

    def _end_text(self, component_id: str, at_start: bool) -> str:
        cache = self.as_source if at_start else self.as_target
        text = cache.get(component_id)
        if text is not None:
            return text
        component = self.components.get(component_id)
        if component is None:
            return ""
        source, target = link_end_texts(component.name)
        if source == target:
            self.as_end[component_id] = source
        else:
            self.as_source[component_id] = source
            self.as_target[component_id] = target
        return source if at_start else target

    def _component(self, c: Component, child: bool = False) -> None:
        if c.id in self.done:
            return
        self.done.add(c.id)
        self._emit(c.id, component_line(c, child, method=f"{c.id}{METHOD_SUFFIX}" not in self.slots))
        if c.evolve is not None:
            self._own_evolve(c)
        if not child:
            self._owned_pipelines(c)

    def _own_evolve(self, c: Component) -> None:
        """A component's evolve line right after it, unless the layout places it."""
        evolve_slot = f"{c.id}#evolve"
        if evolve_slot not in self.slots and evolve_slot not in self.done:
            self.done.add(evolve_slot)
            self._emit(evolve_slot, evolve_line(c))

    def _owned_pipelines(self, c: Component) -> None:
        """Pipelines of ``c`` that wait for it, or that the layout does not place."""
        if self.waiting_for_owner:
            for p in self.waiting_for_owner.pop(c.id, []):
                self._pipeline(p, [], 0, 0)
        if self.pipelines_of:
            for p in self.pipelines_of.get(c.id, []):
                if p.id not in self.slots and p.id not in self.done:
                    self._pipeline(p, [], 0, 0)

    # -- pipelines -------------------------------------------------------------------------

    def _pipeline(self, p: Pipeline, layout: list[str], at: int, stop: int) -> int:
        """Write pipeline ``p`` (its slot at ``layout[at]``, if any); return where the
        walk resumes."""
        self.done.add(p.id)
        owner = self.components[p.component_id]
        self._emit(p.id, pipeline_line(p, owner))
        kids = self.children.get(p.id, [])
        if not (p.block or kids):
            return at + 1
        self.out.append("{")
        if self.line_slots is not None:
            self.line_slots.append(None)
        end = self._block_end(p, kids, layout, at, stop)
        deferred = self._inside_block(p, layout[at + 1 : end])
        for kid in kids:
            self._component(kid, child=True)
        self._emit(f"{p.id}{BLOCK_END_SUFFIX}", "}")
        for slot in deferred:
            pipeline = self.pipelines.get(slot)
            if pipeline is not None and pipeline.component_id in self.done:
                self._pipeline(pipeline, [], 0, 0)
            else:
                self._slot(slot)
        return max(end, at + 1)

    def _inside_block(self, p: Pipeline, slots: list[str]) -> list[str]:
        """Write the slots inside ``p``'s braces; return those that must come after the
        "}" instead."""
        deferred: list[str] = []
        for slot in slots:
            if slot in self.done:
                continue
            component = self.components.get(slot)
            if component is not None:
                if component.pipeline_id == p.id and component.id in self.child_ids:
                    self._component(component, child=True)
                else:
                    deferred.append(slot)  # would turn into a child inside the braces
            elif slot in self.pipelines:
                deferred.append(slot)  # no pipeline inside a pipeline block
            else:
                self._slot(slot)
        return deferred

    def _block_end(self, p: Pipeline, kids: list[Component], layout: list[str], at: int, stop: int) -> int:
        """One past the last layout slot that belongs inside the block: up to its "}" when
        the text had one, else the last child and the evolve lines of children right after it."""
        if not layout:
            return at
        if self.index_of is None:
            self.index_of = {slot: i for i, slot in enumerate(self.layout)}
        end = at + 1
        close = self.index_of.get(f"{p.id}{BLOCK_END_SUFFIX}", -1)
        if at < close < stop:
            end = close
        for kid in kids:
            i = self.index_of.get(kid.id, -1)
            if at < i < stop:
                end = max(end, i + 1)
        evolve_slots = {f"{k.id}#evolve" for k in kids}
        while end < stop and layout[end] in evolve_slots:
            end += 1
        return end


def write_owm(m: WardleyMap) -> str:
    """Canonical OWM text for ``m``, following ``m.layout``."""
    return _Writer(m).write()


class SlotTexts:
    """What the writer makes of one layout slot, on its own: the fingerprint a source
    line is checked against (see ``WardleyMap.owm_source``)."""

    def __init__(self, m: WardleyMap) -> None:
        self.m = m
        self.writer = _Writer(m)
        self.writer.source = {}

    def text(self, slot: str) -> str | None:
        w = self.writer
        component = w.components.get(slot)
        if component is not None:
            child = component.id in w.child_ids
            return component_line(component, child, method=f"{slot}{METHOD_SUFFIX}" not in w.slots)
        other = w.others.get(slot)
        if other is not None:
            return other
        link = w.links.get(slot)
        if link is not None:
            return self._link(link)
        return self._facet(slot)

    def _link(self, link: Link) -> str | None:
        w = self.writer
        if link.source_evolved or link.target_evolved:
            source = w.components.get(link.source)
            target = w.components.get(link.target)
            return None if source is None or target is None else link_line(link, source, target)
        # The writer's own per-component quoting cache: a name sits in many links.
        src = w.as_end.get(link.source) or w._end_text(link.source, True)
        tgt = w.as_end.get(link.target) or w._end_text(link.target, False)
        return _link_text(link, src, tgt) if src and tgt else None

    def _facet(self, slot: str) -> str | None:
        """A method or evolve line, a block's "}", a pipeline or a setting."""
        w = self.writer
        base, _, facet = slot.partition("#")
        if facet == METHOD_SUFFIX[1:]:
            owner = w.components.get(base)
            return None if owner is None or owner.method is None else method_line(owner)
        if facet == "evolve":
            owner = w.components.get(base)
            return None if owner is None or owner.evolve is None else evolve_line(owner)
        if facet == BLOCK_END_SUFFIX[1:]:
            return "}"
        pipeline = w.pipelines.get(slot)
        if pipeline is not None:
            return pipeline_line(pipeline, w.components[pipeline.component_id])
        if slot in _SINGLETONS:
            return singleton_line(self.m, slot)
        return None
