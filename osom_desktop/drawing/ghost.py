"""The map as it was assessed, drawn faintly over the map as it is now.

"Changes since the last assessment" shows a manager what the assessors saw beside
what the map says today: a moved component drawn faint where it was, with a dashed
line to where it is now; an added one ringed and marked "new"; a removed one drawn
faint where it was, crossed and marked "removed".

The ghost is its own set of items under one root item, not part of the map's items:
the scene's rebuild keeps items it did not make, the canvas never selects or drags
them (they take no mouse buttons), and taking the root out leaves nothing behind.
The matching of old and new components is ``analysis.map_diff``'s, the same one the
governance pack's "What changed" section uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPolygonItem,
    QGraphicsSimpleTextItem,
)

from osom_desktop.analysis.map_diff import pair_components
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.model.wardley import Component, WardleyMap

# Smaller moves are rounding or a nudged label, not a move worth pointing at (map units).
MOVE_EPSILON = 0.005
GHOST_OPACITY = 0.45
ADDED = "#1a7f37"  # green: there now, not then
REMOVED = "#c62828"  # red: there then, not now
# On a dark map the same hues, lighter: the darker ones were hard to read there.
ADDED_ON_DARK = "#56d364"
REMOVED_ON_DARK = "#ff7b72"
# The whole ghost sits over the grid (-10) and areas (-5) but under pipelines (-2),
# links (-1) and components: the map as it is now stays on top and readable.
Z_ROOT = -3.0
Z_UNDER = 0.0  # among the ghost's own items: faint old positions under its marks
Z_OVER = 1.0


@dataclass(frozen=True, slots=True)
class GhostEntry:
    """One component's change: ``kind`` is "moved", "added" or "removed"; ``old`` and
    ``new`` are (visibility, evolution), None where it did not exist."""

    kind: str
    name: str
    component_id: str
    old: tuple[float, float] | None
    new: tuple[float, float] | None


def _where(c: Component) -> tuple[float, float] | None:
    if c.visibility is None or c.evolution is None:
        return None
    return float(c.visibility), float(c.evolution)


def ghost_entries(old: WardleyMap, new: WardleyMap) -> list[GhostEntry]:
    """What to draw: components moved (either axis), added and removed."""
    pairs, added, removed = pair_components(old, new)
    entries: list[GhostEntry] = []
    for o, n in pairs:
        a, b = _where(o), _where(n)
        if a is not None and b is not None and max(abs(a[0] - b[0]), abs(a[1] - b[1])) > MOVE_EPSILON:
            entries.append(GhostEntry("moved", n.name, n.id, a, b))
    entries += [GhostEntry("added", c.name, c.id, None, _where(c)) for c in added]
    entries += [GhostEntry("removed", c.name, c.id, _where(c), None) for c in removed]
    return entries


class GhostRoot(QGraphicsItem):
    """Draws nothing itself: holds the ghost's items so they come and go together."""

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.entries: list[GhostEntry] = []

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF()

    def paint(self, painter: QPainter, option, widget=None) -> None:  # pragma: no cover - no contents
        pass

    def ghost_items(self) -> list[QGraphicsItem]:
        return self.childItems()


def _inert(item: QGraphicsItem, z: float) -> QGraphicsItem:
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    item.setAcceptHoverEvents(False)
    item.setZValue(z)
    return item


class Ghost:
    """The ghost of ``snapshot`` over a MapScene; ``show``/``hide``/``refresh``."""

    def __init__(self, scene: MapScene, snapshot: WardleyMap) -> None:
        self.scene = scene
        self.snapshot = snapshot
        self.root: GhostRoot | None = None

    @property
    def shown(self) -> bool:
        return self.root is not None

    def show(self) -> None:
        self.hide()
        self.root = GhostRoot()
        self.root.setZValue(Z_ROOT)
        self._draw(self.root)
        self.scene.addItem(self.root)

    def hide(self) -> None:
        if self.root is not None:
            if self.root.scene() is self.scene:
                self.scene.removeItem(self.root)
            self.root = None

    def refresh(self) -> None:
        """The map changed: draw the comparison again (the snapshot stays as it was)."""
        if self.root is not None:
            self.show()

    # -- drawing -----------------------------------------------------------------------

    def _draw(self, root: GhostRoot) -> None:
        scene = self.scene
        theme = scene.theme
        r = float(theme.component_radius)
        ink = QColor(theme.component_stroke)
        faint = QColor(ink)
        faint.setAlphaF(GHOST_OPACITY)
        dark = QColor(theme.background).lightnessF() < 0.5
        added, removed = (ADDED_ON_DARK, REMOVED_ON_DARK) if dark else (ADDED, REMOVED)
        font = QFont(scene.paints.font)
        small = QFont(scene.paints.small_font)
        small.setBold(True)
        root.entries = ghost_entries(self.snapshot, scene.document.map)
        for e in root.entries:
            old = scene.draw_point(*e.old) if e.old is not None else None
            new = None
            if e.new is not None:
                new = scene.component_point(e.component_id) or scene.draw_point(*e.new)
            if e.kind == "moved":
                self._old_symbol(root, old, e.name, faint, r, font)
                self._arrow(root, old, new, faint, r)
            elif e.kind == "removed" and old is not None:
                red = QColor(removed)
                self._old_symbol(root, old, e.name, faint, r, font)
                cross = r * 1.6
                for a, b in ((QPointF(-cross, -cross), QPointF(cross, cross)),
                             (QPointF(-cross, cross), QPointF(cross, -cross))):
                    line = QGraphicsLineItem(QLineF(old + a, old + b), root)
                    line.setPen(QPen(red, 2.0))
                    _inert(line, Z_OVER)
                self._tag(root, old, "removed", red, r, small)
            elif e.kind == "added" and new is not None:
                green = QColor(added)
                ring = QGraphicsEllipseItem(QRectF(new.x() - r * 2.2, new.y() - r * 2.2, r * 4.4, r * 4.4), root)
                pen = QPen(green, 2.0)
                pen.setStyle(Qt.PenStyle.DashLine)
                ring.setPen(pen)
                ring.setBrush(Qt.BrushStyle.NoBrush)
                _inert(ring, Z_OVER)
                self._tag(root, new, "new", green, r, small)

    @staticmethod
    def _old_symbol(root: GhostRoot, at: QPointF | None, name: str, colour: QColor, r: float, font: QFont) -> None:
        if at is None:
            return
        dot = QGraphicsEllipseItem(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r), root)
        pen = QPen(colour, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        dot.setPen(pen)
        dot.setBrush(Qt.BrushStyle.NoBrush)
        dot.setToolTip(f"{name} at the last assessment")
        _inert(dot, Z_UNDER)
        label = QGraphicsSimpleTextItem(name, root)
        label.setFont(font)
        label.setBrush(QBrush(colour))
        label.setPos(at.x() + r + 3, at.y() - r - label.boundingRect().height())
        _inert(label, Z_UNDER)

    @staticmethod
    def _arrow(root: GhostRoot, a: QPointF | None, b: QPointF | None, colour: QColor, r: float) -> None:
        if a is None or b is None:
            return
        line = QLineF(a, b)
        if line.length() <= 2 * r:
            return
        # From the old circle's edge to just short of the new one, so the head shows.
        line = QLineF(line.pointAt(r / line.length()), line.pointAt(1 - (r + 2) / line.length()))
        item = QGraphicsLineItem(line, root)
        pen = QPen(colour, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        item.setPen(pen)
        _inert(item, Z_UNDER)
        unit = line.unitVector()
        d = QPointF(unit.dx(), unit.dy())
        n = QPointF(-d.y(), d.x())
        tip = line.p2()
        head = QGraphicsPolygonItem(QPolygonF([tip, tip - d * 7 + n * 3.5, tip - d * 7 - n * 3.5]), root)
        head.setPen(Qt.PenStyle.NoPen)
        head.setBrush(QBrush(colour))
        _inert(head, Z_UNDER)

    @staticmethod
    def _tag(root: GhostRoot, at: QPointF, text: str, colour: QColor, r: float, font: QFont) -> None:
        tag = QGraphicsSimpleTextItem(text, root)
        tag.setFont(font)
        tag.setBrush(QBrush(colour))
        tag.setPos(at.x() - tag.boundingRect().width() / 2, at.y() + r * 2.4)
        _inert(tag, Z_OVER)
