"""The services the app knows about: other ``.osom`` files beside this one, and recent ones.

A service's checks need its neighbours (is the service I depend on still in alpha?
does it call itself a commodity?) and the network view needs every service in a
shared folder. Both start here: each readable file becomes a small ``ServiceSummary``
read with a few SQL statements (``storage.summary.read_summary``, not the whole
document) and remembered in the user's cache folder, so checking one file beside 2,000
others re-reads only the files that changed. Each unreadable file, and each entry that
is not a regular file inside the folder (``storage.folder``), is listed with its
one-line reason, never raised, because one damaged or hostile file on a shared drive
must not hide the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.analysis.newest_file import newness, save_record
from osom_desktop.model.service import (
    Dependency,
    EvolutionStage,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.model.wardley import ServiceRef
from osom_desktop.storage.folder import SERVICE_SUFFIX, service_files
from osom_desktop.storage.limits import not_regular
from osom_desktop.storage.summary import (
    DependencyRow,
    ServiceFacts,
    SummaryCache,
    dependencies_of,
    last_date_on,
    summary_of,
)

__all__ = ["SERVICE_SUFFIX", "ServiceDirectory", "ServiceSummary", "normalise_name"]


class SummaryCaches:
    """One ``SummaryCache`` per real folder met in a scan or by ``FolderNeighbours``; saved once at the end.

    Summaries are remembered under the real file's folder and name, whatever link led to it.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.by_folder: dict[str, SummaryCache] = {}

    def get(self, real_folder: str) -> SummaryCache | None:
        if not self.enabled:
            return None
        if real_folder not in self.by_folder:
            self.by_folder[real_folder] = SummaryCache(real_folder)
        return self.by_folder[real_folder]

    def finish(self, listed_whole: str | os.PathLike[str] | None) -> None:
        """Save; ``listed_whole``: a folder every file of which was asked about (others are gone)."""
        if listed_whole is not None:
            top = self.by_folder.get(os.path.realpath(listed_whole))
            if top is not None:
                top.retain_seen()
        for cache in self.by_folder.values():
            cache.save()


def normalise_name(name: str) -> str:
    """How service names are matched: case and runs of whitespace do not matter.

    "Hosting  platform" in one contract and "hosting platform" on another map are the
    same service to the person who typed them.
    """
    return " ".join(name.split()).casefold()


_DIGITS = re.compile(r"\d+")


@functools.lru_cache(maxsize=1 << 16)  # a network sorts by the same few thousand names ~300,000 times
def natural_key(text: str) -> str:
    """How names are ordered for a person: "Service 2" before "Service 10", case and runs
    of whitespace ignored. Each run of digits becomes its length then its digits (leading
    zeros dropped), so plain string comparison orders numbers of any length by value;
    a string, not a tuple, so a Qt item can hold it as sort data."""
    return _DIGITS.sub(lambda m: f"{len(m[0].lstrip('0') or '0'):04d}{m[0].lstrip('0') or '0'}",
                       normalise_name(text))


@dataclass(frozen=True, slots=True)
class ServiceSummary:
    """What other services need to know about one service file."""

    service_id: str
    name: str
    manager: str
    lifecycle: LifecycleStage
    evolution_stage: EvolutionStage | None
    path: Path
    # Contract dependencies as validated rows; ``dependencies`` gives the models.
    dependency_rows: tuple[DependencyRow, ...] = ()
    # Every assessment's date, distinct, earliest first (``ServiceFacts.assessment_dates``).
    assessment_dates: tuple[dt.date, ...] = ()
    # Services its map says provide its components (for the network view's edges).
    map_providers: tuple[ServiceRef, ...] = ()

    @property
    def dependencies(self) -> tuple[Dependency, ...]:
        return dependencies_of(self.dependency_rows)

    @property
    def last_assessment(self) -> dt.date | None:
        """The latest assessment dated today or earlier: one dated later has not happened."""
        return last_date_on(self.assessment_dates)

    def last_assessment_on(self, today: dt.date | None = None) -> dt.date | None:
        return last_date_on(self.assessment_dates, today)

    @classmethod
    def of(cls, doc: ServiceDocument, path: str | os.PathLike[str]) -> ServiceSummary:
        return cls.of_facts(ServiceFacts.of_document(doc), path)

    @classmethod
    def of_facts(cls, facts: ServiceFacts, path: str | os.PathLike[str]) -> ServiceSummary:
        return cls(
            service_id=facts.service_id,
            name=facts.name,
            manager=facts.manager,
            lifecycle=facts.lifecycle,
            evolution_stage=facts.evolution_stage,
            path=path if isinstance(path, Path) else Path(path),
            dependency_rows=facts.dependency_rows,
            assessment_dates=facts.assessment_dates,
            map_providers=facts.map_providers,
        )


def named_services(doc: ServiceDocument) -> tuple[set[str], set[str]]:
    """The ids and normalised names of the services ``doc`` depends on or links to."""
    ids = {d.service_id for d in doc.contract.dependencies if d.service_id}
    names = {normalise_name(d.service_name) for d in doc.contract.dependencies}
    for c in doc.map.components:
        if c.provided_by is not None:
            if c.provided_by.service_id:
                ids.add(c.provided_by.service_id)
            names.add(normalise_name(c.provided_by.name))
    return ids, names


@dataclass(slots=True)
class ServiceDirectory:
    """Service files found in a folder (and given paths), sorted by name then path."""

    services: list[ServiceSummary] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, one-line reason)
    # The file used for a service id several files hold, decided once (``by_id``).
    _newest: dict[str, ServiceSummary] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def scan(
        cls,
        folder: str | os.PathLike[str] | None,
        extra_paths: Iterable[str | os.PathLike[str]] = (),
        recursive: bool = False,
        *,
        use_cache: bool = True,
    ) -> ServiceDirectory:
        """Summarise every ``.osom`` file in ``folder`` (and below it if ``recursive``) and ``extra_paths``.

        Never raises for a file or folder it cannot read: it is listed in
        ``unreadable``. A file reached twice (a recent file inside the folder, a
        symlink) is read once. Hidden files and folders are skipped: they are temp
        files of a save in progress, or a sync tool's own. FIFOs, devices, sockets and
        symlinks leading out of the folder are listed, never opened. ``use_cache``:
        remember summaries in the user's cache folder (``storage.summary``).
        """
        directory = cls()
        caches = SummaryCaches(use_cache)
        for where, st, real in directory.candidates(folder, extra_paths, recursive):
            path = Path(where)
            real_folder, real_name = os.path.split(real)
            got = summary_of(path, st, caches.get(real_folder), real_name)
            if isinstance(got, str):
                directory.unreadable.append((path, got))
            else:
                directory.services.append(ServiceSummary.of_facts(got, path))
        caches.finish(folder if not recursive else None)
        directory.services.sort(key=lambda s: (normalise_name(s.name), str(s.path)))
        return directory

    @classmethod
    def around(cls, doc: ServiceDocument, folder: str | os.PathLike[str], *, use_cache: bool = True) -> ServiceDirectory:
        """The services in ``folder`` that ``doc`` names: all that checking or packing it needs.

        A service's checks and pack look up only the services its contract
        dependencies and map links name, by id or by name (``find``, ``by_id``,
        ``by_name``). So every file's id and name is found, and only the files holding
        a named id or name are summarised. Lookups for those references give the same
        answers as on ``scan``'s full directory, since every file matching one of them
        is included. ``unreadable``: the files not listed or whose id and name could
        not be read, then the named files whose summary could not be read.

        This is ``FolderNeighbours`` (``osom_desktop.folder``) asked about one document,
        its cache written at once: ``osom check`` and ``osom pack`` read a folder the
        same way, ids and names peeked from a few pages when the cache is cold.
        """
        from osom_desktop.folder import FolderNeighbours  # (built on this module)

        neighbours = FolderNeighbours(folder, use_cache=use_cache)
        directory = neighbours.around(doc)
        neighbours.save()
        return directory

    def candidates(
        self, folder: str | os.PathLike[str] | None, extra_paths: Iterable[str | os.PathLike[str]], recursive: bool
    ) -> Iterator[tuple[str | os.PathLike[str], os.stat_result, str]]:
        """(path as found, its stat, its resolved path) of each regular file to read, each once.

        What is not read (not a regular file, a link out of the folder, missing) goes
        to ``unreadable`` with its reason.
        """
        seen: set[str] = set()
        listed: list[tuple[str | os.PathLike[str], os.stat_result, str]] = []
        if folder is not None:
            for entry in service_files(folder, recursive):
                if entry.problem is not None or entry.stat is None:  # (a readable entry has its stat)
                    self.unreadable.append((entry.path, entry.problem or f"{entry.where}: not read"))
                else:
                    listed.append((entry.where, entry.stat, entry.real))
        for p in extra_paths:
            found = self._given(p)
            if found is not None:
                listed.append(found)
        for where, st, real in listed:
            key = os.path.normcase(real)
            if key in seen:
                continue
            seen.add(key)
            yield where, st, real

    def _given(self, where: str | os.PathLike[str]) -> tuple[str | os.PathLike[str], os.stat_result, str] | None:
        """A path given by the caller (it may be anything): its stat and resolved path,
        or None with the reason in ``unreadable``."""
        try:
            real = os.path.realpath(where)
            st = os.stat(where)
        except FileNotFoundError:
            self.unreadable.append((Path(where), f"{Path(where).name}: no such file"))
            return None
        except OSError as exc:
            self.unreadable.append((Path(where), f"{Path(where).name}: {exc.strerror or exc}"))
            return None
        why = not_regular(st.st_mode)
        if why is not None:
            self.unreadable.append((Path(where), f"{Path(where).name}: {why}"))
            return None
        return where, st, real

    # -- look-ups -------------------------------------------------------------------

    def by_id(self, service_id: str) -> ServiceSummary | None:
        """The service file holding ``service_id``; of several (a copy, an old version left
        in the folder), the newest, as the network uses (``newest_file.newness``): the
        first in name order was often the stale "payments (copy).osom"."""
        found = None
        for s in self.services:
            if s.service_id == service_id:
                if found is not None:
                    return self._newest_of(service_id)
                found = s
        return found

    def _newest_of(self, service_id: str) -> ServiceSummary:
        if service_id not in self._newest:
            held = [s for s in self.services if s.service_id == service_id]
            self._newest[service_id] = max(held, key=lambda s: newness(s.path, save_record(s.path)))
        return self._newest[service_id]

    def by_name(self, name: str) -> ServiceSummary | None:
        """The first service (in name, path order) whose name matches, ignoring case and
        spacing; when its id is held by several files, the newest of them (``by_id``)."""
        wanted = normalise_name(name)
        for s in self.services:
            if normalise_name(s.name) == wanted:
                return self.by_id(s.service_id)
        return None

    def find(self, ref: ServiceRef | Dependency) -> ServiceSummary | None:
        """The service a map link or contract dependency names: by id first, then by name.

        By name as well because a dependency typed before the other service's file
        existed has no id, and an id can go stale if a service file was re-created.
        """
        service_id = ref.service_id
        name = ref.name if isinstance(ref, ServiceRef) else ref.service_name
        if service_id:
            found = self.by_id(service_id)
            if found is not None:
                return found
        return self.by_name(name) if name else None

    def duplicate_ids(self) -> dict[str, list[ServiceSummary]]:
        """Service ids held by more than one file: usually a copied file, which makes links ambiguous."""
        groups: dict[str, list[ServiceSummary]] = defaultdict(list)
        for s in self.services:
            groups[s.service_id].append(s)
        return {sid: group for sid, group in groups.items() if len(group) > 1}
