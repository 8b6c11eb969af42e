"""Where a map's labels go: a coarse spatial hash of what labels should not cover,
and the search for the side of a symbol (or of a line) that covers least.

Split out of ``map_scene`` so the scene keeps to building and refreshing items; the
scene still offers ``note_*``/``place_*`` to its items and hands them on to a
``LabelPlacer``, which is also where "too many components to look" switches the
search off (see ``LABEL_AVOIDANCE_LIMIT``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF

from osom_desktop.drawing.map_items import DEFAULT_LABEL

__all__ = ["LABEL_AVOIDANCE_LIMIT", "Box", "LabelGrid", "LabelPlacer"]

# Above this many components labels keep OWM's default places: such a map has hardly
# a free side anywhere, and looking for one would cost more than the first paint.
LABEL_AVOIDANCE_LIMIT = 600

# Along a line, where a label is tried (fractions of its length), best first.
_LINE_STOPS = (0.5, 0.4, 0.6, 0.3, 0.7)

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in scene units


def _segment_hits_box(seg: Box, box: Box) -> bool:
    """Whether the segment (x1, y1)-(x2, y2) crosses the box (Liang-Barsky clip)."""
    x1, y1, x2, y2 = seg
    bx1, by1, bx2, by2 = box
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - bx1), (dx, bx2 - x1), (-dy, y1 - by1), (dy, by2 - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                if t > t1:
                    return False
                t0 = max(t0, t)
            else:
                if t < t0:
                    return False
                t1 = min(t1, t)
    return t0 <= t1


def _rect_box(rect: QRectF) -> Box:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


class LabelGrid:
    """A coarse spatial hash of what labels should not cover (symbols, other labels,
    notes, link lines), so a label with no offset of its own can pick a free side.

    Only labels OWM would place by default are moved: an offset written in the map
    text is the author's choice and is always honoured. A placement looks at a
    handful of cells, cheap enough to redo on every drag step. Covering a line costs
    less than covering text, so boxes weigh more than segments.
    """

    CELL = 48.0
    CROWDED = 40
    BOX_WEIGHT = 3
    SEGMENT_WEIGHT = 1

    def __init__(self) -> None:
        self._cells: defaultdict[tuple[int, int], set[str]] = defaultdict(set)
        self._shapes: dict[str, tuple[bool, Box, Iterable[tuple[int, int]]]] = {}
        self._owned: defaultdict[str, set[str]] = defaultdict(set)

    def _box_cells(self, box: Box) -> list[tuple[int, int]]:
        c = self.CELL
        x1, y1, x2, y2 = box
        js = range(int(y1 // c), int(y2 // c) + 1)
        return [(i, j) for i in range(int(x1 // c), int(x2 // c) + 1) for j in js]

    def _segment_cells(self, seg: Box) -> set[tuple[int, int]]:
        c = self.CELL
        x1, y1, x2, y2 = seg
        steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) / (c / 2)))
        sx, sy = (x2 - x1) / steps, (y2 - y1) / steps
        return {(int((x1 + sx * k) // c), int((y1 + sy * k) // c)) for k in range(steps + 1)}

    def _put(self, key: str, segment: bool, shape: Box, cells: Iterable[tuple[int, int]]) -> None:
        self.remove(key)
        self._shapes[key] = (segment, shape, cells)
        self._owned[key.partition("|")[0]].add(key)
        for cell in cells:
            self._cells[cell].add(key)

    def put_box(self, key: str, box: Box) -> None:
        self._put(key, False, box, self._box_cells(box))

    def put_segment(self, key: str, seg: Box) -> None:
        self._put(key, True, seg, self._segment_cells(seg))

    def remove(self, key: str) -> None:
        entry = self._shapes.pop(key, None)
        if entry is not None:
            for cell in entry[2]:
                self._cells[cell].discard(key)
            self._owned[key.partition("|")[0]].discard(key)

    def remove_owner(self, owner: str) -> None:
        for key in list(self._owned.pop(owner, ())):
            self.remove(key)

    def hits(self, box: Box, owner: str, limit: int | None = None) -> int:
        """Weighted count of what ``box`` covers, ignoring ``owner``'s own shapes.

        Stops counting at ``limit`` (the caller already has a candidate that good),
        and answers ``CROWDED`` without looking closer where the cells hold more than
        that many shapes: on a map that dense no side is free, and checking every
        line would cost seconds at 1,000 components.
        """
        cells = [k for cell in self._box_cells(box) if (k := self._cells.get(cell))]
        if sum(len(k) for k in cells) > self.CROWDED:
            return self.CROWDED
        seen: set[str] = set()
        n = 0
        for keys in cells:
            if limit is not None and n >= limit:
                break
            n += self._cell_hits(keys, box, owner, seen)
        return n

    def _cell_hits(self, keys: set[str], box: Box, owner: str, seen: set[str]) -> int:
        """Weighted count of the shapes of one cell that ``box`` covers and that no
        earlier cell counted (``seen``: keys already looked at, updated here)."""
        x1, y1, x2, y2 = box
        n = 0
        for key in keys:
            if key in seen or key.partition("|")[0] == owner:
                continue
            seen.add(key)
            segment, shape, _ = self._shapes[key]
            if segment:
                if _segment_hits_box(shape, box):
                    n += self.SEGMENT_WEIGHT
            else:
                bx1, by1, bx2, by2 = shape
                if bx1 < x2 and x1 < bx2 and by1 < y2 and y1 < by2:
                    n += self.BOX_WEIGHT
        return n


class LabelPlacer:
    """The scene's label bookkeeping: what labels avoid, and where they go.

    ``avoid`` False (a map above ``LABEL_AVOIDANCE_LIMIT`` components) keeps every
    label at OWM's default place and notes nothing, so the search costs nothing.
    """

    def __init__(self, avoid: bool = True) -> None:
        self.grid = LabelGrid()
        self.avoid = avoid

    def note_symbol(self, key: str, point: QPointF, radius: float) -> None:
        if not self.avoid:
            return
        r = radius
        self.grid.put_box(key + "|o", (point.x() - r, point.y() - r, point.x() + r, point.y() + r))

    def note_box(self, key: str, rect: QRectF, part: str = "l") -> None:
        if not self.avoid:
            return
        self.grid.put_box(f"{key}|{part}", _rect_box(rect))

    def note_segment(self, key: str, a: QPointF, b: QPointF, part: str = "s") -> None:
        if not self.avoid:
            return
        self.grid.put_segment(f"{key}|{part}", (a.x(), a.y(), b.x(), b.y()))

    def forget_part(self, key: str, part: str) -> None:
        self.grid.remove(f"{key}|{part}")

    def forget(self, key: str) -> None:
        self.grid.remove_owner(key)

    def label_hits(self, key: str, rect: QRectF) -> int:
        if not self.avoid:
            return 0
        return self.grid.hits(_rect_box(rect), key)

    def place_label(
        self, key: str, point: QPointF, radius: float, width: float, height: float, ascent: float
    ) -> tuple[float, float, int]:
        """Offset (dx, first baseline) for a label with none of its own, and how much it
        still covers: OWM's default unless another side of the symbol covers less."""
        if radius <= 6.5:
            dx, base = DEFAULT_LABEL
        else:
            dx, base = radius * 0.75, -radius * 0.75 - 2
        if not self.avoid:
            return dx, base, 0
        below = radius * 0.75 + ascent
        candidates = (
            (dx, base),
            (dx, below),
            (-dx - width, base),
            (-dx - width, below),
            (radius + 4, ascent / 2 - 2),
            (-radius - 4 - width, ascent / 2 - 2),
        )
        px, py = point.x(), point.y()
        best = candidates[0]
        best_hits: int | None = None
        for cdx, cbase in candidates:
            top = py + cbase - ascent
            hits = self.grid.hits((px + cdx, top, px + cdx + width, top + height), key, best_hits)
            if best_hits is None or hits < best_hits:
                best, best_hits = (cdx, cbase), hits
                if hits == 0:
                    break
        top = py + best[1] - ascent
        self.grid.put_box(key + "|l", (px + best[0], top, px + best[0] + width, top + height))
        return best[0], best[1], best_hits or 0

    def place_on_line(
        self, key: str, part: str, a: QPointF, b: QPointF, width: float, height: float, clearance: float = 0.0
    ) -> QPointF:
        """Top-left of a label beside the line a-b (a link's context or flow value):
        off the line, near its middle, where it covers least."""
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length
        if ny > 0 or (ny == 0 and nx > 0):
            nx, ny = -nx, -ny  # first try the side above the line
        gap = 3 + clearance + abs(nx) * width / 2 + abs(ny) * height / 2
        if not self.avoid:
            mx, my = a.x() + dx / 2 + nx * gap, a.y() + dy / 2 + ny * gap
            return QPointF(mx - width / 2, my - height / 2)
        best = self._least_covered_beside(key, a, (dx, dy), (nx * gap, ny * gap), width, height)
        self.grid.put_box(f"{key}|{part}", best)
        return QPointF(best[0], best[1])

    def _least_covered_beside(
        self, key: str, a: QPointF, along: tuple[float, float], off: tuple[float, float], width: float, height: float
    ) -> Box:
        """The box, among those centred ``off`` either side of the line from ``a`` by
        ``along`` at ``_LINE_STOPS``, that covers least (the first that covers nothing)."""
        dx, dy = along
        ox, oy = off
        best: Box | None = None
        best_hits: int | None = None
        for t in _LINE_STOPS:
            mx, my = a.x() + dx * t, a.y() + dy * t
            for side in (1.0, -1.0):
                cx, cy = mx + side * ox, my + side * oy
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                hits = self.grid.hits(box, key, best_hits)
                if best_hits is None or hits < best_hits:
                    best, best_hits = box, hits
                    if hits == 0:
                        return best
        assert best is not None
        return best
