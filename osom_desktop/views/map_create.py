"""Adding, nudging, deleting, copying and pasting from the canvas: each one command,
one undo step; what is added is selected and, where it has a name or text, typed in place."""

from __future__ import annotations

import itertools

from osom_desktop.commands import AddElementCommand, MoveComponentsCommand, RemoveElementsCommand
from osom_desktop.model.ids import new_id
from osom_desktop.model.wardley import (
    Accelerator,
    AcceleratorKind,
    Annotation,
    Area,
    AreaKind,
    Component,
    ComponentKind,
    Note,
    Pipeline,
)
from osom_desktop.operations.edits import UpdateElement
from osom_desktop.views.map_drag import SelectionDrag, on_map
from osom_desktop.views.map_link import MapLink


class MapCreate(MapLink):
    """The canvas's edits that are not a drag: new elements, nudges, delete, paste."""

    def _spot_for_key(self) -> tuple[float, float]:
        """Where N (A, T, U) puts a new element: under the pointer when it is over the
        map, as the menu's "Add component here  N" says; else the middle of what is on
        screen (the pointer is elsewhere, e.g. the person works from the keyboard)."""
        pointer = self._pointer
        if pointer is not None and self.viewport().underMouse() and self.viewport().rect().contains(pointer):
            vis, evo = self.map_scene.to_map(self.mapToScene(pointer))
            if 0.0 <= vis <= 1.0 and 0.0 <= evo <= 1.0:
                return round(vis, 2), round(evo, 2)
        vis, evo = self.map_scene.to_map(self.mapToScene(self.viewport().rect().center()))
        return min(1.0, max(0.0, vis)), min(1.0, max(0.0, evo))

    def _placed(self, visibility: float, evolution: float) -> tuple[float, float]:
        """A spot the person picked, kept on the map (said so when it was off it) and
        written with two decimals."""
        (v, v_hit), (e, e_hit) = on_map(visibility), on_map(evolution)
        if v_hit or e_hit:
            self.message_shown.emit(f"Placed at the map's edge [{v:g}, {e:g}]: positions run from 0 to 1")
        return v, e

    def _free_name(self, base: str) -> str:
        names = {c.name for c in self.document.map.components}
        return next(f"{base} {n}" for n in itertools.count(1) if f"{base} {n}" not in names)

    def add_component_at(self, visibility: float, evolution: float, rename: bool = False,
                         kind: ComponentKind = ComponentKind.COMPONENT, **flags) -> str | None:
        """A new component (anchor with ``kind``; ``market=True``, ``ecosystem=True``)."""
        base = {ComponentKind.ANCHOR: "New anchor"}.get(kind, "New market" if flags.get("market") else
                                                       "New ecosystem" if flags.get("ecosystem") else "New component")
        v, e = self._placed(visibility, evolution)
        component = Component(id=new_id(), name=self._free_name(base), kind=kind, visibility=v, evolution=e, **flags)
        if not self.run(AddElementCommand(self.document, component)):
            return None
        self.select_ids([component.id])
        if rename:
            self.start_rename(component.id)
        return component.id

    def add_note_at(self, visibility: float, evolution: float, edit: bool = True) -> str | None:
        v, e = self._placed(visibility, evolution)
        note = Note(id=new_id(), text="New note", visibility=v, evolution=e)
        if not self.run(AddElementCommand(self.document, note, text="Add note")):
            return None
        self.select_ids([note.id])
        if edit:
            self.start_rename(note.id)
        return note.id

    def add_annotation_at(self, visibility: float, evolution: float, edit: bool = True) -> str | None:
        """A numbered annotation, numbered one past the highest; its text goes in the legend."""
        v, e = self._placed(visibility, evolution)
        number = max((a.number for a in self.document.map.annotations), default=0) + 1
        annotation = Annotation(id=new_id(), number=number, points=[(v, e)], text="New annotation")
        if not self.run(AddElementCommand(self.document, annotation, text=f"Add annotation {number}")):
            return None
        self.select_ids([annotation.id])
        if edit:
            self.start_rename(annotation.id)
        return annotation.id

    def add_accelerator_at(self, visibility: float, evolution: float,
                           kind: AcceleratorKind = AcceleratorKind.ACCELERATOR) -> str | None:
        v, e = self._placed(visibility, evolution)
        word = "Accelerator" if kind is AcceleratorKind.ACCELERATOR else "Deaccelerator"
        acc = Accelerator(id=new_id(), kind=kind, name=f"New {word.lower()}", visibility=v, evolution=e)
        if not self.run(AddElementCommand(self.document, acc, text=f"Add {word.lower()}")):
            return None
        self.select_ids([acc.id])
        self.start_rename(acc.id)
        return acc.id

    def add_area_at(self, visibility: float, evolution: float, kind: AreaKind) -> str | None:
        """A pioneers / settlers / town planners box, 0.2 by 0.2, its top-left here."""
        v, e = self._placed(visibility, evolution)
        bottom, right = on_map(v - 0.2)[0], on_map(e + 0.2)[0]
        area = Area(id=new_id(), kind=kind, top=v, left=e, bottom=bottom, right=right)
        if not self.run(AddElementCommand(self.document, area, text=f"Add {kind.value} area")):
            return None
        self.select_ids([area.id])
        return area.id

    def add_pipeline(self, component_id: str) -> str | None:
        """A pipeline under a component, spanning a stage either side of it."""
        m = self.document.map
        c = m.component(component_id)
        if c is None or c.evolution is None or c.pipeline_id is not None:
            self.error_raised.emit("A pipeline goes under a placed component that is not itself in a pipeline")
            return None
        if any(p.component_id == component_id for p in m.pipelines):
            self.error_raised.emit(f"{c.name} already has a pipeline")
            return None
        pipe = Pipeline(id=new_id(), component_id=component_id,
                        start=on_map(c.evolution - 0.15)[0], end=on_map(c.evolution + 0.15)[0])
        if not self.run(AddElementCommand(self.document, pipe, text=f"Add pipeline under {c.name}")):
            return None
        self.message_shown.emit(f"Pipeline under {c.name}: drop components on it to put them in it")
        return pipe.id

    def add_into_pipeline(self, pipeline_id: str, evolution: float) -> str | None:
        """A new component inside a pipeline, at ``evolution`` along it."""
        m = self.document.map
        pipe = next((p for p in m.pipelines if p.id == pipeline_id), None)
        if pipe is None:
            return None
        e, _ = on_map(evolution)
        component = Component(id=new_id(), name=self._free_name("New component"), evolution=e, pipeline_id=pipeline_id)
        plan = AddElementCommand(self.document, component, text="Add component to pipeline").plan
        if not pipe.block:
            plan.edits.append(UpdateElement(pipeline_id, {"block": True}))
        if not self.run(plan):
            return None
        self.select_ids([component.id])
        self.start_rename(component.id)
        return component.id

    def take_out_of_pipeline(self, component_id: str) -> None:
        c = self.document.map.component(component_id)
        if c is None or c.pipeline_id is None:
            return
        point = self.map_scene.component_point(component_id)
        v = on_map(self.map_scene.to_map(point)[0] - 0.05)[0] if point is not None else 0.5
        self._set(component_id, f"Take {c.name} out of its pipeline", pipeline_id=None, visibility=v)

    def delete_selection(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.run(RemoveElementsCommand(self.document, ids, text=f"Delete {len(ids)} item(s)"))

    def nudge(self, dv: float, de: float) -> None:
        """Arrow keys: the selection moves a step; a run of steps is one undo step."""
        if self.read_only:
            return
        ids = self.selected_ids()
        m = self.document.map
        if any(m.component(i) is None for i in ids):
            self._nudge_as_drag(ids, dv, de)
            return
        old = self._placed_components(ids)
        if not old:
            return
        new = {}
        clamped = False
        for cid, (v, e) in old.items():
            (nv, hv), (ne, he) = on_map(v + dv), on_map(e + de)
            clamped |= hv or he
            new[cid] = (nv, ne)
        if clamped:
            self.message_shown.emit("Kept on the map: positions run from 0 to 1")
        before: dict[str, tuple[float | None, float | None]] = dict(old)
        after: dict[str, tuple[float | None, float | None]] = dict(new)
        self.run(MoveComponentsCommand(self.document, after, before, text="Nudge", merge=True))

    def _placed_components(self, ids: list[str]) -> dict[str, tuple[float, float]]:
        """Where the placed components among ``ids`` are: {id: (visibility, evolution)}."""
        m = self.document.map
        return {cid: (c.visibility, c.evolution) for cid in ids
                if (c := m.component(cid)) is not None and c.visibility is not None and c.evolution is not None}

    def _nudge_as_drag(self, ids: list[str], dv: float, de: float) -> None:
        """Notes, annotations, pipelines: the same one-step move a drag makes."""
        drag = SelectionDrag(self.document, ids)
        if not drag:
            return
        drag.move_by(dv, de)
        plan = drag.finish("Nudge")
        if plan is not None:
            self.run(plan)
        if drag.clamped:
            self.message_shown.emit("Kept on the map: positions run from 0 to 1")

    # -- copy, paste, duplicate -------------------------------------------------------------

    def paste_owm(self, text: str) -> list[str]:
        """Paste OWM text (from this map, another, or OWM itself): what collides with
        the map gets a numbered name and sits a step down and right of the original.
        The pasted elements end up selected, as one undo step. Returns their ids."""
        from osom_desktop.commands import ReplaceMapCommand
        from osom_desktop.owm.clipboard import paste_into

        pasted = paste_into(self.document.map, text)
        if not pasted.ids:
            self.message_shown.emit("The clipboard holds no OWM elements to paste")
            return []
        n = len(pasted.ids)
        if not self.run(ReplaceMapCommand(self.document, pasted.map, text=f"Paste {n} element(s)")):
            return []
        self.select_ids(pasted.ids)
        self.message_shown.emit(pasted.summary)
        return pasted.ids

    def copy_text(self) -> str:
        """The selection as OWM text (components, their links, notes, annotations, pipelines)."""
        from osom_desktop.owm.clipboard import copy_as_owm

        return copy_as_owm(self.document.map, self.selected_ids()) if self.selected_ids() else ""

    def duplicate_selection(self) -> list[str]:
        """Edit > Duplicate (Ctrl+D): copies of the selection beside it, selected."""
        text = self.copy_text()
        if not text.strip():
            self.error_raised.emit("Select what to duplicate first")
            return []
        return self.paste_owm(text)
