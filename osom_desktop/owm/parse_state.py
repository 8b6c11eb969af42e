"""What one parse knows while it reads: the map being built, the layout and the line of
each slot, the name look-up, the lines parked until every component is known, and the
few operations every reader shares (place a slot, keep a line raw, report).

The readers (``element_lines.py``), the resolution pass (``resolution.py``) and the loop
(``parser.py``) are each a part of one ``_Parser``; this is the state they share, in one
place so each part can be read on its own.
"""

from __future__ import annotations

from osom_desktop.model.wardley import (
    Component,
    Evolve,
    FlowDirection,
    Method,
    Pipeline,
    RawKind,
    RawLine,
    WardleyMap,
)
from osom_desktop.owm.result import Diagnostic, Severity

# -- lines resolved at the end ----------------------------------------------------------


class DeferredEvolve:
    """An evolve line; its component may be defined further down."""

    __slots__ = ("at", "line", "text", "name", "evolve")

    def __init__(self, at: int, line: int, text: str, name: str, evolve: Evolve) -> None:
        self.at = at  # index of its placeholder in layout
        self.line = line
        self.text = text
        self.name = name
        self.evolve = evolve


class DeferredMethod:
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
DeferredLink = tuple[int, int, str, str, str, str, "str | None", "FlowDirection | None", "str | None"]


class ParserState:
    """One parse's state and the bookkeeping every part of the parser uses."""

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
        self.deferred_links: list[DeferredLink] = []
        self.deferred_evolves: list[DeferredEvolve] = []
        self.deferred_methods: list[DeferredMethod] = []
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
        self.plain_names: dict[str, tuple[bool, bool, bool]] = {}  # see plain_at_ends
        self.removed: set[str] = set()  # children of a pipeline that names no component
        self.open_lines: dict[str, str] = {}  # "{" of pipelines whose owner comes later
        self.dropped = False  # layout holds None slots to filter out
        self.ends_with_newline = True
        self.size_at: tuple[int, str, int] | None = None
        self.deferred_pipelines: list[tuple[int, int, str, str, Pipeline]] = []  # at, line, text, name
        # Per line, text OWM reads but we do not model (``color(#f00)``): kept when the
        # element is written afresh.
        self.kept: dict[int, str] = {}

    # -- bookkeeping ---------------------------------------------------------------------

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
