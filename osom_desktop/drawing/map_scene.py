"""The Wardley map canvas: a QGraphicsScene that draws a Document's map and keeps
itself in step with it.

The scene subscribes to ``Document.changed`` and refreshes only what a ``Change``
names, plus what depends on it: a moved component moves its item, its evolved copy,
its links, and its pipeline (or its pipeline's children); a component added or
removed adds or removes its items; ``"map"`` (a new map, or new title/style/labels)
rebuilds everything. That is what keeps a drag step at 1,000 components far under a
frame (see ``bench/bench_render.py``).

Items know element ids, never model objects: the scene keeps id -> element indexes
of the Document's lists (``scene_index``; rebuilt for a list only when its membership
changes, since the Document edits elements in place) and items look their element up through
``element``. ``item_for_id`` / ``id_for_item`` map both ways, as orange-canvas-core's
scheme does, for the interaction layer that will drag, select and add.

Labels with no offset of their own are placed where they cover least
(``label_placement``); the items ask the scene (``place_label``, ``note_*``). Where
labels go is a function of the map, not of the edits that led to it: each element
has a rank (the order a fresh scene builds it in), a label sees only symbols, lines
and the text of elements ranked before it, and after each change the scene places
again the elements whose surroundings changed (``_settle_labels``), earliest first.

Coordinates: the map area is ``MAP_WIDTH`` x ``MAP_HEIGHT`` scene units with (0, 0) at
the top-left (visibility 1, evolution 0); axis labels and the title sit in margins
outside it. ``to_scene``/``to_map`` convert OWM ``[visibility, evolution]``.
"""

from __future__ import annotations

import heapq
import logging
import math
import time
import weakref
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap, QPixmapCache
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsScene, QWidget

from osom_desktop.drawing.label_placement import LABEL_AVOIDANCE_LIMIT, LAST_RANK, LabelPlacer
from osom_desktop.drawing.map_items import (
    MAP_HEIGHT,
    MAP_WIDTH,
    PIPELINE_GAP,
    PIPELINE_HEIGHT,
    AcceleratorItem,
    AnnotationItem,
    AreaItem,
    ComponentItem,
    EvolveItem,
    GridItem,
    LegendItem,
    LinkItem,
    LinkLayer,
    MapItem,
    NoteItem,
    Paints,
    PipelineItem,
    TitleItem,
    clamp_unit,
    inertia_rect,
    symbol_radius,
)
from osom_desktop.drawing.scene_index import INDEXED_KINDS, SceneIndex
from osom_desktop.drawing.themes import Theme, theme_for
from osom_desktop.model.document import Change, Document
from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.wardley import Component, ComponentKind, WardleyMap

# Items whose bounding box is smaller than this (scene units squared) are cached on screen.
CACHE_MAX_AREA = 200.0 * 200.0

# Labels placed again at once after an edit; the rest of a longer chain (a drag through
# a crowd of a few hundred components, where each label taken pushes the next on) is
# placed when the edits pause for ``SETTLE_DELAY_MS``, so a drag step stays in a frame.
SETTLE_AT_ONCE = 4
SETTLE_DELAY_MS = 150
# The rest is placed in slices of about this much time, one per event-loop turn (a 0 ms
# timer), so neither the drop nor the pause freezes the window on a crowded map (at 600
# components one drop unsettles ~280 labels, ~200 ms CPU in one go). The turn also
# repaints what the slice moved (~5-9 ms at 600 on screen), hence a slice of 5 ms.
SETTLE_SLICE_MS = 5.0
# After a drop the first slice waits a frame: the release's own repaint comes first.
SETTLE_AFTER_DROP_MS = 16

__all__ = ["MAP_HEIGHT", "MAP_WIDTH", "MapScene", "document_for_map"]

log = logging.getLogger(__name__)

# OWM's position for a component whose line gives only one coordinate.
OWM_DEFAULT_POSITION = (0.9, 0.1)
# OWM's evolution for a pipeline child written without one.
OWM_DEFAULT_CHILD_EVOLUTION = 0.2
EVOLVE_SUFFIX = "#evolve"
SCENE_MARGIN = 16.0

class _Shelf(QGraphicsRectItem):
    """An empty, unpainted parent for the items added after a build, one per z value.

    Qt keeps the scene's top-level items in one list, sorted by z when it paints, and
    sorts it back into insertion order when a top-level item is added after a paint:
    two sorts of every item (~15,000 at 5,000 components, 4-5 ms each) for each
    component or link added. A child added to a shelf sorts only the shelf's few
    children. The shelf stands at the origin with its children's z, so a child is drawn
    and hit where it would be as a top-level item, above the built items of its z as an
    item added later is."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setZValue(z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


# Lists whose elements are drawn one item each, and the item class drawing them.
SIMPLE_KINDS: dict[str, type[MapItem]] = {
    "notes": NoteItem,
    "annotations": AnnotationItem,
    "areas": AreaItem,
    "accelerators": AcceleratorItem,
}


class MapScene(QGraphicsScene):
    """Draws ``document.map`` and follows ``document.changed``.

    ``theme`` overrides the map's own ``style`` (export with a chosen look); without
    it the map's style picks the theme and a style change re-themes the scene.
    """

    # Called with the items each change refreshed (the view's drag layers listen).
    on_refreshed: Any = None

    def __init__(self, document: Document, theme: Theme | None = None, parent: Any = None,
                 font_boost: float = 0.0, screen: bool = False) -> None:
        super().__init__(parent)
        # Shown in a window (names drawn from shaped glyph runs: Paints.shaped), not
        # exported: a PDF or SVG keeps its text as text.
        self._screen = screen
        self._document = document
        self._theme_override = theme
        # On screen a fitted map is drawn at ~0.85 of its size: ``font_boost`` pixels
        # more keep its labels readable (9 pt at 1280x800); exports draw without it.
        self._font_boost = font_boost
        self._theme: Theme = self._pick_theme()
        self._paints = Paints(self._theme, self._screen)
        self._items: dict[str, MapItem] = {}
        self._shelves: dict[float, _Shelf] = {}  # z -> parent of the items added since the build
        self._only_ours = True  # no item but ours in the scene (``_clear_own_items``)
        # The indexes (scene_index.py), under the names the scene has always used:
        # the same dicts, which the index only clears and refills.
        self._index = SceneIndex(document)
        self._elements = self._index.elements
        self._links_of = self._index.links_of
        self._pipelines_of = self._index.pipelines_of
        self._children = self._index.children
        self._child_of = self._index.child_of
        # Where each component's links end (point and symbol size, and its evolved
        # copy's), as last drawn: an edit that leaves them be (a rename, a label, a
        # description) does not redraw the links, whose long boxes made most of the
        # area repainted after such an edit.
        self._ends: dict[str, tuple[Any, ...] | None] = {}
        self._tray: dict[str, QPointF] = {}
        # While the items are built, each component's point (``component_point``).
        self._points: dict[tuple[str, bool], QPointF | None] | None = None
        self._tray_top: float | None = None
        self._labels = LabelPlacer()
        self._rank_key: tuple[Any, ...] | None = None
        self._unsettled: list[tuple[int, str]] = []  # heap of (rank, id) left to place
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_DELAY_MS)
        self._settle_timer.timeout.connect(self._settle_slice)
        self._slice_timer = QTimer(self)
        self._slice_timer.setSingleShot(True)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._settle_slice)
        # While a drag holds the labels (``hold_labels``): the drag, weakly.
        self._hold: weakref.ref[Any] | None = None
        self._hold_since = 0  # the label grid's last change before the hold
        # Linear item lookup to start with: an export draws every item once, and a BSP
        # tree would cost more to build than it saves. A scene shown in a view turns
        # the tree on after its first paint (``index_items``).
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.rebuild()
        document.changed.connect(self._on_document_changed)
        # A selected link draws itself (its selection's dashes), not in the layer.
        self.selectionChanged.connect(self._selected_links_draw_themselves)

    # -- public API -----------------------------------------------------------------------

    @property
    def link_layer(self) -> LinkLayer:
        """The item drawing every bare link line (``LinkLayer``)."""
        return self._link_layer

    def _selected_links_draw_themselves(self) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self._link_layer):
            return
        layer = self._link_layer
        now = {i.element_id for i in self.selectedItems() if isinstance(i, LinkItem)}
        was = layer.released("selected")
        if now != was:
            layer.take_back(was - now, "selected", self)
            layer.release(now - was, "selected", self)

    @property
    def document(self) -> Document:
        return self._document

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def paints(self) -> Paints:
        return self._paints

    @property
    def theme_override(self) -> Theme | None:
        return self._theme_override

    def set_theme(self, theme: Theme | None) -> None:
        """Draw with ``theme`` (None: follow the map's ``style`` again)."""
        self._theme_override = theme
        self.rebuild()

    def _pick_theme(self) -> Theme:
        theme = self._theme_override or theme_for(self._document.map.style)
        if self._font_boost:
            theme = replace(theme, font_size=theme.font_size + self._font_boost)
        return theme

    def close(self) -> None:
        """Stop following the document (before dropping the scene, so a later edit
        does not reach a half-deleted scene)."""
        self._document.changed.disconnect(self._on_document_changed)
        self._settle_timer.stop()
        self._slice_timer.stop()

    @staticmethod
    def to_scene(visibility: float, evolution: float) -> QPointF:
        """Scene point of OWM ``[visibility, evolution]`` (visibility 1 = top)."""
        return QPointF(evolution * MAP_WIDTH, (1.0 - visibility) * MAP_HEIGHT)

    @staticmethod
    def to_map(point: QPointF) -> tuple[float, float]:
        """OWM ``(visibility, evolution)`` of a scene point; not clamped, as OWM does
        not clamp either (the interaction layer decides what a drop outside means)."""
        return (1.0 - point.y() / MAP_HEIGHT, point.x() / MAP_WIDTH)

    def item_for_id(self, element_id: str) -> MapItem | None:
        """The item drawing an element (``"<id>#evolve"`` for an evolved copy)."""
        return self._items.get(element_id)

    def id_for_item(self, item: QGraphicsItem) -> str | None:
        element_id = getattr(item, "element_id", None)
        if element_id is not None and self._items.get(element_id) is item:
            return element_id
        return None

    def element(self, element_id: str) -> Any | None:
        """The map element with this id, from the Document's own lists."""
        return self._elements.get(element_id)

    def pipeline_children(self, pipeline_id: str) -> list[str]:
        return self._children.get(pipeline_id, [])

    def tray_top(self) -> float | None:
        """Top of the row of components without coordinates, or None if none."""
        return self._tray_top

    def component_point(self, component_id: str, evolved: bool = False) -> QPointF | None:
        """Where a component (or its evolved copy) is drawn, in scene units."""
        points = self._points
        if points is None:
            return self._point(component_id, evolved, 0)
        # Building: a component's point is asked for by its own item, its label and
        # each of its links (~10,000 times at 1,000 components and 2,000 links, a
        # sixth of the build), and none moves until the build is done.
        key = (component_id, evolved)
        if key in points:
            point = points[key]
        else:
            point = points[key] = self._point(component_id, evolved, 0)
        return None if point is None else QPointF(point)  # a copy: callers own theirs

    # -- placement ------------------------------------------------------------------------

    def _point(self, cid: str, evolved: bool, depth: int) -> QPointF | None:
        c = self._elements.get(cid)
        if not isinstance(c, Component) or (evolved and c.evolve is None):
            return None  # OWM does not draw a link to a name that is not on the map
        evolution = _evolution_of(c, evolved)
        if c.pipeline_id is not None and depth < 4:
            on_pipeline = self._child_point(cid, c.pipeline_id, evolution, depth)
            if on_pipeline is not None:
                return on_pipeline
        tray = self._tray.get(cid)
        if tray is not None:
            if evolved and evolution is not None:
                return QPointF(evolution * MAP_WIDTH, tray.y())
            return tray
        return self.draw_point(c.visibility, evolution)

    def _child_point(self, cid: str, pipeline_id: str, evolution: float | None, depth: int) -> QPointF | None:
        """Where a pipeline's child sits: at its evolution on the pipeline's line under
        the owner; None if the pipeline or its owner is not drawn (then the child is
        placed like any component)."""
        pipe = self._elements.get(pipeline_id)
        owner = pipe.component_id if pipe is not None else None
        if owner is None or owner == cid:
            return None
        op = self._point(owner, False, depth + 1)
        if op is None:
            return None
        x = (evolution if evolution is not None else OWM_DEFAULT_CHILD_EVOLUTION) * MAP_WIDTH
        return QPointF(x, op.y() + PIPELINE_GAP + PIPELINE_HEIGHT / 2)

    def draw_point(self, visibility: float | None, evolution: float | None) -> QPointF:
        """Where to draw OWM ``[visibility, evolution]``: like ``to_scene``, but a
        missing value takes OWM's default and absurd ones are clamped (see
        ``clamp_unit``), so an untrusted file cannot blow the scene up."""
        v = clamp_unit(visibility, OWM_DEFAULT_POSITION[0])
        e = clamp_unit(evolution, OWM_DEFAULT_POSITION[1])
        return QPointF(e * MAP_WIDTH, (1.0 - v) * MAP_HEIGHT)

    def _is_unplaced(self, c: Component) -> bool:
        return c.visibility is None and c.evolution is None and (c.pipeline_id is None or c.pipeline_id not in self._elements)

    def _layout_tray(self) -> bool:
        """Lay out components with no coordinates in a row under the map.

        OWM piles them all on one default point, where their labels overprint each
        other and whatever else is there; a row of their own keeps them readable and
        says plainly that they still need a place. Returns whether the row changed.
        """
        unplaced = [c for c in self._document.map.components if self._is_unplaced(c)]
        old = dict(self._tray)
        self._tray.clear()
        if not unplaced:
            self._tray_top = None
            return bool(old)
        p = self._paints
        top = MAP_HEIGHT + 8 + p.grid_fm.lineSpacing() * 3 + 6
        self._tray_top = top
        x = 0.0
        row_y = top + p.caption_fm.lineSpacing() + 44
        for c in unplaced:
            r = symbol_radius(c)
            width = 2 * r + p.fm.horizontalAdvance(c.name[:40]) + 30
            if x > 0 and x + width > MAP_WIDTH:
                x = 0.0
                row_y += 80
            self._tray[c.id] = QPointF(x + r + 4, row_y)
            x += width
        return self._tray != old

    # -- label placement (the work is in label_placement.LabelPlacer) ---------------------

    def note_symbol(self, key: str, point: QPointF, radius: float) -> None:
        """Mark a symbol as something labels should not cover."""
        self._labels.note_symbol(key, point, radius)

    def note_box(self, key: str, rect: QRectF, part: str = "l") -> None:
        """Mark a drawn box (a label, a note, a legend) as something labels avoid."""
        self._labels.note_box(key, rect, part)

    def note_fixed_box(self, key: str, rect: QRectF, part: str) -> None:
        """Mark text that is there before any label and never gives way (the axes'
        captions): every label avoids it, whatever its rank."""
        self._labels.note_box(key, rect, part, static=True, text=True)

    def note_segment(self, key: str, a: QPointF, b: QPointF, part: str = "s") -> None:
        """Mark a line (a link, an evolve arrow) that labels should rather not cross."""
        self._labels.note_segment(key, a, b, part)

    def forget_part(self, key: str, part: str) -> None:
        self._labels.forget_part(key, part)

    def forget(self, key: str) -> None:
        """Drop everything an element marked for label placement."""
        self._labels.forget(key)

    def label_hits(self, key: str, rect: QRectF) -> int:
        """How much a label at ``rect`` covers (0: nothing), weighted text over lines."""
        return self._labels.label_hits(key, rect)

    def place_label(
        self, key: str, point: QPointF, radius: float, width: float, height: float, ascent: float
    ) -> tuple[float, float, int]:
        """Offset (dx, first baseline) for a label with none of its own, and how much it
        still covers: OWM's default unless another side of the symbol covers less."""
        return self._labels.place_label(key, point, radius, width, height, ascent)

    def place_on_line(
        self, key: str, part: str, a: QPointF, b: QPointF, width: float, height: float, clearance: float = 0.0
    ) -> QPointF:
        """Top-left of a label beside the line a-b (a link's context or flow value):
        off the line, near its middle, where it covers least."""
        return self._labels.place_on_line(key, part, a, b, width, height, clearance)

    def _note_component(self, c: Component) -> None:
        """Mark a component's symbols and evolve arrow before labels are placed."""
        point = self.component_point(c.id)
        if point is None:
            self._ends[c.id] = None
            return
        radius = symbol_radius(c)
        labels = self._labels
        if c.kind is not ComponentKind.ANCHOR:
            labels.note_symbol(c.id, point, radius, static=True)
            if c.inertia:
                labels.note_box(c.id, inertia_rect(c, radius).translated(point), "i", static=True)
            else:
                self.forget_part(c.id, "i")
        key = c.id + EVOLVE_SUFFIX
        ends: tuple[Any, ...] = (point.x(), point.y(), radius)
        if c.evolve is not None:
            end = self.component_point(c.id, True)
            if end is not None:
                evolved_radius = symbol_radius(c, True)
                labels.note_symbol(key, end, evolved_radius, static=True)
                labels.note_segment(key, point, end, static=True)
                ends += (end.x(), end.y(), evolved_radius)
        else:
            self.forget(key)
        self._ends[c.id] = ends

    def _note_link(self, link_id: str) -> None:
        if not self._labels.avoid:
            return  # nothing noted (``note_segment``): the two points are not needed
        lk = self._elements.get(link_id)
        if lk is None:
            self.forget(link_id)
            return
        a = self.component_point(lk.source, lk.source_evolved)
        b = self.component_point(lk.target, lk.target_evolved)
        if a is not None and b is not None:
            self._labels.note_segment(link_id, a, b, static=True)

    # -- label ranks and settling ----------------------------------------------------------

    def _rank_all(self, ids: Iterable[str] = ()) -> None:
        """Rank every element in the order ``_add_all`` places them (the grid's corner
        captions last: they give way to everything); redone only when a list's
        membership changed (its length, or an id that has no rank yet)."""
        if not self._labels.avoid:
            return
        m = self._document.map
        key = (id(m), *(len(getattr(m, kind)) for kind in INDEXED_KINDS))
        ranks = self._labels.grid.rank
        if key == self._rank_key and all(i in ranks for i in ids):
            return
        self._rank_key = key
        order: list[str] = [TitleItem.ID]
        for kind in SIMPLE_KINDS:
            order.extend(e.id for e in getattr(m, kind))
        order.append(LegendItem.ID)
        order.extend(p.id for p in m.pipelines)
        for c in m.components:
            order += (c.id, c.id + EVOLVE_SUFFIX)
        order.extend(lk.id for lk in m.links)
        ranks = {element_id: i for i, element_id in enumerate(order)}
        ranks[GridItem.ID] = LAST_RANK
        self._labels.set_ranks(ranks)

    def _settle_labels(self, at_most: int | None = SETTLE_AT_ONCE, until: float | None = None) -> list[MapItem]:
        """Place again, earliest-ranked first, every element whose labels looked where
        something they can see came, went or moved, until nothing more moves (each
        placement can unsettle only later-ranked ones). The refreshed items.

        ``at_most``: how many to place now; the rest wait for the edits to pause (a
        timer), then are placed in slices (``_settle_slice``). ``until``: a
        ``time.perf_counter()`` after which no more is placed now (at least one is):
        the rest goes on at the next event-loop turn. Whatever is left stays queued
        by rank (``_unsettled``), so an edit, drag or undo coming meanwhile only adds
        to the queue and the order, hence where every label ends, is a fresh scene's."""
        labels = self._labels
        if not labels.avoid:
            return []
        if at_most is not None and self._holding():
            # A drag under way: the moved items placed their own labels; what they
            # unsettled waits for the drop (the timer only checks the drag is alive).
            self._settle_timer.start()
            return []
        heap = self._unsettled
        queued = {k for _, k in heap}
        touched: list[MapItem] = []
        budget = 4 * len(self._items) + 16  # a safety net: each key settles once per rank
        touched_any = False
        while budget > 0:
            for k in labels.unsettled():
                if k not in queued:
                    queued.add(k)
                    heapq.heappush(heap, (labels.rank_of(k), k))
            if not heap or (at_most is not None and at_most <= 0):
                break
            if until is not None and touched_any and time.perf_counter() >= until:
                break
            touched_any = True
            budget -= 1
            if at_most is not None:
                at_most -= 1
            _, key = heapq.heappop(heap)
            queued.discard(key)
            item = self._replace_labels_of(key)
            if item is not None:
                touched.append(item)
        if heap and budget > 0:
            if until is not None:
                self._slice_timer.start(0)  # the next slice, at the next turn
            elif not self._slice_timer.isActive():
                self._settle_timer.start()  # once the edits pause
        else:
            heap.clear()
            self._settle_timer.stop()
            self._slice_timer.stop()
        return touched

    @property
    def settling(self) -> bool:
        """Whether labels are still left to place (in slices, after a pause or a drop)."""
        return bool(self._unsettled) or self._slice_timer.isActive() or self._settle_timer.isActive()

    def settle_labels(self) -> None:
        """Place every label that an edit left to place later (see ``SETTLE_AT_ONCE``),
        now and in one go (an export, a test): then each is where a scene built afresh
        from the map puts it. On screen the timers do it in slices instead."""
        self._settle(None)

    def _settle_slice(self) -> None:
        """One slice of the labels left to place: about ``SETTLE_SLICE_MS`` of them,
        earliest-ranked first; the rest at the next event-loop turn."""
        self._settle(time.perf_counter() + SETTLE_SLICE_MS / 1000)

    def _settle(self, until: float | None) -> None:
        if not shiboken6.isValid(self):
            return
        if self._holding():
            self._slice_timer.stop()
            self._settle_timer.start()  # still dragging: look again later
            return
        touched = self._settle_labels(at_most=None, until=until)
        if touched:
            self._grow_scene_rect(touched)
            if self.on_refreshed is not None:
                self.on_refreshed(touched)

    def hold_labels(self, drag: Any) -> None:
        """While ``drag`` is under way (alive, and its ``holds_labels`` true), an edit
        places only the labels of the items it refreshes (the dragged elements', their
        links' and pipelines'): the other labels it unsettles are placed once, by
        ``release_labels`` at the drop, not at every step of the drag (at 600
        components one step unsettled ~100 labels, ~100 ms). At rest every label is
        still where a fresh scene puts it."""
        if not self._holding():
            self._hold_since = self._labels.grid.seq
        self._hold = weakref.ref(drag)

    def release_labels(self) -> None:
        """The drag is over: place every label it left to place (only those that what
        moved unsettled where it started and where it ended: not every place the drag
        passed through on the way), in slices from the next event-loop turn on, so the
        drop does not freeze the window (``_settle_slice``)."""
        if self._hold is not None:
            self._labels.grid.squash_changes(self._hold_since)
        self._hold = None
        if self._labels.avoid:
            self._settle_timer.stop()
            self._slice_timer.start(SETTLE_AFTER_DROP_MS)

    def _holding(self) -> bool:
        drag = self._hold() if self._hold is not None else None
        if drag is not None and getattr(drag, "holds_labels", False):
            return True
        self._hold = None
        return False

    def _replace_labels_of(self, element_id: str) -> MapItem | None:
        item = self._items.get(element_id)
        if item is None:
            self._labels.grid.forget_looks(element_id)
            return None
        if isinstance(item, GridItem) and not item.corners_changed(self):
            return None  # the whole grid repaints: only when a caption comes or goes
        before = item.drawn_state()
        item.quiet = True
        try:
            refreshed = self._ensure(element_id, type(item))
        finally:
            item.quiet = False
        if refreshed is not item:
            return refreshed  # dropped (None), or a new item
        if item.drawn_state() == before:
            return None  # placed again where it was: nothing to repaint
        item.update()
        return item

    # -- building -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Throw every item away and draw the map afresh (a new map or new style)."""
        selected = [i.element_id for i in self.selectedItems() if isinstance(i, MapItem)]
        self._clear_own_items()
        theme = self._pick_theme()
        if theme != self._theme:
            self._theme = theme
            self._paints = Paints(theme, self._screen)
        self.setBackgroundBrush(self._paints.background)
        m = self._document.map
        self._index.reindex_all()
        self._layout_tray()
        self._labels = LabelPlacer(avoid=len(m.components) <= LABEL_AVOIDANCE_LIMIT)
        self._unsettled.clear()
        self._settle_timer.stop()
        self._slice_timer.stop()
        self._rank_key = None
        self._rank_all()
        self._ends.clear()
        self._points = {}
        self._link_layer = LinkLayer()
        self.addItem(self._link_layer)  # below the links' own items: added before them
        self._link_layer.begin_batch()
        try:
            self._add_all(m)
        finally:
            self._points = None
            self._link_layer.end_batch()
        # Built in rank order, each item after everything it can see: nothing to
        # settle (what the build itself changed, nobody placed earlier could see).
        self._labels.grid.clear_changes()
        self._fit_scene_rect()
        if self.indexed:
            self._fit_index_depth()
        for element_id in selected:
            chosen = self._items.get(element_id)
            if chosen is not None:
                chosen.setSelected(True)

    def _clear_own_items(self) -> None:
        # Items the interaction layer added (drag handles, rubber-band lines) are not
        # ours to delete: lift them out, clear ours wholesale (far faster than one
        # removeItem each), and put them back.
        foreign = [i for i in self.items() if i.parentItem() is None and not isinstance(i, (MapItem, _Shelf))]
        for item in foreign:
            self.removeItem(item)
        self.clear()
        self._items.clear()
        self._shelves.clear()
        for item in foreign:
            self.addItem(item)
        self._only_ours = not foreign

    def _add_all(self, m: WardleyMap) -> None:
        # Every symbol and line first, then the items in the order of their ranks
        # (``_rank_all``), so each label avoids what it is meant to.
        for c in m.components:
            self._note_component(c)
        for lk in m.links:
            self._note_link(lk.id)
        self._add(GridItem())
        self._add(TitleItem())
        for kind, cls in SIMPLE_KINDS.items():
            for e in getattr(m, kind):
                self._add(cls(e.id))
        self._add(LegendItem())
        for p in m.pipelines:
            self._add(PipelineItem(p.id))
        for c in m.components:
            self._add(ComponentItem(c.id))
            if c.evolve is not None:
                self._add(EvolveItem(c.id + EVOLVE_SUFFIX))
        for lk in m.links:
            self._add(LinkItem(lk.id))
        self._ensure(GridItem.ID, GridItem)  # corner captions give way to what is now placed

    def _fit_scene_rect(self) -> None:
        rect = QRectF(-40, -40, MAP_WIDTH + 60, MAP_HEIGHT + 80)
        if self._only_ours and not self.indexed:
            # Every item is one of ours (a new scene, an export): Qt unites their boxes
            # in one call, not 3,000 calls from Python (~10 ms at 1,000 components).
            # Not with the BSP tree (a scene on screen): asking Qt for its items would
            # build the tree now, and again once ``_fit_index_depth`` changes its depth.
            rect = rect.united(self.itemsBoundingRect())
        else:
            for item in self._items.values():
                rect = rect.united(item.sceneBoundingRect())
        self.setSceneRect(rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))

    def _add(self, item: MapItem) -> None:
        self._labels.begin(item.element_id)
        if item.refresh(self):
            self.addItem(item)
            self._items[item.element_id] = item
            self._cache(item)

    # -- on-screen drawing ---------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt override
        super().drawBackground(painter, rect)
        self._pens_for(painter)

    def _pens_for(self, painter: QPainter) -> None:
        """Into pixels (the screen, a PNG), link lines are drawn with cosmetic pens as
        wide as the painter's scale makes the map's own pens: the same line, but Qt
        rasterises a scaled (non-cosmetic) pen as a filled outline, 2-6x slower a
        line. A 1,000-component random-link map has 2,000 long lines: its PNG took
        ~370 ms of line drawing. Vector output (SVG, PDF, print) keeps the map's own
        scaled pens, as the page should."""
        raster = isinstance(painter.device(), (QWidget, QImage, QPixmap))
        scale = math.sqrt(abs(painter.worldTransform().determinant())) if raster else 0.0
        key = (id(self._paints), scale)
        if key == getattr(self, "_pen_key", None):
            return
        self._pen_key = key
        width = self._theme.link_width
        for pen in (self._paints.link_pen, self._paints.evolved_link_pen):
            pen.setCosmetic(raster)
            pen.setWidthF(width * scale if raster else width)

    # -- on-screen item index --------------------------------------------------------------

    @property
    def indexed(self) -> bool:
        """Whether Qt finds items by its BSP tree (``index_items``)."""
        return self.itemIndexMethod() is QGraphicsScene.ItemIndexMethod.BspTreeIndex

    def index_items(self) -> None:
        """Find items by Qt's BSP tree (for a scene shown in a view, not for export).

        Without an index Qt looks at every item's bounds for every paint and every hit
        test, whatever the area: ~5-7 ms a paint at 5,000 components (~15,000 items),
        most of the repaint of the few items one edit changes. With the tree a paint
        visits only the items whose boxes reach the area. Building it costs ~150 ms at
        5,000 components, once; an item that moves is taken out and put back, which
        costs a drag step less than the walk it saves. Drawing order and hits are the
        same: Qt sorts what the tree finds by the same stacking order."""
        if self.indexed:
            return
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._fit_index_depth()
        # A new index learns the scene rect only from a change of it: until then its
        # rect is empty and every item falls into one leaf (each paint sorted them all).
        rect = self.sceneRect()
        self.setSceneRect(rect.adjusted(0, 0, 1, 0))
        self.setSceneRect(rect)

    def _fit_index_depth(self) -> None:
        """A BSP tree as deep as Qt would choose for the items there are now: Qt
        chooses once, from the first count it sees (a map drawn empty, then replaced by
        one of 5,000 components, would keep 32 leaves of ~500 items each)."""
        count = len(self._items)
        depth = max(5, math.ceil(math.log2(count))) if count > 0 else 5  # Qt's rule
        if self.bspTreeDepth() != depth:
            self.setBspTreeDepth(depth)  # rebuilt at the next look-up

    # -- on-screen caching ---------------------------------------------------------------

    @property
    def caching(self) -> bool:
        """Whether small items are cached on screen (``set_item_caching``)."""
        return bool(getattr(self, "_caching", False))

    def set_item_caching(self, on: bool) -> None:
        """Cache small items as pixmaps (for a scene shown in a view, not for export).

        A drag repaints every item under the region it dirties; blitting cached
        components and short links instead of calling their Python ``paint`` keeps a
        drag step on a 1,000-component map near 13 ms instead of 19. Long links are
        not cached: their pixmaps would cost megabytes each.
        """
        if getattr(self, "_caching", False) == on:
            return
        self._caching = on
        if on:
            QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))  # KB
        for item in self._items.values():
            if on:
                self._cache(item)
            elif item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # off means off (``_cache`` skips when off)

    def _cache(self, item: MapItem) -> None:
        if not getattr(self, "_caching", False):
            return
        # Components only: bare links are the LinkLayer's (a cached link would draw its
        # line a fraction of a pixel off the layer's whenever it paints itself, when
        # selected or dragged), and the others are few.
        small = isinstance(item, ComponentItem)
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if small else QGraphicsItem.CacheMode.NoCache
        if item.cacheMode() != mode:
            item.setCacheMode(mode)

    def _ensure(self, element_id: str, cls: type[MapItem]) -> MapItem | None:
        """Refresh the item for an element, creating or dropping it as needed."""
        item = self._items.get(element_id)
        self._labels.begin(element_id)
        if item is None:
            item = cls(element_id) if cls not in (LegendItem, GridItem, TitleItem) else cls()
            if item.refresh(self):
                self._add_late(item)
                self._items[element_id] = item
                self._cache(item)
                return item
            return None
        if item.refresh(self):
            self._cache(item)
            return item
        self._drop(element_id)
        return None

    def _add_late(self, item: MapItem) -> None:
        """Add an item after the build: on the shelf of its z (see ``_Shelf``)."""
        z = item.zValue()
        shelf = self._shelves.get(z)
        if shelf is None or not shiboken6.isValid(shelf) or shelf.scene() is not self:
            shelf = self._shelves[z] = _Shelf(z)
            self.addItem(shelf)
        item.setParentItem(shelf)  # into the scene with its shelf, never a top-level item

    def _ensure_all(self, element_ids: Iterable[str], cls: type[MapItem]) -> list[MapItem]:
        """``_ensure`` each; the items that are drawn."""
        return [item for eid in element_ids if (item := self._ensure(eid, cls)) is not None]

    def _drop(self, element_id: str) -> None:
        self.forget(element_id)
        item = self._items.pop(element_id, None)
        if item is not None:
            if isinstance(item, LinkItem):
                self._link_layer.drop(element_id)
            self.removeItem(item)

    # -- following the document ----------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if not shiboken6.isValid(self):
            # Qt deleted the scene (its parent went) while Python still held it:
            # stop listening rather than fail the edit that is being emitted.
            self._document.changed.disconnect(self._on_document_changed)
            return
        try:
            self._follow(change)
        except Exception:  # noqa: BLE001
            # The edit already happened in the Document; failing here would fail it
            # for the user. Say so in the log and redraw everything instead.
            log.exception("canvas could not follow %s; redrawing the whole map", change)
            self.rebuild()

    def _follow(self, change: Change) -> None:
        what = change.what
        if what == "map" or (what in INDEXED_KINDS and not change.ids):
            self.rebuild()
            return
        if what in INDEXED_KINDS and self._labels.avoid:
            self._rank_all(change.ids)
        if what == "components":
            touched = self._components_changed(change.ids)
        elif what == "links":
            touched = self._links_changed(change.ids)
        elif what == "pipelines":
            touched = self._pipelines_changed(change.ids)
        elif what in SIMPLE_KINDS:
            touched = self._simple_changed(what, change.ids)
        else:
            return  # service, contract, urls, raw lines...: nothing drawn
        touched += self._settle_labels()
        self._grow_scene_rect(touched)
        if self.on_refreshed is not None:
            self.on_refreshed(touched)

    def _links_changed(self, ids: tuple[str, ...]) -> list[MapItem]:
        self._index.reindex("links", ids)
        self._index.reindex_links(ids)
        for lid in ids:
            self._note_link(lid)
        return self._ensure_all(ids, LinkItem)

    def _simple_changed(self, what: str, ids: tuple[str, ...]) -> list[MapItem]:
        """Notes, annotations, areas, accelerators: one item each, and the legend
        lists the annotations."""
        self._index.reindex(what, ids)
        cls = SIMPLE_KINDS[what]
        touched = self._ensure_all(ids, cls)
        if what == "annotations":
            touched += self._ensure_all((LegendItem.ID,), LegendItem)
        return touched

    def _components_changed(self, ids: tuple[str, ...]) -> list[MapItem]:
        self._index.reindex("components", ids)
        changed = set(ids)
        # Whole-map passes only when the change reaches them: a component added or
        # removed outside any pipeline and with coordinates leaves both as they were.
        if self._changes_pipeline(ids):
            self._index.reindex_children()
        comps = set(changed)
        tray_changed = self._reaches_tray(ids) and self._layout_tray()
        if tray_changed:
            comps.update(self._tray)
        pipes = self._pipelines_around(comps)
        # Mark the moved symbols and lines first, then lay out labels around them.
        links = self._note_components(comps)
        for lid in links:
            self._note_link(lid)
        touched = self._ensure_all(pipes, PipelineItem)
        for cid in comps:
            self._refresh_component(cid, touched)
        touched += self._ensure_all(links, LinkItem)
        grid = self._items.get(GridItem.ID)
        if tray_changed or (isinstance(grid, GridItem) and grid.corners_changed(self)):
            touched += self._ensure_all((GridItem.ID,), GridItem)
        return touched

    def _changes_pipeline(self, ids: tuple[str, ...]) -> bool:
        """Whether a component among ``ids`` joined, left or changed pipeline (or came
        or went as a pipeline's child)."""
        return any(
            getattr(self._elements.get(cid), "pipeline_id", None) != self._child_of.get(cid)
            for cid in ids
        )

    def _reaches_tray(self, ids: tuple[str, ...]) -> bool:
        """Whether a component among ``ids`` was in the tray or now belongs there."""
        return any(
            cid in self._tray or (isinstance(c := self._elements.get(cid), Component) and self._is_unplaced(c))
            for cid in ids
        )

    def _pipelines_around(self, comps: set[str]) -> set[str]:
        """The pipelines ``comps`` own or sit on; adds the children of the owned ones to
        ``comps``: a component drags its pipeline's children with it, and a child
        stretches its pipeline's box."""
        pipes: set[str] = set()
        for cid in list(comps):
            for pid in self._pipelines_of.get(cid, ()):
                pipes.add(pid)
                comps.update(self._children.get(pid, ()))
            if cid in self._child_of:
                pipes.add(self._child_of[cid])
        return pipes

    def _note_components(self, comps: set[str]) -> set[str]:
        """Mark ``comps``' symbols for label placement; the links to redraw: those of
        components whose link ends changed (or that came or went)."""
        links: set[str] = set()
        for cid in comps:
            before = self._ends.pop(cid, False)
            c = self._elements.get(cid)
            if c is not None:
                self._note_component(c)
            if c is None or before != self._ends.get(cid):
                links.update(self._links_of.get(cid, ()))
        return links

    def _refresh_component(self, cid: str, touched: list[MapItem]) -> None:
        """Refresh (or drop) a component's item and its evolved copy's; the refreshed
        ones go on ``touched``."""
        c = self._elements.get(cid)
        if c is None:
            self._drop(cid)
            self._drop(cid + EVOLVE_SUFFIX)
            return
        if (item := self._ensure(cid, ComponentItem)) is not None:
            touched.append(item)
        if c.evolve is None:
            self._drop(cid + EVOLVE_SUFFIX)
        elif (item := self._ensure(cid + EVOLVE_SUFFIX, EvolveItem)) is not None:
            touched.append(item)

    def _pipelines_changed(self, ids: tuple[str, ...]) -> list[MapItem]:
        # Owners before and after: a pipeline coming or going turns its owner's circle
        # into OWM's square and back.
        owners = {p.component_id for pid in ids if (p := self._elements.get(pid)) is not None}
        self._index.reindex("pipelines")
        self._index.reindex_pipelines()
        self._index.reindex_children()
        owners |= {p.component_id for pid in ids if (p := self._elements.get(pid)) is not None}
        touched = self._ensure_all(ids, PipelineItem)
        # Children sit on their pipeline's line: a pipeline coming or going moves them.
        comps = {cid for pid in ids for cid in self._children.get(pid, ())} | owners
        if comps:
            touched.extend(self._components_changed(tuple(comps)))
        return touched

    def _grow_scene_rect(self, items: list[MapItem]) -> None:
        """Grow (never shrink) the scene rect to hold refreshed items: shrinking would
        need every item's bounds, too slow per drag step; a rebuild recomputes it."""
        rect = self.sceneRect()
        grown = QRectF(rect)
        for item in items:
            r = item.sceneBoundingRect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
            if not rect.contains(r):
                grown = grown.united(r)
        if grown != rect:
            self.setSceneRect(grown)


def _evolution_of(c: Component, evolved: bool) -> float | None:
    """A component's (or its evolved copy's) evolution, clamped as drawn; None if the
    map gives none."""
    evolution = c.evolve.evolution if evolved and c.evolve is not None else c.evolution
    if evolution is not None:
        evolution = clamp_unit(evolution, OWM_DEFAULT_POSITION[1])
    return evolution


def document_for_map(wardley_map: WardleyMap) -> Document:
    """A Document around a bare map, for drawing one that is not being edited (export
    of a parsed OWM file). Built without re-validating the map: it was validated when
    it was made, and validating 16,000 components again would cost more than drawing."""
    return Document(ServiceDocument.model_construct(map=wardley_map))
