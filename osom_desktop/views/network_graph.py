"""The dependency graph of a service network, drawn on a QGraphicsScene.

Columns: the service's contract evolution stage (genesis .. commodity, then "not
stated" for services without one and services with no file here). Rows: value-chain
depth, the longest dependency path from a service nobody depends on (cycles are
collapsed first, so the layout is always defined and always the same).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from osom_desktop.analysis.network import Network
from osom_desktop.model.service import EvolutionStage

COLUMNS = ["Genesis", "Custom-built", "Product (+rental)", "Commodity (+utility)", "Not stated"]
_STAGE_COLUMN = {str(s): i for i, s in enumerate(EvolutionStage)}

# Lifecycle -> (fill, label). "external": depended on, but no service file in the folder.
LIFECYCLE_COLOURS: dict[str, tuple[str, str]] = {
    "discovery": ("#c9b3ff", "Discovery"),
    "alpha": ("#ffc48a", "Alpha"),
    "beta": ("#fff08a", "Beta"),
    "live": ("#9fe0a4", "Live"),
    "retired": ("#c8c8c8", "Retired"),
    "external": ("#ffffff", "External (no file here)"),
}

NODE_W, NODE_H = 170.0, 40.0
COL_W, ROW_GAP, CELL_GAP = 210.0, 36.0, 10.0
HEADER_H = 36.0


def grid_positions(net: Network) -> dict[str, tuple[int, int]]:
    """node -> (column, depth). Pure networkx: safe to call off the GUI thread."""
    g = net.graph
    cond = nx.condensation(g)
    depth: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        preds = list(cond.predecessors(c))
        depth[c] = max((depth[p] + 1 for p in preds), default=0)
    mapping = cond.graph["mapping"]
    out = {}
    for node, data in g.nodes(data=True):
        col = _STAGE_COLUMN.get(data.get("evolution_stage") or "", len(COLUMNS) - 1)
        out[node] = (col, depth[mapping[node]])
    return out


def _border_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the line from the rect's centre to ``towards`` leaves the rect."""
    c = rect.center()
    dx, dy = towards.x() - c.x(), towards.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    sx = (rect.width() / 2) / abs(dx) if dx else math.inf
    sy = (rect.height() / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return QPointF(c.x() + dx * s, c.y() + dy * s)


class NodeItem(QGraphicsPathItem):
    """A service: a rounded box with its name, filled by lifecycle."""

    def __init__(self, node: str, name: str, lifecycle: str, external: bool) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, NODE_W, NODE_H), 8, 8)
        super().__init__(path)
        self.node = node
        self.external = external
        key = "external" if external else lifecycle
        self.setBrush(QBrush(QColor(LIFECYCLE_COLOURS.get(key, ("#eeeeee", ""))[0])))
        self._pen = QPen(QColor("#333333"), 1.2, Qt.PenStyle.DashLine if external else Qt.PenStyle.SolidLine)
        self.setPen(self._pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setToolTip(f"{name}\n{'no service file in this folder' if external else lifecycle}")
        self.setZValue(1)
        label = QGraphicsSimpleTextItem(self)  # plain text only: names come from files
        font = QFont()
        fm = QFontMetrics(font)
        label.setText(fm.elidedText(name, Qt.TextElideMode.ElideRight, int(NODE_W - 14)))
        r = label.boundingRect()
        label.setPos((NODE_W - r.width()) / 2, (NODE_H - r.height()) / 2)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(QColor("#1565c0"), 3.5) if value else self._pen)
        return super().itemChange(change, value)

    def paint(self, painter, option, widget=None):  # no dotted focus rectangle: the pen shows selection
        from PySide6.QtWidgets import QStyle

        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)


class NetworkScene(QGraphicsScene):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.nodes: dict[str, NodeItem] = {}

    def show_network(self, net: Network, positions: dict[str, tuple[int, int]]) -> None:
        self.clear()
        self.nodes = {}
        cells: dict[tuple[int, int], list[str]] = defaultdict(list)
        for node, (col, row) in positions.items():
            cells[(col, row)].append(node)
        for members in cells.values():
            members.sort(key=lambda n: (net.name(n).casefold(), n))
        depth_count = max((r for _, r in positions.values()), default=-1) + 1
        row_h = [max((len(cells.get((c, r), [])) for c in range(len(COLUMNS))), default=1) for r in range(depth_count)]
        row_y, y = [], HEADER_H
        for h in row_h:
            row_y.append(y)
            y += max(h, 1) * (NODE_H + CELL_GAP) + ROW_GAP
        bottom = y
        # Column headers and stage bands.
        for i, title in enumerate(COLUMNS):
            x = i * COL_W
            band = self.addRect(QRectF(x, 0, COL_W, bottom), QPen(Qt.PenStyle.NoPen),
                                QBrush(QColor("#f7f7f7" if i % 2 == 0 else "#efefef")))
            band.setZValue(-2)
            t = self.addSimpleText(title)
            t.setPos(x + (COL_W - t.boundingRect().width()) / 2, 8)
        for (col, row), members in cells.items():
            for k, node in enumerate(members):
                data = net.graph.nodes[node]
                item = NodeItem(node, data["name"], data.get("lifecycle") or "", bool(data.get("external")))
                item.setPos(col * COL_W + (COL_W - NODE_W) / 2, row_y[row] + k * (NODE_H + CELL_GAP))
                self.addItem(item)
                self.nodes[node] = item
        arrow_pen = QPen(QColor("#555555"), 1.3)
        for a, b in net.graph.edges:
            if a == b:
                continue
            ra = self.nodes[a].sceneBoundingRect().adjusted(1, 1, -1, -1)
            rb = self.nodes[b].sceneBoundingRect().adjusted(1, 1, -1, -1)
            start, end = _border_point(ra, rb.center()), _border_point(rb, ra.center())
            line = QLineF(start, end)
            self.addLine(line, arrow_pen).setZValue(0)
            if line.length() > 0:
                angle = math.atan2(-line.dy(), line.dx())
                size = 9.0
                p1 = end - QPointF(math.cos(angle - math.pi / 7) * size, -math.sin(angle - math.pi / 7) * size)
                p2 = end - QPointF(math.cos(angle + math.pi / 7) * size, -math.sin(angle + math.pi / 7) * size)
                head = QGraphicsPolygonItem(QPolygonF([end, p1, p2]))
                head.setBrush(QBrush(QColor("#555555")))
                head.setPen(QPen(Qt.PenStyle.NoPen))
                self.addItem(head)
        self.setSceneRect(QRectF(0, 0, len(COLUMNS) * COL_W, bottom).adjusted(-10, -10, 10, 10))

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


class NetworkView(QGraphicsView):
    """Double-click a service to open it."""

    node_activated = Signal(str)

    def __init__(self, scene: NetworkScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

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
