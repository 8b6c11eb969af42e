"""The reader of each kind of OWM line: components and their kin, lines that name
components (build/buy/outsource, evolve, links and flows), pipelines and their braces,
the map's singletons (title, evolution, style, size...), notes, annotations, areas,
accelerators and urls.

Each reader gets the text after the keyword, the line as written and its number; it
places the element in the layout or raises ``LineError`` (the loop keeps the line raw).
The loop's fast paths in ``parser.py`` take the everyday component and link lines and
build the same elements these readers would.
"""

from __future__ import annotations

import re

from osom_desktop.model.wardley import (
    BLOCK_END_SUFFIX,
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
    Note,
    Pipeline,
    RawKind,
    Url,
)
from osom_desktop.owm.decorations import (
    COMPONENT_DECORATIONS,
    EVOLVE_DECORATIONS,
    Decorations,
    strip_decorations,
    strip_decorations_before,
)
from osom_desktop.owm.line_forms import (
    ANNOTATION_MANY,
    ANNOTATION_ONE,
    BRACKETED,
    FLOWS,
    FOREIGN_ARROW,
    LINK_OP,
    MAX_ANNOTATION_NUMBER,
    METHODS,
    OWM_DEFAULT_POSITION,
    LineError,
    excerpt,
    name_and_tail,
    num,
    number_list,
    pair,
    plain_name,
)
from osom_desktop.owm.names import normalise_plain, read_quoted
from osom_desktop.owm.parse_state import DeferredEvolve, DeferredMethod, ParserState


class ElementLines(ParserState):
    """The readers, one method per line form; ``_Parser`` maps keywords to them."""

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
        name, dec, coords = _component_parts(rest, keyword)
        if name in self.id_by_name:
            self._declared_again(name, lineno)
        if dec.unknown:
            kept = dec.unknown_text()
            self.kept[lineno] = " " + kept
            self._diag(lineno, f"'{excerpt(kept)}' is not an OWM decoration: ignored (as OWM does), kept in the text", "warning")
        visibility, evolution = _position(coords, block is not None)
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
            f"'{excerpt(name)}' is declared again (first on line {first}): drawn twice, as OWM does; links use the first",
            "warning",
        )
        return True

    # -- lines that name components (possibly further down) ------------------------------

    def _method(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        quoted, tail = name_and_tail(rest, word)
        if quoted is None:
            name = plain_name(tail, word)
        elif tail:
            raise LineError(f"unexpected text after the name: '{excerpt(tail)}'")
        else:
            name = quoted
        self.deferred_methods.append(DeferredMethod(len(self.layout), lineno, line, name, METHODS[word]))
        self._place(None, lineno)

    def _evolve(self, rest: str, line: str, lineno: int) -> None:
        tail, dec = strip_decorations(rest, EVOLVE_DECORATIONS)
        cut = max(tail.rfind(" "), tail.rfind("\t"))
        if cut == -1:
            raise LineError("evolve needs a name and a target evolution: evolve NAME 0.8")
        maturity = num(tail[cut + 1 :], "evolve target")
        names = tail[:cut].strip()
        quoted, after = name_and_tail(names, "evolve")
        new_name: str | None = None
        if quoted is not None:
            name = quoted
            if after.startswith("->"):
                new_name = self._evolved_name(after[2:].strip())
            elif after:
                raise LineError(f"unexpected text after the name: '{excerpt(after)}'")
        else:
            arrow = names.find("->")
            if arrow == -1:
                name = plain_name(names, "evolve")
            else:
                name = plain_name(names[:arrow], "evolve")
                new_name = self._evolved_name(names[arrow + 2 :].strip())
        evolve = Evolve(
            evolution=maturity,
            name=new_name,
            label=dec.label,
            method=dec.method,
            market=dec.market,
            ecosystem=dec.ecosystem,
        )
        self.deferred_evolves.append(DeferredEvolve(len(self.layout), lineno, line, name, evolve))
        self._place(None, lineno)

    @staticmethod
    def _evolved_name(text: str) -> str:
        quoted, after = name_and_tail(text, "evolved")
        if quoted is None:
            return plain_name(text, "evolved component")
        if after:
            raise LineError(f"unexpected text after the evolved name: '{excerpt(after)}'")
        return quoted

    def _link(self, s: str, line: str, lineno: int) -> None:
        """Every link and flow form; the loop's fast path takes plain ``A->B`` lines."""
        source, match = self._link_source(s)
        flow: FlowDirection | None = None
        value: str | None = None
        if match.group(1) is not None:
            flow = FLOWS[match.group(1)]
        elif match.group(3) is not None:
            flow = FLOWS[match.group(3)]
            value = match.group(2)
        target, context = _link_target(s[match.end() :].strip())
        if not source or not target:
            raise LineError("a link needs a name on both sides of its arrow")
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

    def _link_source(self, s: str) -> tuple[str, re.Match[str]]:
        """A link line's source name and its arrow."""
        if s[0] == '"':
            got = read_quoted(s)
            if got is None:
                raise LineError("a quote that is never closed")
            source, pos = got
            while pos < len(s) and s[pos].isspace():
                pos += 1
            match = LINK_OP.match(s, pos)
            if match is None:
                raise LineError(f"expected a link arrow after '{excerpt(source)}'")
            return source, match
        match = LINK_OP.search(s)
        if match is None:
            raise self._not_a_line(s)
        return normalise_plain(s[: match.start()]), match

    @staticmethod
    def _not_a_line(s: str) -> LineError:
        arrow = FOREIGN_ARROW.search(s)
        if arrow is not None:
            return LineError(f"unknown link arrow '{excerpt(arrow.group())}' (OWM links are '->' and flows '+>')")
        word = s.split(None, 1)[0]
        return LineError(f"unknown keyword '{excerpt(word)}' (not an OWM element or link)")

    # -- pipelines -----------------------------------------------------------------------

    def _pipeline(self, rest: str, line: str, lineno: int) -> Pipeline:
        if self.block is not None:
            raise LineError("pipeline inside a pipeline block")
        quoted, tail = name_and_tail(rest, "pipeline")
        start: float | None = None
        end: float | None = None
        k = tail.find("[")
        if k != -1:
            if not tail.endswith("]"):
                raise LineError(f"unexpected text after the pipeline's [start, end]: '{excerpt(tail)}'")
            start, end = pair(tail[k + 1 : -1], "pipeline [start, end]")
            tail = tail[:k]
        if quoted is None:
            name = plain_name(tail, "pipeline")
        elif tail.strip():
            raise LineError(f"unexpected text after the name: '{excerpt(tail.strip())}'")
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
        raise LineError("'{' that does not follow a pipeline line")

    def _close_brace(self, rest: str, line: str, lineno: int) -> None:
        if self.block is None or rest:
            raise LineError("'}' without an open pipeline block")
        # Where the block closed: lines kept raw inside the braces are written back inside
        # them (written after the "}", a raw "pipeline" line would read as a real pipeline).
        self._place(f"{self.block.id}{BLOCK_END_SUFFIX}", lineno)
        self.block = None

    # -- singletons ----------------------------------------------------------------------

    def _title(self, rest: str, line: str, lineno: int) -> None:
        if self.title_line:
            raise LineError(f"second title: OWM shows the first (line {self.title_line}); kept as written", "warning")
        self.map.title = rest
        self.title_line = lineno
        self._place("title", lineno)

    def _evolution(self, rest: str, line: str, lineno: int) -> None:
        if self.evolution_line:
            raise LineError(
                f"second evolution line: OWM uses the first (line {self.evolution_line}); kept as written", "warning"
            )
        hidden = False
        if rest == "--hide" or rest.startswith(("--hide ", "--hide\t")):
            # OWM 2026: ``evolution --hide [labels]`` hides the axis, labels optional.
            hidden = True
            rest = rest[6:].strip()
        elif rest == "--show" or rest.startswith(("--show ", "--show\t")):
            raise LineError("evolution --show is not OWM's (the axis shows unless --hide)")
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
            raise LineError("valuechain takes --hide (valuechain --hide)")
        if self.map.value_chain_hidden:
            raise LineError("second valuechain line; kept as written", "warning")
        self.map.value_chain_hidden = True
        self._place("valuechain", lineno)

    def _size(self, rest: str, line: str, lineno: int) -> None:
        if not (rest.startswith("[") and rest.endswith("]")):
            raise LineError("size needs [width, height]")
        self.map.size = pair(rest[1:-1], "size")
        self._supersede(self.size_at, "size", lineno)
        self.size_at = (len(self.layout), line, lineno)
        self._place("size", lineno)

    def _style(self, rest: str, line: str, lineno: int) -> None:
        if rest not in STYLES:
            raise LineError(f"unknown style '{excerpt(rest)}' (one of {', '.join(STYLES)})", "warning")
        self._supersede(self.style_at, "style", lineno)
        self.map.style = rest
        self.style_at = (len(self.layout), line, lineno)
        self._place("style", lineno)

    def _annotations(self, rest: str, line: str, lineno: int) -> None:
        if not (rest.startswith("[") and rest.endswith("]")):
            raise LineError("annotations needs [visibility, evolution]")
        self.map.annotations_legend = pair(rest[1:-1], "annotations")
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
        quoted, tail = name_and_tail(rest, "note")
        if not tail.endswith("]"):
            if quoted is not None and tail:
                raise LineError(f"unexpected text after the note: '{excerpt(tail)}'")
            text = quoted if quoted is not None else normalise_plain(tail)
            self._diag(lineno, f"note has no [visibility, evolution]: placed where OWM puts it {list(OWM_DEFAULT_POSITION)}", "warning")
            self._add_note(text, 0.9, 0.1, lineno)
            return
        k, close = _note_position_at(tail, quoted is not None)
        try:
            visibility, evolution = pair(tail[k + 1 : close], "note")
        except LineError as exc:
            visibility, evolution = OWM_DEFAULT_POSITION
            self._diag(lineno, f"{exc.message}: the note is placed where OWM puts it {list(OWM_DEFAULT_POSITION)}", "warning")
        extra = tail[close + 1 :].strip()
        if extra:
            self._diag(lineno, f"'{excerpt(extra)}' after the note's [visibility, evolution] is ignored, as OWM does", "warning")
        head = tail[:k].strip()
        if quoted is not None and head:
            raise LineError(f"unexpected text after the note: '{excerpt(head)}'")
        self._add_note(head if quoted is None else quoted, visibility, evolution, lineno)

    def _add_note(self, text: str, visibility: float, evolution: float, lineno: int) -> None:
        note = Note(id=f"n{len(self.map.notes) + 1}", text=text, visibility=visibility, evolution=evolution)
        self.map.notes.append(note)
        self._place(note.id, lineno)

    def _annotation(self, rest: str, line: str, lineno: int) -> None:
        k = rest.find("[")
        if k == -1:
            raise LineError("annotation needs a number and [visibility, evolution]")
        try:
            number = int(rest[:k].strip())
        except ValueError:
            raise LineError(f"annotation number '{excerpt(rest[:k].strip())}' is not a whole number") from None
        if abs(number) > MAX_ANNOTATION_NUMBER:
            raise LineError(f"annotation number '{excerpt(rest[:k].strip())}' is too large (at most {MAX_ANNOTATION_NUMBER})")
        many = ANNOTATION_MANY.match(rest, k)
        points: list[tuple[float, float]]
        if many is not None:
            points = [pair(part, "annotation point") for part in BRACKETED.findall(many.group(1))]
            end = many.end()
        else:
            one = ANNOTATION_ONE.match(rest, k)
            if one is None:
                raise LineError("annotation needs [visibility, evolution] or [[v, e], [v, e], ...]")
            points = [pair(one.group(1), "annotation point")]
            end = one.end()
        annotation = Annotation(
            id=f"a{len(self.map.annotations) + 1}", number=number, points=points, text=rest[end:].strip()
        )
        self.map.annotations.append(annotation)
        self._place(annotation.id, lineno)

    def _area(self, rest: str, line: str, lineno: int) -> None:
        word = line.strip().split(None, 1)[0]
        if not (rest.startswith("[") and rest.endswith("]")):
            raise LineError(f"{word} needs [top, left, bottom, right]")
        values = number_list(rest[1:-1], word)
        if len(values) != 4:
            raise LineError(f"{word} needs 4 numbers [top, left, bottom, right], found {len(values)}")
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
        quoted, tail = name_and_tail(rest, word)
        if tail.endswith("]"):
            k = tail.rfind("[")
            if k == -1:
                raise LineError("']' without '['")
            visibility, evolution = pair(tail[k + 1 : -1], word)
            head = tail[:k]
        else:
            # OWM places it at its default spot, top left.
            visibility, evolution = OWM_DEFAULT_POSITION
            head = tail
            self._diag(lineno, f"{word} has no [visibility, evolution]: placed where OWM puts it {list(OWM_DEFAULT_POSITION)}", "warning")
        if quoted is None:
            name = plain_name(head, word)
        elif head.strip():
            raise LineError(f"unexpected text after the name: '{excerpt(head.strip())}'")
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
        quoted, tail = name_and_tail(rest, "url")
        k = tail.find("[")
        if k == -1 or not tail.endswith("]"):
            raise LineError("url needs a name and [address]: url NAME [https://...]")
        if quoted is None:
            name = plain_name(tail[:k], "url")
        elif tail[:k].strip():
            raise LineError(f"unexpected text after the name: '{excerpt(tail[:k].strip())}'")
        else:
            name = quoted
        url = Url(id=f"u{len(self.map.urls) + 1}", name=name, url=tail[k + 1 : -1].strip())
        self.map.urls.append(url)
        self._place(url.id, lineno)


def _component_parts(rest: str, keyword: str) -> tuple[str, Decorations, list[float] | None]:
    """The name, decorations and coordinates (as written, if any) of a component line."""
    quoted, tail = name_and_tail(rest, keyword)
    tail, dec = strip_decorations(tail, COMPONENT_DECORATIONS)
    coords: list[float] | None = None
    if tail.endswith("]"):
        k = tail.rfind("[")
        if k == -1:
            raise LineError("']' without '['")
        coords = number_list(tail[k + 1 : -1], "coordinates")
        tail = tail[:k]
    if quoted is None:
        return plain_name(tail, keyword), dec, coords
    if tail.strip():
        # ``component "X" (legacy) [0.55, 0.74]``: decorations before the
        # coordinates; OWM reads the quoted name and the coordinates.
        tail, dec = strip_decorations_before(tail, dec)
        if tail.strip():
            raise LineError(f"unexpected text after the name: '{excerpt(tail.strip())}'")
    return quoted, dec, coords


def _position(coords: list[float] | None, in_block: bool) -> tuple[float | None, float | None]:
    """(visibility, evolution); a pipeline child may give its evolution alone."""
    if coords is None:
        return None, None
    if in_block and len(coords) == 1:
        return None, coords[0]
    if len(coords) == 2:
        return coords[0], coords[1]
    wanted = "[evolution] or [visibility, evolution]" if in_block else "[visibility, evolution]"
    raise LineError(f"coordinates need {wanted}, found {len(coords)} numbers")


def _link_target(rest: str) -> tuple[str, str | None]:
    """The target name and context (after ``;``) of a link line, from after its arrow."""
    quoted, tail = name_and_tail(rest, "link target")
    if quoted is not None:
        if not tail:
            return quoted, None
        if tail[0] != ";":
            raise LineError(f"unexpected text after the link target: '{excerpt(tail)}'")
        return quoted, tail[1:].strip() or None
    context: str | None = None
    semi = rest.find(";")
    if semi != -1:
        context = rest[semi + 1 :].strip() or None
        rest = rest[:semi]
    return normalise_plain(rest), context


def _note_position_at(tail: str, quoted: bool) -> tuple[int, int]:
    """Where a note's ``[`` and ``]`` are. OWM: the text runs to the first " [", the
    position is the first [..] pair; anything after it (a second pair, say) is ignored."""
    k = tail.find("[") if quoted or tail.startswith("[") else tail.find(" [") + 1
    close = tail.find("]", k)
    if k <= 0 and not tail.startswith("["):
        k = tail.rfind("[")
        close = len(tail) - 1
    if k == -1:
        raise LineError("']' without '['")
    return k, close
