"""The graphics items that draw a Wardley map, one module per family of elements:
``base`` (constants, text layout, ``MapItem``), ``paints``, ``components`` (components,
anchors, submaps, evolved copies), ``links``, ``pipelines``, ``annotations`` (notes,
annotations, legend), ``areas`` (areas, accelerators) and ``frame`` (axes, title)."""

from osom_desktop.drawing.items.annotations import AnnotationItem, LegendItem, NoteItem
from osom_desktop.drawing.items.areas import AcceleratorItem, AreaItem
from osom_desktop.drawing.items.base import (
    ANNOTATION_RADIUS,
    DEFAULT_LABEL,
    DRAW_MAX,
    DRAW_MIN,
    ECOSYSTEM_RADIUS,
    INERTIA_SIZE,
    LABEL_MAX_LINES,
    LABEL_MAX_WIDTH,
    LEGEND_MAX_WIDTH,
    MAP_HEIGHT,
    MAP_WIDTH,
    MARKET_RADIUS,
    MAX_LABEL_OFFSET,
    METHOD_RADIUS,
    NOTE_MAX_WIDTH,
    PIPELINE_GAP,
    PIPELINE_HEIGHT,
    SELECTABLE,
    MapItem,
    Texts,
    clamp_offset,
    clamp_unit,
    symbol_radius,
    wrap_text,
)
from osom_desktop.drawing.items.components import ComponentItem, EvolveItem, inertia_rect
from osom_desktop.drawing.items.frame import GridItem, TitleItem
from osom_desktop.drawing.items.links import LinkItem
from osom_desktop.drawing.items.paints import Paints, qcolor
from osom_desktop.drawing.items.pipelines import PipelineItem

__all__ = [
    "ANNOTATION_RADIUS",
    "DEFAULT_LABEL",
    "DRAW_MAX",
    "DRAW_MIN",
    "ECOSYSTEM_RADIUS",
    "INERTIA_SIZE",
    "LABEL_MAX_LINES",
    "LABEL_MAX_WIDTH",
    "LEGEND_MAX_WIDTH",
    "MAP_HEIGHT",
    "MAP_WIDTH",
    "MARKET_RADIUS",
    "MAX_LABEL_OFFSET",
    "METHOD_RADIUS",
    "NOTE_MAX_WIDTH",
    "PIPELINE_GAP",
    "PIPELINE_HEIGHT",
    "SELECTABLE",
    "AcceleratorItem",
    "AnnotationItem",
    "AreaItem",
    "ComponentItem",
    "EvolveItem",
    "GridItem",
    "LegendItem",
    "LinkItem",
    "MapItem",
    "NoteItem",
    "Paints",
    "PipelineItem",
    "Texts",
    "TitleItem",
    "clamp_offset",
    "clamp_unit",
    "inertia_rect",
    "qcolor",
    "symbol_radius",
    "wrap_text",
]
