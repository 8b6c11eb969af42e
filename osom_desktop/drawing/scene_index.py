"""The map scene's lookups into its Document: id -> element, which links end at a
component, a component's pipelines, a pipeline's children.

Items know element ids, never model objects, and look their element up here. The
Document edits elements in place, so a list is re-read only when its membership
changes (its length, or a Change naming ids that came or went); the link, pipeline
and children indexes are rebuilt by the scene when what they hang on changes.

Split out of ``map_scene`` (issue 12 item 6); no Qt here. The scene keeps its own
names for these dicts (``_elements``, ``_links_of``...), bound to the very objects
below, which are therefore only ever cleared and refilled, never replaced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from osom_desktop.model.document import Document

__all__ = ["INDEXED_KINDS", "SceneIndex"]

# The map's lists whose elements are looked up by id.
INDEXED_KINDS = ("components", "links", "pipelines", "notes", "annotations", "areas", "accelerators")


class SceneIndex:
    """Indexes of ``document.map``, kept in step by the scene that owns them."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self.elements: dict[str, Any] = {}
        self._kind_ids: dict[str, set[str]] = {k: set() for k in INDEXED_KINDS}
        self.links_of: defaultdict[str, set[str]] = defaultdict(set)
        self._link_ends: dict[str, tuple[str, str]] = {}
        self.pipelines_of: defaultdict[str, list[str]] = defaultdict(list)
        self.children: defaultdict[str, list[str]] = defaultdict(list)
        self.child_of: dict[str, str] = {}

    def reindex_all(self) -> None:
        """Re-read everything (a new map, or a rebuild)."""
        for kind in INDEXED_KINDS:
            self.reindex(kind)
        self.reindex_links()
        self.reindex_pipelines()
        self.reindex_children()

    def reindex(self, kind: str, changed: tuple[str, ...] = ()) -> bool:
        """Re-read one of the map's lists if its membership changed; True if it did.

        ``changed``: the ids a Change named. When they account for the whole change in
        length (elements added, or removed), only they are looked at: re-reading
        10,000 links on every link added cost a few ms an edit at 5,000 components."""
        elements = getattr(self._document.map, kind)
        ids = self._kind_ids[kind]
        if len(elements) == len(ids) and self._same(elements):
            return False
        if changed and self._reindex_some(elements, ids, changed):
            return True
        for old in ids:
            self.elements.pop(old, None)
        new_ids = set()
        for e in elements:
            self.elements[e.id] = e
            new_ids.add(e.id)
        self._kind_ids[kind] = new_ids
        return True

    def _reindex_some(self, elements: list[Any], ids: set[str], changed: tuple[str, ...]) -> bool:
        """Take in just the ids a Change named, if they alone were added or alone
        removed; False (re-read the whole list) otherwise."""
        new = [i for i in changed if i not in ids]
        gone = [i for i in changed if i in ids]
        if new and not gone:
            return len(elements) == len(ids) + len(new) and self._take_added(elements, ids, set(new))
        if gone and not new:
            return self._drop_gone(elements, ids, gone)
        return False

    def _take_added(self, elements: list[Any], ids: set[str], wanted: set[str]) -> bool:
        found: dict[str, Any] = {}
        for e in reversed(elements):  # added at the end, or put back near it
            if e.id in wanted:
                found[e.id] = e
                if len(found) == len(wanted):
                    break
        if len(found) != len(wanted):
            return False
        self.elements.update(found)
        ids.update(found)
        return True

    def _drop_gone(self, elements: list[Any], ids: set[str], gone: list[str]) -> bool:
        if len(elements) != len(ids) - len(gone):
            return False
        for i in gone:
            self.elements.pop(i, None)
            ids.discard(i)
        return True

    def _same(self, elements: list[Any]) -> bool:
        # Same length; the Document only adds or removes (changing length) or edits in
        # place, except replace_map, which emits "map" and rebuilds everything. A
        # cheap spot check of the ends guards against a swapped list object.
        for e in (elements[0], elements[-1]) if elements else ():
            if self.elements.get(e.id) is not e:
                return False
        return True

    def reindex_links(self, changed: tuple[str, ...] | None = None) -> None:
        """Which links end at each component; ``changed``: only these links moved ends
        (added, removed, re-pointed)."""
        if changed is None:
            self.links_of.clear()
            self._link_ends.clear()
            todo: Iterable[str] = (lk.id for lk in self._document.map.links)
        else:
            todo = changed
            for lid in changed:
                for end in self._link_ends.pop(lid, ()):
                    self.links_of[end].discard(lid)
        elements = self.elements
        for lid in todo:
            lk = elements.get(lid)
            if lk is not None:
                self._link_ends[lid] = (lk.source, lk.target)
                self.links_of[lk.source].add(lid)
                self.links_of[lk.target].add(lid)

    def reindex_pipelines(self) -> None:
        self.pipelines_of.clear()
        for p in self._document.map.pipelines:
            self.pipelines_of[p.component_id].append(p.id)

    def reindex_children(self) -> None:
        self.children.clear()
        self.child_of.clear()
        for c in self._document.map.components:
            if c.pipeline_id is not None:
                self.children[c.pipeline_id].append(c.id)
                self.child_of[c.id] = c.pipeline_id
