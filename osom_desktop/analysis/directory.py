"""The services the app knows about: other ``.osom`` files beside this one, and recent ones.

A service's checks need its neighbours (is the service I depend on still in alpha?
does it call itself a commodity?) and the network view needs every service in a
shared folder. Both start here: each readable file becomes a small ``ServiceSummary``
(the document itself is not kept: a folder of 200 services should not hold 200 maps),
and each unreadable file is listed with its one-line reason, never raised, because one
damaged file on a shared drive must not hide the others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.model.service import (
    Dependency,
    EvolutionStage,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.model.wardley import ServiceRef
from osom_desktop.storage import StorageError, open_document

SERVICE_SUFFIX = ".osom"


def normalise_name(name: str) -> str:
    """How service names are matched: case and runs of whitespace do not matter.

    "Hosting  platform" in one contract and "hosting platform" on another map are the
    same service to the person who typed them.
    """
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class ServiceSummary:
    """What other services need to know about one service file."""

    service_id: str
    name: str
    manager: str
    lifecycle: LifecycleStage
    evolution_stage: EvolutionStage | None
    path: Path
    dependencies: tuple[Dependency, ...] = ()
    last_assessment: dt.date | None = None
    # Services its map says provide its components (for the network view's edges).
    map_providers: tuple[ServiceRef, ...] = ()

    @classmethod
    def of(cls, doc: ServiceDocument, path: str | os.PathLike[str]) -> ServiceSummary:
        return cls(
            service_id=doc.service.id,
            name=doc.service.name,
            manager=doc.service.manager,
            lifecycle=doc.service.lifecycle,
            evolution_stage=doc.contract.evolution_stage,
            path=Path(path),
            dependencies=tuple(doc.contract.dependencies),
            last_assessment=max((a.date for a in doc.assessments), default=None),
            map_providers=tuple(c.provided_by for c in doc.map.components if c.provided_by is not None),
        )


@dataclass(slots=True)
class ServiceDirectory:
    """Service files found in a folder (and given paths), sorted by name then path."""

    services: list[ServiceSummary] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, one-line reason)

    @classmethod
    def scan(
        cls,
        folder: str | os.PathLike[str] | None,
        extra_paths: Iterable[str | os.PathLike[str]] = (),
        recursive: bool = False,
    ) -> ServiceDirectory:
        """Open every ``.osom`` file in ``folder`` (and below it if ``recursive``) and ``extra_paths``.

        Never raises for a file or folder it cannot read: it is listed in
        ``unreadable``. A file reached twice (a recent file inside the folder, a
        symlink) is read once. Hidden files and folders are skipped: they are temp
        files of a save in progress, or a sync tool's own.
        """
        directory = cls()
        seen: set[str] = set()
        candidates: list[Path] = []
        if folder is not None:
            candidates.extend(directory._files_in(Path(folder), recursive))
        candidates.extend(Path(p) for p in extra_paths)
        for path in candidates:
            key = os.path.normcase(os.path.realpath(path))
            if key in seen:
                continue
            seen.add(key)
            try:
                doc = open_document(path)
            except StorageError as exc:
                directory.unreadable.append((path, str(exc)))
                continue
            directory.services.append(ServiceSummary.of(doc, path))
        directory.services.sort(key=lambda s: (normalise_name(s.name), str(s.path)))
        return directory

    def _files_in(self, folder: Path, recursive: bool) -> Iterator[Path]:
        def failed(exc: OSError) -> None:
            self.unreadable.append((Path(exc.filename or folder), f"{exc.filename or folder}: {exc.strerror or exc}"))

        if not folder.is_dir():
            self.unreadable.append((folder, f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}"))
            return
        for root, dirs, files in os.walk(folder, onerror=failed):  # never follows symlinked folders: no loops
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
            for name in sorted(files):
                if not name.startswith(".") and name.lower().endswith(SERVICE_SUFFIX):
                    yield Path(root) / name

    # -- look-ups -------------------------------------------------------------------

    def by_id(self, service_id: str) -> ServiceSummary | None:
        for s in self.services:
            if s.service_id == service_id:
                return s
        return None

    def by_name(self, name: str) -> ServiceSummary | None:
        """The first service (in name, path order) whose name matches, ignoring case and spacing."""
        wanted = normalise_name(name)
        for s in self.services:
            if normalise_name(s.name) == wanted:
                return s
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
