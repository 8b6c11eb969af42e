"""The resolution pass: lines that named components further down (links, evolves,
``build X``, pipelines above their component) are resolved once every component is
known, through name dicts, and their layout placeholders patched by index.

A name is looked up exactly first, then by OWM's own rule (``componentNamesMatch``:
the same name ignoring case and spacing, with a warning).
"""

from __future__ import annotations

from typing import cast

from osom_desktop.model.wardley import (
    BLOCK_END_SUFFIX,
    METHOD_SUFFIX,
    Component,
    Link,
    RawKind,
)
from osom_desktop.owm.line_forms import COMPONENT_WORDS, excerpt
from osom_desktop.owm.names import normalise_plain, read_quoted
from osom_desktop.owm.parse_state import DeferredEvolve, DeferredMethod, ParserState


class Resolution(ParserState):
    """The end of a parse: ``_finish`` resolves every parked line."""

    def _finish(self) -> None:
        """Resolve the deferred lines and patch their layout placeholders."""
        layout = self.layout
        names = _Names(self)
        if self.deferred_pipelines:
            self._resolve_pipelines(names)
        for ev in self.deferred_evolves:
            layout[ev.at] = self._resolve_evolve(ev, names)
        names.add_evolved(self.components)
        self._resolve_links(names)
        dropped = self._resolve_methods(names) or self.dropped
        # Only a dropped element leaves a None slot.
        self.map.layout = [slot for slot in layout if slot is not None] if dropped else cast(list[str], layout)
        if self.removed:
            self.map.components = self.components = [c for c in self.components if c.id not in self.removed]

    def _resolve_methods(self, names: _Names) -> bool:
        """Standalone ``build X`` lines; True when one folded into its component's line
        left a None slot in the layout."""
        dropped = False
        for method in self.deferred_methods:
            rid = self._resolve_method(method, names)
            self.layout[method.at] = rid
            dropped = dropped or rid is None
        return dropped

    def _resolve_links(self, names: _Names) -> None:
        """Links read before one of their ends; those naming no component stay raw."""
        late: list[tuple[int, Link]] = []
        commented_out: dict[str, list[int]] | None = None
        to_commented: dict[str, list[int]] = {}
        for at, lineno, text, lid, source, target, context, flow, value in self.deferred_links:
            src, src_evolved = names.find_link_end(source, lineno, self)
            tgt, tgt_evolved = names.find_link_end(target, lineno, self)
            if src is not None and tgt is not None:
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
                continue
            missing = source if src is None else target
            self.layout[at] = self._new_raw(text, RawKind.UNKNOWN)
            if commented_out is None:
                commented_out = self._commented_out_names()
            if missing in commented_out:
                to_commented.setdefault(missing, []).append(lineno)
            else:
                self._diag(lineno, f"link to unknown component '{excerpt(missing)}'")
        if late:
            self._merge_links(late)
        if to_commented:
            self._report_commented_out(to_commented, commented_out or {})

    def _resolve_pipelines(self, names: _Names) -> None:
        """Pipelines read above their component; one naming no component stays raw, and
        its block's children become plain components (OWM draws neither the pipeline)."""
        unresolved: set[str] = set()
        for at, lineno, text, name, pipeline in self.deferred_pipelines:
            owner = names.find(name, lineno, self)
            if owner is not None:
                pipeline.component_id = owner.id
                continue
            self._diag(lineno, f"pipeline '{excerpt(name)}' names no component")
            self.layout[at] = self._new_raw(text, RawKind.UNKNOWN)
            unresolved.add(pipeline.id)
        if unresolved:
            self._drop_blocks(unresolved, names)
        self._patch_open_braces(unresolved)

    def _drop_blocks(self, unresolved: set[str], names: _Names) -> None:
        """The pipelines in ``unresolved`` go; their blocks stay raw as a whole: OWM
        draws none of their children either."""
        self.map.pipelines = [p for p in self.map.pipelines if p.id not in unresolved]
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
        self._raw_block_ends(unresolved)

    def _raw_block_ends(self, unresolved: set[str]) -> None:
        end_slots = {f"{pid}{BLOCK_END_SUFFIX}" for pid in unresolved}
        for i, slot in enumerate(self.layout):
            if slot in end_slots:
                self.layout[i] = self._new_raw(self.texts[self.layout_lines[i] - 1], RawKind.UNKNOWN)
                self._diag(self.layout_lines[i], "closes the block of a pipeline that names no component")

    def _patch_open_braces(self, unresolved: set[str]) -> None:
        """The "{" of a pipeline read above its owner: dropped (the writer puts it back)
        once the owner is known, raw when there is none."""
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
            if word not in COMPONENT_WORDS:
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
        shown = ", ".join(f"'{excerpt(n, 30)}'" for n in names[:5])
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

    def _resolve_evolve(self, ev: DeferredEvolve, names: _Names) -> str:
        component = names.find(ev.name, ev.line, self)
        if component is None:
            self._diag(ev.line, f"evolve names no component '{excerpt(ev.name)}'")
            return self._new_raw(ev.text, RawKind.UNKNOWN)
        slot = f"{component.id}#evolve"
        if component.evolve is not None:
            first = self.evolve_lines[component.id]
            self._diag(ev.line, f"second evolve for '{excerpt(component.name)}' (first on line {first})")
            return self._new_raw(ev.text, RawKind.UNKNOWN)
        component.evolve = ev.evolve
        self.evolve_lines[component.id] = ev.line
        return slot

    def _resolve_method(self, method: DeferredMethod, names: _Names) -> str | None:
        """The slot ``"<component id>#method"``: the method is the component's, and the
        line stays a line of its own (OWM's current engine ignores such lines; writing
        them into the component's line would change what OWM shows)."""
        component = names.find(method.name, method.line, self)
        if component is None:
            self._diag(method.line, f"{method.method} names no component '{excerpt(method.name)}'")
            return self._new_raw(method.text, RawKind.UNKNOWN)
        if component.method is not None and component.method is not method.method:
            self._diag(
                method.line,
                f"'{excerpt(component.name)}' is already ({component.method}); this line is kept as written",
                "warning",
            )
            return self._new_raw(method.text, RawKind.UNKNOWN)
        if component.method is not None:
            self._diag(method.line, f"'{excerpt(component.name)}' is already ({component.method}); this line repeats it", "warning")
            return self._new_raw(method.text, RawKind.UNKNOWN)
        component.method = method.method
        return f"{component.id}{METHOD_SUFFIX}"


class _Names:
    """Name look-ups for the resolution pass.

    Exact names first. Failing that, OWM's own rule (``componentNamesMatch``): the same
    name ignoring case and spacing, with a warning, as the writer will then use the
    component's real name. The folded dicts are built only when first needed.
    """

    def __init__(self, parser: ParserState) -> None:
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

    def find(self, name: str, lineno: int, parser: ParserState) -> Component | None:
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
            parser._diag(lineno, f"'{excerpt(name)}' taken as '{excerpt(component.name)}'", "warning")
        return component

    def find_link_end(self, name: str, lineno: int, parser: ParserState) -> tuple[Component | None, bool]:
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
            for evolved_name, evolved_owner in self.evolved.items():
                self._folded_evolved.setdefault(self._fold(evolved_name), evolved_owner)
        owner = self._folded_evolved.get(self._fold(name))
        if owner is not None and owner.evolve is not None:
            parser._diag(lineno, f"'{excerpt(name)}' taken as '{excerpt(owner.evolve.name or '')}'", "warning")
            return owner, True
        return None, False
