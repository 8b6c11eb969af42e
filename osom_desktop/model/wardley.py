"""The Wardley map: every element OnlineWardleyMaps (OWM) can draw, plus our additions.

Map elements are slotted stdlib dataclasses rather than pydantic models: a map of
16,000 components and 32,000 links is built in bulk by the OWM parser and the file
loader, and a pydantic ``__init__`` per element costs ~4x a dataclass. Pydantic still
validates them wherever untrusted values come in (``validate_map`` for JSON, the
Document's edit methods via ``model.validation``) and dumps them to JSON, because
pydantic understands stdlib dataclasses natively.

Coordinates follow OWM: ``visibility`` is y (1 = top, visible to the user),
``evolution`` is x (0 = genesis edge). Both are nominally 0..1 but not clamped, as OWM
does not clamp them either. Every element has a stable string ``id`` so that undo,
files and cross-file references survive renames.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import AllowInfNan, Field

from osom_desktop.model.factories import new_dict, new_list

# A position or offset: any finite number. NaN or infinity cannot be drawn, written
# as OWM text or stored in SQLite, so edits carrying them are refused.
Number = Annotated[float, AllowInfNan(False)]


class ComponentKind(StrEnum):
    COMPONENT = "component"
    ANCHOR = "anchor"
    SUBMAP = "submap"


class Method(StrEnum):
    BUILD = "build"
    BUY = "buy"
    OUTSOURCE = "outsource"


class FlowDirection(StrEnum):
    """OWM flow links: ``+>`` forward, ``+<`` backward, ``+<>`` both ways."""

    FORWARD = "forward"
    BACKWARD = "backward"
    BOTH = "both"


class AreaKind(StrEnum):
    PIONEERS = "pioneers"
    SETTLERS = "settlers"
    TOWNPLANNERS = "townplanners"


class AcceleratorKind(StrEnum):
    ACCELERATOR = "accelerator"
    DEACCELERATOR = "deaccelerator"


class RawKind(StrEnum):
    BLANK = "blank"
    COMMENT = "comment"
    UNKNOWN = "unknown"  # a line we could not place; kept so it is written back unchanged


# The four OWM styles plus the plain default.
STYLES = ("plain", "wardley", "colour", "handwritten", "dark")

# Evolution axis: stage boundaries OWM and Wardley use.
STAGE_BOUNDARIES = (0.175, 0.40, 0.70)
# The axis cut at those boundaries: stage i spans STAGE_EDGES[i] to STAGE_EDGES[i + 1].
STAGE_EDGES = (0.0, *STAGE_BOUNDARIES, 1.0)
DEFAULT_STAGE_LABELS = ("Genesis", "Custom-Built", "Product\n(+rental)", "Commodity\n(+utility)")


@dataclass(slots=True)
class Offset:
    """A label offset in screen pixels (OWM ``label [dx, dy]``)."""

    dx: Number
    dy: Number


@dataclass(slots=True)
class ServiceRef:
    """The service that provides a component (our addition to OWM).

    ``service_id`` is the other service's stable id when its file is known; a service
    not yet in the network has only a name.
    """

    name: str
    service_id: str | None = None


@dataclass(slots=True, kw_only=True)
class Evolve:
    """An ``evolve`` line: where the component is heading, optionally under a new name."""

    evolution: Number
    name: str | None = None  # ``evolve Old->New 0.6`` renames the evolved copy
    label: Offset | None = None
    method: Method | None = None
    market: bool = False
    ecosystem: bool = False


@dataclass(slots=True, kw_only=True)
class Component:
    """Anything drawn at a point and linkable by name: component, anchor or submap.

    Pipeline children (OWM's block form) have ``pipeline_id`` set and usually no
    ``visibility`` of their own: they sit on their pipeline's line.
    """

    id: str
    name: str
    kind: ComponentKind = ComponentKind.COMPONENT
    visibility: Number | None = None
    evolution: Number | None = None
    label: Offset | None = None
    method: Method | None = None
    inertia: bool = False
    market: bool = False
    ecosystem: bool = False
    evolve: Evolve | None = None
    url_ref: str | None = None  # submaps: ``url(name)`` naming a ``url`` line
    pipeline_id: str | None = None
    # Beyond OWM: carried in the .osom file and JSON, not in OWM text.
    description: str = ""
    provided_by: ServiceRef | None = None


@dataclass(slots=True, kw_only=True)
class Link:
    """A dependency (``A->B``) or a flow (``A+>B``, ``A+'$5'<>B``) between components."""

    id: str
    source: str  # component id
    target: str  # component id
    context: str | None = None  # ``A->B; limited by``
    flow: FlowDirection | None = None
    flow_value: str | None = None  # ``+'$0.10'>``
    # A link may point at the evolved copy of a component (``A->Electric Kettle``).
    source_evolved: bool = False
    target_evolved: bool = False


@dataclass(slots=True, kw_only=True)
class Pipeline:
    """A pipeline under a component: legacy ``pipeline X [start, end]`` or the block form."""

    id: str
    component_id: str
    start: Number | None = None
    end: Number | None = None
    block: bool = False  # written as ``pipeline X [..]`` followed by ``{ ... }``


@dataclass(slots=True, kw_only=True)
class Note:
    id: str
    text: str
    visibility: Number
    evolution: Number


@dataclass(slots=True, kw_only=True)
class Annotation:
    """A numbered annotation at one or more points; the legend lists their texts."""

    id: str
    number: int
    points: list[tuple[Number, Number]]  # (visibility, evolution)
    text: str


@dataclass(slots=True, kw_only=True)
class Area:
    """Pioneer / settler / town-planner area: ``[top, left, bottom, right]`` in map units."""

    id: str
    kind: AreaKind
    top: Number
    left: Number
    bottom: Number
    right: Number


@dataclass(slots=True, kw_only=True)
class Accelerator:
    id: str
    kind: AcceleratorKind
    name: str
    visibility: Number
    evolution: Number


@dataclass(slots=True, kw_only=True)
class Url:
    """``url name [https://...]`` — the target of a submap's ``url(name)``."""

    id: str
    name: str
    url: str


@dataclass(slots=True, kw_only=True)
class RawLine:
    """A line kept verbatim: blank, comment, or one the parser could not place."""

    id: str
    text: str
    kind: RawKind = RawKind.UNKNOWN


# Layout slot of the "}" that closes a pipeline's block: "<pipeline id>#end".
BLOCK_END_SUFFIX = "#end"
# Layout slot of a standalone ``build X`` line giving component X its method: "<id>#method".
METHOD_SUFFIX = "#method"


class SourceLine(NamedTuple):
    """The line an element was read from, so an unchanged element is written back byte
    for byte (``0.70`` stays ``0.70``, ``a->B`` keeps its case).

    ``fingerprint`` is what the OWM writer made of the element(s) when the line was
    read; the line is reused only while the writer still makes exactly that, so any
    edit (a move, a rename of a link's end) drops it without the Document knowing.
    ``covers``: other slots the same line holds (an inline ``evolve``, a trailing
    comment); ``keep``: text OWM reads but we do not model (``color(#f00)``), appended
    when the element is written afresh. A named tuple: a large map has thousands, made
    while it is parsed.
    """

    text: str
    fingerprint: str
    covers: tuple[str, ...] = ()
    keep: str = ""


# OWM-only details: the .osom file keeps them in tables of their own (storage/owm_text.py),
# but they are left out of the map's JSON (its published schema, map snapshots) and of
# the file's fingerprint.
_NotStored = Field(exclude=True)


@dataclass(slots=True, kw_only=True)
class WardleyMap:
    """One Wardley map.

    ``layout`` is the order in which the OWM text presents elements: ids of elements,
    ``"<component id>#evolve"`` for an evolve line, ``"<pipeline id>#end"`` for the ``}``
    closing a pipeline's block, and the singleton slots ``title``,
    ``evolution``, ``style``, ``annotations``. The writer follows it so comments,
    blank lines and unknown lines stay where the user put them; elements missing from
    it (added later) are written after it.
    """

    title: str | None = None
    evolution_labels: list[str] | None = None  # ``evolution a->b->c->d``
    style: str | None = None
    annotations_legend: tuple[Number, Number] | None = None  # ``annotations [v, e]``
    components: list[Component] = field(default_factory=new_list)
    links: list[Link] = field(default_factory=new_list)
    pipelines: list[Pipeline] = field(default_factory=new_list)
    notes: list[Note] = field(default_factory=new_list)
    annotations: list[Annotation] = field(default_factory=new_list)
    areas: list[Area] = field(default_factory=new_list)
    accelerators: list[Accelerator] = field(default_factory=new_list)
    urls: list[Url] = field(default_factory=new_list)
    raw_lines: list[RawLine] = field(default_factory=new_list)
    layout: list[str] = field(default_factory=new_list)
    # OWM's ``size [w, h]`` and ``evolution --hide`` / ``valuechain --hide`` (2026).
    size: Annotated[tuple[Number, Number] | None, _NotStored] = None
    evolution_axis_hidden: Annotated[bool, _NotStored] = False
    value_chain_hidden: Annotated[bool, _NotStored] = False
    # Slot -> the OWM line it was read from (see SourceLine); not part of the map's value.
    owm_source: Annotated[dict[str, SourceLine], _NotStored] = field(default_factory=new_dict, compare=False, repr=False)

    # -- look-ups -------------------------------------------------------------------

    def component(self, component_id: str) -> Component | None:
        for c in self.components:
            if c.id == component_id:
                return c
        return None

    def component_by_name(self, name: str) -> Component | None:
        for c in self.components:
            if c.name == name:
                return c
        return None

    def counts(self) -> dict[str, int]:
        """How many of each element a reader would count on the map."""
        kinds = [c.kind for c in self.components]
        return {
            "components": kinds.count(ComponentKind.COMPONENT),
            "anchors": kinds.count(ComponentKind.ANCHOR),
            "submaps": kinds.count(ComponentKind.SUBMAP),
            "links": sum(1 for lk in self.links if lk.flow is None),
            "flows": sum(1 for lk in self.links if lk.flow is not None),
            "evolves": sum(1 for c in self.components if c.evolve is not None),
            "pipelines": len(self.pipelines),
            "notes": len(self.notes),
            "annotations": len(self.annotations),
            "areas": len(self.areas),
            "accelerators": len(self.accelerators),
            "urls": len(self.urls),
            "unknown_lines": sum(1 for r in self.raw_lines if r.kind is RawKind.UNKNOWN),
        }

    def element_ids(self) -> set[str]:
        ids: set[str] = set()
        for group in (
            self.components,
            self.links,
            self.pipelines,
            self.notes,
            self.annotations,
            self.areas,
            self.accelerators,
            self.urls,
            self.raw_lines,
        ):
            ids.update(e.id for e in group)
        return ids


def stage_of(evolution: float) -> int:
    """Index 0..3 of the evolution stage a position falls in."""
    for i, boundary in enumerate(STAGE_BOUNDARIES):
        if evolution < boundary:
            return i
    return 3


def stage_middle(rank: int) -> float:
    """The middle of evolution stage ``rank`` (0..3) on the axis: where a component of
    a service declaring that stage is placed when nothing better is known."""
    return round((STAGE_EDGES[rank] + STAGE_EDGES[rank + 1]) / 2, 4)
