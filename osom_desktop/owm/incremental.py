"""OWM text kept in step with a map one edit at a time.

Writing a 5,000-component map takes ~60 ms; an editor that rewrote it on every rename,
add or undo could not keep up with a person. ``TextLines`` holds the text the writer
made, with the layout slot of each line, and turns a Document ``Change`` into the few
line edits (replace, insert, delete) that make it what ``write_owm`` would write now.

Only what it can do exactly is done this way; anything else (a new map, pipelines
involved, a line shared by several slots, a layout slot twice) answers None and the
caller writes the whole text (``full``). Tests compare the two after random edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from osom_desktop.model.wardley import METHOD_SUFFIX, Component, Link, WardleyMap
from osom_desktop.owm.names import link_end_texts
from osom_desktop.owm.writer import (
    NO_FINAL_NEWLINE,
    OTHER_LINE,
    _link_text,
    _Writer,
    component_line,
    evolve_line,
    keep_spelling,
    link_line,
    method_line,
)

__all__ = ["LineEdit", "TextLines"]

EVOLVE = "#evolve"
# More elements than this in one change: writing the whole text is as quick.
MAX_IDS = 500


@dataclass(frozen=True, slots=True)
class LineEdit:
    """``op`` "replace" (line ``line`` becomes ``text``), "insert" (``text`` becomes
    line ``line``, pushing the rest down) or "delete" (line ``line`` goes)."""

    op: str
    line: int
    text: str = ""


class _Fallback(Exception):
    """This change needs the whole text written."""


class TextLines:
    """The OWM text of a map as lines, with the slot each line was written for."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.final_newline = True
        self._slots: list[str | None] = []
        self._index: _SlotIndex | None = None
        self._walk_end = 0
        self._usable = False
        self._facets: set[str] = set()  # "<id>#evolve" / "<id>#method" slots in the layout
        self._tied: set[str] = set()  # slots sharing a source line with others
        self._sig: dict[str, tuple[str, str | None] | None] = {}  # component -> (name, evolve name)
        self._link_ends: dict[str, tuple[str, str]] = {}
        self._links_of: dict[str, set[str]] = {}
        self._lists: dict[str, dict[str, Any]] = {}  # list name -> id -> element

    # -- whole text ----------------------------------------------------------------------

    def full(self, m: WardleyMap) -> str:
        """Write the whole text (and remember where every slot's line is)."""
        w = _Writer(m)
        w.line_slots = []
        text = w.write()
        self.lines = list(w.out)
        self._slots = w.line_slots
        self._walk_end = w.walk_end
        self._index = None
        self.final_newline = NO_FINAL_NEWLINE not in m.owm_source
        expected = text.split("\n")
        if self.final_newline:
            expected = expected[:-1]
        self._usable = (
            bool(self.lines)
            and expected == self.lines
            and len(self._slots) == len(self.lines)
            and len(w.slots) == len(m.layout)  # no slot twice
        )
        if self._usable:
            self._remember(m)
        return text

    def _remember(self, m: WardleyMap) -> None:
        """What a later change is checked against: facets in the layout, slots sharing a
        source line, what each component's links show, and each link's ends."""
        self._facets = {s for s in m.layout if "#" in s}
        tied: set[str] = set()
        for slot, source in m.owm_source.items():
            if source.covers:
                tied.add(slot)
                tied.update(source.covers)
        self._tied = tied
        self._sig = {c.id: _signature(c) for c in m.components}
        self._link_ends = {}
        self._links_of = {}
        for lk in m.links:
            self._note_link(lk)
        self._lists = {}

    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.final_newline else "")

    def forget(self) -> None:
        """The text is no longer the writer's (the person typed): next change writes it all."""
        self._usable = False

    # -- one change ----------------------------------------------------------------------

    def update(self, m: WardleyMap, what: str, ids: tuple[str, ...]) -> list[LineEdit] | None:
        """The line edits that bring the text in step after ``Change(what, ids)``, already
        applied to ``lines``; None when the whole text must be written instead (then
        call ``full``)."""
        if not self._usable or not ids or len(ids) > MAX_IDS:
            return None
        if what not in ("components", "links") and what not in OTHER_LINE_KINDS:
            return None
        edits: list[LineEdit] = []
        try:
            self._apply(m, what, ids, edits)
        except _Fallback:
            self._usable = False
            return None
        return edits

    def _apply(self, m: WardleyMap, what: str, ids: tuple[str, ...], edits: list[LineEdit]) -> None:
        wanted = _Wanted(self._tied)
        if what == "components":
            self._want_components(m, ids, wanted)
        elif what == "links":
            self._want_links(m, ids, wanted)
        else:
            elements = self._elements(m, what, ids)
            make = OTHER_LINE[what]
            for eid in ids:
                e = elements.get(eid)
                wanted.want(eid, None if e is None else self._source(m, eid, make(e)))
        self._edit(m, wanted.order, wanted.lines, edits)

    def _want_components(self, m: WardleyMap, ids: tuple[str, ...], wanted: _Wanted) -> None:
        """The lines of changed components (and their evolve and method lines), and of
        the links whose text shows a changed name."""
        comps = self._elements(m, "components", ids)
        pipelined = {p.component_id for p in m.pipelines}
        relink: set[str] = set()
        for cid in ids:
            c = comps.get(cid)
            if cid in pipelined or (c is not None and c.pipeline_id is not None):
                raise _Fallback  # pipeline lines and blocks: the writer's job
            if self._signature_changed(cid, c):
                relink.update(self._links_of.get(cid, ()))
            self._want_component(m, cid, c, wanted)
        links = self._elements(m, "links")
        for lid in relink:
            wanted.want(lid, self._link_text(m, links.get(lid), comps))

    def _signature_changed(self, cid: str, c: Component | None) -> bool:
        """Whether what ``c``'s links show changed (and note it now)."""
        sig = _signature(c) if c is not None else None
        if sig == self._sig.get(cid):
            return False
        if sig is None:
            self._sig.pop(cid, None)
        else:
            self._sig[cid] = sig
        return True

    def _want_component(self, m: WardleyMap, cid: str, c: Component | None, wanted: _Wanted) -> None:
        method_slot = cid + METHOD_SUFFIX
        slotted_method = method_slot in self._facets
        wanted.want(cid, None if c is None else self._source(m, cid, component_line(c, method=not slotted_method)))
        evolve = None if c is None or c.evolve is None else self._source(m, cid + EVOLVE, evolve_line(c))
        wanted.want(cid + EVOLVE, evolve)
        if slotted_method:
            has = c is not None and c.method is not None
            wanted.want(method_slot, self._source(m, method_slot, method_line(c)) if has and c is not None else None)

    def _want_links(self, m: WardleyMap, ids: tuple[str, ...], wanted: _Wanted) -> None:
        links = self._elements(m, "links", ids)
        comps: dict[str, Any] = {}
        for lid in ids:
            lk = links.get(lid)
            old = self._link_ends.pop(lid, None)
            if old is not None:
                for end in old:
                    self._links_of.get(end, set()).discard(lid)
            if lk is not None:
                self._note_link(lk)
                # Only for links still there: when components go, the Document takes
                # their links first, and the components' list is already shorter.
                comps = comps or self._elements(m, "components")
            wanted.want(lid, self._link_text(m, lk, comps))

    # -- making lines ----------------------------------------------------------------------

    @staticmethod
    def _source(m: WardleyMap, slot: str, text: str) -> str:
        """What ``_Writer._emit`` writes for ``slot``: the line it was read from while the
        writer would still make exactly what it made then."""
        source = m.owm_source.get(slot) if m.owm_source else None
        if source is None:
            return text
        if text == source.fingerprint and "\n" not in source.text and "\r" not in source.text:
            return source.text
        return keep_spelling(text, source) + source.keep

    def _link_text(self, m: WardleyMap, lk: Link | None, comps: dict[str, Any]) -> str | None:
        if lk is None:
            return None
        source, target = comps.get(lk.source), comps.get(lk.target)
        if source is None or target is None:
            return None  # an end was deleted: so is the link's line
        if lk.source_evolved or lk.target_evolved:
            text = link_line(lk, source, target)
        else:
            text = _link_text(lk, link_end_texts(source.name)[0], link_end_texts(target.name)[1])
        return self._source(m, lk.id, text)

    def _note_link(self, lk: Link) -> None:
        self._link_ends[lk.id] = (lk.source, lk.target)
        self._links_of.setdefault(lk.source, set()).add(lk.id)
        self._links_of.setdefault(lk.target, set()).add(lk.id)

    def _elements(self, m: WardleyMap, kind: str, changed: tuple[str, ...] = ()) -> dict[str, Any]:
        """id -> element of one map list, re-read when its length changed (the Document
        edits elements in place; adding or removing changes the length). When the ids
        of the change (``changed``) alone came or went, only they are looked at:
        re-reading 10,000 links for each link added or taken away cost ~1-2 ms."""
        items = getattr(m, kind)
        known = self._lists.get(kind)
        if known is not None and len(known) != len(items) and changed:
            _take_in(known, items, changed)
        if known is None or len(known) != len(items) or (items and known.get(items[-1].id) is not items[-1]):
            known = {e.id: e for e in items}
            self._lists[kind] = known
        return known

    # -- placing lines ---------------------------------------------------------------------

    def _where(self) -> _SlotIndex:
        if self._index is None:
            self._index = _SlotIndex(self._slots)
        return self._index

    def _edit(self, m: WardleyMap, order: list[str], wanted: dict[str, str | None], edits: list[LineEdit]) -> None:
        where = self._where()
        deletes: list[int] = []
        inserts: list[str] = []
        for slot in order:
            text = wanted[slot]
            at = where.get(slot)
            if at is None:
                if text is not None:
                    inserts.append(slot)
            elif text is None:
                deletes.append(at)
            elif self.lines[at] != text:
                self.lines[at] = text
                edits.append(LineEdit("replace", at, text))
        self._delete(deletes, edits)
        for slot in inserts:
            text = wanted[slot]
            assert text is not None
            self._insert(m, slot, text, edits)

    def _delete(self, deletes: list[int], edits: list[LineEdit]) -> None:
        for at in sorted(deletes, reverse=True):
            if len(self.lines) == 1 or (at == len(self.lines) - 1 and not self.final_newline):
                raise _Fallback  # the text's very end: its last newline needs the writer
            del self.lines[at]
            slot = self._slots.pop(at)
            if at < self._walk_end:
                self._walk_end -= 1
            edits.append(LineEdit("delete", at))
            if self._index is not None and not self._index.deleted(at, slot):
                self._index = None

    def _insert(self, m: WardleyMap, slot: str, text: str, edits: list[LineEdit]) -> None:
        at, in_walk = self._insert_point(m, slot)
        if at == len(self.lines) and not self.final_newline:
            raise _Fallback
        self.lines.insert(at, text)
        self._slots.insert(at, slot)
        if in_walk:
            self._walk_end += 1
        edits.append(LineEdit("insert", at, text))
        if self._index is not None and not self._index.inserted(at, slot):
            self._index = None

    def _insert_point(self, m: WardleyMap, slot: str) -> tuple[int, bool]:
        """Where the writer would put ``slot``'s line, and whether in the layout's walk."""
        where = self._where()
        if slot.endswith(EVOLVE) and slot not in self._facets:
            owner = where.get(slot[: -len(EVOLVE)])
            if owner is None:
                raise _Fallback
            return owner + 1, owner < self._walk_end  # right after its component's line
        layout = m.layout
        try:
            k = layout.index(slot)
        except ValueError:
            raise _Fallback from None  # written after the layout, in list order
        for later in layout[k + 1 :]:
            at = where.get(later)
            if at is not None:
                if m.pipelines:
                    raise _Fallback  # a pipeline's lines may sit away from its slot
                return at, True
        return self._walk_end, True


OTHER_LINE_KINDS = frozenset(OTHER_LINE)


class _SlotIndex:
    """Slot -> the number of its (last) line, kept across the inserts and deletes of
    single lines without re-reading every line: the lines read when it was made,
    then the shifts since, replayed at each look-up (a few per edit).

    Re-reading ~15,000 slots after every added or deleted line cost ~2-4 ms an edit
    at 5,000 components (an add, then its undo, then the next rename each re-read
    them). A slot on two lines, or one put where it already is, answers False from
    ``inserted``/``deleted``: then the caller makes a new index."""

    MAX_SHIFTS = 32  # then replaying costs more than re-reading, spread over the edits

    def __init__(self, slots: list[str | None]) -> None:
        # slot -> (its line, how many shifts had happened when it was put there)
        self._base: dict[str, tuple[int, int]] = {}
        self._twice: set[str] = set()
        for i, slot in enumerate(slots):
            if slot is not None:
                if slot in self._base:
                    self._twice.add(slot)
                self._base[slot] = (i, 0)
        self._shifts: list[tuple[int, int]] = []  # (line, +1 inserted there / -1 deleted)

    def get(self, slot: str) -> int | None:
        found = self._base.get(slot)
        if found is None:
            return None
        at, seen = found
        for line, step in self._shifts[seen:]:
            if step > 0:
                if at >= line:
                    at += 1
            elif at > line:
                at -= 1
        return at

    def inserted(self, at: int, slot: str | None) -> bool:
        """A line for ``slot`` was put at ``at``; False: make a new index."""
        if len(self._shifts) >= self.MAX_SHIFTS or (slot is not None and slot in self._base):
            return False
        self._shifts.append((at, 1))
        if slot is not None:
            self._base[slot] = (at, len(self._shifts))
        return True

    def deleted(self, at: int, slot: str | None) -> bool:
        """Line ``at``, ``slot``'s, was deleted; False: make a new index."""
        if len(self._shifts) >= self.MAX_SHIFTS or slot in self._twice:
            return False
        if slot is not None:
            if self.get(slot) != at:
                return False  # not where this index has it: do not guess
            del self._base[slot]
        self._shifts.append((at, -1))
        return True


class _Wanted:
    """The line each touched slot should have now (None: no line), in the order asked."""

    def __init__(self, tied: set[str]) -> None:
        self.tied = tied
        self.lines: dict[str, str | None] = {}
        self.order: list[str] = []

    def want(self, slot: str, text: str | None) -> None:
        if slot in self.tied:
            raise _Fallback  # it shares a source line with others: the writer's job
        if slot not in self.lines:
            self.order.append(slot)
        self.lines[slot] = text


def _take_in(known: dict[str, Any], items: list[Any], changed: tuple[str, ...]) -> None:
    """Bring ``known`` (id -> element of ``items`` before a change) in step when the
    change's ids alone were added to or taken from ``items``; otherwise leave it as it
    was, for the caller to read the whole list."""
    new = [i for i in changed if i not in known]
    if new and len(new) == len(changed) and len(items) == len(known) + len(new):
        wanted = set(new)
        found: dict[str, Any] = {}
        for e in reversed(items):  # added at the end, or put back near where it was
            if e.id in wanted and e.id not in found:
                found[e.id] = e
                if len(found) == len(wanted):
                    known.update(found)
                    return
    elif not new and len(items) == len(known) - len(set(changed)):
        for i in set(changed):
            del known[i]


def _signature(c: Component | None) -> tuple[str, str | None] | None:
    """What of a component its links' lines show."""
    if c is None:
        return None
    return (c.name, c.evolve.name if c.evolve is not None else None)
