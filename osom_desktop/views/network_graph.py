"""The dependency graph of a service network, drawn on a QGraphicsScene from the one
``NetworkLayout`` (``analysis.network_layout``) the executive pack draws too.

Items are added in slices of at most ``SLICE_MS`` per event-loop turn, so drawing
2,000 services never holds the GUI thread for long; ``drawn`` is emitted when the
whole graph is on the scene. The drawing it replaces leaves the same way, first, a
slice at a time: ``QGraphicsScene.clear()`` of 2,000 nodes and 5,000 edges held the
GUI thread 30-130 ms in one go on every refresh. Selecting a service highlights what
it depends on and what depends on it, transitively (``highlight``); everything else
is dimmed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyle,
)

from osom_desktop.analysis.network_layout import (
    CYCLE_COLOUR,
    EDGE_COLOUR,
    FONT_PX,
    PALETTE,
    EdgeRoute,
    NetworkLayout,
    NodeBox,
)

LIFECYCLE_COLOURS = PALETTE  # the one palette (older name kept for callers)
SLICE_MS = 15.0
MARGIN = 20.0
# Zoom: the default never shrinks labels below 9 pt (12 px of a 13 px font);
# Fit (Ctrl+0) may go further to show everything, down to MIN_ZOOM.
READABLE_ZOOM = 12.0 / FONT_PX
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.05, 4.0, 1.25

_UPSTREAM = QColor("#1565c0")  # what the selected service depends on
_DOWNSTREAM = QColor("#e65100")  # what depends on it: its blast radius
_SELECTED = QColor("#000000")


def _font() -> QFont:
    f = QFont()
    f.setPixelSize(int(FONT_PX))
    return f


class NodeItem(QGraphicsPathItem):
    """A service: a rounded box with its name, filled by lifecycle."""

    def __init__(self, node: str, box: NodeBox, colour_key: str, tooltip: str, font: QFont) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, box.w, box.h), 6, 6)
        super().__init__(path)
        self.node = node
        self.colour_key = colour_key
        self.setBrush(QBrush(QColor(PALETTE.get(colour_key, ("#eeeeee", ""))[0])))
        dashed = colour_key in ("external", "unreadable")
        self._pen = QPen(QColor("#333333"), 1.2, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        self.setPen(self._pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setToolTip(tooltip)
        self.setZValue(1)
        self.setPos(box.x, box.y)
        label = QGraphicsSimpleTextItem(self)  # plain text only: names come from files
        label.setFont(font)
        label.setText(box.label)
        r = label.boundingRect()
        label.setPos((box.w - r.width()) / 2, (box.h - r.height()) / 2)
        self.role = ""  # "", "selected", "upstream", "downstream", "named"
        self._dimmed = False

    def set_role(self, role: str, dimmed: bool) -> None:
        if (role, dimmed) == (self.role, self._dimmed):
            return  # unchanged: a new pen for each of 7,000 items took 30-70 ms after every load
        self.role, self._dimmed = role, dimmed
        colour = {"selected": _SELECTED, "upstream": _UPSTREAM, "downstream": _DOWNSTREAM, "named": _SELECTED}.get(role)
        # Told apart without colour too: what it needs solid, what it would take down dash-dot.
        style = Qt.PenStyle.DashDotLine if role == "downstream" else Qt.PenStyle.SolidLine
        self.setPen(QPen(colour, 3.5 if role in ("selected", "named") else 2.6, style) if colour is not None else self._pen)
        self.setOpacity(0.22 if dimmed else 1.0)

    def paint(self, painter, option, widget=None):  # no dotted focus rectangle: the pen shows selection
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)


class EdgeItem(QGraphicsPathItem):
    """A dependency: dot's spline with an arrow head at what is depended on; red in a cycle."""

    def __init__(self, route: EdgeRoute) -> None:
        pts = [QPointF(x, y) for x, y in route.points]
        path = QPainterPath(pts[0])
        i = 1
        while i + 2 <= len(pts) - 1:
            path.cubicTo(pts[i], pts[i + 1], pts[i + 2])
            i += 3
        end = QPointF(*route.head) if route.head else pts[-1]
        tip_from = pts[-1] if route.head else pts[-2]
        if route.head:
            path.lineTo(end)
        _arrow(path, tip_from, end)
        super().__init__(path)
        self.source, self.target = route.source, route.target
        self.in_cycle = route.in_cycle
        self._pen = _hairline(QColor(CYCLE_COLOUR if route.in_cycle else EDGE_COLOUR))
        self.setPen(self._pen)
        self.setZValue(0)
        self._look: tuple[QColor | None, bool] = (None, False)

    def set_role(self, colour: QColor | None, dimmed: bool) -> None:
        if colour is self._look[0] and dimmed == self._look[1]:
            return  # unchanged (the colours are the module's constants)
        self._look = (colour, dimmed)
        self.setPen(_highlighted(colour) if colour is not None else self._pen)
        self.setZValue(0.5 if colour is not None else 0)  # over the dimmed edges it crosses
        self.setOpacity(0.12 if dimmed else 1.0)


def _hairline(colour: QColor) -> QPen:
    """An edge's pen: one device pixel wide whatever the zoom (width 0). Antialiased
    paths with a width are outlined in full to be painted, however little of them is
    in view: a repaint of the window at 2,000 services took 27-32 ms with them, 3-5 ms
    with hairlines (and Qt finds a hairline item's bounds without outlining it).
    Cycles and highlights show by their colour."""
    pen = QPen(colour, 0)
    pen.setCosmetic(True)
    return pen


def _highlighted(colour: QColor) -> QPen:
    """A highlighted edge's pen: 3 px wide, solid into what the selection needs and
    dash-dot out of what it would take down, so the two read apart without their
    colours (colour blindness, a grey printout). Only the highlighted edges are wide:
    a wide pen is outlined to be painted (see ``_hairline``), so a blast radius of
    hundreds of edges costs more a repaint, the rest of the drawing nothing."""
    pen = QPen(colour, 3.0, Qt.PenStyle.DashDotLine if colour is _DOWNSTREAM else Qt.PenStyle.SolidLine)
    pen.setCosmetic(True)
    return pen


def _arrow(path: QPainterPath, start: QPointF, end: QPointF) -> None:
    d = end - start
    length = (d.x() ** 2 + d.y() ** 2) ** 0.5
    if length == 0:
        return
    ux, uy = d.x() / length, d.y() / length
    size = 8.0
    base = QPointF(end.x() - ux * size, end.y() - uy * size)
    left = QPointF(base.x() - uy * size * 0.45, base.y() + ux * size * 0.45)
    right = QPointF(base.x() + uy * size * 0.45, base.y() - ux * size * 0.45)
    path.addPolygon(QPolygonF([end, left, right, end]))


class NetworkScene(QGraphicsScene):
    drawn = Signal()  # every item of the last ``show_layout`` is on the scene

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # No spatial index: most edges of a large network span much of the drawing, so
        # the BSP tree filed each in hundreds of cells, and every change of an edge's pen
        # (a highlight) took 3 ms to refile it: 22 s to light up one service's blast
        # radius at 2,000 services. Looking through 7,000 items to paint or hit-test is
        # about a millisecond.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self._old: list[QGraphicsItem] = []  # the previous drawing, leaving the scene a slice at a time
        self._plain = True  # no item highlighted or dimmed
        self._work: Iterator[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self.drawing = False
        # A step is running the drawing's generator: a selection change signalled from
        # inside it (a selected item leaving the scene) must not step it again
        # ("generator already executing" reached the person as a traceback).
        self.stepping = False

    def show_layout(self, layout: NetworkLayout, colours: dict[str, str], tooltips: dict[str, str]) -> None:
        """Replace the drawing with ``layout``, a slice at a time; ``drawn`` when complete."""
        self._timer.stop()
        self._retire()
        self.setSceneRect(QRectF(-MARGIN, -MARGIN, layout.width + 2 * MARGIN, layout.height + 2 * MARGIN))
        self._start(self._items(layout, colours, tooltips))

    def _start(self, work: Iterator[None]) -> None:
        self._work = work
        if not self.drawing:
            self.drawing = True
            self._freeze(True)
        self._step()

    def _done(self) -> None:
        self._work = None
        self.drawing = False
        self._freeze(False)
        self.drawn.emit()

    def _freeze(self, frozen: bool) -> None:
        """The views are not repainted while the drawing changes, only once after: a
        repaint of the half-made graph after each slice added up to 60 ms to the slice
        at 500-2,000 services. Meanwhile a view keeps showing what it showed (the
        previous answer, on a refresh)."""
        for view in self.views():
            view.viewport().setUpdatesEnabled(not frozen)
            if not frozen:
                view.viewport().update()

    def _retire(self) -> None:
        """The drawing shown so far is to leave the scene (``_removing``); not shown as current any more."""
        self._old.extend(self.nodes.values())
        self._old.extend(self.edges)
        self.nodes, self.edges = {}, []
        self._plain = True  # the items to come are made as drawn, not highlighted or dimmed

    def _removing(self) -> Iterator[None]:
        """Take the retired items off the scene one by one (each is deleted with its last reference)."""
        while self._old:
            item = self._old.pop()
            if item.scene() is self:
                self.removeItem(item)
            del item
            yield

    def _items(self, layout: NetworkLayout, colours: dict[str, str], tooltips: dict[str, str]) -> Iterator[None]:
        yield from self._removing()
        font = _font()
        for node, box in layout.nodes.items():
            item = NodeItem(node, box, colours.get(node, ""), tooltips.get(node, box.label), font)
            self.addItem(item)
            self.nodes[node] = item
            yield
        for route in layout.edges:
            if route.source in self.nodes and route.target in self.nodes and len(route.points) >= 2:
                e = EdgeItem(route)
                self.addItem(e)
                self.edges.append(e)
                yield

    def _step(self) -> None:
        if self._work is None or self.stepping:
            return
        until = time.perf_counter() + SLICE_MS / 1000
        self.stepping = True
        try:
            for _ in self._work:
                if time.perf_counter() >= until:
                    self._timer.start()
                    return
        finally:
            self.stepping = False
        self._done()

    def finish_now(self) -> None:
        """Add whatever is left at once (tests, and an export reading the scene). Called
        from inside a step (a signal sent while the drawing changes), it does nothing:
        the running step goes on and ``drawn`` says when the drawing is complete."""
        if self._work is None or self.stepping:
            return
        self.stepping = True
        try:
            for _ in self._work:
                pass
        finally:
            self.stepping = False
        self._done()

    def clear_drawing(self) -> None:
        """Empty the scene, a slice at a time (``drawn`` once it is empty)."""
        self._timer.stop()
        self._retire()
        self._start(self._removing())

    def highlight(self, selected: Iterable[str], upstream: Iterable[str] = (), downstream: Iterable[str] = (),
                  shown: set[str] | None = None) -> None:
        """Outline ``selected``, what it depends on (``upstream``) and what depends on it
        (``downstream``); dim the rest when something is selected, and whatever a filter hides."""
        sel, up, down = set(selected), set(upstream), set(downstream)
        lit = sel | up | down
        plain = not lit and shown is None
        if plain and self._plain:
            return  # every item is as drawn: nothing to look at (7,000 items: 20 ms after each load)
        self._plain = plain
        for node, item in self.nodes.items():
            item.set_role(_node_role(node, sel, up, down), (bool(lit) and node not in lit) or _hidden(shown, node))
        from_up, to_down = sel | up, sel | down
        for e in self.edges:
            colour = _edge_colour(e.source, e.target, from_up, up, to_down, down) if lit else None
            e.set_role(colour, (bool(lit) and colour is None) or _hidden(shown, e.source, e.target))

    def select_node(self, node: str | None) -> None:
        self.clearSelection()
        item = self.nodes.get(node) if node else None
        if item is not None:
            item.setSelected(True)

    def selected_node(self) -> str | None:
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                return item.node
        return None


def _node_role(node: str, sel: set[str], up: set[str], down: set[str]) -> str:
    if node in sel:
        return "named" if len(sel) > 1 else "selected"
    if node in up:
        return "upstream"
    return "downstream" if node in down else ""


def _edge_colour(
    source: str, target: str, from_up: set[str], up: set[str], to_down: set[str], down: set[str]
) -> QColor | None:
    """Upstream colour for an edge into what the selection depends on, downstream for
    one out of what depends on it, else None."""
    if source in from_up and target in up:
        return _UPSTREAM
    if target in to_down and source in down:
        return _DOWNSTREAM
    return None


def _hidden(shown: set[str] | None, *nodes: str) -> bool:
    """A filter is on and hides one of ``nodes``."""
    return shown is not None and not all(n in shown for n in nodes)


class NetworkView(QGraphicsView):
    """The wheel zooms (Shift+wheel scrolls), dragging pans; double-click or Enter opens."""

    node_activated = Signal(str)
    zoomed = Signal(float)

    def __init__(self, scene: NetworkScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Ctrl+plus/minus/0 are the window's menu actions (a second shortcut here would be ambiguous).

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, z: float) -> None:
        z = max(MIN_ZOOM, min(MAX_ZOOM, z))
        self.resetTransform()
        self.scale(z, z)
        self.zoomed.emit(z)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def fit_scale(self) -> float:
        rect = self.sceneRect()
        vp = self.viewport().size()
        if rect.isEmpty() or vp.isEmpty():
            return 1.0
        return min(1.0, vp.width() / rect.width(), vp.height() / rect.height())

    def fit_all(self) -> None:
        """Everything in view, however small."""
        self.set_zoom(max(MIN_ZOOM, self.fit_scale()))
        self.centerOn(self.sceneRect().center())

    def fit_readable(self, focus: QPointF | None = None) -> None:
        """The default: the whole graph if it fits with labels of 9 pt or more (centred);
        otherwise 9 pt, centred on ``focus`` (the top-left corner without one): fitting
        40 services into a 1280x800 window took the labels down to 38 %, unreadable, and
        the corner held whatever dot put first, not what matters most."""
        fit = self.fit_scale()
        self.set_zoom(max(READABLE_ZOOM, fit) if fit < 1.0 else 1.0)
        rect = self.sceneRect()
        if fit >= READABLE_ZOOM:
            self.centerOn(rect.center())
        elif focus is not None:
            self.centerOn(focus)
        else:
            self.centerOn(rect.left(), rect.top())

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # scroll sideways/lengthways as usual
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.set_zoom(self.zoom() * (ZOOM_STEP ** steps))
        event.accept()

    def node_at(self, pos) -> str | None:
        for item in self.items(pos):
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if isinstance(item, NodeItem):
                return item.node
        return None

    def mouseDoubleClickEvent(self, event) -> None:
        node = self.node_at(event.position().toPoint())
        if node is not None:
            self.node_activated.emit(node)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        scene = self.scene()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            node = scene.selected_node() if isinstance(scene, NetworkScene) else None
            if node is not None:
                self.node_activated.emit(node)
                return
        if event.key() == Qt.Key.Key_Escape and scene is not None and scene.selectedItems():
            scene.clearSelection()  # as a click on the empty graph does
            event.accept()
            return
        super().keyPressEvent(event)
