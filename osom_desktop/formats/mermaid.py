"""Mermaid ``wardley-beta`` text <-> ``WardleyMap``.

Written to Mermaid's own grammar (``@mermaid-js/parser``, the ``wardley`` language;
tests parse our output with it). What the grammar demands and we therefore always do:

* names are always quoted (``"Cup of Tea"``): unquoted names stop at the first
  character outside ``[A-Za-z0-9_()&-]``, and a name starting with a keyword
  (``note``, ``title``) would be read as that keyword;
* coordinates always carry a decimal point and lie in 0..1: the grammar's number
  token is ``[0-9]+.[0-9]+``, so ``[1, 0]`` is a syntax error, and Mermaid reads a
  value above 1 as a percentage (1.5 would land at 1.5 %);
* the evolution axis names its stage boundaries (``"Genesis"@0.175``): Mermaid
  otherwise cuts the axis into equal quarters, and our positions assume Wardley's.

What Mermaid cannot say (ecosystem, submaps and their urls, pioneer/settler/town
planner areas, the style, an evolve that renames, links to an evolved copy, …) is
listed in ``MermaidExport.losses``, one line each, for the caller to show: never
dropped in silence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from osom_desktop.model.errors import OsomError
from osom_desktop.model.wardley import (
    DEFAULT_STAGE_LABELS,
    STAGE_BOUNDARIES,
    Accelerator,
    AcceleratorKind,
    Annotation,
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
    WardleyMap,
)

HEADER = "wardley-beta"


class MermaidError(OsomError):
    """Mermaid text that cannot be read; ``str()`` is ``file:line: problem``."""


@dataclass(slots=True)
class MermaidExport:
    text: str
    losses: list[str] = field(default_factory=list)  # what Mermaid could not express


# -- writing ---------------------------------------------------------------------------


def quoted(text: str) -> str:
    """A Mermaid STRING: backslash and double quote escaped, line breaks as ``\\n``
    (Langium's string converter turns the escapes back)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{body}"'


def number(value: float) -> str:
    """A coordinate: clamped to 0..1, always with a decimal point (``1.0``, ``0.35``)."""
    v = min(1.0, max(0.0, value))
    text = f"{v:.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _out_of_range(value: float) -> bool:
    return not (0.0 <= value <= 1.0)


def _stage_label(label: str) -> str:
    return " ".join(label.split())


def _offset(o: Offset | None) -> str:
    if o is None:
        return ""
    return f" label [{round(o.dx)}, {round(o.dy)}]"


class _Writer:
    def __init__(self, m: WardleyMap) -> None:
        self.m = m
        self.lines: list[str] = [HEADER]
        self.losses: list[str] = []
        self.written: dict[str, str] = {}  # component id -> name as written
        self.in_pipeline: set[str] = set()  # ids written inside a pipeline's { }

    def lost(self, what: str) -> None:
        self.losses.append(what)

    def point(self, what: str, visibility: float, evolution: float) -> str:
        if _out_of_range(visibility) or _out_of_range(evolution):
            self.lost(f"{what}: position [{visibility}, {evolution}] is outside the map; drawn at its edge")
        return f"[{number(visibility)}, {number(evolution)}]"

    def run(self) -> MermaidExport:
        m = self.m
        if m.title:
            self._title(m.title)
        self._axis()
        self._components_and_pipelines()
        for lk in m.links:
            self._link(lk)
        for c in m.components:
            if c.evolve is not None and c.id in self.written:
                self._evolve(c, c.evolve)
        self._notes_and_marks()
        self._unsayable()
        return MermaidExport("\n".join(self.lines) + "\n", self.losses)

    def _notes_and_marks(self) -> None:
        """Notes, the annotations legend, annotations and accelerators."""
        m = self.m
        for n in m.notes:
            self.lines.append(f"note {quoted(n.text)} {self.point(f'note {n.text!r}', n.visibility, n.evolution)}")
        if m.annotations_legend is not None:
            v, e = m.annotations_legend
            self.lines.append(f"annotations {self.point('annotations legend', v, e)}")
        for a in sorted(m.annotations, key=lambda a: a.number):
            self._annotation(a)
        for acc in m.accelerators:
            word = "accelerator" if acc.kind is AcceleratorKind.ACCELERATOR else "deaccelerator"
            self.lines.append(f"{word} {quoted(acc.name)} {self.point(f'{word} {acc.name!r}', acc.visibility, acc.evolution)}")

    def _title(self, text: str) -> None:
        title = " ".join(text.split())
        if "%%" in title:  # Mermaid starts a comment at %%
            self.lost("title: '%%' cannot appear in a Mermaid title; written as '% %'")
            title = title.replace("%%", "% %")
        self.lines.append(f"title {title}")

    def _components_and_pipelines(self) -> None:
        """Components outside pipelines first, then each pipeline with its children."""
        m = self.m
        pipelines_of: dict[str, list[Pipeline]] = {}
        for p in m.pipelines:
            pipelines_of.setdefault(p.component_id, []).append(p)
        children: dict[str, list[Component]] = {}
        for c in m.components:
            if c.pipeline_id is not None:
                children.setdefault(c.pipeline_id, []).append(c)
        pipeline_ids = {p.id for p in m.pipelines}
        for c in m.components:
            if c.pipeline_id is None or c.pipeline_id not in pipeline_ids:
                self._component(c)
        for c in m.components:
            for p in pipelines_of.get(c.id, []):
                self._pipeline(p, c, children.get(p.id, []))

    def _axis(self) -> None:
        labels = [_stage_label(s) for s in (self.m.evolution_labels or DEFAULT_STAGE_LABELS)]
        if len(labels) == 4:
            ends = [*STAGE_BOUNDARIES, 1.0]
            stages = [f"{quoted(label)}@{number(end)}" for label, end in zip(labels, ends, strict=True)]
        else:
            self.lost(f"evolution axis: {len(labels)} stages; Mermaid spaces them evenly")
            stages = [quoted(label) for label in labels]
        if len(stages) >= 2:
            self.lines.append("evolution " + " -> ".join(stages))

    def _decorations(self, c: Component, what: str) -> str:
        text = _offset(c.label)
        strategies = ([c.method.value] if c.method is not None else []) + (["market"] if c.market else [])
        if strategies:
            text += f" ({strategies[0]})"
            if len(strategies) > 1:
                self.lost(f"{what}: Mermaid takes one of build/buy/outsource/market; '{strategies[1]}' left out")
        if c.inertia:
            text += " inertia"
        if c.ecosystem:
            self.lost(f"{what}: 'ecosystem' has no Mermaid form; drawn as a plain component")
        return text

    def _component(self, c: Component) -> None:
        what = f"{c.kind.value} {c.name!r}"
        if c.visibility is None or c.evolution is None:
            self.lost(f"{what}: has no position on the map; left out")
            return
        if c.kind is ComponentKind.SUBMAP:
            self.lost(f"{what}: Mermaid has no submaps (nor their urls); drawn as a component")
        word = "anchor" if c.kind is ComponentKind.ANCHOR else "component"
        line = f"{word} {quoted(c.name)} {self.point(what, c.visibility, c.evolution)}"
        if word == "component":
            line += self._decorations(c, what)
        self.lines.append(line)
        self.written[c.id] = c.name

    def _pipeline(self, p: Pipeline, owner: Component, members: list[Component]) -> None:
        what = f"pipeline {owner.name!r}"
        if owner.id not in self.written:
            self.lost(f"{what}: its component is not on the Mermaid map; left out")
            return
        placed = [c for c in members if c.evolution is not None]
        if not placed:
            self.lost(f"{what}: Mermaid draws a pipeline around its components and this one has none; left out")
            return
        if p.start is not None or p.end is not None:
            self.lost(f"{what}: Mermaid draws the pipeline from its components; its own extent is not kept")
        self.lines.append(f"pipeline {quoted(owner.name)} {{")
        for c in placed:
            self._pipeline_child(c)
        self.lines.append("}")

    def _pipeline_child(self, c: Component) -> None:
        assert c.evolution is not None
        cwhat = f"pipeline component {c.name!r}"
        if _out_of_range(c.evolution):
            self.lost(f"{cwhat}: evolution {c.evolution} is outside the map; drawn at its edge")
        self.lines.append(f"  component {quoted(c.name)} [{number(c.evolution)}]{_offset(c.label)}")
        if c.method or c.market or c.inertia or c.ecosystem:
            self.lost(f"{cwhat}: Mermaid pipeline components take no method, market, inertia or ecosystem")
        self.written[c.id] = c.name
        self.in_pipeline.add(c.id)

    def _link(self, lk: Link) -> None:
        source, target = self.written.get(lk.source), self.written.get(lk.target)
        if source is None or target is None:
            self.lost(f"link {lk.id}: one of its ends is not on the Mermaid map; left out")
            return
        if lk.source in self.in_pipeline or lk.target in self.in_pipeline:
            self.lost(f"link {source!r} -> {target!r}: Mermaid keeps but does not draw links to components inside a pipeline")
        if lk.source_evolved or lk.target_evolved:
            self.lost(f"link {source!r} -> {target!r}: Mermaid cannot point at an evolved copy; drawn to the component itself")
        line = f"{quoted(source)}{self._arrow(lk, source, target)}{quoted(target)}"
        if lk.context:
            line += f"; {' '.join(lk.context.split())}"
        self.lines.append(line)

    def _arrow(self, lk: Link, source: str, target: str) -> str:
        if lk.flow is None:
            return " -> "
        tip = {FlowDirection.FORWARD: ">", FlowDirection.BACKWARD: "<", FlowDirection.BOTH: "<>"}[lk.flow]
        value = lk.flow_value
        if value is not None and ("'" in value or "\n" in value):
            self.lost(f"flow {source!r} -> {target!r}: its value {value!r} has a quote or line break Mermaid cannot hold; left out")
            value = None
        return f" +'{value}'{tip} " if value is not None else f" +{tip} "

    def _evolve(self, c: Component, ev: Evolve) -> None:
        what = f"evolve {c.name!r}"
        if ev.name and ev.name != c.name:
            self.lost(f"{what}: Mermaid cannot rename the evolved copy ({ev.name!r}); it keeps the name {c.name!r}")
        if ev.method or ev.market or ev.ecosystem or ev.label:
            self.lost(f"{what}: Mermaid takes no label, method, market or ecosystem on an evolve")
        if c.id in self.in_pipeline:
            self.lost(f"{what}: Mermaid keeps but does not draw the evolution of a component inside a pipeline")
        if _out_of_range(ev.evolution):
            self.lost(f"{what}: evolution {ev.evolution} is outside the map; drawn at its edge")
        self.lines.append(f"evolve {quoted(self.written[c.id])} {number(ev.evolution)}")

    def _annotation(self, a: Annotation) -> None:
        if not a.points:
            self.lost(f"annotation {a.number}: has no point; left out")
            return
        v, e = a.points[0]
        self.lines.append(f"annotation {a.number},{self.point(f'annotation {a.number}', v, e)} {quoted(a.text)}")
        if len(a.points) > 1:
            self.lost(f"annotation {a.number}: Mermaid takes one point; {len(a.points) - 1} more left out")

    def _unsayable(self) -> None:
        m = self.m
        for area in m.areas:
            self.lost(f"{area.kind.value} area: Mermaid has no pioneer/settler/town planner areas; left out")
        for url in m.urls:
            self.lost(f"url {url.name!r}: Mermaid has no submap urls; left out")
        if m.style and m.style != "plain":
            self.lost(f"style {m.style}: Mermaid draws in its own theme; left out")
        unknown = sum(1 for r in m.raw_lines if r.kind is RawKind.UNKNOWN)
        if unknown:
            self.lost(f"{unknown} OWM line(s) the map could not place; left out")
        self._unsayable_components()

    def _unsayable_components(self) -> None:
        for c in self.m.components:
            if c.description:
                self.lost(f"component {c.name!r}: its description has no Mermaid form; left out")
            if c.provided_by is not None:
                self.lost(f"component {c.name!r}: 'provided by {c.provided_by.name}' has no Mermaid form; left out")


def write_mermaid(m: WardleyMap) -> MermaidExport:
    """The map as Mermaid ``wardley-beta`` text, and what Mermaid could not express."""
    return _Writer(m).run()


# -- reading ---------------------------------------------------------------------------

_NAME = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z](?:[A-Za-z0-9_()&]|-(?!>))*(?:[ \t]+[A-Za-z(](?:[A-Za-z0-9_()&]|-(?!>))*)*)"""
_NUM = r"[0-9]+(?:\.[0-9]+)?"
_POINT = rf"\[\s*({_NUM})\s*,\s*({_NUM})\s*\]"
_LABEL = r"(?:\s+label\s*\[\s*(-?\s*[0-9]+)\s*,\s*(-?\s*[0-9]+)\s*\])"

_COMPONENT = re.compile(
    rf"^(anchor|component)\s+({_NAME})\s*{_POINT}{_LABEL}?(?:\s*\(\s*(build|buy|outsource|market)\s*\))?"
    r"(?:\s*(?:inertia|\(\s*inertia\s*\)))?\s*$"
)
_INERTIA = re.compile(r"(?:\s|\()inertia\s*\)?\s*$")
_PIPE_CHILD = re.compile(rf"^component\s+({_NAME})\s*\[\s*({_NUM})\s*\]{_LABEL}?\s*$")
_PIPELINE = re.compile(rf"^pipeline\s+({_NAME})\s*\{{\s*$")
_EVOLVE = re.compile(rf"^evolve\s+({_NAME})\s+({_NUM})\s*$")
_NOTE = re.compile(rf"^note\s+({_NAME})\s*{_POINT}\s*$")
_ANNOTATIONS = re.compile(rf"^annotations\s*{_POINT}\s*$")
_ANNOTATION = re.compile(rf"^annotation\s+([0-9]+)\s*,\s*{_POINT}\s*({_NAME})\s*$")
_ACCEL = re.compile(rf"^(accelerator|deaccelerator)\s+({_NAME})\s*{_POINT}\s*$")
_SIZE = re.compile(r"^size\s*\[\s*[0-9]+\s*,\s*[0-9]+\s*\]\s*$")
_LINK = re.compile(
    rf"^({_NAME})\s*(\+<>|\+>|\+<)?\s*(-->|-\.->|->|>|\+'[^']*'<>|\+'[^']*'<|\+'[^']*'>)?\s*({_NAME})\s*(\+<>|\+>|\+<)?\s*(;[^\n\r]+)?$"
)
_STAGE = re.compile(rf"^\s*({_NAME})\s*(?:@\s*({_NUM}))?\s*(?:/\s*({_NAME}))?\s*$")
_KEYWORDS = ("anchor", "component", "pipeline", "evolve", "note", "annotations", "annotation",
             "accelerator", "deaccelerator", "size", "evolution")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def unquote(token: str) -> str:
    """A name as the grammar reads it: quotes removed and escapes resolved, or a bare name."""
    token = token.strip()
    if token[:1] not in ('"', "'"):
        return token
    out: list[str] = []
    i, body = 0, token[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            i += 1
            out.append(_ESCAPES.get(body[i], body[i]))
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def strip_comment(line: str) -> str:
    """The line without a ``%%`` comment; ``%%`` inside a quoted name or a link's
    ``; label`` is part of it (the lexer reads the longer token first)."""
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == ";":
            return line  # a link's label runs to the end of the line, %% and all (one token)
        elif line.startswith("%%", i):
            return line[:i]
        i += 1
    return line


def _statement_text(raw: str) -> str:
    """A line without its comment and spaces. A title runs to the end of the line or to
    %%, quotes or not (its own token)."""
    if re.match(r"\s*title(\s|$)", raw) is not None:
        return raw.split("%%", 1)[0].strip()
    return strip_comment(raw).strip()


def _coordinate(text: str, where: str, field_name: str) -> float:
    """Mermaid's reading of a number: 0..1 as a fraction, above 1 as a percentage."""
    value = float(text)
    if value > 1:
        value /= 100
    if not (0.0 <= value <= 1.0) or math.isnan(value):
        raise MermaidError(f"{where}: {field_name} {text} is outside 0-1 (or 0-100)")
    return round(value, 6)


@dataclass(slots=True)
class _Reader:
    filename: str
    m: WardleyMap = field(default_factory=WardleyMap)
    by_name: dict[str, Component] = field(default_factory=dict)
    line_no: int = 0
    pipeline: Pipeline | None = None
    pending_links: list[tuple[int, str, str, Link]] = field(default_factory=list)
    pending_evolves: list[tuple[int, str, float]] = field(default_factory=list)
    in_front_matter: bool = False  # between the "---" lines that may open the text

    @property
    def where(self) -> str:
        return f"{self.filename}:{self.line_no}"

    def fail(self, problem: str) -> MermaidError:
        return MermaidError(f"{self.where}: {problem}")

    def num(self, text: str, field_name: str) -> float:
        return _coordinate(text, self.where, field_name)

    def add_component(self, c: Component) -> None:
        if c.name in self.by_name:
            raise self.fail(f"a second component named {c.name!r}")
        self.by_name[c.name] = c
        self.m.components.append(c)

    def read(self, text: str) -> WardleyMap:
        seen_header = False
        for self.line_no, raw in enumerate(text.splitlines(), start=1):
            line = _statement_text(raw)
            if not seen_header:
                seen_header = self.header(line)
            elif line:
                self.statement(line)
        if not seen_header:
            raise MermaidError(f"{self.filename}:1: no '{HEADER}' line: not a Mermaid Wardley map")
        if self.pipeline is not None:
            raise self.fail("the pipeline's '{' is never closed with '}'")
        self.resolve()
        return self.m

    def header(self, line: str) -> bool:
        """A line before the map (front matter, a blank line) or its header: True at
        the header, a MermaidError at anything else."""
        if line == "---" and not self.in_front_matter and self.line_no == 1:
            self.in_front_matter = True
            return False
        if self.in_front_matter:
            self.in_front_matter = line != "---"
            return False
        if not line:
            return False
        if line != HEADER:
            raise self.fail(f"a Mermaid Wardley map starts with '{HEADER}', not {line[:40]!r}")
        return True

    def statement(self, line: str) -> None:
        if self.pipeline is not None:
            self.pipeline_line(line)
            return
        if re.match(r"^title(\s|$)", line):
            title = line[5:].split("%%", 1)[0].strip()
            self.m.title = title or None
            return
        if line.startswith(("accTitle", "accDescr")) or _SIZE.match(line):
            # Accessibility text for screen readers (nothing on our map holds it), or the
            # drawing's pixel size (our maps scale to the window).
            return
        if line.startswith("evolution"):
            self.evolution(line[len("evolution"):])
            return
        if not self.element(line):
            self.link_or_fail(line)

    def element(self, line: str) -> bool:
        """An element line read; False when the line is none of them."""
        for pattern, handler in (
            (_COMPONENT, self.component),
            (_PIPELINE, self.start_pipeline),
            (_EVOLVE, self.evolve),
            (_NOTE, self.note),
            (_ANNOTATIONS, self.annotations),
            (_ANNOTATION, self.annotation),
            (_ACCEL, self.accelerator),
        ):
            match = pattern.match(line)
            if match:
                handler(match)
                return True
        return False

    def link_or_fail(self, line: str) -> None:
        word = line.split(None, 1)[0]
        if word in _KEYWORDS:
            raise self.fail(f"cannot read this '{word}' line (positions need [visibility, evolution] in 0-1)")
        match = _LINK.match(line)
        if match:
            self.link(match)
            return
        raise self.fail(f"not a Mermaid Wardley statement: {line[:60]!r}")

    def evolution(self, rest: str) -> None:
        stages = [s for s in rest.split("->")]
        if len(stages) < 2:
            raise self.fail("'evolution' needs two or more stages joined by '->'")
        labels: list[str] = []
        for s in stages:
            match = _STAGE.match(s)
            if not match:
                raise self.fail(f"cannot read the evolution stage {s.strip()!r}")
            name = unquote(match.group(1))
            if match.group(3):
                name = f"{name} / {unquote(match.group(3))}"
            labels.append(name)
        self.m.evolution_labels = labels

    def component(self, match: re.Match[str]) -> None:
        word, name, v, e, dx, dy, strategy = match.groups()
        c = Component(
            id=f"c{len(self.m.components) + 1}",
            name=unquote(name),
            kind=ComponentKind.ANCHOR if word == "anchor" else ComponentKind.COMPONENT,
            visibility=self.num(v, "visibility"),
            evolution=self.num(e, "evolution"),
        )
        if not c.name.strip():
            raise self.fail(f"{word} with an empty name")
        if dx is not None:
            c.label = Offset(float(dx.replace(" ", "")), float(dy.replace(" ", "")))
        if strategy == "market":
            c.market = True
        elif strategy:
            c.method = Method(strategy)
        c.inertia = bool(_INERTIA.search(match.group(0)))
        self.add_component(c)

    def start_pipeline(self, match: re.Match[str]) -> None:
        name = unquote(match.group(1))
        owner = self.by_name.get(name)
        if owner is None:
            raise self.fail(f"pipeline {name!r}: no component of that name above it")
        self.pipeline = Pipeline(id=f"p{len(self.m.pipelines) + 1}", component_id=owner.id, block=True)
        self.m.pipelines.append(self.pipeline)

    def pipeline_line(self, line: str) -> None:
        assert self.pipeline is not None
        if line == "}":
            if not any(c.pipeline_id == self.pipeline.id for c in self.m.components):
                raise self.fail("a pipeline needs at least one component inside its { }")
            self.pipeline = None
            return
        match = _PIPE_CHILD.match(line)
        if not match:
            raise self.fail(f"inside a pipeline only 'component \"Name\" [evolution]' lines, not {line[:60]!r}")
        name, e, dx, dy = match.groups()
        c = Component(id=f"c{len(self.m.components) + 1}", name=unquote(name), evolution=self.num(e, "evolution"),
                      pipeline_id=self.pipeline.id)
        if dx is not None:
            c.label = Offset(float(dx.replace(" ", "")), float(dy.replace(" ", "")))
        self.add_component(c)

    def evolve(self, match: re.Match[str]) -> None:
        self.pending_evolves.append((self.line_no, unquote(match.group(1)), self.num(match.group(2), "evolution")))

    def note(self, match: re.Match[str]) -> None:
        text, v, e = match.groups()
        self.m.notes.append(Note(id=f"n{len(self.m.notes) + 1}", text=unquote(text),
                                 visibility=self.num(v, "visibility"), evolution=self.num(e, "evolution")))

    def annotations(self, match: re.Match[str]) -> None:
        v, e = match.groups()
        self.m.annotations_legend = (self.num(v, "visibility"), self.num(e, "evolution"))

    def annotation(self, match: re.Match[str]) -> None:
        n, v, e, text = match.groups()
        point = (self.num(v, "visibility"), self.num(e, "evolution"))
        for a in self.m.annotations:
            if a.number == int(n):  # one annotation drawn at several points
                a.points.append(point)
                return
        self.m.annotations.append(Annotation(id=f"a{len(self.m.annotations) + 1}", number=int(n),
                                             points=[point], text=unquote(text)))

    def accelerator(self, match: re.Match[str]) -> None:
        word, name, v, e = match.groups()
        self.m.accelerators.append(Accelerator(
            id=f"x{len(self.m.accelerators) + 1}", kind=AcceleratorKind(word), name=unquote(name),
            visibility=self.num(v, "visibility"), evolution=self.num(e, "evolution")))

    def link(self, match: re.Match[str]) -> None:
        source, from_port, arrow, target, to_port, label = match.groups()
        lk = Link(id=f"l{len(self.m.links) + len(self.pending_links) + 1}", source="", target="")
        port = from_port or to_port
        flows = {"+>": FlowDirection.FORWARD, "+<": FlowDirection.BACKWARD, "+<>": FlowDirection.BOTH}
        if port:
            lk.flow = flows[port]
        elif arrow and arrow.startswith("+'"):
            value, tip = arrow[2:].split("'", 1)
            lk.flow, lk.flow_value = flows["+" + tip], value
        if label:
            lk.context = label[1:].strip() or None
        self.pending_links.append((self.line_no, unquote(source), unquote(target), lk))

    def resolve(self) -> None:
        """Links and evolves may name components defined further down."""
        for line_no, source, target, lk in self.pending_links:
            for end, name in (("from", source), ("to", target)):
                if name not in self.by_name:
                    raise MermaidError(f"{self.filename}:{line_no}: the link's '{end}' end names {name!r}, which no component has")
            lk.source, lk.target = self.by_name[source].id, self.by_name[target].id
            self.m.links.append(lk)
        for line_no, name, evolution in self.pending_evolves:
            c = self.by_name.get(name)
            if c is None:
                raise MermaidError(f"{self.filename}:{line_no}: evolve names {name!r}, which no component has")
            c.evolve = Evolve(evolution=evolution)


def parse_mermaid(text: str, filename: str = "<mermaid>") -> WardleyMap:
    """A ``WardleyMap`` from Mermaid ``wardley-beta`` text; MermaidError (``file:line: problem``)
    on the first line that cannot be read."""
    return _Reader(filename).read(text)


def looks_like_mermaid(text: str) -> bool:
    """True when the first statement is ``wardley-beta`` (after front matter and comments)."""
    for line in text.splitlines()[:200]:
        s = line.strip()
        if not s or s.startswith("%%") or s == "---":
            continue
        if s == HEADER:
            return True
        if ":" in s and not s.startswith(("title", "component", "anchor")):
            continue  # front-matter keys
        return False
    return False


def losses_summary(losses: list[str]) -> str:
    """One line for a status bar: the first thing Mermaid could not show, and how many more."""
    if not losses:
        return ""
    more = f" (and {len(losses) - 1} more)" if len(losses) > 1 else ""
    return f"Mermaid cannot show: {losses[0]}{more}"
