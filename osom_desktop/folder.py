"""The services beside a file, from its folder read once: ``osom check``, ``osom pack``.

What one file's checks and pack need of its folder: every file's id and name (from the
summary cache when unchanged), then the summaries of the services it names.
``FolderNeighbours`` does this for any number of documents of one folder, with the
listing, the ids and names, the summaries read and the cache shared: the folder is
listed and its cache loaded once, each neighbour's summary is read at most once, and
the cache is saved once (``save``). ``ServiceDirectory.around`` (``osom pack``) is one
of these asked about one document. Calling that once per file listed the folder,
loaded its summary cache and wrote it back (with an fsync) every time: 60 ms a file in
a 500-file folder, 30 s for the folder, before any file was checked.

With no cache (the first check or pack in a folder) every file's id and name is
peeked from a few of its pages (``storage.peek``: ~50 us a file instead of ~0.4 ms for
SQLite on a private copy); SQLite reads only the files the peek is not sure of. Every
file, not only those whose file name looks like a named service: a service may live in
a file named otherwise, and which of two files claiming one name or id comes first
decides what the check says (``ServiceDirectory.find``), so the answer needs them all.

Headless (no Qt): the CLI uses it; it is safe to build one per thread, not to share one.
"""

from __future__ import annotations

import os
from pathlib import Path

from osom_desktop.analysis.directory import ServiceDirectory, ServiceSummary, SummaryCaches, named_services, normalise_name
from osom_desktop.storage.limits import max_file_bytes
from osom_desktop.storage.peek import peek_identity
from osom_desktop.storage.summary import SummaryCache, identity_of, stamp_of, summary_of

# Each file to read, in the listing's order: (path as found, stat, real folder, real name,
# (id, normalised name) or the one-line reason its id and name could not be read).
_File = tuple[str | os.PathLike[str], os.stat_result, str, str, tuple[str, str] | str]


def _identity(where: str | os.PathLike[str], st: os.stat_result, cache: SummaryCache | None, name: str, cap: int) -> tuple[str, str] | str:
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
        self._caches = SummaryCaches(use_cache)
        self._files: list[_File] | None = None
        self._not_listed: list[tuple[Path, str]] = []  # entries not read at all (a FIFO, a link out, ...)
        self._summaries: dict[str | os.PathLike[str], ServiceSummary | str] = {}  # by path as found

    def _list(self) -> list[_File]:
        if self._files is not None:
            return self._files
        files: list[_File] = []
        cap, listing = max_file_bytes(), ServiceDirectory()
        for where, st, real in listing.candidates(self.folder, (), False):  # (two links to one file: read once)
            real_folder, real_name = os.path.split(real)
            who = _identity(where, st, self._caches.get(real_folder), real_name, cap)
            files.append((where, st, real_folder, real_name, who if isinstance(who, str) else (who[0], normalise_name(who[1]))))
        self._not_listed = listing.unreadable
        self._files = files
        return files

    def around(self, doc) -> ServiceDirectory:  # doc: a ServiceDocument
        """The services of the folder that ``doc`` names, from what is already read.

        ``unreadable``: the entries not read, then, in the listing's order, the files whose
        id and name could not be read and the named ones whose summary could not be.
        """
        ids, names = named_services(doc)
        files = self._list()
        directory = ServiceDirectory(unreadable=list(self._not_listed))
        for where, st, real_folder, real_name, who in files:
            if isinstance(who, str):
                directory.unreadable.append((Path(where), who))
                continue
            if who[0] not in ids and who[1] not in names:
                continue
            got = self._summaries.get(where)
            if got is None:
                facts = summary_of(Path(where), st, self._caches.get(real_folder), real_name)
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
        # Once the whole folder was listed, files not met in it are gone from its cache.
        self._caches.finish(self.folder if self._files is not None else None)
