"""``WardleyMap`` -> canonical OWM text that reads back (here and in OWM) as the same map.

The writer follows ``m.layout`` so comments, blank lines and unknown lines stay where the
user put them. Slots whose element is gone are skipped; elements without a slot come
after the laid-out text, except where OWM's reading order needs otherwise:

* a missing ``title`` / ``evolution`` slot goes first (OWM uses the first such line);
* an evolve, or a pipeline, without a slot goes right after its component's line, and
  a pipeline is never written above its component (the parser wants the owner first);
* a block pipeline's children are written inside its ``{ }``, together with whatever
  the layout holds between the pipeline and its last child (comments inside the block
  stay inside).

Free text that OWM cannot quote (title, annotation text, link context, flow values,
stage labels, raw lines) has its line breaks turned into spaces: a line break would
start a new line and could smuggle in an element.
"""

from __future__ import annotations

from osom_desktop.model.wardley import (
    Component,
    ComponentKind,
    FlowDirection,
    Link,
    Pipeline,
    WardleyMap,
)
from osom_desktop.owm.names import link_end_text, name_text, single_line
from osom_desktop.owm.numbers import write_maturity, write_number

__all__ = ["write_owm"]

_KIND_WORD = {
    ComponentKind.COMPONENT: "component",
    ComponentKind.ANCHOR: "anchor",
    ComponentKind.SUBMAP: "submap",
}
_FLOW_ARROW = {FlowDirection.FORWARD: ">", FlowDirection.BACKWARD: "<", FlowDirection.BOTH: "<>"}
_SINGLETONS = ("title", "evolution", "style", "annotations")


def _pair(a: float, b: float) -> str:
    return f"[{write_number(a)}, {write_number(b)}]"


def component_line(c: Component, child: bool = False) -> str:
    parts = [_KIND_WORD.get(c.kind, "component"), name_text(c.name)]
    if c.visibility is not None and c.evolution is not None:
        parts.append(_pair(c.visibility, c.evolution))
    elif child and c.evolution is not None:
        parts.append(f"[{write_number(c.evolution)}]")
    # A top-level component with only one coordinate has no OWM form; it is written
    # without coordinates rather than with a misleading one.
    if c.label is not None:
        parts.append(f"label {_pair(c.label.dx, c.label.dy)}")
    if c.method is not None:
        parts.append(f"({c.method})")
    if c.market:
        parts.append("(market)")
    if c.ecosystem:
        parts.append("(ecosystem)")
    if c.inertia:
        parts.append("inertia")
    if c.url_ref is not None:
        parts.append(f"url({c.url_ref})")
    return " ".join(parts)


def evolve_line(c: Component) -> str:
    ev = c.evolve
    assert ev is not None
    head = f"evolve {name_text(c.name)}"
    if ev.name is not None:
        head += f"->{name_text(ev.name)}"
    parts = [head, write_maturity(ev.evolution)]
    if ev.label is not None:
        parts.append(f"label {_pair(ev.label.dx, ev.label.dy)}")
    if ev.method is not None:
        parts.append(f"({ev.method})")
    if ev.market:
        parts.append("(market)")
    if ev.ecosystem:
        parts.append("(ecosystem)")
    return " ".join(parts)


def link_line(link: Link, source: Component, target: Component) -> str:
    src = source.evolve.name if link.source_evolved and source.evolve and source.evolve.name else source.name
    tgt = target.evolve.name if link.target_evolved and target.evolve and target.evolve.name else target.name
    if link.flow is None:
        arrow = "->"
    elif link.flow_value is None:
        arrow = "+" + _FLOW_ARROW[link.flow]
    else:
        arrow = f"+'{single_line(link.flow_value)}'{_FLOW_ARROW[link.flow]}"
    text = f"{link_end_text(src, True)}{arrow}{link_end_text(tgt, False)}"
    if link.context:
        text += f"; {single_line(link.context).strip()}"
    return text


def pipeline_line(p: Pipeline, owner: Component) -> str:
    text = f"pipeline {name_text(owner.name)}"
    if p.start is not None and p.end is not None:
        text += f" {_pair(p.start, p.end)}"
    return text


class _Writer:
    def __init__(self, m: WardleyMap) -> None:
        self.m = m
        self.out: list[str] = []
        self.done: set[str] = set()
        self.components = {c.id: c for c in m.components}
        self.links = {lk.id: lk for lk in m.links}
        self.others: dict[str, str] = {}  # id -> finished line, for simple elements
        for n in m.notes:
            self.others[n.id] = f"note {name_text(n.text)} {_pair(n.visibility, n.evolution)}"
        for a in m.annotations:
            if len(a.points) == 1:
                where = _pair(*a.points[0])
            else:
                where = "[" + ", ".join(_pair(v, e) for v, e in a.points) + "]"
            text = single_line(a.text).strip()
            self.others[a.id] = f"annotation {a.number} {where}" + (f" {text}" if text else "")
        for ar in m.areas:
            self.others[ar.id] = (
                f"{ar.kind} [{write_number(ar.top)}, {write_number(ar.left)}, "
                f"{write_number(ar.bottom)}, {write_number(ar.right)}]"
            )
        for acc in m.accelerators:
            self.others[acc.id] = f"{acc.kind} {name_text(acc.name)} {_pair(acc.visibility, acc.evolution)}"
        for u in m.urls:
            self.others[u.id] = f"url {name_text(u.name)} [{single_line(u.url).strip()}]"
        for r in m.raw_lines:
            # Verbatim: the parser splits on "\n" only, so only that could break it.
            self.others[r.id] = r.text.replace("\n", " ")
        # Pipelines whose component exists; children of any other pipeline are plain.
        self.pipelines = {p.id: p for p in m.pipelines if p.component_id in self.components}
        self.pipelines_of: dict[str, list[Pipeline]] = {}
        for p in self.pipelines.values():
            self.pipelines_of.setdefault(p.component_id, []).append(p)
        self.children: dict[str, list[Component]] = {}
        for c in m.components:
            if c.pipeline_id is not None and c.pipeline_id in self.pipelines:
                self.children.setdefault(c.pipeline_id, []).append(c)
        self.child_ids = {c.id for kids in self.children.values() for c in kids}
        self.slots = set(m.layout)
        self.index_of: dict[str, int] = {}
        for i, slot in enumerate(m.layout):
            self.index_of.setdefault(slot, i)
        self.waiting_for_owner: dict[str, list[Pipeline]] = {}

    # -- whole map -------------------------------------------------------------------------

    def write(self) -> str:
        m = self.m
        if m.title is not None and "title" not in self.slots:
            self._singleton("title")
        if m.evolution_labels is not None and "evolution" not in self.slots:
            self._singleton("evolution")
        self._walk(m.layout, 0, len(m.layout))
        for c in m.components:
            if c.id not in self.child_ids:
                self._component(c)
        for lk in m.links:
            self._slot(lk.id)
        for group in (m.notes, m.annotations, m.areas, m.accelerators, m.urls, m.raw_lines):
            for element in group:
                self._slot(element.id)
        for p in self.pipelines.values():
            # Only a pipeline whose owner sits inside another block gets here.
            if p.id not in self.done and self._owner_written(p):
                self._pipeline(p, [], 0, 0)
        self._singleton("style")
        self._singleton("annotations")
        if not self.out:
            return ""
        return "\n".join(self.out) + "\n"

    def _walk(self, layout: list[str], start: int, stop: int) -> None:
        i = start
        while i < stop:
            slot = layout[i]
            pipeline = self.pipelines.get(slot)
            if pipeline is not None and slot not in self.done and self._owner_written(pipeline):
                i = self._pipeline(pipeline, layout, i, stop)
                continue
            self._slot(slot)
            i += 1

    # -- one slot --------------------------------------------------------------------------

    def _slot(self, slot: str) -> None:
        if slot in self.done:
            return
        component = self.components.get(slot)
        if component is not None:
            if component.id not in self.child_ids:
                self._component(component)
            return
        if slot.endswith("#evolve"):
            owner = self.components.get(slot[: -len("#evolve")])
            if owner is not None and owner.evolve is not None:
                self.done.add(slot)
                self.out.append(evolve_line(owner))
            return
        link = self.links.get(slot)
        if link is not None:
            self.done.add(slot)
            source = self.components.get(link.source)
            target = self.components.get(link.target)
            if source is not None and target is not None:
                self.out.append(link_line(link, source, target))
            return
        pipeline = self.pipelines.get(slot)
        if pipeline is not None:
            # Its owner is not written yet: it follows the owner's line instead.
            self.waiting_for_owner.setdefault(pipeline.component_id, []).append(pipeline)
            return
        text = self.others.get(slot)
        if text is not None:
            self.done.add(slot)
            self.out.append(text)
            return
        if slot in _SINGLETONS:
            self._singleton(slot)

    def _singleton(self, slot: str) -> None:
        if slot in self.done:
            return
        m = self.m
        line: str | None = None
        if slot == "title" and m.title is not None:
            title = single_line(m.title).strip()
            line = f"title {title}" if title else "title"
        elif slot == "evolution" and m.evolution_labels is not None:
            line = "evolution " + "->".join(single_line(label).strip() for label in m.evolution_labels)
        elif slot == "style" and m.style is not None:
            line = f"style {single_line(m.style).strip()}"
        elif slot == "annotations" and m.annotations_legend is not None:
            line = f"annotations {_pair(*m.annotations_legend)}"
        if line is not None:
            self.done.add(slot)
            self.out.append(line)

    def _component(self, c: Component, child: bool = False) -> None:
        if c.id in self.done:
            return
        self.done.add(c.id)
        self.out.append(component_line(c, child))
        evolve_slot = f"{c.id}#evolve"
        if c.evolve is not None and evolve_slot not in self.slots and evolve_slot not in self.done:
            self.done.add(evolve_slot)
            self.out.append(evolve_line(c))
        if child:
            return
        for p in self.waiting_for_owner.pop(c.id, []):
            self._pipeline(p, [], 0, 0)
        for p in self.pipelines_of.get(c.id, []):
            if p.id not in self.slots and p.id not in self.done:
                self._pipeline(p, [], 0, 0)

    def _owner_written(self, p: Pipeline) -> bool:
        return p.component_id in self.done

    # -- pipelines -------------------------------------------------------------------------

    def _pipeline(self, p: Pipeline, layout: list[str], at: int, stop: int) -> int:
        """Write pipeline ``p`` (its slot at ``layout[at]``, if any); return where the
        walk resumes."""
        self.done.add(p.id)
        owner = self.components[p.component_id]
        self.out.append(pipeline_line(p, owner))
        kids = self.children.get(p.id, [])
        if not (p.block or kids):
            return at + 1
        self.out.append("{")
        end = self._block_end(kids, layout, at, stop)
        deferred: list[str] = []
        for slot in layout[at + 1 : end]:
            if slot in self.done:
                continue
            component = self.components.get(slot)
            if component is not None:
                if component.pipeline_id == p.id and component.id in self.child_ids:
                    self._component(component, child=True)
                else:
                    deferred.append(slot)  # would turn into a child inside the braces
            elif slot in self.pipelines:
                deferred.append(slot)  # no pipeline inside a pipeline block
            else:
                self._slot(slot)
        for kid in kids:
            self._component(kid, child=True)
        self.out.append("}")
        for slot in deferred:
            pipeline = self.pipelines.get(slot)
            if pipeline is not None and self._owner_written(pipeline):
                self._pipeline(pipeline, [], 0, 0)
            else:
                self._slot(slot)
        return max(end, at + 1)

    def _block_end(self, kids: list[Component], layout: list[str], at: int, stop: int) -> int:
        """One past the last layout slot that belongs inside the block: the last child,
        and the evolve lines of children right after it."""
        if not layout:
            return at
        end = at + 1
        for kid in kids:
            i = self.index_of.get(kid.id, -1)
            if at < i < stop:
                end = max(end, i + 1)
        evolve_slots = {f"{k.id}#evolve" for k in kids}
        while end < stop and layout[end] in evolve_slots:
            end += 1
        return end


def write_owm(m: WardleyMap) -> str:
    """Canonical OWM text for ``m``, following ``m.layout``."""
    return _Writer(m).write()
