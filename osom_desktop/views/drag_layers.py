"""While a selection is dragged, what does not move is painted once, not every frame.

A drag step repaints every item under the area it dirties: the dragged component's
links run across much of the map, and on a map with long links every frame called
~1,100 Python ``paint``s for lines that did not move (a 1,000-component random-link
map: ~90 ms a frame). ``DragLayers`` paints the items that stay put into pixmaps when
the drag starts (one per band of stacking order between the items that move, so a
moving link still passes under the components above it) and tells Qt not to paint
those items (``ItemHasNoContents``) until the drag ends; a frame then blits the
layers and paints only what moves.

Nothing changes in the map or its items: the items keep their geometry, selection and
place, and on ``stop`` they paint again and the whole view is repainted from them,
so the picture after the drop is the one a fresh paint gives. Anything the layers did
not foresee (a still item redrawn all the same, such as a label placed again beside
the moved links; the view scrolled or zoomed; another edit; another view painting the
scene; the map rebuilt) stops them: the view goes back to painting every item.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPixmap, QPixmapCache, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from osom_desktop.drawing.items import ComponentItem, GridItem, LegendItem, LinkItem, MapItem
from osom_desktop.drawing.map_scene import CACHE_MAX_AREA, EVOLVE_SUFFIX
from osom_desktop.model.document import Change

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsView

    from osom_desktop.drawing.map_scene import MapScene
    from osom_desktop.views.map_drag import SelectionDrag

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
# Below this many frozen items a frame is cheap anyway: not worth a capture.
MIN_FROZEN = 200
# Taking the layers costs about one paint of every still item in view; without them a
# frame repaints the still items under the moving ones' boxes. Layers are taken only
# when those boxes cover at least this share of the view, so that a few frames of a
# drag would cost as much (long links across the map: yes; a component linked to its
# neighbours: no, its frames are cheap already and a capture would only make the
# drag's first step slow).
PAYOFF_COVER = 1 / 8


def moving_ids(scene: MapScene, drag: SelectionDrag) -> tuple[set[str], set[str]]:
    """The ids of the items a drag redraws (as the scene refreshes them: the moved
    components, their evolved copies, the pipelines they own or sit on and those
    pipelines' children, every link of all of these, the other dragged elements),
    and the ids of the dragged components themselves (with the children they take)."""
    m = scene.document.map
    owned: dict[str, list[str]] = {}
    for p in m.pipelines:
        owned.setdefault(p.component_id, []).append(p.id)
    children: dict[str, list[str]] = {}
    for c in m.components:
        if c.pipeline_id is not None:
            children.setdefault(c.pipeline_id, []).append(c.id)
    comps = set(drag.components)
    pipes: set[str] = set()
    todo = list(comps)
    while todo:
        cid = todo.pop()
        pipeline_id = getattr(scene.element(cid), "pipeline_id", None)
        if pipeline_id is not None:
            pipes.add(pipeline_id)
        for pid in owned.get(cid, ()):
            pipes.add(pid)
            for child in children.get(pid, ()):
                if child not in comps:
                    comps.add(child)
                    todo.append(child)
    ids = set(comps) | {cid + EVOLVE_SUFFIX for cid in comps} | pipes | set(drag.others)
    ids.update(lk.id for lk in m.links if lk.source in comps or lk.target in comps)
    ids.add(GridItem.ID)  # its corner captions give way to what moves into a corner
    if any(a.id in drag.others for a in m.annotations):
        ids.add(LegendItem.ID)  # it lists the annotations
    return ids, comps


def _cover(scene: MapScene, live: set[str], area: QRectF) -> float:
    """The share of ``area`` under the boxes of the items a drag moves (summed: about
    what a frame without layers repaints)."""
    total = 0.0
    for element_id in live - {GridItem.ID}:
        item = scene.item_for_id(element_id)
        if item is not None and item.isVisible():
            r = item.sceneBoundingRect().intersected(area)
            total += r.width() * r.height()
    return total / max(1.0, area.width() * area.height())


# The layers in use (one drag per view at most); weak: a window closed mid-drag takes
# its drag, and the drag its layers, with it.
_ACTIVE: weakref.WeakSet[DragLayers] = weakref.WeakSet()


class _Layer(QGraphicsRectItem):
    """One band of the items that stay put, as a pixmap in the view's device pixels."""

    def __init__(self, owner: DragLayers, items: list[MapItem], pixmap: QPixmap, rect: QRectF, z: float) -> None:
        super().__init__(rect)
        self.setPen(Qt.PenStyle.NoPen)
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.owner = owner
        self.items = items
        self.pixmap = pixmap

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        owner = self.owner
        device = painter.worldTransform()
        if widget is not owner.viewport or device != owner.transform or not owner.intact() or not owner.dragging():
            # Not the picture the layer was taken for (the view scrolled or zoomed,
            # another view shows the scene, the map was redrawn afresh, the drag ended
            # without its release reaching the view): draw the items themselves, and stop.
            owner.stop_soon()
            paint_items(painter, self.items, device)
            return
        dpr = self.pixmap.devicePixelRatio()
        bounds = QRect(0, 0, math.ceil(self.pixmap.width() / dpr), math.ceil(self.pixmap.height() / dpr))
        target = device.mapRect(option.exposedRect).toAlignedRect().adjusted(-1, -1, 1, 1).intersected(bounds)
        if target.isEmpty():
            return
        source = QRectF(target.x() * dpr, target.y() * dpr, target.width() * dpr, target.height() * dpr)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QRectF(target), self.pixmap, source)
        painter.restore()


def paint_items(painter: QPainter, items: Iterable[QGraphicsItem], base: QTransform) -> None:
    """Paint ``items`` (bottom first) as the scene would, ``base`` mapping scene to device."""
    option = QStyleOptionGraphicsItem()
    for item in items:
        # Qt paints no item without contents, and nor does this: a bare link's line is
        # drawn by the scene's LinkLayer, which is among the items.
        if not shiboken6.isValid(item) or not item.isVisible() or item.flags() & NO_CONTENTS:
            continue
        painter.save()
        painter.setWorldTransform(item.sceneTransform() * base)  # a clip stays in device pixels
        painter.setOpacity(item.effectiveOpacity())
        option.exposedRect = item.boundingRect()
        option.rect = option.exposedRect.toAlignedRect()
        item.paint(painter, option, None)
        painter.restore()


class DragLayers:
    """The items that stay put during one drag, painted once into layers.

    ``start`` returns None when there is nothing worth it (a small map); ``stop``
    (idempotent) gives the items back to Qt's painting and repaints the view.
    """

    def __init__(self, view: QGraphicsView, scene: MapScene, live: set[str], comps: set[str],
                 drag: SelectionDrag | None = None) -> None:
        self.view = view
        self.drag = drag
        self.viewport = view.viewport()
        self.scene = scene
        self.transform = view.viewportTransform()
        self.hints = view.renderHints()
        self.layers: list[_Layer] = []
        self.frozen: dict[str, tuple[MapItem, _Layer]] = {}  # element id -> item, its layer
        self._sentinel: MapItem | None = None
        self._comps = comps
        self._live = live
        self._released: set[str] = set()  # moving links the LinkLayer left to themselves
        self._link_layer = scene.link_layer
        self._stopping = False
        self._stopped = False
        self._empty: set[str] = set()  # still items that had no contents of their own
        area = view.mapToScene(self.viewport.rect().adjusted(-2, -2, 2, 2)).boundingRect()
        self._area = area
        visible = [i for i in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                          Qt.SortOrder.AscendingOrder) if i.isVisible()]
        # Everything visible that moves or is not ours (handles, a ghost): Qt paints
        # those every frame as before. Ours that stay put go into layers.
        self._visible = visible
        self._still = [i for i in visible if isinstance(i, MapItem) and i.element_id not in live]

    @classmethod
    def start(cls, view: QGraphicsView, scene: MapScene, drag: SelectionDrag) -> DragLayers | None:
        live, comps = moving_ids(scene, drag)
        if _cover(scene, live, view.mapToScene(view.viewport().rect()).boundingRect()) < PAYOFF_COVER:
            return None
        for old in [a for a in _ACTIVE if a.view is view]:
            old.stop()  # a drag whose release never came (a dialog took the mouse)
        layers = cls(view, scene, live, comps, drag)
        if len(layers._still) < MIN_FROZEN:
            return None
        # The moving links paint themselves for the drag: the layer, frozen with what
        # stays put, would show them where they were.
        layers._released = {i for i in live if isinstance(scene.item_for_id(i), LinkItem)}
        scene.link_layer.release(layers._released, "dragged", scene)
        layers._capture()
        scene.document.changed.connect(layers._on_change)
        scene.on_refreshed = layers._on_refreshed
        _ACTIVE.add(layers)
        return layers

    def _bands(self) -> list[tuple[float, list[MapItem]]]:
        """The still items in runs between the moving ones, in stacking order; each run
        with the z its layer takes: just under the moving item above it, so the layer
        is drawn after the moving item below it and before that one. (Still items among
        moving ones of the very same z, say static links between a component's moving
        links, go under all of those.)"""
        bands: list[tuple[float, list[MapItem]]] = []
        current: list[MapItem] = []
        for item in self._visible:  # ascending stacking order
            if isinstance(item, MapItem) and item.element_id not in self._live:
                current.append(item)
            elif current:
                z = item.zValue() - 1e-3
                if bands and bands[-1][0] == z:
                    bands[-1][1].extend(current)  # both go under the same moving items: one layer
                else:
                    bands.append((z, current))
                current = []
        if current:
            bands.append((max(i.zValue() for i in current) + 1e-3, current))
        return bands

    def _capture(self) -> None:
        dpr = self.viewport.devicePixelRatioF()
        size = self.viewport.size()
        for z, items in self._bands():
            pixmap = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHints(self.hints)
            paint_items(painter, items, self.transform)
            painter.end()
            layer = _Layer(self, items, pixmap, self._area, z)
            self.layers.append(layer)
            for item in items:
                self.frozen[item.element_id] = (item, layer)
        for item in self._still:
            if item.flags() & NO_CONTENTS:
                self._empty.add(item.element_id)  # a layered link: stays so after
            else:
                item.setFlag(NO_CONTENTS, True)
        self._sentinel = self._still[0]
        for layer in self.layers:
            self.scene.addItem(layer)

    def dragging(self) -> bool:
        """Whether the view is still in this drag (a new press starts another)."""
        return self.drag is None or getattr(self.view, "_drag", None) is self.drag

    def intact(self) -> bool:
        """Whether the frozen items are still the scene's (a rebuild replaces them all)."""
        first = self._sentinel
        return first is not None and shiboken6.isValid(first) and first.scene() is not None

    def _on_refreshed(self, items: list[MapItem]) -> None:
        """The scene redrew ``items`` after a change: if one is in a layer (a label
        placed again beside the moved links, say), the layers are stale. (Taking it out
        of its layer alone would draw it above or below all of its layer, where it may
        cross still items that are above or below it.)"""
        frozen = self.frozen
        if any(item.element_id in frozen for item in items):
            self.stop()

    def _on_change(self, change: Change) -> None:
        """Another edit than this drag's moves: the still items may not be still."""
        if change.what == "components" and set(change.ids) <= self._comps:
            return
        if change.ids and set(change.ids) <= self._live:
            return
        self.stop()

    def stop_soon(self) -> None:
        if not self._stopping:
            self._stopping = True
            QTimer.singleShot(0, self.stop)

    def stop(self) -> None:
        """Every item paints itself again; the view is repainted from them."""
        if self._stopped:
            return
        self._stopped = True
        _ACTIVE.discard(self)
        self.scene.document.changed.disconnect(self._on_change)
        if shiboken6.isValid(self.scene) and self.scene.on_refreshed == self._on_refreshed:
            self.scene.on_refreshed = None
        for element_id, (item, _layer) in self.frozen.items():
            if shiboken6.isValid(item) and element_id not in self._empty:
                item.setFlag(NO_CONTENTS, False)
        self.frozen = {}
        if self._released and shiboken6.isValid(self.scene) and shiboken6.isValid(self._link_layer):
            self._link_layer.take_back(self._released, "dragged", self.scene)
        self._released = set()
        for layer in self.layers:
            if shiboken6.isValid(layer) and layer.scene() is not None:
                layer.scene().removeItem(layer)
        self.layers = []
        if shiboken6.isValid(self.viewport):
            self.viewport.update()

    @property
    def active(self) -> bool:
        return not self._stopped


NO_CACHE = QGraphicsItem.CacheMode.NoCache
DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache


class DragCache:
    """On a map too big to keep every item cached (``map_base.CACHE_MAX_COMPONENTS``:
    15,000 pixmaps overflow Qt's pixmap cache, and each edit's repaint re-rendered the
    dropped ones), a drag without layers still repaints the same few hundred still
    components and short links around the dragged items at every step (at 5,000
    components ~600 and ~1,200 a step). Those, and only those, are cached as pixmaps
    while the drag lasts (``follow`` after each step adds the ones the moving items
    now cover), and go back to painting themselves at the drop (``stop``)."""

    def __init__(self, scene: MapScene, drag: SelectionDrag) -> None:
        self.scene = scene
        self.live, _ = moving_ids(scene, drag)
        self.items: list[MapItem] = []
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))  # KB, as the scene's caching

    def follow(self) -> None:
        """Cache the still items under the moving items' boxes (what the next frames
        repaint)."""
        scene = self.scene
        if not shiboken6.isValid(scene):
            return
        area = QRectF()
        for element_id in self.live - {GridItem.ID}:
            moving = scene.item_for_id(element_id)
            if moving is not None:
                area = area.united(moving.sceneBoundingRect())
        if area.isEmpty():
            return
        live = self.live
        for item in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if (
                isinstance(item, (ComponentItem, LinkItem))
                and item.cacheMode() == NO_CACHE
                and item.element_id not in live
                and (isinstance(item, ComponentItem)
                     or item.boundingRect().width() * item.boundingRect().height() < CACHE_MAX_AREA)
            ):
                item.setCacheMode(DEVICE_CACHE)
                self.items.append(item)

    def stop(self) -> None:
        for item in self.items:
            if shiboken6.isValid(item):
                item.setCacheMode(NO_CACHE)
        self.items = []
