"""Where a map's labels go: a coarse spatial hash of what labels should not cover,
and the search for the side of a symbol (or of a line) that covers least.

Split out of ``map_scene`` so the scene keeps to building and refreshing items; the
scene still offers ``note_*``/``place_*`` to its items and hands them on to a
``LabelPlacer``, which is also where "too many components to look" switches the
search off (see ``LABEL_AVOIDANCE_LIMIT``).

Placement is a function of the map, not of its history: every element that places
or notes text has a rank (the order a fresh scene builds it in: notes and the like,
pipelines, then components in map order, then links, the grid's captions last), and
a label sees only the symbols and lines (``static`` shapes, noted before any label)
and the text of elements ranked before it. The grid remembers which cells each
element looked at; after an edit, ``unsettled`` names the elements whose cells
something earlier-ranked changed, and the scene places those again, earliest first,
until nothing moves. So a label moves only when its own element moved or something
ranked before it came, went or moved in the cells it looked at, and an edited scene
places every label where a scene built afresh from the same map would.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QPointF, QRectF

from osom_desktop.drawing.map_items import DEFAULT_LABEL

__all__ = ["LABEL_AVOIDANCE_LIMIT", "LAST_RANK", "Box", "LabelGrid", "LabelPlacer"]

# Above this many components labels keep OWM's default places: such a map has hardly
# a free side anywhere, and looking for one would cost more than the first paint.
# A drag places only its own labels at each step (the rest once, at the drop:
# ``MapScene.hold_labels``), so the size of the chain one move starts (on a generated
# map of 600, ~270 labels, ~220 ms CPU) is paid once per drop or edit, not per frame,
# and in ~5 ms slices, one an event-loop turn (``MapScene._settle_slice``).
LABEL_AVOIDANCE_LIMIT = 600

# The rank of the grid's corner captions, after everything: they give way to all of it.
LAST_RANK = 1 << 30

# Along a line, where a label is tried (fractions of its length), best first.
_LINE_STOPS = (0.5, 0.4, 0.6, 0.3, 0.7)

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in scene units
Cell = tuple[int, int]


def _segment_hits_box(seg: Box, box: Box) -> bool:
    """Whether the segment (x1, y1)-(x2, y2) touches the box: their bounds overlap and
    the box's corners are not all on one side of the segment's line."""
    x1, y1, x2, y2 = seg
    bx1, by1, bx2, by2 = box
    if (x1 if x1 > x2 else x2) < bx1 or (x2 if x1 > x2 else x1) > bx2:
        return False
    if (y1 if y1 > y2 else y2) < by1 or (y2 if y1 > y2 else y1) > by2:
        return False
    dx, dy = x2 - x1, y2 - y1
    left, right = dy * (bx1 - x1), dy * (bx2 - x1)
    top, bottom = dx * (by1 - y1), dx * (by2 - y1)
    a, b, c, d = left - top, right - top, left - bottom, right - bottom
    return not ((a > 0 and b > 0 and c > 0 and d > 0) or (a < 0 and b < 0 and c < 0 and d < 0))


def _boxes_meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _rect_box(rect: QRectF) -> Box:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


class _Shape:
    __slots__ = ("bbox", "cells", "key", "owner", "segment", "shape", "static", "weight")

    def __init__(self, key: str, segment: bool, shape: Box, cells: Iterable[Cell], static: bool, weight: int) -> None:
        self.key = key
        self.owner = key.partition("|")[0]
        self.segment = segment
        self.shape = shape
        self.cells = tuple(cells)
        self.static = static
        x1, y1, x2, y2 = shape
        self.bbox = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        self.weight = weight

    def meets(self, box: Box) -> bool:
        """Whether the shape covers any of ``box`` (what ``LabelGrid.count`` counts)."""
        if self.segment:
            return _segment_hits_box(self.shape, box)
        bx1, by1, bx2, by2 = self.bbox
        return bx1 < box[2] and box[0] < bx2 and by1 < box[3] and box[1] < by2


class LabelGrid:
    """A coarse spatial hash of what labels should not cover (symbols, other labels,
    notes, link lines), so a label with no offset of its own can pick a free side.

    Only labels OWM would place by default are moved: an offset written in the map
    text is the author's choice and is always honoured. A placement looks at a
    handful of cells, cheap enough to redo on every drag step. Covering a line costs
    less than covering text, so boxes weigh more than segments.

    Each shape has an owner (the key up to ``|``); a lookup for an owner counts the
    static shapes and the shapes of owners ranked before it (``rank``), and records
    the box it looked at, so that a shape coming, going or moving across it can be
    answered (``unsettled``).
    """

    CELL = 48.0
    BOX_WEIGHT = 3  # a symbol, a note, a pipeline's box
    TEXT_WEIGHT = 4  # another element's text: overprinting it is the worst
    CAPTION_WEIGHT = 5  # the axes' captions (40 generated maps of 60: 116 labels over them -> 13, label over label 69 -> 80)
    SEGMENT_WEIGHT = 1

    def __init__(self) -> None:
        self._cells: defaultdict[Cell, set[str]] = defaultdict(set)
        self._shapes: dict[str, _Shape] = {}
        self._owned: defaultdict[str, set[str]] = defaultdict(set)
        self.rank: dict[str, int] = {}
        # What each owner's lookups looked at since it was last placed (from which
        # change on: ``_began``), and who looked in each cell. A look is (box, score,
        # need): ``need`` None for a box whose every change matters (the place taken,
        # or a plain question); for a place tried and not taken, the score it would
        # have to fall below to be taken instead (only shapes leaving it matter).
        self._looked: dict[str, list[list[Any]]] = {}
        self._began: dict[str, int] = {}
        self._lookers: defaultdict[Cell, set[str]] = defaultdict(set)
        # Shapes put or removed since ``unsettled`` last answered, numbered.
        self._changed: list[tuple[int, _Shape, bool]] = []  # (number, shape, put?)
        self._seq = 0

    def _box_cells(self, box: Box) -> list[Cell]:
        c = self.CELL
        x1, y1, x2, y2 = box
        js = range(int(y1 // c), int(y2 // c) + 1)
        return [(i, j) for i in range(int(x1 // c), int(x2 // c) + 1) for j in js]

    def _segment_cells(self, seg: Box) -> set[Cell]:
        c = self.CELL
        x1, y1, x2, y2 = seg
        steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) / (c / 2)))
        sx, sy = (x2 - x1) / steps, (y2 - y1) / steps
        return {(int((x1 + sx * k) // c), int((y1 + sy * k) // c)) for k in range(steps + 1)}

    def _put(self, key: str, segment: bool, shape: Box, cells: Iterable[Cell], static: bool,
             weight: int | None = None) -> None:
        if weight is None:
            weight = self.SEGMENT_WEIGHT if segment else self.BOX_WEIGHT if static else self.TEXT_WEIGHT
        old = self._shapes.get(key)
        owner = key.partition("|")[0]
        if (old is not None and old.segment == segment and old.shape == shape and old.static == static
                and old.weight == weight):
            return  # the same shape in the same place: nothing changed for anyone
        self.remove(key)
        entry = _Shape(key, segment, shape, cells, static, weight)
        self._shapes[key] = entry
        self._owned[owner].add(key)
        for cell in entry.cells:
            self._cells[cell].add(key)
        self._seq += 1
        self._changed.append((self._seq, entry, True))

    def put_box(self, key: str, box: Box, static: bool = False, text: bool = False) -> None:
        """``text``: a static box that is text (the axes' captions), weighing more than any."""
        self._put(key, False, box, self._box_cells(box), static, self.CAPTION_WEIGHT if text else None)

    def put_segment(self, key: str, seg: Box, static: bool = False) -> None:
        self._put(key, True, seg, self._segment_cells(seg), static)

    def remove(self, key: str) -> None:
        entry = self._shapes.pop(key, None)
        if entry is not None:
            for cell in entry.cells:
                self._cells[cell].discard(key)
            self._owned[entry.owner].discard(key)
            self._seq += 1
            self._changed.append((self._seq, entry, False))

    def remove_owner(self, owner: str) -> None:
        for key in list(self._owned.pop(owner, ())):
            self.remove(key)
        self.forget_looks(owner)

    # -- who depends on what -------------------------------------------------------------

    def begin(self, owner: str) -> None:
        """``owner`` is about to be placed afresh: what it looked at before no longer
        matters, nor what changed until now (it will see that)."""
        self.forget_looks(owner)
        self._began[owner] = self._seq

    def forget_looks(self, owner: str) -> None:
        for box, _, _ in self._looked.pop(owner, ()):
            for cell in self._box_cells(box):
                lookers = self._lookers.get(cell)
                if lookers is not None:
                    lookers.discard(owner)

    def look(self, owner: str, box: Box, score: int = 0, need: int | None = None) -> None:
        """Note that ``owner``'s placement depends on what ``box`` holds: on anything
        there (``need`` None), or, for a place it tried at ``score`` and did not take,
        on shapes leaving it enough to bring the score under ``need``."""
        self._looked.setdefault(owner, []).append([box, score, need])
        lookers = self._lookers
        for cell in self._box_cells(box):
            lookers[cell].add(owner)

    def unsettled(self) -> set[str]:
        """Owners whose placement may now differ: a shape they can see (static, or of
        an owner ranked before them) came into or left the place they took, or left
        places they tried enough to make one of those better, since they were placed."""
        changed, self._changed = self._changed, []
        rank = self.rank
        began = self._began
        looked = self._looked
        out: set[str] = set()
        for seq, s, put in changed:
            # An owner with no rank has just been removed from the map: whoever it
            # was seen by, it is gone for them.
            r = rank.get(s.owner, -1)
            done: set[str] = set()
            for cell in s.cells:
                for looker in self._lookers.get(cell, ()):
                    if looker in out or looker in done or looker == s.owner or began.get(looker, -1) >= seq:
                        continue
                    done.add(looker)
                    if not (s.static or r < rank.get(looker, LAST_RANK)):
                        continue
                    for look in looked.get(looker, ()):
                        box, _, need = look
                        if not s.meets(box):
                            continue
                        if need is None:
                            out.add(looker)
                            break
                        # A place tried: keep its score (a lower bound: counting
                        # stopped once it could not win) in step with what is there.
                        look[1] += s.weight if put else -s.weight
                        if look[1] < need:
                            out.add(looker)
                            break
        return out

    def clear_changes(self) -> None:
        self._changed.clear()

    @property
    def seq(self) -> int:
        """The number of the last change (``squash_changes`` folds those after one)."""
        return self._seq

    def squash_changes(self, since: int) -> None:
        """Fold the changes numbered after ``since`` into their net effect: for each
        shape, the one there before (gone) and the one there now (come), not every
        place between (a drag's steps). Only as far as nobody looked in between: an
        owner placed after ``since`` saw the shapes as they were then, so from the
        first such placement on the changes are kept one by one. The owners placed
        before ``since`` then answer for what changed for them, no more."""
        began = self._began
        upto = min((b for o in self._looked if (b := began.get(o, -1)) > since), default=self._seq)
        folded = [ch for ch in self._changed if since < ch[0] <= upto]
        if len(folded) < 2:
            return
        first: dict[str, tuple[int, _Shape, bool]] = {}
        last: dict[str, tuple[int, _Shape, bool]] = {}
        for ch in folded:
            first.setdefault(ch[1].key, ch)
            last[ch[1].key] = ch
        net: list[tuple[int, _Shape, bool]] = []
        for key, (seq0, shape0, put0) in first.items():
            seq1, shape1, put1 = last[key]
            before = None if put0 else shape0  # a shape there before is removed first
            after = shape1 if put1 else None
            if before is not None and after is not None and (
                before.segment, before.shape, before.static, before.weight
            ) == (after.segment, after.shape, after.static, after.weight):
                continue  # back where it was
            if before is not None:
                net.append((seq0, before, False))
            if after is not None:
                net.append((seq1, after, True))
        net.sort(key=lambda ch: ch[0])
        self._changed = (
            [ch for ch in self._changed if ch[0] <= since] + net + [ch for ch in self._changed if ch[0] > upto]
        )

    # -- what a label would cover ----------------------------------------------------------

    def hits(self, box: Box, owner: str, limit: int | None = None) -> int:
        """Weighted count of what ``box`` covers that ``owner`` can see: static shapes
        and those of owners ranked before it, never its own. Stops counting at
        ``limit`` (the caller already has a candidate that good). Above
        ``LABEL_AVOIDANCE_LIMIT`` components nobody asks, so a dense map's lines cost
        nothing here.
        """
        self.look(owner, box)
        return self.count(self.near(owner, box), box, limit)

    def near(self, owner: str, region: Box) -> list[_Shape]:
        """The shapes ``owner`` can see whose bounds meet ``region``: gathered once
        for all the places a label tries (``count`` each)."""
        rank = self.rank
        mine = rank.get(owner, LAST_RANK)
        shapes = self._shapes
        cells = self._cells
        rx1, ry1, rx2, ry2 = region
        seen: set[str] = set()
        out: list[_Shape] = []
        for cell in self._box_cells(region):
            for key in cells.get(cell, ()):
                if key in seen:
                    continue
                seen.add(key)
                s = shapes[key]
                bx1, by1, bx2, by2 = s.bbox
                if bx1 <= rx2 and rx1 <= bx2 and by1 <= ry2 and ry1 <= by2 and s.owner != owner and (
                    s.static or rank.get(s.owner, LAST_RANK) < mine
                ):
                    out.append(s)
        return out

    @staticmethod
    def count(shapes: list[_Shape], box: Box, limit: int | None = None) -> int:
        """Weighted count of ``shapes`` that ``box`` covers, stopping at ``limit``."""
        x1, y1, x2, y2 = box
        n = 0
        for s in shapes:
            bx1, by1, bx2, by2 = s.bbox
            if bx1 <= x2 and x1 <= bx2 and by1 <= y2 and y1 <= by2 and (
                _segment_hits_box(s.shape, box) if s.segment else (bx1 < x2 and x1 < bx2 and by1 < y2 and y1 < by2)
            ):
                n += s.weight
                if limit is not None and n >= limit:
                    return n
        return n


class LabelPlacer:
    """The scene's label bookkeeping: what labels avoid, and where they go.

    ``avoid`` False (a map above ``LABEL_AVOIDANCE_LIMIT`` components) keeps every
    label at OWM's default place and notes nothing, so the search costs nothing.
    """

    # A candidate away from the symbol's side costs as much as crossing this many
    # lines: a label stays next to its symbol unless that covers text or a symbol.
    FAR_PENALTY = 2

    def __init__(self, avoid: bool = True) -> None:
        self.grid = LabelGrid()
        self.avoid = avoid

    # -- ranks and settling ----------------------------------------------------------------

    def set_ranks(self, ranks: dict[str, int]) -> None:
        """The order a fresh scene places elements in (see the module's docstring)."""
        self.grid.rank = ranks

    def begin(self, key: str) -> None:
        """``key``'s item is about to be refreshed (and its labels placed afresh)."""
        if self.avoid:
            self.grid.begin(key)

    def unsettled(self) -> list[str]:
        """Elements to place again, earliest-ranked first: something they can see
        changed where they looked."""
        if not self.avoid:
            return []
        rank = self.grid.rank
        return sorted(self.grid.unsettled(), key=lambda k: (rank.get(k, LAST_RANK), k))

    def rank_of(self, key: str) -> int:
        return self.grid.rank.get(key, LAST_RANK)

    # -- noting what labels avoid ----------------------------------------------------------

    def note_symbol(self, key: str, point: QPointF, radius: float, static: bool = False) -> None:
        if not self.avoid:
            return
        r = radius
        self.grid.put_box(key + "|o", (point.x() - r, point.y() - r, point.x() + r, point.y() + r), static)

    def note_box(self, key: str, rect: QRectF, part: str = "l", static: bool = False, text: bool = False) -> None:
        if not self.avoid:
            return
        self.grid.put_box(f"{key}|{part}", _rect_box(rect), static, text)

    def note_segment(self, key: str, a: QPointF, b: QPointF, part: str = "s", static: bool = False) -> None:
        if not self.avoid:
            return
        self.grid.put_segment(f"{key}|{part}", (a.x(), a.y(), b.x(), b.y()), static)

    def forget_part(self, key: str, part: str) -> None:
        self.grid.remove(f"{key}|{part}")

    def forget(self, key: str) -> None:
        self.grid.remove_owner(key)

    def label_hits(self, key: str, rect: QRectF) -> int:
        if not self.avoid:
            return 0
        return self.grid.hits(_rect_box(rect), key)

    # -- placing ---------------------------------------------------------------------------

    @staticmethod
    def _candidates(
        radius: float, width: float, height: float, ascent: float, dx: float, base: float
    ) -> list[tuple[float, float, int]]:
        """(dx, first baseline, penalty) of the places a label may take, best first:
        OWM's default, the other corners and sides of the symbol, centred above and
        below it; then the same a line further out, which cost ``FAR_PENALTY``."""
        below = radius * 0.75 + ascent
        left = -dx - width
        middle = ascent / 2 - 2
        above_c = -radius - 3 - height + ascent
        below_c = radius + 3 + ascent
        near = [
            (dx, base),
            (dx, below),
            (left, base),
            (left, below),
            (radius + 4, middle),
            (-radius - 4 - width, middle),
            (-width / 2, above_c),
            (-width / 2, below_c),
        ]
        step = height + 2
        far = [
            (dx, base - step),
            (dx, below + step),
            (left, base - step),
            (left, below + step),
            (-width / 2, above_c - step),
            (-width / 2, below_c + step),
            (radius + 4 + step, middle),
            (-radius - 4 - step - width, middle),
        ]
        return [(x, y, 0) for x, y in near] + [(x, y, LabelPlacer.FAR_PENALTY) for x, y in far]

    def place_label(
        self, key: str, point: QPointF, radius: float, width: float, height: float, ascent: float
    ) -> tuple[float, float, int]:
        """Offset (dx, first baseline) for a label with none of its own, and how much it
        still covers: OWM's default unless another place next to the symbol covers
        less (text and symbols count more than lines; a place a line further out
        counts as crossing ``FAR_PENALTY`` lines more)."""
        if radius <= 6.5:
            dx, base = DEFAULT_LABEL
        else:
            dx, base = radius * 0.75, -radius * 0.75 - 2
        if not self.avoid:
            return dx, base, 0
        px, py = point.x(), point.y()
        grid = self.grid
        candidates = [
            (cdx, cbase, penalty, (px + cdx, py + cbase - ascent, px + cdx + width, py + cbase - ascent + height))
            for cdx, cbase, penalty in self._candidates(radius, width, height, ascent, dx, base)
        ]
        region = (
            min(c[3][0] for c in candidates),
            min(c[3][1] for c in candidates),
            max(c[3][2] for c in candidates),
            max(c[3][3] for c in candidates),
        )
        near = grid.near(key, region)
        best = (dx, base)
        best_score: int | None = None
        best_hits = 0
        chosen = 0
        tried: list[tuple[int, Box, int]] = []
        for i, (cdx, cbase, penalty, box) in enumerate(candidates):
            if best_score is not None and penalty >= best_score:
                continue  # cannot beat what we have
            limit = None if best_score is None else best_score - penalty
            hits = grid.count(near, box, limit)
            tried.append((i, box, hits + penalty))
            if best_score is None or hits + penalty < best_score:
                best, best_score, best_hits, chosen = (cdx, cbase), hits + penalty, hits, i
                if best_score == 0:
                    break
        assert best_score is not None
        self._note_tried(key, tried, chosen, best_score)
        top = py + best[1] - ascent
        self.grid.put_box(key + "|l", (px + best[0], top, px + best[0] + width, top + height))
        return best[0], best[1], best_hits

    def _note_tried(self, key: str, tried: list[tuple[int, Box, int]], chosen: int, best: int) -> None:
        """What the choice among ``tried`` (order, box, score; ``chosen`` taken with
        score ``best``) depends on: everything in the place taken; shapes leaving a
        place not taken enough that it would win (an earlier one wins a tie)."""
        for i, box, score in tried:
            if i == chosen:
                self.grid.look(key, box)
            else:
                self.grid.look(key, box, score, best + 1 if i < chosen else best)

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
        grid = self.grid
        boxes: list[Box] = []
        for t in _LINE_STOPS:
            mx, my = a.x() + dx * t, a.y() + dy * t
            for side in (1.0, -1.0):
                cx, cy = mx + side * ox, my + side * oy
                boxes.append((cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))
        region = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        near = grid.near(key, region)
        best_hits: int | None = None
        chosen = 0
        tried: list[tuple[int, Box, int]] = []
        for i, box in enumerate(boxes):
            hits = grid.count(near, box, best_hits)
            tried.append((i, box, hits))
            if best_hits is None or hits < best_hits:
                best_hits, chosen = hits, i
                if hits == 0:
                    break
        assert best_hits is not None
        self._note_tried(key, tried, chosen, best_hits)
        return boxes[chosen]
