"""The services beside many files of one folder, read once: ``osom check *.osom``.

``ServiceDirectory.around`` gives one file what its checks need of its folder: every
file's id and name (from the summary cache when unchanged), then the summaries of the
services it names. Called once per file, it lists the folder, loads the folder's
summary cache and writes it back (with an fsync) every time: 60 ms a file in a
500-file folder, 30 s for the folder, before any file is checked.

``FolderNeighbours`` does the same selection, for any number of documents of one
folder, with the listing, the ids and names, the summaries read and the cache
shared: the folder is listed and its cache loaded once, each neighbour's summary is
read at most once, and the cache is saved once (``save``). Answers are those of
``around``: the same services for the same document, the same unreadable entries.

With no cache (the first check of a folder) every file's id and name is peeked from a
few of its pages (``storage.peek``: ~50 us a file instead of ~0.4 ms for SQLite on a
private copy); SQLite reads only the files the peek is not sure of. Every file, not
only those whose file name looks like a named service: a service may live in a file
named otherwise, and which of two files claiming one name or id comes first decides
what the check says (``ServiceDirectory.find``), so the answer needs them all.

Headless (no Qt): the CLI uses it; it is safe to build one per thread, not to share one.
"""

from __future__ import annotations

import os
from pathlib import Path

from osom_desktop.analysis.directory import ServiceDirectory, ServiceSummary, normalise_name
from osom_desktop.storage.folder import service_files
from osom_desktop.storage.limits import max_file_bytes
from osom_desktop.storage.peek import peek_identity
from osom_desktop.storage.summary import SummaryCache, identity_of, stamp_of, summary_of


def named_in(doc) -> tuple[set[str], set[str]]:  # doc: a ServiceDocument
    """(ids, normalised names) of the services ``doc`` names: contract dependencies and map providers."""
    ids = {d.service_id for d in doc.contract.dependencies if d.service_id}
    names = {normalise_name(d.service_name) for d in doc.contract.dependencies}
    for c in doc.map.components:
        if c.provided_by is not None:
            if c.provided_by.service_id:
                ids.add(c.provided_by.service_id)
            names.add(normalise_name(c.provided_by.name))
    return ids, names


def _identity(where: str, st: os.stat_result, cache: SummaryCache | None, name: str, cap: int) -> tuple[str, str] | str:
    """``identity_of``, with its SQLite read replaced by a peek at a few pages when the peek is sure.

    Remembered in ``cache`` either way, as ``identity_of`` does.
    """
    if cache is not None:
        hit = cache.identity(name, stamp_of(st))
        if hit is not None:
            return hit
    peeked = peek_identity(where, st, cap)
    if peeked is None:
        return identity_of(where, st, cache, name)
    if cache is not None:
        cache.put_identity(name, stamp_of(st), peeked)
    return peeked


class FolderNeighbours:
    """Every service file of ``folder`` by id and name, listed on first use and kept."""

    def __init__(self, folder: str | os.PathLike[str], *, use_cache: bool = True) -> None:
        self.folder = folder
        self.use_cache = use_cache
        self._caches: dict[str, SummaryCache] = {}
        # (path as found, stat, real folder, real name, id, normalised name) of each readable file
        self._files: list[tuple[str, os.stat_result, str, str, str, str]] | None = None
        self._unreadable: list[tuple[Path, str]] = []
        self._summaries: dict[str, ServiceSummary | str] = {}  # by path as found

    def _cache(self, real_folder: str) -> SummaryCache | None:
        if not self.use_cache:
            return None
        if real_folder not in self._caches:
            self._caches[real_folder] = SummaryCache(real_folder)
        return self._caches[real_folder]

    def _list(self) -> list[tuple[str, os.stat_result, str, str, str, str]]:
        if self._files is not None:
            return self._files
        files, seen, cap = [], set(), max_file_bytes()
        for entry in service_files(self.folder):
            if entry.problem is not None or entry.stat is None:  # (a readable entry always has its stat)
                self._unreadable.append((entry.path, entry.problem or f"{entry.where}: not read"))
                continue
            key = os.path.normcase(entry.real)
            if key in seen:  # two links to one file: read once, as a scan does
                continue
            seen.add(key)
            real_folder, real_name = os.path.split(entry.real)
            who = _identity(entry.where, entry.stat, self._cache(real_folder), real_name, cap)
            if isinstance(who, str):
                self._unreadable.append((entry.path, who))
                continue
            files.append((entry.where, entry.stat, real_folder, real_name, who[0], normalise_name(who[1])))
        self._files = files
        return files

    def around(self, doc) -> ServiceDirectory:  # doc: a ServiceDocument
        """What ``ServiceDirectory.around(doc, folder)`` gives, from what is already read."""
        ids, names = named_in(doc)
        directory = ServiceDirectory()
        files = self._list()
        directory.unreadable.extend(self._unreadable)
        for where, st, real_folder, real_name, sid, name in files:
            if sid not in ids and name not in names:
                continue
            got = self._summaries.get(where)
            if got is None:
                facts = summary_of(Path(where), st, self._cache(real_folder), real_name)
                got = facts if isinstance(facts, str) else ServiceSummary.of_facts(facts, Path(where))
                self._summaries[where] = got
            if isinstance(got, str):
                directory.unreadable.append((Path(where), got))
            else:
                directory.services.append(got)
        directory.services.sort(key=lambda s: (normalise_name(s.name), str(s.path)))
        return directory

    def save(self) -> None:
        """Write the summary cache back (once, however many documents were asked about)."""
        top = self._caches.get(os.path.realpath(self.folder))
        if top is not None and self._files is not None:
            top.retain_seen()  # the whole folder was listed: files not met are gone
        for cache in self._caches.values():
            cache.save()
